// Package strictjson decodes JSON that must hold exactly what the value
// takes: the documents winsvc reads refuse unknown keys at every level,
// inside the types with their own UnmarshalJSON too. Its errors speak the
// document's words, never Go's: a value of the wrong kind is a *TypeError
// ("expected true or false, got a text"), an unknown key a *KeyError
// listing the keys allowed there, each with the path of the value. Bounds
// checks that a JSON input stays within the limits of internal/limits.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Decode decodes the single JSON value b into v, refusing keys v does not
// have. A value of the wrong kind is a *TypeError, an unknown key a
// *KeyError, a syntax error an error naming the line and column; an
// error of a type's own UnmarshalJSON or UnmarshalText is returned as it
// is, its path completed (*TypeError, *KeyError) with where that value is.
func Decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		return fmt.Errorf("%s: more than one JSON value", position(b, dec.InputOffset()))
	}
	if err == nil {
		return nil
	}
	t := reflect.TypeOf(v)
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return typeError(b, t, te)
	case errors.As(err, &se):
		return fmt.Errorf("%s: not valid JSON: %s", position(b, se.Offset-1), strings.TrimPrefix(se.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("%s: not valid JSON: the text ends inside a value", position(b, int64(len(b))))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		if ke := unknownKey(b, t); ke != nil {
			return ke
		}
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	return nested(b, t, err)
}

// position is "line L, column C" of offset in b.
func position(b []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(b)))
	line := 1 + bytes.Count(b[:offset], []byte("\n"))
	col := int(offset) - bytes.LastIndexByte(b[:offset], '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}
