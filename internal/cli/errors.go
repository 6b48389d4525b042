package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/valerr"
)

// Exit codes that are not the Win32 code of an SCM error. Everything else
// is the Win32 code itself (see exitCodesHelp).
const (
	exitOK          = 0
	exitFailure     = 1    // an error without a Win32 code
	exitNoAccess    = 5    // ERROR_ACCESS_DENIED
	exitNotRunning  = 3    // "status NAME": the service is installed but not RUNNING
	exitUsage       = 87   // ERROR_INVALID_PARAMETER: bad command line or invalid value
	exitUnsupported = 50   // ERROR_NOT_SUPPORTED: no SCM on this system, or an operation this SCM connection cannot do
	exitTimeout     = 1053 // ERROR_SERVICE_REQUEST_TIMEOUT: a wait reached --timeout or the service stalled
	exitAborted     = 1067 // ERROR_PROCESS_ABORTED: the service stopped or its process exited while starting
	exitCancelled   = 1223 // ERROR_CANCELLED: interrupted (Ctrl-C)
)

// extraNames names the Win32 codes winsvc's exit codes use that package
// winsvc does not name.
var extraNames = map[int]string{
	exitAborted:   "ERROR_PROCESS_ABORTED",
	exitCancelled: "ERROR_CANCELLED",
}

// codeName returns the Win32 symbolic name of code.
func codeName(code int) string {
	if n, ok := extraNames[code]; ok {
		return n
	}
	return winsvc.Errno(code).Name()
}

// usageError is a bad command line.
type usageError struct {
	verb string
	msg  string
}

func (e *usageError) Error() string { return e.msg }

// exitStatus is an outcome that is not an error but still has a non-zero
// exit status (status NAME of a stopped service; exists NAME of a missing
// one). Nothing is printed for it.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// exitCode maps an error to the process exit status.
func exitCode(err error) int {
	code, _ := classify(err)
	return code
}

// classify maps an error to the process exit status, and reports whether
// that status is a Win32 error code (it is not for 0, for exitFailure, an
// error without a code, and for an exitStatus). This is the only place that
// maps errors to exit codes.
func classify(err error) (code int, win32 bool) {
	var st exitStatus
	var ue *usageError
	var we *winsvc.Error
	switch {
	case err == nil:
		return exitOK, false
	case errors.As(err, &st):
		return int(st), false
	case errors.As(err, &ue):
		return exitUsage, true
	case errors.As(err, &we) && we.Code != 0:
		return int(we.Code), true
	case errors.Is(err, winsvc.ErrInvalid):
		return exitUsage, true
	case errors.Is(err, winsvc.ErrWaitTimeout), errors.Is(err, winsvc.ErrStalled):
		return exitTimeout, true
	case errors.Is(err, winsvc.ErrProcessExited), errors.Is(err, winsvc.ErrStoppedUnexpectedly):
		return exitAborted, true
	case errors.Is(err, context.Canceled):
		return exitCancelled, true
	case errors.Is(err, errors.ErrUnsupported):
		return exitUnsupported, true
	}
	var errno winsvc.Errno
	switch {
	case errors.As(err, &errno):
		return int(errno), true
	case errors.Is(err, fs.ErrNotExist):
		// A file the command line names (the SCM's not-found is winsvc's,
		// above): a bad parameter, not 2 (ERROR_FILE_NOT_FOUND), which
		// plan --detailed-exitcode and check give their own meaning.
		return exitUsage, true
	case errors.Is(err, fs.ErrPermission):
		return exitNoAccess, true
	}
	return exitFailure, false
}

// errorJSON is the document written to stderr for an error with --json.
type errorJSON struct {
	Error errorBody `json:"error"`
}

// errorBody has the same fields for every error: service is "" when the
// command named no service, codeName is "" when the exit code is not a Win32
// code (exit 1, an error without one).
type errorBody struct {
	Op       string `json:"op"`
	Service  string `json:"service"`
	Code     int    `json:"code"`
	CodeName string `json:"codeName"`
	Message  string `json:"message"`
}

// describe splits err into the operation, the service and a message that
// ends with what to do about it. The operation is the verb the user ran
// (not the library's step, such as the "qc" read of check). target is the
// service the command line named, if any: errors that name none (a failed
// connection) get it.
func describe(cmds *table, verb, target string, err error) errorBody {
	code, win32 := classify(err)
	b := errorBody{Op: strings.ToLower(verb), Code: code}
	var we *winsvc.Error
	msg := err.Error()
	libHint := ""
	if errors.As(err, &we) {
		b.Service = we.Service // Op stays the verb the user ran, not the library's step
		msg, libHint = fmt.Sprint(we.Err), we.Hint()
	}
	var ue *usageError
	if errors.As(err, &ue) {
		b.Op = strings.ToLower(ue.verb)
		if b.Op == "" {
			b.Op = "usage"
		} else {
			msg += fmt.Sprintf("; see 'winsvc help %s'", ue.verb)
		}
	}
	if b.Service == "" {
		b.Service = target
	}
	b.Service = shownName(b.Service)
	if h := cmp.Or(hint(cmds.lookup(verb), verb, b.Service, err, code), libHint); h != "" {
		msg += " (" + h + ")"
	}
	if win32 {
		b.CodeName = codeName(b.Code)
	}
	b.Message = msg
	return b
}

// shownName is a service name as a JSON error shows it: whole up to 1
// KiB, so that a program reading the error can match any name a command
// line gives (the SCM's longest takes 256 UTF-16 code units); shortened
// (valerr.Shorten) beyond, as every value an error repeats.
func shownName(name string) string {
	if len(name) <= 1<<10 {
		return name
	}
	return valerr.Shorten(name)
}

// hint says what to do about err, which exits with code, printed for verb
// about service: what the user can run next, with the options verb has.
// It is "" when package winsvc's hint (Error.Hint) says it best, or there
// is nothing useful to say.
func hint(cmd *command, verb, service string, err error, code int) string {
	name := cmp.Or(service, "NAME")
	has := func(o *option) bool { return cmd != nil && slices.Contains(cmd.options, o) }
	var we *winsvc.Error
	op := ""
	if errors.As(err, &we) {
		op = we.Op
	}
	switch code {
	case int(winsvc.ErrNotFound):
		return "check the name: 'winsvc list' lists the services, 'winsvc GetKeyName \"Display Name\"' finds a key name"
	case int(winsvc.ErrAlreadyRunning):
		if has(optEnsure) {
			return fmt.Sprintf("it is running already; use 'winsvc restart %s', or --ensure to accept a running service", name)
		}
		return fmt.Sprintf("it is running already; 'winsvc restart %s' restarts it", name)
	case int(winsvc.ErrNotActive):
		if op == "stop" && has(optEnsure) {
			return "it is not running; --ensure accepts a stopped service"
		}
		return fmt.Sprintf("it is not running; start it first: 'winsvc start %s'", name)
	case int(winsvc.ErrDependentServicesRunning):
		if has(optWithDependents) {
			return "stop the services that depend on it first, or add --with-dependents"
		}
		return fmt.Sprintf("stop it with the services that depend on it first, 'winsvc stop %s --with-dependents', then run 'winsvc %s' again", name, strings.ToLower(verb))
	case int(winsvc.ErrDisabled):
		return fmt.Sprintf("it is disabled; enable it first: 'winsvc config %s start= demand'", name)
	case int(winsvc.ErrCannotAcceptControl), int(winsvc.ErrInvalidControl):
		return fmt.Sprintf("'winsvc query %s' shows the state and the controls the service accepts now", name)
	case int(winsvc.ErrExists):
		return fmt.Sprintf("use 'winsvc config %s' to change an existing service", name)
	case int(winsvc.ErrDuplicateDisplayName):
		return "choose a display name no other service uses as its name or display name"
	case exitTimeout:
		switch {
		case errors.Is(err, winsvc.ErrStalled):
			return "the service stopped advancing its checkpoint: check the service's own log"
		case errors.Is(err, winsvc.ErrWaitTimeout) && has(optTimeout):
			return "raise --timeout, or check the service's own log"
		case errors.Is(err, winsvc.ErrWaitTimeout):
			return "check the service's own log"
		}
		// The SCM's own answer: its time limit, which no option changes.
		limit := "the SCM's own time limit"
		if has(optTimeout) {
			limit += ", which --timeout does not change"
		}
		return "the service did not answer the service control manager within " + limit + ": check that its program runs as a service, and its own log"
	case exitAborted:
		return fmt.Sprintf("its process ended: check the service's own log, and its command line ('winsvc qc %s')", name)
	case exitCancelled:
		return "interrupted; the service may still be changing state"
	}
	return ""
}

// report prints err on stderr, as one line of text or as JSON, and returns
// the exit status.
func report(e *env, err error) int {
	code := exitCode(err)
	var st exitStatus
	if err == nil || errors.As(err, &st) {
		return code
	}
	b := describe(e.cmds, e.verb, e.target, err)
	b.Op, b.Service, b.Message = e.redact.text(b.Op), e.redact.text(b.Service), e.redact.text(b.Message)
	if e.json {
		out, _ := json.Marshal(errorJSON{b})
		fmt.Fprintf(e.io.ErrOut, "%s\n", out)
		return code
	}
	where := b.Op
	if b.Service != "" {
		where += " " + valerr.Quote(b.Service)
	}
	msg := b.Message
	if b.CodeName != "" && !strings.Contains(msg, b.CodeName) {
		msg += fmt.Sprintf(" [%s %d]", b.CodeName, b.Code)
	}
	e.note("%s: %s", where, oneLine(msg))
	return code
}

// reason is err's message for a line that names the service already (a
// warning about one service among many): what describe gives, without the
// library's operation and service.
func (e *env) reason(err error) string {
	return oneLine(e.redact.text(describe(e.cmds, e.verb, "", err).Message))
}

// oneLine joins the lines of a multi-line message (errors.Join).
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

// unavailable returns the error for a setting the SCM could not report,
// with the Win32 code of the error that kept it from being read
// (ERROR_INVALID_LEVEL when it has none).
func unavailable(op, service string, field winsvc.Field, reason error) error {
	code := winsvc.ErrInvalidLevel
	var errno winsvc.Errno
	if errors.As(reason, &errno) {
		code = errno
	}
	return &winsvc.Error{Op: op, Service: service, Code: code,
		Err: fmt.Errorf("%s could not be read: %w", field, reason)}
}
