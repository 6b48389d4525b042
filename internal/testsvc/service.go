//go:build windows

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/winsvc/winsvc/internal/testbed/svclog"
	"github.com/winsvc/winsvc/run"
)

type service struct {
	mode      string
	logPath   string
	delay     time.Duration
	code      uint32
	exit      string // how exitcode and failstart end: specific, win32, error
	shutdown  run.Shutdown
	hookDelay time.Duration
	stopDelay time.Duration
}

func (s *service) log(e svclog.Entry) {
	e.Mode = s.mode
	if err := svclog.Append(s.logPath, e); err != nil {
		fmt.Fprintf(os.Stderr, "testsvc: log: %v\n", err)
	}
}

func (s *service) logControl(event string, c uint32) {
	s.log(svclog.Entry{Event: event, Control: c, ControlName: controlName(c)})
}

// exitProcess logs and ends the process, reporting nothing: a crash.
func (s *service) exitProcess(code uint32, why string) {
	s.log(svclog.Entry{Event: svclog.EventExit, Code: code, Message: why})
	os.Exit(int(code))
}

// options are the mode's: the hooks it has, whether it waits to be ready,
// what it accepts.
func (s *service) options() run.Options {
	o := run.Options{WaitHint: 2 * time.Second, Shutdown: s.shutdown}
	switch s.mode {
	case "plain":
	case "nostop":
		o.NoStop = true
	default:
		o.Pause = func(ctx context.Context) error { return s.pauseContinue(ctx, 2) }
		o.Continue = func(ctx context.Context) error { return s.pauseContinue(ctx, 3) }
		o.ParamChange = func(context.Context) { s.logControl(svclog.EventControl, 6) }
		o.Control = func(_ context.Context, c uint32) { s.logControl(svclog.EventControl, c) }
	}
	switch s.mode {
	case "invalid":
		o.Continue = nil
	case "slowstart":
		o.WaitReady, o.WaitHint = true, 3*time.Second
	case "hang", "crash", "failstart":
		o.WaitReady = true
	}
	return o
}

func (s *service) pauseContinue(ctx context.Context, c uint32) error {
	s.logControl(svclog.EventControl, c)
	busy(ctx, s.hookDelay, time.Second)
	return nil
}

// program is the service's work, as the mode says.
func (s *service) program(ctx context.Context) error {
	s.log(svclog.Entry{Event: svclog.EventStart, Args: run.Args(ctx), CmdLine: os.Args})
	switch s.mode {
	case "hang":
		select {} // START_PENDING, checkpoint 1, for good
	case "crash":
		time.Sleep(s.delay)
		s.exitProcess(7, "crash: os.Exit(7) during start")
	case "failstart":
		time.Sleep(s.delay)
		return s.exitError("failstart: stopped during start")
	case "slowstart":
		busy(ctx, s.delay, 3*time.Second)
	}
	run.Ready(ctx)
	if s.mode == "crashlater" {
		time.AfterFunc(s.delay, func() { s.exitProcess(7, "crashlater: os.Exit(7) while running") })
	}

	<-ctx.Done()
	cause := context.Cause(ctx)
	s.logControl(svclog.EventControl, controlOf(cause))
	if s.mode == "stophang" && cause == run.ErrStop {
		select {} // STOP_PENDING, checkpoint 1, for good
	}
	busy(ctx, s.stopDelay, time.Second)
	if s.mode == "exitcode" {
		return s.exitError("")
	}
	s.log(svclog.Entry{Event: svclog.EventExit})
	return ctx.Err() // a clean stop
}

// exitError is how exitcode and failstart end, as -exit says.
func (s *service) exitError(why string) error {
	switch s.exit {
	case "win32":
		s.log(svclog.Entry{Event: svclog.EventExit, Code: s.code, Message: why})
		return &run.ExitError{Code: s.code, Win32: true}
	case "error":
		s.log(svclog.Entry{Event: svclog.EventExit, Code: 1, Specific: true, Message: why})
		return errors.New("testsvc: failing as asked")
	}
	s.log(svclog.Entry{Event: svclog.EventExit, Code: s.code, Specific: true, Message: why})
	return &run.ExitError{Code: s.code}
}

// busy takes d, reporting the next checkpoint every 100ms with wait hint
// hint.
func busy(ctx context.Context, d, hint time.Duration) {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		run.Progress(ctx, hint)
	}
}

// controlOf is the control that stopped the program for cause.
func controlOf(cause error) uint32 {
	switch cause {
	case run.ErrStop:
		return 1
	case run.ErrShutdown:
		return 5
	case run.ErrPreshutdown:
		return 15
	}
	return 0 // a console's interrupt
}

func controlName(c uint32) string {
	switch c {
	case 0:
		return "interrupt"
	case 1:
		return "stop"
	case 2:
		return "pause"
	case 3:
		return "continue"
	case 4:
		return "interrogate"
	case 5:
		return "shutdown"
	case 6:
		return "paramchange"
	case 15:
		return "preshutdown"
	}
	if c >= 128 && c <= 255 {
		return fmt.Sprintf("user(%d)", c)
	}
	return fmt.Sprintf("control(%d)", c)
}
