package cli

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/winsvc/winsvc"
)

var (
	startCmd = &command{name: "start", group: groupControl, summary: "Start a service and wait until it is RUNNING",
		usage: "start NAME [ARG ...] [--no-wait] [--timeout D] [--ensure]",
		details: "Arguments after NAME are passed to the service. Put \"--\" before arguments that\n" +
			"look like winsvc options. The wait ends with an error at once when the service\n" +
			"stops or its process exits while starting, or before it connected to the SCM\n" +
			"(1067), when its checkpoint stalls, or at --timeout (1053); the error shows the\n" +
			"last status.",
		examples: []string{"winsvc start MySvc", "winsvc start MySvc --verbose -- --json", "winsvc start MySvc --no-wait", "winsvc start MySvc --timeout 2m --ensure"},
		options:  waitOpts, minArgs: 1, maxArgs: -1, passthrough: true, nameArg: true,
		action: transition((*winsvc.Service).Start, winsvc.Running, true)}
	stopCmd = &command{name: "stop", group: groupControl, summary: "Stop a service and wait until it is STOPPED",
		usage: "stop NAME [--with-dependents] [--no-wait] [--timeout D] [--ensure]",
		details: "The service must be active and accept STOP. With --with-dependents, the\n" +
			"services that depend on it are stopped first, and named; the JSON form is then\n" +
			"{\"status\": ..., \"stoppedDependents\": [...]}.",
		examples: []string{"winsvc stop MySvc", "winsvc stop MySvc --timeout 10s", "winsvc stop MySvc --with-dependents"},
		options:  append([]*option{optWithDependents}, waitOpts...), minArgs: 1, maxArgs: 1, nameArg: true,
		action: transition((*winsvc.Service).Stop, winsvc.Stopped, false)}
	pauseCmd = &command{name: "pause", group: groupControl, summary: "Pause a running service and wait until it is PAUSED",
		usage: "pause NAME [--no-wait] [--timeout D] [--ensure]", examples: []string{"winsvc pause MySvc"},
		details: "The service must be RUNNING and accept PAUSE_CONTINUE.",
		options: waitOpts, minArgs: 1, maxArgs: 1, nameArg: true,
		action: transition((*winsvc.Service).Pause, winsvc.Paused, false)}
	continueCmd = &command{name: "continue", group: groupControl, summary: "Resume a paused service and wait until it is RUNNING",
		usage: "continue NAME [--no-wait] [--timeout D] [--ensure]", examples: []string{"winsvc continue MySvc"},
		details: "The service must be PAUSED and accept PAUSE_CONTINUE.",
		options: waitOpts, minArgs: 1, maxArgs: 1, nameArg: true,
		action: transition((*winsvc.Service).Continue, winsvc.Running, false)}
	interrogateCmd = &command{name: "interrogate", group: groupControl, summary: "Ask a service to report its status now",
		usage: "interrogate NAME", examples: []string{"winsvc interrogate MySvc"},
		minArgs: 1, maxArgs: 1, nameArg: true,
		action: newAction(parseInterrogate, runControl, printsStatus(false))}
	controlCmd = &command{name: "control", group: groupControl, summary: "Send a control code to a service",
		usage: "control NAME CODE",
		details: "CODE is a user-defined control (128-255), or stop (1), pause (2), continue (3)\n" +
			"or interrogate (4), which are sent without waiting, or paramchange (6),\n" +
			"netbindadd (7), netbindremove (8), netbindenable (9) or netbinddisable (10).",
		examples: []string{"winsvc control MySvc 200", "winsvc control MySvc pause"},
		args:     [][]string{nil, sortedKeys(controlNames)},
		minArgs:  2, maxArgs: 2, nameArg: true,
		action: newAction(parseControl, runControl, printsStatus(false))}
)

var optWithDependents = &option{name: "with-dependents", bool: true, help: "stop the services that depend on this one first"}

// WaitOptions are the waiting flags of the state-changing verbs.
type WaitOptions struct {
	NoWait  bool
	Timeout time.Duration
	Ensure  bool
}

func parseWait(p *parsed) (WaitOptions, error) {
	d, err := p.duration(optTimeout, defaultTimeout)
	return WaitOptions{NoWait: p.on(optNoWait), Timeout: d, Ensure: p.on(optEnsure)}, err
}

// controlOptions converts the flags for package winsvc.
func (w WaitOptions) controlOptions(args ...string) []winsvc.ControlOption {
	var out []winsvc.ControlOption
	if len(args) > 0 {
		out = append(out, winsvc.WithArgs(args...))
	}
	if w.NoWait {
		out = append(out, winsvc.NoWait())
	}
	if w.Ensure {
		out = append(out, winsvc.Ensure())
	}
	return out
}

// TransitionOptions are the Options of start, stop, pause and continue.
type TransitionOptions struct {
	Name           string
	Args           []string // start only
	WithDependents bool     // stop only
	Wait           WaitOptions
}

func parseTransition(p *parsed) (*TransitionOptions, error) {
	w, err := parseWait(p)
	o := &TransitionOptions{Name: p.arg(0), Args: p.args[1:], WithDependents: p.on(optWithDependents), Wait: w}
	if len(o.Args) == 0 {
		o.Args = nil
	}
	return o, err
}

// control is a state-changing method of winsvc.Service: Start, Stop, Pause
// or Continue.
type control func(s *winsvc.Service, ctx context.Context, opts ...winsvc.ControlOption) error

// transition is the action of start, stop, pause and continue: send does
// the control, waiting for its target state unless --no-wait; then the
// status is printed, with PID and FLAGS when ex (as sc start prints it).
func transition(send control, target winsvc.State, ex bool) action {
	run := func(ctx context.Context, e *env, o *TransitionOptions) (statusResult, error) {
		return runTransition(ctx, e, o, send, target)
	}
	return newAction(parseTransition, run, printsStatus(ex))
}

func runTransition(ctx context.Context, e *env, o *TransitionOptions, send control, target winsvc.State) (statusResult, error) {
	m, svc, err := e.service(o.Name)
	if err != nil {
		return statusResult{}, err
	}
	if o.WithDependents {
		return stopWithDependents(ctx, e, m, svc, o)
	}
	wctx, cancel := context.WithTimeout(ctx, o.Wait.Timeout)
	defer cancel()
	done := e.progress(wctx, byName{m}, o.Name, !o.Wait.NoWait)
	err = send(svc, wctx, o.Wait.controlOptions(o.Args...)...)
	done()
	if err != nil {
		return statusResult{}, err
	}
	st, err := e.statusAfter(ctx, byName{m}, o.Name, target)
	return statusResult{st, st}, err
}

// statusResult is a status to print: sc's block in text, and doc in JSON
// (the Status itself, or a document around it).
type statusResult struct {
	status winsvc.Status
	doc    any
}

// statusAfter reads the status of service name after a control that
// succeeded: one that reached state target, or was sent (--no-wait). A
// service marked for deletion goes when it stops, so after a stop, a
// service that is gone is reported STOPPED (the rest of its status unknown),
// with a warning: the stop did what was asked.
func (e *env) statusAfter(ctx context.Context, m statusReader, name string, target winsvc.State) (winsvc.Status, error) {
	st, err := e.statusOf(ctx, m, name)
	if target == winsvc.Stopped && (errors.Is(err, winsvc.ErrNotFound) || errors.Is(err, winsvc.ErrMarkedForDelete)) {
		e.warn("%s was marked for deletion: the SCM removed it once it stopped", name)
		return winsvc.Status{Name: name, State: winsvc.Stopped}, nil
	}
	return st, err
}

// printsStatus renders a statusResult: the block sc prints (with PID and
// FLAGS when ex), or the JSON document.
func printsStatus(ex bool) func(e *env, r statusResult) error {
	return func(e *env, r statusResult) error { return e.printStatusWith(r.status, ex, r.doc) }
}

// byName reads a service's status and existence by name, through an entity
// that reads nothing else.
type byName struct{ SCM }

func (m byName) Status(ctx context.Context, name string) (winsvc.Status, error) {
	s, err := m.Service(name)
	if err != nil {
		return winsvc.Status{}, err
	}
	return s.Status(ctx)
}

func (m byName) Exists(ctx context.Context, name string) (bool, error) {
	s, err := m.Service(name)
	if err != nil {
		return false, err
	}
	return s.Exists(ctx)
}

// statusReader is what status output and progress use; tests replace it.
type statusReader interface {
	Status(ctx context.Context, name string) (winsvc.Status, error)
	DisplayName(ctx context.Context, key string) (string, error)
}

// statusOf reads the status of service name for output (see
// fillDisplayName).
func (e *env) statusOf(ctx context.Context, m statusReader, name string) (winsvc.Status, error) {
	st, err := m.Status(ctx, name)
	if err == nil {
		e.fillDisplayName(ctx, m, &st)
	}
	return st, err
}

// fillDisplayName sets the display name of a status that is printed as
// JSON: Manager.Status and the controls do not report it, and the JSON
// status always has it. Text output has no display name, so it costs no
// call there. A display name that cannot be read stays "".
func (e *env) fillDisplayName(ctx context.Context, m statusReader, st *winsvc.Status) {
	if e.json && st.DisplayName == "" && st.Name != "" {
		st.DisplayName, _ = m.DisplayName(ctx, st.Name)
	}
}

func (e *env) printStatus(st winsvc.Status, ex bool) error {
	if e.json {
		return e.writeJSON(st)
	}
	renderStatus(e.io.Out, st, statusLayout{ex: ex})
	return nil
}

// printStatusWith prints st as sc does, or doc as JSON.
func (e *env) printStatusWith(st winsvc.Status, ex bool, doc any) error {
	if e.json {
		return e.writeJSON(doc)
	}
	return e.printStatus(st, ex)
}

// ControlOptions are the Options of interrogate and control.
type ControlOptions struct {
	Name string
	Code uint32 // winsvc.ControlInterrogate for interrogate
}

// controlNames are the names sc control accepts, and the standard controls.
var controlNames = map[string]uint32{
	"stop": winsvc.ControlStop, "pause": winsvc.ControlPause, "continue": winsvc.ControlContinue,
	"interrogate": winsvc.ControlInterrogate, "paramchange": winsvc.ControlParamChange,
	"netbindadd": winsvc.ControlNetBindAdd, "netbindremove": winsvc.ControlNetBindRemove,
	"netbindenable": winsvc.ControlNetBindEnable, "netbinddisable": winsvc.ControlNetBindDisable,
}

func parseInterrogate(p *parsed) (*ControlOptions, error) {
	return &ControlOptions{Name: p.arg(0), Code: winsvc.ControlInterrogate}, nil
}

func parseControl(p *parsed) (*ControlOptions, error) {
	o := &ControlOptions{Name: p.arg(0)}
	s := p.arg(1)
	if c, ok := controlNames[strings.ToLower(s)]; ok {
		o.Code = c
		return o, nil
	}
	n, err := strconv.ParseUint(s, 0, 32)
	if err != nil {
		return nil, p.usagef("control code %q is not a number or one of stop, pause, continue, interrogate, paramchange, netbind*", s)
	}
	o.Code = uint32(n)
	return o, nil
}

// runControl sends the control code: the standard controls without
// waiting, as sc does, and the others through Control, which returns the
// status the service reported.
func runControl(ctx context.Context, e *env, o *ControlOptions) (statusResult, error) {
	m, svc, err := e.service(o.Name)
	if err != nil {
		return statusResult{}, err
	}
	var st winsvc.Status
	reported := false       // the control returned the status
	var target winsvc.State // the state a stop leads to, for statusAfter
	switch o.Code {
	case winsvc.ControlStop:
		err, target = svc.Stop(ctx, winsvc.NoWait()), winsvc.Stopped
	case winsvc.ControlPause:
		err = svc.Pause(ctx, winsvc.NoWait())
	case winsvc.ControlContinue:
		err = svc.Continue(ctx, winsvc.NoWait())
	case winsvc.ControlInterrogate:
		st, err = svc.Interrogate(ctx)
		reported = true
	default:
		st, err = svc.Control(ctx, o.Code)
		reported = true
	}
	switch {
	case err != nil:
		return statusResult{}, err
	case !reported:
		st, err = e.statusAfter(ctx, byName{m}, o.Name, target)
		return statusResult{st, st}, err
	}
	e.fillDisplayName(ctx, byName{m}, &st) // the library names the service in st
	return statusResult{st, st}, nil
}
