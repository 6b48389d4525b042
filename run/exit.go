package run

import (
	"context"
	"errors"
	"fmt"
)

// ExitError is an error with the exit code that the service reports when it
// stops. Any other error that the program returns is service-specific exit
// code 1, as a Go program's failure is exit status 1.
//
//	return &run.ExitError{Code: 3, Err: err}          // Win32ExitCode 1066 (ERROR_SERVICE_SPECIFIC_ERROR), ServiceSpecificExitCode 3
//	return &run.ExitError{Code: 5, Win32: true}       // Win32ExitCode 5 (ERROR_ACCESS_DENIED)
type ExitError struct {
	Code  uint32 // the exit code; 0 reports success
	Win32 bool   // Code is a Win32 error code; otherwise it is the service's own
	Err   error  // what went wrong, when there is more to say than the code
}

func (e *ExitError) Error() string {
	kind := "service-specific"
	if e.Win32 {
		kind = "Win32"
	}
	if e.Err == nil {
		return fmt.Sprintf("%s exit code %d", kind, e.Code)
	}
	return fmt.Sprintf("%v (%s exit code %d)", e.Err, kind, e.Code)
}

func (e *ExitError) Unwrap() error { return e.Err }

// exitCodes maps what the program returned, err, to the exit codes of
// STOPPED, as golang.org/x/sys/windows/svc's Execute returns them
// (specific: ERROR_SERVICE_SPECIFIC_ERROR with code as the service's own;
// otherwise code is the Win32 exit code), and to what Service returns.
// cause is why the program was asked to stop, nil if it was not: a program
// that returns its context's error or cause then has stopped cleanly.
func exitCodes(err, cause error) (specific bool, code uint32, result error) {
	var ee *ExitError
	switch {
	case err == nil:
		return false, 0, nil
	case errors.As(err, &ee):
		return !ee.Win32, ee.Code, err
	case cause != nil && (errors.Is(err, context.Canceled) || errors.Is(err, cause)):
		return false, 0, nil
	}
	return true, 1, err
}
