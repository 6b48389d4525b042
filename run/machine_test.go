package run

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func nop(context.Context) error { return nil }

// hooked is Options with every hook.
func hooked() Options {
	return Options{Pause: nop, Continue: nop, ParamChange: func(context.Context) {},
		Control: func(context.Context, uint32) {}}
}

// step is one event fed to a machine and what it must answer.
type step struct {
	do    string // start, ready, ready-wait (start waiting for Ready), progress, control N, pause-done, continue-done, ...
	hint  uint32 // progress: the wait hint
	err   error  // hook results
	want  string // the status reported, as "STATE accepts/checkpoint/hint"; "" for none
	cause error  // control: the cause to stop with
	call  hook   // control: the hook to call
}

func (st status) String() string {
	names := map[state]string{stopped: "STOPPED", startPending: "START_PENDING", stopPending: "STOP_PENDING",
		running: "RUNNING", continuePending: "CONTINUE_PENDING", pausePending: "PAUSE_PENDING", paused: "PAUSED"}
	return fmt.Sprintf("%s %#x/%d/%d", names[st.State], uint32(st.Accepts), st.CheckPoint, st.WaitHint)
}

func runSteps(t *testing.T, o Options, steps []step) {
	t.Helper()
	m := newMachine(&o)
	for i, s := range steps {
		var st status
		var ok bool
		var cause error
		var call hook
		switch {
		case s.do == "start":
			st, ok = m.start(false), true
		case s.do == "start-wait":
			st, ok = m.start(true), true
		case s.do == "ready":
			st, ok = m.ready()
		case s.do == "progress":
			st, ok = m.progress(s.hint)
		case s.do == "pause-done":
			st, ok = m.hookDone(pauseHook, s.err)
		case s.do == "continue-done":
			st, ok = m.hookDone(continueHook, s.err)
		case strings.HasPrefix(s.do, "control "):
			var c uint32
			fmt.Sscan(strings.TrimPrefix(s.do, "control "), &c)
			st, ok, call, cause = m.control(c)
		default:
			t.Fatalf("step %d: unknown %q", i, s.do)
		}
		got := ""
		if ok {
			got = st.String()
		}
		if got != s.want || cause != s.cause || call != s.call {
			t.Fatalf("step %d (%s): reported %q, cause %v, hook %d; want %q, %v, %d", i, s.do, got, cause, call, s.want, s.cause, s.call)
		}
	}
}

func TestMachineStartAtOnce(t *testing.T) {
	runSteps(t, Options{}, []step{
		{do: "start", want: "RUNNING 0x5/0/0"},
		{do: "ready"},                // nothing: already running
		{do: "progress", hint: 1000}, // nothing: not pending
		{do: "control 4"},            // INTERROGATE: the SCM knows the status
		{do: "control 1", want: "STOP_PENDING 0x0/1/10000", cause: ErrStop},
		{do: "progress", hint: 3000, want: "STOP_PENDING 0x0/2/3000"},
		{do: "progress", hint: 500, want: "STOP_PENDING 0x0/3/500"},
		{do: "control 1"}, // a second STOP changes nothing
		{do: "control 5"},
	})
}

func TestMachineWaitReady(t *testing.T) {
	runSteps(t, Options{WaitHint: 2 * time.Second}, []step{
		{do: "start-wait", want: "START_PENDING 0x0/1/2000"},
		{do: "control 1"}, // no control while starting
		{do: "progress", hint: 3000, want: "START_PENDING 0x0/2/3000"},
		{do: "progress", hint: 3000, want: "START_PENDING 0x0/3/3000"},
		{do: "ready", want: "RUNNING 0x5/0/0"},
		{do: "ready"},
		{do: "control 5", want: "STOP_PENDING 0x0/1/2000", cause: ErrShutdown},
	})
}

func TestMachinePauseContinue(t *testing.T) {
	runSteps(t, hooked(), []step{
		{do: "start", want: "RUNNING 0xf/0/0"},
		{do: "control 3"}, // CONTINUE of a running service
		{do: "control 2", want: "PAUSE_PENDING 0x5/1/10000", call: pauseHook},
		{do: "control 2"}, // while pausing
		{do: "progress", hint: 100, want: "PAUSE_PENDING 0x5/2/100"},
		{do: "pause-done", want: "PAUSED 0xf/0/0"},
		{do: "control 200", call: controlHook},
		{do: "control 6", call: paramChangeHook},
		{do: "control 3", want: "CONTINUE_PENDING 0x5/1/10000", call: continueHook},
		{do: "continue-done", want: "RUNNING 0xf/0/0"},
		{do: "continue-done"}, // late: nothing pending
		{do: "control 2", want: "PAUSE_PENDING 0x5/1/10000", call: pauseHook},
		{do: "pause-done", err: errors.New("busy"), want: "RUNNING 0xf/0/0"}, // failed: still running
		{do: "control 2", want: "PAUSE_PENDING 0x5/1/10000", call: pauseHook},
		{do: "pause-done", want: "PAUSED 0xf/0/0"},
		{do: "control 3", want: "CONTINUE_PENDING 0x5/1/10000", call: continueHook},
		{do: "continue-done", err: errors.New("busy"), want: "PAUSED 0xf/0/0"}, // failed: still paused
		{do: "control 1", want: "STOP_PENDING 0x0/1/10000", cause: ErrStop},    // a paused service stops
	})
}

func TestMachineStopWhilePausing(t *testing.T) {
	runSteps(t, hooked(), []step{
		{do: "start", want: "RUNNING 0xf/0/0"},
		{do: "control 2", want: "PAUSE_PENDING 0x5/1/10000", call: pauseHook},
		{do: "control 1", want: "STOP_PENDING 0x0/1/10000", cause: ErrStop},
		{do: "pause-done"}, // the pause ended after the stop: still stopping
		{do: "progress", hint: 7, want: "STOP_PENDING 0x0/2/7"},
	})
}

// TestMachineRefusesWhatItDoesNotAccept: controls that the options do not
// accept change nothing, even if they arrive.
func TestMachineRefusesWhatItDoesNotAccept(t *testing.T) {
	runSteps(t, Options{NoStop: true, Shutdown: StopOnPreshutdown}, []step{
		{do: "start", want: "RUNNING 0x104/0/0"},
		{do: "control 1"},   // NoStop
		{do: "control 2"},   // no Pause hook
		{do: "control 6"},   // no ParamChange hook
		{do: "control 200"}, // no Control hook
		{do: "control 127"},
		{do: "control 15", want: "STOP_PENDING 0x0/1/10000", cause: ErrPreshutdown},
	})
	runSteps(t, Options{Shutdown: IgnoreShutdown}, []step{
		{do: "start", want: "RUNNING 0x1/0/0"},
		{do: "control 5"},
		{do: "control 15"},
		{do: "control 1", want: "STOP_PENDING 0x0/1/10000", cause: ErrStop},
	})
}

func TestMachineShouldCall(t *testing.T) {
	o := hooked()
	m := newMachine(&o)
	m.start(false)
	m.control(controlPause)
	if !m.shouldCall(pauseHook) || m.shouldCall(continueHook) || !m.shouldCall(controlHook) {
		t.Error("while pausing: the pause hook and custom controls are due, continue is not")
	}
	m.control(controlStop)
	if m.shouldCall(pauseHook) || !m.shouldCall(controlHook) {
		t.Error("once stopping: a queued pause is not due, a queued custom control is")
	}
	m.exited()
	if m.shouldCall(controlHook) || m.shouldCall(paramChangeHook) {
		t.Error("once stopped: nothing is due")
	}
}

func TestMillis(t *testing.T) {
	for d, want := range map[time.Duration]uint32{
		-time.Second: 0, 0: 0, 1500 * time.Microsecond: 1, 3 * time.Second: 3000,
		maxWaitHint: 1<<32 - 1, 100 * 24 * time.Hour: 1<<32 - 1,
	} {
		if got := millis(d); got != want {
			t.Errorf("millis(%v) = %d, want %d", d, got, want)
		}
	}
}
