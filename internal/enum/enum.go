// Package enum is the machinery behind every enum type of winsvc and its
// packages, so that they all follow one rule (documented in winsvc's
// doc.go, "Enums and flags"): the Go value is the Win32 value, in a
// uint32-based type; text and JSON use the Win32 names; parsing also
// accepts sc.exe's words and numbers (Win32 values), case-insensitively. A
// value without a name is kept and shown in hexadecimal.
package enum

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/winsvc/winsvc/internal/valerr"
)

// Spec describes one enum type: its Win32 names and the sc.exe tokens that
// also parse. Values are Win32 values.
type Spec struct {
	Kind   string            // the field name used in errors, e.g. "startType"
	Names  map[uint32]string // the Win32 name of each known value
	Tokens map[string]uint32 // extra accepted spellings (lower case) -> value
}

// Name returns the Win32 name of v, the hexadecimal value for one without
// a name, and "" for 0 when 0 has no name (not set, unknown, or an empty
// set of flags).
func (e *Spec) Name(v uint32) string {
	if n, ok := e.Names[v]; ok {
		return n
	}
	if v == 0 {
		return ""
	}
	return fmt.Sprintf("0x%X", v)
}

// Parse accepts a Win32 name, an sc.exe token or a number (decimal or 0x
// hex), case-insensitively. "" parses to 0 when 0 has no name (the zero
// value means "not set"); where 0 is a Win32 value (BOOT_START, ...), ""
// is an error, because it would silently mean that value.
func (e *Spec) Parse(s string) (uint32, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		if _, ok := e.Names[0]; !ok {
			return 0, nil
		}
		return 0, &valerr.Error{Field: e.Kind, Value: s, Allowed: e.Allowed()}
	}
	for v, n := range e.Names {
		if strings.EqualFold(n, t) {
			return v, nil
		}
	}
	if v, ok := e.Tokens[strings.ToLower(t)]; ok {
		return v, nil
	}
	if v, err := strconv.ParseUint(t, 0, 32); err == nil {
		return uint32(v), nil
	}
	return 0, &valerr.Error{Field: e.Kind, Value: s, Allowed: e.Allowed()}
}

// Allowed lists the Win32 names, then the sc.exe tokens, for error
// messages.
func (e *Spec) Allowed() []string {
	toks := make([]string, 0, len(e.Tokens))
	for tok := range e.Tokens {
		toks = append(toks, tok)
	}
	slices.Sort(toks)
	return append(e.AllowedNames(), toks...)
}

// AllowedNames lists the Win32 names only, in the order of their values.
func (e *Spec) AllowedNames() []string {
	out := make([]string, 0, len(e.Names))
	for _, v := range slices.Sorted(maps.Keys(e.Names)) {
		out = append(out, e.Names[v])
	}
	return out
}

// Known reports whether v has a Win32 name.
func (e *Spec) Known(v uint32) bool {
	_, ok := e.Names[v]
	return ok
}
