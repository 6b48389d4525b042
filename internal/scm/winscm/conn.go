//go:build windows

package winscm

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/scm"
)

// winSCM is a connection to a Service Control Manager. It opens one SCM
// handle per access mask, when first needed: CONNECT for opening services
// and name lookups, ENUMERATE_SERVICE for QueryAll, CREATE_SERVICE for
// creating (which needs administrator rights).
type winSCM struct {
	machine string
	q       scm.Quirks
	mu      sync.Mutex
	handles map[uint32]windows.Handle
}

// Connect connects to the Service Control Manager of machine ("" is the
// local one).
func Connect(machine string) (scm.Conn, error) {
	c := &winSCM{machine: strings.TrimPrefix(machine, `\\`), handles: map[uint32]windows.Handle{}, q: detectQuirks()}
	if _, err := c.handle(scm.ManagerConnect); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *winSCM) Quirks() scm.Quirks { return c.q }

// ManagerAccess lists the access masks of the SCM handles c holds open,
// for the tests that check that winsvc asks for no more than it needs. It
// is nil for a connection that is not Windows'.
func ManagerAccess(c scm.Conn) []uint32 {
	w, ok := c.(*winSCM)
	if !ok {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []uint32
	for a := range w.handles {
		out = append(out, a)
	}
	return out
}

// detectQuirks recognises Wine, whose ntdll exports wine_get_version, and
// gives its SCM's quirks (measured in docs/wine-scm.md). Wine ignores the
// machine name of OpenSCManager, so a remote connection from Wine reaches
// the same SCM. Every other SCM is taken to behave as Windows documents.
func detectQuirks() scm.Quirks {
	if windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() != nil {
		return scm.Quirks{}
	}
	return scm.Quirks{DependentsUntracked: true, DependenciesUnreported: true, NullDependenciesClear: true, DeletionUnnotified: true,
		ProcessStartFlaky: true, SecurityUnstored: true, StartsMarked: true}
}

// handle returns an SCM handle opened with access (plus CONNECT), or one
// already open whose access covers it.
func (c *winSCM) handle(access uint32) (windows.Handle, error) {
	access |= scm.ManagerConnect
	c.mu.Lock()
	defer c.mu.Unlock()
	for a, h := range c.handles {
		if a&access == access {
			return h, nil
		}
	}
	var machine *uint16
	if c.machine != "" {
		var err error
		if machine, err = utf16Arg("machine", `\\`+c.machine); err != nil {
			return 0, err
		}
	}
	h, err := windows.OpenSCManager(machine, nil, access)
	if err != nil {
		return 0, err
	}
	c.handles[access] = h
	return h, nil
}

func (c *winSCM) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for a, h := range c.handles {
		errs = append(errs, windows.CloseServiceHandle(h))
		delete(c.handles, a)
	}
	return errors.Join(errs...)
}

func (c *winSCM) OpenService(name string, access uint32) (scm.Service, error) {
	m, err := c.handle(0)
	if err != nil {
		return nil, err
	}
	p, err := utf16Arg("Name", name)
	if err != nil {
		return nil, err
	}
	h, err := windows.OpenService(m, p, access)
	if err != nil {
		return nil, err
	}
	return &winService{h: h, name: name, access: access, scm: c}, nil
}

func (c *winSCM) CreateService(cfg *scm.Create, access uint32) (scm.Service, error) {
	m, err := c.handle(scm.ManagerCreateService)
	if err != nil {
		return nil, err
	}
	var tag *uint32
	if cfg.RequestTag {
		tag = new(uint32) // the SCM writes the tag it assigns
	}
	var a utf16Args
	name, display := a.str("Name", cfg.Name), a.str("DisplayName", cfg.DisplayName)
	path, group := a.str("BinaryPathName", cfg.BinaryPathName), a.optional("LoadOrderGroup", cfg.LoadOrderGroup)
	deps, account, pw := a.dependencies(cfg.Dependencies), a.str("ServiceStartName", cfg.ServiceStartName), a.password(cfg.Password)
	if a.err != nil {
		return nil, a.err
	}
	h, err := windows.CreateService(m, name, display, access,
		cfg.ServiceType, cfg.StartType, cfg.ErrorControl,
		path, group, tag, deps, account, pw)
	if err != nil {
		return nil, err
	}
	return &winService{h: h, name: cfg.Name, access: access, scm: c}, nil
}

func (c *winSCM) Enumerate(f scm.Filter) ([]scm.Status, error) {
	m, err := c.handle(scm.ManagerEnumerate)
	if err != nil {
		return nil, err
	}
	var group *uint16
	if f.Group != nil {
		if group, err = utf16Arg("Group", *f.Group); err != nil {
			return nil, err
		}
	}
	// Windows pages through the resume handle (up to 256 KiB a call); Wine
	// does not page and wants the whole size at once. Collecting pages and
	// growing to the size asked for serves both. The first buffer holds a
	// few dozen services (the active ones, say), which saves the size probe
	// then; it is small because Wine's RPC carries the whole buffer, so that
	// a call costs in proportion to the buffer, not to what it returns.
	buf := make([]byte, 4<<10)
	var resume uint32
	out := []scm.Status{}
	for {
		var needed, count uint32
		var p *byte
		if len(buf) > 0 {
			p = &buf[0]
		}
		err = windows.EnumServicesStatusEx(m, windows.SC_ENUM_PROCESS_INFO, f.Types, f.States,
			p, uint32(len(buf)), &needed, &count, &resume, group)
		if count > 0 {
			for _, e := range unsafe.Slice((*windows.ENUM_SERVICE_STATUS_PROCESS)(unsafe.Pointer(&buf[0])), count) {
				st := statusFromProcess(&e.ServiceStatusProcess)
				st.Name = windows.UTF16PtrToString(e.ServiceName)
				st.DisplayName = windows.UTF16PtrToString(e.DisplayName)
				out = append(out, st)
			}
		}
		switch {
		case err == nil:
			return out, nil
		case err != windows.ERROR_MORE_DATA, count == 0 && needed <= uint32(len(buf)):
			return nil, err
		case needed > uint32(len(buf)):
			buf = make([]byte, needed)
		}
	}
}

var (
	advapi32                = windows.NewLazySystemDLL("advapi32.dll")
	procGetServiceDisplayNm = advapi32.NewProc("GetServiceDisplayNameW")
	procGetServiceKeyNm     = advapi32.NewProc("GetServiceKeyNameW")
)

func (c *winSCM) DisplayName(key string) (string, error) {
	return c.lookupName(procGetServiceDisplayNm, key)
}

func (c *winSCM) KeyName(display string) (string, error) {
	return c.lookupName(procGetServiceKeyNm, display)
}

// lookupName calls GetServiceDisplayNameW or GetServiceKeyNameW, growing the
// buffer to the size the SCM reports.
func (c *winSCM) lookupName(proc *windows.LazyProc, name string) (string, error) {
	m, err := c.handle(0)
	if err != nil {
		return "", err
	}
	in, err := utf16Arg("Name", name)
	if err != nil {
		return "", err
	}
	size := uint32(256)
	for {
		buf := make([]uint16, size+1)
		n := size + 1
		r, _, e := proc.Call(uintptr(m), uintptr(unsafe.Pointer(in)), uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&n)))
		if r != 0 {
			return windows.UTF16ToString(buf[:n]), nil
		}
		if e == windows.ERROR_INSUFFICIENT_BUFFER && n > size {
			size = n
			continue
		}
		return "", e
	}
}

// utf16Arg converts s, the string argument arg of an SCM call, to UTF-16.
// A string with a NUL fails with an *scm.ArgError: it is never passed as
// NULL, which the SCM takes for "unchanged" or "missing".
func utf16Arg(arg, s string) (*uint16, error) {
	p, err := windows.UTF16PtrFromString(s)
	if err != nil {
		return nil, &scm.ArgError{Arg: arg, Value: s}
	}
	return p, nil
}

// utf16Args converts the string arguments of one SCM call, keeping the
// first conversion error (the call is then not made).
type utf16Args struct{ err error }

// str converts s (utf16Arg), or gives nil once a conversion has failed.
func (a *utf16Args) str(field, s string) *uint16 {
	if a.err != nil {
		return nil
	}
	p, err := utf16Arg(field, s)
	a.err = err
	return p
}

// optional gives NULL for "" (not set) and the string otherwise.
func (a *utf16Args) optional(field, s string) *uint16 {
	if s == "" {
		return nil
	}
	return a.str(field, s)
}

// password gives NULL for no password (right for built-in, virtual and
// managed accounts alike), and never shows the password in an error.
func (a *utf16Args) password(pw string) *uint16 {
	if a.err != nil || pw == "" {
		return nil
	}
	p, err := windows.UTF16PtrFromString(pw)
	if err != nil {
		a.err = &scm.ArgError{Arg: "Password"}
	}
	return p
}

// dependencies encodes dependencies as a double-NUL-terminated list, groups
// prefixed with "+". An empty list is "\0\0", which clears.
func (a *utf16Args) dependencies(deps []string) *uint16 {
	if a.err != nil {
		return nil
	}
	var u []uint16
	for i, d := range deps {
		s, err := windows.UTF16FromString(d)
		if err != nil {
			a.err = &scm.ArgError{Arg: fmt.Sprintf("Dependencies[%d]", i), Value: d}
			return nil
		}
		u = append(u, s...)
	}
	u = append(u, 0)
	if len(deps) == 0 {
		u = append(u, 0)
	}
	return &u[0]
}

func statusFromProcess(p *windows.SERVICE_STATUS_PROCESS) scm.Status {
	return scm.Status{
		ServiceType:             p.ServiceType,
		CurrentState:            p.CurrentState,
		ControlsAccepted:        p.ControlsAccepted,
		Win32ExitCode:           p.Win32ExitCode,
		ServiceSpecificExitCode: p.ServiceSpecificExitCode,
		CheckPoint:              p.CheckPoint,
		WaitHint:                p.WaitHint,
		ProcessID:               p.ProcessId,
		ServiceFlags:            p.ServiceFlags,
	}
}
