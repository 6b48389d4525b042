package winsvc

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestErrnoNamesAndMessages(t *testing.T) {
	tests := []struct {
		code Errno
		name string
		msg  string // a part of the message
	}{
		{ErrAccessDenied, "ERROR_ACCESS_DENIED", "access is denied"},
		{ErrInvalidParameter, "ERROR_INVALID_PARAMETER", "parameter is incorrect"},
		{ErrInvalidName, "ERROR_INVALID_NAME", "syntax is incorrect"},
		{ErrInvalidLevel, "ERROR_INVALID_LEVEL", "does not support the setting"},
		{ErrDependentServicesRunning, "ERROR_DEPENDENT_SERVICES_RUNNING", "dependent"},
		{ErrInvalidControl, "ERROR_INVALID_SERVICE_CONTROL", "not valid for this service"},
		{ErrRequestTimeout, "ERROR_SERVICE_REQUEST_TIMEOUT", "timely fashion"},
		{ErrDatabaseLocked, "ERROR_SERVICE_DATABASE_LOCKED", "locked"},
		{ErrAlreadyRunning, "ERROR_SERVICE_ALREADY_RUNNING", "already running"},
		{ErrInvalidAccount, "ERROR_INVALID_SERVICE_ACCOUNT", "account name is invalid"},
		{ErrDisabled, "ERROR_SERVICE_DISABLED", "disabled"},
		{ErrCircularDependency, "ERROR_CIRCULAR_DEPENDENCY", "circular"},
		{ErrNotFound, "ERROR_SERVICE_DOES_NOT_EXIST", "does not exist"},
		{ErrCannotAcceptControl, "ERROR_SERVICE_CANNOT_ACCEPT_CTRL", "cannot accept control"},
		{ErrNotActive, "ERROR_SERVICE_NOT_ACTIVE", "has not been started"},
		{ErrDependencyFailed, "ERROR_SERVICE_DEPENDENCY_FAIL", "dependency"},
		{ErrLogonFailed, "ERROR_SERVICE_LOGON_FAILED", "logon failure"},
		{ErrMarkedForDelete, "ERROR_SERVICE_MARKED_FOR_DELETE", "marked for deletion"},
		{ErrExists, "ERROR_SERVICE_EXISTS", "already exists"},
		{ErrDuplicateDisplayName, "ERROR_DUPLICATE_SERVICE_NAME", "display name"},
		{1066, "ERROR_SERVICE_SPECIFIC_ERROR", "service-specific"},
		{1733, "RPC_X_ENUM_VALUE_OUT_OF_RANGE", "out of range"},
		{1336, "ERROR_INVALID_ACL", "access control list"},
		{1337, "ERROR_INVALID_SID", "security ID"},
		{1338, "ERROR_INVALID_SECURITY_DESCR", "security descriptor"},
	}
	for _, tt := range tests {
		if got := tt.code.Name(); got != tt.name {
			t.Errorf("Errno(%d).Name() = %q; want %q", uint32(tt.code), got, tt.name)
		}
		msg := tt.code.Error()
		prefix := fmt.Sprintf("%s (%d): ", tt.name, uint32(tt.code))
		if !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, tt.msg) {
			t.Errorf("Errno(%d).Error() = %q; want %q...%q", uint32(tt.code), msg, prefix, tt.msg)
		}
	}
	if got := Errno(4242).Name(); got != "ERROR_4242" {
		t.Errorf("unknown Name() = %q", got)
	}
	if got := Errno(4242).Error(); got != "Win32 error 4242" {
		t.Errorf("unknown Error() = %q", got)
	}
}

func TestErrnoSentinelValues(t *testing.T) {
	// The Win32 codes of Microsoft's "System Error Codes" pages.
	want := map[Errno]uint32{
		ErrAccessDenied: 5, ErrInvalidParameter: 87, ErrInvalidName: 123, ErrInvalidLevel: 124,
		ErrDependentServicesRunning: 1051, ErrInvalidControl: 1052, ErrRequestTimeout: 1053,
		ErrDatabaseLocked: 1055, ErrAlreadyRunning: 1056, ErrInvalidAccount: 1057, ErrDisabled: 1058,
		ErrCircularDependency: 1059, ErrNotFound: 1060, ErrCannotAcceptControl: 1061, ErrNotActive: 1062,
		ErrDependencyFailed: 1068, ErrLogonFailed: 1069, ErrMarkedForDelete: 1072, ErrExists: 1073,
		ErrDuplicateDisplayName: 1078,
	}
	for e, code := range want {
		if uint32(e) != code {
			t.Errorf("%s = %d; want %d", e.Name(), uint32(e), code)
		}
	}
}

func TestErrorsIs(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"Error 1060 is ErrNotFound", &Error{Op: "open", Code: 1060}, ErrNotFound, true},
		{"Error 1060 is fs.ErrNotExist", &Error{Op: "open", Code: 1060}, fs.ErrNotExist, true},
		{"Error 1060 is not fs.ErrPermission", &Error{Op: "open", Code: 1060}, fs.ErrPermission, false},
		{"Error 5 is fs.ErrPermission", &Error{Op: "open", Code: 5}, fs.ErrPermission, true},
		{"Error 5 is ErrAccessDenied", &Error{Op: "open", Code: 5}, ErrAccessDenied, true},
		{"Error 5 is not ErrNotFound", &Error{Op: "open", Code: 5}, ErrNotFound, false},
		{"Error 5 is not fs.ErrNotExist", &Error{Op: "open", Code: 5}, fs.ErrNotExist, false},
		{"Error 1073 is fs.ErrExist", &Error{Op: "create", Code: 1073}, fs.ErrExist, true},
		{"Error 1073 is ErrExists", &Error{Op: "create", Code: 1073}, ErrExists, true},
		{"Error 1073 is not fs.ErrNotExist", &Error{Op: "create", Code: 1073}, fs.ErrNotExist, false},
		{"Error 0 is not ErrNotFound", &Error{Op: "x", Err: errors.New("boom")}, ErrNotFound, false},
		{"Error wraps its cause", &Error{Op: "x", Err: context.Canceled}, context.Canceled, true},
		{"Errno 1060 is fs.ErrNotExist", ErrNotFound, fs.ErrNotExist, true},
		{"Errno 5 is fs.ErrPermission", ErrAccessDenied, fs.ErrPermission, true},
		{"Errno 5 is not fs.ErrNotExist", ErrAccessDenied, fs.ErrNotExist, false},
		{"Errno 1073 is fs.ErrExist", ErrExists, fs.ErrExist, true},
		{"Errno 87 is none of fs", ErrInvalidParameter, fs.ErrNotExist, false},
		{"wrapped Error 1060", fmt.Errorf("outer: %w", &Error{Op: "open", Code: 1060}), ErrNotFound, true},
		{"ValidationError is ErrInvalid", invalid("name", "", "empty"), ErrInvalid, true},
		{"ValidationError is not ErrNotFound", invalid("name", "", "empty"), ErrNotFound, false},
		{"wrapped ValidationError", &Error{Op: "save", Err: invalid("name", "", "empty")}, ErrInvalid, true},
	}
	for _, tt := range tests {
		if got := errors.Is(tt.err, tt.target); got != tt.want {
			t.Errorf("%s: errors.Is(%v, %v) = %v; want %v", tt.name, tt.err, tt.target, got, tt.want)
		}
	}
}

func TestWrapErr(t *testing.T) {
	if wrapErr("start", "Foo", nil) != nil {
		t.Error("wrapErr(nil) is not nil")
	}

	err := wrapErr("open", "Foo", syscall.Errno(1060))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("wrapErr returned %T", err)
	}
	if e.Op != "open" || e.Service != "Foo" || e.Code != ErrNotFound || e.Err != ErrNotFound {
		t.Errorf("wrapErr(syscall.Errno(1060)) = %#v", e)
	}
	for _, target := range []error{ErrNotFound, fs.ErrNotExist} {
		if !errors.Is(err, target) {
			t.Errorf("errors.Is(%v, %v) = false", err, target)
		}
	}
	if errors.Is(err, ErrAccessDenied) || errors.Is(err, fs.ErrPermission) {
		t.Errorf("%v matches access denied", err)
	}

	denied := wrapErr("open", "Foo", syscall.Errno(5))
	if !errors.Is(denied, fs.ErrPermission) || !errors.Is(denied, ErrAccessDenied) {
		t.Errorf("%v does not match access denied", denied)
	}
	if errors.Is(denied, ErrNotFound) || errors.Is(denied, fs.ErrNotExist) {
		t.Errorf("access denied %v matches not found", denied)
	}

	// A code wrapped in another error is found.
	deep := wrapErr("save", "Foo", fmt.Errorf("sidType: %w", syscall.Errno(124)))
	if !errors.As(deep, &e) || e.Code != ErrInvalidLevel {
		t.Errorf("wrapErr of a wrapped syscall.Errno: %#v", deep)
	}
	if !errors.Is(deep, ErrInvalidLevel) {
		t.Errorf("errors.Is(%v, ErrInvalidLevel) = false", deep)
	}

	// An Error for the same operation and service is not wrapped again.
	inner := &Error{Op: "start", Service: "Foo", Code: ErrAlreadyRunning, Err: ErrAlreadyRunning}
	if got := wrapErr("start", "Foo", inner); got != error(inner) {
		t.Errorf("wrapErr wrapped an Error for the same op again: %v", got)
	}
	// For another operation it is wrapped, keeping the code.
	outer := wrapErr("restart", "Foo", inner)
	if !errors.As(outer, &e) || e.Op != "restart" || e.Code != ErrAlreadyRunning {
		t.Errorf("wrapErr(restart, inner) = %#v", outer)
	}

	// A cause without a Win32 code has code 0.
	plain := wrapErr("connect", "", errors.ErrUnsupported)
	if !errors.As(plain, &e) || e.Code != 0 || !errors.Is(plain, errors.ErrUnsupported) {
		t.Errorf("wrapErr(ErrUnsupported) = %#v", plain)
	}
}

func TestCodeOf(t *testing.T) {
	tests := []struct {
		err  error
		want Errno
	}{
		{nil, 0},
		{errors.New("x"), 0},
		{ErrNotFound, 1060},
		{syscall.Errno(1072), 1072},
		{fmt.Errorf("a: %w", syscall.Errno(124)), 124},
		{&Error{Op: "x", Code: 5, Err: errors.New("denied")}, 5},
		{fmt.Errorf("a: %w", &Error{Op: "x", Code: 1056}), 1056},
	}
	for _, tt := range tests {
		if got := codeOf(tt.err); got != tt.want {
			t.Errorf("codeOf(%v) = %d; want %d", tt.err, got, tt.want)
		}
	}
}

func TestUnsupportedLevel(t *testing.T) {
	for code, want := range map[Errno]bool{124: true, 1733: true, 50: true, 120: true, 5: false, 87: false, 1060: false, 0: false} {
		if got := code.unsupportedLevel(); got != want {
			t.Errorf("Errno(%d).unsupportedLevel() = %v; want %v", uint32(code), got, want)
		}
		if got := isUnsupported(code); got != want {
			t.Errorf("isUnsupported(Errno(%d)) = %v; want %v", uint32(code), got, want)
		}
	}
	if !isUnsupported(fmt.Errorf("wrapped: %w", syscall.Errno(124))) {
		t.Error("isUnsupported of a wrapped syscall.Errno(124) = false")
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{
			wrapErr("start", "My Svc", syscall.Errno(1060)).(*Error),
			`winsvc: start "My Svc": ERROR_SERVICE_DOES_NOT_EXIST (1060): the specified service does not exist as an installed service`,
		},
		{
			wrapErr("stop", "Foo", syscall.Errno(5)).(*Error),
			`winsvc: stop "Foo": ERROR_ACCESS_DENIED (5): access is denied (run elevated, or ask for a service right you hold: reads need only query access)`,
		},
		{
			wrapErr("query", "", syscall.Errno(1055)).(*Error),
			`winsvc: query: ERROR_SERVICE_DATABASE_LOCKED (1055): the service database is locked (another start is in progress; retry shortly)`,
		},
		{
			&Error{Op: "close"},
			`winsvc: close`,
		},
		{
			&Error{Op: "status", Service: "Foo", Err: ErrClosed},
			`winsvc: status "Foo": manager is closed`,
		},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() =\n  %s\nwant\n  %s", got, tt.want)
		}
	}
}

func TestErrorHints(t *testing.T) {
	for code, part := range map[Errno]string{
		ErrAccessDenied:             "run elevated",
		ErrMarkedForDelete:          "every handle",
		ErrDatabaseLocked:           "retry",
		ErrDisabled:                 "DISABLED",
		ErrDependentServicesRunning: "dependent",
	} {
		e := &Error{Op: "x", Service: "s", Code: code, Err: code}
		if h := e.Hint(); !strings.Contains(h, part) {
			t.Errorf("Hint for %s = %q; want it to mention %q", code.Name(), h, part)
		}
		if !strings.Contains(e.Error(), e.Hint()) {
			t.Errorf("Error() %q lacks the hint", e.Error())
		}
	}
	if h := (&Error{Op: "x", Code: ErrNotFound}).Hint(); h != "" {
		t.Errorf("Hint for not found = %q; want none", h)
	}
}

func TestValidationErrorText(t *testing.T) {
	tests := []struct {
		err  *ValidationError
		want string
	}{
		{invalid("name", "", "must not be empty"), `invalid name "": must not be empty`},
		{invalid("startType", "x", "", "AUTO_START", "DEMAND_START"), `invalid startType "x"; allowed: AUTO_START, DEMAND_START`},
		{invalid("startType", BootStart, "drivers only", "AUTO_START"), `invalid startType "BOOT_START": drivers only; allowed: AUTO_START`},
		{invalid("failureActions.actions[1].delay", -time.Second, "must be between 0 and 4294967295 ms"), `invalid failureActions.actions[1].delay "-1s": must be between 0 and 4294967295 ms`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %s; want %s", got, tt.want)
		}
	}
}

func TestWaitErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  *WaitError
		want string
	}{
		{
			"timeout while pending",
			&WaitError{Want: Running, Err: ErrWaitTimeout,
				Last: Status{State: StartPending, CheckPoint: 3, WaitHint: 2 * time.Second}},
			"waiting for RUNNING: timed out waiting for the service; last status START_PENDING (checkpoint 3, wait hint 2s)",
		},
		{
			"stopped with a Win32 exit code",
			&WaitError{Want: Running, Err: ErrStoppedUnexpectedly, Last: Status{State: Stopped, Win32ExitCode: 1069}},
			"waiting for RUNNING: the service stopped; last status STOPPED, exit code ERROR_SERVICE_LOGON_FAILED",
		},
		{
			"stopped with a service-specific exit code",
			&WaitError{Want: Running, Err: ErrStoppedUnexpectedly,
				Last: Status{State: Stopped, Win32ExitCode: 1066, ServiceSpecificExitCode: 42}},
			"waiting for RUNNING: the service stopped; last status STOPPED, service-specific exit code 42",
		},
		{
			"process exited",
			&WaitError{Want: Running, Err: ErrProcessExited, ExitCode: 3,
				Last: Status{State: StartPending, CheckPoint: 1, WaitHint: 500 * time.Millisecond}},
			"waiting for RUNNING: the service process exited; last status START_PENDING (checkpoint 1, wait hint 500ms), process exit code 3",
		},
		{
			"canceled while running",
			&WaitError{Want: Paused, Err: context.Canceled, Last: Status{State: Running}},
			"waiting for PAUSED: context canceled; last status RUNNING",
		},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
		if !errors.Is(tt.err, tt.err.Err) {
			t.Errorf("%s: WaitError does not unwrap to %v", tt.name, tt.err.Err)
		}
	}
}

func TestSentinelsAreDistinct(t *testing.T) {
	all := []error{ErrClosed, ErrConflict, ErrWaitTimeout, ErrStalled, ErrProcessExited, ErrStoppedUnexpectedly, ErrInvalid}
	for i, a := range all {
		for j, b := range all {
			if i != j && errors.Is(a, b) {
				t.Errorf("%v matches %v", a, b)
			}
		}
	}
}
