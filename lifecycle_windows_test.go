//go:build windows

package winsvc_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows/svc"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/testbed"
)

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, logPath := testService(t, m, "normal")

	if err := s.Start(ctx, winsvc.WithArgs("argA", "arg B")); err != nil {
		t.Fatalf("Start: %v", err)
	}
	st, err := s.Status(ctx)
	if err != nil || st.State != winsvc.Running || st.ProcessID == 0 || !st.Accepts(winsvc.AcceptStop|winsvc.AcceptPauseContinue) {
		t.Fatalf("after Start: %+v, %v", st, err)
	}
	entries := testbed.WaitLog(t, logPath, 5*time.Second, func(e []testbed.LogEntry) bool { return len(e) > 0 })
	if got := entries[0].Args; !slices.Equal(got, []string{s.Name(), "argA", "arg B"}) {
		t.Errorf("service received args %q", got)
	}

	// pywinservicemanager's rules: Start only when stopped; with Ensure, running is fine.
	if err := s.Start(ctx); !errors.Is(err, winsvc.ErrAlreadyRunning) {
		t.Errorf("second Start = %v, want ErrAlreadyRunning", err)
	}
	if err := s.Start(ctx, winsvc.Ensure()); err != nil {
		t.Errorf("Start(Ensure) on a running service = %v", err)
	}

	if err := s.Pause(ctx); err != nil {
		t.Fatalf("Pause: %v", err)
	}
	if st, _ := s.Status(ctx); st.State != winsvc.Paused {
		t.Errorf("after Pause: %s", st.State)
	}
	if err := s.Pause(ctx); !errors.Is(err, winsvc.ErrCannotAcceptControl) {
		t.Errorf("Pause of a paused service = %v, want ErrCannotAcceptControl", err)
	}
	// A paused service is started: Start(Ensure) succeeds at once rather
	// than waiting for a RUNNING that only Continue brings.
	began := time.Now()
	if err := s.Start(ctx, winsvc.Ensure()); err != nil || time.Since(began) > 2*time.Second {
		t.Errorf("Start(Ensure) on a paused service = %v after %s, want success at once", err, time.Since(began))
	}
	if err := s.Continue(ctx); err != nil {
		t.Fatalf("Continue: %v", err)
	}
	if st, err := s.Interrogate(ctx); err != nil || st.State != winsvc.Running {
		t.Errorf("Interrogate = %+v, %v", st, err)
	}
	if _, err := s.Control(ctx, 200); err != nil {
		t.Errorf("Control(200): %v", err)
	}
	if _, err := s.Control(ctx, winsvc.ControlParamChange); err != nil {
		t.Errorf("Control(PARAMCHANGE): %v", err)
	}
	if _, err := s.Control(ctx, 5); !errors.Is(err, winsvc.ErrInvalid) {
		t.Errorf("Control(5) = %v, want a validation error", err)
	}
	testbed.WaitLog(t, logPath, 5*time.Second, func(e []testbed.LogEntry) bool {
		return slices.ContainsFunc(e, func(x testbed.LogEntry) bool { return x.Control == 200 }) &&
			slices.ContainsFunc(e, func(x testbed.LogEntry) bool { return x.Control == winsvc.ControlParamChange })
	})

	if err := s.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if st, _ := s.Status(ctx); st.State != winsvc.Stopped || st.ProcessID != 0 {
		t.Errorf("after Stop: %+v", st)
	}
	if err := s.Stop(ctx); !errors.Is(err, winsvc.ErrNotActive) {
		t.Errorf("Stop of a stopped service = %v, want ErrNotActive", err)
	}
	if err := s.Stop(ctx, winsvc.Ensure()); err != nil {
		t.Errorf("Stop(Ensure) of a stopped service = %v", err)
	}
	// As the SCM answers: a stopped service is not active (1062).
	if err := s.Pause(ctx); !errors.Is(err, winsvc.ErrNotActive) {
		t.Errorf("Pause of a stopped service = %v, want ErrNotActive", err)
	}
	if err := s.Continue(ctx); !errors.Is(err, winsvc.ErrNotActive) {
		t.Errorf("Continue of a stopped service = %v, want ErrNotActive", err)
	}
	if _, err := s.Interrogate(ctx); !errors.Is(err, winsvc.ErrNotActive) {
		t.Errorf("Interrogate of a stopped service = %v, want ErrNotActive", err)
	}
}

func TestControlsNotAccepted(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "nostop")
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	for name, op := range map[string]func(context.Context, ...winsvc.ControlOption) error{"Stop": s.Stop, "Pause": s.Pause} {
		err := op(ctx)
		if !errors.Is(err, winsvc.ErrInvalidControl) {
			t.Errorf("%s on a service that does not accept it = %v, want ErrInvalidControl", name, err)
		}
	}
	if st, _ := s.Status(ctx); st.State != winsvc.Running {
		t.Errorf("refused controls changed the state to %s", st.State)
	}
}

func TestStartWaitsThroughCheckpoints(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "slowstart", "-delay=1500ms")
	start := time.Now()
	if err := s.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("Start returned after %s, before the slow start finished", d)
	}
	if st, _ := s.Status(ctx); st.State != winsvc.Running {
		t.Errorf("state %s", st.State)
	}
}

func TestStartTimeoutCarriesLastStatus(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "slowstart", "-delay=10s")
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	err := s.Start(ctx)
	var we *winsvc.WaitError
	if !errors.Is(err, winsvc.ErrWaitTimeout) || !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &we) {
		t.Fatalf("Start = %v, want a wait timeout", err)
	}
	if we.Last.State != winsvc.StartPending || we.Last.CheckPoint == 0 {
		t.Errorf("last status = %+v, want START_PENDING with a checkpoint", we.Last)
	}
}

func TestStartFailsFastOnStall(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "hang", "-lifetime=8s")
	start := time.Now()
	err := s.Start(ctx)
	if !errors.Is(err, winsvc.ErrStalled) {
		t.Fatalf("Start = %v, want ErrStalled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stall detected after %s; the wait hint is 2 s", d)
	}
}

func TestStartFailsFastOnCrash(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "crash")
	start := time.Now()
	err := s.Start(ctx)
	var we *winsvc.WaitError
	switch {
	case errors.Is(err, winsvc.ErrProcessExited) && errors.As(err, &we):
		if we.ExitCode != 7 {
			t.Errorf("exit code %d, want 7", we.ExitCode)
		}
	case errors.Is(err, winsvc.ErrStoppedUnexpectedly):
		// Windows' SCM notices the exit itself and reports STOPPED.
	default:
		t.Fatalf("Start = %v, want ErrProcessExited", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("crash reported after %s, want at once", d)
	}
}

// TestStartFailsWhenProcessExitsAtOnce: the service's process exits before
// it connects to the SCM (testsvc -probe prints a line and exits). The SCM
// answers StartService with 1053, "did not respond in a timely fashion",
// at once; Start reports what happened: 1067 (ERROR_PROCESS_ABORTED),
// ErrProcessExited, saying the process ended before it connected. The
// SCM, read with a raw call, reports the service STOPPED.
func TestStartFailsWhenProcessExitsAtOnce(t *testing.T) {
	m := connect(t)
	s, _ := testService(t, m, "normal", "-probe")
	start := time.Now()
	err := s.Start(context.Background())
	var e *winsvc.Error
	if !errors.As(err, &e) || e.Code != 1067 || !errors.Is(err, winsvc.ErrProcessExited) || errors.Is(err, winsvc.ErrRequestTimeout) ||
		!strings.Contains(err.Error(), "before it connected") {
		t.Fatalf("Start of a service whose process exits at once = %v; want 1067 and ErrProcessExited, saying it ended before it connected", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("reported after %s, want at once", d)
	}
	if st := testbed.QueryStatus(t, s.Name()); st.State != svc.Stopped {
		t.Errorf("after the failed start, the SCM reports state %d; want STOPPED", st.State)
	}
}

// TestStartFailsFastWhenStoppedDuringStart checks the other fail-fast case:
// the service reports STOPPED, with a service-specific exit code, while the
// start waits for RUNNING. The wait fails at once and reports the code.
func TestStartFailsFastWhenStoppedDuringStart(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "failstart", "-code=9")
	start := time.Now()
	err := s.Start(ctx)
	var we *winsvc.WaitError
	if !errors.Is(err, winsvc.ErrStoppedUnexpectedly) || !errors.As(err, &we) {
		t.Fatalf("Start = %v, want ErrStoppedUnexpectedly", err)
	}
	if we.Last.State != winsvc.Stopped || we.Last.Win32ExitCode != 1066 || we.Last.ServiceSpecificExitCode != 9 {
		t.Errorf("last status %+v, want STOPPED with 1066/9", we.Last)
	}
	if !strings.Contains(err.Error(), "service-specific exit code 9") {
		t.Errorf("error %q does not show the exit code", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("stop during start reported after %s, want at once", d)
	}
}

func TestStopWithServiceSpecificExitCode(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "exitcode", "-code=42")
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	st, _ := s.Status(ctx)
	if st.Win32ExitCode != 1066 || st.ServiceSpecificExitCode != 42 {
		t.Errorf("exit codes %d/%d, want 1066/42", st.Win32ExitCode, st.ServiceSpecificExitCode)
	}
}

func TestRefusedStopTimesOut(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "refusestop", "-lifetime=10s")
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	ctx2, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	err := s.Stop(ctx2)
	var we *winsvc.WaitError
	if !errors.Is(err, winsvc.ErrWaitTimeout) || !errors.As(err, &we) || we.Last.State != winsvc.Running {
		t.Fatalf("Stop = %v, want a timeout with last state RUNNING", err)
	}
	if st, _ := s.Status(ctx); st.State != winsvc.Running {
		t.Errorf("state after refused stop: %s", st.State)
	}
}

func TestWaitFor(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "slowstart", "-delay=800ms")
	if err := s.Start(ctx, winsvc.NoWait()); err != nil {
		t.Fatal(err)
	}
	st, err := s.WaitFor(ctx, winsvc.Running)
	if err != nil || st.State != winsvc.Running {
		t.Fatalf("WaitFor(RUNNING) = %+v, %v", st, err)
	}
	if err := s.Stop(ctx, winsvc.NoWait()); err != nil {
		t.Fatal(err)
	}
	if st, err := s.WaitFor(ctx, winsvc.Stopped); err != nil || st.State != winsvc.Stopped {
		t.Fatalf("WaitFor(STOPPED) = %+v, %v", st, err)
	}
}

func TestDelete(t *testing.T) {
	ctx := context.Background()
	m := connect(t)

	t.Run("StopAndWait", func(t *testing.T) {
		s, _ := testService(t, m, "normal")
		if err := s.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, winsvc.DeleteOptions{Stop: true, Wait: true}); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if ok, err := s.Exists(ctx); ok || err != nil {
			t.Errorf("after Delete(Stop, Wait): Exists = %v, %v", ok, err)
		}
	})
	t.Run("MarkedWhileRunning", func(t *testing.T) {
		s, _ := testService(t, m, "normal")
		if err := s.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, winsvc.DeleteOptions{}); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if ok, _ := s.Exists(ctx); !ok {
			t.Fatal("a running service vanished at once; it should only be marked for deletion")
		}
		if err := s.Delete(ctx, winsvc.DeleteOptions{}); !errors.Is(err, winsvc.ErrMarkedForDelete) {
			t.Errorf("second Delete = %v, want ErrMarkedForDelete", err)
		}
		if err := s.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			ok, _ := s.Exists(ctx)
			if !ok {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("still present 5 s after the stop")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// TestControlErrorCases covers the remaining refusals: starting a disabled
// service (1058), a custom control to a stopped service (1062) and
// continuing a running one (1061); none changes the state.
func TestControlErrorCases(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "normal")
	if _, err := s.Control(ctx, 200); !errors.Is(err, winsvc.ErrNotActive) {
		t.Errorf("Control(200) on a stopped service = %v, want ErrNotActive", err)
	}
	s.Update(func(c *winsvc.Config) { c.StartType = winsvc.Disabled })
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); !errors.Is(err, winsvc.ErrDisabled) {
		t.Errorf("Start of a disabled service = %v, want ErrDisabled", err)
	}
	s.Update(func(c *winsvc.Config) { c.StartType = winsvc.DemandStart })
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Continue(ctx); !errors.Is(err, winsvc.ErrCannotAcceptControl) {
		t.Errorf("Continue of a running service = %v, want ErrCannotAcceptControl", err)
	}
	if st, _ := s.Status(ctx); st.State != winsvc.Running {
		t.Errorf("after the refusals: %s, want RUNNING", st.State)
	}
}
