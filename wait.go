package winsvc

import (
	"context"
	"errors"
	"fmt"
	"github.com/winsvc/winsvc/internal/scm"
	"time"
)

// DefaultTimeout bounds a wait whose context has no deadline (30 s, as
// pywinservicemanager and Microsoft's samples wait).
const DefaultTimeout = 30 * time.Second

// waitTracker is the pure wait policy: it is fed every status seen while
// waiting for a state and decides when the wait succeeds or fails. The
// platform layer feeds it from SCM notifications, polls and a watch on the
// service's process.
type waitTracker struct {
	want State
	// failOnStop: the wait is for a running or paused service, so STOPPED
	// and an exited process are failures.
	failOnStop bool

	last         Status
	seen         bool
	lastCP       uint32
	lastState    State
	lastProgress time.Time

	// The service's process exitedPID exited at exitedAt with exitCode
	// (processExited).
	exitedPID uint32
	exitedAt  time.Time
	exitCode  uint32
}

func newWaitTracker(want State) *waitTracker {
	return &waitTracker{want: want, failOnStop: want != Stopped}
}

// from records st, the status read before the control that the wait
// follows was sent: the service's process is watched from there on, even
// if the service has stopped by the first status read of the wait.
func (w *waitTracker) from(st Status) *waitTracker {
	w.last = st
	return w
}

// observe records status st seen at now. It returns done when st is the
// awaited state, or an error when the wait has failed: the service stopped
// while it was expected to run, its process exited while the SCM still
// reports it active (at once for a wait for a running or paused service;
// after exitGrace for any other, the SCM not having noticed: Wine's never
// does), or a pending state stopped advancing its checkpoint for longer
// than its wait hint. A status of a process that has exited is never the
// state awaited.
func (w *waitTracker) observe(st Status, now time.Time) (done bool, err error) {
	w.last = st
	if !w.seen || st.State != w.lastState || st.CheckPoint != w.lastCP {
		w.seen, w.lastState, w.lastCP, w.lastProgress = true, st.State, st.CheckPoint, now
	}
	stale := w.exitedPID != 0 && st.State != Stopped && (st.ProcessID == w.exitedPID || st.ProcessID == 0)
	switch {
	case stale && w.failOnStop:
		return false, w.fail(ErrProcessExited, w.exitCode)
	case stale && now.Sub(w.exitedAt) > exitGrace:
		return false, w.fail(fmt.Errorf("%w, and %s later the SCM still reports the service %s", ErrProcessExited, exitGrace, st.State), w.exitCode)
	case stale:
		return false, nil // the SCM may report the stop yet
	case st.State == w.want:
		return true, nil
	case w.failOnStop && st.State == Stopped:
		return false, w.fail(ErrStoppedUnexpectedly, 0)
	case st.State.Pending() && st.WaitHint > 0 && now.Sub(w.lastProgress) > st.WaitHint+stallGrace:
		return false, w.fail(fmt.Errorf("%w: checkpoint %d unchanged for %s (wait hint %s)", ErrStalled,
			st.CheckPoint, now.Sub(w.lastProgress).Round(time.Millisecond), st.WaitHint), 0)
	}
	return false, nil
}

// stallGrace is added to the wait hint before a checkpoint counts as stalled,
// to absorb scheduling and polling delay.
const stallGrace = 250 * time.Millisecond

// processExited records that the service's process pid exited with code
// at now; the statuses observed from then on decide what it means.
func (w *waitTracker) processExited(pid, code uint32, now time.Time) {
	if pid != w.exitedPID {
		w.exitedPID, w.exitCode, w.exitedAt = pid, code, now
	}
}

// exitGrace is how long the SCM's status and the life of the service's
// process may disagree: a wait that saw its service stop waits this long
// for the process to exit, and a process that exited while the SCM reports
// its service active ends a wait this long after.
const exitGrace = scm.ExitGrace

// deleted records that the service was marked for deletion while waited
// for, or is gone already. A wait for STOPPED goes on while the service is
// only marked (it still reports its state while a handle is open) and
// succeeds once it is gone: a deleted service runs no more. Any other wait
// fails with ErrMarkedForDelete.
func (w *waitTracker) deleted(gone bool) (done bool, err error) {
	if w.want == Stopped {
		return gone || (w.seen && w.last.State == Stopped), nil
	}
	return false, w.fail(fmt.Errorf("%w: the service was deleted while waited for", ErrMarkedForDelete), 0)
}

// expired builds the error for a context that ended.
func (w *waitTracker) expired(ctxErr error) error {
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		return w.fail(fmt.Errorf("%w: %w", ErrWaitTimeout, ctxErr), 0)
	}
	return w.fail(ctxErr, 0)
}

// waitEnded returns err, the outcome of an operation that waits with w
// within ctx, unless ctx has ended and err is what that made of a call the
// operation made around its wait (an open, a status read, a check of the
// dependents, a poll): then it is the wait's own error (expired), so that
// a deadline always ends a wait with a *WaitError for the state awaited
// (ErrWaitTimeout), never with a bare context error from another
// operation.
func (w *waitTracker) waitEnded(ctx context.Context, err error) error {
	var we *WaitError
	if err == nil || ctx.Err() == nil || errors.As(err, &we) || !endedBy(ctx, err) {
		return err
	}
	return w.expired(context.Cause(ctx))
}

// endedBy reports whether err is ctx's end: its error or its cause.
func endedBy(ctx context.Context, err error) bool {
	return errors.Is(err, ctx.Err()) || errors.Is(err, context.Cause(ctx))
}

// deadlineErr is the error a deadline (or the other end of ctx) makes of an
// operation that is not a wait for a state: ErrWaitTimeout, with the
// cause, for a deadline; the cause itself otherwise.
func deadlineErr(ctx context.Context) error {
	if cause := context.Cause(ctx); !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return cause
	}
	return fmt.Errorf("%w: %w", ErrWaitTimeout, context.Cause(ctx))
}

func (w *waitTracker) fail(err error, exitCode uint32) error {
	return &WaitError{Want: w.want, Last: w.last, Err: err, ExitCode: exitCode}
}

// pollInterval is how long to sleep between status polls: a tenth of the
// wait hint, within [50 ms, 1 s] (notifications usually wake the waiter
// sooner; polls catch checkpoint progress and missed notifications).
func (w *waitTracker) pollInterval() time.Duration {
	d := w.last.WaitHint / 10
	switch {
	case d < 50*time.Millisecond:
		return 50 * time.Millisecond
	case d > time.Second:
		return time.Second
	}
	return d
}

// withDefaultTimeout gives ctx the default deadline when it has none.
func withDefaultTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, DefaultTimeout)
}
