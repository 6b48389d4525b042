package desired

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/winsvc/winsvc"
)

// ApplyOptions tune ApplyAll.
type ApplyOptions struct {
	// Passwords resolves the password references of the services whose
	// password is set (see UpdatePassword). Nil fails those services.
	Passwords Resolver
	// ContinueOnError applies the other services when one fails. Without
	// it, ApplyAll stops at the first failure, and a document with a
	// service that cannot be planned changes nothing.
	ContinueOnError bool
	// Timeout bounds each wait for a run state or a deletion of a service
	// whose entry gives no timeout; 0 is winsvc.DefaultTimeout.
	Timeout time.Duration
	// Workers is how many services the plan reads, and the apply saves, at
	// once; 0 is DefaultWorkers.
	Workers int
	// Progress is told after each service of each step: StepRead (the
	// plan), StepStop, StepConfigure, StepStart. It may be nil.
	Progress func(Progress)
}

// Outcome is what happened to a service.
type Outcome string

// Outcomes.
const (
	Changed   Outcome = "changed"
	Unchanged Outcome = "unchanged"
	Failed    Outcome = "failed"
	// Skipped: the apply stopped at an earlier failure before this
	// service was done; Changes lists what was done to it.
	Skipped Outcome = "skipped"
)

// Result is what ApplyAll did, service by service, in the order of the
// plan.
type Result struct {
	Services []ServiceResult
	Warnings []Warning // the plan's (Plan.Warnings)
}

// ServiceResult is what ApplyAll did to one service.
type ServiceResult struct {
	Name    string
	Action  Action
	Outcome Outcome
	Changes []winsvc.Change // what was done: Save's steps, then the descriptor, then the run state
	// Unverified and SkippedSteps are Save's: settings written that the
	// SCM cannot report back, and defaults it does not support.
	Unverified   []winsvc.UnverifiedSetting
	SkippedSteps []winsvc.SkippedStep
	// RestartNeeded is Save's: the settings written that the service, which
	// was running, reads when it starts; they take effect at its next start.
	RestartNeeded []winsvc.Field
	// Unchecked is Save's: the files the settings name that could not be
	// checked before the save (a hosted program's, on a remote machine).
	Unchecked []winsvc.UncheckedFile
	Err       error
}

// MarshalJSON writes {name, action, outcome, changes, unverified,
// skippedSteps, restartNeeded, unchecked, error}, the last five only when
// not empty.
func (r ServiceResult) MarshalJSON() ([]byte, error) {
	changes := r.Changes
	if changes == nil {
		changes = []winsvc.Change{}
	}
	return json.Marshal(struct {
		Name          string                     `json:"name"`
		Action        Action                     `json:"action"`
		Outcome       Outcome                    `json:"outcome"`
		Changes       []winsvc.Change            `json:"changes"`
		Unverified    []winsvc.UnverifiedSetting `json:"unverified,omitempty"`
		SkippedSteps  []winsvc.SkippedStep       `json:"skippedSteps,omitempty"`
		RestartNeeded []winsvc.Field             `json:"restartNeeded,omitempty"`
		Unchecked     []winsvc.UncheckedFile     `json:"unchecked,omitempty"`
		Error         string                     `json:"error,omitempty"`
	}{r.Name, r.Action, r.Outcome, changes, r.Unverified, r.SkippedSteps, r.RestartNeeded, r.Unchecked, errText(r.Err)})
}

// Count returns how many services had outcome o.
func (r *Result) Count(o Outcome) int {
	n := 0
	for _, s := range r.Services {
		if s.Outcome == o {
			n++
		}
	}
	return n
}

// Failures lists the services that failed.
func (r *Result) Failures() []Failure {
	var out []Failure
	for _, s := range r.Services {
		if s.Outcome == Failed {
			out = append(out, Failure{Service: s.Name, Err: s.Err})
		}
	}
	return out
}

// Err joins the errors of the services that failed.
func (r *Result) Err() error { return joinFailures(r.Failures()) }

// Unverified returns how many settings, of how many services, were written
// and cannot be verified (ServiceResult.Unverified).
func (r *Result) Unverified() (settings, services int) {
	for _, s := range r.Services {
		if len(s.Unverified) > 0 {
			settings, services = settings+len(s.Unverified), services+1
		}
	}
	return settings, services
}

// String writes what was done: one block per service that changed, failed
// or was left unfinished (and which of its changes take effect at its next
// start), and the settings written that cannot be verified, then a
// summary line.
func (r *Result) String() string {
	var b strings.Builder
	for _, s := range r.Services {
		note := failedNote(s.Name, s.Err)
		if s.Outcome == Skipped {
			note = s.Err.Error()
		}
		writeService(&b, s.Name, string(s.Action), s.Changes, note)
		if len(s.Unverified) > 0 {
			fmt.Fprintf(&b, "%s: written, not verifiable on this SCM:\n", s.Name)
			for _, u := range s.Unverified {
				fmt.Fprintf(&b, "  %-34s %s\n", u.Field, u.Reason)
			}
		}
		if len(s.RestartNeeded) > 0 {
			fmt.Fprintf(&b, "%s\n", restartNote(s.Name, s.RestartNeeded))
		}
		if len(s.Unchecked) > 0 {
			fmt.Fprintf(&b, "%s: not checked before the save:\n", s.Name)
			for _, u := range s.Unchecked {
				fmt.Fprintf(&b, "  %-34s %s\n", u.Field, u.Reason)
			}
		}
	}
	fmt.Fprintf(&b, "Apply: %d changed, %d unchanged, %d failed", r.Count(Changed), r.Count(Unchanged), r.Count(Failed))
	if n := r.Count(Skipped); n > 0 {
		fmt.Fprintf(&b, ", %d not done", n)
	}
	if settings, services := r.Unverified(); settings > 0 {
		fmt.Fprintf(&b, "; %s of %s written, not verifiable on this SCM", plural(settings, "setting"), plural(services, "service"))
	}
	b.WriteString(".\n")
	return b.String()
}

// errStopped is the error of the steps not run after a failure.
var errStopped = errors.New("not done: the apply stopped at an earlier failure")

// ApplyAll brings the services to doc. It plans first (PlanAll), then runs
// the plan in three passes: services to stop or delete (state stopped or
// absent), dependents first; then each service's settings through Save
// (atomic: a failed save is rolled back, and so is the security descriptor
// set with it) and its security descriptor, opts.Workers services at once,
// each after the services it depends on; then the run states, in
// dependency order, each waited for until reached, within the entry's
// timeout. A running service keeps running with the settings it started
// with: those it reads at start take effect at its next start
// (ServiceResult.RestartNeeded). Applying the same document again changes
// nothing.
//
// The Result lists every service: changed, unchanged, failed or, when the
// apply stopped at a failure, skipped (saves under way when it stops are
// finished); the error joins the failures. Only a failure to plan at all
// returns a nil Result. Password references are resolved one at a time.
func ApplyAll(ctx context.Context, m Manager, doc *Document, opts ApplyOptions) (*Result, error) {
	plan, err := PlanAll(ctx, m, doc, PlanOptions{Workers: opts.Workers, Progress: opts.Progress})
	if err != nil {
		return nil, err
	}
	a := &applier{m: m, opts: opts, plan: plan.Services, res: &Result{Services: make([]ServiceResult, len(plan.Services)), Warnings: plan.Warnings}}
	if opts.Passwords != nil {
		var mu sync.Mutex
		a.opts.Passwords = func(service string, ref PasswordRef) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			return opts.Passwords(service, ref)
		}
	}
	for i, sp := range plan.Services {
		a.res.Services[i] = ServiceResult{Name: sp.Name, Action: sp.Action, Outcome: Unchanged}
		if sp.Err != nil {
			a.fail(i, sp.Err)
		}
	}
	n := len(plan.Services)
	pr := a.progress(StepStop, goesDown)
	for i := n - 1; i >= 0; i-- {
		a.step(ctx, i, goesDown, a.down, pr)
	}
	pr = a.progress(StepConfigure, isConfigured)
	a.inDependencyOrder(func(i int) { a.step(ctx, i, isConfigured, a.configure, pr) })
	pr = a.progress(StepStart, goesUp)
	for i := range n {
		a.step(ctx, i, goesUp, a.up, pr)
	}
	return a.res, a.res.Err()
}

// progress counts the services of a step: those the plan has something
// for it to do to.
func (a *applier) progress(step string, needs func(sp *ServicePlan) bool) *progress {
	total := 0
	for i := range a.plan {
		if needs(&a.plan[i]) {
			total++
		}
	}
	return newProgress(a.opts.Progress, step, total, func(i int) string { return a.plan[i].Name })
}

// applier runs a plan.
type applier struct {
	m       Manager
	opts    ApplyOptions
	plan    []ServicePlan
	res     *Result
	mu      sync.Mutex // guards stopped
	stopped bool       // a failure stopped the apply
}

// inDependencyOrder calls fn for each service of the plan on a pool of
// opts.Workers goroutines, each service once those it depends on that come
// before it in the plan are done.
func (a *applier) inDependencyOrder(fn func(i int)) {
	nodes := make([]node, len(a.plan))
	for i := range a.plan {
		nodes[i] = a.plan[i].node()
	}
	on := dependsOn(nodes)
	done := make([]chan struct{}, len(a.plan))
	for i := range done {
		done[i] = make(chan struct{})
	}
	// Services are handed out in the plan's order, so that each one waits
	// only for services already handed out: no deadlock.
	forEach(len(a.plan), a.opts.Workers, func(i int) {
		defer close(done[i])
		for _, j := range on[i] {
			if j < i {
				<-done[j]
			}
		}
		fn(i)
	})
}

// step runs fn for service i when needs says the plan has something for
// it to do, unless the service failed already or the apply stopped; fn
// records the changes it made.
func (a *applier) step(ctx context.Context, i int, needs func(sp *ServicePlan) bool,
	fn func(ctx context.Context, sp *ServicePlan, r *ServiceResult) error, pr *progress) {
	r := &a.res.Services[i]
	if !needs(&a.plan[i]) {
		return
	}
	defer pr.done(i)
	if r.Outcome == Failed {
		return
	}
	if a.isStopped() {
		r.Outcome, r.Err = Skipped, errStopped
		return
	}
	before := len(r.Changes)
	if err := fn(ctx, &a.plan[i], r); err != nil {
		a.fail(i, err)
		return
	}
	if len(r.Changes) > before {
		r.Outcome = Changed
	}
}

// fail records service i's failure; without ContinueOnError the apply
// stops.
func (a *applier) fail(i int, err error) {
	a.res.Services[i].Outcome, a.res.Services[i].Err = Failed, err
	a.mu.Lock()
	a.stopped = a.stopped || !a.opts.ContinueOnError
	a.mu.Unlock()
}

func (a *applier) isStopped() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stopped
}

// waitCtx bounds one wait of service sp.
func (a *applier) waitCtx(ctx context.Context, sp *ServicePlan) (context.Context, context.CancelFunc) {
	d := sp.entry.Timeout
	if d == 0 {
		d = a.opts.Timeout
	}
	if d == 0 {
		d = winsvc.DefaultTimeout
	}
	return context.WithTimeout(ctx, d)
}

// stateChange returns the plan's run-state change of sp, if any.
func stateChange(sp *ServicePlan) (winsvc.Change, bool) { return change(sp, FieldState) }

// securityChange returns the plan's security-descriptor change of sp, if
// any.
func securityChange(sp *ServicePlan) (winsvc.Change, bool) {
	return change(sp, winsvc.FieldSecurityDescriptor)
}

// change returns the plan's change of field f, if any.
func change(sp *ServicePlan, f winsvc.Field) (winsvc.Change, bool) {
	for _, c := range sp.Changes {
		if c.Field == f {
			return c, true
		}
	}
	return winsvc.Change{}, false
}

// goesDown: the service is to be deleted or stopped.
func goesDown(sp *ServicePlan) bool {
	c, ok := stateChange(sp)
	return ok && (sp.Action == ActionDelete || c.New == winsvc.Stopped)
}

// isConfigured: the service has settings to save or a security descriptor
// to set (one that can be compared or not).
func isConfigured(sp *ServicePlan) bool {
	_, sd := securityChange(sp)
	return sp.Action != ActionDelete && (sp.save || sd || uncomparableSD(sp) != nil)
}

// uncomparableSD returns the plan's security descriptor that cannot be
// compared on this SCM, if any.
func uncomparableSD(sp *ServicePlan) *winsvc.Change {
	for i, c := range sp.Uncomparable {
		if c.Field == winsvc.FieldSecurityDescriptor {
			return &sp.Uncomparable[i]
		}
	}
	return nil
}

// goesUp: the service is to be started, continued or paused.
func goesUp(sp *ServicePlan) bool {
	c, ok := stateChange(sp)
	return ok && (c.New == winsvc.Running || c.New == winsvc.Paused)
}

// down deletes a service whose state is absent, and stops one whose state
// is stopped.
func (a *applier) down(ctx context.Context, sp *ServicePlan, r *ServiceResult) error {
	return a.runState(ctx, sp, r, func(ctx context.Context, svc *winsvc.Service, _ winsvc.State) error {
		if sp.Action == ActionDelete {
			return svc.Delete(ctx, winsvc.DeleteOptions{Stop: true, Wait: true})
		}
		return svc.Stop(ctx, winsvc.Ensure())
	})
}

// runState runs do on service sp, within the deadline of its waits, with
// the state the plan wants (0 for a deletion), and records the plan's
// run-state change when do succeeds.
func (a *applier) runState(ctx context.Context, sp *ServicePlan, r *ServiceResult,
	do func(ctx context.Context, svc *winsvc.Service, want winsvc.State) error) error {
	c, _ := stateChange(sp)
	svc, err := a.m.Service(sp.Name)
	if err != nil {
		return err
	}
	ctx, cancel := a.waitCtx(ctx, sp)
	defer cancel()
	want, _ := c.New.(winsvc.State)
	if err := do(ctx, svc, want); err != nil {
		return err
	}
	r.Changes = append(r.Changes, c)
	return nil
}

// configure saves a service's settings and sets its security descriptor:
// the descriptor of an installed service before the save (and back if the
// save fails), that of a new one after it (and the service is deleted if
// that fails), one that cannot be compared after the save (its old value
// is unknown, so it cannot be put back). The settings that cannot be
// compared are written once, as the document asks (skipping them would
// leave a setting the SCM may keep unwritten, and hide one it refuses),
// and reported as unverified, not as changes: applying again changes
// nothing.
func (a *applier) configure(ctx context.Context, sp *ServicePlan, r *ServiceResult) error {
	var sd *winsvc.Change
	if c, ok := securityChange(sp); ok {
		sd = &c
	}
	var pw string
	if sp.password {
		if a.opts.Passwords == nil {
			return fmt.Errorf("service %s: its password comes from %s, and no resolver was given", sp.Name, sp.entry.Password)
		}
		var err error
		if pw, err = a.opts.Passwords(sp.Name, *sp.entry.Password); err != nil {
			return err
		}
	}
	creating := sp.Action == ActionCreate
	if sd != nil && !creating {
		if err := sp.svc.SetSecurityDescriptor(ctx, sd.To, winsvc.SecurityOptions{}); err != nil {
			return err
		}
	}
	if sp.save {
		res, err := sp.svc.Save(ctx, winsvc.SaveOptions{Password: pw})
		if err != nil {
			if sd != nil && !creating {
				err = undone(err, sp.svc.SetSecurityDescriptor(ctx, sd.From, winsvc.SecurityOptions{AllowLockout: true}))
			}
			return err
		}
		for _, c := range settingChanges(done(res)) {
			if !slices.ContainsFunc(sp.Uncomparable, func(u winsvc.Change) bool { return u.Field == c.Field }) {
				r.Changes = append(r.Changes, c)
			}
		}
		r.Unverified, r.SkippedSteps, r.RestartNeeded, r.Unchecked = res.Unverified, res.Skipped, res.RestartNeeded, res.Unchecked
	}
	if sd != nil && creating {
		err := sp.svc.SetSecurityDescriptor(ctx, sd.To, winsvc.SecurityOptions{})
		switch {
		case errors.Is(err, winsvc.ErrNotStored):
			r.Unverified = append(r.Unverified, notStoredSD)
			sd = nil
		case err != nil:
			r.Changes = nil
			return undone(err, sp.svc.Delete(ctx, winsvc.DeleteOptions{Wait: true}))
		}
	}
	if sd != nil {
		r.Changes = append(r.Changes, *sd)
	}
	if u := uncomparableSD(sp); u != nil {
		err := sp.svc.SetSecurityDescriptor(ctx, u.To, winsvc.SecurityOptions{})
		switch {
		case errors.Is(err, winsvc.ErrNotStored):
			r.Unverified = append(r.Unverified, notStoredSD)
		case err != nil:
			return err
		default: // read back: the SCM keeps it after all
			r.Changes = append(r.Changes, *u)
		}
	}
	return nil
}

// notStoredSD is the unverified security descriptor of a write that
// failed with winsvc.ErrNotStored.
var notStoredSD = winsvc.UnverifiedSetting{Field: winsvc.FieldSecurityDescriptor, Reason: "not stored by this SCM"}

// undone adds to err the failure of undoing what was done before it, if
// undoing failed.
func undone(err, undoErr error) error {
	if undoErr != nil {
		return fmt.Errorf("%w; undoing the changes made before it failed too: %w", err, undoErr)
	}
	return err
}

// up brings a service to state running or paused.
func (a *applier) up(ctx context.Context, sp *ServicePlan, r *ServiceResult) error {
	return a.runState(ctx, sp, r, func(ctx context.Context, svc *winsvc.Service, want winsvc.State) error {
		switch from := sp.status; {
		case want == winsvc.Running && (from == winsvc.Paused || from == winsvc.PausePending || from == winsvc.ContinuePending):
			return svc.Continue(ctx, winsvc.Ensure())
		case want == winsvc.Paused && (from == winsvc.Running || from == winsvc.ContinuePending || from == winsvc.PausePending):
			return svc.Pause(ctx, winsvc.Ensure())
		}
		if err := svc.Start(ctx, winsvc.Ensure()); err != nil || want != winsvc.Paused {
			return err
		}
		if err := svc.Pause(ctx, winsvc.Ensure()); err != nil {
			// Started only to be paused: a service that cannot pause is
			// stopped again, as it was.
			return undone(err, svc.Stop(ctx, winsvc.Ensure()))
		}
		return nil
	})
}

// done is the plan a save carried out: its steps without the best-effort
// defaults it skipped because the SCM does not support them.
func done(res *winsvc.SaveResult) winsvc.Plan {
	p := res.Plan
	p.Steps = slices.DeleteFunc(slices.Clone(p.Steps), func(st winsvc.Step) bool {
		return slices.ContainsFunc(res.Skipped, func(sk winsvc.SkippedStep) bool { return sk.Kind == st.Kind })
	})
	return p
}
