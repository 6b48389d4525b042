package winsvc

import (
	"errors"
	"fmt"

	"github.com/winsvc/winsvc/internal/enum"
)

// ServiceType is the kind of service, a Win32 program or a driver: a set of
// flags (see "Enums and flags" in the package documentation).
type ServiceType uint32

// Service types (the Win32 values).
const (
	KernelDriver            ServiceType = 0x1
	FileSystemDriver        ServiceType = 0x2
	Adapter                 ServiceType = 0x4
	RecognizerDriver        ServiceType = 0x8
	Win32OwnProcess         ServiceType = 0x10
	Win32ShareProcess       ServiceType = 0x20
	UserOwnProcess          ServiceType = 0x50
	UserShareProcess        ServiceType = 0x60
	InteractiveProcess      ServiceType = 0x100 // a flag, only with own or share process
	InteractiveOwnProcess               = Win32OwnProcess | InteractiveProcess
	InteractiveShareProcess             = Win32ShareProcess | InteractiveProcess
	driverTypes                         = KernelDriver | FileSystemDriver | RecognizerDriver
)

var serviceTypeSpec = enum.Spec{
	Kind: "serviceType",
	Names: map[uint32]string{
		0x1: "KERNEL_DRIVER", 0x2: "FILE_SYSTEM_DRIVER", 0x4: "ADAPTER", 0x8: "RECOGNIZER_DRIVER",
		0x10: "WIN32_OWN_PROCESS", 0x20: "WIN32_SHARE_PROCESS",
		0x50: "USER_OWN_PROCESS", 0x60: "USER_SHARE_PROCESS",
		0xD0: "USER_OWN_PROCESS_INSTANCE", 0xE0: "USER_SHARE_PROCESS_INSTANCE",
		0x110: "INTERACTIVE_OWN_PROCESS", 0x120: "INTERACTIVE_SHARE_PROCESS",
	},
	Tokens: map[string]uint32{
		"kernel": 0x1, "filesys": 0x2, "adapt": 0x4, "rec": 0x8, "own": 0x10, "share": 0x20,
		"userown": 0x50, "usershare": 0x60, "interact": 0x110, "driver": 0x1,
		"win32_own_process|interactive_process": 0x110, "win32_share_process|interactive_process": 0x120,
	},
}

// IsDriver reports whether t is a kernel, file-system or recognizer driver.
func (t ServiceType) IsDriver() bool { return t&driverTypes != 0 && t&^driverTypes == 0 }

// IsWin32 reports whether t is a Win32 (own or share process) service type,
// with or without the interactive flag.
func (t ServiceType) IsWin32() bool {
	base := t &^ InteractiveProcess
	return base == Win32OwnProcess || base == Win32ShareProcess
}

// Interactive reports whether the interactive-process flag is set.
func (t ServiceType) Interactive() bool { return t&InteractiveProcess != 0 }

// StartType says how and when a service starts (SERVICE_*_START,
// SERVICE_DISABLED). Its values are the Win32 values, so BootStart is 0: a
// Definition says "not set" with a nil *StartType.
type StartType uint32

// Start types. Delayed auto-start is AutoStart with Config.DelayedAutoStart.
const (
	BootStart   StartType = 0 // drivers only
	SystemStart StartType = 1 // drivers only
	AutoStart   StartType = 2
	DemandStart StartType = 3
	Disabled    StartType = 4
)

var startTypeSpec = enum.Spec{
	Kind:  "startType",
	Names: map[uint32]string{0: "BOOT_START", 1: "SYSTEM_START", 2: "AUTO_START", 3: "DEMAND_START", 4: "DISABLED"},
	Tokens: map[string]uint32{"boot": 0, "system": 1, "auto": 2, "demand": 3, "disabled": 4,
		"manual": 3, "automatic": 2},
}

// ErrorControl says what the system does when the service fails to start
// at boot (SERVICE_ERROR_*). ErrorIgnore is 0.
type ErrorControl uint32

// Error-control levels.
const (
	ErrorIgnore   ErrorControl = 0
	ErrorNormal   ErrorControl = 1
	ErrorSevere   ErrorControl = 2
	ErrorCritical ErrorControl = 3
)

var errorControlSpec = enum.Spec{
	Kind:   "errorControl",
	Names:  map[uint32]string{0: "ERROR_IGNORE", 1: "ERROR_NORMAL", 2: "ERROR_SEVERE", 3: "ERROR_CRITICAL"},
	Tokens: map[string]uint32{"ignore": 0, "normal": 1, "severe": 2, "critical": 3},
}

// State is a service's current state (SERVICE_STOPPED, ...). Win32 has no
// state 0: the zero value means "unknown".
type State uint32

// Service states.
const (
	Stopped         State = 1
	StartPending    State = 2
	StopPending     State = 3
	Running         State = 4
	ContinuePending State = 5
	PausePending    State = 6
	Paused          State = 7
)

var stateSpec = enum.Spec{
	Kind: "state",
	Names: map[uint32]string{1: "STOPPED", 2: "START_PENDING", 3: "STOP_PENDING", 4: "RUNNING",
		5: "CONTINUE_PENDING", 6: "PAUSE_PENDING", 7: "PAUSED"},
	Tokens: map[string]uint32{"stopped": 1, "start-pending": 2, "stop-pending": 3, "running": 4,
		"continue-pending": 5, "pause-pending": 6, "paused": 7, "started": 4},
}

// Pending reports whether s is one of the transitional *_PENDING states.
func (s State) Pending() bool {
	return s == StartPending || s == StopPending || s == ContinuePending || s == PausePending
}

// SIDType is the kind of service SID added to the service's process token
// (SERVICE_SID_TYPE_*). SIDTypeNone is 0.
type SIDType uint32

// Service SID types.
const (
	SIDTypeNone         SIDType = 0
	SIDTypeUnrestricted SIDType = 1
	SIDTypeRestricted   SIDType = 3
)

var sidTypeSpec = enum.Spec{
	Kind:   "sidType",
	Names:  map[uint32]string{0: "SID_TYPE_NONE", 1: "SID_TYPE_UNRESTRICTED", 3: "SID_TYPE_RESTRICTED"},
	Tokens: map[string]uint32{"none": 0, "unrestricted": 1, "restricted": 3},
}

// ActionType is what the SCM does when a service fails (SC_ACTION_*).
// ActionNone, "take no action", is 0.
type ActionType uint32

// Failure action types.
const (
	ActionNone       ActionType = 0
	ActionRestart    ActionType = 1
	ActionReboot     ActionType = 2
	ActionRunCommand ActionType = 3
)

var actionTypeSpec = enum.Spec{
	Kind: "failureActions.actions.type",
	Names: map[uint32]string{0: "SC_ACTION_NONE", 1: "SC_ACTION_RESTART", 2: "SC_ACTION_REBOOT",
		3: "SC_ACTION_RUN_COMMAND"},
	Tokens: map[string]uint32{"none": 0, "restart": 1, "reboot": 2, "run": 3},
}

// LaunchProtection is the protection level a service's process is started
// with (SERVICE_LAUNCH_PROTECTED_*); LaunchProtectedNone is 0. A service
// may be given NONE, or ANTIMALWARE_LIGHT when its binary is signed for it;
// WINDOWS and WINDOWS_LIGHT are Windows' own and are refused. Once a
// protected service has started, an unprotected caller cannot change,
// stop, delete or re-secure it.
type LaunchProtection uint32

// Launch protection levels.
const (
	LaunchProtectedNone             LaunchProtection = 0
	LaunchProtectedWindows          LaunchProtection = 1
	LaunchProtectedWindowsLight     LaunchProtection = 2
	LaunchProtectedAntimalwareLight LaunchProtection = 3
)

var launchProtectionSpec = enum.Spec{
	Kind: "launchProtected",
	Names: map[uint32]string{0: "SERVICE_LAUNCH_PROTECTED_NONE", 1: "SERVICE_LAUNCH_PROTECTED_WINDOWS",
		2: "SERVICE_LAUNCH_PROTECTED_WINDOWS_LIGHT", 3: "SERVICE_LAUNCH_PROTECTED_ANTIMALWARE_LIGHT"},
	Tokens: map[string]uint32{"none": 0, "windows": 1, "windows_light": 2, "antimalware_light": 3,
		"windows-light": 2, "antimalware-light": 3},
}

// The methods below give every enum the same text behaviour: String is the
// Win32 name (a value without one in hexadecimal), MarshalText and
// UnmarshalText use it, and parsing also accepts the sc.exe token and a
// number (the Win32 value), case-insensitively. There is no Win32 method:
// the value is the Win32 value (uint32(AutoStart) == 2, StartType(2) ==
// AutoStart).

func (t ServiceType) String() string      { return serviceTypeSpec.Name(uint32(t)) }
func (t StartType) String() string        { return startTypeSpec.Name(uint32(t)) }
func (e ErrorControl) String() string     { return errorControlSpec.Name(uint32(e)) }
func (s State) String() string            { return stateSpec.Name(uint32(s)) }
func (s SIDType) String() string          { return sidTypeSpec.Name(uint32(s)) }
func (a ActionType) String() string       { return actionTypeSpec.Name(uint32(a)) }
func (p LaunchProtection) String() string { return launchProtectionSpec.Name(uint32(p)) }

func (t ServiceType) MarshalText() ([]byte, error)      { return []byte(t.String()), nil }
func (t StartType) MarshalText() ([]byte, error)        { return []byte(t.String()), nil }
func (e ErrorControl) MarshalText() ([]byte, error)     { return []byte(e.String()), nil }
func (s State) MarshalText() ([]byte, error)            { return []byte(s.String()), nil }
func (s SIDType) MarshalText() ([]byte, error)          { return []byte(s.String()), nil }
func (a ActionType) MarshalText() ([]byte, error)       { return []byte(a.String()), nil }
func (p LaunchProtection) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText, for every enum and for ServiceType, parses a Win32 name
// ("AUTO_START"), an sc.exe word ("auto") or a number (the Win32 value:
// "2" is AutoStart), case-insensitively. "" is the zero value where that
// means "not set" (ServiceType, State) and an error where the zero value
// is a Win32 value (StartType: BOOT_START, ...). It is what JSON, YAML and
// flag.TextVar use:
//
//	var t winsvc.StartType
//	err := t.UnmarshalText([]byte("delayed-auto")) // an error: see Definition.DelayedAutoStart
func (t *ServiceType) UnmarshalText(b []byte) error { return unmarshalEnum(t, &serviceTypeSpec, b) }

func (t *StartType) UnmarshalText(b []byte) error {
	err := unmarshalEnum(t, &startTypeSpec, b)
	var ve *ValidationError
	var st ServiceType
	if errors.As(err, &ve) && st.UnmarshalText(b) == nil && st.Interactive() {
		// pywinservicemanager lists these among start types; they are
		// service types.
		ve.Reason = fmt.Sprintf("%s is a service type (%#x), not a start type: set the service type to it, and the start type separately", st, uint32(st))
	}
	return err
}

func (e *ErrorControl) UnmarshalText(b []byte) error { return unmarshalEnum(e, &errorControlSpec, b) }
func (s *State) UnmarshalText(b []byte) error        { return unmarshalEnum(s, &stateSpec, b) }
func (s *SIDType) UnmarshalText(b []byte) error      { return unmarshalEnum(s, &sidTypeSpec, b) }
func (a *ActionType) UnmarshalText(b []byte) error   { return unmarshalEnum(a, &actionTypeSpec, b) }
func (p *LaunchProtection) UnmarshalText(b []byte) error {
	return unmarshalEnum(p, &launchProtectionSpec, b)
}

// unmarshalEnum parses b with spec into *v, which is left unchanged on
// error.
func unmarshalEnum[T ~uint32](v *T, spec *enum.Spec, b []byte) error {
	x, err := spec.Parse(string(b))
	if err == nil {
		*v = T(x)
	}
	return err
}

// parseText parses s as T's UnmarshalText does.
func parseText[T any, P interface {
	*T
	UnmarshalText([]byte) error
}](s string) (T, error) {
	var v T
	err := P(&v).UnmarshalText([]byte(s))
	return v, err
}
