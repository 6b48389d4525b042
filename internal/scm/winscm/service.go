//go:build windows

package winscm

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/scm"
)

// winService is one open service handle.
type winService struct {
	h      windows.Handle
	name   string
	access uint32 // what h was opened with
	scm    *winSCM
}

func (s *winService) Close() error {
	if s.h == 0 {
		return nil // reopen failed after closing it
	}
	return windows.CloseServiceHandle(s.h)
}

func (s *winService) Status() (scm.Status, error) {
	var p windows.SERVICE_STATUS_PROCESS
	var needed uint32
	err := windows.QueryServiceStatusEx(s.h, windows.SC_STATUS_PROCESS_INFO, (*byte)(unsafe.Pointer(&p)),
		uint32(unsafe.Sizeof(p)), &needed)
	if err != nil {
		return scm.Status{}, err
	}
	st := statusFromProcess(&p)
	st.Name = s.name
	return st, nil
}

func (s *winService) Delete() error { return windows.DeleteService(s.h) }

func (s *winService) Start(args []string) error {
	var argv []*uint16
	for i, a := range args {
		p, err := utf16Arg(fmt.Sprintf("args[%d]", i), a)
		if err != nil {
			return err
		}
		argv = append(argv, p)
	}
	var first **uint16
	if len(argv) > 0 {
		first = &argv[0]
	}
	return windows.StartService(s.h, uint32(len(argv)), first)
}

func (s *winService) Control(code uint32) (scm.Status, error) {
	var st windows.SERVICE_STATUS
	if err := windows.ControlService(s.h, code, &st); err != nil {
		return scm.Status{}, err
	}
	return scm.Status{
		Name:                    s.name,
		ServiceType:             st.ServiceType,
		CurrentState:            st.CurrentState,
		ControlsAccepted:        st.ControlsAccepted,
		Win32ExitCode:           st.Win32ExitCode,
		ServiceSpecificExitCode: st.ServiceSpecificExitCode,
		CheckPoint:              st.CheckPoint,
		WaitHint:                st.WaitHint,
	}, nil
}

func (s *winService) Dependents(state uint32) ([]scm.Status, error) {
	var needed, count uint32
	var buf []byte
	for {
		var p *windows.ENUM_SERVICE_STATUS
		if len(buf) > 0 {
			p = (*windows.ENUM_SERVICE_STATUS)(unsafe.Pointer(&buf[0]))
		}
		err := windows.EnumDependentServices(s.h, state, p, uint32(len(buf)), &needed, &count)
		if err == nil {
			break
		}
		if err != windows.ERROR_MORE_DATA || needed <= uint32(len(buf)) {
			return nil, err
		}
		buf = make([]byte, needed)
	}
	out := []scm.Status{}
	if count == 0 {
		return out, nil
	}
	for _, e := range unsafe.Slice((*windows.ENUM_SERVICE_STATUS)(unsafe.Pointer(&buf[0])), count) {
		out = append(out, scm.Status{
			Name:             windows.UTF16PtrToString(e.ServiceName),
			DisplayName:      windows.UTF16PtrToString(e.DisplayName),
			ServiceType:      e.ServiceStatus.ServiceType,
			CurrentState:     e.ServiceStatus.CurrentState,
			ControlsAccepted: e.ServiceStatus.ControlsAccepted,
			Win32ExitCode:    e.ServiceStatus.Win32ExitCode,
			CheckPoint:       e.ServiceStatus.CheckPoint,
			WaitHint:         e.ServiceStatus.WaitHint,
		})
	}
	return out, nil
}

// changeConfig2 calls ChangeServiceConfig2 with a structure laid out by a
// setting's codec.
func (s *winService) ChangeConfig2(level uint32, buf []byte) error {
	return windows.ChangeServiceConfig2(s.h, level, &buf[0])
}

// changeConfig calls ChangeServiceConfig with SERVICE_NO_CHANGE or NULL for
// every argument cc leaves unset.
func (s *winService) ChangeConfig(cc *scm.CoreChange) error {
	num := func(v *uint32) uint32 {
		if v == nil {
			return windows.SERVICE_NO_CHANGE
		}
		return *v
	}
	var a utf16Args
	str := func(arg string, v *string) *uint16 {
		if v == nil {
			return nil
		}
		return a.str(arg, *v)
	}
	typ, start, errCtl := cc.ServiceType, cc.StartType, cc.ErrorControl
	var deps, pw *uint16
	if cc.Dependencies != nil {
		deps = a.dependencies(cc.Dependencies)
	}
	if cc.Password != nil {
		// An empty password is sent as "" (a built-in account's), not NULL.
		if pw = a.password(*cc.Password); pw == nil && a.err == nil {
			pw = &[]uint16{0}[0]
		}
	}
	var tag *uint32
	if cc.RequestTag {
		tag = new(uint32) // the SCM writes the tag it assigns
	}
	path, group := str("BinaryPathName", cc.BinaryPathName), str("LoadOrderGroup", cc.LoadOrderGroup)
	account, display := str("Account", cc.Account), str("DisplayName", cc.DisplayName)
	if a.err != nil {
		return a.err
	}
	return windows.ChangeServiceConfig(s.h, num(typ), num(start), num(errCtl),
		path, group, tag, deps, account, pw, display)
}

// enablePrivilege enables a privilege in the process token, as
// ChangeServiceConfig2 requires SeShutdownPrivilege for an SC_ACTION_REBOOT
// action.
func (c *winSCM) EnablePrivilege(name string) error {
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_ADJUST_PRIVILEGES|windows.TOKEN_QUERY, &tok); err != nil {
		return err
	}
	defer tok.Close()
	var luid windows.LUID
	p, err := utf16Arg("Privilege", name)
	if err != nil {
		return err
	}
	if err := windows.LookupPrivilegeValue(nil, p, &luid); err != nil {
		return err
	}
	tp := windows.Tokenprivileges{PrivilegeCount: 1}
	tp.Privileges[0] = windows.LUIDAndAttributes{Luid: luid, Attributes: windows.SE_PRIVILEGE_ENABLED}
	return windows.AdjustTokenPrivileges(tok, false, &tp, 0, nil, nil)
}

// reopen closes the handle and opens the service again with the same
// access, so that a service marked for deletion can go (see
// quirks.DeletionUnnotified).
func (s *winService) reopen() error {
	m, err := s.scm.handle(0)
	if err != nil {
		return err
	}
	name, err := utf16Arg("Name", s.name)
	if err != nil {
		return err
	}
	// Closed first: our own handle would keep a deleted service there.
	windows.CloseServiceHandle(s.h)
	s.h = 0
	h, err := windows.OpenService(m, name, s.access)
	if err != nil {
		return err
	}
	s.h = h
	return nil
}
