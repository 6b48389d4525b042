package run

import (
	"context"
	"log"
	"sync"
)

// reporter is what a run needs of the SCM besides the controls it sends:
// something to report each status to. The Windows glue
// (service_windows.go) hands them to golang.org/x/sys/windows/svc; the tests
// record them.
type reporter interface {
	report(status)
}

// hookQueue is how many hook calls may wait while one runs; past that the
// next control waits, and so does the SCM that sends it.
const hookQueue = 8

type hookCall struct {
	h    hook
	code uint32 // controlHook: the custom control
}

// runner runs the program as a service: it drives the machine with the
// controls from the SCM and what the program says (Ready, Progress), runs
// the hooks one at a time on a goroutine of their own (so that a slow one
// never delays a STOP), and reports every status the machine returns. It
// reports under a lock, so statuses reach the SCM in the machine's order,
// and nothing once serve has returned.
type runner struct {
	opts *Options
	rep  reporter
	args []string // the service's name and start arguments

	mu     sync.Mutex
	m      *machine
	closed bool // serve returned
	cancel context.CancelCauseFunc
	calls  chan hookCall
}

func newRunner(opts *Options, rep reporter, args []string) *runner {
	return &runner{opts: opts, rep: rep, args: args, m: newMachine(opts),
		calls: make(chan hookCall, hookQueue)}
}

// serve reports the first status, runs program and handles the controls
// that arrive on controls until program returns. It returns the exit codes
// of STOPPED and what Service returns.
func (r *runner) serve(program func(context.Context) error, controls <-chan uint32) (specific bool, code uint32, result error) {
	ctx, cancel := context.WithCancelCause(context.WithValue(context.Background(), runnerKey{}, r))
	defer cancel(nil)
	r.cancel = cancel
	r.mu.Lock()
	r.rep.report(r.m.start(r.opts.WaitReady))
	r.mu.Unlock()
	go r.callHooks(ctx)
	done := make(chan error, 1)
	go func() { done <- program(ctx) }()
	for {
		select {
		case c := <-controls:
			r.control(c)
		case err := <-done:
			r.mu.Lock()
			r.m.exited()
			r.closed = true
			cause := r.m.cause
			r.mu.Unlock()
			close(r.calls)
			return exitCodes(err, cause)
		}
	}
}

func (r *runner) control(c uint32) {
	r.mu.Lock()
	st, ok, h, cause := r.m.control(c)
	if ok {
		r.rep.report(st)
	}
	r.mu.Unlock()
	if cause != nil {
		r.cancel(cause)
	}
	if h != noHook {
		r.calls <- hookCall{h: h, code: c}
	}
}

func (r *runner) ready() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.m.ready(); ok && !r.closed {
		r.rep.report(st)
	}
}

func (r *runner) progress(hint uint32) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.m.progress(hint); ok && !r.closed {
		r.rep.report(st)
	}
}

// callHooks calls the hooks queued by control, in order, while they are
// still due.
func (r *runner) callHooks(ctx context.Context) {
	for c := range r.calls {
		r.mu.Lock()
		due := r.m.shouldCall(c.h) && !r.closed
		r.mu.Unlock()
		if !due {
			continue
		}
		switch c.h {
		case pauseHook:
			r.hookDone(c.h, "pause", r.opts.Pause(ctx))
		case continueHook:
			r.hookDone(c.h, "continue", r.opts.Continue(ctx))
		case paramChangeHook:
			r.opts.ParamChange(ctx)
		case controlHook:
			r.opts.Control(ctx, c.code)
		}
	}
}

func (r *runner) hookDone(h hook, name string, err error) {
	if err != nil {
		log.Printf("%s: %v", name, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.m.hookDone(h, err); ok && !r.closed {
		r.rep.report(st)
	}
}
