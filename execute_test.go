package winsvc

// The executor is tested with a fake service handle (as database/sql tests
// its pool with fakedb): a real SCM cannot be made to fail at an arbitrary
// step of a plan. The Wine integration tests cover a real rollback.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// scriptedRunner is a stepRunner that records the steps run on it ("apply
// <kind>", "undo <kind>", "delete") and fails the calls named in fail.
type scriptedRunner struct {
	fail  map[string]error
	calls []string
}

func (c *scriptedRunner) call(name string) error {
	c.calls = append(c.calls, name)
	return c.fail[name]
}

func (c *scriptedRunner) run(st Step) error {
	dir := "apply"
	if st.undo {
		dir = "undo"
	}
	return c.call(dir + " " + string(st.Kind))
}

func (c *scriptedRunner) deleteService() error { return c.call("delete") }

// updatePlan changes the start type (clearing delayed start), description,
// SID type and preshutdown timeout of fullConfig: steps config, description,
// delayedAutoStart, sidType, preshutdownTimeout.
func updatePlan() *Plan {
	loaded := fullConfig()
	desired := loaded.Clone()
	desired.StartType, desired.DelayedAutoStart = DemandStart, false
	desired.Description = "new"
	desired.SIDType = SIDTypeNone
	desired.PreshutdownTimeout = time.Minute
	p := ComputePlan(loaded, desired, nil, "secret")
	return &p
}

// createPlan creates a service with a description: steps create,
// description, sidType (best effort), preshutdownTimeout (best effort).
func createPlan() *Plan {
	c := defaultConfig("New")
	explicit := (&Definition{BinaryPath: `C:\n.exe`, Description: Ptr("d")}).applyTo(c)
	p := ComputePlan(nil, c, explicit, "secret")
	return &p
}

func kinds(p *Plan) []StepKind {
	var out []StepKind
	for _, s := range p.Steps {
		out = append(out, s.Kind)
	}
	return out
}

func TestExecutePlansUnderTest(t *testing.T) {
	if got, want := kinds(updatePlan()), []StepKind{StepConfig, StepKind(FieldDescription), StepKind(FieldDelayedAutoStart), StepKind(FieldSIDType), StepKind(FieldPreshutdownTimeout)}; !slices.Equal(got, want) {
		t.Fatalf("update plan steps %v; want %v", got, want)
	}
	p := createPlan()
	if got, want := kinds(p), []StepKind{StepCreate, StepKind(FieldDescription), StepKind(FieldSIDType), StepKind(FieldPreshutdownTimeout)}; !slices.Equal(got, want) {
		t.Fatalf("create plan steps %v; want %v", got, want)
	}
	if p.Steps[1].BestEffort || !p.Steps[2].BestEffort || !p.Steps[3].BestEffort {
		t.Fatalf("create plan best effort flags: %+v", p.Steps)
	}
}

func TestExecute(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		plan    *Plan
		fail    map[string]error
		calls   []string
		skipped []StepKind
		errs    []error // the error must match each; nil = success
	}{
		{
			"update in order",
			updatePlan(), nil,
			[]string{"apply config", "apply description", "apply delayedAutoStart", "apply sidType", "apply preshutdownTimeout"},
			nil, nil,
		},
		{
			"create: the create step is done by CreateService, not applied",
			createPlan(), nil,
			[]string{"apply description", "apply sidType", "apply preshutdownTimeout"},
			nil, nil,
		},
		{
			"update fails at the third step: the first two are undone in reverse",
			updatePlan(), map[string]error{"apply delayedAutoStart": errBoom},
			[]string{"apply config", "apply description", "apply delayedAutoStart", "undo description", "undo config"},
			nil, []error{errBoom},
		},
		{
			"update fails at the first step: nothing to undo",
			updatePlan(), map[string]error{"apply config": ErrInvalidAccount},
			[]string{"apply config"},
			nil, []error{ErrInvalidAccount},
		},
		{
			"update fails at the last step",
			updatePlan(), map[string]error{"apply preshutdownTimeout": Errno(5)},
			[]string{"apply config", "apply description", "apply delayedAutoStart", "apply sidType", "apply preshutdownTimeout",
				"undo sidType", "undo delayedAutoStart", "undo description", "undo config"},
			nil, []error{ErrAccessDenied},
		},
		{
			"create fails at a config2 step: deleted, which undoes the rest",
			createPlan(), map[string]error{"apply sidType": Errno(87)},
			[]string{"apply description", "apply sidType", "delete"},
			nil, []error{ErrInvalidParameter},
		},
		{
			"create fails at its first config2 step: deleted",
			createPlan(), map[string]error{"apply description": errBoom},
			[]string{"apply description", "delete"},
			nil, []error{errBoom},
		},
		{
			"best-effort step the SCM does not support is skipped",
			createPlan(), map[string]error{"apply sidType": Errno(124)},
			[]string{"apply description", "apply sidType", "apply preshutdownTimeout"},
			[]StepKind{StepKind(FieldSIDType)}, nil,
		},
		{
			"every unsupported-level code skips a best-effort step",
			createPlan(), map[string]error{"apply sidType": syscall.Errno(1733), "apply preshutdownTimeout": fmt.Errorf("wrapped: %w", syscall.Errno(124))},
			[]string{"apply description", "apply sidType", "apply preshutdownTimeout"},
			[]StepKind{StepKind(FieldSIDType), StepKind(FieldPreshutdownTimeout)}, nil,
		},
		{
			"a best-effort step failing otherwise is not skipped",
			createPlan(), map[string]error{"apply sidType": Errno(5)},
			[]string{"apply description", "apply sidType", "delete"},
			nil, []error{ErrAccessDenied},
		},
		{
			"an explicit step the SCM does not support fails",
			createPlan(), map[string]error{"apply description": Errno(124)},
			[]string{"apply description", "delete"},
			nil, []error{ErrInvalidLevel},
		},
		{
			"an update step is never best effort",
			updatePlan(), map[string]error{"apply sidType": Errno(124)},
			[]string{"apply config", "apply description", "apply delayedAutoStart", "apply sidType",
				"undo delayedAutoStart", "undo description", "undo config"},
			nil, []error{ErrInvalidLevel},
		},
		{
			"a skipped step is not undone",
			createPlan(), map[string]error{"apply sidType": Errno(124), "apply preshutdownTimeout": errBoom},
			[]string{"apply description", "apply sidType", "apply preshutdownTimeout", "delete"},
			[]StepKind{StepKind(FieldSIDType)}, []error{errBoom},
		},
	}
	for _, tt := range tests {
		h := &scriptedRunner{fail: tt.fail}
		skipped, err := execute(context.Background(), h, tt.plan)
		if !slices.Equal(h.calls, tt.calls) {
			t.Errorf("%s: calls\n got %q\nwant %q", tt.name, h.calls, tt.calls)
		}
		var gotSkipped []StepKind
		for _, s := range skipped {
			gotSkipped = append(gotSkipped, s.Kind)
			if want := tt.fail["apply "+string(s.Kind)]; want == nil || s.Reason != named(want).Error() {
				t.Errorf("%s: skipped %s with reason %q; want %v", tt.name, s.Kind, s.Reason, want)
			}
		}
		if !slices.Equal(gotSkipped, tt.skipped) {
			t.Errorf("%s: skipped %v; want %v", tt.name, gotSkipped, tt.skipped)
		}
		if tt.errs == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		for _, want := range tt.errs {
			if !errors.Is(err, want) {
				t.Errorf("%s: error %v does not match %v", tt.name, err, want)
			}
		}
		if err != nil && strings.Contains(err.Error(), "rollback incomplete") {
			t.Errorf("%s: rollback reported incomplete: %v", tt.name, err)
		}
	}
}

func TestExecuteErrorNamesTheStep(t *testing.T) {
	p := updatePlan()
	h := &scriptedRunner{fail: map[string]error{"apply description": Errno(87)}}
	_, err := execute(context.Background(), h, p)
	if err == nil || !strings.HasPrefix(err.Error(), "description: ERROR_INVALID_PARAMETER (87)") {
		t.Errorf("error = %v; want it to start with the failing step", err)
	}
}

func TestExecuteRollbackErrorsAreJoined(t *testing.T) {
	errApply := errors.New("apply failed")
	errUndoA := errors.New("undo description failed")
	errUndoB := errors.New("undo config failed")
	p := updatePlan()
	h := &scriptedRunner{fail: map[string]error{
		"apply sidType":    errApply,
		"undo description": errUndoA,
		"undo config":      errUndoB,
	}}
	_, err := execute(context.Background(), h, p)
	for _, want := range []error{errApply, errUndoA, errUndoB} {
		if !errors.Is(err, want) {
			t.Errorf("error %v does not match %v", err, want)
		}
	}
	// Every applied step is still undone after an undo fails.
	want := []string{"apply config", "apply description", "apply delayedAutoStart", "apply sidType",
		"undo delayedAutoStart", "undo description", "undo config"}
	if !slices.Equal(h.calls, want) {
		t.Errorf("calls %q; want %q", h.calls, want)
	}
	msg := err.Error()
	for _, part := range []string{"sidType: apply failed", "rollback incomplete", "undo description: undo description failed", "undo config: undo config failed"} {
		if !strings.Contains(msg, part) {
			t.Errorf("error text %q lacks %q", msg, part)
		}
	}
}

func TestExecuteCreateRollbackDeleteFails(t *testing.T) {
	p := createPlan()
	errDelete := Errno(1072)
	h := &scriptedRunner{fail: map[string]error{"apply description": Errno(87), "delete": errDelete}}
	_, err := execute(context.Background(), h, p)
	if !errors.Is(err, ErrInvalidParameter) || !errors.Is(err, ErrMarkedForDelete) || !strings.Contains(err.Error(), "undo create") {
		t.Errorf("error = %v", err)
	}
}

func TestExecuteEmptyPlan(t *testing.T) {
	loaded := fullConfig()
	p := ComputePlan(loaded, loaded.Clone(), nil, "")
	h := &scriptedRunner{}
	skipped, err := execute(context.Background(), h, &p)
	if err != nil || skipped != nil || h.calls != nil {
		t.Errorf("empty plan: %v, %v, calls %q", skipped, err, h.calls)
	}
}

// TestStepErrorsNameTheWin32Code checks that a bare system error from a
// step reads with its Win32 name, in a skip reason and in a failure, and
// still matches its sentinel.
func TestStepErrorsNameTheWin32Code(t *testing.T) {
	p := createPlan()
	h := &scriptedRunner{fail: map[string]error{"apply sidType": syscall.Errno(1733), "apply preshutdownTimeout": syscall.Errno(5)}}
	skipped, err := execute(context.Background(), h, p)
	if len(skipped) != 1 || !strings.Contains(skipped[0].Reason, "RPC_X_ENUM_VALUE_OUT_OF_RANGE (1733)") {
		t.Errorf("skipped = %+v, want a reason naming RPC_X_ENUM_VALUE_OUT_OF_RANGE (1733)", skipped)
	}
	if !errors.Is(err, ErrAccessDenied) || !strings.Contains(err.Error(), "preshutdownTimeout: ERROR_ACCESS_DENIED (5)") {
		t.Errorf("err = %v, want one naming ERROR_ACCESS_DENIED (5) at the preshutdownTimeout step", err)
	}
}
