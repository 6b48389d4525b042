package module

import (
	"errors"
	"fmt"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/valerr"
)

// errProcessAborted is ERROR_PROCESS_ABORTED, the code of a wait that ended
// because the service stopped or its process exited (as the winsvc command
// reports it).
const errProcessAborted = winsvc.Errno(1067)

// worded is a failure in win_service's words: msg, then the error behind
// it (if any), whose Windows code the result carries; or, without one, the
// code given.
type worded struct {
	msg  string
	op   string       // the operation, when err does not say
	code winsvc.Errno // the Windows code, when err does not say
	err  error
}

func (e *worded) Error() string {
	if e.err == nil {
		return e.msg
	}
	return e.msg + ": " + e.err.Error()
}

func (e *worded) Unwrap() error { return e.err }

// notInstalled is win_service's failure for a service that is not
// installed, when the task needs one.
func notInstalled(name string) error {
	return &worded{msg: fmt.Sprintf("Service '%s' is not installed, need to set 'path' to create a new service", valerr.Shorten(name)),
		op: "open", code: winsvc.ErrNotFound}
}

// inWords puts a failed state change of service name (shown as display)
// in win_service's words, which are PowerShell's Start-Service,
// Stop-Service, Suspend-Service and Resume-Service messages; other errors
// are returned as they are.
func inWords(err error, name, display string) error {
	var se *winsvc.Error
	if !errors.As(err, &se) {
		return err
	}
	shown := fmt.Sprintf("'%s (%s)'", display, name)
	switch {
	case se.Code == winsvc.ErrDependentServicesRunning:
		return &worded{msg: fmt.Sprintf("Cannot stop service %s because it has dependent services. It can only be stopped if force_dependent_services is set", shown), err: err}
	case se.Op == "start":
		return &worded{msg: "Cannot start service " + shown, err: err}
	case se.Op == "stop":
		return &worded{msg: "Cannot stop service " + shown, err: err}
	case se.Op == "pause":
		return &worded{msg: "failed to pause service " + name, err: err}
	case se.Op == "continue":
		return &worded{msg: "failed to start service from paused state " + name, err: err}
	}
	return err
}

// failure returns the failed result for err: msg, and its Win32 code under
// win32_code and in error (op, service, code, codeName, as the winsvc
// command's JSON error gives them). A bad option or value is
// ERROR_INVALID_PARAMETER (87): nothing was changed.
func failure(err error) Result {
	r := Result{"failed": true, "msg": err.Error()}
	var se *winsvc.Error
	var we *winsvc.WaitError
	var oe *optionErr
	var w *worded
	var e Result
	switch {
	case errors.As(err, &we):
		// A wait that failed: the deadline or a stalled checkpoint is
		// 1053, a service that stopped or died while starting 1067.
		e = Result{"op": "wait", "code": winsvc.ErrRequestTimeout}
		if errors.Is(we.Err, winsvc.ErrProcessExited) || errors.Is(we.Err, winsvc.ErrStoppedUnexpectedly) {
			e["code"] = errProcessAborted
		}
		if errors.As(err, &se) {
			e["op"], e["service"] = se.Op, se.Service
		}
	case errors.As(err, &se) && se.Code != 0:
		e = Result{"op": se.Op, "service": se.Service, "code": se.Code}
		if se.Needs != "" {
			e["needs"] = se.Needs
		}
	case errors.As(err, &w) && w.code != 0:
		e = Result{"op": w.op, "code": w.code}
	case errors.As(err, &oe), errors.Is(err, winsvc.ErrInvalid):
		e = Result{"op": "validate", "code": winsvc.ErrInvalidParameter}
	default:
		return r
	}
	code := e["code"].(winsvc.Errno)
	e["code"], e["codeName"] = int(code), code.Name()
	r["error"] = e
	r["win32_code"] = int(code)
	return r
}
