//go:build windows

package winsvc

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/testbed"
)

// doctorService is serviceForTest with a restart on failure, so that a
// service Diagnose finds healthy is one: def's fields, when set, replace
// the defaults.
func doctorService(t *testing.T, m *Manager, def Definition, deps ...Dependency) *Service {
	t.Helper()
	s := serviceForTest(t, m, deps...)
	def.FailureActions = &FailureActions{ResetPeriod: ResetAfter(time.Hour), Actions: []Action{RestartAction(time.Minute)}}
	if err := s.Apply(def); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(context.Background(), SaveOptions{}); err != nil {
		t.Fatalf("Save %s: %v", s.Name(), err)
	}
	return s
}

// diagnoseOnly diagnoses name and wants exactly the findings of checks want
// (none for a healthy service), and checks that what could not be read is
// said so.
func diagnoseOnly(t *testing.T, m *Manager, name string, o DiagnoseOptions, want ...Check) *Diagnosis {
	t.Helper()
	d, err := m.Diagnose(context.Background(), name, o)
	if err != nil {
		t.Fatalf("Diagnose(%s): %v", name, err)
	}
	for _, n := range d.NotReadable {
		t.Logf("%s: not readable: %s: %s", name, n.Check, n.Reason)
		if !strings.HasPrefix(n.Reason, cannotReadHere+": ") {
			t.Errorf("not readable %+v without %q", n, cannotReadHere)
		}
	}
	for _, f := range d.Findings {
		t.Logf("%s: %s: %s | %s | fix: %s", name, f.Check, f.Message, f.Evidence, f.Fix)
	}
	if got := checksOf(d.Findings); !slices.Equal(got, append([]Check{}, want...)) {
		t.Fatalf("%s: findings %v, want %v", name, got, want)
	}
	return d
}

// One service per cause, each diagnosed under a real SCM with its finding
// alone; the cause is confirmed with x/sys and the registry.
func TestDiagnoseAgainstSCM(t *testing.T) {
	ctx := context.Background()
	m := scmForTest(t)
	exe := testbed.ServiceExe(t)

	t.Run("Healthy", func(t *testing.T) {
		s := doctorService(t, m, Definition{})
		d := diagnoseOnly(t, m, s.Name(), DiagnoseOptions{})
		for _, n := range d.NotReadable {
			if n.Check == CheckProgram || n.Check == CheckDependencies || n.Check == CheckStartType {
				t.Errorf("a local check not read: %+v", n)
			}
		}
	})

	t.Run("MissingProgram", func(t *testing.T) {
		missing := filepath.Join(filepath.Dir(exe), "no-such-dir", "missing.exe")
		if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%s: %v, want it missing", missing, err)
		}
		s := doctorService(t, m, Definition{BinaryPath: missing, Args: []string{}})
		d := diagnoseOnly(t, m, s.Name(), DiagnoseOptions{}, CheckProgram)
		if !strings.Contains(d.Findings[0].Evidence, missing) || !strings.Contains(d.Findings[0].Fix, "binPath=") {
			t.Errorf("finding %+v", d.Findings[0])
		}
	})

	t.Run("NotAnExecutable", func(t *testing.T) {
		script := filepath.Join(testbed.TempDir(t), "svc.exe")
		if err := os.WriteFile(script, []byte("#!/bin/sh\necho not a program\n"+strings.Repeat("#", 100)), 0o644); err != nil {
			t.Fatal(err)
		}
		s := doctorService(t, m, Definition{BinaryPath: script, Args: []string{}})
		d := diagnoseOnly(t, m, s.Name(), DiagnoseOptions{}, CheckProgram)
		if !strings.Contains(d.Findings[0].Evidence, "no MZ header") {
			t.Errorf("finding %+v", d.Findings[0])
		}
	})

	t.Run("UnquotedPath", func(t *testing.T) {
		// testsvc copied to a folder with a space, stored unquoted by a
		// raw CreateService (winsvc refuses to store it).
		dir := filepath.Join(testbed.TempDir(t), "my app")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(exe)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, "svc.exe"), b, 0o755)
		}
		if err != nil {
			t.Fatal(err)
		}
		name := testbed.UniqueName(t, "dq")
		cmdline := filepath.Join(dir, "svc.exe") + " -mode=normal"
		testbed.RawCreate(t, name, cmdline)
		s := mustLoad(t, m, name)
		s.Update(func(c *Config) {
			c.FailureActions = FailureActions{ResetPeriod: ResetAfter(time.Hour), Actions: []Action{RestartAction(time.Minute)}}
		})
		if _, err := s.Save(ctx, SaveOptions{}); err != nil {
			t.Fatalf("Save failure actions: %v", err)
		}
		if got := testbed.ServiceRegistry(t, name)["ImagePath"]; got != cmdline {
			t.Fatalf("ImagePath %q, want %q", got, cmdline)
		}
		d := diagnoseOnly(t, m, name, DiagnoseOptions{}, CheckUnquotedPath)
		if want := `"` + filepath.Join(dir, "svc.exe") + `" -mode=normal`; !strings.Contains(d.Findings[0].Fix, windows.EscapeArg(want)) {
			t.Errorf("fix %q, want it to store %s", d.Findings[0].Fix, want)
		}
	})

	t.Run("DisabledThreeDown", func(t *testing.T) {
		d3 := doctorService(t, m, Definition{StartType: Ptr(Disabled)})
		d2 := doctorService(t, m, Definition{}, ServiceDependency(d3.Name()))
		d1 := doctorService(t, m, Definition{}, ServiceDependency(d2.Name()))
		top := doctorService(t, m, Definition{}, ServiceDependency(d1.Name()))
		if got := testbed.ServiceRegistry(t, d3.Name())["Start"]; got != "4" {
			t.Fatalf("registry Start of %s = %q, want 4 (DISABLED)", d3.Name(), got)
		}
		d := diagnoseOnly(t, m, top.Name(), DiagnoseOptions{}, CheckDependencies)
		chain := strings.Join([]string{top.Name(), d1.Name(), d2.Name(), d3.Name()}, " -> ")
		if f := d.Findings[0]; !strings.Contains(f.Evidence, chain) || f.Fix != "winsvc config "+d3.Name()+" start= demand" {
			t.Errorf("finding %+v, want the chain %s", f, chain)
		}
		diagnoseOnly(t, m, d3.Name(), DiagnoseOptions{}, CheckStartType)
		// A diagnosis changes nothing: Wine's SCM deletes the dependencies
		// on a ChangeServiceConfig with NULL ones, which the marked-for-
		// deletion check must not send.
		for _, pair := range [][2]*Service{{top, d1}, {d1, d2}, {d2, d3}} {
			if got := testbed.ServiceRegistry(t, pair[0].Name())["DependOnService"]; got != "["+pair[1].Name()+"]" {
				t.Errorf("registry DependOnService of %s after the diagnosis = %q, want [%s]", pair[0].Name(), got, pair[1].Name())
			}
		}
	})

	t.Run("MissingDependency", func(t *testing.T) {
		base := doctorService(t, m, Definition{})
		ghost := testbed.UniqueName(t, "ghost")
		s := doctorService(t, m, Definition{}, ServiceDependency(base.Name()), ServiceDependency(ghost))
		if _, err := testbed.QueryStatusErr(ghost); err == nil {
			t.Fatalf("%s exists", ghost)
		}
		d := diagnoseOnly(t, m, s.Name(), DiagnoseOptions{}, CheckDependencies)
		if f := d.Findings[0]; !strings.Contains(f.Evidence, s.Name()+" -> "+ghost) || f.Fix != "winsvc config "+s.Name()+" depend= "+base.Name() {
			t.Errorf("finding %+v", f)
		}
	})

	t.Run("MarkedForDeletion", func(t *testing.T) {
		s := doctorService(t, m, Definition{})
		if err := s.Start(ctx); err != nil {
			t.Fatal(err)
		}
		testbed.HoldOpen(t, s.Name())
		testbed.RawDelete(t, s.Name())
		d := diagnoseOnly(t, m, s.Name(), DiagnoseOptions{}, CheckMarkedDelete)
		if f := d.Findings[0]; !strings.Contains(f.Evidence, "1072") || f.Fix != "winsvc stop "+s.Name() {
			t.Errorf("finding %+v", f)
		}
	})

	t.Run("ExitsAtOnce", func(t *testing.T) {
		s := doctorService(t, m, Definition{Args: []string{"-mode=failstart", "-code=42", "-delay=100ms", "-lifetime=60s"}})
		d := diagnoseOnly(t, m, s.Name(), DiagnoseOptions{TryStart: true}, CheckTryStart)
		if d.TryStart == nil || d.TryStart.Outcome != "stopped" {
			t.Fatalf("try-start %+v, want stopped", d.TryStart)
		}
		raw := testbed.QueryStatus(t, s.Name()) // x/sys alone
		if raw.Win32ExitCode != 1066 || raw.ServiceSpecificExitCode != 42 {
			t.Fatalf("x/sys reads exit codes %d/%d, want 1066/42", raw.Win32ExitCode, raw.ServiceSpecificExitCode)
		}
		if ev := d.Findings[0].Evidence; !strings.Contains(ev, "ERROR_SERVICE_SPECIFIC_ERROR (1066)") || !strings.Contains(ev, "serviceSpecificExitCode: 42") {
			t.Errorf("evidence %q", ev)
		}
		// Without --try-start, the last run's exit codes are the finding.
		diagnoseOnly(t, m, s.Name(), DiagnoseOptions{}, CheckExitCode)
	})

	t.Run("TryStartRuns", func(t *testing.T) {
		s := doctorService(t, m, Definition{})
		d := diagnoseOnly(t, m, s.Name(), DiagnoseOptions{TryStart: true})
		if d.TryStart == nil || d.TryStart.Outcome != "running" {
			t.Fatalf("try-start %+v, want running", d.TryStart)
		}
		if st := testbed.QueryStatus(t, s.Name()); st.State != windows.SERVICE_STOPPED {
			t.Errorf("state %d after try-start, want it stopped again", st.State)
		}
	})
}

// A hosted program (the service's command line is the program host's,
// PROGRAM host NAME, with Config.Program): a missing program and a missing
// working directory are each diagnosed alone; a missing log folder is not
// (the host makes it). The settings are confirmed in the registry's
// Parameters key, the paths with os.Stat.
func TestDiagnoseHostedAgainstSCM(t *testing.T) {
	m := scmForTest(t)
	exe := testbed.ServiceExe(t) // a Windows executable: the service's binary and, when asked, the hosted program
	dir := testbed.TempDir(t)
	missing := func(p string) string {
		t.Helper()
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%s: %v, want it missing", p, err)
		}
		return p
	}
	// hosted saves a service hosting p, then runs breakIt (if any): Save
	// refuses a missing program or directory, so a broken service is one
	// whose files went away after it was saved.
	hosted := func(t *testing.T, p host.Program, breakIt func()) string {
		t.Helper()
		s := doctorService(t, m, Definition{})
		if err := s.Apply(Definition{BinaryPath: exe, Args: []string{"host", s.Name()}, Program: &p}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Save(context.Background(), SaveOptions{}); err != nil {
			t.Fatalf("Save %s: %v", s.Name(), err)
		}
		k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+s.Name()+`\Parameters`, registry.QUERY_VALUE)
		if err != nil {
			t.Fatalf("the Parameters key: %v", err)
		}
		defer k.Close()
		for value, want := range map[string]string{host.ValuePath: p.Path, host.ValueDir: p.Dir, host.ValueStdout: p.Stdout} {
			if got, _, err := k.GetStringValue(value); want != "" && (err != nil || got != want) {
				t.Fatalf("registry %s = %q, %v; want %q", value, got, err, want)
			}
		}
		if breakIt != nil {
			breakIt()
		}
		return s.Name()
	}
	out := filepath.Join(dir, "logs", "not-yet", "out.log") // its folders are made by the host
	missing(filepath.Dir(out))

	t.Run("Healthy", func(t *testing.T) {
		name := hosted(t, host.Program{Path: exe, Dir: dir, Stdout: out}, nil)
		d := diagnoseOnly(t, m, name, DiagnoseOptions{})
		for _, n := range d.NotReadable {
			if slices.Contains(hostedChecks, n.Check) {
				t.Errorf("a hosted check not read on the local machine: %+v", n)
			}
		}
	})
	t.Run("MissingProgram", func(t *testing.T) {
		prog := filepath.Join(dir, "gone-dir", "app.exe")
		if err := os.MkdirAll(filepath.Dir(prog), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(prog, []byte("MZ"), 0o644); err != nil {
			t.Fatal(err)
		}
		name := hosted(t, host.Program{Path: prog, Stdout: out}, func() {
			// One by one: os.RemoveAll fails under Wine (unlinkat).
			for _, p := range []string{prog, filepath.Dir(prog)} {
				if err := os.Remove(p); err != nil {
					t.Fatal(err)
				}
			}
			missing(prog)
		})
		d := diagnoseOnly(t, m, name, DiagnoseOptions{}, CheckHostedProgram)
		if f := d.Findings[0]; !strings.Contains(f.Evidence, prog) || f.Fix != "winsvc config "+name+" --program PATH" {
			t.Errorf("finding %+v", f)
		}
	})
	t.Run("MissingWorkingDirectory", func(t *testing.T) {
		wd := filepath.Join(dir, "gone-wd")
		if err := os.Mkdir(wd, 0o755); err != nil {
			t.Fatal(err)
		}
		name := hosted(t, host.Program{Path: exe, Dir: wd, Stdout: out}, func() {
			if err := os.Remove(wd); err != nil {
				t.Fatal(err)
			}
			missing(wd)
		})
		d := diagnoseOnly(t, m, name, DiagnoseOptions{}, CheckHostedDir)
		if f := d.Findings[0]; !strings.Contains(f.Evidence, wd) || f.Fix != "winsvc config "+name+" --dir DIR" {
			t.Errorf("finding %+v", f)
		}
	})
	t.Run("OutputIsADirectory", func(t *testing.T) {
		file := filepath.Join(dir, "became-a-dir.log")
		name := hosted(t, host.Program{Path: exe, Stdout: file}, func() {
			if err := os.Mkdir(file, 0o755); err != nil {
				t.Fatal(err)
			}
		})
		d := diagnoseOnly(t, m, name, DiagnoseOptions{}, CheckHostedLogs)
		if f := d.Findings[0]; f.Fix != "winsvc config "+name+" --stdout FILE" {
			t.Errorf("finding %+v", f)
		}
	})
}

// A user account's logon right: Wine's LSA reports no rights for any SID
// (not even BUILTIN\Administrators), so the check says it cannot be read
// here rather than report a missing right. The account itself is looked up.
func TestDiagnoseLogonRightAgainstSCM(t *testing.T) {
	m := scmForTest(t)
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		t.Fatal(err)
	}
	account, domain, _, err := user.User.Sid.LookupAccount("")
	if err != nil {
		t.Fatalf("LookupAccountSid: %v", err)
	}
	p := m.hostProbe()
	rights, err := p.AccountRights(user.User.Sid.String())
	switch {
	case testbed.IsWine() && !errors.Is(err, errNotHere):
		t.Fatalf("under Wine, accountRights = %v, %v; want cannot be read here", rights, err)
	case !testbed.IsWine() && err != nil:
		t.Fatalf("accountRights: %v", err)
	}
	t.Logf("rights of %s\\%s: %v, %v", domain, account, rights, err)

	s := doctorService(t, m, Definition{})
	s.Update(func(c *Config) { c.ServiceStartName = domain + `\` + account })
	if _, err := s.Save(context.Background(), SaveOptions{Password: "not-a-real-password"}); err != nil {
		t.Skipf("this SCM does not take %s\\%s as the account: %v", domain, account, err)
	}
	d := diagnoseOnly(t, m, s.Name(), DiagnoseOptions{})
	if testbed.IsWine() {
		i := slices.IndexFunc(d.NotReadable, func(n NotReadable) bool { return n.Check == CheckLogonRight })
		if i < 0 {
			t.Fatalf("logon-right not reported unreadable under Wine: %+v", d.NotReadable)
		}
	}
}
