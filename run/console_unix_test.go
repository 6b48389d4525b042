//go:build unix

package run

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestConsoleSignals: in a console, SIGINT and SIGTERM cancel the program's
// context with ErrInterrupt; what the program returns then is what Service
// returns, its context's error being a clean stop.
func TestConsoleSignals(t *testing.T) {
	if IsService() {
		t.Fatal("IsService is true outside Windows")
	}
	for _, c := range []struct {
		sig    syscall.Signal
		ret    func(ctx context.Context) error
		result string // "" for nil
	}{
		{syscall.SIGINT, func(ctx context.Context) error { return ctx.Err() }, ""},
		{syscall.SIGTERM, context.Cause, ""},
		{syscall.SIGTERM, func(context.Context) error { return &ExitError{Code: 3} }, "service-specific exit code 3"},
	} {
		var cause error
		started := make(chan struct{})
		go func() {
			<-started
			syscall.Kill(os.Getpid(), c.sig)
		}()
		err := Service(func(ctx context.Context) error {
			Ready(ctx) // does nothing in a console
			close(started)
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
				return errors.New("no signal arrived")
			}
			cause = context.Cause(ctx)
			return c.ret(ctx)
		}, Options{WaitReady: true})
		if got := fmt.Sprint(err); (c.result == "" && err != nil) || (c.result != "" && got != c.result) {
			t.Errorf("%v: Service = %v, want %q", c.sig, err, c.result)
		}
		if !errors.Is(cause, ErrInterrupt) || !strings.Contains(fmt.Sprint(cause), c.sig.String()) {
			t.Errorf("%v: cause %v, want ErrInterrupt naming the signal", c.sig, cause)
		}
	}
}

// TestConsoleProcess runs a console program built on Service as a process:
// the first SIGINT asks it to stop, a second one ends it at once; a program
// that fails has its error written to stderr.
func TestConsoleProcess(t *testing.T) {
	if os.Getenv("RUN_CONSOLE_HELPER") != "" {
		consoleHelper()
		return
	}
	start := func(mode string) (*exec.Cmd, *bufio.Reader, *strings.Builder) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestConsoleProcess$")
		cmd.Env = append(os.Environ(), "RUN_CONSOLE_HELPER="+mode)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, bufio.NewReader(out), &stderr
	}
	// Nothing may hang: a line or an exit that does not come within 10 s
	// fails the test, and the process is killed.
	expect := func(cmd *exec.Cmd, r *bufio.Reader, want string) {
		t.Helper()
		timer := time.AfterFunc(10*time.Second, func() { cmd.Process.Kill() })
		defer timer.Stop()
		if line, err := r.ReadString('\n'); strings.TrimSpace(line) != want {
			t.Fatalf("the program printed %q (%v), want %q", line, err, want)
		}
	}
	wait := func(cmd *exec.Cmd) error {
		t.Helper()
		timer := time.AfterFunc(10*time.Second, func() { cmd.Process.Kill() })
		defer timer.Stop()
		return cmd.Wait()
	}

	cmd, out, _ := start("hang")
	expect(cmd, out, "started")
	cmd.Process.Signal(os.Interrupt)
	expect(cmd, out, "stopping: interrupted: interrupt")
	cmd.Process.Signal(os.Interrupt)
	err := wait(cmd)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGINT {
		t.Errorf("after a second SIGINT: %v; want the process ended by SIGINT", err)
	}

	cmd, out, stderr := start("fail")
	expect(cmd, out, "started")
	cmd.Process.Signal(syscall.SIGTERM)
	expect(cmd, out, "stopping: interrupted: terminated")
	err = wait(cmd)
	if !errors.As(err, &ee) || ee.ExitCode() != 3 || !strings.Contains(stderr.String(), "flush failed (service-specific exit code 3)") {
		t.Errorf("a failing program: %v, stderr %q; want exit status 3 and the error on stderr", err, stderr)
	}
}

// consoleHelper is the program of TestConsoleProcess: it hangs or fails
// when asked to stop.
func consoleHelper() {
	err := Service(func(ctx context.Context) error {
		fmt.Println("started")
		<-ctx.Done()
		fmt.Println("stopping:", context.Cause(ctx))
		if os.Getenv("RUN_CONSOLE_HELPER") == "hang" {
			select {}
		}
		return &ExitError{Code: 3, Err: errors.New("flush failed")}
	}, Options{})
	var ee *ExitError
	if errors.As(err, &ee) {
		os.Exit(int(ee.Code))
	}
	os.Exit(0)
}
