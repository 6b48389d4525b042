package winsvc

import (
	"context"
	"errors"
	"sync"
	"syscall"

	"github.com/winsvc/winsvc/access"
)

// Manager is a connection to a Service Control Manager, local or remote: the
// context in which services are loaded, created, changed and controlled.
// It is safe for concurrent use. Close releases it; Close is idempotent.
type Manager struct {
	mu       sync.Mutex
	conn     scmConn
	closed   bool
	inflight sync.WaitGroup // calls under way, which Close lets finish
	// closing is cancelled, with ErrClosed, by Close: waits under way end.
	closing     context.Context
	stopClosing context.CancelCauseFunc
}

// Connect connects to the local Service Control Manager. It needs no
// administrator rights: each operation asks for the access it needs.
// On systems other than Windows it returns an error wrapping
// errors.ErrUnsupported.
func Connect() (*Manager, error) { return ConnectRemote("") }

// ConnectRemote connects to the Service Control Manager of machine (a name
// such as "server" or `\\server`); "" is the local machine.
func ConnectRemote(machine string) (*Manager, error) {
	conn, err := connect(machine)
	if err != nil {
		return nil, wrapErr("connect", "", err)
	}
	return &Manager{conn: conn}, nil
}

// Close closes the connection. Waits under way end at once with an error
// matching ErrClosed; calls after Close fail with ErrClosed. Calling it
// again does nothing.
func (m *Manager) Close() error {
	m.mu.Lock()
	if m.closed || m.conn == nil {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	if m.stopClosing != nil {
		m.stopClosing(ErrClosed)
	}
	m.mu.Unlock()
	m.inflight.Wait() // the calls under way: their waits are cancelled
	return wrapErr("close", "", m.conn.close())
}

// use runs fn with the connection, or fails with ErrClosed, or with ctx's
// error when ctx is done: every SCM call of the library goes through it, so
// a cancelled context stops the next call.
func (m *Manager) use(ctx context.Context, op, name string, fn func(c scmConn) error) error {
	m.mu.Lock()
	if m.closed || m.conn == nil {
		m.mu.Unlock()
		return &Error{Op: op, Service: name, Err: ErrClosed}
	}
	m.inflight.Add(1)
	conn := m.conn
	m.mu.Unlock()
	defer m.inflight.Done()
	if err := ctx.Err(); err != nil {
		return &Error{Op: op, Service: name, Err: err}
	}
	return wrapErr(op, name, fn(conn))
}

// waitContext is the context of an operation that waits: ctx with the
// default deadline when it has none, cancelled with ErrClosed when the
// Manager closes.
func (m *Manager) waitContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancelTimeout := withDefaultTimeout(ctx)
	ctx, cancel := context.WithCancelCause(ctx)
	m.mu.Lock()
	if m.closing == nil {
		m.closing, m.stopClosing = context.WithCancelCause(context.Background())
		if m.closed {
			m.stopClosing(ErrClosed)
		}
	}
	closing := m.closing
	m.mu.Unlock()
	stop := context.AfterFunc(closing, func() { cancel(ErrClosed) })
	return ctx, func() { stop(); cancel(context.Canceled); cancelTimeout() }
}

// quirks returns how the connected SCM departs from Windows' documented
// behaviour (none once closed).
func (m *Manager) quirks() quirks {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed || m.conn == nil {
		return quirks{}
	}
	return m.conn.quirks()
}

// withService opens service name with the access mask, runs fn, and
// closes it.
func (m *Manager) withService(ctx context.Context, op, name string, mask uint32, fn func(h serviceConn) error) error {
	return m.withServiceConn(ctx, op, name, mask, func(_ scmConn, h serviceConn) error { return fn(h) })
}

// withServiceConn is withService for fn that also needs the connection.
func (m *Manager) withServiceConn(ctx context.Context, op, name string, mask uint32, fn func(c scmConn, h serviceConn) error) error {
	return m.use(ctx, op, name, func(c scmConn) error {
		h, err := c.openService(name, mask)
		if err != nil {
			return withNeeds(op, name, err, access.Rights(mask).String())
		}
		defer h.close()
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(c, h)
	})
}

// withNeeds gives an access-denied err the rights the refused open asked
// for (Error.Needs); other errors are returned as they are.
func withNeeds(op, name string, err error, needs string) error {
	if codeOf(err) != ErrAccessDenied {
		return err
	}
	return &Error{Op: op, Service: name, Code: ErrAccessDenied, Err: err, Needs: needs}
}

// wrapErr gives err the operation and service name, keeping the Win32 code.
func wrapErr(op, name string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) && e.Op == op && e.Service == name {
		return err
	}
	out := &Error{Op: op, Service: name, Err: err, Code: codeOf(err)}
	if se, ok := err.(syscall.Errno); ok {
		out.Err = Errno(se) // our message names the code and says what it means
	}
	return out
}

// codeOf returns the Win32 code carried by err, or 0.
func codeOf(err error) Errno {
	var e *Error
	var errno Errno
	var sysErr syscall.Errno
	switch {
	case errors.As(err, &e):
		return e.Code
	case errors.As(err, &errno):
		return errno
	case errors.As(err, &sysErr):
		return Errno(sysErr)
	}
	return 0
}

// New returns an in-memory service entity built from def, with the defaults
// of Definition for what def leaves unset. Nothing changes on the system
// until Save, which creates the service or, if it already exists, brings it
// to def.
func (m *Manager) New(def Definition) (*Service, error) {
	if err := def.Validate(); err != nil {
		return nil, err
	}
	c := defaultConfig(def.Name)
	explicit := def.applyTo(c)
	return &Service{m: m, name: def.Name, cur: c, explicit: explicit}, nil
}

// Service returns an entity for service name without reading anything:
// enough to start, stop, pause, continue, interrogate, control, wait on,
// query or delete it, each with only the access that needs. It is
// New(Definition{Name: name}): its Config holds defaults until Reload, and
// Save updates only what Apply sets or Update changes. (Update records the
// fields that differ from what the entity holds, here the defaults: to set a
// value equal to a default, use Apply, or Load the service first.)
func (m *Manager) Service(name string) (*Service, error) {
	return m.New(Definition{Name: name})
}

// Load reads service name's configuration and returns it as an entity. It
// needs only SERVICE_QUERY_CONFIG. A setting that cannot be read is listed
// in Config().Unavailable instead of failing the load.
func (m *Manager) Load(ctx context.Context, name string) (*Service, error) {
	s := &Service{m: m, name: name}
	if err := s.Reload(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// CoreConfig reads what sc qc shows of service name, the cheap read for
// listing many services: QueryServiceConfig's settings and the delayed
// auto-start flag (read whatever the start type, so that it is what Load
// reads, or unavailable as there); the other settings are listed in
// Unavailable (Load reads everything). It needs SERVICE_QUERY_CONFIG.
func (m *Manager) CoreConfig(ctx context.Context, name string) (*Config, error) {
	return m.readConfig(ctx, "qc", name, false)
}

// exists reports whether service name is installed (Service.Exists).
func (m *Manager) exists(ctx context.Context, name string) (bool, error) {
	err := m.withService(ctx, "exists", name, accessQueryStatus, func(serviceConn) error { return nil })
	switch {
	case err == nil, errors.Is(err, ErrAccessDenied):
		return true, nil
	case errors.Is(err, ErrNotFound):
		return false, nil
	}
	return false, err
}

// status returns service name's current status (Service.Status).
func (m *Manager) status(ctx context.Context, name string) (Status, error) {
	var st Status
	err := m.withService(ctx, "status", name, accessQueryStatus, func(h serviceConn) (err error) {
		st, err = h.status()
		return err
	})
	st.Name = name
	return st, err
}

// StateFilter selects services by activity in QueryAll: a set of flags,
// the Win32 SERVICE_ACTIVE and SERVICE_INACTIVE bits.
type StateFilter uint32

// State filters.
const (
	ActiveServices   StateFilter = 1
	InactiveServices StateFilter = 2
	AllServices      StateFilter = 3
)

// QueryFilter selects the services QueryAll returns. The zero value selects
// all Win32 services in any state.
type QueryFilter struct {
	// Types is a mask of service types: Win32OwnProcess|Win32ShareProcess
	// (the default), KernelDriver|FileSystemDriver|RecognizerDriver for
	// drivers, or both.
	Types ServiceType
	// States selects active, inactive or all (the default) services.
	States StateFilter
	// Group, when not nil, selects the members of a load-order group; ""
	// selects the services in no group.
	Group *string
}

// Filter masks for QueryFilter.Types.
const (
	TypesWin32   = Win32OwnProcess | Win32ShareProcess
	TypesDrivers = KernelDriver | FileSystemDriver | RecognizerDriver
	TypesAll     = TypesWin32 | TypesDrivers
)

// QueryAll returns the status of every service the filter selects, with
// display names, from one enumeration call (no per-service open). It needs
// SC_MANAGER_ENUMERATE_SERVICE, which ordinary users have.
func (m *Manager) QueryAll(ctx context.Context, f QueryFilter) ([]Status, error) {
	if f.Types == 0 {
		f.Types = TypesWin32
	}
	if f.States == 0 {
		f.States = AllServices
	}
	if f.States > AllServices {
		return nil, invalid("state", f.States, "", "active (1)", "inactive (2)", "all (3)")
	}
	if f.Types&^TypesAll != 0 {
		return nil, invalid("type", f.Types, "", "WIN32 (0x30)", "DRIVER (0xB)", "ALL (0x3B)")
	}
	if f.Group != nil {
		if err := checkText("group")(*f.Group); err != nil {
			return nil, err
		}
	}
	var out []Status
	err := m.use(ctx, "query", "", func(c scmConn) (err error) {
		out, err = c.enumerate(f)
		return err
	})
	return out, err
}

// DisplayName returns the display name of the service whose key name is key.
func (m *Manager) DisplayName(ctx context.Context, key string) (string, error) {
	var s string
	err := m.use(ctx, "getdisplayname", key, func(c scmConn) (err error) {
		s, err = c.displayName(key)
		return err
	})
	return s, err
}

// KeyName returns the key name of the service whose display name is display.
func (m *Manager) KeyName(ctx context.Context, display string) (string, error) {
	var s string
	err := m.use(ctx, "getkeyname", display, func(c scmConn) (err error) {
		s, err = c.keyName(display)
		return err
	})
	return s, err
}

// dependents returns the services that depend on service name, as the SCM
// reports them (EnumDependentServices), filtered by state.
func (m *Manager) dependents(ctx context.Context, name string, states StateFilter) ([]Status, error) {
	if states == 0 {
		states = AllServices
	}
	var out []Status
	err := m.withService(ctx, "enumdepend", name, accessEnumDependents, func(h serviceConn) (err error) {
		out, err = h.dependents(states)
		return err
	})
	return out, err
}
