package winsvc

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf16"

	"github.com/winsvc/winsvc/access"
)

// ConnectMemory returns a Manager over a Service Control Manager held in
// memory, on any system: a fake for the tests of programs built on winsvc.
// It starts empty and behaves as Windows' SCM documents (controls take
// effect at once; dependents, security descriptors, account lookups and
// the lock status included).
func ConnectMemory() *Manager { return &Manager{conn: newMemSCM(quirks{})} }

// memSCM is the in-memory Service Control Manager behind ConnectMemory,
// and the package's own tests' fake (as database/sql tests its pool with
// fakedb): for what a real SCM cannot be made to do in a test, fail at a
// chosen call, hold thousands of services, count calls, cancel in the
// middle. It behaves as Windows documents, plus the quirks it is given
// (with Wine's: it deletes the dependencies on a ChangeServiceConfig that
// leaves them NULL, reports none, tracks no dependents). It records every
// call, decoding what each write sends with its own reading of the
// documented structures (memlayout.go).
type memSCM struct {
	mu       sync.Mutex // held for each call
	q        quirks
	services map[string]*memService // by depKey
	log      []string               // controls, as "stop Name"
	calls    []memCall
	// fail makes the calls it names fail: "changeConfig", "changeConfig2
	// <level>", "createService", "delete", "queryConfig2 <level>".
	fail map[string]error
	// unsupported makes both query and change of a config2 level fail with
	// ERROR_INVALID_LEVEL, as Wine's SCM does for most of them.
	unsupported map[uint32]bool
	// dropped makes a change of a config2 level succeed and store nothing,
	// and a query fail with ERROR_INVALID_LEVEL, as Wine's SCM does for
	// failure actions.
	dropped map[uint32]bool
	// onCall, when set, runs before every call (to cancel a context, say).
	onCall  func(op string)
	nextTag uint32
	// accounts answers account lookups: name -> SID, canonical name.
	accounts map[string][2]string
}

// memCall is one SCM call: its operation, service, and for writes the
// settings written (by Field, typed as Config's fields).
type memCall struct {
	Op      string
	Service string
	Access  uint32
	Level   uint32
	Written map[Field]any
}

type memService struct {
	scm       *memSCM
	name      string
	cfg       *Config
	state     State
	failStart bool                // start fails with ERROR_SERVICE_DEPENDENCY_FAIL
	hang      bool                // start leaves it START_PENDING for good
	sddl      string              // its security descriptor; "" is memDefaultSDDL
	marked    bool                // deleted while running: gone once stopped
	params    map[string]regValue // its Parameters key's values (memscm_params.go)
}

// memDefaultSDDL is the security descriptor a new service gets, the shape
// Windows gives one.
const memDefaultSDDL = "O:SYG:SYD:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)"

// memHandle is one open service handle, with the access it was opened with.
type memHandle struct {
	*memService
	access uint32
}

func newMemSCM(q quirks, services ...*memService) *memSCM {
	f := &memSCM{q: q, services: map[string]*memService{}, fail: map[string]error{}, unsupported: map[uint32]bool{}, dropped: map[uint32]bool{}}
	for _, s := range services {
		f.add(s)
	}
	return f
}

func (f *memSCM) add(s *memService) {
	s.scm = f
	f.services[depKey(s.name)] = s
}

func (f *memSCM) call(c memCall) error {
	if f.onCall != nil {
		f.onCall(c.Op)
	}
	f.calls = append(f.calls, c)
	key := c.Op
	if c.Level != 0 {
		key = fmt.Sprintf("%s %d", c.Op, c.Level)
	}
	return f.fail[key]
}

// ops lists the calls made, as "op service".
func (f *memSCM) ops() []string {
	defer f.lock()()
	var out []string
	for _, c := range f.calls {
		out = append(out, strings.TrimSpace(c.Op+" "+c.Service))
	}
	return out
}

// writes returns the calls that wrote settings.
func (f *memSCM) writes() []memCall {
	defer f.lock()()
	var out []memCall
	for _, c := range f.calls {
		if c.Written != nil {
			out = append(out, c)
		}
	}
	return out
}

func (f *memSCM) close() error   { return nil }
func (f *memSCM) quirks() quirks { return f.q }
func (f *memSCM) reset() {
	defer f.lock()()
	f.calls, f.log = nil, nil
}

// lock locks the SCM for one call (a Manager may be used from many
// goroutines) and returns the function that unlocks it.
func (f *memSCM) lock() func() {
	f.mu.Lock()
	return f.mu.Unlock
}
func (f *memSCM) service(n string) *memService { return f.services[depKey(n)] }

func (f *memSCM) enablePrivilege(name string) error {
	defer f.lock()()
	return f.call(memCall{Op: "enablePrivilege " + name})
}

func (f *memSCM) openService(name string, access uint32) (serviceConn, error) {
	defer f.lock()()
	if err := f.call(memCall{Op: "openService", Service: name, Access: access}); err != nil {
		return nil, err
	}
	s := f.service(name)
	if s == nil {
		return nil, syscall.Errno(ErrNotFound) // the bare code, as x/sys returns it
	}
	return &memHandle{memService: s, access: access}, nil
}

func (f *memSCM) createService(c *Config, password string, access uint32) (serviceConn, error) {
	defer f.lock()()
	written := map[Field]any{}
	for _, r := range settings {
		if r.level == 0 && r.field != FieldTagID {
			written[r.field] = r.get(c)
		}
	}
	if c.requestTag {
		written[FieldTagID] = nil
	}
	if password != "" {
		written[FieldPassword] = password
	}
	if err := f.call(memCall{Op: "createService", Service: c.Name, Access: access, Written: written}); err != nil {
		return nil, err
	}
	if old := f.service(c.Name); old != nil {
		if old.marked {
			return nil, ErrMarkedForDelete
		}
		return nil, ErrExists
	}
	n := defaultConfig(c.Name)
	for _, r := range settings {
		if r.level == 0 {
			n.copyField(c, r.field)
		} else if r.created != nil {
			r.put(n, r.created)
		}
	}
	n.PreshutdownTimeout = defaultPreshutdownTimeout
	if c.requestTag {
		f.nextTag++
		n.TagID = f.nextTag
	}
	s := &memService{name: c.Name, cfg: n, state: Stopped}
	f.add(s)
	return &memHandle{memService: s, access: access}, nil
}

func (f *memSCM) enumerate(q QueryFilter) ([]Status, error) {
	defer f.lock()()
	if err := f.call(memCall{Op: "enumerate"}); err != nil {
		return nil, err
	}
	var out []Status
	for _, s := range f.services {
		st := s.statusNow()
		switch {
		case q.Group != nil && *q.Group != s.cfg.LoadOrderGroup:
		case q.Types != 0 && q.Types&s.cfg.ServiceType == 0:
		case q.States == ActiveServices && s.state == Stopped, q.States == InactiveServices && s.state != Stopped:
		default:
			out = append(out, st)
		}
	}
	if q.Group != nil && len(out) == 0 {
		return nil, ErrNotFound // as the SCM answers for a group without members
	}
	slices.SortFunc(out, func(a, b Status) int { return compareFold(a.Name, b.Name) })
	return out, nil
}

func (f *memSCM) displayName(key string) (string, error) {
	defer f.lock()()
	if err := f.call(memCall{Op: "displayName", Service: key}); err != nil {
		return "", err
	}
	if s := f.service(key); s != nil {
		return s.cfg.DisplayName, nil
	}
	return "", ErrNotFound
}

func (f *memSCM) keyName(display string) (string, error) {
	defer f.lock()()
	if err := f.call(memCall{Op: "keyName", Service: display}); err != nil {
		return "", err
	}
	for _, s := range f.services {
		if strings.EqualFold(s.cfg.DisplayName, display) {
			return s.name, nil
		}
	}
	return "", ErrNotFound
}

// serviceValues serves the registry values the SCM keeps.
func (f *memSCM) ServiceValues(service string, names ...string) (map[string][]byte, error) {
	defer f.lock()()
	if err := f.call(memCall{Op: "registry", Service: service}); err != nil {
		return nil, err
	}
	s := f.service(service)
	if s == nil {
		return nil, ErrNotFound
	}
	out := map[string][]byte{}
	var svcs, groups []string
	for _, d := range s.cfg.Dependencies {
		if d.Group {
			groups = append(groups, d.Name)
		} else {
			svcs = append(svcs, d.Name)
		}
	}
	for _, n := range names {
		switch n {
		case regDependOnService:
			out[n] = multiSzBytes(svcs)
		case regDependOnGroup:
			out[n] = multiSzBytes(groups)
		case regGroup:
			out[n] = multiSzBytes([]string{s.cfg.LoadOrderGroup})
		}
	}
	return out, nil
}

func multiSzBytes(list []string) []byte {
	var u []uint16
	for _, s := range list {
		u = append(append(u, utf16.Encode([]rune(s))...), 0)
	}
	u = append(u, 0)
	b := make([]byte, 2*len(u))
	for i, c := range u {
		le.PutUint16(b[2*i:], c)
	}
	return b
}

// The handle's calls. need fails with ERROR_ACCESS_DENIED when the handle
// lacks a right, as the SCM does.
func (h *memHandle) need(op string, mask uint32, c memCall) error {
	c.Op, c.Service = op, h.name
	if err := h.scm.call(c); err != nil {
		return err
	}
	if h.access&mask != mask {
		return ErrAccessDenied
	}
	if h.marked && (strings.HasPrefix(op, "change") || op == "delete" || op == "start" && !h.scm.q.StartsMarked) {
		return ErrMarkedForDelete
	}
	if h.scm.service(h.name) != h.memService {
		return ErrMarkedForDelete
	}
	return nil
}

func (h *memHandle) close() error {
	defer h.scm.lock()()
	return h.scm.call(memCall{Op: "close", Service: h.name})
}

func (s *memService) statusNow() Status {
	st := Status{Name: s.name, DisplayName: s.cfg.DisplayName, State: s.state, ServiceType: s.cfg.ServiceType}
	if s.state == Running || s.state == Paused {
		st.ControlsAccepted = AcceptStop | AcceptPauseContinue
	}
	return st
}

func (h *memHandle) status() (Status, error) {
	defer h.scm.lock()()
	if err := h.need("status", accessQueryStatus, memCall{}); err != nil {
		return Status{}, err
	}
	return h.statusNow(), nil
}

func (h *memHandle) queryConfig() (*Config, error) {
	defer h.scm.lock()()
	if err := h.need("queryConfig", accessQueryConfig, memCall{}); err != nil {
		return nil, err
	}
	c := &Config{Name: h.name}
	for _, r := range settings {
		if r.level == 0 {
			c.copyField(h.cfg, r.field)
		}
	}
	c.TagID = h.cfg.TagID
	if h.scm.q.DependenciesUnreported {
		c.Dependencies = nil
	}
	return c, nil
}

func (h *memHandle) queryConfig2(level uint32) ([]byte, error) {
	defer h.scm.lock()()
	if err := h.need("queryConfig2", accessQueryConfig, memCall{Level: level}); err != nil {
		return nil, err
	}
	r := rowAt(level)
	switch {
	case h.scm.unsupported[level] || h.scm.dropped[level] || r == nil:
		return nil, ErrInvalidLevel
	case r.field == FieldPreferredNode && !h.cfg.PreferredNode.Set:
		return nil, Errno(1168) // what Windows answers for "none"
	}
	if memStructs[level] != nil {
		return memEncode(level, h.cfg), nil // memlayout.go, not the library's codec
	}
	return r.encode(nil, r.get(h.cfg)), nil
}

func rowAt(level uint32) *setting {
	for _, r := range config2Settings {
		if r.level == level {
			return r
		}
	}
	return nil
}

func (h *memHandle) changeConfig(cc *coreChange) error {
	defer h.scm.lock()()
	written := cc.written()
	if err := h.need("changeConfig", accessChangeConfig, memCall{Written: written}); err != nil {
		return err
	}
	for f, v := range written {
		switch f {
		case FieldPassword:
		case FieldTagID:
			if h.cfg.TagID == 0 {
				h.scm.nextTag++
				h.cfg.TagID = h.scm.nextTag
			}
		default:
			r, _ := settingFor(f)
			r.put(h.cfg, v)
		}
	}
	if cc.Dependencies == nil && h.scm.q.NullDependenciesClear {
		h.cfg.Dependencies = []Dependency{} // Wine's ChangeServiceConfig does this
	}
	return nil
}

func (h *memHandle) changeConfig2(level uint32, buf []byte) error {
	defer h.scm.lock()()
	r := rowAt(level)
	if r == nil {
		return ErrInvalidLevel
	}
	var v any
	var err error
	if memStructs[level] != nil {
		v, err = memDecode(level, buf, h.cfg) // memlayout.go, not the library's codec
	} else {
		v, err = r.decode(newReader(buf), buf)
	}
	if err != nil {
		return err
	}
	if err := h.need("changeConfig2", accessChangeConfig, memCall{Level: level, Written: map[Field]any{r.field: v}}); err != nil {
		return err
	}
	switch {
	case h.scm.unsupported[level]:
		return ErrInvalidLevel
	case !h.scm.dropped[level]:
		r.put(h.cfg, v)
	}
	return nil
}

// delete removes a stopped service at once and marks a running one, which
// goes when it stops (the fake holds no handles open between calls).
func (h *memHandle) delete() error {
	defer h.scm.lock()()
	if err := h.need("delete", accessDelete, memCall{}); err != nil {
		return err
	}
	if h.state == Stopped {
		delete(h.scm.services, depKey(h.name))
	} else {
		h.marked = true
	}
	return nil
}

func (h *memHandle) start(args []string) error {
	defer h.scm.lock()()
	if err := h.need("start", accessStart, memCall{}); err != nil {
		return err
	}
	if h.failStart {
		return ErrDependencyFailed
	}
	if h.state != Stopped {
		return ErrAlreadyRunning
	}
	if h.cfg.StartType == Disabled {
		return ErrDisabled // as Windows' SCM refuses
	}
	h.scm.log = append(h.scm.log, "start "+h.name)
	h.state = Running
	if h.hang {
		h.state = StartPending
	}
	return nil
}

func (h *memHandle) control(code uint32) (Status, error) {
	defer h.scm.lock()()
	access := accessPauseContinue
	switch {
	case code == ControlStop:
		access = accessStop
	case code == ControlInterrogate:
		access = accessInterrogate
	case code >= CustomControlMin:
		access = accessUserControl
	}
	if err := h.need(fmt.Sprintf("control %d", code), access, memCall{}); err != nil {
		return Status{}, err
	}
	if h.state == Stopped {
		return Status{}, ErrNotActive
	}
	switch code {
	case ControlStop:
		if !h.scm.q.DependentsUntracked && len(h.activeDependents()) > 0 {
			return Status{}, ErrDependentServicesRunning // as Windows refuses
		}
		h.scm.log = append(h.scm.log, "stop "+h.name)
		h.state = Stopped
		if h.marked && !h.scm.q.StartsMarked {
			// With startsMarked, the service stays, as on Wine until the
			// SCM has seen its process exit: the window in which it would
			// start again.
			delete(h.scm.services, depKey(h.name))
		}
	case ControlPause:
		h.scm.log = append(h.scm.log, "pause "+h.name)
		h.state = Paused
	case ControlContinue:
		h.scm.log = append(h.scm.log, "continue "+h.name)
		h.state = Running
	}
	return h.statusNow(), nil
}

// securityDescriptor returns the parts of the descriptor info asks for.
func (h *memHandle) SecurityDescriptor(info uint32) (string, error) {
	defer h.scm.lock()()
	if err := h.need("securityDescriptor", accessReadControl, memCall{}); err != nil {
		return "", err
	}
	stored := cmp.Or(h.sddl, memDefaultSDDL)
	if h.scm.q.SecurityUnstored {
		stored = "D:" // the same for every service, as Wine's SCM answers
	}
	d, err := access.Parse(stored)
	if err != nil {
		return "", err
	}
	if info&ownerSecurityInformation == 0 {
		d.Owner = ""
	}
	if info&groupSecurityInformation == 0 {
		d.Group = ""
	}
	if info&daclSecurityInformation == 0 {
		d.DACL = nil
	}
	if info&saclSecurityInformation == 0 {
		d.SACL = nil
	}
	return d.String(), nil
}

// setSecurityDescriptor replaces the parts of the descriptor info names.
func (h *memHandle) SetSecurityDescriptor(sddl string, info uint32) error {
	defer h.scm.lock()()
	need := uint32(0)
	if info&daclSecurityInformation != 0 {
		need |= accessWriteDAC
	}
	if info&(ownerSecurityInformation|groupSecurityInformation) != 0 {
		need |= accessWriteOwner
	}
	if err := h.need("setSecurityDescriptor", need, memCall{}); err != nil {
		return err
	}
	if h.scm.q.SecurityUnstored {
		return nil // accepted, and nothing kept
	}
	cur, _ := access.Parse(cmp.Or(h.sddl, memDefaultSDDL))
	next, err := access.Parse(sddl)
	if err != nil {
		return err
	}
	if info&ownerSecurityInformation != 0 {
		cur.Owner = next.Owner
	}
	if info&groupSecurityInformation != 0 {
		cur.Group = next.Group
	}
	if info&daclSecurityInformation != 0 {
		cur.DACL = next.DACL
	}
	if info&saclSecurityInformation != 0 {
		cur.SACL = next.SACL
	}
	h.sddl = cur.String()
	return nil
}

// lockStatus reports an unlocked database.
func (f *memSCM) LockStatus() ([]byte, error) {
	defer f.lock()()
	return make([]byte, lsSize), f.call(memCall{Op: "lockStatus"})
}

// lookupAccount answers from f.accounts, and ERROR_NONE_MAPPED otherwise.
func (f *memSCM) LookupAccount(name string) (string, string, error) {
	defer f.lock()()
	if err := f.call(memCall{Op: "lookupAccount", Service: name}); err != nil {
		return "", "", err
	}
	if a, ok := f.accounts[name]; ok {
		return a[0], a[1], nil
	}
	return "", "", Errno(1332)
}

// activeDependents are the dependents that make Windows refuse a STOP (one
// already stopping is taken as stopped: the fake's waits end at once).
func (s *memService) activeDependents() []Status {
	var out []Status
	for _, st := range s.dependentsIn(AllServices) {
		if st.State != Stopped && st.State != StopPending {
			out = append(out, st)
		}
	}
	return out
}

// dependentsIn lists what depends on s through services, recursively, in
// stop order, as EnumDependentServices does.
func (s *memService) dependentsIn(states StateFilter) []Status {
	var all []serviceDeps
	for _, x := range s.scm.services {
		all = append(all, serviceDeps{Name: x.name, Group: x.cfg.LoadOrderGroup, Dependencies: x.cfg.Dependencies})
	}
	var out []Status
	for _, n := range newDependencyGraph(all).stopOrder(s.name) {
		st := s.scm.service(n).statusNow()
		if states == AllServices || (states == ActiveServices) == (st.State != Stopped) {
			out = append(out, st)
		}
	}
	return out
}

func (h *memHandle) dependents(states StateFilter) ([]Status, error) {
	defer h.scm.lock()()
	if err := h.need("dependents", accessEnumDependents, memCall{}); err != nil {
		return nil, err
	}
	if h.scm.q.DependentsUntracked {
		return []Status{}, nil
	}
	return h.dependentsIn(states), nil
}

// waitFor returns at once: the fake's transitions are immediate. A done
// context ends it as it ends a real wait, and a service gone (marked for
// deletion, then stopped) as a real wait sees it go.
func (h *memHandle) waitFor(ctx context.Context, t *waitTracker) (Status, error) {
	unlock := h.scm.lock()
	if err := h.need("waitFor", accessQueryStatus, memCall{}); err == ErrMarkedForDelete {
		unlock()
		_, err := t.deleted(true)
		return t.last, err
	} else if err != nil {
		unlock()
		return Status{}, err
	}
	st := h.statusNow()
	unlock()
	if err := ctx.Err(); err != nil {
		return st, t.expired(context.Cause(ctx))
	}
	if h.hang && st.State.Pending() {
		t.observe(st, time.Now())
		<-ctx.Done() // a hung service: only the context ends the wait
		return st, t.expired(context.Cause(ctx))
	}
	return st, nil
}
