package desired

import (
	"errors"
	"fmt"
	"strings"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/valerr"
)

// Error is a problem with a document: a YAML or JSON syntax error, an
// unknown key, a value a key cannot take, a service given twice, a limit
// reached. It names the file, the line and column, the service and the
// field, and wraps the cause (a *winsvc.ValidationError for a value, with
// the allowed values). Every *Error matches winsvc.ErrInvalid: nothing
// was changed. Its message shows the values it repeats shortened, so that
// it stays short whatever the document holds.
type Error struct {
	File    string // "" for a document read from memory
	Line    int    // 0 when unknown
	Column  int    // 0 when unknown
	Service string // "" outside a service's entry
	Field   string // the key, with its path ("failureActions.actions[1].delay"); "" for the whole entry or document
	Err     error
}

// Error is "FILE:LINE:COLUMN: service "NAME": FIELD: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Service != "" {
		fmt.Fprintf(&b, "service %s: ", valerr.Quote(e.Service))
	}
	msg := e.Err.Error()
	if ve := (*winsvc.ValidationError)(nil); e.Field != "" && !errors.As(e.Err, &ve) {
		msg = valerr.Shorten(e.Field) + ": " + msg
	}
	b.WriteString(msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes every document error match winsvc.ErrInvalid.
func (e *Error) Is(target error) bool { return target == winsvc.ErrInvalid }

// invalid returns the validation error for field.
func invalid(field string, value any, reason string, allowed ...string) error {
	return &winsvc.ValidationError{Field: field, Value: value, Reason: reason, Allowed: allowed}
}

// invalidHidden is invalid for a value that must not be shown (a
// password written where a reference belongs).
func invalidHidden(field, reason string) error { return invalid(field, hidden, reason) }
