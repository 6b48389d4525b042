// Package valerr holds the validation error that winsvc and its packages
// share (winsvc.ValidationError is this Error), so that errors.As and
// errors.Is(err, winsvc.ErrInvalid) work on every refused value, whichever
// package refused it.
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
	Value   any      // the offending value
	Allowed []string // the allowed values, when they form a list
	Reason  string   // why the value is not allowed, when Allowed is not enough
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid %s %q", e.Field, fmt.Sprint(e.Value))
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
