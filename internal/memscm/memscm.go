// Package memscm is a Service Control Manager held in memory, implementing
// package scm's interfaces on any system: the fake behind winsvctest, and
// the library's own tests' (as database/sql tests its pool with fakedb).
// It behaves as Windows documents, plus the quirks it is given (with
// Wine's: it deletes the dependencies on a ChangeServiceConfig that leaves
// them NULL, reports none, tracks no dependents). For what a real SCM
// cannot be made to do in a test, it fails at a chosen call, holds
// thousands of services, counts calls and runs a hook before each.
//
// It shares nothing with the library: it stores what the SCM stores, as
// the SCM's own values, and reads and writes the config2 structures with
// its own layouts (layout.go, triggers.go), written from the member lists
// of Microsoft's structure pages, so that a library encoder or decoder
// that departs from the documented layout fails the native tests instead
// of agreeing with itself.
package memscm

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"syscall"
	"unicode/utf16"

	"github.com/winsvc/winsvc/internal/scm"
)

// Win32 codes the SCM answers with.
const (
	errAccessDenied       = syscall.Errno(5)
	errInvalidLevel       = syscall.Errno(124)
	errDependentsRunning  = syscall.Errno(1051)
	errAlreadyRunning     = syscall.Errno(1056)
	errDisabled           = syscall.Errno(1058)
	errNotFound           = syscall.Errno(1060)
	errNotActive          = syscall.Errno(1062)
	errDependencyFailed   = syscall.Errno(1068)
	errMarkedForDelete    = syscall.Errno(1072)
	errExists             = syscall.Errno(1073)
	errNotFoundElement    = syscall.Errno(1168)
	errNoneMapped         = syscall.Errno(1332)
	defaultPreshutdownMS  = 180000
	controlStop           = 1
	controlPause          = 2
	controlContinue       = 3
	controlInterrogate    = 4
	customControlMin      = 128
	levelManagedAccount   = 11
	acceptStopPauseResume = 0x1 | 0x2
)

// Service states (SERVICE_STOPPED, ...).
const (
	Stopped         uint32 = 1
	StartPending    uint32 = 2
	StopPending     uint32 = 3
	Running         uint32 = 4
	ContinuePending uint32 = 5
	PausePending    uint32 = 6
	Paused          uint32 = 7
)

// SCM is the in-memory Service Control Manager. Its exported fields are
// for tests, set before use or under Lock.
type SCM struct {
	mu       sync.Mutex // held for each call
	q        scm.Quirks
	services map[string]*Service // by upper-case name
	log      []string            // controls, as "stop Name"
	calls    []Call
	nextTag  uint32
	// Fail makes the calls it names fail: "changeConfig", "changeConfig2
	// <level>", "createService", "delete", "queryConfig2 <level>", ...
	// (Call.Op, with the level for config2 calls).
	Fail map[string]error
	// Unsupported makes both query and change of a config2 level fail
	// with ERROR_INVALID_LEVEL, as Wine's SCM does for most of them.
	Unsupported map[uint32]bool
	// Dropped makes a change of a config2 level succeed and store nothing,
	// and a query fail with ERROR_INVALID_LEVEL, as Wine's SCM does for
	// failure actions.
	Dropped map[uint32]bool
	// OnCall, when set, runs before every call (to cancel a context, say).
	OnCall func(op string)
	// Accounts answers account lookups: name -> SID, canonical name.
	Accounts map[string][2]string
}

// Call is one SCM call: its operation, service, access and level, and
// what a write gave: the core change, the creation's arguments, or the
// config2 value as this SCM decoded it (Settings' field types), or the
// Parameters values a key's closing wrote.
type Call struct {
	Op      string
	Service string
	Access  uint32
	Level   uint32
	Core    *scm.CoreChange
	Create  *scm.Create
	Value   any
	Params  map[string]scm.RegValue
	IsWrite bool
}

// Service is one service the SCM holds: what the SCM stores of it.
type Service struct {
	scm       *SCM
	Name      string
	Config    scm.Config // the core configuration
	Settings  Settings   // the config2 settings
	State     uint32
	ProcessID uint32
	FailStart bool                    // start fails with ERROR_SERVICE_DEPENDENCY_FAIL
	Hang      bool                    // start leaves it START_PENDING for good
	SDDL      string                  // its security descriptor; "" is DefaultSDDL
	Marked    bool                    // deleted while running: gone once stopped
	Params    map[string]scm.RegValue // its Parameters key's values (nil: no key)
}

// DefaultSDDL is the security descriptor a new service gets, the shape
// Windows gives one.
const DefaultSDDL = "O:SYG:SYD:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)"

// New returns an SCM with quirks q holding services.
func New(q scm.Quirks, services ...*Service) *SCM {
	f := &SCM{q: q, services: map[string]*Service{}, Fail: map[string]error{}, Unsupported: map[uint32]bool{}, Dropped: map[uint32]bool{}}
	for _, s := range services {
		f.Add(s)
	}
	return f
}

// NewService is a stopped service as CreateService makes it with only a
// name and a program: every other setting at the SCM's default.
func NewService(name, binaryPath string) *Service {
	return &Service{Name: name, State: Stopped, Config: scm.Config{
		ServiceType: 0x10, StartType: 3, ErrorControl: 1, BinaryPathName: binaryPath,
		ServiceStartName: "LocalSystem", DisplayName: name, Dependencies: []string{},
	}, Settings: defaultSettings()}
}

func defaultSettings() Settings {
	return Settings{PreshutdownTimeout: defaultPreshutdownMS, RequiredPrivileges: []string{}, Triggers: []Trigger{},
		FailureActions: FailureActions{Actions: []Action{}}}
}

// Add puts s into the SCM (replacing a service of the same name).
func (f *SCM) Add(s *Service) {
	s.scm = f
	f.services[key(s.Name)] = s
}

func key(name string) string { return strings.ToUpper(name) }

// Lock locks the SCM, as each call does, and returns the function that
// unlocks it: a test that reads or changes services while a Manager may be
// calling holds it.
func (f *SCM) Lock() func() {
	f.mu.Lock()
	return f.mu.Unlock
}

// Service returns the service of that name (any case), or nil.
func (f *SCM) Service(name string) *Service { return f.services[key(name)] }

// Services returns every service, by name.
func (f *SCM) Services() []*Service {
	out := make([]*Service, 0, len(f.services))
	for _, s := range f.services {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *Service) int { return strings.Compare(key(a.Name), key(b.Name)) })
	return out
}

// Calls returns the calls made so far.
func (f *SCM) Calls() []Call {
	defer f.Lock()()
	return slices.Clone(f.calls)
}

// Ops lists the calls made, as "op service".
func (f *SCM) Ops() []string {
	defer f.Lock()()
	var out []string
	for _, c := range f.calls {
		out = append(out, strings.TrimSpace(c.Op+" "+c.Service))
	}
	return out
}

// Writes returns the calls that wrote settings.
func (f *SCM) Writes() []Call {
	defer f.Lock()()
	var out []Call
	for _, c := range f.calls {
		if c.IsWrite {
			out = append(out, c)
		}
	}
	return out
}

// Log returns the controls and starts sent, as "stop Name", "start Name".
func (f *SCM) Log() []string {
	defer f.Lock()()
	return slices.Clone(f.log)
}

// Reset forgets the calls and controls recorded.
func (f *SCM) Reset() {
	defer f.Lock()()
	f.calls, f.log = nil, nil
}

func (f *SCM) call(c Call) error {
	if f.OnCall != nil {
		f.OnCall(c.Op)
	}
	f.calls = append(f.calls, c)
	k := c.Op
	if c.Level != 0 {
		k = fmt.Sprintf("%s %d", c.Op, c.Level)
	}
	return f.Fail[k]
}

func (f *SCM) Close() error       { return nil }
func (f *SCM) Quirks() scm.Quirks { return f.q }
func (f *SCM) EnablePrivilege(name string) error {
	defer f.Lock()()
	return f.call(Call{Op: "enablePrivilege " + name})
}

func (f *SCM) OpenService(name string, access uint32) (scm.Service, error) {
	defer f.Lock()()
	if err := f.call(Call{Op: "openService", Service: name, Access: access}); err != nil {
		return nil, err
	}
	s := f.Service(name)
	if s == nil {
		return nil, errNotFound
	}
	return &handle{Service: s, access: access}, nil
}

func (f *SCM) CreateService(c *scm.Create, access uint32) (scm.Service, error) {
	defer f.Lock()()
	cr := *c
	cr.Dependencies = slices.Clone(c.Dependencies)
	if err := f.call(Call{Op: "createService", Service: c.Name, Access: access, Create: &cr, IsWrite: true}); err != nil {
		return nil, err
	}
	if old := f.Service(c.Name); old != nil {
		if old.Marked {
			return nil, errMarkedForDelete
		}
		return nil, errExists
	}
	s := &Service{Name: c.Name, Config: cr.Config, Settings: defaultSettings(), State: Stopped}
	s.Config.TagID = 0
	if s.Config.Dependencies == nil {
		s.Config.Dependencies = []string{}
	}
	if c.RequestTag {
		f.nextTag++
		s.Config.TagID = f.nextTag
	}
	f.Add(s)
	return &handle{Service: s, access: access}, nil
}

func (f *SCM) Enumerate(q scm.Filter) ([]scm.Status, error) {
	defer f.Lock()()
	if err := f.call(Call{Op: "enumerate"}); err != nil {
		return nil, err
	}
	out := []scm.Status{}
	for _, s := range f.services {
		st := s.status()
		switch {
		case q.Group != nil && !strings.EqualFold(*q.Group, s.Config.LoadOrderGroup):
		case q.Types != 0 && q.Types&s.Config.ServiceType == 0:
		case q.States == 1 && s.State == Stopped, q.States == 2 && s.State != Stopped:
		default:
			out = append(out, st)
		}
	}
	if q.Group != nil && len(out) == 0 {
		return nil, errNotFound // as the SCM answers for a group without members
	}
	slices.SortFunc(out, func(a, b scm.Status) int { return strings.Compare(key(a.Name), key(b.Name)) })
	return out, nil
}

func (f *SCM) DisplayName(k string) (string, error) {
	defer f.Lock()()
	if err := f.call(Call{Op: "displayName", Service: k}); err != nil {
		return "", err
	}
	if s := f.Service(k); s != nil {
		return s.Config.DisplayName, nil
	}
	return "", errNotFound
}

func (f *SCM) KeyName(display string) (string, error) {
	defer f.Lock()()
	if err := f.call(Call{Op: "keyName", Service: display}); err != nil {
		return "", err
	}
	for _, s := range f.services {
		if strings.EqualFold(s.Config.DisplayName, display) {
			return s.Name, nil
		}
	}
	return "", errNotFound
}

// ServiceValues serves the registry values the SCM keeps of a service:
// DependOnService, DependOnGroup and Group.
func (f *SCM) ServiceValues(service string, names ...string) (map[string][]byte, error) {
	defer f.Lock()()
	if err := f.call(Call{Op: "registry", Service: service}); err != nil {
		return nil, err
	}
	s := f.Service(service)
	if s == nil {
		return nil, errNotFound
	}
	out := map[string][]byte{}
	var svcs, groups []string
	for _, d := range s.Config.Dependencies {
		if g, ok := strings.CutPrefix(d, "+"); ok {
			groups = append(groups, g)
		} else {
			svcs = append(svcs, d)
		}
	}
	for _, n := range names {
		switch n {
		case "DependOnService":
			out[n] = multiSz(svcs)
		case "DependOnGroup":
			out[n] = multiSz(groups)
		case "Group":
			out[n] = multiSz([]string{s.Config.LoadOrderGroup})
		}
	}
	return out, nil
}

func multiSz(list []string) []byte {
	var b []byte
	for _, s := range list {
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		b = append(b, 0, 0)
	}
	return append(b, 0, 0)
}

// LockStatus reports an unlocked database: a QUERY_SERVICE_LOCK_STATUSW
// with fIsLocked 0 and no owner.
func (f *SCM) LockStatus() ([]byte, error) {
	defer f.Lock()()
	if err := f.call(Call{Op: "lockStatus"}); err != nil {
		return nil, err
	}
	_, size := cLayout(cDWORD, cPointer, cDWORD)
	w := &writer{}
	w.grow(size, 8)
	return w.done(), nil
}

// LookupAccount answers from Accounts, and ERROR_NONE_MAPPED otherwise.
func (f *SCM) LookupAccount(name string) (string, string, error) {
	defer f.Lock()()
	if err := f.call(Call{Op: "lookupAccount", Service: name}); err != nil {
		return "", "", err
	}
	if a, ok := f.Accounts[name]; ok {
		return a[0], a[1], nil
	}
	return "", "", errNoneMapped
}

func (s *Service) status() scm.Status {
	st := scm.Status{Name: s.Name, DisplayName: s.Config.DisplayName, CurrentState: s.State, ServiceType: s.Config.ServiceType}
	if s.State == Running || s.State == Paused {
		st.ControlsAccepted = acceptStopPauseResume
		st.ProcessID = s.ProcessID
	}
	return st
}

// Status is the service's status as the SCM reports it.
func (s *Service) Status() scm.Status { return s.status() }

func (s *Service) sddl() string { return cmp.Or(s.SDDL, DefaultSDDL) }

// stopOrder lists what depends on s by name, recursively, each before what
// it depends on, as EnumDependentServices does (a dependency on a group
// does not count; services in a cycle come in name order).
func (s *Service) stopOrder() []*Service {
	set := map[string]*Service{}
	queue := []string{key(s.Name)}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, x := range s.scm.Services() {
			xk := key(x.Name)
			if set[xk] == nil && xk != key(s.Name) && slices.ContainsFunc(x.Config.Dependencies, func(d string) bool { return key(d) == k }) {
				set[xk] = x
				queue = append(queue, xk)
			}
		}
	}
	var out []*Service
	for len(set) > 0 {
		var ready []string
		for k := range set {
			needed := false
			for _, x := range set {
				if slices.ContainsFunc(x.Config.Dependencies, func(d string) bool { return key(d) == k }) {
					needed = true
				}
			}
			if !needed {
				ready = append(ready, k)
			}
		}
		if len(ready) == 0 { // a cycle
			ready = []string{slices.Min(slices.Collect(maps.Keys(set)))}
		}
		slices.Sort(ready)
		for _, k := range ready {
			out = append(out, set[k])
			delete(set, k)
		}
	}
	return out
}
