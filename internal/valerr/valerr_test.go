package valerr

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestShorten(t *testing.T) {
	long := strings.Repeat("x", MaxShown)
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"auto", "auto"},
		{long, long},
		{long + "y", long + "…"},
		{strings.Repeat("\U0001F600", 100), strings.Repeat("\U0001F600", MaxShown) + "…"},
		{strings.Repeat("\xff", 100), strings.Repeat("\xff", MaxShown) + "…"},
	} {
		if got := Shorten(tt.in); got != tt.want {
			t.Errorf("Shorten(%.20q…) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if q := Quote(long + "y"); q != `"`+long+`…"` {
		t.Errorf("Quote = %s", q)
	}
}

// An error shows at most a few hundred bytes of a value, whatever its
// length and content, and still names the field and the allowed values.
func TestErrorIsShortWhateverTheValue(t *testing.T) {
	for _, v := range []string{
		strings.Repeat("A", 50<<20),
		strings.Repeat("\U0010FFFF", 1<<20), // escaped by %q as \U0010ffff
		strings.Repeat("\x00", 1<<20),
	} {
		e := New(strings.Repeat("f", 1<<20), v, "is wrong", "AUTO_START", "DISABLED")
		msg := e.Error()
		if len(msg) > 1024 {
			t.Errorf("error of %d bytes for a value of %d: %.100s", len(msg), len(v), msg)
		}
		if !strings.HasPrefix(msg, "invalid fff") || !strings.HasSuffix(msg, "; allowed: AUTO_START, DISABLED") || !utf8.ValidString(msg) {
			t.Errorf("error: %.300s", msg)
		}
	}
}

// A value that is not given (nil) is not shown.
func TestErrorWithoutValue(t *testing.T) {
	if got := New("startType", nil, "expected a text, got a number").Error(); got != "invalid startType: expected a text, got a number" {
		t.Errorf("%s", got)
	}
}

// A quoted value takes at most 256 bytes, even when quoting escapes each
// of its characters.
func TestQuoteIsShort(t *testing.T) {
	for _, v := range []string{strings.Repeat("\U0010FFFF\x01", 1000), strings.Repeat("\x00", 1000), strings.Repeat("é", 1000)} {
		if q := Quote(v); len(q) > maxQuoted || !strings.HasSuffix(q, `…"`) {
			t.Errorf("Quote(%.10q…) = %d bytes: %s", v, len(q), q)
		}
	}
}
