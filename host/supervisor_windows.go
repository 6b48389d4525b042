package host

import (
	"context"
	"errors"
	"io"
	"runtime/debug"
	"syscall"
	"time"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/cmdline"
	"github.com/winsvc/winsvc/run"
)

// supervise starts the program, restarts it as p.Restart says, and stops
// it when ctx is cancelled.
func supervise(ctx context.Context, p *Program, ev *events, stdout, stderr io.Writer) error {
	b := newBackoff(p.Restart)
	line := cmdline.Join(p.Path, p.Args...)
	for attempt := 0; ; attempt++ {
		pr, err := startProcess(p, stdout, stderr)
		if err != nil {
			ev.printf("start failed: %s: %v", line, err)
			if attempt == 0 {
				return startError(err)
			}
			if !waitRestart(ctx, ev, b.exited(1, 0), attempt) {
				return nil
			}
			continue
		}
		ev.printf("started process %d: %s", pr.pid, line)
		if attempt == 0 {
			run.Ready(ctx)
			// What reading the settings and starting allocated is
			// garbage from now on: give it back, so that the idle host
			// holds little memory (BenchmarkHost/idle).
			debug.FreeOSMemory()
		}
		select {
		case <-ctx.Done():
			stop(ctx, p, ev, pr)
			return nil
		case <-pr.done:
		}
		ran := time.Since(pr.started)
		pr.endTree()
		ev.printf("process %d exited with code %d after %v", pr.pid, pr.code, ran.Round(time.Millisecond))
		d := b.exited(pr.code, ran)
		if !d.Restart {
			if d.Success {
				ev.printf("not restarted (restart %s): the service stops", p.Restart.resolved().When)
				return nil
			}
			ev.printf("not restarted (restart %s): the service stops with exit code %d", p.Restart.resolved().When, pr.code)
			return &run.ExitError{Code: pr.code}
		}
		if !waitRestart(ctx, ev, d, attempt+1) {
			return nil
		}
	}
}

// waitRestart logs and waits for the restart's delay; false when the stop
// came first.
func waitRestart(ctx context.Context, ev *events, d decision, restart int) bool {
	why := ""
	if d.Throttled {
		why = ", throttled: it exited within the throttle time of its start"
	}
	ev.printf("restarting in %v (restart %d%s)", d.Delay, restart, why)
	t := time.NewTimer(d.Delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		ev.printf("stop requested while waiting to restart: not restarted")
		return false
	case <-t.C:
		return true
	}
}

// startError is the service's exit for a program that could not start:
// the Win32 error (ERROR_FILE_NOT_FOUND for a missing program, ...).
func startError(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return &run.ExitError{Code: uint32(errno), Win32: true, Err: err}
	}
	return err
}

// stop ends the program: Ctrl+C, Ctrl+Break, WM_CLOSE, each followed by a
// wait of p.StopTimeout for it to exit (a step that cannot be taken is
// skipped at once), then the end of its job; whatever is left of its
// process tree is ended with it.
func stop(ctx context.Context, p *Program, ev *events, pr *process) {
	steps := []struct {
		name string
		do   func() error
	}{
		{"Ctrl+C", func() error { return sendCtrl(pr.pid, windows.CTRL_C_EVENT) }},
		{"Ctrl+Break", func() error { return sendCtrl(pr.pid, windows.CTRL_BREAK_EVENT) }},
		{"WM_CLOSE", func() error {
			pids, err := pr.job.pids()
			if err != nil {
				return err
			}
			if closeWindows(pids) == 0 {
				return errors.New("the program has no window")
			}
			return nil
		}},
	}
	ev.printf("stop requested: stopping process %d", pr.pid)
	for i, s := range steps {
		run.Progress(ctx, p.StopTimeout+time.Second)
		if err := s.do(); err != nil {
			ev.printf("stop: %s not sent: %v", s.name, err)
			continue
		}
		ev.printf("stop: sent %s, waiting %v", s.name, p.StopTimeout)
		select {
		case <-pr.done:
			ev.printf("process %d exited with code %d after %s", pr.pid, pr.code, s.name)
			pr.endTree()
			return
		case <-time.After(p.StopTimeout):
			if i+1 < len(steps) {
				ev.printf("stop escalated: process %d still running after %s", pr.pid, s.name)
			}
		}
	}
	run.Progress(ctx, 10*time.Second)
	ev.printf("stop escalated: ending the process tree of %d", pr.pid)
	pr.endTree()
	select {
	case <-pr.done:
		ev.printf("process %d ended (exit code %d)", pr.pid, pr.code)
	case <-time.After(5 * time.Second):
		ev.printf("process %d did not end after its job was terminated", pr.pid)
	}
}
