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

// StartType says how and when a service starts. The zero value means "not set".
type StartType uint64

// Start types. Delayed auto-start is AutoStart with Config.DelayedAutoStart.
const (
	BootStart   StartType = 1 + iota // drivers only
	SystemStart                      // drivers only
	AutoStart
	DemandStart
	Disabled
)

var startTypeSpec = enum.Spec{
	Kind: "startType", Offset: 1,
	Names: map[uint32]string{0: "BOOT_START", 1: "SYSTEM_START", 2: "AUTO_START", 3: "DEMAND_START", 4: "DISABLED"},
	Tokens: map[string]uint32{"boot": 0, "system": 1, "auto": 2, "demand": 3, "disabled": 4,
		"manual": 3, "automatic": 2},
}

// ErrorControl says what the system does when the service fails to start at
// boot. The zero value means "not set".
type ErrorControl uint64

// Error-control levels.
const (
	ErrorIgnore ErrorControl = 1 + iota
	ErrorNormal
	ErrorSevere
	ErrorCritical
)

var errorControlSpec = enum.Spec{
	Kind: "errorControl", Offset: 1,
	Names:  map[uint32]string{0: "ERROR_IGNORE", 1: "ERROR_NORMAL", 2: "ERROR_SEVERE", 3: "ERROR_CRITICAL"},
	Tokens: map[string]uint32{"ignore": 0, "normal": 1, "severe": 2, "critical": 3},
}

// State is a service's current state. The zero value means "unknown".
type State uint64

// Service states.
const (
	Stopped State = 2 + iota // Win32 1
	StartPending
	StopPending
	Running
	ContinuePending
	PausePending
	Paused
)

var stateSpec = enum.Spec{
	Kind: "state", Offset: 1,
	Names: map[uint32]string{1: "STOPPED", 2: "START_PENDING", 3: "STOP_PENDING", 4: "RUNNING",
		5: "CONTINUE_PENDING", 6: "PAUSE_PENDING", 7: "PAUSED"},
	Tokens: map[string]uint32{"stopped": 1, "start-pending": 2, "stop-pending": 3, "running": 4,
		"continue-pending": 5, "pause-pending": 6, "paused": 7, "started": 4},
}

// Pending reports whether s is one of the transitional *_PENDING states.
func (s State) Pending() bool {
	return s == StartPending || s == StopPending || s == ContinuePending || s == PausePending
}

// SIDType is the kind of service SID added to the service's process token.
// The zero value means "not set".
type SIDType uint64

// Service SID types.
const (
	SIDTypeNone         SIDType = 1 // Win32 0
	SIDTypeUnrestricted SIDType = 2 // Win32 1
	SIDTypeRestricted   SIDType = 4 // Win32 3
)

var sidTypeSpec = enum.Spec{
	Kind: "sidType", Offset: 1,
	Names:  map[uint32]string{0: "SID_TYPE_NONE", 1: "SID_TYPE_UNRESTRICTED", 3: "SID_TYPE_RESTRICTED"},
	Tokens: map[string]uint32{"none": 0, "unrestricted": 1, "restricted": 3},
}

// ActionType is what the SCM does when a service fails. The zero value means
// "not set"; ActionNone is the explicit "take no action".
type ActionType uint64

// Failure action types.
const (
	ActionNone ActionType = 1 + iota
	ActionRestart
	ActionReboot
	ActionRunCommand
)

var actionTypeSpec = enum.Spec{
	Kind: "failureActions.actions.type", Offset: 1,
	Names: map[uint32]string{0: "SC_ACTION_NONE", 1: "SC_ACTION_RESTART", 2: "SC_ACTION_REBOOT",
		3: "SC_ACTION_RUN_COMMAND"},
	Tokens: map[string]uint32{"none": 0, "restart": 1, "reboot": 2, "run": 3, "": 0},
}

// LaunchProtection is the protection level a service's process is started
// with. The zero value means "not set". A service may be given NONE, or
// ANTIMALWARE_LIGHT when its binary is signed for it; WINDOWS and
// WINDOWS_LIGHT are Windows' own and are refused. Once a protected service
// has started, an unprotected caller cannot change, stop, delete or
// re-secure it.
type LaunchProtection uint64

// Launch protection levels.
const (
	LaunchProtectedNone LaunchProtection = 1 + iota
	LaunchProtectedWindows
	LaunchProtectedWindowsLight
	LaunchProtectedAntimalwareLight
)

var launchProtectionSpec = enum.Spec{
	Kind: "launchProtected", Offset: 1,
	Names: map[uint32]string{0: "SERVICE_LAUNCH_PROTECTED_NONE", 1: "SERVICE_LAUNCH_PROTECTED_WINDOWS",
		2: "SERVICE_LAUNCH_PROTECTED_WINDOWS_LIGHT", 3: "SERVICE_LAUNCH_PROTECTED_ANTIMALWARE_LIGHT"},
	Tokens: map[string]uint32{"none": 0, "windows": 1, "windows_light": 2, "antimalware_light": 3,
		"windows-light": 2, "antimalware-light": 3},
}

// The methods below give every enum the same text behaviour: String is the
// Win32 name, MarshalText/UnmarshalText use it, and parsing also accepts the
// sc.exe token and a number, case-insensitively.

func (t ServiceType) String() string      { return serviceTypeSpec.Name(uint64(t)) }
func (t StartType) String() string        { return startTypeSpec.Name(uint64(t)) }
func (e ErrorControl) String() string     { return errorControlSpec.Name(uint64(e)) }
func (s State) String() string            { return stateSpec.Name(uint64(s)) }
func (s SIDType) String() string          { return sidTypeSpec.Name(uint64(s)) }
func (a ActionType) String() string       { return actionTypeSpec.Name(uint64(a)) }
func (p LaunchProtection) String() string { return launchProtectionSpec.Name(uint64(p)) }

// Win32 returns the Win32 value (0 when not set).
func (t ServiceType) Win32() uint32      { return serviceTypeSpec.Win32(uint64(t)) }
func (t StartType) Win32() uint32        { return startTypeSpec.Win32(uint64(t)) }
func (e ErrorControl) Win32() uint32     { return errorControlSpec.Win32(uint64(e)) }
func (s State) Win32() uint32            { return stateSpec.Win32(uint64(s)) }
func (s SIDType) Win32() uint32          { return sidTypeSpec.Win32(uint64(s)) }
func (a ActionType) Win32() uint32       { return actionTypeSpec.Win32(uint64(a)) }
func (p LaunchProtection) Win32() uint32 { return launchProtectionSpec.Win32(uint64(p)) }

// serviceTypeFromWin32 and its siblings convert a Win32 value read from the
// SCM, keeping values this package does not know.
func serviceTypeFromWin32(w uint32) ServiceType { return ServiceType(serviceTypeSpec.FromWin32(w)) }
func startTypeFromWin32(w uint32) StartType     { return StartType(startTypeSpec.FromWin32(w)) }
func errorControlFromWin32(w uint32) ErrorControl {
	return ErrorControl(errorControlSpec.FromWin32(w))
}
func stateFromWin32(w uint32) State           { return State(stateSpec.FromWin32(w)) }
func sIDTypeFromWin32(w uint32) SIDType       { return SIDType(sidTypeSpec.FromWin32(w)) }
func actionTypeFromWin32(w uint32) ActionType { return ActionType(actionTypeSpec.FromWin32(w)) }
func launchProtectionFromWin32(w uint32) LaunchProtection {
	return LaunchProtection(launchProtectionSpec.FromWin32(w))
}

func (t ServiceType) MarshalText() ([]byte, error)      { return []byte(t.String()), nil }
func (t StartType) MarshalText() ([]byte, error)        { return []byte(t.String()), nil }
func (e ErrorControl) MarshalText() ([]byte, error)     { return []byte(e.String()), nil }
func (s State) MarshalText() ([]byte, error)            { return []byte(s.String()), nil }
func (s SIDType) MarshalText() ([]byte, error)          { return []byte(s.String()), nil }
func (a ActionType) MarshalText() ([]byte, error)       { return []byte(a.String()), nil }
func (p LaunchProtection) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText, for every enum and for ServiceType, parses a Win32 name
// ("AUTO_START"), an sc.exe word ("auto") or a number (a Win32 value),
// case-insensitively; "" is not set. It is what JSON, YAML and flag.TextVar
// use:
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
		ve.Reason = fmt.Sprintf("%s is a service type (%#x), not a start type: set the service type to it, and the start type separately", st, st.Win32())
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
func unmarshalEnum[T ~uint32 | ~uint64](v *T, spec *enum.Spec, b []byte) error {
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
