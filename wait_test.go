package winsvc

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// t0 is the synthetic start time of every wait below; no test sleeps.
var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// observation is one status seen at an offset from t0.
type observation struct {
	at time.Duration
	st Status
}

func pending(s State, cp uint32, hint time.Duration) Status {
	return Status{Name: "Svc", State: s, CheckPoint: cp, WaitHint: hint}
}

func TestWaitTracker(t *testing.T) {
	tests := []struct {
		name string
		want State
		seen []observation
		// the outcome of the last observation; every earlier one must be
		// neither done nor failed
		done    bool
		wantErr error
	}{
		{
			"already running", Running,
			[]observation{{0, Status{State: Running}}},
			true, nil,
		},
		{
			"start pending then running", Running,
			[]observation{{0, pending(StartPending, 1, time.Second)}, {500 * time.Millisecond, pending(StartPending, 2, time.Second)}, {time.Second, Status{State: Running}}},
			true, nil,
		},
		{
			"stopped while waiting for running", Running,
			[]observation{{0, pending(StartPending, 1, time.Second)}, {100 * time.Millisecond, Status{State: Stopped, Win32ExitCode: 1066, ServiceSpecificExitCode: 7}}},
			false, ErrStoppedUnexpectedly,
		},
		{
			"stopped while waiting for paused", Paused,
			[]observation{{0, pending(PausePending, 1, time.Second)}, {time.Millisecond, Status{State: Stopped}}},
			false, ErrStoppedUnexpectedly,
		},
		{
			"stop pending then stopped", Stopped,
			[]observation{{0, pending(StopPending, 1, 2*time.Second)}, {time.Second, pending(StopPending, 2, 2*time.Second)}, {2 * time.Second, Status{State: Stopped}}},
			true, nil,
		},
		{
			"stalled checkpoint beyond the wait hint and the grace", Running,
			[]observation{
				{0, pending(StartPending, 3, time.Second)},
				{time.Second, pending(StartPending, 3, time.Second)},
				{time.Second + stallGrace, pending(StartPending, 3, time.Second)}, // exactly hint+grace: not yet
				{time.Second + stallGrace + time.Millisecond, pending(StartPending, 3, time.Second)},
			},
			false, ErrStalled,
		},
		{
			"stalled stop", Stopped,
			[]observation{{0, pending(StopPending, 1, 100*time.Millisecond)}, {time.Second, pending(StopPending, 1, 100*time.Millisecond)}},
			false, ErrStalled,
		},
		{
			"advancing checkpoints never stall", Running,
			func() []observation {
				var obs []observation
				for i := 0; i < 100; i++ {
					obs = append(obs, observation{time.Duration(i) * 900 * time.Millisecond, pending(StartPending, uint32(i), time.Second)})
				}
				return obs
			}(),
			false, nil,
		},
		{
			"a state change counts as progress", Running,
			[]observation{
				{0, pending(ContinuePending, 5, time.Second)},
				{time.Second, pending(ContinuePending, 5, time.Second)},
				{2 * time.Second, pending(StartPending, 5, time.Second)}, // same checkpoint, new state
				{3 * time.Second, pending(StartPending, 5, time.Second)},
			},
			false, nil,
		},
		{
			"no wait hint: no stall detection", Running,
			[]observation{{0, pending(StartPending, 1, 0)}, {time.Hour, pending(StartPending, 1, 0)}},
			false, nil,
		},
		{
			"a steady non-pending state is not a stall", Running,
			[]observation{{0, Status{State: Paused, WaitHint: time.Millisecond}}, {time.Hour, Status{State: Paused, WaitHint: time.Millisecond}}},
			false, nil,
		},
		{
			"a plain wait for stopped ignores running", Stopped,
			[]observation{{0, Status{State: Running}}, {time.Minute, Status{State: Running}}},
			false, nil,
		},
	}
	for _, tt := range tests {
		w := newWaitTracker(tt.want)
		var done bool
		var err error
		for i, o := range tt.seen {
			done, err = w.observe(o.st, t0.Add(o.at))
			if i < len(tt.seen)-1 && (done || err != nil) {
				t.Fatalf("%s: observation %d ended the wait early: %v, %v", tt.name, i, done, err)
			}
		}
		last := tt.seen[len(tt.seen)-1].st
		if done != tt.done {
			t.Errorf("%s: done = %v; want %v", tt.name, done, tt.done)
		}
		if tt.wantErr == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: error %v; want %v", tt.name, err, tt.wantErr)
			continue
		}
		var we *WaitError
		if !errors.As(err, &we) {
			t.Fatalf("%s: error %T is not a *WaitError", tt.name, err)
		}
		if we.Want != tt.want || we.Last != last {
			t.Errorf("%s: WaitError want %s, last %+v; want %s, %+v", tt.name, we.Want, we.Last, tt.want, last)
		}
	}
}

func TestWaitTrackerStalledMessage(t *testing.T) {
	w := newWaitTracker(Running)
	w.observe(pending(StartPending, 4, 2*time.Second), t0)
	_, err := w.observe(pending(StartPending, 4, 2*time.Second), t0.Add(3*time.Second))
	if !errors.Is(err, ErrStalled) {
		t.Fatalf("error = %v", err)
	}
	const want = "waiting for RUNNING: the service stopped making progress: checkpoint 4 unchanged for 3s (wait hint 2s); " +
		"last status START_PENDING (checkpoint 4, wait hint 2s)"
	if err.Error() != want {
		t.Errorf("error =\n%s\nwant\n%s", err, want)
	}
}

func TestWaitTrackerStoppedReportsExitCode(t *testing.T) {
	w := newWaitTracker(Running)
	_, err := w.observe(Status{State: Stopped, Win32ExitCode: 1066, ServiceSpecificExitCode: 42}, t0)
	var we *WaitError
	if !errors.As(err, &we) || we.Last.ServiceSpecificExitCode != 42 || !strings.Contains(err.Error(), "service-specific exit code 42") {
		t.Errorf("error = %v", err)
	}
}

// TestWaitTrackerProcessExited: the exit of the service's process decides a
// wait with the statuses that follow: a wait for a running or paused
// service fails at once while the SCM reports the service active; any other
// wait goes on for exitGrace, in case the SCM reports the stop, and then
// fails; a status of the exited process is never the state awaited (Wine's
// SCM reports RUNNING for a crashed service); another process's is.
func TestWaitTrackerProcessExited(t *testing.T) {
	const pid = 7
	active := func(s State) Status { return Status{State: s, ProcessID: pid, WaitHint: time.Second, CheckPoint: 1} }
	for _, want := range []State{Running, Paused} {
		w := newWaitTracker(want)
		w.observe(active(StartPending), t0)
		w.processExited(pid, 3, t0)
		_, err := w.observe(active(StartPending), t0)
		var we *WaitError
		if !errors.Is(err, ErrProcessExited) || !errors.As(err, &we) || we.ExitCode != 3 || we.Last.State != StartPending || we.Want != want {
			t.Errorf("wait for %s: %#v", want, err)
		}
	}
	for _, tt := range []struct {
		want       State
		failOnStop bool
		st         Status
		after      time.Duration
		done       bool
		err        bool
	}{
		{Running, true, active(Running), 0, false, true},              // Start: RUNNING of a dead process
		{Running, false, active(Running), time.Second, false, false},  // WaitFor: the SCM may yet notice
		{Running, false, active(Running), exitGrace + 1, false, true}, // ... but has not
		{Running, false, Status{State: Running, ProcessID: 8}, 0, true, false},
		{Stopped, false, active(StopPending), time.Second, false, false},
		{Stopped, false, Status{State: Stopped}, exitGrace + 1, true, false},
		{Stopped, false, active(Running), exitGrace + 1, false, true},
		{Stopped, false, Status{State: Running}, exitGrace + 1, false, true}, // Wine after a killed STOP: RUNNING, PID 0
	} {
		w := newWaitTracker(tt.want)
		w.failOnStop = tt.failOnStop
		w.processExited(pid, 9, t0)
		done, err := w.observe(tt.st, t0.Add(tt.after))
		var we *WaitError
		if done != tt.done || (err != nil) != tt.err || err != nil && (!errors.Is(err, ErrProcessExited) || !errors.As(err, &we) || we.ExitCode != 9) {
			t.Errorf("wait for %s (failOnStop %v), process exited, then %s (pid %d) %s later: %v, %v", tt.want, tt.failOnStop,
				tt.st.State, tt.st.ProcessID, tt.after, done, err)
		}
		if err != nil && !tt.failOnStop && !strings.Contains(err.Error(), "the SCM still reports the service "+tt.st.State.String()) {
			t.Errorf("error %q does not say what the SCM still reports", err)
		}
	}
	// A plain WaitFor watches a stop without failing.
	plain := newWaitTracker(Running)
	plain.failOnStop = false
	if done, err := plain.observe(Status{State: Stopped}, t0); done || err != nil {
		t.Errorf("plain wait: observe(STOPPED) = %v, %v", done, err)
	}
}

func TestWaitTrackerExpired(t *testing.T) {
	w := newWaitTracker(Running)
	last := pending(StartPending, 2, time.Second)
	w.observe(last, t0)

	err := w.expired(context.DeadlineExceeded)
	if !errors.Is(err, ErrWaitTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: error %v does not match ErrWaitTimeout and context.DeadlineExceeded", err)
	}
	var we *WaitError
	if !errors.As(err, &we) || we.Last != last {
		t.Errorf("deadline: WaitError.Last = %+v; want %+v", we.Last, last)
	}

	// A wrapped deadline is still a timeout.
	err = w.expired(fmt.Errorf("notification wait: %w", context.DeadlineExceeded))
	if !errors.Is(err, ErrWaitTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("wrapped deadline: error %v does not match ErrWaitTimeout", err)
	}

	err = w.expired(context.Canceled)
	if errors.Is(err, ErrWaitTimeout) || !errors.Is(err, context.Canceled) || !errors.As(err, &we) {
		t.Errorf("cancel: error %v", err)
	}

	// Before any status was seen, the last status is empty.
	if err := newWaitTracker(Stopped).expired(context.DeadlineExceeded); !errors.As(err, &we) || we.Last != (Status{}) {
		t.Errorf("no status seen: %v", err)
	}
}

func TestWaitTrackerPollInterval(t *testing.T) {
	tests := []struct {
		hint time.Duration
		want time.Duration
	}{
		{0, 50 * time.Millisecond},
		{100 * time.Millisecond, 50 * time.Millisecond},
		{499 * time.Millisecond, 50 * time.Millisecond},
		{500 * time.Millisecond, 50 * time.Millisecond},
		{2 * time.Second, 200 * time.Millisecond},
		{10 * time.Second, time.Second},
		{30 * time.Second, time.Second},
	}
	for _, tt := range tests {
		w := newWaitTracker(Running)
		w.observe(pending(StartPending, 1, tt.hint), t0)
		if got := w.pollInterval(); got != tt.want {
			t.Errorf("pollInterval with wait hint %v = %v; want %v", tt.hint, got, tt.want)
		}
	}
	if got := newWaitTracker(Running).pollInterval(); got != 50*time.Millisecond {
		t.Errorf("pollInterval before any status = %v", got)
	}
}

func TestNewWaitTrackerFailOnStop(t *testing.T) {
	for s, want := range map[State]bool{Running: true, Paused: true, Stopped: false} {
		if got := newWaitTracker(s).failOnStop; got != want {
			t.Errorf("newWaitTracker(%s).failOnStop = %v; want %v", s, got, want)
		}
	}
}

func TestWithDefaultTimeout(t *testing.T) {
	ctx, cancel := withDefaultTimeout(context.Background())
	defer cancel()
	dl, ok := ctx.Deadline()
	if !ok || time.Until(dl) > DefaultTimeout || time.Until(dl) < DefaultTimeout-time.Minute {
		t.Errorf("default deadline in %v; want about %v", time.Until(dl), DefaultTimeout)
	}
	if DefaultTimeout != 30*time.Second {
		t.Errorf("DefaultTimeout = %v; want 30s, as pywinservicemanager's", DefaultTimeout)
	}

	parentDL := time.Now().Add(time.Hour)
	parent, pcancel := context.WithDeadline(context.Background(), parentDL)
	defer pcancel()
	ctx, cancel = withDefaultTimeout(parent)
	if dl, _ := ctx.Deadline(); !dl.Equal(parentDL) {
		t.Errorf("deadline = %v; want the caller's %v", dl, parentDL)
	}
	cancel()
	if ctx.Err() == nil || parent.Err() != nil {
		t.Error("cancel must end the derived context only")
	}
}

// TestWaitTrackerDeleted: a deletion ends a wait for STOPPED with success
// once the service is gone (or seen stopped), lets it go on while the
// service is only marked, and ends any other wait with ErrMarkedForDelete.
func TestWaitTrackerDeleted(t *testing.T) {
	now := time.Now()
	stop := newWaitTracker(Stopped)
	stop.observe(Status{State: StopPending}, now)
	if done, err := stop.deleted(false); done || err != nil {
		t.Errorf("wait for STOPPED, marked while stopping: %v, %v; want the wait to go on", done, err)
	}
	if done, err := stop.deleted(true); !done || err != nil {
		t.Errorf("wait for STOPPED, gone: %v, %v; want done", done, err)
	}
	run := newWaitTracker(Running)
	run.failOnStop = false // a plain wait only watches
	run.observe(Status{State: Stopped}, now)
	for _, gone := range []bool{false, true} {
		done, err := run.deleted(gone)
		var we *WaitError
		if done || !errors.Is(err, ErrMarkedForDelete) || !errors.As(err, &we) || we.Last.State != Stopped {
			t.Errorf("wait for RUNNING, deleted (gone %v): %v, %v; want a WaitError matching ErrMarkedForDelete", gone, done, err)
		}
	}
}
