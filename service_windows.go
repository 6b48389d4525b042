//go:build windows

package winsvc

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// winService is one open service handle.
type winService struct {
	h      windows.Handle
	name   string
	access uint32 // what h was opened with
	scm    *winSCM
}

func (s *winService) close() error {
	if s.h == 0 {
		return nil // reopen failed after closing it
	}
	return windows.CloseServiceHandle(s.h)
}

func (s *winService) status() (Status, error) {
	var p windows.SERVICE_STATUS_PROCESS
	var needed uint32
	err := windows.QueryServiceStatusEx(s.h, windows.SC_STATUS_PROCESS_INFO, (*byte)(unsafe.Pointer(&p)),
		uint32(unsafe.Sizeof(p)), &needed)
	if err != nil {
		return Status{}, err
	}
	st := statusFromProcess(&p)
	st.Name = s.name
	return st, nil
}

func (s *winService) delete() error { return windows.DeleteService(s.h) }

func (s *winService) start(args []string) error {
	var argv []*uint16
	for _, a := range args {
		p, err := windows.UTF16PtrFromString(a)
		if err != nil {
			return invalid("args", a, "must not contain NUL")
		}
		argv = append(argv, p)
	}
	var first **uint16
	if len(argv) > 0 {
		first = &argv[0]
	}
	return windows.StartService(s.h, uint32(len(argv)), first)
}

func (s *winService) control(code uint32) (Status, error) {
	var st windows.SERVICE_STATUS
	if err := windows.ControlService(s.h, code, &st); err != nil {
		return Status{}, err
	}
	return Status{
		Name:                    s.name,
		ServiceType:             ServiceType(st.ServiceType),
		State:                   State(st.CurrentState),
		ControlsAccepted:        Accept(st.ControlsAccepted),
		Win32ExitCode:           st.Win32ExitCode,
		ServiceSpecificExitCode: st.ServiceSpecificExitCode,
		CheckPoint:              st.CheckPoint,
		WaitHint:                msDuration(st.WaitHint),
	}, nil
}

func (s *winService) dependents(state StateFilter) ([]Status, error) {
	var needed, count uint32
	var buf []byte
	for {
		var p *windows.ENUM_SERVICE_STATUS
		if len(buf) > 0 {
			p = (*windows.ENUM_SERVICE_STATUS)(unsafe.Pointer(&buf[0]))
		}
		err := windows.EnumDependentServices(s.h, uint32(state), p, uint32(len(buf)), &needed, &count)
		if err == nil {
			break
		}
		if err != windows.ERROR_MORE_DATA || needed <= uint32(len(buf)) {
			return nil, err
		}
		buf = make([]byte, needed)
	}
	out := []Status{}
	if count == 0 {
		return out, nil
	}
	for _, e := range unsafe.Slice((*windows.ENUM_SERVICE_STATUS)(unsafe.Pointer(&buf[0])), count) {
		out = append(out, Status{
			Name:             windows.UTF16PtrToString(e.ServiceName),
			DisplayName:      windows.UTF16PtrToString(e.DisplayName),
			ServiceType:      ServiceType(e.ServiceStatus.ServiceType),
			State:            State(e.ServiceStatus.CurrentState),
			ControlsAccepted: Accept(e.ServiceStatus.ControlsAccepted),
			Win32ExitCode:    e.ServiceStatus.Win32ExitCode,
			CheckPoint:       e.ServiceStatus.CheckPoint,
			WaitHint:         msDuration(e.ServiceStatus.WaitHint),
		})
	}
	return out, nil
}

// changeConfig2 calls ChangeServiceConfig2 with a structure laid out by a
// setting's codec.
func (s *winService) changeConfig2(level uint32, buf []byte) error {
	return windows.ChangeServiceConfig2(s.h, level, &buf[0])
}

// changeConfig calls ChangeServiceConfig with SERVICE_NO_CHANGE or NULL for
// every argument cc leaves unset.
func (s *winService) changeConfig(cc *coreChange) error {
	num := func(v *uint32) uint32 {
		if v == nil {
			return windows.SERVICE_NO_CHANGE
		}
		return *v
	}
	str := func(v *string) *uint16 {
		if v == nil {
			return nil
		}
		return utf16Ptr(*v)
	}
	var typ, start, errCtl *uint32
	if cc.ServiceType != nil {
		typ = Ptr(uint32(*cc.ServiceType))
	}
	if cc.StartType != nil {
		start = Ptr(uint32(*cc.StartType))
	}
	if cc.ErrorControl != nil {
		errCtl = Ptr(uint32(*cc.ErrorControl))
	}
	var deps *uint16
	if cc.Dependencies != nil {
		deps = dependenciesPtr(cc.Dependencies)
	}
	var tag *uint32
	if cc.RequestTag {
		tag = new(uint32) // the SCM writes the tag it assigns
	}
	return windows.ChangeServiceConfig(s.h, num(typ), num(start), num(errCtl),
		str(cc.BinaryPathName), str(cc.LoadOrderGroup), tag, deps,
		str(cc.Account), str(cc.Password), str(cc.DisplayName))
}

// enablePrivilege enables a privilege in the process token, as
// ChangeServiceConfig2 requires SeShutdownPrivilege for an SC_ACTION_REBOOT
// action.
func (c *winSCM) enablePrivilege(name string) error {
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_ADJUST_PRIVILEGES|windows.TOKEN_QUERY, &tok); err != nil {
		return err
	}
	defer tok.Close()
	var luid windows.LUID
	if err := windows.LookupPrivilegeValue(nil, windows.StringToUTF16Ptr(name), &luid); err != nil {
		return err
	}
	tp := windows.Tokenprivileges{PrivilegeCount: 1}
	tp.Privileges[0] = windows.LUIDAndAttributes{Luid: luid, Attributes: windows.SE_PRIVILEGE_ENABLED}
	return windows.AdjustTokenPrivileges(tok, false, &tp, 0, nil, nil)
}

// reopen closes the handle and opens the service again with the same
// access, so that a service marked for deletion can go (see
// quirks.deletionUnnotified).
func (s *winService) reopen() error {
	m, err := s.scm.handle(0)
	if err != nil {
		return err
	}
	// Closed first: our own handle would keep a deleted service there.
	windows.CloseServiceHandle(s.h)
	s.h = 0
	h, err := windows.OpenService(m, utf16Ptr(s.name), s.access)
	if err != nil {
		return err
	}
	s.h = h
	return nil
}
