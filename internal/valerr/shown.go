package valerr

import (
	"io/fs"
	"strconv"
	"unicode/utf8"
)

// MaxShown is how many characters of a value an error shows: a longer
// value is cut there and ends with "…".
const MaxShown = 64

// maxQuoted bounds the length of a quoted value in bytes: characters that
// quoting escapes (\U0010ffff takes 10 bytes) are shown fewer.
const maxQuoted = 4 * MaxShown

// Shorten returns s as an error shows it: whole when it has at most
// MaxShown characters (runes; a byte that is not UTF-8 counts as one),
// otherwise its first MaxShown characters and "…". Every error of winsvc
// that repeats a value it was given shows it through Shorten or Quote.
func Shorten(s string) string { return cut(s, MaxShown) }

// cut returns s whole when it has at most n characters, otherwise its
// first n characters and "…".
func cut(s string, n int) string {
	i := 0
	for k := 0; i < len(s); k++ {
		if k == n {
			return s[:i] + "…"
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s
}

// Quote is Shorten(s) in Go's double-quoted form, as %q writes it; at
// most 256 bytes long (a value whose characters quoting escapes is cut
// shorter).
func Quote(s string) string {
	q := strconv.Quote(Shorten(s))
	for n := MaxShown / 2; len(q) > maxQuoted; n /= 2 {
		q = strconv.Quote(cut(s, n))
	}
	return q
}

// ShortenPath returns err, when it is a *fs.PathError, with its path
// shortened: for the error of a file whose name the caller gave.
func ShortenPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		short := *pe
		short.Path = Shorten(pe.Path)
		return &short
	}
	return err
}
