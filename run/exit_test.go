package run

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestExitCodes(t *testing.T) {
	failed := errors.New("config missing")
	for _, c := range []struct {
		name     string
		err      error
		cause    error
		result   error // nil: none; errSame: err itself
		specific bool
		code     uint32
	}{
		{"success", nil, nil, nil, false, 0},
		{"plain error", failed, nil, errSame, true, 1},
		{"plain error after stop", failed, ErrStop, errSame, true, 1},
		{"service-specific code", &ExitError{Code: 42, Err: failed}, nil, errSame, true, 42},
		{"Win32 code", &ExitError{Code: 5, Win32: true}, nil, errSame, false, 5},
		{"wrapped code", fmt.Errorf("loading: %w", &ExitError{Code: 9}), nil, errSame, true, 9},
		{"code zero", &ExitError{Code: 0}, nil, errSame, true, 0},
		{"code wins over a stop", &ExitError{Code: 42, Err: context.Canceled}, ErrStop, errSame, true, 42},
		{"ctx.Err() after stop", context.Canceled, ErrStop, nil, false, 0},
		{"wrapped ctx.Err() after shutdown", fmt.Errorf("serve: %w", context.Canceled), ErrShutdown, nil, false, 0},
		{"the cause after stop", ErrStop, ErrStop, nil, false, 0},
		{"context.Cause(ctx) after an interrupt", errInterrupt, errInterrupt, nil, false, 0},
		{"another interrupt's cause", fmt.Errorf("%w: terminated", ErrInterrupt), errInterrupt, errSame, true, 1},
		{"context.Canceled without a stop", context.Canceled, nil, errSame, true, 1},
	} {
		specific, code, result := exitCodes(c.err, c.cause)
		want := c.result
		if want == errSame {
			want = c.err
		}
		if result != want || specific != c.specific || code != c.code {
			t.Errorf("%s: exitCodes = %v, %v, %d; want %v, %v, %d", c.name, result, specific, code, want, c.specific, c.code)
		}
	}
}

var (
	errSame      = errors.New("the program's error")
	errInterrupt = fmt.Errorf("%w: interrupt", ErrInterrupt)
)

func TestExitErrorText(t *testing.T) {
	for err, want := range map[error]string{
		&ExitError{Code: 42}:                                      "service-specific exit code 42",
		&ExitError{Code: 5, Win32: true}:                          "Win32 exit code 5",
		&ExitError{Code: 3, Err: errors.New("config missing")}:    "config missing (service-specific exit code 3)",
		&ExitError{Code: 2, Win32: true, Err: errors.New("gone")}: "gone (Win32 exit code 2)",
	} {
		if got := err.Error(); got != want {
			t.Errorf("%#v: %q, want %q", err, got, want)
		}
	}
	inner := errors.New("inner")
	if !errors.Is(&ExitError{Code: 1, Err: inner}, inner) {
		t.Error("ExitError does not unwrap to its Err")
	}
}
