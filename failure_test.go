package winsvc

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestActionHelpers(t *testing.T) {
	tests := []struct {
		got  Action
		want Action
	}{
		{NoAction(time.Second), Action{ActionNone, time.Second}},
		{RestartAction(5 * time.Second), Action{ActionRestart, 5 * time.Second}},
		{RunCommandAction(time.Minute), Action{ActionRunCommand, time.Minute}},
		{RebootAction(0), Action{ActionReboot, 0}},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("helper gave %+v; want %+v", tt.got, tt.want)
		}
	}
	if f := NoFailureActions(); f == nil || !f.Empty() || f.Actions != nil {
		t.Errorf("NoFailureActions() = %+v", f)
	}
}

func TestResetPeriod(t *testing.T) {
	tests := []struct {
		r        ResetPeriod
		seconds  uint32
		infinite bool
	}{
		{0, 0, false},
		{ResetAfter(90 * time.Second), 90, false},
		{ResetAfter(24 * time.Hour), 86400, false},
		{ResetAfter(1500 * time.Millisecond), 1, false}, // second resolution
		{ResetInfinite, 0xFFFFFFFF, true},
	}
	for _, tt := range tests {
		if got := tt.r.seconds(); got != tt.seconds {
			t.Errorf("%v.Seconds() = %d; want %d", time.Duration(tt.r), got, tt.seconds)
		}
		if got := tt.r.Infinite(); got != tt.infinite {
			t.Errorf("%v.Infinite() = %v", time.Duration(tt.r), got)
		}
	}
	if r := resetPeriodFromSeconds(0xFFFFFFFF); !r.Infinite() || r != ResetInfinite {
		t.Errorf("resetPeriodFromSeconds(INFINITE) = %v", time.Duration(r))
	}
	for _, s := range []uint32{0, 1, 86400, 0xFFFFFFFE} {
		r := resetPeriodFromSeconds(s)
		if r.Infinite() || r.seconds() != s {
			t.Errorf("resetPeriodFromSeconds(%d) round trip = %d (infinite %v)", s, r.seconds(), r.Infinite())
		}
	}
}

func TestFailureActionsEmpty(t *testing.T) {
	tests := []struct {
		f    FailureActions
		want bool
	}{
		{FailureActions{}, true},
		{FailureActions{ResetPeriod: ResetAfter(time.Hour)}, true}, // a reset period alone configures nothing
		{FailureActions{Actions: []Action{}}, true},
		{FailureActions{Actions: []Action{NoAction(0)}}, false},
		{FailureActions{RebootMessage: "bye"}, false},
		{FailureActions{Command: "cmd"}, false},
	}
	for _, tt := range tests {
		if got := tt.f.Empty(); got != tt.want {
			t.Errorf("%+v.Empty() = %v; want %v", tt.f, got, tt.want)
		}
	}
}

func TestFailureActionsEqual(t *testing.T) {
	base := FailureActions{
		ResetPeriod: ResetAfter(time.Hour), RebootMessage: "bye", Command: `C:\fix.cmd`,
		Actions: []Action{RestartAction(5 * time.Second), RunCommandAction(time.Minute)},
	}
	mod := func(fn func(f *FailureActions)) FailureActions {
		f := base
		f.Actions = append([]Action{}, base.Actions...)
		fn(&f)
		return f
	}
	tests := []struct {
		name string
		a, b FailureActions
		want bool
	}{
		{"same", base, mod(func(*FailureActions) {}), true},
		{"delay below a millisecond", base, mod(func(f *FailureActions) { f.Actions[0].Delay += 300 * time.Microsecond }), true},
		{"reset below a second", base, mod(func(f *FailureActions) { f.ResetPeriod += ResetPeriod(200 * time.Millisecond) }), true},
		{"reset period", base, mod(func(f *FailureActions) { f.ResetPeriod = ResetAfter(2 * time.Hour) }), false},
		{"infinite reset", base, mod(func(f *FailureActions) { f.ResetPeriod = ResetInfinite }), false},
		{"reboot message", base, mod(func(f *FailureActions) { f.RebootMessage = "" }), false},
		{"command", base, mod(func(f *FailureActions) { f.Command = "other" }), false},
		{"action type", base, mod(func(f *FailureActions) { f.Actions[1].Type = ActionReboot }), false},
		{"action delay", base, mod(func(f *FailureActions) { f.Actions[1].Delay = time.Second }), false},
		{"one action fewer", base, mod(func(f *FailureActions) { f.Actions = f.Actions[:1] }), false},
		{"no actions: reset period does not matter",
			FailureActions{ResetPeriod: ResetAfter(time.Hour)}, FailureActions{ResetPeriod: ResetInfinite}, true},
		{"nil and empty actions", FailureActions{}, FailureActions{Actions: []Action{}}, true},
	}
	for _, tt := range tests {
		if got := tt.a.Equal(tt.b); got != tt.want {
			t.Errorf("%s: Equal = %v; want %v", tt.name, got, tt.want)
		}
		if got := tt.b.Equal(tt.a); got != tt.want {
			t.Errorf("%s: Equal is not symmetric", tt.name)
		}
	}
}

func TestFailureActionsHasRebootRestart(t *testing.T) {
	f := FailureActions{Actions: []Action{NoAction(0), RunCommandAction(0)}}
	if f.hasReboot() || f.hasRestart() {
		t.Error("no reboot or restart expected")
	}
	f.Actions = append(f.Actions, RebootAction(0))
	if !f.hasReboot() || f.hasRestart() {
		t.Error("reboot expected, restart not")
	}
	f.Actions = append(f.Actions, RestartAction(0))
	if !f.hasRestart() {
		t.Error("restart expected")
	}
}

func TestFailureActionsJSON(t *testing.T) {
	tests := []struct {
		name string
		f    FailureActions
		want string
	}{
		{
			"empty",
			FailureActions{},
			`{"resetPeriod":0,"rebootMessage":"","command":"","actions":[]}`,
		},
		{
			"infinite is null",
			FailureActions{ResetPeriod: ResetInfinite, Actions: []Action{RestartAction(5 * time.Second)}},
			`{"resetPeriod":null,"rebootMessage":"","command":"","actions":[{"type":"SC_ACTION_RESTART","delay":5000}]}`,
		},
		{
			"everything",
			FailureActions{
				ResetPeriod: ResetAfter(86400 * time.Second), RebootMessage: "going down", Command: `C:\fix.cmd /x`,
				Actions: []Action{RestartAction(time.Minute), RunCommandAction(1500 * time.Millisecond), RebootAction(0), NoAction(0)},
			},
			`{"resetPeriod":86400,"rebootMessage":"going down","command":"C:\\fix.cmd /x","actions":[` +
				`{"type":"SC_ACTION_RESTART","delay":60000},{"type":"SC_ACTION_RUN_COMMAND","delay":1500},` +
				`{"type":"SC_ACTION_REBOOT","delay":0},{"type":"SC_ACTION_NONE","delay":0}]}`,
		},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.f)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, b, tt.want)
		}
		var back FailureActions
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !back.Equal(tt.f) || back.ResetPeriod.seconds() != tt.f.ResetPeriod.seconds() {
			t.Errorf("%s: round trip = %+v; want %+v", tt.name, back, tt.f)
		}
		if back.Actions == nil {
			t.Errorf("%s: round trip of a list gave nil actions", tt.name)
		}
	}
}

func TestFailureActionsUnmarshal(t *testing.T) {
	tests := []struct {
		in       string
		infinite bool
		seconds  uint32
		actions  []Action
	}{
		{`{}`, false, 0, nil},
		{`{"resetPeriod":null}`, true, 0xFFFFFFFF, nil},
		{`{"resetPeriod":60,"actions":[{"type":"restart","delay":100}]}`, false, 60, []Action{RestartAction(100 * time.Millisecond)}},
		{`{"actions":[{"type":"SC_ACTION_RUN_COMMAND","delay":0},{"type":"none","delay":7}]}`, false, 0,
			[]Action{RunCommandAction(0), NoAction(7 * time.Millisecond)}},
		{`{"actions":[{"type":"SC_ACTION_NONE","delay":1},{"type":"0","delay":2}]}`, false, 0,
			[]Action{NoAction(time.Millisecond), {Delay: 2 * time.Millisecond}}},
	}
	for _, tt := range tests {
		var f FailureActions
		if err := json.Unmarshal([]byte(tt.in), &f); err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if f.ResetPeriod.Infinite() != tt.infinite || f.ResetPeriod.seconds() != tt.seconds {
			t.Errorf("%s: reset period = %v", tt.in, time.Duration(f.ResetPeriod))
		}
		if !f.Equal(FailureActions{ResetPeriod: f.ResetPeriod, Actions: tt.actions}) {
			t.Errorf("%s: actions = %+v; want %+v", tt.in, f.Actions, tt.actions)
		}
	}
	var f FailureActions
	for _, bad := range []string{`[]`, `{"actions":[{"type":"explode"}]}`, `{"resetPeriod":"x"}`} {
		if err := json.Unmarshal([]byte(bad), &f); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	// SC_ACTION_NONE is the zero value: an action without a type, or with
	// an empty or null one, is refused rather than read as NONE.
	for _, bad := range []string{`{"actions":[{"type":"restart","delay":1},{"delay":5000}]}`,
		`{"actions":[{"type":"restart","delay":1},{"type":null,"delay":5000}]}`,
		`{"actions":[{"type":"restart","delay":1},{"type":"","delay":5000}]}`} {
		err := json.Unmarshal([]byte(bad), &f)
		var ve *ValidationError
		if !errors.As(err, &ve) || !strings.HasPrefix(ve.Field, "failureActions.actions") || !strings.HasSuffix(ve.Field, ".type") ||
			!slices.Contains(ve.Allowed, "SC_ACTION_NONE") {
			t.Errorf("%s: %v; want a failureActions.actions type error listing the types", bad, err)
		}
	}
}
