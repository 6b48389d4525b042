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

// The document's words for JSON values: what a value is (Kind) and what
// a Go type takes (Describe), for the errors of a value of the wrong kind.

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
