package testbed_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/mgr"

	"github.com/winsvc/winsvc/internal/testbed"
	"github.com/winsvc/winsvc/internal/testbed/svclog"
)

// These tests are the test bed's own self-test: they drive testsvc through
// golang.org/x/sys/windows/svc/mgr only, so they do not depend on winsvc.

func TestEnvironment(t *testing.T) {
	if testbed.IsWine() {
		t.Logf("running under Wine %s", testbed.WineVersion())
	} else {
		t.Logf("running on Windows")
	}
}

func TestUniqueName(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		n := testbed.UniqueName(t, "tb/x y")
		if len(n) > 64 || strings.Trim(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != "" {
			t.Fatalf("bad name %q", n)
		}
		if seen[n] {
			t.Fatalf("duplicate name %q", n)
		}
		seen[n] = true
	}
	t.Run(strings.Repeat("VeryLongSubtestName", 5), func(t *testing.T) {
		if n := testbed.UniqueName(t, "prefix"); len(n) > 64 {
			t.Fatalf("name %q has %d chars", n, len(n))
		}
	})
}

func TestCommandLine(t *testing.T) {
	got := testbed.CommandLine(`C:\a b\t.exe`, "-mode=normal", `-log=C:\x y\l.log`)
	want := `"C:\a b\t.exe" -mode=normal "-log=C:\x y\l.log"`
	if got != want {
		t.Fatalf("CommandLine = %s, want %s", got, want)
	}
}

// newService creates a demand-start service running testsvc with args and
// returns it with the path of its log file.
func newService(t *testing.T, args ...string) (*mgr.Service, string, string) {
	t.Helper()
	exe := testbed.ServiceExe(t)
	logPath := filepath.Join(testbed.TempDir(t), "svc.log")
	name := testbed.UniqueName(t, "tb")
	m, err := mgr.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Disconnect() })
	args = append(args, "-log="+logPath, "-lifetime=2m")
	s, err := m.CreateService(name, exe, mgr.Config{StartType: mgr.StartManual, DisplayName: name}, args...)
	if err != nil {
		t.Fatalf("CreateService: %v", err)
	}
	testbed.CleanupService(t, name)
	t.Cleanup(func() { s.Close() }) // runs before CleanupService's delete
	return s, name, logPath
}

func control(t *testing.T, s *mgr.Service, c svc.Cmd) {
	t.Helper()
	if _, err := s.Control(c); err != nil {
		t.Fatalf("Control(%d): %v", c, err)
	}
}

func inState(want svc.State) func(svc.Status) bool {
	return func(st svc.Status) bool { return st.State == want }
}

func hasEvent(event string) func([]testbed.LogEntry) bool {
	return func(es []testbed.LogEntry) bool {
		for _, e := range es {
			if e.Event == event {
				return true
			}
		}
		return false
	}
}

func TestLifecycle(t *testing.T) {
	s, name, logPath := newService(t, "-mode=normal")
	if err := s.Start("argA", "arg B"); err != nil {
		t.Fatalf("Start: %v", err)
	}
	st := testbed.WaitStatus(t, name, 10*time.Second, inState(svc.Running))
	if st.ProcessId == 0 || st.Accepts&(svc.AcceptStop|svc.AcceptPauseAndContinue) == 0 {
		t.Errorf("RUNNING status %+v: want a pid and STOP|PAUSE_CONTINUE accepted", st)
	}

	control(t, s, svc.Pause)
	testbed.WaitStatus(t, name, 5*time.Second, inState(svc.Paused))
	control(t, s, svc.Continue)
	testbed.WaitStatus(t, name, 5*time.Second, inState(svc.Running))
	control(t, s, svc.Interrogate)
	control(t, s, svc.Cmd(200))
	control(t, s, svc.Stop)
	st = testbed.WaitStatus(t, name, 10*time.Second, inState(svc.Stopped))
	if st.Win32ExitCode != 0 {
		t.Errorf("STOPPED status %+v: want exit code 0", st)
	}

	// The states are checked above, as the SCM reports them; the log has
	// what reached the program (package run answers INTERROGATE itself).
	entries := testbed.WaitLog(t, logPath, 5*time.Second, hasEvent(svclog.EventExit))
	var args []string
	var controls []uint32
	for _, e := range entries {
		switch e.Event {
		case svclog.EventStart:
			args = e.Args
		case svclog.EventControl:
			controls = append(controls, e.Control)
		case svclog.EventError:
			t.Errorf("service logged an error: %+v", e)
		}
	}
	if want := []string{name, "argA", "arg B"}; !reflect.DeepEqual(args, want) {
		t.Errorf("start args = %q, want %q", args, want)
	}
	if want := []uint32{2, 3, 200, 1}; !reflect.DeepEqual(controls, want) {
		t.Errorf("controls = %v, want %v (pause, continue, 200, stop)", controls, want)
	}
}

func TestSlowStart(t *testing.T) {
	s, name, _ := newService(t, "-mode=slowstart", "-delay=1s")
	if err := s.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	var checkpoints []uint32
	st := testbed.WaitStatus(t, name, 10*time.Second, func(st svc.Status) bool {
		if st.State == svc.StartPending {
			if st.WaitHint != 3000 {
				t.Errorf("START_PENDING with wait hint %d, want 3000", st.WaitHint)
			}
			if n := len(checkpoints); n == 0 || checkpoints[n-1] != st.CheckPoint {
				checkpoints = append(checkpoints, st.CheckPoint)
			}
		}
		return st.State != svc.StartPending
	})
	if st.State != svc.Running {
		t.Fatalf("after START_PENDING: %+v, want RUNNING", st)
	}
	if len(checkpoints) < 3 {
		t.Errorf("saw checkpoints %v, want at least 3 distinct values", checkpoints)
	}
	for i := 1; i < len(checkpoints); i++ {
		if checkpoints[i] <= checkpoints[i-1] {
			t.Errorf("checkpoints not increasing: %v", checkpoints)
		}
	}
	control(t, s, svc.Stop)
	testbed.WaitStatus(t, name, 10*time.Second, inState(svc.Stopped))
}

func TestCrashDuringStart(t *testing.T) {
	s, name, logPath := newService(t, "-mode=crash", "-delay=500ms")
	if err := s.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	st := testbed.QueryStatus(t, name)
	if st.State != svc.StartPending || st.ProcessId == 0 {
		t.Fatalf("after Start: %+v, want START_PENDING with a pid", st)
	}
	if code := testbed.WaitProcess(t, st.ProcessId, 10*time.Second); code != 7 {
		t.Errorf("process exit code %d, want 7", code)
	}
	testbed.WaitLog(t, logPath, 5*time.Second, hasEvent(svclog.EventExit))
	if testbed.IsWine() {
		// Wine's SCM does not notice the death (docs/wine-scm.md section 6).
		st = testbed.QueryStatus(t, name)
		t.Logf("under Wine the SCM still reports %+v", st)
		return
	}
	st = testbed.WaitStatus(t, name, 10*time.Second, inState(svc.Stopped))
	if st.Win32ExitCode != uint32(windows.ERROR_PROCESS_ABORTED) {
		t.Logf("STOPPED after crash with %+v", st)
	}
}

func TestExitCode(t *testing.T) {
	s, name, _ := newService(t, "-mode=exitcode", "-code=42")
	if err := s.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	testbed.WaitStatus(t, name, 10*time.Second, inState(svc.Running))
	control(t, s, svc.Stop)
	st := testbed.WaitStatus(t, name, 10*time.Second, inState(svc.Stopped))
	if st.Win32ExitCode != uint32(windows.ERROR_SERVICE_SPECIFIC_ERROR) || st.ServiceSpecificExitCode != 42 {
		t.Errorf("STOPPED status %+v: want Win32ExitCode 1066 and ServiceSpecificExitCode 42", st)
	}
}

func TestHang(t *testing.T) {
	s, name, _ := newService(t, "-mode=hang")
	if err := s.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	for i := 0; i < 3; i++ {
		st := testbed.QueryStatus(t, name)
		if st.State != svc.StartPending || st.CheckPoint != 1 || st.WaitHint != 2000 || st.ProcessId == 0 {
			t.Fatalf("status %+v, want START_PENDING, checkpoint 1, wait hint 2000", st)
		}
		time.Sleep(150 * time.Millisecond)
	}
	// CleanupService kills the process.
}

func TestRefuseStop(t *testing.T) {
	s, name, logPath := newService(t, "-mode=refusestop")
	if err := s.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	testbed.WaitStatus(t, name, 10*time.Second, inState(svc.Running))
	control(t, s, svc.Stop)
	testbed.WaitLog(t, logPath, 5*time.Second, hasEvent(svclog.EventIgnored))
	if st := testbed.QueryStatus(t, name); st.State != svc.Running {
		t.Fatalf("after an ignored STOP: %+v, want RUNNING", st)
	}
}

func TestNoStop(t *testing.T) {
	s, name, _ := newService(t, "-mode=nostop")
	if err := s.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	st := testbed.WaitStatus(t, name, 10*time.Second, inState(svc.Running))
	if st.Accepts&svc.AcceptStop != 0 {
		t.Errorf("nostop accepts STOP: %+v", st)
	}
	if _, err := s.Control(svc.Stop); err != windows.ERROR_INVALID_SERVICE_CONTROL {
		t.Fatalf("STOP: %v, want ERROR_INVALID_SERVICE_CONTROL (1052)", err)
	}
}
