// Package limits holds the bounds on what winsvc reads: the size of a file
// or of stdin, and of a document's values (how many, how deeply nested,
// how long a text). Each is far beyond what a real document reaches, and
// keeps an input however large or crafted from making a program use
// unbounded memory or time. README.md ("Desired state") lists them.
package limits

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/winsvc/winsvc/internal/valerr"
)

// The limits.
const (
	// FileSize bounds a document, a file or stdin read whole: 16 MiB.
	// An export of every service of a machine takes well under 1 MiB.
	FileSize = 16 << 20
	// Services bounds the services a document lists.
	Services = 10_000
	// Values bounds the values of a document (every mapping, list, key
	// and scalar, counted again each time an alias repeats it): an export
	// of 10,000 services has about 300,000.
	Values = 1_000_000
	// Depth bounds how deeply values nest; a document needs 8 levels.
	Depth = 64
	// String bounds a text value: 1 MiB. The longest texts of a service
	// (a description, a command line) hold a few thousand characters.
	String = 1 << 20
	// Password bounds a password file or the line of stdin that holds
	// a password: 64 KiB.
	Password = 64 << 10
)

// Error is an input beyond a limit: its message says what went beyond
// which limit ("stdin is larger than 16 MiB, the limit"). It matches
// valerr.ErrInvalid (so winsvc.ErrInvalid): nothing was changed.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// Is makes every Error match valerr.ErrInvalid.
func (e *Error) Is(target error) bool { return target == valerr.ErrInvalid }

// Beyond returns the *Error "WHAT ... LIMIT, the limit", e.g.
// Beyond("the document lists more than", "10000 services").
func Beyond(what, limit string) *Error { return &Error{Msg: what + " " + limit + ", the limit"} }

// Size describes a size in bytes for an error: "16 MiB", "64 KiB".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadAll reads r to its end, refusing more than max bytes with an *Error
// ("WHAT is larger than 16 MiB") after reading at most max+1 bytes.
func ReadAll(r io.Reader, what string, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, tooLarge(what, max)
	}
	return b, nil
}

// NameLength is the longest name of a file or folder in a path, in
// characters: NTFS's (and Windows' MAX_PATH component) limit.
const NameLength = 255

// ReadFile reads file as ReadAll does. An error shows the file's name
// shortened (valerr.Shorten). A path with a name longer than NameLength is
// refused before it is opened: no file system holds it (Wine's opens
// something else).
func ReadFile(file string, max int64) ([]byte, error) {
	for _, name := range strings.FieldsFunc(file, func(r rune) bool { return r == '/' || r == '\\' }) {
		if utf8.RuneCountInString(name) > NameLength {
			return nil, Beyond("a name in the path "+valerr.Shorten(file)+" is longer than", fmt.Sprintf("%d characters", NameLength))
		}
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, valerr.ShortenPath(err)
	}
	defer f.Close()
	b, err := ReadAll(f, valerr.Shorten(file), max)
	return b, valerr.ShortenPath(err)
}

// tooLarge is the error of an input of more than max bytes.
func tooLarge(what string, max int64) error { return Beyond(what+" is larger than", Size(max)) }
