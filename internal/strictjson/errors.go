package strictjson

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"

	"github.com/winsvc/winsvc/internal/valerr"
)

// TypeError is a JSON value of a kind its key does not take, in the
// document's words.
type TypeError struct {
	Path    string   // where, from the value decoded: "" for itself, "actions[1].delay"
	Want    string   // what it takes: "a whole number", "one of the allowed names"
	Got     string   // what it is: "a text", "a number", "a boolean", "a list", "a mapping"
	Allowed []string // the names it takes, when it takes one of a list
}

func (e *TypeError) Error() string { return withPath(e.Path, e.Reason()) + allowed(e.Allowed) }

// Reason is "expected WANT, got GOT".
func (e *TypeError) Reason() string { return "expected " + e.Want + ", got " + e.Got }

// Is makes a TypeError match valerr.ErrInvalid.
func (e *TypeError) Is(target error) bool { return target == valerr.ErrInvalid }

// KeyError is a key that the mapping holding it does not take.
type KeyError struct {
	Path    string   // the key's path: "bogus", "actions[1].bogus"
	Key     string   // the key
	Allowed []string // the keys that mapping takes
}

func (e *KeyError) Error() string {
	return withPath(Parent(e.Path), "unknown key "+valerr.Quote(e.Key)) + allowed(e.Allowed)
}

// Is makes a KeyError match valerr.ErrInvalid.
func (e *KeyError) Is(target error) bool { return target == valerr.ErrInvalid }

// Invalid returns err as the *valerr.Error of field when it is a
// *TypeError or a *KeyError, whose path it appends to field; any other
// error is returned as it is.
func Invalid(field string, err error) error {
	var te *TypeError
	var ke *KeyError
	switch {
	case errors.As(err, &te):
		return &valerr.Error{Field: Join(field, te.Path), Reason: te.Reason(), Allowed: te.Allowed}
	case errors.As(err, &ke):
		return &valerr.Error{Field: Join(field, ke.Path), Reason: "unknown key", Allowed: ke.Allowed}
	}
	return err
}

// Join appends path (a key, "a.b", or an index, "[1]") to field.
func Join(field, path string) string {
	switch {
	case path == "":
		return field
	case field == "" || strings.HasPrefix(path, "["):
		return field + path
	}
	return field + "." + path
}

// Parent strips the last key or index of a path: "a.b[1]" -> "a.b" -> "a".
func Parent(p string) string {
	if i := strings.LastIndexAny(p, ".["); i >= 0 {
		return p[:i]
	}
	return ""
}

func withPath(path, msg string) string {
	if path == "" {
		return msg
	}
	return valerr.Shorten(path) + ": " + msg
}

func allowed(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return "; allowed: " + strings.Join(names, ", ")
}

// typeError is the *TypeError of te, an error decoding b into a value of
// type t, with the path of the first value in b that has te's kind where
// te's path (which has no indices) is.
func typeError(b []byte, t reflect.Type, te *json.UnmarshalTypeError) *TypeError {
	e := &TypeError{Path: te.Field, Got: Kind(te.Value)}
	e.Want, e.Allowed = Describe(te.Type)
	visit(b, t, "", func(raw json.RawMessage, _ reflect.Type, path string) bool {
		if WithoutIndices(path) == te.Field && kindOf(raw) == e.Got {
			e.Path = path
			return true
		}
		return false
	})
	return e
}

// WithoutIndices strips the indices of a path: "a[1].b[2]" -> "a.b".
func WithoutIndices(p string) string {
	var b strings.Builder
	for len(p) > 0 {
		i := strings.IndexByte(p, '[')
		if i < 0 {
			b.WriteString(p)
			break
		}
		b.WriteString(p[:i])
		j := strings.IndexByte(p[i:], ']')
		if j < 0 {
			break
		}
		p = p[i+j+1:]
	}
	return strings.TrimPrefix(b.String(), ".")
}
