package winsvc

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestDefaults(t *testing.T) {
	c := defaultConfig("Foo")
	want := Config{
		Name: "Foo", DisplayName: "Foo", ServiceType: Win32OwnProcess, StartType: DemandStart,
		ErrorControl: ErrorNormal, ServiceStartName: "LocalSystem", SIDType: SIDTypeUnrestricted,
		PreshutdownTimeout: 180000 * time.Millisecond,
	}
	if p := ComputePlan(&want, c, nil, ""); !p.Empty() || c.TagID != 0 || c.LoadOrderGroup != "" {
		t.Errorf("defaultConfig = %+v; want %+v", c, want)
	}
	// pywinservicemanager's defaults, spelled out.
	checks := []struct {
		name string
		ok   bool
	}{
		{"DEMAND_START", c.StartType.String() == "DEMAND_START"},
		{"WIN32_OWN_PROCESS", c.ServiceType.String() == "WIN32_OWN_PROCESS"},
		{"ERROR_NORMAL", c.ErrorControl.String() == "ERROR_NORMAL"},
		{"LocalSystem", c.ServiceStartName == "LocalSystem"},
		{"empty description", c.Description == ""},
		{"no failure actions", c.FailureActions.Empty() && c.FailureActions.ResetPeriod == 0},
		{"failure flag false", !c.FailureActionsOnNonCrashFailures},
		{"preshutdown 180000 ms", c.PreshutdownTimeout.Milliseconds() == 180000},
		{"SID_TYPE_UNRESTRICTED", c.SIDType.String() == "SID_TYPE_UNRESTRICTED"},
		{"delayed false", !c.DelayedAutoStart},
		{"display name = name", c.DisplayName == "Foo"},
		{"no dependencies", len(c.Dependencies) == 0},
		{"no privileges", len(c.RequiredPrivileges) == 0},
		{"all available", len(c.Unavailable) == 0},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("default %s: not so in %+v", ch.name, c)
		}
	}
	if defaultPreshutdownTimeout != 180*time.Second || defaultStartType != DemandStart || defaultServiceType != Win32OwnProcess ||
		defaultErrorControl != ErrorNormal || defaultServiceStartName != "LocalSystem" || defaultSIDType != SIDTypeUnrestricted {
		t.Error("exported defaults differ from pywinservicemanager's")
	}
}

func TestPtr(t *testing.T) {
	p := Ptr("x")
	if p == nil || *p != "x" {
		t.Errorf("Ptr(x) = %v", p)
	}
	if a, b := Ptr(1), Ptr(1); a == b {
		t.Error("Ptr returns the same pointer twice")
	}
}

func TestApplyToSetsOnlySetFields(t *testing.T) {
	tests := []struct {
		name  string
		def   Definition
		field Field
		check func(c *Config) bool
	}{
		{"display name", Definition{DisplayName: "Nice"}, FieldDisplayName, func(c *Config) bool { return c.DisplayName == "Nice" }},
		{"binary path quoted", Definition{BinaryPath: `C:\a b\s.exe`, Args: []string{"-x", "y z"}}, FieldBinaryPath,
			func(c *Config) bool { return c.BinaryPathName == `"C:\a b\s.exe" -x "y z"` }},
		{"service type", Definition{ServiceType: Win32ShareProcess}, FieldServiceType, func(c *Config) bool { return c.ServiceType == Win32ShareProcess }},
		{"start type", Definition{StartType: Ptr(AutoStart)}, FieldStartType, func(c *Config) bool { return c.StartType == AutoStart }},
		{"delayed true", Definition{DelayedAutoStart: Ptr(true)}, FieldDelayedAutoStart, func(c *Config) bool { return c.DelayedAutoStart }},
		{"delayed false", Definition{DelayedAutoStart: Ptr(false)}, FieldDelayedAutoStart, func(c *Config) bool { return !c.DelayedAutoStart }},
		{"error control", Definition{ErrorControl: Ptr(ErrorCritical)}, FieldErrorControl, func(c *Config) bool { return c.ErrorControl == ErrorCritical }},
		{"group", Definition{LoadOrderGroup: Ptr("G")}, FieldLoadOrderGroup, func(c *Config) bool { return c.LoadOrderGroup == "G" }},
		{"group cleared", Definition{LoadOrderGroup: Ptr("")}, FieldLoadOrderGroup, func(c *Config) bool { return c.LoadOrderGroup == "" }},
		{"dependencies", Definition{Dependencies: []Dependency{GroupDependency("G")}}, FieldDependencies,
			func(c *Config) bool { return slices.Equal(c.Dependencies, []Dependency{GroupDependency("G")}) }},
		{"dependencies cleared", Definition{Dependencies: []Dependency{}}, FieldDependencies, func(c *Config) bool { return len(c.Dependencies) == 0 }},
		{"account", Definition{ServiceStartName: `NT SERVICE\Foo`}, FieldServiceStartName, func(c *Config) bool { return c.ServiceStartName == `NT SERVICE\Foo` }},
		{"description", Definition{Description: Ptr("d")}, FieldDescription, func(c *Config) bool { return c.Description == "d" }},
		{"description cleared", Definition{Description: Ptr("")}, FieldDescription, func(c *Config) bool { return c.Description == "" }},
		{"failure actions", Definition{FailureActions: &FailureActions{Actions: []Action{RestartAction(time.Second)}}}, FieldFailureActions,
			func(c *Config) bool { return len(c.FailureActions.Actions) == 1 }},
		{"failure actions cleared", Definition{FailureActions: NoFailureActions()}, FieldFailureActions, func(c *Config) bool { return c.FailureActions.Empty() }},
		{"failure flag", Definition{FailureActionsOnNonCrashFailures: Ptr(true)}, FieldFailureFlag, func(c *Config) bool { return c.FailureActionsOnNonCrashFailures }},
		{"sid type", Definition{SIDType: Ptr(SIDTypeNone)}, FieldSIDType, func(c *Config) bool { return c.SIDType == SIDTypeNone }},
		{"privileges", Definition{RequiredPrivileges: []string{"SeShutdownPrivilege"}}, FieldRequiredPrivileges,
			func(c *Config) bool { return slices.Equal(c.RequiredPrivileges, []string{"SeShutdownPrivilege"}) }},
		{"preshutdown", Definition{PreshutdownTimeout: Ptr(time.Minute)}, FieldPreshutdownTimeout, func(c *Config) bool { return c.PreshutdownTimeout == time.Minute }},
		{"preferred node", Definition{PreferredNode: &PreferredNode{Node: 1, Set: true}}, FieldPreferredNode, func(c *Config) bool { return c.PreferredNode.Set }},
		{"launch protected", Definition{LaunchProtected: Ptr(LaunchProtectedWindows)}, FieldLaunchProtected, func(c *Config) bool { return c.LaunchProtected == LaunchProtectedWindows }},
	}
	for _, tt := range tests {
		c := fullConfig()
		c.markUnavailable(tt.field, errors.New("was unreadable"))
		before := c.Clone()
		set := tt.def.applyTo(c)
		if len(set) != 1 || !set[tt.field] {
			t.Errorf("%s: applyTo reported %v; want only %s", tt.name, set, tt.field)
		}
		if !tt.check(c) {
			t.Errorf("%s: field not applied: %+v", tt.name, c)
		}
		if !c.Available(tt.field) {
			t.Errorf("%s: a field set by the definition is still unavailable", tt.name)
		}
		// Nothing else changed.
		for _, st := range ComputePlan(before, c, nil, "").Steps {
			for _, ch := range st.Changes {
				if ch.Field != tt.field {
					t.Errorf("%s: applyTo also changed %s (%s -> %s)", tt.name, ch.Field, ch.From, ch.To)
				}
			}
		}
	}
}

func TestApplyToEmptyDefinitionChangesNothing(t *testing.T) {
	c := fullConfig()
	before := c.Clone()
	if set := (&Definition{Name: "MySvc"}).applyTo(c); len(set) != 0 {
		t.Errorf("empty definition set %v", set)
	}
	if p := ComputePlan(before, c, nil, ""); !p.Empty() {
		t.Errorf("empty definition changed: %v", p.String())
	}
}

func TestApplyToCopies(t *testing.T) {
	def := Definition{
		Dependencies:       []Dependency{ServiceDependency("a")},
		RequiredPrivileges: []string{"SeShutdownPrivilege"},
		FailureActions:     &FailureActions{Actions: []Action{RestartAction(time.Second)}},
	}
	c := defaultConfig("x")
	def.applyTo(c)
	def.Dependencies[0].Name = "changed"
	def.RequiredPrivileges[0] = "changed"
	def.FailureActions.Actions[0].Delay = 0
	if c.Dependencies[0].Name != "a" || c.RequiredPrivileges[0] != "SeShutdownPrivilege" || c.FailureActions.Actions[0].Delay != time.Second {
		t.Error("applyTo shares the definition's slices")
	}
}

func TestConfigDefinitionRoundTrip(t *testing.T) {
	// As read from the SCM: a binary path and every setting present.
	defaults := defaultConfig("Plain")
	defaults.BinaryPathName = `C:\plain.exe`
	defaults.LaunchProtected = LaunchProtectedNone
	configs := map[string]*Config{"full": fullConfig(), "defaults": defaults}
	withGroup := fullConfig()
	withGroup.DelayedAutoStart = false
	withGroup.LoadOrderGroup = "NetworkProvider"
	withGroup.BinaryPathName = `C:\svc.exe`
	configs["group"] = withGroup
	for name, c := range configs {
		d := c.Definition()
		if err := d.Validate(); err != nil {
			t.Errorf("%s: Definition() does not validate: %v", name, err)
		}
		if d.Name != c.Name || d.DisplayName != c.DisplayName {
			t.Errorf("%s: names %q/%q", name, d.Name, d.DisplayName)
		}
		back := defaultConfig(d.Name)
		d.applyTo(back)
		back.TagID = c.TagID // the SCM assigns tags
		if p := ComputePlan(c, back, nil, ""); !p.Empty() {
			t.Errorf("%s: Definition() does not recreate the config:\n%s", name, p.String())
		}
		// Applied over a different service, it makes it the same.
		other := fullConfig()
		other.Name = d.Name
		other.DisplayName = "Other"
		other.StartType = Disabled
		other.Description = "other"
		other.Dependencies = nil
		d.applyTo(other)
		other.TagID = c.TagID
		if p := ComputePlan(c, other, nil, ""); !p.Empty() {
			t.Errorf("%s: Definition() applied over another config leaves differences:\n%s", name, p.String())
		}
	}
}

func TestConfigDefinitionLeavesUnavailableUnset(t *testing.T) {
	c := fullConfig()
	c.PreferredNode = PreferredNode{Node: 1, Set: true}
	full := c.Definition()
	if full.DelayedAutoStart == nil || full.Description == nil || full.FailureActions == nil || full.FailureActionsOnNonCrashFailures == nil ||
		full.SIDType == nil || full.RequiredPrivileges == nil || full.PreshutdownTimeout == nil || full.Triggers == nil ||
		full.PreferredNode == nil || full.LaunchProtected == nil || full.Dependencies == nil {
		t.Fatalf("a readable setting is unset in %+v", full)
	}
	for _, f := range []Field{FieldDelayedAutoStart, FieldDescription, FieldFailureActions, FieldFailureFlag, FieldSIDType,
		FieldRequiredPrivileges, FieldPreshutdownTimeout, FieldTriggers, FieldPreferredNode, FieldLaunchProtected, FieldDependencies} {
		c.markUnavailable(f, errors.New("unsupported"))
	}
	d := c.Definition()
	if d.DelayedAutoStart != nil || d.Description != nil || d.FailureActions != nil || d.FailureActionsOnNonCrashFailures != nil ||
		d.SIDType != nil || d.RequiredPrivileges != nil || d.PreshutdownTimeout != nil || d.Triggers != nil ||
		d.PreferredNode != nil || d.LaunchProtected != nil || d.Dependencies != nil {
		t.Errorf("an unavailable setting is set in %+v", d)
	}
	// Applied to the service it came from, it changes nothing.
	loaded := c.Clone()
	if set := d.applyTo(c); set[FieldDescription] || set[FieldSIDType] {
		t.Errorf("applyTo set unavailable settings: %v", set)
	}
	if p := ComputePlan(loaded, c, nil, ""); !p.Empty() {
		t.Errorf("plan:\n%s", p.String())
	}
}

func TestConfigDefinitionCopies(t *testing.T) {
	c := fullConfig()
	d := c.Definition()
	d.Dependencies[0].Name = "changed"
	d.RequiredPrivileges[0] = "changed"
	d.FailureActions.Actions[0].Delay = 0
	if c.Dependencies[0].Name != "Tcpip" || c.RequiredPrivileges[0] != "SeChangeNotifyPrivilege" || c.FailureActions.Actions[0].Delay != 5*time.Second {
		t.Error("Definition shares the config's slices")
	}
}

// TestBinaryPathRoundTripAndArgs checks that a stored command line whose
// quoting differs from winsvc's own spelling survives a Definition round
// trip unchanged, that setting only Args keeps the program, and that the
// same program and arguments count as no change.
func TestBinaryPathRoundTripAndArgs(t *testing.T) {
	stored := `"C:\svc\run.exe"   -a "x y"`
	c := defaultConfig("Q")
	c.BinaryPathName = stored
	back := c.Clone()
	d := c.Definition()
	d.applyTo(back)
	if back.BinaryPathName != stored {
		t.Errorf("round trip rewrote %q as %q", stored, back.BinaryPathName)
	}

	args := c.Clone()
	(&Definition{Args: []string{"-b", "two words"}}).applyTo(args)
	if want := `C:\svc\run.exe -b "two words"`; args.BinaryPathName != want {
		t.Errorf("Args alone: %q, want %q", args.BinaryPathName, want)
	}
	none := c.Clone()
	(&Definition{Args: []string{}}).applyTo(none)
	if want := `C:\svc\run.exe`; none.BinaryPathName != want {
		t.Errorf("empty Args: %q, want %q", none.BinaryPathName, want)
	}
	path := c.Clone()
	(&Definition{BinaryPath: `C:\Program Files\svc\run.exe`}).applyTo(path)
	if want := `"C:\Program Files\svc\run.exe"`; path.BinaryPathName != want {
		t.Errorf("BinaryPath alone: %q, want %q (no arguments)", path.BinaryPathName, want)
	}
	// A command line from JSON is written as it was given, on a change and
	// on a create: quotes around a path without spaces (one that holds an
	// environment variable, say) and arguments quoted otherwise are kept.
	for _, given := range []string{`"%TEST_SERVICE_PATH%\test.exe"`, `"C:\svc\run.exe" -k "a b"`,
		`C:\svc\run.exe "-k" x`, `"C:\Program Files\svc\run.exe" -a`} {
		var d Definition
		if err := json.Unmarshal([]byte(`{"name":"Q","binaryPathName":`+strconv.Quote(given)+`}`), &d); err != nil {
			t.Fatal(err)
		}
		changed := c.Clone()
		d.applyTo(changed)
		created := defaultConfig("Q")
		d.applyTo(created)
		if changed.BinaryPathName != given || created.BinaryPathName != given {
			t.Errorf("command line %s written as %s (change) and %s (create)", given, changed.BinaryPathName, created.BinaryPathName)
		}
	}
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{`C:\x.exe -a`, `"C:\x.exe" -a`, true},
		{`C:\X.EXE -a`, `c:\x.exe -a`, true},
		{`C:\x.exe -a`, `C:\x.exe -A`, false},
		{`C:\x.exe -a`, `C:\x.exe`, false},
		{`C:\Program Files\x.exe`, `"C:\Program Files\x.exe"`, false}, // unquoted runs C:\Program
	} {
		if got := sameCommandLine(tc.a, tc.b); got != tc.same {
			t.Errorf("sameCommandLine(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}

// TestDefinitionEnumUnsetAndZero: a Definition's enum pointer left nil
// leaves the setting as it is on update, while a pointer to a Win32 0
// (BOOT_START, ERROR_IGNORE) is a value like any other: written when
// allowed, refused with the field and the allowed values when not.
func TestDefinitionEnumUnsetAndZero(t *testing.T) {
	ctx := context.Background()
	drv := memConfig("Drv")
	drv.ServiceType, drv.StartType = KernelDriver, SystemStart
	scm := memOf(memConfig("Svc"), drv)
	m := memManager(scm)

	s, err := m.Load(ctx, "Svc")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(Definition{Description: Ptr("new")}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Save(ctx, SaveOptions{})
	if err != nil || !slices.Equal(res.Plan.Fields(), []Field{FieldDescription}) {
		t.Fatalf("nil StartType: plan %v, %v; want the description alone", res.Plan.Fields(), err)
	}
	if got := cfgOf(scm.Service("SVC")); got.StartType != AutoStart || got.ErrorControl != ErrorNormal {
		t.Errorf("nil StartType and ErrorControl changed the service: %s, %s", got.StartType, got.ErrorControl)
	}

	// BOOT_START on a service: refused, naming the field and the values
	// a service may have; nothing is written.
	if err := s.Apply(Definition{StartType: Ptr(BootStart)}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Save(ctx, SaveOptions{})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != string(FieldStartType) || !slices.Equal(ve.Allowed, []string{"AUTO_START", "DEMAND_START", "DISABLED"}) {
		t.Errorf("BOOT_START on a service: %v; want a startType error allowing AUTO_START, DEMAND_START, DISABLED", err)
	}
	if got := cfgOf(scm.Service("SVC")).StartType; got != AutoStart {
		t.Errorf("a refused save wrote start type %s", got)
	}

	// On a driver, BOOT_START and ERROR_IGNORE are written.
	d, err := m.Load(ctx, "Drv")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Apply(Definition{StartType: Ptr(BootStart), ErrorControl: Ptr(ErrorIgnore)}); err != nil {
		t.Fatal(err)
	}
	res, err = d.Save(ctx, SaveOptions{})
	if err != nil || !slices.Equal(res.Plan.Fields(), []Field{FieldStartType, FieldErrorControl}) {
		t.Fatalf("BOOT_START on a driver: plan %v, %v", res.Plan.Fields(), err)
	}
	if got := cfgOf(scm.Service("DRV")); got.StartType != BootStart || got.ErrorControl != ErrorIgnore {
		t.Errorf("driver after save: %s, %s; want BOOT_START, ERROR_IGNORE", got.StartType, got.ErrorControl)
	}
}
