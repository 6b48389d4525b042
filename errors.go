package winsvc

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/winsvc/winsvc/internal/valerr"
)

// Errno is a Win32 error code. It builds on every platform so that callers
// can branch on SCM errors with errors.Is anywhere:
//
//	if errors.Is(err, winsvc.ErrNotFound) { ... }
type Errno uint32

// Sentinels for the Win32 codes callers commonly branch on.
const (
	ErrAccessDenied             Errno = 5    // ERROR_ACCESS_DENIED
	ErrInvalidParameter         Errno = 87   // ERROR_INVALID_PARAMETER
	ErrInvalidName              Errno = 123  // ERROR_INVALID_NAME
	ErrInvalidLevel             Errno = 124  // ERROR_INVALID_LEVEL: the SCM does not support this setting
	ErrDependentServicesRunning Errno = 1051 // ERROR_DEPENDENT_SERVICES_RUNNING
	ErrInvalidControl           Errno = 1052 // ERROR_INVALID_SERVICE_CONTROL
	ErrRequestTimeout           Errno = 1053 // ERROR_SERVICE_REQUEST_TIMEOUT
	ErrDatabaseLocked           Errno = 1055 // ERROR_SERVICE_DATABASE_LOCKED
	ErrAlreadyRunning           Errno = 1056 // ERROR_SERVICE_ALREADY_RUNNING
	ErrInvalidAccount           Errno = 1057 // ERROR_INVALID_SERVICE_ACCOUNT
	ErrDisabled                 Errno = 1058 // ERROR_SERVICE_DISABLED
	ErrCircularDependency       Errno = 1059 // ERROR_CIRCULAR_DEPENDENCY
	ErrNotFound                 Errno = 1060 // ERROR_SERVICE_DOES_NOT_EXIST
	ErrCannotAcceptControl      Errno = 1061 // ERROR_SERVICE_CANNOT_ACCEPT_CTRL
	ErrNotActive                Errno = 1062 // ERROR_SERVICE_NOT_ACTIVE
	ErrDependencyFailed         Errno = 1068 // ERROR_SERVICE_DEPENDENCY_FAIL
	ErrLogonFailed              Errno = 1069 // ERROR_SERVICE_LOGON_FAILED
	ErrMarkedForDelete          Errno = 1072 // ERROR_SERVICE_MARKED_FOR_DELETE
	ErrExists                   Errno = 1073 // ERROR_SERVICE_EXISTS
	ErrDuplicateDisplayName     Errno = 1078 // ERROR_DUPLICATE_SERVICE_NAME
)

// errProcessAborted is ERROR_PROCESS_ABORTED, the code of a start whose
// process ended before it connected to the SCM (see reportAbortedStart).
const errProcessAborted Errno = 1067

// errInternal is ERROR_INTERNAL_ERROR, with which Wine's process creation
// fails now and then (quirks.ProcessStartFlaky).
const errInternal Errno = 1359

var errnoNames = map[Errno][2]string{
	2:    {"ERROR_FILE_NOT_FOUND", "the system cannot find the file specified"},
	5:    {"ERROR_ACCESS_DENIED", "access is denied"},
	6:    {"ERROR_INVALID_HANDLE", "the handle is invalid"},
	31:   {"ERROR_GEN_FAILURE", "a device attached to the system is not functioning"},
	50:   {"ERROR_NOT_SUPPORTED", "the request is not supported"},
	87:   {"ERROR_INVALID_PARAMETER", "the parameter is incorrect"},
	120:  {"ERROR_CALL_NOT_IMPLEMENTED", "this function is not supported on this system"},
	122:  {"ERROR_INSUFFICIENT_BUFFER", "the data area passed to a system call is too small"},
	123:  {"ERROR_INVALID_NAME", "the filename, directory name, or volume label syntax is incorrect"},
	124:  {"ERROR_INVALID_LEVEL", "the system call level is not correct (this SCM does not support the setting)"},
	232:  {"ERROR_NO_DATA", "the pipe is being closed"},
	234:  {"ERROR_MORE_DATA", "more data is available"},
	1051: {"ERROR_DEPENDENT_SERVICES_RUNNING", "a stop control has been sent to a service that other running services are dependent on"},
	1052: {"ERROR_INVALID_SERVICE_CONTROL", "the requested control is not valid for this service"},
	1053: {"ERROR_SERVICE_REQUEST_TIMEOUT", "the service did not respond to the start or control request in a timely fashion"},
	1055: {"ERROR_SERVICE_DATABASE_LOCKED", "the service database is locked"},
	1056: {"ERROR_SERVICE_ALREADY_RUNNING", "an instance of the service is already running"},
	1057: {"ERROR_INVALID_SERVICE_ACCOUNT", "the account name is invalid or does not exist, or the password is invalid"},
	1058: {"ERROR_SERVICE_DISABLED", "the service cannot be started because it is disabled"},
	1059: {"ERROR_CIRCULAR_DEPENDENCY", "circular service dependency was specified"},
	1060: {"ERROR_SERVICE_DOES_NOT_EXIST", "the specified service does not exist as an installed service"},
	1061: {"ERROR_SERVICE_CANNOT_ACCEPT_CTRL", "the service cannot accept control messages at this time"},
	1062: {"ERROR_SERVICE_NOT_ACTIVE", "the service has not been started"},
	1066: {"ERROR_SERVICE_SPECIFIC_ERROR", "the service has returned a service-specific error code"},
	1067: {"ERROR_PROCESS_ABORTED", "the process terminated unexpectedly"},
	1068: {"ERROR_SERVICE_DEPENDENCY_FAIL", "the dependency service or group failed to start"},
	1069: {"ERROR_SERVICE_LOGON_FAILED", "the service did not start due to a logon failure"},
	1072: {"ERROR_SERVICE_MARKED_FOR_DELETE", "the specified service has been marked for deletion"},
	1073: {"ERROR_SERVICE_EXISTS", "the specified service already exists"},
	1077: {"ERROR_SERVICE_NEVER_STARTED", "no attempts to start the service have been made since the last boot"},
	1078: {"ERROR_DUPLICATE_SERVICE_NAME", "the name is already in use as either a service name or a service display name"},
	1114: {"ERROR_DLL_INIT_FAILED", "a dynamic link library (DLL) initialization routine failed"},
	1168: {"ERROR_NOT_FOUND", "element not found"},
	1359: {"ERROR_INTERNAL_ERROR", "an internal error occurred"},
	1223: {"ERROR_CANCELLED", "the operation was canceled by the user"},
	1242: {"ERROR_ALREADY_REGISTERED", "the service is already registered"},
	1332: {"ERROR_NONE_MAPPED", "no mapping between account names and security IDs was done"},
	1336: {"ERROR_INVALID_ACL", "the access control list (ACL) structure is invalid"},
	1337: {"ERROR_INVALID_SID", "the security ID structure is invalid"},
	1338: {"ERROR_INVALID_SECURITY_DESCR", "the security descriptor structure is invalid"},
	1733: {"RPC_X_ENUM_VALUE_OUT_OF_RANGE", "the enumeration value is out of range (this SCM does not support the setting)"},
}

// Name returns the Win32 symbolic name, e.g. "ERROR_SERVICE_DOES_NOT_EXIST",
// or "ERROR_<n>" for codes this package does not name.
func (e Errno) Name() string {
	if n, ok := errnoNames[e]; ok {
		return n[0]
	}
	return fmt.Sprintf("ERROR_%d", uint32(e))
}

func (e Errno) Error() string {
	if n, ok := errnoNames[e]; ok {
		return fmt.Sprintf("%s (%d): %s", n[0], uint32(e), n[1])
	}
	return fmt.Sprintf("Win32 error %d", uint32(e))
}

// Is makes errors.Is(ErrNotFound, fs.ErrNotExist) and friends true.
func (e Errno) Is(target error) bool {
	switch target {
	case fs.ErrNotExist:
		return e == ErrNotFound
	case fs.ErrPermission:
		return e == ErrAccessDenied
	case fs.ErrExist:
		return e == ErrExists
	}
	return false
}

// unsupportedLevel reports whether code means "this SCM does not support the
// setting at all" (as opposed to a failure to apply a supported one).
func (e Errno) unsupportedLevel() bool {
	return e == ErrInvalidLevel || e == 1733 || e == 50 || e == 120
}

// Error is the error type returned for every failed SCM operation. It names
// the operation and the service, carries the Win32 code when there is one,
// and wraps the cause.
type Error struct {
	Op      string // the operation, e.g. "start", "open", "save"
	Service string // the service name, "" for manager-wide operations
	Code    Errno  // the Win32 code, 0 when the cause is not a Win32 error
	Err     error  // the cause
	// Needs names the access rights the operation asked for, when the SCM
	// refused them (ERROR_ACCESS_DENIED), e.g. "SERVICE_STOP|SERVICE_QUERY_STATUS".
	Needs string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("winsvc: ")
	b.WriteString(e.Op)
	if e.Service != "" {
		b.WriteByte(' ')
		b.WriteString(valerr.Quote(e.Service))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if h := e.Hint(); h != "" {
		b.WriteString(" (")
		b.WriteString(h)
		b.WriteString(")")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches the Win32 code against an Errno sentinel and fs.Err* values.
func (e *Error) Is(target error) bool {
	if e.Code == 0 {
		return false
	}
	if t, ok := target.(Errno); ok {
		return e.Code == t
	}
	return e.Code.Is(target)
}

// Hint says what to do about the error, or "" when there is nothing useful
// to say.
func (e *Error) Hint() string {
	switch e.Code {
	case ErrAccessDenied:
		if e.Needs != "" {
			return fmt.Sprintf("this needs %s: run elevated, or have the right granted to you", e.Needs)
		}
		return "run elevated, or ask for a service right you hold: reads need only query access"
	case ErrMarkedForDelete:
		return "the service is deleted once it is stopped and every handle to it is closed; close tools such as services.msc and retry"
	case ErrDatabaseLocked:
		return "another start is in progress; retry shortly"
	case ErrDisabled:
		return "set a start type other than DISABLED first"
	case ErrDependentServicesRunning:
		return "stop its dependent services first"
	}
	return ""
}

// Sentinels for conditions detected by winsvc itself rather than reported by
// the SCM. The wait errors come wrapped in a *WaitError with the last status.
var (
	ErrClosed              = errors.New("manager is closed")                       // a Manager after Close
	ErrConflict            = errors.New("the service changed since it was loaded") // Save; see SaveOptions.Force
	ErrWaitTimeout         = errors.New("timed out waiting for the service")       // a wait reached its deadline
	ErrStalled             = errors.New("the service stopped making progress")     // a checkpoint unchanged past its wait hint
	ErrProcessExited       = errors.New("the service process exited")              // while a wait expected it to run
	ErrStoppedUnexpectedly = errors.New("the service stopped")                     // while a wait expected RUNNING or PAUSED
	ErrInvalid             = valerr.ErrInvalid                                     // matched by every *ValidationError
	// ErrNotStored: the SCM does not store the setting. It accepts a write
	// and keeps nothing, and what it reports is not the service's value
	// (Wine's SCM answers an empty DACL, "D:", for every service's security
	// descriptor). It matches errors.ErrUnsupported.
	ErrNotStored error = notStoredError{}
)

type notStoredError struct{}

func (notStoredError) Error() string { return "not stored by this service control manager" }

func (notStoredError) Is(target error) bool { return target == errors.ErrUnsupported }

// ValidationError reports a field whose value is not allowed, naming the
// field, the value and the allowed values or the reason (packages trigger
// and access return it too). Nothing was changed on the system. Every
// *ValidationError matches ErrInvalid.
type ValidationError = valerr.Error

func invalid(field string, value any, reason string, allowed ...string) *ValidationError {
	return valerr.New(field, value, reason, allowed...)
}

// WaitError is returned when a wait for a state fails; it carries the last
// status seen.
type WaitError struct {
	Want State  // the state that was awaited
	Last Status // the last status seen
	Err  error  // ErrWaitTimeout, ErrStalled, ErrProcessExited, ErrStoppedUnexpectedly, or a context error
	// ExitCode is the process exit code when Err is ErrProcessExited.
	ExitCode uint32
}

func (e *WaitError) Error() string {
	msg := fmt.Sprintf("waiting for %s: %v; last status %s", e.Want, e.Err, e.Last.State)
	if e.Last.State == 0 {
		msg = fmt.Sprintf("waiting for %s: %v, before any status was read", e.Want, e.Err)
	}
	if e.Last.State.Pending() {
		msg += fmt.Sprintf(" (checkpoint %d, wait hint %s)", e.Last.CheckPoint, e.Last.WaitHint)
	}
	switch {
	case errors.Is(e.Err, ErrProcessExited):
		msg += fmt.Sprintf(", process exit code %d", e.ExitCode)
	case e.Last.Win32ExitCode == 1066:
		msg += fmt.Sprintf(", service-specific exit code %d", e.Last.ServiceSpecificExitCode)
	case e.Last.Win32ExitCode != 0 && e.Last.State == Stopped:
		msg += fmt.Sprintf(", exit code %s", Errno(e.Last.Win32ExitCode).Name())
	}
	return msg
}

func (e *WaitError) Unwrap() error { return e.Err }
