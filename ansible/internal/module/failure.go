package module

import (
	"errors"

	"github.com/winsvc/winsvc"
)

// errProcessAborted is ERROR_PROCESS_ABORTED, the code of a wait that ended
// because the service stopped or its process exited (as the winsvc command
// reports it).
const errProcessAborted = winsvc.Errno(1067)

// failure returns the failed result for err: msg, and its Win32 code under
// win32_code and in error (op, service, code, codeName, as the winsvc
// command's JSON error gives them). A bad option or value is
// ERROR_INVALID_PARAMETER (87): nothing was changed.
func failure(err error) Result {
	r := Result{"failed": true, "msg": err.Error()}
	var se *winsvc.Error
	var we *winsvc.WaitError
	var oe *optionErr
	e := Result{}
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
		if h := se.Hint(); h != "" {
			r["msg"] = err.Error() + " (" + h + ")"
		}
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
