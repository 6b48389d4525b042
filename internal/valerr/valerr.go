// Package valerr holds the validation error that winsvc and its packages
// share (winsvc.ValidationError is this Error), so that errors.As and
// errors.Is(err, winsvc.ErrInvalid) work on every refused value, whichever
// package refused it; and the one way an error shows a value it was given
// (Shorten, Quote), so that no error grows with its input.
package valerr

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is matched by every *Error.
var ErrInvalid = errors.New("invalid value")

// Error reports a field whose value is not allowed. Nothing was changed on
// the system when it is returned.
type Error struct {
	Field   string   // the field, e.g. "startType" or "failureActions.actions[1].delay"
	Value   any      // the offending value; nil when the error does not show it
	Allowed []string // the allowed values, when they form a list
	Reason  string   // why the value is not allowed, when Allowed is not enough
}

// Error is "invalid FIELD VALUE: REASON; allowed: A, B", the field and
// value shortened (Shorten) and the value quoted.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("invalid ")
	b.WriteString(Shorten(e.Field))
	if e.Value != nil {
		b.WriteByte(' ')
		b.WriteString(Quote(fmt.Sprint(e.Value)))
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if len(e.Allowed) > 0 {
		b.WriteString("; allowed: ")
		b.WriteString(strings.Join(e.Allowed, ", "))
	}
	return b.String()
}

// Is makes every validation error match ErrInvalid.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// New returns an Error for field.
func New(field string, value any, reason string, allowed ...string) *Error {
	return &Error{Field: field, Value: value, Reason: reason, Allowed: allowed}
}
