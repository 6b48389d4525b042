package strictjson

import (
	"fmt"

	"github.com/winsvc/winsvc/internal/limits"
)

// Bounds checks that the JSON text b stays within the limits of a
// document (internal/limits): its size, how many values it holds, how
// deeply they nest and how long a text is. The error (a *limits.Error)
// names the limit and where in b it was reached. Bounds reads b once,
// byte by byte, allocating nothing: it only tells strings from the rest
// and counts, and leaves it to the decode that follows to find what is
// not valid JSON.
func Bounds(b []byte) error {
	if len(b) > limits.FileSize {
		return limits.Beyond("the JSON text is larger than", limits.Size(limits.FileSize))
	}
	depth, values := 0, 0
	inValue := false // inside a number or a literal (true, false, null)
	for i := 0; i < len(b); i++ {
		c := b[i]
		start := i
		switch c {
		case '"':
			i = stringEnd(b, i)
			if n := i - start - 1; n > limits.String {
				return beyond(b, start, fmt.Sprintf("a text of %d bytes is longer than", n), limits.Size(limits.String))
			}
			values++
			inValue = false
		case '{', '[':
			depth++
			values++
			inValue = false
		case '}', ']':
			depth--
			inValue = false
		case ',', ':', ' ', '\t', '\r', '\n':
			inValue = false
		default:
			if !inValue {
				values++
			}
			inValue = true
		}
		switch {
		case depth > limits.Depth:
			return beyond(b, start, "values nest deeper than", fmt.Sprintf("%d levels", limits.Depth))
		case values > limits.Values:
			return beyond(b, start, "the JSON text holds more than", fmt.Sprintf("%d values", limits.Values))
		}
	}
	return nil
}

// stringEnd returns the index of the quote that ends the string whose
// opening quote is at i (len(b) when it does not end).
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(b)
}

// beyond is limits.Beyond(what, limit) at offset of b.
func beyond(b []byte, offset int, what, limit string) error {
	e := limits.Beyond(what, limit)
	e.Msg = position(b, int64(offset)) + ": " + e.Msg
	return e
}
