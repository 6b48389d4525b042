package module

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/internal/valerr"
)

// Service is the winsvc.windows.service module: ansible.windows.win_service's
// options and return values, run through package desired. Check mode is
// desired.PlanAll; otherwise desired.ApplyAll. state=restarted and
// force_dependent_services, which a document does not express, use the
// library's Restart and StopWithDependents.
var Service = &Module{Name: "winsvc.windows.service", Options: serviceOptions, Run: runService}

// defaulted are the options that have a default: given or not, they ask
// for nothing on their own.
var defaulted = map[string]bool{"name": true, "update_password": true, "dependency_action": true,
	"force_dependent_services": true, "timeout": true}

// installed is a service as found: its entity, configuration and status.
type installed struct {
	svc    *winsvc.Service
	config *winsvc.Config
	status winsvc.Status
}

func runService(ctx context.Context, m *winsvc.Manager, p Params, a *Args) (Result, error) {
	name, _ := p.Str("name")
	if p.Has("password") && !p.Has("username") {
		return nil, &optionErr{msg: "missing parameter(s) required by 'password': username"}
	}
	cur, err := find(ctx, m, name)
	if err != nil {
		return nil, err
	}
	if cur != nil {
		name = cur.config.Name // a display name finds the key name
	}
	state, _ := p.Str("state")
	r := Result{"exists": cur != nil, "changed": false}
	names := newAccountNames(ctx, m)
	if !asksSomething(p) {
		if cur != nil {
			returnValues(ctx, m, names, r, p, cur)
		}
		return r, nil
	}
	if cur == nil && state != "absent" && !creates(p) {
		if p.Has("program") {
			return r, errNeedsHost(name)
		}
		return r, notInstalled(name)
	}
	if err := refusePause(state, name, cur); err != nil {
		return r, err
	}
	t := &target{ctx: ctx, m: m, p: p}
	if cur != nil {
		t.loaded, t.svc = cur.config, cur.svc
	}
	doc, err := document(t, name)
	if err != nil {
		return r, err
	}
	if prog, _ := p.Dict("program"); len(prog) > 0 && cur != nil && !p.Has("path") && !p.Has("winsvc_path") && !hostedBy(cur.config.BinaryPathName, name) {
		r.Warn("service %s does not run winsvc.exe host %s: its program settings are stored, and used once winsvc_path makes winsvc.exe its program", name, name)
	}
	timeout, _ := p.Int("timeout")
	force, _ := p.Bool("force_dependent_services")
	run := &serviceRun{m: m, name: name, state: state, force: force, cur: cur,
		timeout: time.Duration(timeout) * time.Second, password: p["password"]}
	var changes []winsvc.Change
	if a.CheckMode {
		changes, err = run.plan(ctx, doc)
	} else {
		changes, err = run.apply(ctx, doc)
	}
	r["changes"] = changeList(changes)
	r["changed"] = len(changes) > 0
	for _, u := range run.unchecked {
		r.Warn("%s (%s) was not checked before the save: %s", u.Field, valerr.Shorten(u.Path), u.Reason)
	}
	if err != nil {
		display := name
		if cur != nil {
			display = cur.config.DisplayName
		}
		if now, ferr := find(ctx, m, name); ferr == nil && !a.CheckMode {
			r["exists"] = now != nil
			if now != nil {
				display = now.config.DisplayName
			}
		}
		return r, inWords(err, name, display)
	}
	after, err := run.after(ctx, doc, a.CheckMode)
	if err != nil {
		return r, err
	}
	if a.Diff {
		r["diff"] = Result{"before": diffView(cur, names, p, changes, false), "after": diffView(after, names, p, changes, true)}
	}
	r["exists"] = after != nil
	if after != nil {
		returnValues(ctx, m, names, r, p, after)
	}
	return r, nil
}

// errPauseUnsupported is win_service's failure for state=paused on a
// running service that does not accept PAUSE_CONTINUE.
func errPauseUnsupported(name string) error {
	return &worded{msg: fmt.Sprintf("failed to pause service %s: The service does not support pausing", name),
		op: "pause", code: winsvc.ErrInvalidControl}
}

// refusePause refuses state=paused, before anything is done (in check mode
// too), for a running service that does not accept PAUSE_CONTINUE. A
// stopped one is started first; if it then cannot pause, it is stopped
// again (desired.ApplyAll does).
func refusePause(state, name string, cur *installed) error {
	if state != "paused" || cur == nil || cur.status.State != winsvc.Running || cur.status.Accepts(winsvc.AcceptPauseContinue) {
		return nil
	}
	return errPauseUnsupported(name)
}

// asksSomething reports whether options other than the name and the
// defaults were given: with the name alone the module only reports.
func asksSomething(p Params) bool {
	for k := range p {
		if !defaulted[k] {
			return true
		}
	}
	return false
}

// creates reports whether the options say what program to run, which
// creating a service needs: path, or winsvc_path (the host).
func creates(p Params) bool {
	if p.Has("path") || p.Has("winsvc_path") {
		return true
	}
	def, ok := p.JSON("definition")
	return ok && strings.Contains(string(def), `"binaryPathName"`)
}

// find returns the service named name (its key name or, as win_service
// allows, its display name), or nil when it is not installed. Drivers are
// found as any service: the SCM is asked by name.
func find(ctx context.Context, m *winsvc.Manager, name string) (*installed, error) {
	svc, err := m.Load(ctx, name)
	if errors.Is(err, winsvc.ErrNotFound) {
		key, kerr := m.KeyName(ctx, name)
		if kerr != nil {
			return nil, nil
		}
		svc, err = m.Load(ctx, key)
	}
	if errors.Is(err, winsvc.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st, err := svc.Status(ctx)
	if err != nil {
		return nil, err
	}
	return &installed{svc: svc, config: svc.Loaded(), status: st}, nil
}

// serviceRun is one run of the service module on a service.
type serviceRun struct {
	m        *winsvc.Manager
	name     string
	state    string // the state option
	force    bool   // force_dependent_services
	cur      *installed
	timeout  time.Duration
	password any // the password option, nil when not given
	// unchecked are the files the settings name that the save could not
	// check (none on the host itself, where the module runs).
	unchecked []winsvc.UncheckedFile
}

// plan returns what applying doc would change, and changes nothing.
func (s *serviceRun) plan(ctx context.Context, doc *desired.Document) ([]winsvc.Change, error) {
	plan, err := desired.PlanAll(ctx, s.m, doc, desired.PlanOptions{})
	if err != nil {
		return nil, err
	}
	sp := plan.Services[0]
	changes := sp.Changes
	if s.state == "restarted" && s.cur != nil {
		changes = append(changes, restartChange(s.cur.status.State))
	}
	return changes, sp.Err
}

// restartChange is how a restart shows among the changes.
func restartChange(from winsvc.State) winsvc.Change {
	return winsvc.Change{Field: desired.FieldState, From: from.String(), To: "(restarted)", Old: from, New: winsvc.Running}
}

// apply brings the service to doc, and returns what was changed.
func (s *serviceRun) apply(ctx context.Context, doc *desired.Document) ([]winsvc.Change, error) {
	var changes []winsvc.Change
	if s.force && s.cur != nil && (s.state == "stopped" || s.state == "absent") && s.cur.status.State != winsvc.Stopped {
		// A document's stop refuses while dependents run; this stops them.
		wctx, cancel := context.WithTimeout(ctx, s.timeout)
		_, err := s.cur.svc.StopWithDependents(wctx)
		cancel()
		if err != nil {
			return nil, err
		}
		changes = append(changes, winsvc.Change{Field: desired.FieldState, From: s.cur.status.State.String(), To: winsvc.Stopped.String(), Old: s.cur.status.State, New: winsvc.Stopped})
	}
	res, err := desired.ApplyAll(ctx, s.m, doc, desired.ApplyOptions{Passwords: s.resolve, Timeout: s.timeout})
	if res != nil {
		changes = append(changes, res.Services[0].Changes...)
		s.unchecked = res.Services[0].Unchecked
	}
	if err != nil {
		return changes, err
	}
	if s.state == "restarted" {
		from := winsvc.Stopped
		if s.cur != nil {
			from = s.cur.status.State
		}
		if err := s.restart(ctx); err != nil {
			return changes, err
		}
		changes = append(changes, restartChange(from))
	}
	return changes, nil
}

// restart restarts the service: with force_dependent_services, with its
// dependents (which are brought back); without, a stop that dependents
// refuse fails as win_service's does.
func (s *serviceRun) restart(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	svc, err := s.m.Service(s.name)
	if err != nil {
		return err
	}
	if s.force {
		_, err = svc.Restart(ctx)
		return err
	}
	if err := svc.Stop(ctx, winsvc.Ensure()); err != nil {
		return err
	}
	return svc.Start(ctx)
}

// resolve gives ApplyAll the password option for the entry's reference.
func (s *serviceRun) resolve(string, desired.PasswordRef) (string, error) {
	pw, _ := s.password.(string)
	return pw, nil
}

// after returns the service as it is now (applied), or as the plan would
// leave it (check mode): the entry applied to the installed configuration
// in memory, in the state asked for. nil when it is, or would be, absent.
func (s *serviceRun) after(ctx context.Context, doc *desired.Document, check bool) (*installed, error) {
	if !check {
		return find(ctx, s.m, s.name)
	}
	if s.state == "absent" {
		return nil, nil
	}
	def := doc.Services[0].Definition
	out := &installed{status: winsvc.Status{Name: s.name, State: winsvc.Stopped}}
	var err error
	if s.cur != nil {
		out.svc, out.status = s.cur.svc, s.cur.status
		err = out.svc.Apply(def)
	} else {
		out.svc, err = s.m.New(def)
	}
	if err != nil {
		return nil, err
	}
	out.config = out.svc.Config()
	if want, ok := map[string]winsvc.State{"started": winsvc.Running, "restarted": winsvc.Running,
		"stopped": winsvc.Stopped, "paused": winsvc.Paused}[s.state]; ok {
		out.status.State = want
	}
	return out, nil
}

// changeList is the result's changes: each setting's field, the options
// that set it, and its values before and after as text.
func changeList(changes []winsvc.Change) []Result {
	out := []Result{}
	for _, c := range changes {
		e := Result{"field": string(c.Field), "from": c.From, "to": c.To}
		if opts := optionsOf(string(c.Field)); opts != nil {
			e["options"] = opts
		}
		out = append(out, e)
	}
	return out
}

// diffView is a service as win_service's diff shows it: win_service_info's
// keys and the state; with a password given, the password as REDACTED
// ("CHANGED REDACTED" after, when it is set); the security descriptor when
// it changes. A service that is not installed is "".
func diffView(s *installed, names *accountNames, p Params, changes []winsvc.Change, after bool) any {
	if s == nil {
		return ""
	}
	v := settingsView(s.config, names)
	v["state"] = stateWord(s.status.State)
	password := hasPassword(p) && !s.config.ServiceType.IsDriver()
	if password {
		v["password"] = "REDACTED"
	}
	for _, c := range changes {
		switch {
		case c.Field == winsvc.FieldPassword && after && password:
			v["password"] = "CHANGED REDACTED"
		case c.Field == winsvc.FieldSecurityDescriptor && after:
			v["security_descriptor"] = c.To
		case c.Field == winsvc.FieldSecurityDescriptor:
			v["security_descriptor"] = c.From
		}
	}
	return v
}

// returnValues sets win_service's return values from the service: the
// account as Windows names it (LocalSystem for SYSTEM); the path and the
// description given, when they are (the path with its environment
// variables expanded, as win_service returns it), else the service's.
func returnValues(ctx context.Context, m *winsvc.Manager, names *accountNames, r Result, p Params, s *installed) {
	v := settingsView(s.config, names)
	for _, k := range []string{"name", "display_name", "start_mode", "path", "description", "desktop_interact", "dependencies"} {
		r[k] = v[k]
	}
	r["username"] = resultAccount(v["username"].(string))
	r["program"] = v["program"]
	if _, ok := p.Str("path"); ok {
		r["path"] = expandEnv(s.config.BinaryPathName)
	}
	if d, ok := p.Str("description"); ok {
		r["description"] = d
	}
	// win_service's state is Get-Service's: running, stopped, startpending, ...
	r["state"] = strings.ReplaceAll(strings.ToLower(s.status.State.String()), "_", "")
	r["can_pause_and_continue"] = s.status.Accepts(winsvc.AcceptPauseContinue)
	r["depended_by"] = dependents(ctx, m, s.config.Name)
}

// dependents returns the services that depend on service name directly
// (by name or through its group); none when they cannot be listed.
func dependents(ctx context.Context, m *winsvc.Manager, name string) []string {
	out := []string{}
	tree, err := m.DependencyTree(ctx, name)
	if err != nil {
		return out
	}
	for _, d := range tree.Dependents {
		if !d.Group {
			out = append(out, d.Name)
		}
	}
	return out
}
