package memscm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/winsvc/winsvc/access"
	"github.com/winsvc/winsvc/internal/scm"
)

// handle is one open service handle, with the access it was opened with.
type handle struct {
	*Service
	access uint32
}

// need records the call and fails it as the SCM does: with
// ERROR_ACCESS_DENIED when the handle lacks a right, with
// ERROR_SERVICE_MARKED_FOR_DELETE for a change of a service marked for
// deletion or gone.
func (h *handle) need(op string, mask uint32, c Call) error {
	c.Op, c.Service = op, h.Name
	if err := h.scm.call(c); err != nil {
		return err
	}
	if h.access&mask != mask {
		return errAccessDenied
	}
	if h.Marked && (strings.HasPrefix(op, "change") || op == "delete" || op == "start" && !h.scm.q.StartsMarked) {
		return errMarkedForDelete
	}
	if h.scm.Service(h.Name) != h.Service {
		return errMarkedForDelete
	}
	return nil
}

func (h *handle) Close() error {
	defer h.scm.Lock()()
	return h.scm.call(Call{Op: "close", Service: h.Name})
}

func (h *handle) Status() (scm.Status, error) {
	defer h.scm.Lock()()
	if err := h.need("status", scm.QueryStatus, Call{}); err != nil {
		return scm.Status{}, err
	}
	return h.status(), nil
}

func (h *handle) QueryConfig() (*scm.Config, error) {
	defer h.scm.Lock()()
	if err := h.need("queryConfig", scm.QueryConfig, Call{}); err != nil {
		return nil, err
	}
	c := h.Config
	c.Dependencies = slices.Clone(c.Dependencies)
	if h.scm.q.DependenciesUnreported {
		c.Dependencies = nil
	}
	return &c, nil
}

func (h *handle) QueryConfig2(level uint32) ([]byte, error) {
	defer h.scm.Lock()()
	if err := h.need("queryConfig2", scm.QueryConfig, Call{Level: level}); err != nil {
		return nil, err
	}
	switch {
	case h.scm.Unsupported[level] || h.scm.Dropped[level] || !knownLevel(level):
		return nil, errInvalidLevel
	case level == 9 && !h.Settings.PreferredNode.Set:
		return nil, errNotFoundElement // what Windows answers for "none"
	}
	return encode(level, &h.Settings), nil
}

func (h *handle) ChangeConfig(cc *scm.CoreChange) error {
	defer h.scm.Lock()()
	cp := *cc
	cp.Dependencies = slices.Clone(cc.Dependencies)
	if err := h.need("changeConfig", scm.ChangeConfig, Call{Core: &cp, IsWrite: true}); err != nil {
		return err
	}
	c := &h.Config
	set := func(dst *uint32, v *uint32) {
		if v != nil {
			*dst = *v
		}
	}
	setS := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&c.ServiceType, cc.ServiceType)
	set(&c.StartType, cc.StartType)
	set(&c.ErrorControl, cc.ErrorControl)
	setS(&c.BinaryPathName, cc.BinaryPathName)
	setS(&c.LoadOrderGroup, cc.LoadOrderGroup)
	setS(&c.ServiceStartName, cc.Account)
	setS(&c.DisplayName, cc.DisplayName)
	if cc.RequestTag && c.TagID == 0 {
		h.scm.nextTag++
		c.TagID = h.scm.nextTag
	}
	switch {
	case cc.Dependencies != nil:
		c.Dependencies = slices.Clone(cc.Dependencies)
	case h.scm.q.NullDependenciesClear:
		c.Dependencies = []string{} // Wine's ChangeServiceConfig does this
	}
	return nil
}

func (h *handle) ChangeConfig2(level uint32, buf []byte) error {
	defer h.scm.Lock()()
	if !knownLevel(level) {
		return errInvalidLevel
	}
	next := h.Settings
	v, err := decode(level, buf, &next) // layout.go: not the library's codec
	if err != nil {
		return err
	}
	if err := h.need("changeConfig2", scm.ChangeConfig, Call{Level: level, Value: v, IsWrite: true}); err != nil {
		return err
	}
	switch {
	case h.scm.Unsupported[level]:
		return errInvalidLevel
	case !h.scm.Dropped[level]:
		h.Settings = next
	}
	return nil
}

// Delete removes a stopped service at once and marks a running one, which
// goes when it stops (the fake holds no handles open between calls).
func (h *handle) Delete() error {
	defer h.scm.Lock()()
	if err := h.need("delete", scm.Delete, Call{}); err != nil {
		return err
	}
	if h.State == Stopped {
		delete(h.scm.services, key(h.Name))
	} else {
		h.Marked = true
	}
	return nil
}

func (h *handle) Start(args []string) error {
	defer h.scm.Lock()()
	if err := h.need("start", scm.Start, Call{}); err != nil {
		return err
	}
	if h.FailStart {
		return errDependencyFailed
	}
	if h.State != Stopped {
		return errAlreadyRunning
	}
	if h.Config.StartType == 4 { // SERVICE_DISABLED
		return errDisabled // as Windows' SCM refuses
	}
	h.scm.log = append(h.scm.log, "start "+h.Name)
	h.State = Running
	if h.Hang {
		h.State = StartPending
	}
	return nil
}

func (h *handle) Control(code uint32) (scm.Status, error) {
	defer h.scm.Lock()()
	need := scm.PauseContinue
	switch {
	case code == controlStop:
		need = scm.Stop
	case code == controlInterrogate:
		need = scm.Interrogate
	case code >= customControlMin:
		need = scm.UserDefinedControl
	}
	if err := h.need(fmt.Sprintf("control %d", code), need, Call{}); err != nil {
		return scm.Status{}, err
	}
	if h.State == Stopped {
		return scm.Status{}, errNotActive
	}
	switch code {
	case controlStop:
		if !h.scm.q.DependentsUntracked && slices.ContainsFunc(h.stopOrder(), func(d *Service) bool {
			return d.State != Stopped && d.State != StopPending
		}) {
			return scm.Status{}, errDependentsRunning // as Windows refuses
		}
		h.scm.log = append(h.scm.log, "stop "+h.Name)
		h.State = Stopped
		if h.Marked && !h.scm.q.StartsMarked {
			// With StartsMarked, the service stays, as on Wine until the
			// SCM has seen its process exit: the window in which it would
			// start again.
			delete(h.scm.services, key(h.Name))
		}
	case controlPause:
		h.scm.log = append(h.scm.log, "pause "+h.Name)
		h.State = Paused
	case controlContinue:
		h.scm.log = append(h.scm.log, "continue "+h.Name)
		h.State = Running
	}
	return h.status(), nil
}

func (h *handle) Dependents(state uint32) ([]scm.Status, error) {
	defer h.scm.Lock()()
	if err := h.need("dependents", scm.EnumerateDependents, Call{}); err != nil {
		return nil, err
	}
	out := []scm.Status{}
	if h.scm.q.DependentsUntracked {
		return out, nil
	}
	for _, d := range h.stopOrder() {
		st := d.status()
		if state == 3 || (state == 1) == (d.State != Stopped) {
			out = append(out, st)
		}
	}
	return out, nil
}

// WaitFor returns at once: the fake's transitions are immediate. A done
// context ends it as it ends a real wait, and a service gone (marked for
// deletion, then stopped) as a real wait sees it go.
func (h *handle) WaitFor(ctx context.Context, w scm.Waiter) (scm.Status, error) {
	unlock := h.scm.Lock()
	if err := h.need("waitFor", scm.QueryStatus, Call{}); err == errMarkedForDelete {
		unlock()
		_, err := w.Deleted(true)
		return w.Last(), err
	} else if err != nil {
		unlock()
		return scm.Status{}, err
	}
	st := h.status()
	unlock()
	if err := ctx.Err(); err != nil {
		return st, w.Expired(context.Cause(ctx))
	}
	if h.Hang && st.CurrentState != Stopped && st.CurrentState != Running && st.CurrentState != Paused {
		w.Observe(st, time.Now())
		<-ctx.Done() // a hung service: only the context ends the wait
		return st, w.Expired(context.Cause(ctx))
	}
	return st, nil
}

// SecurityDescriptor returns the parts of the descriptor info asks for.
func (h *handle) SecurityDescriptor(info uint32) (string, error) {
	defer h.scm.Lock()()
	if err := h.need("securityDescriptor", scm.ReadControl, Call{}); err != nil {
		return "", err
	}
	stored := h.sddl()
	if h.scm.q.SecurityUnstored {
		stored = "D:" // the same for every service, as Wine's SCM answers
	}
	d, err := access.Parse(stored)
	if err != nil {
		return "", err
	}
	if info&scm.OwnerSecurityInformation == 0 {
		d.Owner = ""
	}
	if info&scm.GroupSecurityInformation == 0 {
		d.Group = ""
	}
	if info&scm.DACLSecurityInformation == 0 {
		d.DACL = nil
	}
	if info&scm.SACLSecurityInformation == 0 {
		d.SACL = nil
	}
	return d.String(), nil
}

// SetSecurityDescriptor replaces the parts of the descriptor info names.
func (h *handle) SetSecurityDescriptor(sddl string, info uint32) error {
	defer h.scm.Lock()()
	need := uint32(0)
	if info&scm.DACLSecurityInformation != 0 {
		need |= scm.WriteDAC
	}
	if info&(scm.OwnerSecurityInformation|scm.GroupSecurityInformation) != 0 {
		need |= scm.WriteOwner
	}
	if err := h.need("setSecurityDescriptor", need, Call{}); err != nil {
		return err
	}
	if h.scm.q.SecurityUnstored {
		return nil // accepted, and nothing kept
	}
	cur, _ := access.Parse(h.sddl())
	next, err := access.Parse(sddl)
	if err != nil {
		return err
	}
	if info&scm.OwnerSecurityInformation != 0 {
		cur.Owner = next.Owner
	}
	if info&scm.GroupSecurityInformation != 0 {
		cur.Group = next.Group
	}
	if info&scm.DACLSecurityInformation != 0 {
		cur.DACL = next.DACL
	}
	if info&scm.SACLSecurityInformation != 0 {
		cur.SACL = next.SACL
	}
	h.SDDL = cur.String()
	return nil
}
