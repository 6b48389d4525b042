package run_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"sync/atomic"
	"time"

	"github.com/winsvc/winsvc/run"
)

// A service is a function that works until its context is cancelled. Here
// it runs as go test runs it, in a console, and returns at once.
func Example() {
	err := run.Service(func(ctx context.Context) error {
		fmt.Println("working; a service:", run.IsService())
		// A real service works until ctx is done:
		// <-ctx.Done(); fmt.Println("stopping:", context.Cause(ctx))
		return nil
	}, run.Options{})
	fmt.Println("stopped:", err)
	// Output:
	// working; a service: false
	// stopped: <nil>
}

// The exit code of the service's STOPPED status is the program's: here
// Win32ExitCode 1066 (ERROR_SERVICE_SPECIFIC_ERROR) with
// ServiceSpecificExitCode 3. Service writes the error to the log, and
// returns it.
func Example_exitCode() {
	err := run.Service(func(ctx context.Context) error {
		return &run.ExitError{Code: 3, Err: errors.New("no configuration")}
	}, run.Options{})
	var ee *run.ExitError
	if errors.As(err, &ee) {
		fmt.Printf("exit code %d: %v\n", ee.Code, err)
	}
	// Output:
	// exit code 3: no configuration (service-specific exit code 3)
}

// A service that takes long to start says when it is ready, and reports
// progress meanwhile; its hooks make it pausable and let it reload its
// configuration. The accepted controls follow from the hooks.
func Example_hooks() {
	var paused atomic.Bool // the work loop takes no new work while paused
	err := run.Service(func(ctx context.Context) error {
		for range 3 { // load a large cache, step by step
			run.Progress(ctx, 5*time.Second)
		}
		run.Ready(ctx)
		<-ctx.Done()
		return nil
	}, run.Options{
		WaitReady:   true,
		WaitHint:    5 * time.Second,
		Shutdown:    run.StopOnPreshutdown,
		Pause:       func(ctx context.Context) error { paused.Store(true); return nil },
		Continue:    func(ctx context.Context) error { paused.Store(false); return nil },
		ParamChange: func(ctx context.Context) { log.Print("reloading the configuration") },
		Control:     func(ctx context.Context, code uint32) { log.Printf("custom control %d", code) },
	})
	if err != nil {
		os.Exit(1)
	}
}

// A program host runs another program as the service: RUNNING once it is
// started; asked to stop, it asks the program to stop, waits, then kills
// it, reporting progress before each step; the service's exit code is the
// program's.
func Example_host() {
	host := func(ctx context.Context) error {
		cmd := exec.Command(`C:\app\app.exe`, "--serve")
		if err := cmd.Start(); err != nil {
			return err
		}
		run.Ready(ctx)
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		select {
		case err := <-exited:
			return exitOf(err) // stopped by itself
		case <-ctx.Done():
		}
		const grace = 10 * time.Second
		run.Progress(ctx, grace+time.Second)
		// On Windows, ask with a CTRL_BREAK_EVENT to the program's process group.
		if cmd.Process.Signal(os.Interrupt) == nil {
			select {
			case err := <-exited:
				return exitOf(err)
			case <-time.After(grace):
			}
		}
		run.Progress(ctx, 5*time.Second)
		cmd.Process.Kill()
		return exitOf(<-exited)
	}
	if err := run.Service(host, run.Options{}); err != nil {
		os.Exit(1)
	}
}

// exitOf turns how a hosted program ended into the host's result.
func exitOf(err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return &run.ExitError{Code: uint32(ee.ExitCode()), Err: err}
	}
	return err
}
