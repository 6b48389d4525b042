package strictjson

import (
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
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
	return withPath(parentPath(e.Path), "unknown key "+valerr.Quote(e.Key)) + allowed(e.Allowed)
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

// parentPath strips the last key or index of a path.
func parentPath(p string) string {
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

// Kind is the document's word for a JSON value's kind, as
// json.UnmarshalTypeError names it ("string", "number 5", "bool",
// "array", "object") or as a value's first byte shows it.
func Kind(jsonKind string) string {
	switch {
	case strings.HasPrefix(jsonKind, "string"), strings.HasPrefix(jsonKind, `"`):
		return "a text"
	case strings.HasPrefix(jsonKind, "bool"), jsonKind == "true", jsonKind == "false":
		return "a boolean"
	case strings.HasPrefix(jsonKind, "array"), strings.HasPrefix(jsonKind, "["):
		return "a list"
	case strings.HasPrefix(jsonKind, "object"), strings.HasPrefix(jsonKind, "{"):
		return "a mapping"
	case strings.HasPrefix(jsonKind, "null"):
		return "null"
	}
	return "a number"
}

// kindOf is Kind of a raw JSON value.
func kindOf(raw []byte) string {
	s := strings.TrimLeft(string(raw[:min(len(raw), 8)]), " \t\r\n")
	switch {
	case s == "":
		return "nothing"
	case s[0] == 't' || s[0] == 'f':
		return Kind("bool")
	case s[0] == 'n':
		return Kind("null")
	}
	return Kind(s[:1])
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

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// Describe says in the document's words what a value of type t is: "a
// text", "true or false", "a whole number from 0 to 65535", "a list of
// texts", "a mapping"; for a type whose UnmarshalText takes one of a list
// of names (an enum), "one of the allowed names" and the names.
func Describe(t reflect.Type) (want string, names []string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		// An impossible word: the error of an enum lists its names.
		err := reflect.New(t).Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte("\x00"))
		var ve *valerr.Error
		if errors.As(err, &ve) && len(ve.Allowed) > 0 {
			return "one of the allowed names", ve.Allowed
		}
		return "a text", nil
	}
	switch t.Kind() {
	case reflect.String:
		return "a text", nil
	case reflect.Bool:
		return "true or false", nil
	case reflect.Int64, reflect.Int:
		return "a whole number", nil
	case reflect.Int8, reflect.Int16, reflect.Int32:
		return "a whole number from " + itoa(-1<<(t.Bits()-1)) + " to " + itoa(1<<(t.Bits()-1)-1), nil
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return "a whole number from 0 to " + itoa(1<<t.Bits()-1), nil
	case reflect.Uint64, reflect.Uint:
		return "a whole number from 0", nil
	case reflect.Float32, reflect.Float64:
		return "a number", nil
	case reflect.Slice, reflect.Array:
		elem, _ := Describe(t.Elem())
		return "a list of " + plural(elem), nil
	case reflect.Struct, reflect.Map:
		return "a mapping", nil
	}
	return "a value", nil
}

// plural turns "a text" into "texts", "one of the allowed names" into
// "allowed names", "a whole number from 0 to 255" into "whole numbers
// from 0 to 255".
func plural(one string) string {
	switch {
	case strings.HasPrefix(one, "one of the "):
		return strings.TrimPrefix(one, "one of the ")
	case one == "true or false":
		return "booleans"
	case strings.HasPrefix(one, "a list of "):
		return "lists of " + strings.TrimPrefix(one, "a list of ")
	}
	word, rest, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(one, "a "), "an "), " from")
	if rest != "" {
		rest = " from" + rest
	}
	return word + "s" + rest
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
