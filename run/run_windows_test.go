//go:build windows

package run_test

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/mgr"

	"github.com/winsvc/winsvc/internal/testbed"
	"github.com/winsvc/winsvc/internal/testbed/svclog"
)

// These tests run internal/testsvc, a service built on package run, under
// a real SCM (Wine's under scripts/test.sh), and drive it with
// golang.org/x/sys/windows/svc/mgr. What the service reports is read
// independently, with raw QueryServiceStatusEx calls (testbed.QueryStatus).

// newService creates a demand-start service running testsvc with args and
// returns it with its name and the path of its log.
func newService(t *testing.T, args ...string) (*mgr.Service, string, string) {
	t.Helper()
	exe := testbed.ServiceExe(t)
	logPath := filepath.Join(testbed.TempDir(t), "svc.log")
	name := testbed.UniqueName(t, "run")
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

// watch polls the status until it is final, and returns the distinct
// statuses seen, as "STATE accepts/checkpoint/hint", ending with final's.
func watch(t *testing.T, name string, final svc.State) ([]string, svc.Status) {
	t.Helper()
	var seen []string
	st := testbed.WaitStatus(t, name, 10*time.Second, func(st svc.Status) bool {
		if s := show(st); len(seen) == 0 || seen[len(seen)-1] != s {
			seen = append(seen, s)
		}
		return st.State == final
	})
	return seen, st
}

func show(st svc.Status) string {
	names := map[svc.State]string{svc.Stopped: "STOPPED", svc.StartPending: "START_PENDING", svc.StopPending: "STOP_PENDING",
		svc.Running: "RUNNING", svc.ContinuePending: "CONTINUE_PENDING", svc.PausePending: "PAUSE_PENDING", svc.Paused: "PAUSED"}
	return fmt.Sprintf("%s %#x/%d/%d", names[st.State], uint32(st.Accepts), st.CheckPoint, st.WaitHint)
}

// pendingThenFinal checks that seen is, after before (the status when the
// control was sent), statuses of pending (a state and its accepted
// controls) with rising checkpoints, the first with testsvc's wait hint of
// 2 s, the next with that of its Progress, 1 s; then final.
// (Polling may miss a checkpoint, each shown for 100 ms; the exact sequence
// is tested natively.)
func pendingThenFinal(t *testing.T, what string, seen []string, before, pending, final string) {
	t.Helper()
	if len(seen) == 0 || seen[len(seen)-1] != final {
		t.Errorf("%s: saw %q; want %s with checkpoints, then %s", what, seen, pending, final)
		return
	}
	all := seen
	// ControlService returns before the service reports its pending
	// state: the status before the control may still be read first.
	if seen[0] == before {
		seen = seen[1:]
	}
	if len(seen) < 3 {
		t.Errorf("%s: saw %q; want %s with checkpoints, then %s", what, all, pending, final)
		return
	}
	last := 0
	for _, s := range seen[:len(seen)-1] {
		var cp, hint int
		_, err := fmt.Sscanf(strings.TrimPrefix(s, pending), "/%d/%d", &cp, &hint)
		if !strings.HasPrefix(s, pending+"/") || err != nil || cp <= last || (cp == 1) != (hint == 2000) || (cp > 1 && hint != 1000) {
			t.Errorf("%s: saw %q; want %s with rising checkpoints (wait hint 2000, then 1000), then %s", what, all, pending, final)
			return
		}
		last = cp
	}
}

const (
	acceptAll = "0xf" // STOP, PAUSE_CONTINUE, SHUTDOWN, PARAMCHANGE
)

// TestServiceLifecycle: a service built on run is RUNNING with the controls
// its hooks make it accept; pause and continue go through their pending
// states with checkpoints; a custom control and PARAMCHANGE reach their
// hooks; a stop goes through STOP_PENDING with checkpoints to STOPPED with
// exit code 0.
func TestServiceLifecycle(t *testing.T) {
	s, name, logPath := newService(t, "-mode=normal", "-hookdelay=1s", "-stopdelay=1s")
	if err := s.Start("argA", "arg B"); err != nil {
		t.Fatal(err)
	}
	seen, st := watch(t, name, svc.Running)
	if got := show(st); got != "RUNNING "+acceptAll+"/0/0" || st.ProcessId == 0 {
		t.Errorf("after the start: %q (pid %d); want RUNNING accepting STOP, PAUSE_CONTINUE, SHUTDOWN, PARAMCHANGE", got, st.ProcessId)
	}
	if len(seen) != 1 {
		t.Errorf("a service that does not wait to be ready is RUNNING at once; saw %q", seen)
	}

	control(t, s, svc.Pause)
	seen, _ = watch(t, name, svc.Paused)
	pendingThenFinal(t, "pause", seen, "RUNNING "+acceptAll+"/0/0", "PAUSE_PENDING 0x5", "PAUSED "+acceptAll+"/0/0")
	control(t, s, svc.Continue)
	seen, _ = watch(t, name, svc.Running)
	pendingThenFinal(t, "continue", seen, "PAUSED "+acceptAll+"/0/0", "CONTINUE_PENDING 0x5", "RUNNING "+acceptAll+"/0/0")

	control(t, s, svc.Cmd(200))
	control(t, s, svc.ParamChange)
	testbed.WaitLog(t, logPath, 5*time.Second, func(es []testbed.LogEntry) bool { return len(controls(es)) == 4 })

	control(t, s, svc.Stop)
	seen, st = watch(t, name, svc.Stopped)
	pendingThenFinal(t, "stop", seen, "RUNNING "+acceptAll+"/0/0", "STOP_PENDING 0x0", "STOPPED 0x0/0/0")
	if st.Win32ExitCode != 0 || st.ServiceSpecificExitCode != 0 {
		t.Errorf("STOPPED with exit codes %d/%d, want 0/0", st.Win32ExitCode, st.ServiceSpecificExitCode)
	}

	es := testbed.WaitLog(t, logPath, 5*time.Second, hasExit)
	if want := []uint32{2, 3, 200, 6, 1}; !slices.Equal(controls(es), want) {
		t.Errorf("controls that reached the program: %v, want %v", controls(es), want)
	}
	// The program may log its start after the first hook ran: a service
	// that does not wait to be ready is RUNNING, and takes controls, as
	// the program starts.
	i := slices.IndexFunc(es, func(e testbed.LogEntry) bool { return e.Event == svclog.EventStart })
	if want := []string{name, "argA", "arg B"}; i < 0 || !slices.Equal(es[i].Args, want) {
		t.Errorf("log %+v; want a start with run.Args %q", es, want)
	}
}

func controls(es []testbed.LogEntry) []uint32 {
	var cs []uint32
	for _, e := range es {
		if e.Event == svclog.EventControl {
			cs = append(cs, e.Control)
		}
	}
	return cs
}

func hasExit(es []testbed.LogEntry) bool {
	return slices.ContainsFunc(es, func(e testbed.LogEntry) bool { return e.Event == svclog.EventExit })
}

// TestServiceSlowStart: a program that waits to be ready is START_PENDING,
// accepting nothing, with the checkpoints of its Progress, then RUNNING.
func TestServiceSlowStart(t *testing.T) {
	s, name, _ := newService(t, "-mode=slowstart", "-delay=800ms")
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	seen, _ := watch(t, name, svc.Running)
	if len(seen) < 4 || seen[len(seen)-1] != "RUNNING "+acceptAll+"/0/0" {
		t.Fatalf("saw %q; want START_PENDING with checkpoints, then RUNNING", seen)
	}
	last := uint32(0)
	for _, s := range seen[:len(seen)-1] {
		var cp uint32
		if _, err := fmt.Sscanf(s, "START_PENDING 0x0/%d/3000", &cp); err != nil || cp <= last || (last == 0 && cp != 1) {
			t.Fatalf("saw %q; want START_PENDING accepting nothing, from checkpoint 1, rising, wait hint 3000", seen)
		}
		last = cp
	}
}

// TestServiceExitCodes: what the program returns is the exit code of
// STOPPED: an ExitError's code (service-specific or Win32), 1 for another
// error, 0 for its context's error after a stop; an error while it starts
// stops it during START_PENDING; invalid options stop it at once with
// ERROR_INVALID_PARAMETER.
func TestServiceExitCodes(t *testing.T) {
	for _, c := range []struct {
		name            string
		args            []string
		win32, specific uint32
	}{
		{"clean", []string{"-mode=normal"}, 0, 0},
		{"specific", []string{"-mode=exitcode", "-code=42"}, 1066, 42},
		{"win32", []string{"-mode=exitcode", "-code=5", "-exit=win32"}, 5, 0},
		{"error", []string{"-mode=exitcode", "-exit=error"}, 1066, 1},
		{"during the start", []string{"-mode=failstart", "-code=9"}, 1066, 9},
		{"invalid options", []string{"-mode=invalid"}, 87, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, name, _ := newService(t, c.args...)
			if err := s.Start(); err != nil {
				t.Fatal(err)
			}
			if c.win32 != 87 && c.name != "during the start" {
				testbed.WaitStatus(t, name, 10*time.Second, func(st svc.Status) bool { return st.State == svc.Running })
				control(t, s, svc.Stop)
			}
			_, st := watch(t, name, svc.Stopped)
			if st.Win32ExitCode != c.win32 || st.ServiceSpecificExitCode != c.specific {
				t.Errorf("STOPPED with %d/%d, want %d/%d", st.Win32ExitCode, st.ServiceSpecificExitCode, c.win32, c.specific)
			}
		})
	}
}

// TestServiceAccepts: the controls a service accepts follow from its
// options: its hooks, Options.Shutdown and Options.NoStop.
func TestServiceAccepts(t *testing.T) {
	for _, c := range []struct {
		args    []string
		accepts uint32
	}{
		{[]string{"-mode=normal"}, 0xf},
		{[]string{"-mode=plain"}, windows.SERVICE_ACCEPT_STOP | windows.SERVICE_ACCEPT_SHUTDOWN},
		{[]string{"-mode=plain", "-shutdown=preshutdown"},
			windows.SERVICE_ACCEPT_STOP | windows.SERVICE_ACCEPT_SHUTDOWN | windows.SERVICE_ACCEPT_PRESHUTDOWN},
		{[]string{"-mode=plain", "-shutdown=ignore"}, windows.SERVICE_ACCEPT_STOP},
		{[]string{"-mode=nostop"}, windows.SERVICE_ACCEPT_SHUTDOWN},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			s, name, _ := newService(t, c.args...)
			if err := s.Start(); err != nil {
				t.Fatal(err)
			}
			st := testbed.WaitStatus(t, name, 10*time.Second, func(st svc.Status) bool { return st.State == svc.Running })
			if uint32(st.Accepts) != c.accepts {
				t.Errorf("accepts %#x, want %#x", uint32(st.Accepts), c.accepts)
			}
			if c.accepts&windows.SERVICE_ACCEPT_PARAMCHANGE == 0 {
				if _, err := s.Control(svc.ParamChange); err != windows.ERROR_INVALID_SERVICE_CONTROL {
					t.Errorf("PARAMCHANGE to a service without the hook: %v, want ERROR_INVALID_SERVICE_CONTROL", err)
				}
			}
		})
	}
}

// TestShutdownControls: SHUTDOWN and PRESHUTDOWN come only from the system
// as it shuts down; no program can send them. Wine never sends them, not
// even when its prefix ends (docs/wine-scm.md §6). That they cancel the
// program's context with ErrShutdown and ErrPreshutdown is tested natively
// (TestMachineWaitReady, TestMachineRefusesWhatItDoesNotAccept).
func TestShutdownControls(t *testing.T) {
	s, name, _ := newService(t, "-mode=plain", "-shutdown=preshutdown")
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	testbed.WaitStatus(t, name, 10*time.Second, func(st svc.Status) bool { return st.State == svc.Running })
	for _, c := range []svc.Cmd{svc.Shutdown, svc.PreShutdown} {
		if _, err := s.Control(c); err != windows.ERROR_INVALID_PARAMETER {
			t.Errorf("ControlService(%d) = %v, want ERROR_INVALID_PARAMETER: only the system sends it", c, err)
		}
	}
	t.Skip("SHUTDOWN and PRESHUTDOWN cannot be sent to a service, and Wine never sends them (docs/wine-scm.md §6); covered natively")
}

// TestConsole: testsvc started as a plain process, not by the SCM, runs in
// a console: at once (under Wine, a process that is not a service would
// wait 10 s for the SCM to connect), with no start arguments.
func TestConsole(t *testing.T) {
	exe := testbed.ServiceExe(t)
	logPath := filepath.Join(testbed.TempDir(t), "svc.log")
	start := time.Now()
	out, err := exec.Command(exe, "-mode=failstart", "-exit=error", "-log="+logPath, "-lifetime=1m").CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "testsvc: failing as asked") {
		t.Errorf("testsvc in a console: %v, output %q; want exit status 1 and the error", err, out)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("testsvc in a console took %s", d)
	}
	es := testbed.ReadLog(t, logPath)
	if len(es) == 0 || es[0].Event != svclog.EventStart || es[0].Args != nil {
		t.Errorf("log %+v; want a start without start arguments", es)
	}
}

// TestConsoleCtrlBreak: in a console, CTRL_BREAK_EVENT cancels the
// program's context. Wine 8 does not deliver console control events to
// another process (docs/wine-scm.md §6); SIGINT and SIGTERM, which go
// through the same code, are tested natively (console_unix_test.go).
func TestConsoleCtrlBreak(t *testing.T) {
	exe := testbed.ServiceExe(t)
	logPath := filepath.Join(testbed.TempDir(t), "svc.log")
	cmd := exec.Command(exe, "-mode=normal", "-log="+logPath, "-lifetime=1m")
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NEW_PROCESS_GROUP}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	testbed.WaitLog(t, logPath, 10*time.Second, func(es []testbed.LogEntry) bool { return len(es) > 0 })
	err := windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, uint32(cmd.Process.Pid))
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after CTRL_BREAK_EVENT: %v, want exit status 0", err)
		}
		if es := testbed.ReadLog(t, logPath); !slices.ContainsFunc(es, func(e testbed.LogEntry) bool { return e.ControlName == "interrupt" }) {
			t.Errorf("log %+v; want the interrupt", es)
		}
	case <-time.After(5 * time.Second):
		if testbed.IsWine() {
			t.Skipf("Wine does not deliver CTRL_BREAK_EVENT (GenerateConsoleCtrlEvent: %v; docs/wine-scm.md §6); tested natively with SIGINT and SIGTERM", err)
		}
		t.Fatalf("CTRL_BREAK_EVENT (GenerateConsoleCtrlEvent: %v) did not stop the console program", err)
	}
}
