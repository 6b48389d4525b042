package winsvc_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/testbed/badinput"
	"github.com/winsvc/winsvc/trigger"
	"github.com/winsvc/winsvc/winsvctest"
)

// The bad-input suite's library half: invalid definitions, each refused
// with an error that names the field at fault and the Win32 code the CLI
// exits with, before anything changes. TestBadDefinitions runs them
// against the in-memory SCM; badinput_windows_test.go runs them under
// Wine with a snapshot of every service read without winsvc.

// badEnv names the services the definitions refer to.
type badEnv struct {
	svc, display string // an installed service and its display name
	base, top    string // two installed services, top depending on base
	new          string // a name no service has
	exe          string // a program path to give
	// dir is a directory of the SCM's machine that Save can read, holding
	// a file named "a file"; "" where the SCM reads no files (in memory).
	dir string
}

// badDefinition is one invalid definition: created as a new service
// (update false), or applied to env.svc (update true), and saved.
type badDefinition struct {
	name     string
	update   bool
	def      winsvc.Definition
	mention  string       // text the error must contain: the field at fault, or what is wrong
	code     winsvc.Errno // the Win32 code: ErrInvalidParameter (87) for every validation error
	password string       // SaveOptions.Password
}

func badDefinitions(e badEnv) []badDefinition {
	exe, long := e.exe, strings.Repeat("x", 257)
	def := func(d winsvc.Definition) winsvc.Definition {
		if d.Name == "" {
			d.Name = e.new
		}
		if d.BinaryPath == "" && d.CommandLine == "" {
			d.BinaryPath = exe
		}
		return d
	}
	upd := func(d winsvc.Definition) winsvc.Definition { d.Name = e.svc; return d }
	const bad = winsvc.ErrInvalidParameter
	hosted := func(p host.Program) winsvc.Definition {
		return def(winsvc.Definition{CommandLine: host.CommandLine(exe, e.new), Program: &p})
	}
	out := []badDefinition{
		// names
		{"empty name", false, winsvc.Definition{BinaryPath: exe}, `invalid name ""`, bad, ""},
		{"backslash in name", false, def(winsvc.Definition{Name: `a\b`}), `name "a\\b"`, bad, ""},
		{"slash in name", false, def(winsvc.Definition{Name: "a/b"}), `name "a/b"`, bad, ""},
		{"name of 257 characters", false, def(winsvc.Definition{Name: long}), "256", bad, ""},
		{"name of 258 UTF-16 units", false, def(winsvc.Definition{Name: strings.Repeat("\U0001F600", 129)}), "UTF-16", bad, ""},
		{"display name of 257 characters", false, def(winsvc.Definition{DisplayName: long}), "displayName", bad, ""},
		{"display name of another service", false, def(winsvc.Definition{DisplayName: e.display}), "display name", winsvc.ErrDuplicateDisplayName, ""},
		{"name of an installed service (create only)", false, def(winsvc.Definition{Name: e.svc}), "exists", winsvc.ErrExists, ""},
		// the program
		{"no program", false, winsvc.Definition{Name: e.new}, "binaryPathName", bad, ""},
		{"unquoted path with spaces, end unclear", false, def(winsvc.Definition{CommandLine: `C:\Some Dir\svc arg`}), "quote the program", bad, ""},
		{"command line and program both", false, def(winsvc.Definition{CommandLine: exe + " -x", BinaryPath: exe}), "commandLine", bad, ""},
		{"program path in quotes", false, def(winsvc.Definition{BinaryPath: `"` + exe + `"`}), "without quotes", bad, ""},
		{"program path holding arguments", false, def(winsvc.Definition{BinaryPath: `C:\app\svc.exe --port 80`}), "looks like a command line", bad, ""},
		{"NUL in the program path", false, def(winsvc.Definition{BinaryPath: exe + "\x00x"}), "binaryPathName", bad, ""},
		{"NUL in an argument", false, def(winsvc.Definition{Args: []string{"a\x00b"}}), "args[0]", bad, ""},
		{"NUL in the command line", false, def(winsvc.Definition{CommandLine: exe + " a\x00b"}), "commandLine", bad, ""},
		{"unterminated quote", false, def(winsvc.Definition{CommandLine: `"C:\x.exe -x`}), "unterminated quote", bad, ""},
		// enums and combinations
		{"boot start for a service", false, def(winsvc.Definition{StartType: winsvc.Ptr(winsvc.BootStart)}), "startType", bad, ""},
		{"start type 5", false, def(winsvc.Definition{StartType: winsvc.Ptr(winsvc.StartType(5))}), `startType "0x5"`, bad, ""},
		{"error control 4", false, def(winsvc.Definition{ErrorControl: winsvc.Ptr(winsvc.ErrorControl(4))}), `errorControl "0x4"`, bad, ""},
		{"kernel and file system driver", false, def(winsvc.Definition{ServiceType: winsvc.KernelDriver | winsvc.FileSystemDriver}), "serviceType", bad, ""},
		{"interactive flag alone", false, def(winsvc.Definition{ServiceType: winsvc.InteractiveProcess}), "serviceType", bad, ""},
		{"interactive as a user", false, def(winsvc.Definition{ServiceType: winsvc.InteractiveOwnProcess, ServiceStartName: `NT AUTHORITY\LocalService`}), "LocalSystem", bad, ""},
		{"delayed demand start", false, def(winsvc.Definition{StartType: winsvc.Ptr(winsvc.DemandStart), DelayedAutoStart: winsvc.Ptr(true)}), "delayedAutoStart", bad, ""},
		{"delayed driver", false, def(winsvc.Definition{ServiceType: winsvc.KernelDriver, StartType: winsvc.Ptr(winsvc.AutoStart), DelayedAutoStart: winsvc.Ptr(true)}), "delayedAutoStart", bad, ""},
		{"delayed in a group", false, def(winsvc.Definition{StartType: winsvc.Ptr(winsvc.AutoStart), DelayedAutoStart: winsvc.Ptr(true), LoadOrderGroup: winsvc.Ptr("G")}), "delayedAutoStart", bad, ""},
		{"tag without a group", false, def(winsvc.Definition{RequestTag: true}), "tagId", bad, ""},
		{"user account without a password", false, def(winsvc.Definition{ServiceStartName: `.\someone`}), "password", bad, ""},
		// dependencies
		{"dependency with a backslash", false, def(winsvc.Definition{Dependencies: []winsvc.Dependency{winsvc.ServiceDependency(`a\b`)}}), "dependencies[0]", bad, ""},
		{"dependency name of 257 characters", false, def(winsvc.Definition{Dependencies: []winsvc.Dependency{winsvc.ServiceDependency(long)}}), "dependencies[0]", bad, ""},
		{"depends on itself", false, def(winsvc.Definition{Dependencies: []winsvc.Dependency{winsvc.ServiceDependency(e.new)}}), "cannot depend on itself", bad, ""},
		{"circular dependency", true, winsvc.Definition{Name: e.base, Dependencies: []winsvc.Dependency{winsvc.ServiceDependency(e.top)}}, "circular", winsvc.ErrCircularDependency, ""},
		{"circular dependency beside a group", true, winsvc.Definition{Name: e.base, Dependencies: []winsvc.Dependency{winsvc.GroupDependency("G"), winsvc.ServiceDependency(e.top)}}, "circular", winsvc.ErrCircularDependency, ""},
		// the optional settings
		{"NUL in the display name", false, def(winsvc.Definition{DisplayName: "a\x00b"}), "displayName", bad, ""},
		{"NUL in the group", false, def(winsvc.Definition{LoadOrderGroup: winsvc.Ptr("a\x00b")}), "loadOrderGroup", bad, ""},
		{"NUL in a dependency", false, def(winsvc.Definition{Dependencies: []winsvc.Dependency{winsvc.ServiceDependency("a\x00b")}}), "dependencies[0]", bad, ""},
		{"NUL in a privilege", false, def(winsvc.Definition{RequiredPrivileges: []string{"SeShutdownPrivilege\x00"}}), "requiredPrivileges[0]", bad, ""},
		{"NUL in trigger data", false, def(winsvc.Definition{Triggers: []trigger.Trigger{{Type: trigger.TypeNetworkEndpoint, Action: trigger.Start,
			Subtype: trigger.RPCInterfaceEvent, Data: []trigger.Data{{Type: trigger.DataString, Text: "a\x00b"}}}}}), "triggers[0].dataItems[0].string", bad, ""},
		{"NUL in the description", false, def(winsvc.Definition{Description: winsvc.Ptr("a\x00b")}), "description", bad, ""},
		{"NUL in the failure command", false, def(winsvc.Definition{FailureActions: &winsvc.FailureActions{Command: "a\x00b"}}), "failureActions.command", bad, ""},
		{"NUL in the reboot message", false, def(winsvc.Definition{FailureActions: &winsvc.FailureActions{RebootMessage: "a\x00b"}}), "failureActions.rebootMessage", bad, ""},
		{"NUL in the account", false, def(winsvc.Definition{ServiceStartName: ".\\u\x00x"}), "serviceStartName", bad, "pw"},
		{"NUL in the password", false, def(winsvc.Definition{ServiceStartName: `.\u`}), "password", bad, "p\x00w"},
		{"negative restart delay", false, def(winsvc.Definition{FailureActions: &winsvc.FailureActions{Actions: []winsvc.Action{winsvc.RestartAction(-time.Second)}}}), "failureActions.actions[0].delay", bad, ""},
		{"restart delay beyond a DWORD of ms", false, def(winsvc.Definition{FailureActions: &winsvc.FailureActions{Actions: []winsvc.Action{winsvc.RestartAction(50 * 24 * time.Hour)}}}), "failureActions.actions[0].delay", bad, ""},
		{"unknown failure action", false, def(winsvc.Definition{FailureActions: &winsvc.FailureActions{Actions: []winsvc.Action{{Type: winsvc.ActionType(7)}}}}), `failureActions.actions[0].type "0x7"`, bad, ""},
		{"reset period beyond a DWORD of s", false, def(winsvc.Definition{FailureActions: &winsvc.FailureActions{ResetPeriod: winsvc.ResetAfter(200 * 365 * 24 * time.Hour)}}), "resetPeriod", bad, ""},
		{"unknown privilege", false, def(winsvc.Definition{RequiredPrivileges: []string{"SeNotAPrivilege"}}), "requiredPrivileges", bad, ""},
		{"SID type 2", false, def(winsvc.Definition{SIDType: winsvc.Ptr(winsvc.SIDType(2))}), `sidType "0x2"`, bad, ""},
		{"negative preshutdown timeout", false, def(winsvc.Definition{PreshutdownTimeout: winsvc.Ptr(-time.Second)}), "preshutdownTimeout", bad, ""},
		{"reserved launch protection", false, def(winsvc.Definition{LaunchProtected: winsvc.Ptr(winsvc.LaunchProtectedWindows)}), "launchProtected", bad, ""},
		{"trigger without a type", false, def(winsvc.Definition{Triggers: []trigger.Trigger{{Action: trigger.Start}}}), "triggers", bad, ""},
		// updates of an installed service
		{"update: display name of another service", true, winsvc.Definition{Name: e.base, DisplayName: e.display}, "display name", winsvc.ErrDuplicateDisplayName, ""},
		{"update: system start", true, upd(winsvc.Definition{StartType: winsvc.Ptr(winsvc.SystemStart)}), "startType", bad, ""},
		{"update: NUL in the program path", true, upd(winsvc.Definition{BinaryPath: exe + "\x00x"}), "binaryPathName", bad, ""},
		{"update: NUL in the description", true, upd(winsvc.Definition{Description: winsvc.Ptr("a\x00b")}), "description", bad, ""},
		{"update: NUL in the group", true, upd(winsvc.Definition{LoadOrderGroup: winsvc.Ptr("a\x00b")}), "loadOrderGroup", bad, ""},
		{"update: unquoted path with spaces", true, upd(winsvc.Definition{CommandLine: `C:\Some Dir\tools\svc -x`}), "quote the program", bad, ""},
		{"update: user account without a password", true, upd(winsvc.Definition{ServiceStartName: `.\someone`}), "password", bad, ""},
		// the hosted program
		{"hosted program path relative", false, hosted(host.Program{Path: "app.exe"}), "program.path", bad, ""},
		{"hosted program path holding arguments", false, hosted(host.Program{Path: `C:\Program Files\app\app.exe --port 80`}), "program.path & looks like a command line", bad, ""},
		{"hosted program restart sometimes", false, hosted(host.Program{Path: exe, Restart: host.RestartPolicy{When: "sometimes"}}), "program.restart.when", bad, ""},
	}
	if e.dir == "" {
		return out
	}
	file := filepath.Join(e.dir, "a file")
	return append(out, []badDefinition{
		{"hosted program missing", false, hosted(host.Program{Path: filepath.Join(e.dir, "missing.exe")}), "program.path & does not exist", bad, ""},
		{"hosted working directory missing", false, hosted(host.Program{Path: exe, Dir: filepath.Join(e.dir, "nowhere")}), "program.workingDirectory", bad, ""},
		{"hosted output under a file", false, hosted(host.Program{Path: exe, Stdout: filepath.Join(file, "out.log")}), "program.stdout & cannot be written", bad, ""},
		{"update: hosted event log is a directory", true, upd(winsvc.Definition{Program: &host.Program{Path: exe, Log: e.dir}}), "program.log", bad, ""},
	}...)
}

// code is the Win32 code of err, as the CLI exits with it.
func code(err error) winsvc.Errno {
	var e *winsvc.Error
	var n winsvc.Errno
	switch {
	case errors.As(err, &e) && e.Code != 0:
		return e.Code
	case errors.Is(err, winsvc.ErrInvalid):
		return winsvc.ErrInvalidParameter
	case errors.As(err, &n):
		return n
	}
	return 0
}

// saveBad makes the entity of b, with a Definition (New, or Load and
// Apply), and saves it as a create (CreateOnly) or an update; it returns
// the first error.
func saveBad(ctx context.Context, m *winsvc.Manager, b badDefinition) error {
	var s *winsvc.Service
	var err error
	if b.update {
		if s, err = m.Load(ctx, b.def.Name); err == nil {
			err = s.Apply(b.def)
		}
	} else {
		s, err = m.New(b.def)
	}
	if err != nil {
		return err
	}
	_, err = s.Save(ctx, winsvc.SaveOptions{CreateOnly: !b.update, Password: b.password})
	return err
}

// checkBad reports what is wrong with err, the outcome of b.
func checkBad(t *testing.T, b badDefinition, err error) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("%s: saved; want an error naming %q", b.name, b.mention)
	case code(err) != b.code:
		t.Errorf("%s: %v: code %d, want %d", b.name, err, code(err), b.code)
	default:
		for _, m := range strings.Split(b.mention, " & ") {
			if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(m)) {
				t.Errorf("%s: %v does not mention %q", b.name, err, m)
			}
		}
	}
}

// TestBadDefinitions saves every invalid definition against the in-memory
// SCM: each fails as it should, and no service changes.
func TestBadDefinitions(t *testing.T) {
	ctx := context.Background()
	m := winsvctest.Connect()
	e := badEnv{svc: "Svc", display: "The Service", base: "Base", top: "Top", new: "New", exe: `C:\app\svc.exe`}
	for _, d := range []winsvc.Definition{
		{Name: e.svc, DisplayName: e.display, BinaryPath: e.exe}, {Name: e.base, BinaryPath: e.exe},
		{Name: e.top, BinaryPath: e.exe, Dependencies: []winsvc.Dependency{winsvc.ServiceDependency(e.base)}},
	} {
		s, err := m.New(d)
		if err == nil {
			_, err = s.Save(ctx, winsvc.SaveOptions{})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	before := badinput.MemorySnapshot(t, m)
	for _, b := range badDefinitions(e) {
		checkBad(t, b, saveBad(ctx, m, b))
		if after := badinput.MemorySnapshot(t, m); after != before {
			t.Errorf("%s changed the services:\n%s", b.name, badinput.DiffLines(before, after))
		}
	}
}
