package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/winsvc/winsvc"
)

func init() {
	register(
		&command{name: "start", group: groupControl, summary: "Start a service and wait until it is RUNNING",
			usage: "start NAME [ARG ...] [--no-wait] [--timeout D] [--ensure]",
			details: "Arguments after NAME are passed to the service. Put \"--\" before arguments that\n" +
				"look like winsvc options. The wait ends with an error at once when the service\n" +
				"stops or its process exits while starting (1067), when its checkpoint stalls,\n" +
				"or at --timeout (1053); the error shows the last status.",
			examples: []string{"winsvc start MySvc", "winsvc start MySvc --verbose -- --json", "winsvc start MySvc --no-wait", "winsvc start MySvc --timeout 2m --ensure"},
			options:  waitOpts, minArgs: 1, maxArgs: -1, passthrough: true, nameArg: true,
			build: buildTransition("start")},
		&command{name: "stop", group: groupControl, summary: "Stop a service and wait until it is STOPPED",
			usage: "stop NAME [--with-dependents] [--no-wait] [--timeout D] [--ensure]",
			details: "The service must be active and accept STOP. With --with-dependents, the\n" +
				"services that depend on it are stopped first, and named; the JSON form is then\n" +
				"{\"status\": ..., \"stoppedDependents\": [...]}.",
			examples: []string{"winsvc stop MySvc", "winsvc stop MySvc --timeout 10s", "winsvc stop MySvc --with-dependents"},
			options:  append([]*option{optWithDependents}, waitOpts...), minArgs: 1, maxArgs: 1, nameArg: true,
			build: buildTransition("stop")},
		&command{name: "pause", group: groupControl, summary: "Pause a running service and wait until it is PAUSED",
			usage: "pause NAME [--no-wait] [--timeout D] [--ensure]", examples: []string{"winsvc pause MySvc"},
			details: "The service must be RUNNING and accept PAUSE_CONTINUE.",
			options: waitOpts, minArgs: 1, maxArgs: 1, nameArg: true, build: buildTransition("pause")},
		&command{name: "continue", group: groupControl, summary: "Resume a paused service and wait until it is RUNNING",
			usage: "continue NAME [--no-wait] [--timeout D] [--ensure]", examples: []string{"winsvc continue MySvc"},
			details: "The service must be PAUSED and accept PAUSE_CONTINUE.",
			options: waitOpts, minArgs: 1, maxArgs: 1, nameArg: true, build: buildTransition("continue")},
		&command{name: "interrogate", group: groupControl, summary: "Ask a service to report its status now",
			usage: "interrogate NAME", examples: []string{"winsvc interrogate MySvc"},
			minArgs: 1, maxArgs: 1, nameArg: true, build: buildControl},
		&command{name: "control", group: groupControl, summary: "Send a control code to a service",
			usage: "control NAME CODE",
			details: "CODE is a user-defined control (128-255), or stop (1), pause (2), continue (3)\n" +
				"or interrogate (4), which are sent without waiting, or paramchange (6),\n" +
				"netbindadd (7), netbindremove (8), netbindenable (9) or netbinddisable (10).",
			examples: []string{"winsvc control MySvc 200", "winsvc control MySvc pause"},
			args:     [][]string{nil, sortedKeys(controlNames)},
			minArgs:  2, maxArgs: 2, nameArg: true, build: buildControl},
	)
}

const groupControl = "Control"

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
	Op             string // start, stop, pause or continue
	Name           string
	Args           []string // start only
	WithDependents bool     // stop only
	Wait           WaitOptions
}

func buildTransition(op string) func(p *parsed) (runner, error) {
	return func(p *parsed) (runner, error) {
		w, err := parseWait(p)
		o := &TransitionOptions{Op: op, Name: p.arg(0), Args: p.args[1:], WithDependents: p.on(optWithDependents), Wait: w}
		if len(o.Args) == 0 {
			o.Args = nil
		}
		return o, err
	}
}

func (o *TransitionOptions) run(ctx context.Context, e *env) error {
	m, svc, err := e.service(o.Name)
	if err != nil {
		return err
	}
	if o.WithDependents {
		return stopWithDependents(ctx, e, m, svc, o)
	}
	wctx, cancel := context.WithTimeout(ctx, o.Wait.Timeout)
	defer cancel()
	done := e.progress(wctx, byName{m}, o.Op, o.Name, !o.Wait.NoWait)
	opts := o.Wait.controlOptions(o.Args...)
	switch o.Op {
	case "start":
		err = svc.Start(wctx, opts...)
	case "stop":
		err = svc.Stop(wctx, opts...)
	case "pause":
		err = svc.Pause(wctx, opts...)
	case "continue":
		err = svc.Continue(wctx, opts...)
	}
	done()
	if err != nil {
		return err
	}
	return e.showStatus(ctx, byName{m}, o.Name, o.Op == "start")
}

// byName reads a service's status and existence by name, through an entity
// that reads nothing else.
type byName struct{ *winsvc.Manager }

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

// showStatus prints the service's status after a control: the block sc
// prints (with PID and FLAGS when ex), or the Status as JSON.
func (e *env) showStatus(ctx context.Context, m statusReader, name string, ex bool) error {
	st, err := e.statusOf(ctx, m, name)
	if err != nil {
		return err
	}
	return e.printStatus(st, ex)
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

func buildControl(p *parsed) (runner, error) {
	o := &ControlOptions{Name: p.arg(0), Code: winsvc.ControlInterrogate}
	if p.cmd.name == "interrogate" {
		return o, nil
	}
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

func (o *ControlOptions) run(ctx context.Context, e *env) error {
	m, svc, err := e.service(o.Name)
	if err != nil {
		return err
	}
	var st winsvc.Status
	reported := false // the control returned the status
	switch o.Code {
	case winsvc.ControlStop:
		err = svc.Stop(ctx, winsvc.NoWait())
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
	if err != nil {
		return err
	}
	if !reported {
		return e.showStatus(ctx, byName{m}, o.Name, false)
	}
	e.fillDisplayName(ctx, byName{m}, &st) // the library names the service in st
	return e.printStatus(st, false)
}

// progressInterval is how often progress reads the status.
var progressInterval = 200 * time.Millisecond

// progress shows the state, checkpoint and elapsed time of a wait on
// stderr, when stderr is a terminal and the output is not JSON. It polls the
// status while the library waits. The returned function ends it.
func (e *env) progress(ctx context.Context, m statusReader, op, name string, waiting bool) (done func()) {
	if !waiting || e.json || !e.io.ErrTTY {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		start := time.Now()
		width := 0
		tick := time.NewTicker(progressInterval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				fmt.Fprintf(e.io.ErrOut, "\r%s\r", strings.Repeat(" ", width))
				return
			case <-tick.C:
			}
			st, err := m.Status(ctx, name)
			if err != nil {
				continue
			}
			line := e.redact.text(fmt.Sprintf("%s %s: %s, checkpoint %d, %s", op, name, st.State, st.CheckPoint,
				time.Since(start).Round(100*time.Millisecond)))
			fmt.Fprintf(e.io.ErrOut, "\r%-*s", width, line)
			width = max(width, len(line))
		}
	}()
	return func() {
		cancel()
		<-finished
	}
}
