//go:build windows

package winsvc_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/testbed"
)

// These tests run against a real Service Control Manager: Wine's under
// scripts/test.sh, or Windows' (as administrator) on the CI's Windows runner.

func connect(t testing.TB) *winsvc.Manager {
	t.Helper()
	m, err := winsvc.Connect()
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// testService creates a service running internal/testsvc in mode, and
// returns it with the path of its log.
func testService(t testing.TB, m *winsvc.Manager, mode string, args ...string) (*winsvc.Service, string) {
	t.Helper()
	exe := testbed.ServiceExe(t)
	logPath := filepath.Join(testbed.TempDir(t), "svc.log")
	name := testbed.UniqueName(t, "ws")
	args = append([]string{"-mode=" + mode, "-log=" + logPath, "-lifetime=60s"}, args...)
	s, err := m.New(winsvc.Definition{Name: name, BinaryPath: exe, Args: args})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	testbed.CleanupService(t, name)
	if _, err := s.Save(context.Background(), winsvc.SaveOptions{}); err != nil {
		t.Fatalf("Save: %v", err)
	}
	return s, logPath
}

// wineUnsupported lists the settings Wine's SCM cannot read (docs/wine-scm.md §4).
var wineUnsupported = []winsvc.Field{
	winsvc.FieldFailureActions, winsvc.FieldDelayedAutoStart, winsvc.FieldFailureFlag, winsvc.FieldSIDType,
	winsvc.FieldRequiredPrivileges, winsvc.FieldTriggers, winsvc.FieldPreferredNode, winsvc.FieldLaunchProtected,
}

func TestCreateReadBack(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	name := testbed.UniqueName(t, "ws")
	group := testbed.UniqueName(t, "grp")
	testbed.CleanupService(t, name)
	def := winsvc.Definition{
		Name:               name,
		DisplayName:        "winsvc Test Ä Ö " + name,
		BinaryPath:         `C:\Program Files\winsvc test\svc.exe`,
		Args:               []string{"-flag", "quoted arg", `trailing\`},
		ServiceType:        winsvc.Win32OwnProcess,
		StartType:          winsvc.Ptr(winsvc.DemandStart),
		ErrorControl:       winsvc.Ptr(winsvc.ErrorSevere),
		LoadOrderGroup:     winsvc.Ptr(group),
		Dependencies:       []winsvc.Dependency{winsvc.ServiceDependency("RpcSs"), winsvc.GroupDependency("NetworkProvider")},
		ServiceStartName:   `NT AUTHORITY\LocalService`,
		Description:        winsvc.Ptr("created by TestCreateReadBack"),
		PreshutdownTimeout: winsvc.Ptr(12345 * time.Millisecond),
	}
	s, err := m.New(def)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Save(ctx, winsvc.SaveOptions{})
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	if !res.Plan.Create {
		t.Errorf("plan does not create: %v", res.Plan.String())
	}
	got, err := m.Load(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	c := got.Config()
	want := map[string][2]any{
		"displayName":      {c.DisplayName, def.DisplayName},
		"binaryPathName":   {c.BinaryPathName, `"C:\Program Files\winsvc test\svc.exe" -flag "quoted arg" trailing\`},
		"serviceType":      {c.ServiceType, winsvc.Win32OwnProcess},
		"startType":        {c.StartType, winsvc.DemandStart},
		"errorControl":     {c.ErrorControl, winsvc.ErrorSevere},
		"loadOrderGroup":   {c.LoadOrderGroup, group},
		"serviceStartName": {c.ServiceStartName, `NT AUTHORITY\LocalService`},
		"description":      {c.Description, "created by TestCreateReadBack"},
		"preshutdown":      {c.PreshutdownTimeout, 12345 * time.Millisecond},
	}
	for f, v := range want {
		if v[0] != v[1] {
			t.Errorf("%s = %v, want %v", f, v[0], v[1])
		}
	}
	if !slices.Equal(c.Dependencies, def.Dependencies) {
		t.Errorf("dependencies = %v, want %v", c.Dependencies, def.Dependencies)
	}
	exe, args := c.Executable()
	if exe != def.BinaryPath || !slices.Equal(args, def.Args) {
		t.Errorf("Executable() = %q %q, want %q %q", exe, args, def.BinaryPath, def.Args)
	}
	if testbed.IsWine() {
		for _, f := range wineUnsupported {
			if c.Available(f) {
				t.Errorf("%s reads as available under Wine", f)
			}
		}
		// The default SID type (a setting Wine cannot store) is skipped,
		// not faked, and the skip is reported.
		if len(res.Skipped) == 0 || res.Skipped[0].Kind != winsvc.StepKind(winsvc.FieldSIDType) {
			t.Errorf("Skipped = %+v, want the default SID type step", res.Skipped)
		}
		t.Logf("under Wine, unreadable settings: %v", c.Unavailable)
	} else {
		for _, f := range []winsvc.Field{winsvc.FieldDescription, winsvc.FieldFailureActions, winsvc.FieldDelayedAutoStart,
			winsvc.FieldFailureFlag, winsvc.FieldSIDType, winsvc.FieldRequiredPrivileges, winsvc.FieldPreshutdownTimeout} {
			if !c.Available(f) {
				t.Errorf("%s unavailable on Windows: %s", f, c.Unavailable[f])
			}
		}
		if c.SIDType != winsvc.SIDTypeUnrestricted {
			t.Errorf("sidType = %s, want the default SID_TYPE_UNRESTRICTED", c.SIDType)
		}
	}
}

func TestCreateDriver(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	name := testbed.UniqueName(t, "drv")
	testbed.CleanupService(t, name)
	s, err := m.New(winsvc.Definition{Name: name, BinaryPath: `system32\drivers\` + name + `.sys`,
		ServiceType: winsvc.KernelDriver, StartType: winsvc.Ptr(winsvc.SystemStart),
		LoadOrderGroup: winsvc.Ptr("winsvc test drivers"), RequestTag: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	c := s.Config()
	if c.ServiceType != winsvc.KernelDriver || c.StartType != winsvc.SystemStart || c.LoadOrderGroup != "winsvc test drivers" {
		t.Errorf("read back %s %s %q", c.ServiceType, c.StartType, c.LoadOrderGroup)
	}
	switch {
	case testbed.IsWine():
		t.Logf("tag requested; Wine assigns none (it stores the caller's initial value), TagID = %d", c.TagID)
	case c.TagID == 0:
		t.Error("a tag was requested in a group, but TagID is 0")
	}
	all, err := m.QueryAll(ctx, winsvc.QueryFilter{Types: winsvc.TypesDrivers})
	if err != nil {
		t.Fatal(err)
	}
	if !containsName(all, name) {
		t.Errorf("driver %s missing from QueryAll(drivers)", name)
	}
	win32, err := m.QueryAll(ctx, winsvc.QueryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if containsName(win32, name) {
		t.Errorf("driver %s listed among Win32 services", name)
	}
}

func containsName(list []winsvc.Status, name string) bool {
	for _, s := range list {
		if s.Name == name {
			return true
		}
	}
	return false
}

func TestUpdateOneField(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "normal")
	before := s.Config()

	s.Update(func(c *winsvc.Config) { c.Description = "changed" })
	plan, err := planOf(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Steps) != 1 || plan.Steps[0].Kind != winsvc.StepKind(winsvc.FieldDescription) {
		t.Fatalf("plan = %s, want only the description", plan.String())
	}
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	after, err := m.Load(ctx, s.Name())
	if err != nil {
		t.Fatal(err)
	}
	got := after.Config()
	if got.Description != "changed" {
		t.Errorf("description = %q", got.Description)
	}
	got.Description = before.Description
	if diff := winsvc.ComputePlan(before, got, nil, ""); !diff.Empty() {
		t.Errorf("other settings changed: %s", diff.String())
	}

	// "" deletes the description; an unchanged entity saves nothing.
	if err := after.Apply(winsvc.Definition{Description: winsvc.Ptr(""), StartType: winsvc.Ptr(winsvc.AutoStart)}); err != nil {
		t.Fatal(err)
	}
	if _, err := after.Save(ctx, winsvc.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if c := after.Config(); c.Description != "" || c.StartType != winsvc.AutoStart || c.BinaryPathName != before.BinaryPathName {
		t.Errorf("after Apply: description %q start %s binpath %q", c.Description, c.StartType, c.BinaryPathName)
	}
	if p, err := planOf(ctx, after); err != nil || !p.Empty() {
		t.Errorf("plan after save = %v, %v; want empty", p.String(), err)
	}
}

func TestNewOverExistingUpdates(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "normal")
	again, err := m.New(winsvc.Definition{Name: s.Name(), DisplayName: "renamed " + s.Name()})
	if err != nil {
		t.Fatal(err)
	}
	// CreateOnly refuses, as sc create does, and changes nothing.
	create, err := m.New(winsvc.Definition{Name: s.Name(), BinaryPath: testbed.ServiceExe(t), DisplayName: "renamed " + s.Name()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := create.Save(ctx, winsvc.SaveOptions{CreateOnly: true}); !errors.Is(err, winsvc.ErrExists) {
		t.Errorf("SaveWith(CreateOnly) over an existing service = %v, want ErrExists", err)
	}
	if fresh, err := m.Load(ctx, s.Name()); err != nil || fresh.Config().DisplayName != s.Config().DisplayName {
		t.Errorf("after the refused create: %v; display name must stay %q", err, s.Config().DisplayName)
	}
	res, err := again.Save(ctx, winsvc.SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.Create || len(res.Plan.Steps) != 1 {
		t.Errorf("plan = %s, want one update step", res.Plan.String())
	}
	if c := again.Config(); c.DisplayName != "renamed "+s.Name() || c.BinaryPathName != s.Config().BinaryPathName {
		t.Errorf("after save: %q %q", c.DisplayName, c.BinaryPathName)
	}
}

func TestCreateRollback(t *testing.T) {
	if !testbed.IsWine() {
		t.Skip("needs an SCM that rejects a config2 level (Wine rejects delayed auto-start with 124); " +
			"the executor's rollback is covered natively by execute_test.go")
	}
	ctx := context.Background()
	m := connect(t)
	name := testbed.UniqueName(t, "ws")
	testbed.CleanupService(t, name)
	s, err := m.New(winsvc.Definition{Name: name, BinaryPath: `C:\x.exe`, StartType: winsvc.Ptr(winsvc.AutoStart),
		DelayedAutoStart: winsvc.Ptr(true), Description: winsvc.Ptr("rolled back")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Save(ctx, winsvc.SaveOptions{})
	if !errors.Is(err, winsvc.ErrInvalidLevel) {
		t.Fatalf("Save = %v, want ERROR_INVALID_LEVEL", err)
	}
	if ok, err := existsOf(ctx, m, name); err != nil || ok {
		t.Errorf("after a failed create, Exists = %v, %v; want no service left behind", ok, err)
	}
}

func TestUpdateRollback(t *testing.T) {
	if !testbed.IsWine() {
		t.Skip("needs an SCM that rejects a config2 level (Wine rejects delayed auto-start with 124)")
	}
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "normal")
	orig := s.Config()
	s.Update(func(c *winsvc.Config) {
		c.DisplayName = "must be undone " + c.Name
		c.Description = "must be undone"
		c.StartType = winsvc.AutoStart
		c.DelayedAutoStart = true
	})
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); !errors.Is(err, winsvc.ErrInvalidLevel) {
		t.Fatalf("Save = %v, want ERROR_INVALID_LEVEL", err)
	}
	now, err := m.Load(ctx, s.Name())
	if err != nil {
		t.Fatal(err)
	}
	if diff := winsvc.ComputePlan(orig, now.Config(), nil, ""); !diff.Empty() {
		t.Errorf("rollback left changes: %s", diff.String())
	}
}

// TestSaveConflict checks what Save holds against others' changes: one to
// a setting it does not write is no conflict and stays (read in the
// registry); one to the setting it writes is ErrConflict, unless Force.
func TestSaveConflict(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "normal")
	other := func(fn func(c *winsvc.Config)) {
		t.Helper()
		o, err := m.Load(ctx, s.Name())
		if err != nil {
			t.Fatal(err)
		}
		o.Update(fn)
		if _, err := o.Save(ctx, winsvc.SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	other(func(c *winsvc.Config) { c.Description = "changed elsewhere" })
	s.Update(func(c *winsvc.Config) { c.DisplayName = "mine " + c.Name })
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); err != nil {
		t.Fatalf("Save after another's change to another setting: %v", err)
	}
	reg := testbed.ServiceRegistry(t, s.Name())
	if reg["DisplayName"] != "mine "+s.Name() || reg["Description"] != "changed elsewhere" {
		t.Errorf("registry: DisplayName %q, Description %q; want mine and the other's", reg["DisplayName"], reg["Description"])
	}
	other(func(c *winsvc.Config) { c.DisplayName = "theirs " + c.Name })
	s.Update(func(c *winsvc.Config) { c.DisplayName = "mine again " + c.Name })
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); !errors.Is(err, winsvc.ErrConflict) {
		t.Fatalf("Save after a concurrent change of the same setting = %v, want ErrConflict", err)
	}
	if got := testbed.ServiceRegistry(t, s.Name())["DisplayName"]; got != "theirs "+s.Name() {
		t.Errorf("the refused save wrote the display name: %q", got)
	}
	if _, err := s.Save(ctx, winsvc.SaveOptions{Force: true}); err != nil {
		t.Fatalf("forced Save: %v", err)
	}
	reg = testbed.ServiceRegistry(t, s.Name())
	if reg["DisplayName"] != "mine again "+s.Name() || reg["Description"] != "changed elsewhere" {
		t.Errorf("after forced save, registry: DisplayName %q, Description %q", reg["DisplayName"], reg["Description"])
	}
}

func TestValidationChangesNothing(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	name := testbed.UniqueName(t, "ws")
	bad := []struct {
		field string
		def   winsvc.Definition
	}{
		{"name", winsvc.Definition{Name: "a/b", BinaryPath: `C:\x.exe`}},
		{"startType", winsvc.Definition{Name: name, BinaryPath: `C:\x.exe`, StartType: winsvc.Ptr(winsvc.BootStart)}},
		{"delayedAutoStart", winsvc.Definition{Name: name, BinaryPath: `C:\x.exe`, DelayedAutoStart: winsvc.Ptr(true)}},
		{"errorControl", winsvc.Definition{Name: name, BinaryPath: `C:\x.exe`, ErrorControl: winsvc.Ptr(winsvc.ErrorCritical + 1)}}, // Win32 4: not an error control
		{"binaryPathName", winsvc.Definition{Name: name}},
		{"serviceType", winsvc.Definition{Name: name, BinaryPath: `C:\x.exe`, ServiceType: winsvc.InteractiveOwnProcess,
			ServiceStartName: `NT AUTHORITY\LocalService`}},
	}
	for _, b := range bad {
		s, err := m.New(b.def)
		if err == nil {
			_, err = s.Save(ctx, winsvc.SaveOptions{})
		}
		var ve *winsvc.ValidationError
		if !errors.As(err, &ve) || ve.Field != b.field {
			t.Errorf("%s: err = %v, want a validation error on that field", b.field, err)
		}
	}
	if ok, _ := existsOf(ctx, m, name); ok {
		t.Errorf("a rejected definition created %s", name)
	}
}

func TestExistsAndLookups(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "normal")
	if ok, err := existsOf(ctx, m, s.Name()); !ok || err != nil {
		t.Errorf("Exists = %v, %v", ok, err)
	}
	if ok, err := existsOf(ctx, m, "winsvc-no-such-service"); ok || err != nil {
		t.Errorf("Exists(missing) = %v, %v", ok, err)
	}
	if _, err := statusOf(ctx, m, "winsvc-no-such-service"); !errors.Is(err, winsvc.ErrNotFound) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Status(missing) = %v, want ErrNotFound and fs.ErrNotExist", err)
	}
	display := s.Config().DisplayName
	if got, err := m.DisplayName(ctx, s.Name()); got != display || err != nil {
		t.Errorf("DisplayName = %q, %v; want %q", got, err, display)
	}
	s.Update(func(c *winsvc.Config) { c.DisplayName = "Lookup " + c.Name })
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, err := m.KeyName(ctx, "Lookup "+s.Name()); got != s.Name() || err != nil {
		t.Errorf("KeyName = %q, %v", got, err)
	}
}

func TestQueryAllFilters(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	group := testbed.UniqueName(t, "grp")
	var names []string
	for i := 0; i < 2; i++ {
		s, _ := testService(t, m, "normal")
		if err := s.Apply(winsvc.Definition{LoadOrderGroup: winsvc.Ptr(group)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Save(ctx, winsvc.SaveOptions{}); err != nil {
			t.Fatal(err)
		}
		names = append(names, s.Name())
	}
	members, err := m.QueryAll(ctx, winsvc.QueryFilter{Group: &group})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range members {
		got = append(got, st.Name)
		if st.DisplayName == "" || st.State != winsvc.Stopped {
			t.Errorf("entry %+v", st)
		}
	}
	slices.Sort(got)
	slices.Sort(names)
	if !slices.Equal(got, names) {
		t.Errorf("group members = %v, want %v", got, names)
	}
	s, err := m.Load(ctx, names[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	active, err := m.QueryAll(ctx, winsvc.QueryFilter{Group: &group, States: winsvc.ActiveServices})
	if err != nil {
		t.Fatal(err)
	}
	if len(active) != 1 || active[0].Name != names[0] || active[0].State != winsvc.Running || active[0].ProcessID == 0 {
		t.Errorf("active members = %+v", active)
	}
	inactive, err := m.QueryAll(ctx, winsvc.QueryFilter{Group: &group, States: winsvc.InactiveServices})
	if err != nil || len(inactive) != 1 || inactive[0].Name != names[1] {
		t.Errorf("inactive members = %+v, %v", inactive, err)
	}
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestAccountsAndPasswords(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "normal")

	// Built-in accounts take no password: refused before any change.
	if _, err := s.Save(ctx, winsvc.SaveOptions{Password: "secret"}); !errors.Is(err, winsvc.ErrInvalid) {
		t.Errorf("password for LocalSystem: %v, want a validation error", err)
	}
	// Moving to a user account needs its password. Windows' SCM checks
	// that the account exists (not the password, until the service
	// starts), so use the current user's; Wine checks neither.
	user := `.\` + os.Getenv("USERNAME")
	if user == `.\` {
		t.Skip("USERNAME is not set: no user account to configure")
	}
	s.Update(func(c *winsvc.Config) { c.ServiceStartName = user })
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); !errors.Is(err, winsvc.ErrInvalid) {
		t.Errorf("user account without a password: %v, want a validation error", err)
	}
	res, err := s.Save(ctx, winsvc.SaveOptions{Password: "s3cret"})
	if err != nil {
		t.Fatalf("user account with a password: %v", err)
	}
	if got := s.Config().ServiceStartName; !strings.EqualFold(got, user) {
		t.Errorf("account = %q", got)
	}
	for _, st := range res.Plan.Steps {
		for _, c := range st.Changes {
			if c.Field == winsvc.FieldPassword && (c.From != "(hidden)" || c.To != "(hidden)") {
				t.Errorf("the plan shows a password: %+v", c)
			}
		}
	}
	// A password-only update is one ChangeServiceConfig step.
	plan := winsvc.ComputePlan(s.Config(), s.Config(), nil, "n3w")
	if len(plan.Steps) != 1 || plan.Steps[0].Changes[0].Field != winsvc.FieldPassword {
		t.Errorf("password-only plan = %s", plan.String())
	}
	if _, err := s.Save(ctx, winsvc.SaveOptions{Password: "n3w"}); err != nil {
		t.Errorf("password-only update: %v", err)
	}
	// Virtual accounts take no password, and need none.
	s.Update(func(c *winsvc.Config) { c.ServiceStartName = `NT SERVICE\` + c.Name })
	if _, err := s.Save(ctx, winsvc.SaveOptions{Password: "x"}); !errors.Is(err, winsvc.ErrInvalid) {
		t.Errorf("password for a virtual account: %v, want a validation error", err)
	}
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); err != nil {
		t.Errorf("virtual account: %v", err)
	}
}

// TestDisplayNameCollision checks that a display name taken by another
// service (as its key name or display name) is refused with 1078 and
// changes nothing; Wine's SCM does not check this, so winsvc does.
func TestDisplayNameCollision(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	a, _ := testService(t, m, "normal")
	b, _ := testService(t, m, "normal")
	if a.Name() == b.Name() {
		t.Fatal("two test services share a name")
	}
	a.Update(func(c *winsvc.Config) { c.DisplayName = c.Name + " shown" })
	if _, err := a.Save(ctx, winsvc.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, taken := range []string{a.Name(), a.Config().DisplayName} {
		b.Update(func(c *winsvc.Config) { c.DisplayName = taken })
		if _, err := b.Save(ctx, winsvc.SaveOptions{}); !errors.Is(err, winsvc.ErrDuplicateDisplayName) {
			t.Errorf("display name %q (taken by %s): %v, want ErrDuplicateDisplayName", taken, a.Name(), err)
		}
		if fresh, err := m.Load(ctx, b.Name()); err != nil || fresh.Config().DisplayName == taken {
			t.Errorf("after the refused save: %v, display name %q", err, fresh.Config().DisplayName)
		}
		if err := b.Reload(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// planOf is the plan Save would execute for s (a dry run).
func planOf(ctx context.Context, s *winsvc.Service) (winsvc.Plan, error) {
	r, err := s.Save(ctx, winsvc.SaveOptions{DryRun: true})
	if r == nil {
		return winsvc.Plan{}, err
	}
	return r.Plan, err
}

// statusOf and existsOf read service name's status and existence through
// an entity that reads nothing else.
func statusOf(ctx context.Context, m *winsvc.Manager, name string) (winsvc.Status, error) {
	s, err := m.Service(name)
	if err != nil {
		return winsvc.Status{}, err
	}
	return s.Status(ctx)
}

func existsOf(ctx context.Context, m *winsvc.Manager, name string) (bool, error) {
	s, err := m.Service(name)
	if err != nil {
		return false, err
	}
	return s.Exists(ctx)
}
