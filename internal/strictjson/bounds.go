package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/winsvc/winsvc/internal/limits"
)

// Bounds checks that the JSON text b stays within the limits of a
// document (internal/limits): its size, how many values it holds, how
// deeply they nest and how long a text is. The error (a *limits.Error)
// names the limit and where in b it was reached. Bounds reads b once,
// token by token, keeping nothing; it does not check that b is valid
// JSON beyond what that needs.
func Bounds(b []byte) error {
	if len(b) > limits.FileSize {
		return limits.Beyond("the JSON text is larger than", limits.Size(limits.FileSize))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	depth, values := 0, 0
	for {
		start := dec.InputOffset()
		t, err := dec.Token()
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return nil // a syntax error: the decode that follows reports it
		}
		switch v := t.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
				values++
			} else {
				depth--
			}
		case string:
			values++
			if len(v) > limits.String {
				return beyond(b, start, fmt.Sprintf("a text of %d bytes is longer than", len(v)), limits.Size(limits.String))
			}
		default:
			values++
		}
		switch {
		case depth > limits.Depth:
			return beyond(b, start, "values nest deeper than", fmt.Sprintf("%d levels", limits.Depth))
		case values > limits.Values:
			return beyond(b, start, "the JSON text holds more than", fmt.Sprintf("%d values", limits.Values))
		}
	}
}

// beyond is limits.Beyond(what, limit) at offset of b.
func beyond(b []byte, offset int64, what, limit string) error {
	for offset < int64(len(b)) && bytes.IndexByte([]byte(" \t\r\n,:"), b[offset]) >= 0 {
		offset++ // to the value itself
	}
	e := limits.Beyond(what, limit)
	e.Msg = position(b, offset) + ": " + e.Msg
	return e
}
