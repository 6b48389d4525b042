//go:build windows

package winsvc_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/testbed"
)

// The fault suite: services that misbehave, or that are deleted under the
// caller's feet. Each case checks that winsvc reports it at once, with the
// documented code, and leaves nothing half done. (Hangs, stalled
// checkpoints, crashes during start, refused stops and service-specific
// exit codes are in lifecycle_windows_test.go; a crash while running, a
// stop stuck in STOP_PENDING and deletions are here.)

// TestMarkedForDelete covers a service marked for deletion while it runs:
// stopping it succeeds though it goes with the stop; deleting it again
// with Wait waits until it is gone instead of failing with 1072; creating
// it again before then fails with 1072, not 1073; and restarting it says
// it was marked for deletion.
func TestMarkedForDelete(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	// -linger keeps each process alive for a while after it reported
	// STOPPED: the SCM removes a service marked for deletion only once its
	// process is gone, so a start sent before then would find it still there.
	markedRunning := func(t *testing.T) *winsvc.Service {
		t.Helper()
		s, _ := testService(t, m, "normal", "-linger=700ms")
		if err := s.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, winsvc.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	t.Run("Stop", func(t *testing.T) {
		s := markedRunning(t)
		if err := s.Stop(ctx); err != nil {
			t.Errorf("Stop of a running service marked for deletion = %v; want success", err)
		}
		waitGone(t, s)
	})
	t.Run("DeleteWait", func(t *testing.T) {
		s := markedRunning(t)
		done := make(chan error, 1)
		go func() { done <- s.Delete(ctx, winsvc.DeleteOptions{Wait: true}) }()
		time.Sleep(200 * time.Millisecond)
		select {
		case err := <-done:
			t.Fatalf("Delete(Wait) of a marked, running service returned at once: %v", err)
		default:
		}
		testbed.RawStop(t, s.Name())
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Delete(Wait) = %v; want success once the service went", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Delete(Wait) did not return after the service went")
		}
	})
	t.Run("CreateOnly", func(t *testing.T) {
		s := markedRunning(t)
		n, err := m.New(winsvc.Definition{Name: s.Name(), BinaryPath: testbed.ServiceExe(t)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.Save(ctx, winsvc.SaveOptions{CreateOnly: true}); !errors.Is(err, winsvc.ErrMarkedForDelete) {
			t.Errorf("create over a service marked for deletion = %v; want ERROR_SERVICE_MARKED_FOR_DELETE (1072)", err)
		}
		testbed.RawStop(t, s.Name())
	})
	t.Run("Restart", func(t *testing.T) {
		s := markedRunning(t)
		_, err := s.Restart(ctx)
		var e *winsvc.Error
		if !errors.Is(err, winsvc.ErrMarkedForDelete) || !errors.As(err, &e) || e.Code != winsvc.ErrMarkedForDelete {
			t.Errorf("Restart of a service marked for deletion = %v; want 1072", err)
		}
		waitGone(t, s)
	})
}

// TestStopWaitsForProcessExit: Stop returns once the service's own process
// has exited, not only when the SCM reports STOPPED (the process of this
// service lingers 700 ms after that): only then is its program file free to
// replace and a service marked for deletion gone.
func TestStopWaitsForProcessExit(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "normal", "-linger=700ms")
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	pid := testbed.QueryStatus(t, s.Name()).ProcessId
	start := time.Now()
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if testbed.ProcessAlive(t, pid) {
		t.Errorf("Stop returned after %s while the service's process %d still ran", time.Since(start).Round(time.Millisecond), pid)
	}
}

// TestWaitNoticesDeletion deletes a stopped service while another goroutine
// waits for it to run: the wait ends promptly with ErrMarkedForDelete
// instead of at its deadline.
func TestWaitNoticesDeletion(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "normal")
	done := make(chan error, 1)
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	go func() { _, err := s.WaitFor(wctx, winsvc.Running); done <- err }()
	time.Sleep(200 * time.Millisecond)
	other, _ := m.Service(s.Name())
	start := time.Now()
	if err := other.Delete(ctx, winsvc.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, winsvc.ErrMarkedForDelete) {
			t.Errorf("the wait ended with %v; want ErrMarkedForDelete", err)
		}
		t.Logf("the wait noticed the deletion after %s", time.Since(start).Round(time.Millisecond))
	case <-time.After(5 * time.Second):
		t.Fatal("the wait did not notice the deletion within 5 s")
	}
	waitGone(t, s)
}

// TestSaveAfterDeletedUnderneath: a loaded entity whose service was
// deleted by someone else is not silently created again by Save; Save says
// the service is not found, and changes nothing.
func TestSaveAfterDeletedUnderneath(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "normal")
	other, _ := m.Service(s.Name())
	if err := other.Delete(ctx, winsvc.DeleteOptions{Wait: true}); err != nil {
		t.Fatal(err)
	}
	s.Update(func(c *winsvc.Config) { c.Description = "should not be created" })
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); !errors.Is(err, winsvc.ErrNotFound) {
		t.Errorf("Save of a deleted service = %v; want ErrNotFound", err)
	}
	if ok, _ := s.Exists(ctx); ok {
		t.Error("Save created the deleted service again")
	}
}

// TestCloseEndsWaits closes the Manager while a Start waits for a service
// that hangs in START_PENDING: Close returns at once and the wait ends
// with ErrClosed.
func TestCloseEndsWaits(t *testing.T) {
	ctx := context.Background()
	m, err := winsvc.Connect()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := testService(t, connect(t), "hang")
	mine, _ := m.Service(s.Name())
	done := make(chan error, 1)
	go func() { done <- mine.Start(ctx) }()
	testbed.WaitStatus(t, s.Name(), 10*time.Second, func(st svc.Status) bool { return st.State == svc.StartPending })
	start := time.Now()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("Close took %s while a wait was under way", d)
	}
	select {
	case err := <-done:
		if !errors.Is(err, winsvc.ErrClosed) {
			t.Errorf("the wait ended with %v; want ErrClosed", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the wait did not end when the Manager closed")
	}
	if _, err := mine.Status(ctx); !errors.Is(err, winsvc.ErrClosed) {
		t.Errorf("Status after Close = %v; want ErrClosed", err)
	}
}

// TestCrashWhileRunning: the process of a running service dies. Windows'
// SCM reports the service STOPPED; Wine's goes on reporting RUNNING, with
// the dead process's PID, for good (docs/wine-scm.md, summary). Either way
// a wait for STOPPED ends within seconds, and under Wine a start that
// ensures the service runs does not take that RUNNING for running: both
// fail with ErrProcessExited and the process's exit code, saying what the
// SCM still reports.
func TestCrashWhileRunning(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "crashlater", "-delay=300ms")
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if code := testbed.WaitProcess(t, testbed.QueryStatus(t, s.Name()).ProcessId, 10*time.Second); code != 7 {
		t.Fatalf("the service's process exited with %d, want 7", code)
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	start := time.Now()
	_, err := s.WaitFor(wctx, winsvc.Stopped)
	took := time.Since(start)
	if d := 2*time.Second + 2*time.Second; took > d {
		t.Errorf("the wait for STOPPED took %s, want at most %s", took, d)
	}
	if !testbed.IsWine() {
		if err != nil {
			t.Errorf("WaitFor(STOPPED) after a crash = %v; want success (the SCM reports the stop)", err)
		}
		return
	}
	var we *winsvc.WaitError
	if !errors.Is(err, winsvc.ErrProcessExited) || !errors.As(err, &we) || we.ExitCode != 7 ||
		!strings.Contains(err.Error(), "still reports the service RUNNING") {
		t.Errorf("WaitFor(STOPPED) after a crash, under Wine = %v; want ErrProcessExited, exit code 7, saying the SCM still reports RUNNING", err)
	}
	t.Logf("Wine: %v (after %s)", err, took.Round(time.Millisecond))
	if err := s.Start(ctx, winsvc.Ensure()); !errors.Is(err, winsvc.ErrProcessExited) {
		t.Errorf("Start(Ensure) of a crashed service that Wine reports RUNNING = %v; want ErrProcessExited", err)
	}
}

// TestStuckStopPending: a service that answers STOP with STOP_PENDING and
// goes no further. A stop with a deadline fails by then (at the stall of
// its checkpoint, or the deadline) with an error naming STOP_PENDING; the
// status reads as STOP_PENDING afterwards; nothing hangs.
func TestStuckStopPending(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "stophang")
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()
	start := time.Now()
	err := s.Stop(sctx)
	var we *winsvc.WaitError
	if !errors.As(err, &we) || !(errors.Is(err, winsvc.ErrStalled) || errors.Is(err, winsvc.ErrWaitTimeout)) ||
		we.Last.State != winsvc.StopPending || !strings.Contains(err.Error(), "last status STOP_PENDING") {
		t.Errorf("Stop of a service stuck in STOP_PENDING = %v; want a stall or timeout naming STOP_PENDING", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Stop returned after %s; its deadline was 4 s", d)
	}
	if st := testbed.QueryStatus(t, s.Name()); st.State != svc.StopPending {
		t.Errorf("state after the failed stop: %d, want STOP_PENDING", st.State)
	}
}

// TestMarkedForDeleteWithOpenHandle: a stopped service deleted while
// another program holds a handle to it stays, marked for deletion, until
// that handle closes. Meanwhile every change and a second delete fail with
// 1072, saying why; a delete that waits returns once the handle closes.
func TestMarkedForDeleteWithOpenHandle(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	s, _ := testService(t, m, "normal")
	release := testbed.HoldOpen(t, s.Name())
	if err := s.Delete(ctx, winsvc.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Exists(ctx); !ok || err != nil {
		t.Fatalf("a service marked for deletion with a handle open: exists %v, %v; want it there", ok, err)
	}
	loaded, err := m.Load(ctx, s.Name())
	if err != nil {
		t.Fatal(err)
	}
	loaded.Update(func(c *winsvc.Config) { c.StartType = winsvc.Disabled })
	n, _ := m.New(winsvc.Definition{Name: s.Name(), BinaryPath: testbed.ServiceExe(t)})
	for what, err := range map[string]error{
		"a second delete": s.Delete(ctx, winsvc.DeleteOptions{}),
		"a change":        func() error { _, err := loaded.Save(ctx, winsvc.SaveOptions{}); return err }(),
		"a create":        func() error { _, err := n.Save(ctx, winsvc.SaveOptions{CreateOnly: true}); return err }(),
	} {
		var e *winsvc.Error
		if !errors.As(err, &e) || e.Code != winsvc.ErrMarkedForDelete || !strings.Contains(err.Error(), "marked for deletion") {
			t.Errorf("%s of a service marked for deletion = %v; want 1072, saying so", what, err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- s.Delete(ctx, winsvc.DeleteOptions{Wait: true}) }()
	select {
	case err := <-done:
		t.Fatalf("Delete(Wait) returned while a handle was open: %v", err)
	case <-time.After(500 * time.Millisecond):
	}
	release()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Delete(Wait) = %v once the handle closed", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Delete(Wait) did not return after the last handle closed")
	}
	if _, err := testbed.QueryStatusErr(s.Name()); !errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) {
		t.Errorf("after the last handle closed, a raw open says %v; want ERROR_SERVICE_DOES_NOT_EXIST", err)
	}
}

// TestDeleteWaitDeadlineWithHeldHandle: a delete that waits for a service
// another program holds open ends at its deadline with 1072, "still present
// when the wait ended", an *Error for "delete" that matches ErrWaitTimeout,
// whatever call the deadline interrupts. The deadline used to surface now
// and then as the bare context error of the existence check ("exists",
// no code) when it fell during that check; many short waits catch it.
func TestDeleteWaitDeadlineWithHeldHandle(t *testing.T) {
	m := connect(t)
	s, _ := testService(t, m, "normal")
	testbed.HoldOpen(t, s.Name())
	if err := s.Delete(context.Background(), winsvc.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	waited := 0
	for i := 0; i < 60; i++ {
		// 20 ms to 79 ms: the deadline falls at every point of the poll.
		// On a loaded machine it may also fall before the delete is sent
		// (the open took it all): then the service is "not deleted", as
		// typed, never a raw context error or another operation's.
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(20+i)*time.Millisecond)
		err := s.Delete(ctx, winsvc.DeleteOptions{Wait: true})
		cancel()
		var e *winsvc.Error
		if !errors.As(err, &e) || e.Op != "delete" || !errors.Is(err, winsvc.ErrWaitTimeout) {
			t.Fatalf("run %d: Delete(Wait) of a service held open = %v; want a delete *Error matching ErrWaitTimeout", i, err)
		}
		switch {
		case e.Code == winsvc.ErrMarkedForDelete && strings.Contains(err.Error(), "still present when the wait ended"):
			waited++
		case e.Code == 0 && strings.Contains(err.Error(), "not deleted"):
			t.Logf("run %d: the deadline came before the delete was sent: %v", i, err)
		default:
			t.Fatalf("run %d: Delete(Wait) of a service held open = %v; want 1072, still present (or not deleted, before the delete was sent)", i, err)
		}
	}
	if waited == 0 {
		t.Error("no run reached the wait: every deadline came before the delete was sent")
	}
	if ok, err := s.Exists(context.Background()); !ok || err != nil {
		t.Errorf("the service held open: exists %v, %v; want it still there", ok, err)
	}
}

// waitGone waits until service s no longer exists.
func waitGone(t *testing.T, s *winsvc.Service) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if ok, err := s.Exists(context.Background()); err == nil && !ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still exists 10 s later", s.Name())
		}
	}
}
