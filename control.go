package winsvc

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ControlOption tunes Start, Stop, Pause and Continue.
type ControlOption func(*controlOptions)

type controlOptions struct {
	args   []string
	noWait bool
	ensure bool
}

// WithArgs passes start arguments to the service (Start only).
func WithArgs(args ...string) ControlOption { return func(o *controlOptions) { o.args = args } }

// NoWait returns as soon as the SCM accepted the request, without waiting
// for the target state.
func NoWait() ControlOption { return func(o *controlOptions) { o.noWait = true } }

// Ensure makes the call idempotent: a service already in (or moving to) the
// target state is success instead of an error.
func Ensure() ControlOption { return func(o *controlOptions) { o.ensure = true } }

func controlOpts(opts []ControlOption) controlOptions {
	var o controlOptions
	for _, f := range opts {
		f(&o)
	}
	return o
}

// stateError reports that the service's state does not allow an operation.
func stateError(op, name string, code Errno, st Status, why string) error {
	return &Error{Op: op, Service: name, Code: code, Err: fmt.Errorf("%w: service is %s%s", code, st.State, why)}
}

// transition is one state-changing control: what it needs and where it goes.
type transition struct {
	op      string
	access  uint32
	target  State
	from    []State // states the control may be sent in
	already []State // states that count as done (or in progress) for Ensure
	settled []State // of those, the states Ensure returns in at once, without waiting
	accept  Accept  // control the service must accept
	badCode Errno   // code for a service in the wrong state
	send    func(h serviceConn, o controlOptions) error
	// check, when set, runs just before the control is sent, once the
	// state allows it; an error refuses the control.
	check func(ctx context.Context) error
}

var (
	startTransition = transition{
		op: "start", access: accessStart, target: Running,
		from: []State{Stopped}, already: []State{Running, StartPending, ContinuePending, PausePending, Paused},
		// A paused service is started: Ensure must not wait for RUNNING,
		// which only a Continue brings.
		settled: []State{PausePending, Paused},
		badCode: ErrAlreadyRunning,
		send:    func(h serviceConn, o controlOptions) error { return h.start(o.args) },
	}
	stopTransition = transition{
		op: "stop", access: accessStop, target: Stopped,
		from: []State{Running, Paused, PausePending, ContinuePending, StartPending}, already: []State{Stopped, StopPending},
		accept: AcceptStop, badCode: ErrNotActive,
		send: sendControl(ControlStop),
	}
	pauseTransition = transition{
		op: "pause", access: accessPauseContinue, target: Paused,
		from: []State{Running}, already: []State{Paused, PausePending},
		accept: AcceptPauseContinue, badCode: ErrCannotAcceptControl,
		send: sendControl(ControlPause),
	}
	continueTransition = transition{
		op: "continue", access: accessPauseContinue, target: Running,
		from: []State{Paused}, already: []State{Running, ContinuePending},
		accept: AcceptPauseContinue, badCode: ErrCannotAcceptControl,
		send: sendControl(ControlContinue),
	}
)

func sendControl(code uint32) func(serviceConn, controlOptions) error {
	return func(h serviceConn, _ controlOptions) error {
		_, err := h.control(code)
		return err
	}
}

func hasState(list []State, s State) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// run checks the state and the accepted controls, sends the control, and
// waits for the target state unless told not to.
func (s *Service) run(ctx context.Context, t transition, opts []ControlOption) error {
	o := controlOpts(opts)
	ctx, cancel := s.m.waitContext(ctx)
	defer cancel()
	tracker := newWaitTracker(t.target)
	err := s.m.withService(ctx, t.op, s.name, t.access|accessQueryStatus, func(h serviceConn) error {
		st, err := h.status()
		if err != nil {
			return err
		}
		switch {
		case hasState(t.already, st.State) && o.ensure:
			if o.noWait || hasState(t.settled, st.State) {
				return nil
			}
			return waitState(ctx, h, tracker)
		case st.State == Stopped && t.accept == AcceptPauseContinue:
			return stateError(t.op, s.name, ErrNotActive, st, "") // pause or continue: as the SCM answers
		case !hasState(t.from, st.State):
			return stateError(t.op, s.name, t.badCode, st, "")
		case t.accept != 0 && !st.Accepts(t.accept):
			return stateError(t.op, s.name, ErrInvalidControl, st,
				fmt.Sprintf(" and does not accept %s (accepts %s)", t.accept, st.ControlsAccepted))
		}
		if t.check != nil {
			if err := t.check(ctx); err != nil {
				return err
			}
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if err := t.send(h, o); err != nil {
			return err
		}
		if o.noWait {
			return nil
		}
		return waitState(ctx, h, tracker.from(st))
	})
	return wrapErr(t.op, s.name, tracker.waitEnded(ctx, err))
}

// waitState waits with t on h, unless ctx is already done.
func waitState(ctx context.Context, h serviceConn, t *waitTracker) error {
	if ctx.Err() != nil {
		return t.expired(context.Cause(ctx))
	}
	_, err := h.waitFor(ctx, t)
	return err
}

// Start starts the service and, unless NoWait is given, waits until it is
// RUNNING. The service must be STOPPED (with Ensure, a running or starting
// service is success). The wait ends with an error at once if the service
// stops or its process exits while starting, when its checkpoint stalls,
// or at the deadline: ctx's, or DefaultTimeout (30 s) when ctx has none.
// It needs SERVICE_START and SERVICE_QUERY_STATUS.
func (s *Service) Start(ctx context.Context, opts ...ControlOption) error {
	for i, a := range controlOpts(opts).args {
		if err := checkText(fmt.Sprintf("args[%d]", i))(a); err != nil {
			return &Error{Op: "start", Service: s.name, Err: err}
		}
	}
	t := startTransition
	if s.m.quirks().ProcessStartFlaky {
		t.send = retryInternalError(t.send)
	}
	t.send = reportAbortedStart(s.name, t.send)
	return s.run(ctx, t, opts)
}

// startAbortBound: StartService answering ERROR_SERVICE_REQUEST_TIMEOUT
// (1053) sooner than this means the service's process ended before it
// connected to the SCM. The SCM gives a process that runs its whole start
// timeout to connect (30 s by default on Windows, ServicesPipeTimeout; 10 s
// on Wine's); it answers sooner only when the process is gone (at once
// under Wine: docs/wine-scm.md §6).
var startAbortBound = 5 * time.Second

// reportAbortedStart gives a start whose process ended before it connected
// to the SCM the code Windows reports for a process that terminated,
// ERROR_PROCESS_ABORTED (1067), with ErrProcessExited, instead of the
// SCM's "did not respond in a timely fashion" (1053), which would send the
// user to raise a timeout that plays no part.
func reportAbortedStart(name string, send func(serviceConn, controlOptions) error) func(serviceConn, controlOptions) error {
	return func(h serviceConn, o controlOptions) error {
		began := time.Now()
		err := send(h, o)
		if took := time.Since(began); codeOf(err) == ErrRequestTimeout && took < startAbortBound {
			return &Error{Op: "start", Service: name, Code: errProcessAborted,
				Err: fmt.Errorf("%w before it connected to the service control manager: StartService answered %s after %s, sooner than the SCM gives up on a process that runs",
					ErrProcessExited, ErrRequestTimeout.Name(), took.Round(time.Millisecond))}
		}
		return err
	}
}

// retryInternalError calls send again, twice at most, while it fails with
// ERROR_INTERNAL_ERROR: on an SCM whose process creation fails now and
// then that way, without the process having run.
func retryInternalError(send func(serviceConn, controlOptions) error) func(serviceConn, controlOptions) error {
	return func(h serviceConn, o controlOptions) error {
		err := send(h, o)
		for try := 1; try < 3 && codeOf(err) == errInternal; try++ {
			err = send(h, o)
		}
		return err
	}
}

// Stop stops the service and, unless NoWait is given, waits until it is
// STOPPED and its own process has exited (2 s at most). The service must
// be active and accept STOP (with Ensure, a stopped or stopping service is
// success). It needs SERVICE_STOP. While active services depend on it,
// Stop fails with ErrDependentServicesRunning (1051) naming them, as
// Windows' SCM does (on Wine's, which does not check, Stop checks first);
// StopWithDependents stops them first.
func (s *Service) Stop(ctx context.Context, opts ...ControlOption) error {
	ctx, cancel := s.m.waitContext(ctx)
	defer cancel()
	t := stopTransition
	if s.m.quirks().DependentsUntracked {
		t.check = s.refuseRunningDependents // only a stop about to be sent pays for it
	}
	err := s.run(ctx, t, opts)
	if codeOf(err) == ErrDependentServicesRunning {
		if running, _, derr := s.RunningDependents(ctx); derr == nil && len(running) > 0 {
			return dependentsRunning(s.name, running, DependentsFromSCM)
		}
	}
	return err
}

// Pause pauses a RUNNING service that accepts PAUSE_CONTINUE and waits until
// it is PAUSED. It needs SERVICE_PAUSE_CONTINUE.
func (s *Service) Pause(ctx context.Context, opts ...ControlOption) error {
	return s.run(ctx, pauseTransition, opts)
}

// Continue resumes a PAUSED service that accepts PAUSE_CONTINUE and waits
// until it is RUNNING. It needs SERVICE_PAUSE_CONTINUE.
func (s *Service) Continue(ctx context.Context, opts ...ControlOption) error {
	return s.run(ctx, continueTransition, opts)
}

// Interrogate asks the service to report its status now, and returns the
// status. It needs SERVICE_INTERROGATE.
func (s *Service) Interrogate(ctx context.Context) (Status, error) {
	return s.control(ctx, "interrogate", ControlInterrogate, accessInterrogate)
}

// Control sends a control code and returns the status the service
// reported: a user-defined control (128 to 255, needing
// SERVICE_USER_DEFINED_CONTROL), or ControlParamChange or one of the
// ControlNetBind* codes (6 to 10, needing SERVICE_PAUSE_CONTINUE, as
// ControlService documents). The service must accept the control; it does
// not wait for any state.
func (s *Service) Control(ctx context.Context, code uint32) (Status, error) {
	switch {
	case code >= CustomControlMin && code <= CustomControlMax:
		return s.control(ctx, "control", code, accessUserControl)
	case code >= ControlParamChange && code <= ControlNetBindDisable:
		return s.control(ctx, "control", code, accessPauseContinue)
	}
	return Status{}, &Error{Op: "control", Service: s.name,
		Err: invalid("control", code, "Control sends 6 to 10 (PARAMCHANGE, NETBIND*) and user-defined controls, 128 to 255; use Stop, Pause, Continue or Interrogate for 1 to 4")}
}

func (s *Service) control(ctx context.Context, op string, code, access uint32) (Status, error) {
	var st Status
	err := s.m.withService(ctx, op, s.name, access|accessQueryStatus, func(h serviceConn) (err error) {
		if _, err = h.control(code); err != nil {
			return err
		}
		st, err = h.status()
		return err
	})
	st.Name = s.name
	return st, err
}

// Status returns the service's current status. It needs only
// SERVICE_QUERY_STATUS.
func (s *Service) Status(ctx context.Context) (Status, error) { return s.m.status(ctx, s.name) }

// Exists reports whether the service is installed. A service that exists
// but cannot be opened for lack of rights exists: access denied is never
// reported as "not found".
func (s *Service) Exists(ctx context.Context) (bool, error) { return s.m.exists(ctx, s.name) }

// WaitFor waits until the service is in state want, without sending any
// control, and returns the status reached. The deadline is ctx's, or
// DefaultTimeout when ctx has none.
func (s *Service) WaitFor(ctx context.Context, want State) (Status, error) {
	ctx, cancel := s.m.waitContext(ctx)
	defer cancel()
	var st Status
	t := newWaitTracker(want)
	t.failOnStop = false // a plain wait only watches
	err := s.m.withService(ctx, "wait", s.name, accessQueryStatus, func(h serviceConn) (err error) {
		st, err = h.waitFor(ctx, t)
		return err
	})
	st.Name = s.name
	return st, wrapErr("wait", s.name, t.waitEnded(ctx, err))
}

// DeleteOptions tune Delete.
type DeleteOptions struct {
	// Stop stops the service first (and waits for it to stop).
	Stop bool
	// Wait waits until the service is really gone: the SCM only marks a
	// service for deletion while it runs or while any handle to it is
	// open. A service already marked is then waited for, not an error.
	Wait bool
}

// Delete deletes the service. Without Stop, a running service is only
// marked for deletion and disappears once stopped. It needs DELETE (and
// SERVICE_STOP with Stop).
func (s *Service) Delete(ctx context.Context, opts DeleteOptions) error {
	ctx, cancel := s.m.waitContext(ctx)
	defer cancel()
	if opts.Stop {
		if err := s.Stop(ctx, Ensure()); err != nil {
			return asOp("delete", s.name, err)
		}
	}
	err := s.m.withService(ctx, "delete", s.name, accessDelete, func(h serviceConn) error { return h.delete() })
	switch {
	case errors.Is(err, ErrMarkedForDelete) && opts.Wait:
		err = nil // deleted already: wait for it to go
	case err != nil && ctx.Err() != nil && endedBy(ctx, err):
		// The deadline came before the deletion (a stop took it all).
		return &Error{Op: "delete", Service: s.name, Err: fmt.Errorf("not deleted: %w", deadlineErr(ctx))}
	}
	if err != nil || !opts.Wait {
		return err
	}
	// Every end of the wait is one of: gone (nil), still present when ctx
	// ended (1072, whichever call the end interrupted), or another error
	// of the existence check, given as delete's.
	for {
		ok, err := s.Exists(ctx)
		switch {
		case err == nil && !ok:
			return nil
		case ctx.Err() != nil:
			return &Error{Op: "delete", Service: s.name, Code: ErrMarkedForDelete,
				Err: fmt.Errorf("%w: still present when the wait ended: %w", ErrMarkedForDelete, deadlineErr(ctx))}
		case err != nil:
			return asOp("delete", s.name, err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// asOp gives err, an error of a call op made for service name, the
// operation op: the caller's, not the inner call's (an existence check of
// a delete's wait is the delete's).
func asOp(op, name string, err error) error {
	var e *Error
	if errors.As(err, &e) && e.Op != op && e.Service == name {
		return &Error{Op: op, Service: name, Code: e.Code, Err: e.Err, Needs: e.Needs}
	}
	return wrapErr(op, name, err)
}
