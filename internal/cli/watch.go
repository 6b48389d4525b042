package cli

import (
	"context"
	"errors"
	"slices"
	"sort"
	"time"

	"github.com/winsvc/winsvc"
)

var (
	waitCmd = &command{name: "wait", group: groupExtra, summary: "Wait until a service reaches a state",
		usage: "wait NAME STATE [--timeout D]",
		details: "STATE is running, stopped, paused, start-pending, stop-pending, pause-pending,\n" +
			"continue-pending or a Win32 name such as RUNNING. Nothing is sent to the\n" +
			"service. At --timeout (default 30s) the exit status is 1053 and the error\n" +
			"shows the last status.",
		examples: []string{"winsvc wait MySvc running --timeout 2m", "winsvc wait MySvc STOPPED"},
		args:     [][]string{nil, {"running", "stopped", "paused", "start-pending", "stop-pending", "pause-pending", "continue-pending"}},
		options:  []*option{optTimeout}, minArgs: 2, maxArgs: 2, nameArg: true,
		action: newAction(parseWaitState, runWaitState, printsStatus(true))}
	watchCmd = &command{name: "watch", group: groupExtra, summary: "Print state changes as they happen, until interrupted",
		usage: "watch [NAME] [--interval D] [--timeout D]",
		details: "Without NAME, watches every Win32 service, and reports services that appear\n" +
			"or disappear too. One line per change (with --json, one JSON object per line:\n" +
			"time, name, from, to, status). It polls every --interval (default 500ms).\n" +
			"It runs until interrupted (Ctrl-C, exit status 0), or for --timeout.",
		examples: []string{"winsvc watch MySvc", "winsvc watch --json", "winsvc watch MySvc --timeout 1m --interval 100ms"},
		options:  []*option{optInterval, optWatchFor}, maxArgs: 1, nameArg: true,
		// watch prints each change as it sees it: a stream, with no result
		// to render at the end.
		action: newAction(parseWatch, runWatch, nil)}
)

var (
	optInterval = &option{name: "interval", value: "DURATION", help: "how often to poll (default 500ms)"}
	optWatchFor = &option{name: "timeout", value: "DURATION", help: "stop watching after this long (default: until interrupted)"}
)

// allStates are the states a service can be in.
var allStates = []winsvc.State{winsvc.Stopped, winsvc.StartPending, winsvc.StopPending, winsvc.Running,
	winsvc.ContinuePending, winsvc.PausePending, winsvc.Paused}

// WaitStateOptions are the Options of wait.
type WaitStateOptions struct {
	Name    string
	State   winsvc.State
	Timeout time.Duration
}

func parseWaitState(p *parsed) (*WaitStateOptions, error) {
	st, err := parseEnum[winsvc.State](p.arg(1))
	if err != nil || !slices.Contains(allStates, st) { // a number parses to any state, even one without a name
		return nil, p.usagef("state %q: use running, stopped, paused or a *_PENDING state", p.arg(1))
	}
	d, err := p.duration(optTimeout, defaultTimeout)
	return &WaitStateOptions{Name: p.arg(0), State: st, Timeout: d}, err
}

func runWaitState(ctx context.Context, e *env, o *WaitStateOptions) (statusResult, error) {
	m, svc, err := e.service(o.Name)
	if err != nil {
		return statusResult{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	done := e.progress(ctx, byName{m}, o.Name, true)
	st, err := svc.WaitFor(ctx, o.State)
	done()
	if err != nil {
		return statusResult{}, err
	}
	e.fillDisplayName(ctx, byName{m}, &st)
	return statusResult{st, st}, nil
}

// WatchOptions are the Options of watch.
type WatchOptions struct {
	Name     string // "" for every service
	Interval time.Duration
	For      time.Duration // 0: until interrupted
}

func parseWatch(p *parsed) (*WatchOptions, error) {
	o := &WatchOptions{Name: p.arg(0)}
	var err error
	if o.Interval, err = p.duration(optInterval, 500*time.Millisecond); err != nil {
		return nil, err
	}
	if o.Interval <= 0 {
		return nil, p.usagef("--interval must be positive")
	}
	o.For, err = p.duration(optWatchFor, 0)
	return o, err
}

// change is one event watch reports.
type change struct {
	Time   time.Time      `json:"time"`
	Name   string         `json:"name"`
	From   string         `json:"from"` // "" when the service appeared
	To     string         `json:"to"`   // "" when the service disappeared
	Status *winsvc.Status `json:"status"`
}

// snapshot maps service names to their status.
type snapshot map[string]winsvc.Status

// diff returns the changes from old to cur; a nil old reports nothing but
// the initial state of a single watched service.
func diff(old, cur snapshot, now time.Time) []change {
	var out []change
	for name, st := range cur {
		prev, seen := old[name]
		switch {
		case !seen && old != nil:
			out = append(out, change{Time: now, Name: name, To: st.State.String(), Status: &st})
		case seen && (prev.State != st.State || prev.ProcessID != st.ProcessID):
			out = append(out, change{Time: now, Name: name, From: prev.State.String(), To: st.State.String(), Status: &st})
		}
	}
	for name, prev := range old {
		if _, ok := cur[name]; !ok {
			out = append(out, change{Time: now, Name: name, From: prev.State.String()})
		}
	}
	sortChanges(out)
	return out
}

func runWatch(ctx context.Context, e *env, o *WatchOptions) (struct{}, error) {
	return struct{}{}, o.watch(ctx, e)
}

// watch polls until the context ends (an interrupt, or --timeout), and
// prints each change.
func (o *WatchOptions) watch(ctx context.Context, e *env) error {
	m, err := e.manager()
	if err != nil {
		return err
	}
	if o.For > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.For)
		defer cancel()
	}
	var prev snapshot
	for {
		cur, err := o.poll(ctx, m, prev == nil)
		switch {
		case ctx.Err() != nil:
			return nil // interrupted or --timeout: a normal end
		case err != nil:
			return err
		}
		changes := diff(prev, cur, time.Now())
		if prev == nil && o.Name != "" {
			st := cur[o.Name]
			changes = []change{{Time: time.Now(), Name: o.Name, To: st.State.String(), Status: &st}}
		}
		for _, c := range changes {
			if err := e.printChange(c); err != nil {
				return err
			}
		}
		prev = cur
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(o.Interval):
		}
	}
}

// poll reads the watched services' status. A watched service that is
// deleted while watched disappears from the snapshot; one that does not
// exist at first is an error.
func (o *WatchOptions) poll(ctx context.Context, m SCM, first bool) (snapshot, error) {
	s := snapshot{}
	if o.Name != "" {
		st, err := byName{m}.Status(ctx, o.Name)
		if !first && (errors.Is(err, winsvc.ErrNotFound) || errors.Is(err, winsvc.ErrMarkedForDelete)) {
			return s, nil
		}
		s[o.Name] = st
		return s, err
	}
	all, err := m.QueryAll(ctx, winsvc.QueryFilter{})
	for _, st := range all {
		s[st.Name] = st
	}
	return s, err
}

func (e *env) printChange(c change) error {
	defer e.flush() // each change is seen as it happens
	if e.json {
		return e.writeJSONLine(c)
	}
	ts := c.Time.Format("15:04:05.000")
	switch {
	case c.From == "":
		e.printf("%s  %s  %s\n", ts, c.Name, c.To)
	case c.To == "":
		e.printf("%s  %s  %s -> (deleted)\n", ts, c.Name, c.From)
	default:
		e.printf("%s  %s  %s -> %s", ts, c.Name, c.From, c.To)
		if c.Status.ProcessID != 0 {
			e.printf("  (pid %d)", c.Status.ProcessID)
		}
		e.printf("\n")
	}
	return nil
}

func sortChanges(c []change) { sort.Slice(c, func(i, j int) bool { return c[i].Name < c[j].Name }) }
