// Package strictjson decodes JSON that must hold exactly what the value
// takes: the documents winsvc reads refuse unknown fields at every level,
// inside the types with their own UnmarshalJSON too.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Decode decodes the single JSON value b into v, refusing fields v does
// not have.
func Decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}
