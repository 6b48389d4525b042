//go:build windows

package winsvc

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// winSCM is a connection to a Service Control Manager. It opens one SCM
// handle per access mask, when first needed: CONNECT for opening services
// and name lookups, ENUMERATE_SERVICE for QueryAll, CREATE_SERVICE for
// creating (which needs administrator rights).
type winSCM struct {
	machine string
	q       quirks
	mu      sync.Mutex
	handles map[uint32]windows.Handle
}

func connect(machine string) (scmConn, error) {
	c := &winSCM{machine: strings.TrimPrefix(machine, `\\`), handles: map[uint32]windows.Handle{}, q: detectQuirks()}
	if _, err := c.handle(scManagerConnect); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *winSCM) quirks() quirks { return c.q }

// detectQuirks recognises Wine, whose ntdll exports wine_get_version, and
// gives its SCM's quirks (measured in docs/wine-scm.md). Wine ignores the
// machine name of OpenSCManager, so a remote connection from Wine reaches
// the same SCM. Every other SCM is taken to behave as Windows documents.
func detectQuirks() quirks {
	if windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() != nil {
		return quirks{}
	}
	return quirks{dependentsUntracked: true, dependenciesUnreported: true, nullDependenciesClear: true, deletionUnnotified: true,
		processStartFlaky: true, securityUnstored: true, startsMarked: true}
}

// handle returns an SCM handle opened with access (plus CONNECT), or one
// already open whose access covers it.
func (c *winSCM) handle(access uint32) (windows.Handle, error) {
	access |= scManagerConnect
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

func (c *winSCM) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for a, h := range c.handles {
		errs = append(errs, windows.CloseServiceHandle(h))
		delete(c.handles, a)
	}
	return errors.Join(errs...)
}

func (c *winSCM) openService(name string, access uint32) (serviceConn, error) {
	m, err := c.handle(0)
	if err != nil {
		return nil, err
	}
	p, err := utf16Arg("name", name)
	if err != nil {
		return nil, err
	}
	h, err := windows.OpenService(m, p, access)
	if err != nil {
		return nil, err
	}
	return &winService{h: h, name: name, access: access, scm: c}, nil
}

func (c *winSCM) createService(cfg *Config, password string, access uint32) (serviceConn, error) {
	m, err := c.handle(scManagerCreateService)
	if err != nil {
		return nil, err
	}
	var tag *uint32
	if cfg.requestTag {
		tag = new(uint32) // the SCM writes the tag it assigns
	}
	var a utf16Args
	name, display := a.str("name", cfg.Name), a.str(string(FieldDisplayName), cfg.DisplayName)
	path, group := a.str(string(FieldBinaryPath), cfg.BinaryPathName), a.optional(string(FieldLoadOrderGroup), cfg.LoadOrderGroup)
	deps, account, pw := a.dependencies(cfg.Dependencies), a.str(string(FieldServiceStartName), cfg.ServiceStartName), a.password(password)
	if a.err != nil {
		return nil, a.err
	}
	h, err := windows.CreateService(m, name, display, access,
		uint32(cfg.ServiceType), uint32(cfg.StartType), uint32(cfg.ErrorControl),
		path, group, tag, deps, account, pw)
	if err != nil {
		return nil, err
	}
	return &winService{h: h, name: cfg.Name, access: access, scm: c}, nil
}

func (c *winSCM) enumerate(f QueryFilter) ([]Status, error) {
	m, err := c.handle(scManagerEnumerate)
	if err != nil {
		return nil, err
	}
	var group *uint16
	if f.Group != nil {
		if group, err = utf16Arg("group", *f.Group); err != nil {
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
	out := []Status{}
	for {
		var needed, count uint32
		var p *byte
		if len(buf) > 0 {
			p = &buf[0]
		}
		err = windows.EnumServicesStatusEx(m, windows.SC_ENUM_PROCESS_INFO, uint32(f.Types), uint32(f.States),
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

func (c *winSCM) displayName(key string) (string, error) {
	return c.lookupName(procGetServiceDisplayNm, key)
}

func (c *winSCM) keyName(display string) (string, error) {
	return c.lookupName(procGetServiceKeyNm, display)
}

// lookupName calls GetServiceDisplayNameW or GetServiceKeyNameW, growing the
// buffer to the size the SCM reports.
func (c *winSCM) lookupName(proc *windows.LazyProc, name string) (string, error) {
	m, err := c.handle(0)
	if err != nil {
		return "", err
	}
	in, err := utf16Arg("name", name)
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

// utf16Arg converts s, a string argument of an SCM call named field, to
// UTF-16. A string with a NUL (which validation refuses first) fails with a
// *ValidationError naming field: it is never passed as NULL, which the SCM
// takes for "unchanged" or "missing".
func utf16Arg(field, s string) (*uint16, error) {
	p, err := windows.UTF16PtrFromString(s)
	if err != nil {
		return nil, invalid(field, s, "must not contain NUL (the SCM would take only what comes before it)")
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
		a.err = invalid(string(FieldPassword), "(hidden)", "must not contain NUL (the SCM would take only what comes before it)")
	}
	return p
}

// dependencies encodes dependencies as a double-NUL-terminated list, groups
// prefixed with "+". An empty list is "\0\0", which clears.
func (a *utf16Args) dependencies(deps []Dependency) *uint16 {
	if a.err != nil {
		return nil
	}
	var u []uint16
	for i, d := range deps {
		s, err := windows.UTF16FromString(d.String())
		if err != nil {
			a.err = invalid(fmt.Sprintf("%s[%d]", FieldDependencies, i), d.String(), "must not contain NUL (the SCM would take only what comes before it)")
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

func statusFromProcess(p *windows.SERVICE_STATUS_PROCESS) Status {
	return Status{
		ServiceType:             ServiceType(p.ServiceType),
		State:                   State(p.CurrentState),
		ControlsAccepted:        Accept(p.ControlsAccepted),
		Win32ExitCode:           p.Win32ExitCode,
		ServiceSpecificExitCode: p.ServiceSpecificExitCode,
		CheckPoint:              p.CheckPoint,
		WaitHint:                msDuration(p.WaitHint),
		ProcessID:               p.ProcessId,
		ServiceFlags:            p.ServiceFlags,
	}
}
