package access

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/winsvc/winsvc/internal/valerr"
)

// Rights is an access mask on a service object: the specific service
// rights (SERVICE_*), the standard rights and the generic rights, with the
// values documented in "Service Security and Access Rights".
type Rights uint32

// Service access rights.
const (
	RightQueryConfig         Rights = 0x1
	RightChangeConfig        Rights = 0x2
	RightQueryStatus         Rights = 0x4
	RightEnumerateDependents Rights = 0x8
	RightStart               Rights = 0x10
	RightStop                Rights = 0x20
	RightPauseContinue       Rights = 0x40
	RightInterrogate         Rights = 0x80
	RightUserDefinedControl  Rights = 0x100
	RightDelete              Rights = 0x10000
	RightReadControl         Rights = 0x20000
	RightWriteDAC            Rights = 0x40000
	RightWriteOwner          Rights = 0x80000
	// RightAllAccess is SERVICE_ALL_ACCESS: every right above ("full
	// control").
	RightAllAccess Rights = 0xF01FF

	GenericAll     Rights = 0x10000000
	GenericExecute Rights = 0x20000000
	GenericWrite   Rights = 0x40000000
	GenericRead    Rights = 0x80000000
)

// Rights presets for GrantRights and RevokeRights.
const (
	// RightsQuery is what GENERIC_READ maps to: query config and status,
	// enumerate dependents, interrogate and read the security descriptor.
	RightsQuery = RightQueryConfig | RightQueryStatus | RightEnumerateDependents | RightInterrogate | RightReadControl
	// RightsStartStop allows starting and stopping the service.
	RightsStartStop = RightStart | RightStop
)

// The generic mapping of service objects, as documented: GENERIC_READ,
// GENERIC_WRITE and GENERIC_EXECUTE each include STANDARD_RIGHTS_READ
// (READ_CONTROL); GENERIC_ALL is SERVICE_ALL_ACCESS.
var serviceGenericMapping = []struct{ generic, specific Rights }{
	{GenericRead, RightsQuery},
	{GenericWrite, RightReadControl | RightChangeConfig},
	{GenericExecute, RightReadControl | RightStart | RightStop | RightPauseContinue | RightUserDefinedControl},
	{GenericAll, RightAllAccess},
}

// Mapped returns r with its generic rights replaced by the specific rights
// they map to for a service.
func (r Rights) Mapped() Rights {
	out := r
	for _, m := range serviceGenericMapping {
		if r&m.generic != 0 {
			out = out&^m.generic | m.specific
		}
	}
	return out
}

// Includes reports whether r, once mapped, grants every right in want.
func (r Rights) Includes(want Rights) bool {
	w := want.Mapped()
	return r.Mapped()&w == w
}

// serviceRightNames: the Win32 name, the readable name and the SDDL letters
// of each right, in the order SDDL strings list them.
var serviceRightNames = []struct {
	right    Rights
	win32    string
	readable string
	sddl     string
}{
	{RightQueryConfig, "SERVICE_QUERY_CONFIG", "query config", "CC"},
	{RightChangeConfig, "SERVICE_CHANGE_CONFIG", "change config", "DC"},
	{RightQueryStatus, "SERVICE_QUERY_STATUS", "query status", "LC"},
	{RightEnumerateDependents, "SERVICE_ENUMERATE_DEPENDENTS", "enumerate dependents", "SW"},
	{RightStart, "SERVICE_START", "start", "RP"},
	{RightStop, "SERVICE_STOP", "stop", "WP"},
	{RightPauseContinue, "SERVICE_PAUSE_CONTINUE", "pause/continue", "DT"},
	{RightInterrogate, "SERVICE_INTERROGATE", "interrogate", "LO"},
	{RightUserDefinedControl, "SERVICE_USER_DEFINED_CONTROL", "user control", "CR"},
	{RightDelete, "DELETE", "delete", "SD"},
	{RightReadControl, "READ_CONTROL", "read control", "RC"},
	{RightWriteDAC, "WRITE_DAC", "write DAC", "WD"},
	{RightWriteOwner, "WRITE_OWNER", "write owner", "WO"},
	{GenericAll, "GENERIC_ALL", "generic all", "GA"},
	{GenericExecute, "GENERIC_EXECUTE", "generic execute", "GX"},
	{GenericWrite, "GENERIC_WRITE", "generic write", "GW"},
	{GenericRead, "GENERIC_READ", "generic read", "GR"},
}

// sddlRightAliases are the SDDL rights letters for other object types
// (files, registry keys, mandatory labels), which are valid in any SDDL
// string; they parse to their masks.
var sddlRightAliases = map[string]Rights{
	"FA": 0x1F01FF, "FR": 0x120089, "FW": 0x120116, "FX": 0x1200A0,
	"KA": 0xF003F, "KR": 0x20019, "KW": 0x20006, "KX": 0x20019,
	"NW": 0x1, "NR": 0x2, "NX": 0x4,
}

// Names lists the Win32 names of the rights in r; bits without a name
// appear as one hex number.
func (r Rights) Names() []string {
	return r.names(func(i int) string { return serviceRightNames[i].win32 })
}

func (r Rights) names(name func(i int) string) []string {
	out := []string{}
	rest := r
	for i, n := range serviceRightNames {
		if r&n.right != 0 {
			out = append(out, name(i))
			rest &^= n.right
		}
	}
	if rest != 0 {
		out = append(out, fmt.Sprintf("0x%X", uint32(rest)))
	}
	return out
}

// String joins the Win32 names with "|".
func (r Rights) String() string { return strings.Join(r.Names(), "|") }

// Describe renders the mapped rights readably: "full control", "none", or
// a list such as "query config, query status, start".
func (r Rights) Describe() string {
	m := r.Mapped()
	switch {
	case m == 0:
		return "none"
	case m&RightAllAccess == RightAllAccess && m&^RightAllAccess == 0:
		return "full control"
	}
	return strings.Join(m.names(func(i int) string { return serviceRightNames[i].readable }), ", ")
}

// MarshalJSON writes the list of Win32 names.
func (r Rights) MarshalJSON() ([]byte, error) { return json.Marshal(r.Names()) }

// UnmarshalJSON reads a list of names as ParseRights accepts them.
func (r *Rights) UnmarshalJSON(b []byte) error {
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	v, err := ParseRights(strings.Join(list, ","))
	*r = v
	return err
}

// rightTokens are short spellings accepted by ParseRights.
var rightTokens = map[string]Rights{
	"query-config": RightQueryConfig, "change-config": RightChangeConfig, "query-status": RightQueryStatus,
	"enumerate-dependents": RightEnumerateDependents, "start": RightStart, "stop": RightStop,
	"pause-continue": RightPauseContinue, "interrogate": RightInterrogate, "user-control": RightUserDefinedControl,
	"delete": RightDelete, "read-control": RightReadControl, "write-dac": RightWriteDAC, "write-owner": RightWriteOwner,
	"query": RightsQuery, "start-stop": RightsStartStop, "full": RightAllAccess, "all": RightAllAccess,
}

// ParseRights parses rights written as SDDL letters ("RPWPLC"), a
// number ("0x30"), or a list separated by "," or "|" of Win32 names
// ("SERVICE_START"), readable names ("query config") or tokens ("start",
// "stop", "query", "start-stop", "full"), case-insensitively.
func ParseRights(s string) (Rights, error) {
	t := strings.TrimSpace(s)
	if r, err := parseSDDLRights(t); err == nil && t != "" {
		return r, nil
	}
	var out Rights
	for _, part := range strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == '|' }) {
		p := strings.TrimSpace(part)
		r, ok := rightTokens[strings.ToLower(strings.ReplaceAll(p, " ", "-"))]
		for _, n := range serviceRightNames {
			if strings.EqualFold(p, n.win32) || strings.EqualFold(p, n.readable) {
				r, ok = n.right, true
			}
		}
		if !ok {
			return 0, valerr.New("rights", s, "want SDDL letters (RPWP), a number, or names such as start, stop, query, SERVICE_START")
		}
		out |= r
	}
	if out == 0 {
		return 0, valerr.New("rights", s, "no rights given")
	}
	return out, nil
}

// parseSDDLRights parses the rights field of an SDDL ACE string: a number
// (0x hex or decimal) or concatenated two-letter codes.
func parseSDDLRights(s string) (Rights, error) {
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		v, err := strconv.ParseUint(s, 0, 32)
		if err != nil {
			return 0, fmt.Errorf("bad rights number %s", valerr.Quote(s))
		}
		return Rights(v), nil
	}
	if len(s)%2 != 0 {
		return 0, fmt.Errorf("bad rights %s: not a sequence of two-letter codes", valerr.Quote(s))
	}
	var out Rights
next:
	for i := 0; i < len(s); i += 2 {
		code := strings.ToUpper(s[i : i+2])
		for _, n := range serviceRightNames {
			if n.sddl == code {
				out |= n.right
				continue next
			}
		}
		r, ok := sddlRightAliases[code]
		if !ok {
			return 0, fmt.Errorf("unknown right %q in %s", s[i:i+2], valerr.Quote(s))
		}
		out |= r
	}
	return out, nil
}

// sddlRights renders r as SDDL letters in ascending bit order, or as a hex
// number when some bit has no letter.
func sddlRights(r Rights) string {
	var b strings.Builder
	rest := r
	for _, n := range serviceRightNames {
		if r&n.right != 0 {
			b.WriteString(n.sddl)
			rest &^= n.right
		}
	}
	if rest != 0 || r == 0 {
		return fmt.Sprintf("0x%x", uint32(r))
	}
	return b.String()
}
