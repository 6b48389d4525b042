package winsvc

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"
)

// memOf is an SCM, behaving as Windows documents, holding services with
// the given configurations.
func memOf(configs ...*Config) *memSCM {
	f := newMemSCM(quirks{})
	for _, c := range configs {
		s := &memService{Name: c.Name, State: uint32(Stopped)}
		putCfg(s, c)
		f.Add(s)
	}
	return f
}

func memConfig(name string) *Config {
	c := defaultConfig(name)
	c.BinaryPathName = `C:\svc.exe`
	c.StartType = AutoStart
	c.Description = "old"
	return c
}

// TestSaveKeepsChangesOnUnloadedEntities checks that an entity made with
// Manager.Service or Manager.New for an installed service saves its
// definition and every later Update or Apply, and nothing else.
func TestSaveKeepsChangesOnUnloadedEntities(t *testing.T) {
	ctx := context.Background()
	scm := memOf(memConfig("Svc"))
	m := memManager(scm)

	s, err := m.Service("svc")
	if err != nil {
		t.Fatal(err)
	}
	s.Update(func(c *Config) { c.Description = "new" })
	if _, err := s.Save(ctx, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	got := cfgOf(scm.Service("SVC"))
	if got.Description != "new" || got.StartType != AutoStart || got.BinaryPathName != `C:\svc.exe` {
		t.Errorf("after Service+Update+Save: description %q, start %s, path %q; want new, AUTO_START, unchanged",
			got.Description, got.StartType, got.BinaryPathName)
	}

	n, err := m.New(Definition{Name: "Svc", DisplayName: "Shown"})
	if err != nil {
		t.Fatal(err)
	}
	n.Update(func(c *Config) { c.ErrorControl = ErrorSevere })
	if err := n.Apply(Definition{StartType: Ptr(DemandStart)}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.Save(ctx, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	got = cfgOf(scm.Service("SVC"))
	if got.DisplayName != "Shown" || got.ErrorControl != ErrorSevere || got.StartType != DemandStart || got.Description != "new" {
		t.Errorf("after New+Update+Apply+Save: %q %s %s %q; want Shown, ERROR_SEVERE, DEMAND_START, description kept",
			got.DisplayName, got.ErrorControl, got.StartType, got.Description)
	}
	if c := n.Config(); c.DisplayName != "Shown" || c.Description != "new" {
		t.Errorf("entity after Save: %q %q; want it to show what the SCM holds", c.DisplayName, c.Description)
	}

	// CreateOnly refuses an installed service and changes nothing.
	again, _ := m.New(Definition{Name: "svc", BinaryPath: `C:\other.exe`, Description: Ptr("other")})
	_, err = again.Save(ctx, SaveOptions{CreateOnly: true})
	if !errors.Is(err, ErrExists) || cfgOf(scm.Service("SVC")).Description != "new" {
		t.Errorf("CreateOnly over an installed service: %v, description %q", err, cfgOf(scm.Service("SVC")).Description)
	}
	// A new service is created with the defaults and the changes.
	fresh, _ := m.New(Definition{Name: "Other", BinaryPath: `C:\o.exe`})
	fresh.Update(func(c *Config) { c.Description = "made" })
	if _, err := fresh.Save(ctx, SaveOptions{}); err != nil || cfgOf(scm.Service("OTHER")).Description != "made" ||
		!strings.EqualFold(cfgOf(scm.Service("OTHER")).ServiceStartName, "LocalSystem") {
		t.Errorf("create: %v, %+v", err, cfgOf(scm.Service("OTHER")))
	}
}

// TestSaveRefusesTakenDisplayNames checks the 1078 rule Windows' SCM
// enforces (and Wine's does not): a display name may not be another
// service's key name or display name. A service keeps its own.
func TestSaveRefusesTakenDisplayNames(t *testing.T) {
	ctx := context.Background()
	a, b := memConfig("Alpha"), memConfig("Beta")
	a.DisplayName, b.DisplayName = "Alpha Service", "Beta Service"
	scm := memOf(a, b)
	m := memManager(scm)
	for _, taken := range []string{"alpha", "ALPHA SERVICE"} {
		s, _ := m.Load(ctx, "Beta")
		s.Update(func(c *Config) { c.DisplayName = taken })
		if _, err := s.Save(ctx, SaveOptions{}); !errors.Is(err, ErrDuplicateDisplayName) || cfgOf(scm.Service("BETA")).DisplayName != "Beta Service" {
			t.Errorf("display name %q: %v; want ErrDuplicateDisplayName and no change", taken, err)
		}
		n, _ := m.New(Definition{Name: "Gamma", BinaryPath: `C:\g.exe`, DisplayName: taken})
		if _, err := n.Save(ctx, SaveOptions{}); !errors.Is(err, ErrDuplicateDisplayName) || scm.Service("GAMMA") != nil {
			t.Errorf("create with display name %q: %v; want ErrDuplicateDisplayName and nothing created", taken, err)
		}
	}
	s, _ := m.Load(ctx, "Beta")
	s.Update(func(c *Config) { c.DisplayName = "beta service"; c.Description = "kept name, new case" })
	if _, err := s.Save(ctx, SaveOptions{}); err != nil {
		t.Errorf("re-casing its own display name: %v", err)
	}
}

// TestSaveRefusesDriverWin32Switch checks that a Win32 service cannot be
// turned into a driver (or back) by an update.
func TestSaveRefusesDriverWin32Switch(t *testing.T) {
	ctx := context.Background()
	scm := memOf(memConfig("Svc"))
	s, _ := (memManager(scm)).Load(ctx, "Svc")
	s.Update(func(c *Config) { c.ServiceType = KernelDriver; c.StartType = SystemStart })
	var ve *ValidationError
	if _, err := s.Save(ctx, SaveOptions{}); !errors.As(err, &ve) || ve.Field != string(FieldServiceType) || cfgOf(scm.Service("SVC")).ServiceType != Win32OwnProcess {
		t.Errorf("Win32 to driver: %v; want a serviceType validation error and no change", err)
	}
}

// denySCM refuses to open one service, as an SCM does for a caller without
// the rights.
type denySCM struct {
	*memSCM
	denied string
}

func (d denySCM) OpenService(name string, access uint32) (platformService, error) {
	if strings.EqualFold(name, d.denied) {
		return nil, Errno(5)
	}
	return d.memSCM.OpenService(name, access)
}

// TestAccessDeniedIsNeverNotFound checks that a service the caller may not
// open exists for Exists, and that Status reports access denied (matching
// fs.ErrPermission), not "not found".
func TestAccessDeniedIsNeverNotFound(t *testing.T) {
	ctx := context.Background()
	m := memManager(denySCM{memOf(memConfig("Locked")), "locked"})
	if ok, err := m.exists(ctx, "Locked"); !ok || err != nil {
		t.Errorf("Exists(denied) = %v, %v; want true", ok, err)
	}
	if ok, err := m.exists(ctx, "Missing"); ok || err != nil {
		t.Errorf("Exists(missing) = %v, %v; want false", ok, err)
	}
	_, err := m.status(ctx, "Locked")
	if !errors.Is(err, ErrAccessDenied) || !errors.Is(err, fs.ErrPermission) || errors.Is(err, ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Status(denied) = %v; want access denied, never not found", err)
	}
}

// noSCM panics on any call: validation must not reach the SCM.
type noSCM struct{ scmConn }

// TestValidationBeforeAnySCMCall checks that an invalid value fails Save
// before any SCM call, for a loaded entity and for a new one.
func TestValidationBeforeAnySCMCall(t *testing.T) {
	ctx := context.Background()
	m := &Manager{conn: noSCM{}}
	loaded := memConfig("Svc")
	s := &Service{m: m, name: "Svc", loaded: loaded, cur: loaded.Clone()}
	s.Update(func(c *Config) { c.PreshutdownTimeout = -1 })
	if _, err := s.Save(ctx, SaveOptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("loaded entity: %v, want a validation error", err)
	}
	n, err := m.New(Definition{Name: "New"})
	if err != nil {
		t.Fatal(err)
	}
	n.Update(func(c *Config) { c.RequiredPrivileges = []string{"SeNoSuchPrivilege"} })
	if _, err := n.Save(ctx, SaveOptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("new entity: %v, want a validation error", err)
	}
}

// TestAccessDeniedNamesTheRights checks that a refused open says which
// rights the operation asked for.
func TestAccessDeniedNamesTheRights(t *testing.T) {
	ctx := context.Background()
	m := memManager(denySCM{memOf(memConfig("Locked")), "locked"})
	s, _ := m.Service("Locked")
	err := s.Stop(ctx, NoWait())
	var e *Error
	if !errors.As(err, &e) || e.Needs == "" || !strings.Contains(err.Error(), "SERVICE_QUERY_STATUS") {
		t.Errorf("Stop = %v (needs %q); want an error naming the rights", err, e.Needs)
	}
	_, err = m.Load(ctx, "Locked")
	if !errors.As(err, &e) || e.Needs != "SERVICE_QUERY_CONFIG" {
		t.Errorf("Load = %v; want it to need SERVICE_QUERY_CONFIG", err)
	}
}

// CoreConfig reads what sc qc shows: the core configuration, and the
// delayed flag whatever the start type (one config2 query), so that it is
// what Load reads; nothing else. Where the SCM cannot report the flag, it
// is unavailable, as for Load.
func TestCoreConfigReadsDelayedAsLoad(t *testing.T) {
	ctx := context.Background()
	auto := svc("Auto", Stopped)
	setCfg(auto, func(c *Config) { c.StartType, c.DelayedAutoStart = AutoStart, true })
	for _, unsupported := range []bool{false, true} {
		scm := newMemSCM(quirks{}, auto, svc("Demand", Stopped))
		if unsupported {
			scm.Unsupported = map[uint32]bool{3: true} // SERVICE_CONFIG_DELAYED_AUTO_START_INFO, as on Wine
		}
		m := memManager(scm)
		for name, want := range map[string]bool{"Auto": true, "Demand": false} {
			scm.Reset()
			c, err := m.CoreConfig(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, op := range scm.Ops() {
				if strings.HasPrefix(op, "queryConfig2") {
					n++
				}
			}
			if n != 1 || c.Available(FieldDescription) {
				t.Errorf("%s: %d config2 queries (%v), want the delayed flag's alone", name, n, scm.Ops())
			}
			svc, err := m.Load(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			full := svc.Config()
			if c.Available(FieldDelayedAutoStart) != !unsupported || c.DelayedAutoStart != (want && !unsupported) ||
				c.Available(FieldDelayedAutoStart) != full.Available(FieldDelayedAutoStart) || c.DelayedAutoStart != full.DelayedAutoStart {
				t.Errorf("%s (unsupported %v): delayed %v (available %v); Load: %v (available %v)", name, unsupported,
					c.DelayedAutoStart, c.Available(FieldDelayedAutoStart), full.DelayedAutoStart, full.Available(FieldDelayedAutoStart))
			}
		}
	}
}

// On an SCM whose process creation fails now and then with
// ERROR_INTERNAL_ERROR (Wine's), Start calls StartService again, twice at
// most; elsewhere the error is returned as it is.
func TestStartRetriesInternalError(t *testing.T) {
	for _, tt := range []struct {
		flaky       bool
		failures    int
		wantStarts  int
		wantSuccess bool
	}{{true, 1, 2, true}, {true, 2, 3, true}, {true, 3, 3, false}, {false, 1, 1, false}} {
		scm := newMemSCM(quirks{ProcessStartFlaky: tt.flaky}, svc("S", Stopped))
		scm.Fail["start"] = errInternal
		starts := 0
		scm.OnCall = func(op string) {
			if op == "start" {
				if starts++; starts > tt.failures {
					delete(scm.Fail, "start")
				}
			}
		}
		s, _ := memManager(scm).Service("S")
		err := s.Start(context.Background())
		if (err == nil) != tt.wantSuccess || starts != tt.wantStarts || (err != nil && !errors.Is(err, errInternal)) {
			t.Errorf("%+v: Start = %v after %d StartService calls", tt, err, starts)
		}
	}
}

// A StartService that fails with ERROR_SERVICE_REQUEST_TIMEOUT (1053) at
// once means the service's process ended before it connected: Start
// reports 1067 with ErrProcessExited. One that fails after the SCM waited
// (here: longer than startAbortBound) stays 1053.
func TestStartReportsProcessThatEndedAtOnce(t *testing.T) {
	defer func(b time.Duration) { startAbortBound = b }(startAbortBound)
	startAbortBound = 50 * time.Millisecond
	for _, tt := range []struct {
		delay time.Duration
		code  Errno
	}{{0, errProcessAborted}, {100 * time.Millisecond, ErrRequestTimeout}} {
		scm := newMemSCM(quirks{}, svc("S", Stopped))
		scm.Fail["start"] = ErrRequestTimeout
		scm.OnCall = func(op string) {
			if op == "start" {
				time.Sleep(tt.delay)
			}
		}
		s, _ := memManager(scm).Service("S")
		err := s.Start(context.Background())
		var e *Error
		if !errors.As(err, &e) || e.Code != tt.code || e.Op != "start" || e.Service != "S" ||
			errors.Is(err, ErrProcessExited) != (tt.code == errProcessAborted) {
			t.Errorf("StartService failing with 1053 after %s: Start = %v; want code %d", tt.delay, err, tt.code)
		}
	}
}

// readOnlySCM refuses to open a service for anything but reading its
// configuration and status, as an SCM does for a caller without the right
// to change it.
type readOnlySCM struct{ *memSCM }

func (r readOnlySCM) OpenService(name string, access uint32) (platformService, error) {
	if access&^(accessQueryConfig|accessQueryStatus) != 0 {
		return nil, Errno(5)
	}
	return r.memSCM.OpenService(name, access)
}

// TestSaveByAReader checks Save for a caller who may read a service but
// not change it: a save with nothing to change succeeds, as a dry run
// does, and one with a change is refused naming SERVICE_CHANGE_CONFIG,
// changing nothing.
func TestSaveByAReader(t *testing.T) {
	ctx := context.Background()
	scm := memOf(memConfig("Svc"))
	m := memManager(readOnlySCM{scm})
	s, err := m.Load(ctx, "Svc")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, SaveOptions{}); err != nil {
		t.Errorf("a save that changes nothing, by a reader: %v", err)
	}
	s.Update(func(c *Config) { c.Description = "new" })
	if res, err := s.Save(ctx, SaveOptions{DryRun: true}); err != nil || res.Plan.Empty() {
		t.Errorf("a dry run by a reader: %v", err)
	}
	_, err = s.Save(ctx, SaveOptions{})
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrAccessDenied) || e.Needs != "SERVICE_CHANGE_CONFIG" || cfgOf(scm.Service("SVC")).Description != "old" {
		t.Errorf("a change by a reader: %v (needs %q); want access denied naming SERVICE_CHANGE_CONFIG, and no change", err, e.Needs)
	}
}
