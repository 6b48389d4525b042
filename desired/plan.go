package desired

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/winsvc/winsvc"
)

// PlanOptions tune PlanAll.
type PlanOptions struct {
	Workers  int            // how many services are read at once; 0 is DefaultWorkers
	Progress func(Progress) // told after each service is read (StepRead); may be nil
}

// Action is what a plan does to a service as a whole.
type Action string

// Actions.
const (
	ActionNone   Action = "none"   // nothing to change
	ActionCreate Action = "create" // the service is installed
	ActionUpdate Action = "update" // settings, the security descriptor or the run state change
	ActionDelete Action = "delete" // the service is stopped and deleted (state: absent)
)

// FieldState is the field name under which plans show a run-state change.
const FieldState winsvc.Field = "state"

// Plan is what applying a document would do, service by service.
type Plan struct {
	// Services holds one plan per service of the document, dependencies
	// before the services that depend on them (by name or through a
	// load-order group). ApplyAll creates, changes and starts services in
	// this order, and stops and deletes them in the reverse order.
	Services []ServicePlan
	// Warnings name what the plan keeps as the SCM holds it but needs
	// attention: a program path unquoted with spaces, unchanged (a new one
	// is refused).
	Warnings []Warning
}

// ServicePlan is what applying a document would do to one service: every
// change, field by field, old -> new. A setting whose change Save would
// make is shown as Save's plan shows it (winsvc.Change); the security
// descriptor under winsvc.FieldSecurityDescriptor; the run state under
// FieldState, a deletion as a change of state to "(deleted)"; a password
// as "(hidden)".
type ServicePlan struct {
	Name    string
	Action  Action
	Changes []winsvc.Change
	// Uncomparable lists the settings the entry sets whose value this SCM
	// cannot report (Config.Unavailable, such as failure actions under
	// Wine; a security descriptor on an SCM that stores none), so that
	// whether they would change is unknown. They are not changes: they make
	// no Action and no Count, and Plan.Empty ignores them. ApplyAll writes
	// them once per apply and reports them as written, not verifiable
	// (ServiceResult.Unverified), never as changed.
	Uncomparable []winsvc.Change
	Err          error // why the service could not be planned; nothing is done to it

	entry    *Service
	svc      *winsvc.Service // the entity Save runs on: loaded, or New when the service does not exist
	loaded   *winsvc.Config  // nil when the service does not exist
	status   winsvc.State    // its state now (Stopped for a service to create)
	save     bool            // Save has steps to run
	password bool            // the referenced password is set
	oldSD    string          // the DACL now, when it changes
}

// uncomparableFrom is how a plan shows the current value of a setting it
// cannot compare.
const uncomparableFrom = "(cannot be compared on this SCM)"

// MarshalJSON writes {name, action, changes, uncomparable, error}; error
// is absent when there is none.
func (p ServicePlan) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name         string          `json:"name"`
		Action       Action          `json:"action"`
		Changes      []winsvc.Change `json:"changes"`
		Uncomparable []winsvc.Change `json:"uncomparable"`
		Error        string          `json:"error,omitempty"`
	}{p.Name, p.Action, nonNil(p.Changes), nonNil(p.Uncomparable), errText(p.Err)})
}

// Empty reports whether the plan changes nothing and failed nowhere.
func (p *Plan) Empty() bool {
	for _, sp := range p.Services {
		if sp.Action != ActionNone || sp.Err != nil {
			return false
		}
	}
	return true
}

// Count returns how many services the plan gives action, not counting
// those that failed.
func (p *Plan) Count(action Action) int {
	n := 0
	for _, sp := range p.Services {
		if sp.Action == action && sp.Err == nil {
			n++
		}
	}
	return n
}

// Uncomparable returns how many settings, of how many services, cannot be
// compared on this SCM (ServicePlan.Uncomparable), not counting the
// services that failed.
func (p *Plan) Uncomparable() (settings, services int) {
	for _, sp := range p.Services {
		if len(sp.Uncomparable) > 0 && sp.Err == nil {
			settings, services = settings+len(sp.Uncomparable), services+1
		}
	}
	return settings, services
}

// Failures lists the services that could not be planned.
func (p *Plan) Failures() []Failure {
	var out []Failure
	for _, sp := range p.Services {
		if sp.Err != nil {
			out = append(out, Failure{Service: sp.Name, Err: sp.Err})
		}
	}
	return out
}

// Err joins the errors of the services that could not be planned.
func (p *Plan) Err() error { return joinFailures(p.Failures()) }

// String writes the plan as text: one block per service that changes or
// failed, then a summary line.
func (p *Plan) String() string {
	var b strings.Builder
	for _, sp := range p.Services {
		writeService(&b, sp.Name, string(sp.Action), sp.Changes, failedNote(sp.Name, sp.Err))
		writeApart(&b, sp.Name, "cannot be compared on this SCM (apply writes it, and cannot verify it)", sp.Uncomparable)
	}
	fmt.Fprintf(&b, "Plan: %d to create, %d to update, %d to delete, %d unchanged",
		p.Count(ActionCreate), p.Count(ActionUpdate), p.Count(ActionDelete), p.Count(ActionNone))
	if n := len(p.Failures()); n > 0 {
		fmt.Fprintf(&b, ", %d failed", n)
	}
	if settings, services := p.Uncomparable(); settings > 0 {
		fmt.Fprintf(&b, "; %s of %s cannot be compared on this SCM", plural(settings, "setting"), plural(services, "service"))
	}
	b.WriteString(".\n")
	return b.String()
}

// PlanAll computes what applying doc would do, and changes nothing: it
// reads each service (a pool of opts.Workers goroutines), applies its
// entry in memory and asks Save for a dry run, compares the security
// descriptor and the run state. A service that cannot be planned (it
// cannot be read; its entry is refused by Save's validation) has Err set,
// a *Error with the line of its entry when the document is at fault; the
// others are planned. The error is for the document as a whole (a name
// missing or given twice) or a failure to list the services.
func PlanAll(ctx context.Context, m Manager, doc *Document, opts PlanOptions) (*Plan, error) {
	if err := doc.check(); err != nil {
		return nil, err
	}
	all, err := m.QueryAll(ctx, everyService)
	if err != nil {
		return nil, err
	}
	states := make(map[string]winsvc.State, len(all))
	for _, st := range all {
		states[strings.ToLower(st.Name)] = st.State
	}
	plans := make([]ServicePlan, len(doc.Services))
	pr := newProgress(opts.Progress, StepRead, len(plans), func(i int) string { return doc.Services[i].Name() })
	forEach(len(plans), opts.Workers, func(i int) {
		entry := &doc.Services[i]
		state, known := states[strings.ToLower(entry.Name())]
		plans[i] = planService(ctx, m, entry, state, known)
		pr.done(i)
	})
	nodes := make([]node, len(plans))
	for i, sp := range plans {
		nodes[i] = sp.node()
	}
	p := &Plan{Services: make([]ServicePlan, 0, len(plans))}
	for _, i := range dependencyOrder(nodes) {
		p.Services = append(p.Services, plans[i])
		if sp := &plans[i]; sp.Err == nil && sp.svc != nil && sp.Action != ActionDelete {
			p.Warnings = append(p.Warnings, unquotedWarning(sp.Name, sp.svc.Config())...)
		}
	}
	return p, nil
}

// check refuses a document whose services lack a name or share one (Parse
// refuses those too; a Document built in memory may have them).
func (d *Document) check() error {
	seen := map[string]bool{}
	for i := range d.Services {
		s := &d.Services[i]
		key := strings.ToLower(s.Name())
		if key == "" || seen[key] {
			return s.src.errorFor(s.Name(), keyName, invalid(keyName, s.Name(), "every service needs a name, given once (names are case-insensitive)"))
		}
		seen[key] = true
	}
	return nil
}
