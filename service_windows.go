//go:build windows

package winsvc

import (
	"fmt"
	"slices"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// winService is one open service handle.
type winService struct {
	h    windows.Handle
	name string
	scm  *winSCM
}

func (s *winService) close() error { return windows.CloseServiceHandle(s.h) }

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
		ServiceType:             ServiceTypeFromWin32(st.ServiceType),
		State:                   StateFromWin32(st.CurrentState),
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
			ServiceType:      ServiceTypeFromWin32(e.ServiceStatus.ServiceType),
			State:            StateFromWin32(e.ServiceStatus.CurrentState),
			ControlsAccepted: Accept(e.ServiceStatus.ControlsAccepted),
			Win32ExitCode:    e.ServiceStatus.Win32ExitCode,
			CheckPoint:       e.ServiceStatus.CheckPoint,
			WaitHint:         msDuration(e.ServiceStatus.WaitHint),
		})
	}
	return out, nil
}

// apply makes one plan step's SCM call, taking the service from `from` to
// `to` for the step's settings.
func (s *winService) apply(st Step, from, to *Config, password string) error {
	switch st.Kind {
	case StepConfig:
		return s.changeConfig(from, to, password)
	case StepDescription:
		return s.setConfig2(level(FieldDescription), encodeString(&to.Description))
	case StepFailureActions:
		if to.FailureActions.hasReboot() {
			if err := enableShutdownPrivilege(); err != nil {
				return fmt.Errorf("enabling SeShutdownPrivilege for a reboot action: %w", err)
			}
		}
		return s.setConfig2(level(FieldFailureActions),
			encodeFailureActions(from.FailureActions, to.FailureActions, from.Available(FieldFailureActions)))
	case StepFailureFlag:
		return s.setConfig2(level(FieldFailureFlag), encodeU32(boolU32(to.FailureActionsOnNonCrashFailures)))
	case StepDelayedAutoStart:
		return s.setConfig2(level(FieldDelayedAutoStart), encodeU32(boolU32(to.DelayedAutoStart)))
	case StepSIDType:
		return s.setConfig2(level(FieldSIDType), encodeU32(to.SIDType.Win32()))
	case StepRequiredPrivileges:
		return s.setConfig2(level(FieldRequiredPrivileges), encodeMultiSz(to.RequiredPrivileges))
	case StepPreshutdown:
		return s.setConfig2(level(FieldPreshutdownTimeout), encodeU32(uint32(to.PreshutdownTimeout.Milliseconds())))
	case StepTriggers:
		return s.setConfig2(level(FieldTriggers), encodeTriggers(to.Triggers))
	case StepPreferredNode:
		return s.setConfig2(level(FieldPreferredNode), encodePreferredNode(to.PreferredNode))
	case StepLaunchProtected:
		return s.setConfig2(level(FieldLaunchProtected), encodeU32(to.LaunchProtected.Win32()))
	}
	return fmt.Errorf("unknown step %q", st.Kind)
}

func (s *winService) setConfig2(lvl uint32, buf []byte) error {
	return windows.ChangeServiceConfig2(s.h, lvl, &buf[0])
}

// changeConfig calls ChangeServiceConfig with SERVICE_NO_CHANGE or NULL for
// every setting that stays the same.
func (s *winService) changeConfig(from, to *Config, password string) error {
	const noChange = windows.SERVICE_NO_CHANGE
	num := func(changed bool, v uint32) uint32 {
		if changed {
			return v
		}
		return noChange
	}
	str := func(changed bool, v string) *uint16 {
		if changed {
			return utf16Ptr(v)
		}
		return nil
	}
	var deps *uint16
	if !slices.Equal(from.Dependencies, to.Dependencies) || !from.Available(FieldDependencies) {
		deps = dependenciesPtr(to.Dependencies)
	}
	var tag *uint32
	if wantsTag(from, to) {
		tag = new(uint32) // the SCM writes the tag it assigns
	}
	accountChanged := from.ServiceStartName != to.ServiceStartName
	var pw *uint16
	switch {
	case password != "":
		pw = utf16Ptr(password)
	case accountChanged && ClassifyAccount(to.ServiceStartName) == AccountBuiltin:
		pw = utf16Ptr("") // built-in accounts take an empty password
	}
	return windows.ChangeServiceConfig(s.h,
		num(from.ServiceType != to.ServiceType, to.ServiceType.Win32()),
		num(from.StartType != to.StartType, to.StartType.Win32()),
		num(from.ErrorControl != to.ErrorControl, to.ErrorControl.Win32()),
		str(from.BinaryPathName != to.BinaryPathName, to.BinaryPathName),
		str(from.LoadOrderGroup != to.LoadOrderGroup, to.LoadOrderGroup),
		tag, deps,
		str(accountChanged || password != "", to.ServiceStartName), pw,
		str(from.DisplayName != to.DisplayName, to.DisplayName))
}

// enableShutdownPrivilege enables SeShutdownPrivilege in the process token,
// which ChangeServiceConfig2 requires for an SC_ACTION_REBOOT action.
func enableShutdownPrivilege() error {
	var tok windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_ADJUST_PRIVILEGES|windows.TOKEN_QUERY, &tok); err != nil {
		return err
	}
	defer tok.Close()
	var luid windows.LUID
	if err := windows.LookupPrivilegeValue(nil, windows.StringToUTF16Ptr("SeShutdownPrivilege"), &luid); err != nil {
		return err
	}
	tp := windows.Tokenprivileges{PrivilegeCount: 1}
	tp.Privileges[0] = windows.LUIDAndAttributes{Luid: luid, Attributes: windows.SE_PRIVILEGE_ENABLED}
	return windows.AdjustTokenPrivileges(tok, false, &tp, 0, nil, nil)
}

func msDuration(ms uint32) time.Duration { return time.Duration(ms) * time.Millisecond }
