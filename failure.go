package winsvc

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/winsvc/winsvc/internal/strictjson"
)

// Action is one failure action: what the SCM does on a failure, after Delay.
// The Nth failure uses the Nth action; the last one repeats.
type Action struct {
	Type  ActionType
	Delay time.Duration // millisecond resolution
}

// NoAction, RestartAction, RunCommandAction and RebootAction build actions.
func NoAction(delay time.Duration) Action      { return Action{ActionNone, delay} }
func RestartAction(delay time.Duration) Action { return Action{ActionRestart, delay} }

// RunCommandAction runs FailureActions.Command after delay.
func RunCommandAction(delay time.Duration) Action { return Action{ActionRunCommand, delay} }

// RebootAction reboots the computer after delay, broadcasting
// FailureActions.RebootMessage. Saving it needs the shutdown privilege, which
// winsvc enables for the call.
func RebootAction(delay time.Duration) Action { return Action{ActionReboot, delay} }

// ResetPeriod is how long after the last failure the failure count goes back
// to zero. ResetInfinite never resets it.
type ResetPeriod time.Duration

// ResetInfinite means the failure count is never reset (INFINITE).
const ResetInfinite ResetPeriod = -1

// ResetAfter returns a reset period of d (second resolution).
func ResetAfter(d time.Duration) ResetPeriod { return ResetPeriod(d) }

// Infinite reports whether r never resets the failure count.
func (r ResetPeriod) Infinite() bool { return r < 0 }

// seconds returns the Win32 value: seconds, or INFINITE (0xFFFFFFFF).
func (r ResetPeriod) seconds() uint32 {
	if r.Infinite() {
		return 0xFFFFFFFF
	}
	return uint32(time.Duration(r) / time.Second)
}

// resetPeriodFromSeconds converts the Win32 value back.
func resetPeriodFromSeconds(s uint32) ResetPeriod {
	if s == 0xFFFFFFFF {
		return ResetInfinite
	}
	return ResetPeriod(time.Duration(s) * time.Second)
}

// FailureActions is what the SCM does when the service fails
// (SERVICE_FAILURE_ACTIONS). In a Definition, a nil *FailureActions leaves
// the setting unchanged, NoFailureActions() clears it, and any other value
// sets it. Within a loaded service, an empty RebootMessage or Command is
// deleted when saved, and an empty Actions list deletes all actions.
type FailureActions struct {
	ResetPeriod   ResetPeriod
	RebootMessage string
	Command       string
	Actions       []Action
}

// NoFailureActions returns the value that clears all failure actions.
func NoFailureActions() *FailureActions { return &FailureActions{} }

// Empty reports whether f has no actions, message or command.
func (f FailureActions) Empty() bool {
	return len(f.Actions) == 0 && f.RebootMessage == "" && f.Command == ""
}

// Equal reports whether f and g configure the same behaviour.
func (f FailureActions) Equal(g FailureActions) bool {
	if f.RebootMessage != g.RebootMessage || f.Command != g.Command || len(f.Actions) != len(g.Actions) {
		return false
	}
	if len(f.Actions) > 0 && f.ResetPeriod.seconds() != g.ResetPeriod.seconds() {
		return false
	}
	for i := range f.Actions {
		if f.Actions[i].Type != g.Actions[i].Type || f.Actions[i].Delay.Milliseconds() != g.Actions[i].Delay.Milliseconds() {
			return false
		}
	}
	return true
}

func (f FailureActions) hasReboot() bool {
	for _, a := range f.Actions {
		if a.Type == ActionReboot {
			return true
		}
	}
	return false
}

func (f FailureActions) hasRestart() bool {
	for _, a := range f.Actions {
		if a.Type == ActionRestart {
			return true
		}
	}
	return false
}

type actionJSON struct {
	Type  *ActionType `json:"type"`  // required: SC_ACTION_NONE is 0, so absent is not NONE
	Delay int64       `json:"delay"` // milliseconds
}

type failureActionsJSON struct {
	ResetPeriod   *uint32      `json:"resetPeriod"` // seconds; null means INFINITE
	RebootMessage string       `json:"rebootMessage"`
	Command       string       `json:"command"`
	Actions       []actionJSON `json:"actions"`
}

// MarshalJSON writes {resetPeriod (seconds, null for INFINITE),
// rebootMessage, command, actions [{type, delay (ms)}]}.
func (f FailureActions) MarshalJSON() ([]byte, error) {
	j := failureActionsJSON{RebootMessage: f.RebootMessage, Command: f.Command, Actions: []actionJSON{}}
	if !f.ResetPeriod.Infinite() {
		s := f.ResetPeriod.seconds()
		j.ResetPeriod = &s
	}
	for _, a := range f.Actions {
		j.Actions = append(j.Actions, actionJSON{&a.Type, a.Delay.Milliseconds()})
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the form written by MarshalJSON. An absent resetPeriod
// means 0; null means INFINITE. Every action needs its type, "SC_ACTION_NONE"
// included.
func (f *FailureActions) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var j failureActionsJSON
	if err := strictjson.Decode(b, &j); err != nil {
		return err
	}
	*f = FailureActions{RebootMessage: j.RebootMessage, Command: j.Command}
	if rp, ok := raw["resetPeriod"]; ok && string(rp) == "null" {
		f.ResetPeriod = ResetInfinite
	} else if j.ResetPeriod != nil {
		f.ResetPeriod = resetPeriodFromSeconds(*j.ResetPeriod)
	}
	for i, a := range j.Actions {
		if a.Type == nil {
			return invalid(fmt.Sprintf("%s.actions[%d].type", FieldFailureActions, i), "(none)", "every action needs a type",
				actionTypeSpec.AllowedNames()...)
		}
		f.Actions = append(f.Actions, Action{*a.Type, time.Duration(a.Delay) * time.Millisecond})
	}
	if f.Actions == nil && j.Actions != nil {
		f.Actions = []Action{}
	}
	return nil
}

// clone returns a copy of f that shares no memory with it.
func (f FailureActions) clone() FailureActions {
	f.Actions = slices.Clone(f.Actions)
	return f
}

// text renders f for a plan report.
func (f FailureActions) text() string {
	if f.Empty() {
		return "(none)"
	}
	var parts []string
	for _, a := range f.Actions {
		parts = append(parts, fmt.Sprintf("%s/%s", a.Type, a.Delay))
	}
	reset := "INFINITE"
	if !f.ResetPeriod.Infinite() {
		reset = time.Duration(f.ResetPeriod).String()
	}
	return fmt.Sprintf("reset=%s reboot=%q command=%q actions=[%s]", reset, f.RebootMessage, f.Command, strings.Join(parts, " "))
}
