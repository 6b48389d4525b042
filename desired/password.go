package desired

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/winsvc/winsvc/internal/limits"
	"github.com/winsvc/winsvc/internal/valerr"
)

// PasswordRef says where a service's password comes from; a document never
// holds the password itself. Exactly one field is set:
//
//	password: {env: SVC_PASSWORD}     # an environment variable
//	password: {file: /run/secrets/pw} # a file: its first line
//	password: {stdin: true}           # standard input: its first line
type PasswordRef struct {
	Env   string `json:"env,omitempty"`
	File  string `json:"file,omitempty"`
	Stdin bool   `json:"stdin,omitempty"`
}

// String describes the reference, never the password: "environment
// variable SVC_PASSWORD", "file pw.txt", "stdin".
func (r PasswordRef) String() string {
	switch {
	case r.Env != "":
		return "environment variable " + valerr.Shorten(r.Env)
	case r.File != "":
		return "file " + valerr.Shorten(r.File)
	case r.Stdin:
		return "stdin"
	}
	return "nothing"
}

// check refuses a reference that does not name exactly one source.
func (r PasswordRef) check() error {
	n := 0
	for _, set := range []bool{r.Env != "", r.File != "", r.Stdin} {
		if set {
			n++
		}
	}
	if n != 1 {
		return invalidHidden(keyPassword, "give exactly one of env, file or stdin")
	}
	return nil
}

// UpdatePassword says when a referenced password is set. Windows cannot
// read a password back, so whether it changed is unknown.
type UpdatePassword uint8

const (
	// OnCreate, the default, sets the password when the service is
	// created or its account changes (Windows then requires it), so an
	// apply that changes nothing else reports nothing.
	OnCreate UpdatePassword = iota
	// Always sets it at every apply, which then always reports a change:
	// the way to roll out a new password for an unchanged account.
	Always
)

var updatePasswordWords = words{"on_create", "always"}

func (u UpdatePassword) String() string { return updatePasswordWords.text(uint8(u)) }

// MarshalText writes "on_create" or "always".
func (u UpdatePassword) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// UnmarshalText reads "on_create" or "always", case-insensitively; "" is
// OnCreate.
func (u *UpdatePassword) UnmarshalText(b []byte) error {
	v, err := updatePasswordWords.parse(keyUpdatePassword, string(b))
	*u = UpdatePassword(v)
	return err
}

// Resolver returns the password a reference points to, for service. The
// caller supplies it (ApplyOptions.Passwords): this package reads no
// secret on its own. Its errors must not contain the password.
type Resolver func(service string, ref PasswordRef) (string, error)

// ErrNoStdin is the error of a reference to stdin when the caller gives no
// way to read it.
var ErrNoStdin = errors.New("the password is to be read from stdin, which was not offered")

// Passwords returns a Resolver that reads environment variables with
// getenv, files (their first line; a relative path is relative to the
// working directory; a file larger than 64 KiB is refused) and stdin with stdin, which is called
// at most once: every reference to stdin shares the password it returns.
// stdin may be nil (a reference to stdin then fails with ErrNoStdin). An
// empty password is an error: a reference is only given for an account
// that needs one.
func Passwords(getenv func(string) string, stdin func() (string, error)) Resolver {
	var once sync.Once
	var fromStdin string
	var stdinErr error
	return func(service string, ref PasswordRef) (string, error) {
		if err := ref.check(); err != nil {
			return "", err
		}
		var pw string
		switch {
		case ref.Env != "":
			pw = getenv(ref.Env)
		case ref.File != "":
			b, err := limits.ReadFile(ref.File, limits.Password)
			if err != nil {
				return "", fmt.Errorf("password of %s: %w", service, err)
			}
			pw = firstLine(string(b))
		case stdin == nil:
			return "", fmt.Errorf("password of %s: %w", service, ErrNoStdin)
		default:
			once.Do(func() { fromStdin, stdinErr = stdin() })
			if stdinErr != nil {
				return "", fmt.Errorf("password of %s: reading stdin: %w", service, stdinErr)
			}
			pw = fromStdin
		}
		if pw == "" {
			return "", fmt.Errorf("password of %s: %s is empty or not set", service, ref)
		}
		return pw, nil
	}
}

// firstLine returns s up to its first line ending.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSuffix(line, "\r")
}
