package run

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSCM records what a runner reports, in order.
type fakeSCM struct {
	mu       sync.Mutex
	statuses []string
	changed  chan struct{}
}

func newFakeSCM() *fakeSCM { return &fakeSCM{changed: make(chan struct{}, 1)} }

func (f *fakeSCM) report(s status) {
	f.mu.Lock()
	f.statuses = append(f.statuses, s.String())
	f.mu.Unlock()
	select {
	case f.changed <- struct{}{}:
	default:
	}
}

func (f *fakeSCM) reported() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.statuses)
}

// waitFor waits until the last status reported starts with prefix.
func (f *fakeSCM) waitFor(t *testing.T, prefix string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		if s := f.reported(); len(s) > 0 && strings.HasPrefix(s[len(s)-1], prefix) {
			return
		}
		select {
		case <-f.changed:
		case <-deadline:
			t.Fatalf("no %s reported; reported %q", prefix, f.reported())
		}
	}
}

type result struct {
	err      error
	specific bool
	code     uint32
}

// serveAsync serves program with a fake SCM; send controls on the channel
// returned, and read serve's result from the other.
func serveAsync(o Options, args []string, program func(context.Context) error) (*fakeSCM, chan<- uint32, <-chan result) {
	scm := newFakeSCM()
	controls := make(chan uint32)
	done := make(chan result, 1)
	r := newRunner(&o, scm, args)
	go func() {
		var res result
		res.specific, res.code, res.err = r.serve(program, controls)
		done <- res
	}()
	return scm, controls, done
}

func wait(t *testing.T, done <-chan result) result {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not return")
		return result{}
	}
}

// TestRunnerLifecycle runs a program through a whole life with a fake SCM:
// a slow start with progress, pause, continue, PARAMCHANGE, a custom
// control, a stop with progress and a service-specific exit code.
func TestRunnerLifecycle(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	call := func(s string) { mu.Lock(); calls = append(calls, s); mu.Unlock() }
	o := Options{
		WaitReady: true, WaitHint: 2 * time.Second,
		Pause: func(ctx context.Context) error {
			Progress(ctx, 700*time.Millisecond)
			call("pause")
			return nil
		},
		Continue:    func(context.Context) error { call("continue"); return nil },
		ParamChange: func(context.Context) { call("paramchange") },
		Control:     func(_ context.Context, c uint32) { call(fmt.Sprint("control ", c)) },
	}
	var args []string
	var cause error
	started := make(chan struct{})
	scm, controls, done := serveAsync(o, []string{"MySvc", "-v"}, func(ctx context.Context) error {
		args = Args(ctx)
		Progress(ctx, 3*time.Second)
		Progress(ctx, 3*time.Second)
		Ready(ctx)
		close(started)
		<-ctx.Done()
		cause = context.Cause(ctx)
		Progress(ctx, time.Second)
		return &ExitError{Code: 42}
	})
	<-started
	scm.waitFor(t, "RUNNING")
	controls <- controlPause
	scm.waitFor(t, "PAUSED")
	controls <- controlContinue
	scm.waitFor(t, "RUNNING")
	controls <- controlParamChange
	controls <- 201
	controls <- controlInterrogate
	controls <- controlStop
	res := wait(t, done)

	want := []string{
		"START_PENDING 0x0/1/2000", "START_PENDING 0x0/2/3000", "START_PENDING 0x0/3/3000", "RUNNING 0xf/0/0",
		"PAUSE_PENDING 0x5/1/2000", "PAUSE_PENDING 0x5/2/700", "PAUSED 0xf/0/0",
		"CONTINUE_PENDING 0x5/1/2000", "RUNNING 0xf/0/0",
		"STOP_PENDING 0x0/1/2000", "STOP_PENDING 0x0/2/1000",
	}
	if got := scm.reported(); !slices.Equal(got, want) {
		t.Errorf("reported\n %q\nwant\n %q", got, want)
	}
	if !slices.Equal(args, []string{"MySvc", "-v"}) || cause != ErrStop {
		t.Errorf("the program saw args %q and cause %v", args, cause)
	}
	var ee *ExitError
	if !errors.As(res.err, &ee) || !res.specific || res.code != 42 {
		t.Errorf("serve = %+v; want the ExitError, service-specific 42", res)
	}
	mu.Lock()
	defer mu.Unlock()
	// The hooks ran in order; PARAMCHANGE and 201 may still have been
	// running when the stop came, so they are there or not, in order.
	if len(calls) < 2 || !slices.Equal(calls[:2], []string{"pause", "continue"}) ||
		!slices.Equal(calls[2:], []string{"paramchange", "control 201"}[:len(calls)-2]) {
		t.Errorf("hooks called: %q", calls)
	}
}

// TestRunnerSlowHookDoesNotDelayStop: a custom control whose hook blocks
// does not hold up a STOP, nor the end of serve.
func TestRunnerSlowHookDoesNotDelayStop(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	entered := make(chan struct{})
	o := Options{Control: func(context.Context, uint32) { close(entered); <-release }}
	scm, controls, done := serveAsync(o, nil, func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	})
	scm.waitFor(t, "RUNNING")
	controls <- 128
	<-entered
	controls <- controlStop
	res := wait(t, done)
	if res != (result{}) {
		t.Errorf("serve = %+v; want a clean stop", res)
	}
	if got := scm.reported(); !slices.Equal(got, []string{"RUNNING 0x5/0/0", "STOP_PENDING 0x0/1/10000"}) {
		t.Errorf("reported %q", got)
	}
}

// TestRunnerStopWhilePausing: STOP during a slow pause stops the program;
// the pause hook's late return reports nothing.
func TestRunnerStopWhilePausing(t *testing.T) {
	pausing := make(chan struct{})
	paused := make(chan struct{})
	o := Options{
		Pause:    func(ctx context.Context) error { close(pausing); <-ctx.Done(); defer close(paused); return ctx.Err() },
		Continue: nop,
	}
	scm, controls, done := serveAsync(o, nil, func(ctx context.Context) error {
		<-ctx.Done()
		<-paused // return only after the pause hook did
		time.Sleep(10 * time.Millisecond)
		return nil
	})
	scm.waitFor(t, "RUNNING")
	controls <- controlPause
	<-pausing
	controls <- controlStop
	if res := wait(t, done); res != (result{}) {
		t.Errorf("serve = %+v", res)
	}
	want := []string{"RUNNING 0x7/0/0", "PAUSE_PENDING 0x5/1/10000", "STOP_PENDING 0x0/1/10000"}
	if got := scm.reported(); !slices.Equal(got, want) {
		t.Errorf("reported %q, want %q", got, want)
	}
}

// TestRunnerFailsDuringStart: a program that fails before it is ready
// stops with exit code 1, and what it calls after serve returned reports
// nothing.
func TestRunnerFailsDuringStart(t *testing.T) {
	var saved context.Context
	scm, _, done := serveAsync(Options{WaitReady: true}, nil, func(ctx context.Context) error {
		saved = ctx
		return errors.New("no config")
	})
	res := wait(t, done)
	if res.err == nil || res.err.Error() != "no config" || !res.specific || res.code != 1 {
		t.Errorf("serve = %+v; want the error, service-specific 1", res)
	}
	Ready(saved)
	Progress(saved, time.Second)
	if got := scm.reported(); !slices.Equal(got, []string{"START_PENDING 0x0/1/10000"}) {
		t.Errorf("reported %q", got)
	}
	if context.Cause(saved) != context.Canceled {
		t.Errorf("the program's context after serve: cause %v, want context.Canceled", context.Cause(saved))
	}
}

// TestOutsideService: on a context that Service did not make, Ready,
// Progress and Args do nothing.
func TestOutsideService(t *testing.T) {
	ctx := context.Background()
	Ready(ctx)
	Progress(ctx, time.Second)
	if a := Args(ctx); a != nil {
		t.Errorf("Args = %q", a)
	}
}
