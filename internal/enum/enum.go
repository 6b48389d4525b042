// Package enum is the machinery behind every enum type of winsvc and its
// packages, so that they all follow one rule (documented in winsvc's
// enum.go): the zero value means "not set"; the Go value is the Win32 value
// plus Offset; text and JSON use the Win32 names; parsing also accepts
// sc.exe's words and numbers, case-insensitively.
package enum

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/winsvc/winsvc/internal/valerr"
)

// Spec describes one enum type: its Win32 names, the sc.exe tokens that
// also parse, and how a stored value maps to a Win32 value.
type Spec struct {
	Kind   string            // the field name used in errors, e.g. "startType"
	Offset uint64            // stored = Win32 + Offset: 1 for enums, 0 for flag sets
	Names  map[uint32]string // the Win32 name of each known Win32 value
	Tokens map[string]uint32 // extra accepted spellings (lower case) -> Win32 value
}

// Name returns the Win32 name of a stored value: "" for zero (not set),
// the hexadecimal Win32 value for one without a name.
func (e *Spec) Name(stored uint64) string {
	if stored == 0 {
		return ""
	}
	w := stored - e.Offset
	if n, ok := e.Names[uint32(w)]; ok && w <= 0xFFFFFFFF {
		return n
	}
	return fmt.Sprintf("0x%X", w)
}

// Parse accepts a Win32 name, an sc.exe token or a number (decimal or 0x
// hex, a Win32 value), case-insensitively. "" parses to the zero value.
func (e *Spec) Parse(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, nil
	}
	for w, n := range e.Names {
		if strings.EqualFold(n, t) {
			return uint64(w) + e.Offset, nil
		}
	}
	if w, ok := e.Tokens[strings.ToLower(t)]; ok {
		return uint64(w) + e.Offset, nil
	}
	if w, err := strconv.ParseUint(t, 0, 32); err == nil {
		return w + e.Offset, nil
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
	for _, w := range slices.Sorted(maps.Keys(e.Names)) {
		out = append(out, e.Names[w])
	}
	return out
}

// Win32 returns the Win32 value of a stored value (0 when not set).
func (e *Spec) Win32(stored uint64) uint32 {
	if stored == 0 {
		return 0
	}
	return uint32(stored - e.Offset)
}

// FromWin32 stores a Win32 value; stored values are 64-bit, so even
// 0xFFFFFFFF + 1 does not wrap to 0 ("not set").
func (e *Spec) FromWin32(w uint32) uint64 { return uint64(w) + e.Offset }

// Known reports whether the stored value v has a Win32 name.
func (e *Spec) Known(v uint64) bool {
	if v < e.Offset || v-e.Offset > 0xFFFFFFFF {
		return false
	}
	_, ok := e.Names[uint32(v-e.Offset)]
	return v != 0 && ok
}
