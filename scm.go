package winsvc

import (
	"context"
	"errors"
	"maps"
	"strings"
	"syscall"
	"time"

	"github.com/winsvc/winsvc/internal/scm"
)

// This file is the boundary between the portable library and a platform:
// internal/scm's interfaces, which Windows' layer and the in-memory SCM
// implement with values as the SCM gives them. Here, and nowhere else,
// those values become the library's types (bound, boundService), so that
// the rest of the library speaks of Config, Status and coreChange. The
// platform makes one SCM call per method and knows nothing of plans,
// settings or validation: encoding and decoding the config2 structures,
// the setting table and the executor are portable code.

// Access rights, as documented for OpenSCManager and OpenService. winsvc
// asks for exactly the rights each operation needs, so reads work without
// administrator rights.
const (
	scManagerConnect         = scm.ManagerConnect
	scManagerCreateService   = scm.ManagerCreateService
	scManagerEnumerate       = scm.ManagerEnumerate
	scManagerQueryLockStatus = scm.ManagerQueryLockStatus

	accessQueryConfig          = scm.QueryConfig
	accessChangeConfig         = scm.ChangeConfig
	accessQueryStatus          = scm.QueryStatus
	accessEnumDependents       = scm.EnumerateDependents
	accessStart                = scm.Start
	accessStop                 = scm.Stop
	accessPauseContinue        = scm.PauseContinue
	accessInterrogate          = scm.Interrogate
	accessUserControl          = scm.UserDefinedControl
	accessDelete               = scm.Delete
	accessReadControl          = scm.ReadControl
	accessWriteDAC             = scm.WriteDAC
	accessWriteOwner           = scm.WriteOwner
	accessAccessSystemSecurity = scm.AccessSystemSecurity

	ownerSecurityInformation = scm.OwnerSecurityInformation
	groupSecurityInformation = scm.GroupSecurityInformation
	daclSecurityInformation  = scm.DACLSecurityInformation
	saclSecurityInformation  = scm.SACLSecurityInformation
)

// quirks are the ways an SCM departs from the behaviour Windows documents
// (scm.Quirks: seven, each with its workaround in the library).
type quirks = scm.Quirks

// The optional capabilities of a platform, asked for with a type assertion
// on platform(c): a connection or handle that lacks one is answered with
// an error matching errors.ErrUnsupported.
type (
	securityConn   = scm.Security
	accountLookup  = scm.AccountLookup
	registryConn   = scm.Registry
	parametersConn = scm.Parameters
	paramKey       = scm.ParamKey
	regValue       = scm.RegValue
	lockConn       = scm.Lock
	probeConn      = scm.Prober
	hostProbe      = scm.HostProbe
	programFile    = scm.ProgramFile
)

// scmConn is one connection to a Service Control Manager, in the
// library's types (bound over a platform's scm.Conn; the tests' fakes).
type scmConn interface {
	close() error
	quirks() quirks
	openService(name string, access uint32) (serviceConn, error)
	createService(c *Config, password string, access uint32) (serviceConn, error)
	enumerate(f QueryFilter) ([]Status, error)
	displayName(key string) (string, error)
	keyName(display string) (string, error)
	enablePrivilege(name string) error
}

// serviceConn is one open service handle (scm.Service's calls).
type serviceConn interface {
	close() error
	status() (Status, error)
	queryConfig() (*Config, error)
	queryConfig2(level uint32) ([]byte, error)
	changeConfig(cc *coreChange) error
	changeConfig2(level uint32, buf []byte) error
	delete() error
	start(args []string) error
	control(code uint32) (Status, error)
	dependents(state StateFilter) ([]Status, error)
	waitFor(ctx context.Context, t *waitTracker) (Status, error)
}

func init() { scm.Manager = func(c scm.Conn) any { return &Manager{conn: bind(c)} } }

// bind makes a platform's connection the library's.
func bind(c scm.Conn) scmConn { return &bound{c: c} }

// platform returns what implements the optional capabilities of c, a
// connection or service handle: the platform's own value when c is bound.
func platform(c any) any {
	switch b := c.(type) {
	case *bound:
		return b.c
	case *boundService:
		return b.s
	}
	return c
}

type bound struct{ c scm.Conn }

func (b *bound) close() error                      { return platformErr(b.c.Close()) }
func (b *bound) quirks() quirks                    { return b.c.Quirks() }
func (b *bound) enablePrivilege(name string) error { return argErr(b.c.EnablePrivilege(name)) }

func (b *bound) displayName(key string) (string, error) {
	s, err := b.c.DisplayName(key)
	return s, argErr(err)
}

func (b *bound) keyName(display string) (string, error) {
	s, err := b.c.KeyName(display)
	return s, argErr(err)
}

func (b *bound) openService(name string, access uint32) (serviceConn, error) {
	s, err := b.c.OpenService(name, access)
	if err != nil {
		return nil, argErr(err)
	}
	return &boundService{s: s, name: name}, nil
}

func (b *bound) createService(c *Config, password string, access uint32) (serviceConn, error) {
	cr := &scm.Create{Name: c.Name, RequestTag: c.requestTag, Password: password, Config: scm.Config{
		ServiceType: uint32(c.ServiceType), StartType: uint32(c.StartType), ErrorControl: uint32(c.ErrorControl),
		BinaryPathName: c.BinaryPathName, LoadOrderGroup: c.LoadOrderGroup, Dependencies: rawDependencies(c.Dependencies),
		ServiceStartName: c.ServiceStartName, DisplayName: c.DisplayName,
	}}
	s, err := b.c.CreateService(cr, access)
	if err != nil {
		return nil, argErr(err)
	}
	return &boundService{s: s, name: c.Name}, nil
}

func (b *bound) enumerate(f QueryFilter) ([]Status, error) {
	raw, err := b.c.Enumerate(scm.Filter{Types: uint32(f.Types), States: uint32(f.States), Group: f.Group})
	if err != nil {
		return nil, argErr(err)
	}
	return statusesOf(raw), nil
}

type boundService struct {
	s    scm.Service
	name string
}

func (h *boundService) close() error  { return h.s.Close() }
func (h *boundService) delete() error { return h.s.Delete() }
func (h *boundService) queryConfig2(level uint32) ([]byte, error) {
	b, err := h.s.QueryConfig2(level)
	return b, platformErr(err)
}
func (h *boundService) changeConfig2(level uint32, buf []byte) error {
	return platformErr(h.s.ChangeConfig2(level, buf))
}
func (h *boundService) start(args []string) error { return argErr(h.s.Start(args)) }

func (h *boundService) status() (Status, error) {
	st, err := h.s.Status()
	return statusOf(st), platformErr(err)
}

func (h *boundService) control(code uint32) (Status, error) {
	st, err := h.s.Control(code)
	return statusOf(st), platformErr(err)
}

func (h *boundService) dependents(state StateFilter) ([]Status, error) {
	raw, err := h.s.Dependents(uint32(state))
	if err != nil {
		return nil, platformErr(err)
	}
	return statusesOf(raw), nil
}

func (h *boundService) queryConfig() (*Config, error) {
	q, err := h.s.QueryConfig()
	if err != nil {
		return nil, platformErr(err)
	}
	c := &Config{
		Name:             h.name,
		ServiceType:      ServiceType(q.ServiceType),
		StartType:        StartType(q.StartType),
		ErrorControl:     ErrorControl(q.ErrorControl),
		BinaryPathName:   q.BinaryPathName,
		LoadOrderGroup:   q.LoadOrderGroup,
		TagID:            q.TagID,
		ServiceStartName: q.ServiceStartName,
		DisplayName:      q.DisplayName,
	}
	for _, d := range q.Dependencies {
		c.Dependencies = append(c.Dependencies, ParseDependency(d))
	}
	return c, nil
}

func (h *boundService) changeConfig(cc *coreChange) error {
	raw := &scm.CoreChange{
		BinaryPathName: cc.BinaryPathName, LoadOrderGroup: cc.LoadOrderGroup, RequestTag: cc.RequestTag,
		Account: cc.Account, Password: cc.Password, DisplayName: cc.DisplayName,
	}
	if cc.ServiceType != nil {
		raw.ServiceType = Ptr(uint32(*cc.ServiceType))
	}
	if cc.StartType != nil {
		raw.StartType = Ptr(uint32(*cc.StartType))
	}
	if cc.ErrorControl != nil {
		raw.ErrorControl = Ptr(uint32(*cc.ErrorControl))
	}
	if cc.Dependencies != nil {
		raw.Dependencies = rawDependencies(cc.Dependencies)
	}
	return argErr(h.s.ChangeConfig(raw))
}

func (h *boundService) waitFor(ctx context.Context, t *waitTracker) (Status, error) {
	st, err := h.s.WaitFor(ctx, waiter{t})
	return statusOf(st), platformErr(err)
}

// waiter gives the platform the library's wait policy.
type waiter struct{ t *waitTracker }

func (w waiter) Last() scm.Status                              { return rawStatus(w.t.last) }
func (w waiter) WantsStopped() bool                            { return w.t.want == Stopped }
func (w waiter) Deleted(gone bool) (bool, error)               { return w.t.deleted(gone) }
func (w waiter) Expired(cause error) error                     { return w.t.expired(cause) }
func (w waiter) PollInterval() time.Duration                   { return w.t.pollInterval() }
func (w waiter) ProcessExited(pid, code uint32, now time.Time) { w.t.processExited(pid, code, now) }
func (w waiter) Observe(st scm.Status, now time.Time) (bool, error) {
	return w.t.observe(statusOf(st), now)
}

// rawDependencies lists dependencies as the SCM does (groups prefixed
// with '+'), never nil.
func rawDependencies(deps []Dependency) []string {
	out := make([]string, 0, len(deps))
	for _, d := range deps {
		out = append(out, d.String())
	}
	return out
}

func statusOf(s scm.Status) Status {
	return Status{
		Name: s.Name, DisplayName: s.DisplayName,
		ServiceType:             ServiceType(s.ServiceType),
		State:                   State(s.CurrentState),
		ControlsAccepted:        Accept(s.ControlsAccepted),
		Win32ExitCode:           s.Win32ExitCode,
		ServiceSpecificExitCode: s.ServiceSpecificExitCode,
		CheckPoint:              s.CheckPoint,
		WaitHint:                msDuration(s.WaitHint),
		ProcessID:               s.ProcessID,
		ServiceFlags:            s.ServiceFlags,
	}
}

func rawStatus(s Status) scm.Status {
	return scm.Status{
		Name: s.Name, DisplayName: s.DisplayName,
		ServiceType:             uint32(s.ServiceType),
		CurrentState:            uint32(s.State),
		ControlsAccepted:        uint32(s.ControlsAccepted),
		Win32ExitCode:           s.Win32ExitCode,
		ServiceSpecificExitCode: s.ServiceSpecificExitCode,
		CheckPoint:              s.CheckPoint,
		WaitHint:                uint32(s.WaitHint / time.Millisecond),
		ProcessID:               s.ProcessID,
		ServiceFlags:            s.ServiceFlags,
	}
}

func statusesOf(raw []scm.Status) []Status {
	out := make([]Status, 0, len(raw))
	for _, s := range raw {
		out = append(out, statusOf(s))
	}
	return out
}

// argFields names the setting of each argument an scm.ArgError names.
var argFields = map[string]Field{
	"BinaryPathName": FieldBinaryPath, "LoadOrderGroup": FieldLoadOrderGroup, "Dependencies": FieldDependencies,
	"Account": FieldServiceStartName, "ServiceStartName": FieldServiceStartName, "DisplayName": FieldDisplayName,
	"Password": FieldPassword,
}

// platformErr gives a Win32 code a platform returns (syscall.Errno, as
// x/sys does) as the library's Errno, so that errors.Is(err, ErrNotFound)
// and the like hold for it.
func platformErr(err error) error {
	if se, ok := err.(syscall.Errno); ok {
		return Errno(se)
	}
	return err
}

// argErr turns an argument the platform could not pass into a
// *ValidationError naming the setting (the password never shown), and a
// Win32 code into an Errno (platformErr).
func argErr(err error) error {
	var ae *scm.ArgError
	if !errors.As(err, &ae) {
		return platformErr(err)
	}
	arg, index, _ := strings.Cut(ae.Arg, "[")
	field := ae.Arg
	if f, ok := argFields[arg]; ok {
		field = string(f)
		if index != "" {
			field += "[" + index
		}
	}
	value := ae.Value
	if arg == "Password" {
		value = "(hidden)"
	}
	return invalid(field, value, "must not contain NUL (the SCM would take only what comes before it)")
}

// coreChange holds the arguments of one ChangeServiceConfig call; a nil
// field is SERVICE_NO_CHANGE (numbers) or NULL (strings), "unchanged".
// The setting table's core column fills it (setting.go), which also
// records each setting it puts here: nothing else maps a Field to an
// argument.
type coreChange struct {
	ServiceType    *ServiceType
	StartType      *StartType
	ErrorControl   *ErrorControl
	BinaryPathName *string
	LoadOrderGroup *string
	RequestTag     bool         // pass lpdwTagId: the SCM assigns a tag
	Dependencies   []Dependency // nil: NULL; empty: "\0\0", which clears
	Account        *string
	Password       *string
	DisplayName    *string

	set map[Field]any // what put recorded, by setting
}

// put records that cc writes setting f with value v.
func (cc *coreChange) put(f Field, v any) {
	if cc.set == nil {
		cc.set = map[Field]any{}
	}
	cc.set[f] = v
}

// setPassword gives the call a password (never a setting of the table:
// it is listed under FieldPassword).
func (cc *coreChange) setPassword(pw string) {
	cc.Password = &pw
	cc.put(FieldPassword, pw)
}

// written lists the settings cc writes, as the table's rows recorded them
// (the password under FieldPassword, a tag request under FieldTagID with a
// nil value).
func (cc *coreChange) written() map[Field]any {
	out := make(map[Field]any, len(cc.set))
	maps.Copy(out, cc.set)
	return out
}

func msDuration(ms uint32) time.Duration { return time.Duration(ms) * time.Millisecond }
