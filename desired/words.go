package desired

import (
	"strings"

	"github.com/winsvc/winsvc"
)

// words is an enum of this package: the word of each value, the zero
// value's first. Text is the word; parsing is case-insensitive, "" is the
// zero value, and anything else is a *winsvc.ValidationError for field
// listing the words.
type words []string

func (w words) text(v uint8) string {
	if int(v) < len(w) {
		return w[v]
	}
	return ""
}

func (w words) parse(field, s string) (uint8, error) {
	if s == "" {
		return 0, nil
	}
	for i, word := range w {
		if strings.EqualFold(word, s) {
			return uint8(i), nil
		}
	}
	return 0, &winsvc.ValidationError{Field: field, Value: s, Allowed: w}
}
