package desired

import (
	"context"
	"errors"
	"strings"

	"github.com/winsvc/winsvc"
)

// planPassword stands for a referenced password in a dry run: a plan needs
// no secret (Save shows any password as "(hidden)" and sends nothing in a
// dry run).
const planPassword = "(password)"

// planService plans one entry; state is the service's state as listed, if
// known.
func planService(ctx context.Context, m Manager, entry *Service, state winsvc.State, known bool) ServicePlan {
	sp := ServicePlan{Name: entry.Name(), Action: ActionNone, entry: entry, status: winsvc.Stopped}
	failed := func(err error) ServicePlan {
		if ve := (*winsvc.ValidationError)(nil); errors.As(err, &ve) {
			err = entry.src.errorFor(entry.Name(), "", err)
		}
		sp.Err = err
		return sp
	}
	svc, err := m.Load(ctx, entry.Name())
	switch {
	case errors.Is(err, winsvc.ErrNotFound):
		if entry.State == Absent {
			return sp
		}
		if svc, err = m.New(entry.Definition); err != nil {
			return failed(err)
		}
	case err != nil:
		return failed(err)
	default:
		sp.loaded = svc.Loaded()
		if !known {
			st, err := svc.Status(ctx)
			if err != nil {
				return failed(err)
			}
			state = st.State
		}
		sp.status = state
		if entry.State == Absent {
			sp.Action = ActionDelete
			sp.Changes = []winsvc.Change{{Field: FieldState, From: state.String(), To: "(deleted)", Old: state}}
			return sp
		}
		if err := svc.Apply(entry.Definition); err != nil {
			return failed(err)
		}
	}
	sp.svc = svc
	sp.password = entry.Password != nil && (sp.loaded == nil || entry.UpdatePassword == Always ||
		!strings.EqualFold(sp.loaded.ServiceStartName, svc.Config().ServiceStartName))
	opts := winsvc.SaveOptions{DryRun: true}
	if sp.password {
		opts.Password = planPassword
	}
	res, err := svc.Save(ctx, opts)
	if err != nil {
		return failed(err)
	}
	for _, c := range settingChanges(res.Plan) {
		if sp.loaded != nil && !sp.loaded.Available(c.Field) {
			c.From = uncomparableFrom // its value now could not be read
			sp.Uncomparable = append(sp.Uncomparable, c)
		} else {
			sp.Changes = append(sp.Changes, c)
		}
	}
	sp.save = !res.Plan.Empty()
	if want := entry.SecurityDescriptor; want != nil {
		sd := winsvc.Change{Field: winsvc.FieldSecurityDescriptor, To: *want, New: *want}
		if sp.loaded != nil {
			sp.oldSD, err = svc.SecurityDescriptor(ctx)
			switch {
			case errors.Is(err, winsvc.ErrNotStored):
				sd.From = uncomparableFrom
				sp.Uncomparable = append(sp.Uncomparable, sd)
			case err != nil:
				return failed(err)
			}
		}
		if sd.From == "" && (sp.loaded == nil || !sameDACL(sp.oldSD, *want)) {
			sd.From, sd.Old = sp.oldSD, sp.oldSD
			sp.Changes = append(sp.Changes, sd)
		}
	}
	// A service on its way to the state asked for (START_PENDING for
	// running) is taken as in it: the SCM is taking it there.
	if want, ok := entry.State.winsvc(); ok && runState(sp.status) != entry.State {
		from, old := sp.status.String(), any(sp.status)
		if sp.loaded == nil {
			from, old = "(none)", nil
		}
		sp.Changes = append(sp.Changes, winsvc.Change{Field: FieldState, From: from, To: want.String(), Old: old, New: want})
	}
	switch {
	case sp.loaded == nil:
		sp.Action = ActionCreate
	case len(sp.Changes) > 0:
		sp.Action = ActionUpdate
	}
	return sp
}

// settingChanges lists the changes of Save's plan p, step by step: a
// creation's first step lists what CreateService is given.
func settingChanges(p winsvc.Plan) []winsvc.Change {
	var out []winsvc.Change
	for _, st := range p.Steps {
		out = append(out, st.Changes...)
	}
	return out
}

// hidden is how a plan shows a password (as winsvc's plans do).
const hidden = "(hidden)"

// winsvc returns the winsvc state a run state asks for; false for Any and
// Absent.
func (s State) winsvc() (winsvc.State, bool) {
	switch s {
	case Running:
		return winsvc.Running, true
	case Stopped:
		return winsvc.Stopped, true
	case Paused:
		return winsvc.Paused, true
	}
	return 0, false
}

// node is the service as the dependency order sees it: the group and
// dependencies the entry sets, or else those installed.
func (p *ServicePlan) node() node {
	nd := node{name: p.Name}
	if p.loaded != nil {
		nd.group, nd.deps = p.loaded.LoadOrderGroup, p.loaded.Dependencies
	}
	def := &p.entry.Definition
	if def.LoadOrderGroup != nil {
		nd.group = *def.LoadOrderGroup
	}
	if def.Dependencies != nil {
		nd.deps = def.Dependencies
	}
	return nd
}
