package access

import (
	"errors"
	"fmt"
	"strings"

	"github.com/winsvc/winsvc/internal/valerr"
)

// A trustee in an SDDL string is a SID ("S-1-5-18") or a two-letter alias
// ("SY"). knownTrustees maps the aliases of sddl.h with a fixed SID, and a
// few other well-known SIDs, to their SIDs and account names (see
// Microsoft's "SID strings" and "Well-known SIDs" pages). Aliases relative to
// a domain (DA, DU, ...) have no fixed SID and are listed in domainAliases.
var knownTrustees = []struct{ alias, sid, name string }{
	{"SY", "S-1-5-18", `NT AUTHORITY\SYSTEM`},
	{"BA", "S-1-5-32-544", `BUILTIN\Administrators`},
	{"BU", "S-1-5-32-545", `BUILTIN\Users`},
	{"BG", "S-1-5-32-546", `BUILTIN\Guests`},
	{"PU", "S-1-5-32-547", `BUILTIN\Power Users`},
	{"AO", "S-1-5-32-548", `BUILTIN\Account Operators`},
	{"SO", "S-1-5-32-549", `BUILTIN\Server Operators`},
	{"PO", "S-1-5-32-550", `BUILTIN\Print Operators`},
	{"BO", "S-1-5-32-551", `BUILTIN\Backup Operators`},
	{"RE", "S-1-5-32-552", `BUILTIN\Replicator`},
	{"RU", "S-1-5-32-554", `BUILTIN\Pre-Windows 2000 Compatible Access`},
	{"RD", "S-1-5-32-555", `BUILTIN\Remote Desktop Users`},
	{"NO", "S-1-5-32-556", `BUILTIN\Network Configuration Operators`},
	{"MU", "S-1-5-32-558", `BUILTIN\Performance Monitor Users`},
	{"LU", "S-1-5-32-559", `BUILTIN\Performance Log Users`},
	{"IS", "S-1-5-32-568", `BUILTIN\IIS_IUSRS`},
	{"CY", "S-1-5-32-569", `BUILTIN\Cryptographic Operators`},
	{"ER", "S-1-5-32-573", `BUILTIN\Event Log Readers`},
	{"CD", "S-1-5-32-574", `BUILTIN\Certificate Service DCOM Access`},
	{"RA", "S-1-5-32-575", `BUILTIN\RDS Remote Access Servers`},
	{"ES", "S-1-5-32-576", `BUILTIN\RDS Endpoint Servers`},
	{"MS", "S-1-5-32-577", `BUILTIN\RDS Management Servers`},
	{"HA", "S-1-5-32-578", `BUILTIN\Hyper-V Administrators`},
	{"AA", "S-1-5-32-579", `BUILTIN\Access Control Assistance Operators`},
	{"RM", "S-1-5-32-580", `BUILTIN\Remote Management Users`},
	{"WD", "S-1-1-0", `Everyone`},
	{"CO", "S-1-3-0", `CREATOR OWNER`},
	{"CG", "S-1-3-1", `CREATOR GROUP`},
	{"OW", "S-1-3-4", `OWNER RIGHTS`},
	{"NU", "S-1-5-2", `NT AUTHORITY\NETWORK`},
	{"IU", "S-1-5-4", `NT AUTHORITY\INTERACTIVE`},
	{"SU", "S-1-5-6", `NT AUTHORITY\SERVICE`},
	{"AN", "S-1-5-7", `NT AUTHORITY\ANONYMOUS LOGON`},
	{"ED", "S-1-5-9", `NT AUTHORITY\ENTERPRISE DOMAIN CONTROLLERS`},
	{"PS", "S-1-5-10", `NT AUTHORITY\SELF`},
	{"AU", "S-1-5-11", `NT AUTHORITY\Authenticated Users`},
	{"RC", "S-1-5-12", `NT AUTHORITY\RESTRICTED`},
	{"LS", "S-1-5-19", `NT AUTHORITY\LOCAL SERVICE`},
	{"NS", "S-1-5-20", `NT AUTHORITY\NETWORK SERVICE`},
	{"WR", "S-1-5-33", `NT AUTHORITY\WRITE RESTRICTED`},
	{"AC", "S-1-15-2-1", `APPLICATION PACKAGE AUTHORITY\ALL APPLICATION PACKAGES`},
	{"LW", "S-1-16-4096", `Mandatory Label\Low Mandatory Level`},
	{"ME", "S-1-16-8192", `Mandatory Label\Medium Mandatory Level`},
	{"MP", "S-1-16-8448", `Mandatory Label\Medium Plus Mandatory Level`},
	{"HI", "S-1-16-12288", `Mandatory Label\High Mandatory Level`},
	{"SI", "S-1-16-16384", `Mandatory Label\System Mandatory Level`},
	{"", AllServicesSID, `NT SERVICE\ALL SERVICES`},
	{"", "S-1-5-80", `NT SERVICE`},
	{"", "S-1-5-3", `NT AUTHORITY\BATCH`},
	{"", "S-1-5-14", `NT AUTHORITY\REMOTE INTERACTIVE LOGON`},
	{"", "S-1-5-15", `NT AUTHORITY\This Organization`},
}

// domainAliases are the sddl.h aliases whose SID depends on the domain.
var domainAliases = map[string]string{
	"DA": "Domain Admins", "DU": "Domain Users", "DG": "Domain Guests", "DC": "Domain Computers",
	"DD": "Domain Controllers", "CA": "Cert Publishers", "EA": "Enterprise Admins", "SA": "Schema Admins",
	"PA": "Group Policy Creator Owners", "RS": "RAS and IAS Servers", "LA": "Administrator (local account)",
	"LG": "Guest (local account)", "CN": "Cloneable Domain Controllers", "AP": "Protected Users",
	"KA": "Key Admins", "EK": "Enterprise Key Admins", "RO": "Enterprise Read-only Domain Controllers",
}

// Trustee identifies who an ACE applies to.
type Trustee struct {
	SID   string `json:"sid,omitempty"`   // "S-1-5-18"; "" for a domain-relative alias
	Alias string `json:"alias,omitempty"` // the SDDL alias ("SY"), when there is one
	Name  string `json:"name,omitempty"`  // the account name when well known ("NT AUTHORITY\SYSTEM")
}

// key identifies the trustee for comparisons: its SID, else its alias.
func (t Trustee) key() string {
	if t.SID != "" {
		return t.SID
	}
	return t.Alias
}

// sddl is how the trustee is written in an SDDL string: the alias when
// there is one, the SID otherwise.
func (t Trustee) sddl() string {
	if t.Alias != "" {
		return t.Alias
	}
	return t.SID
}

// String renders "alias (name)", "SID (name)" or just the SID.
func (t Trustee) String() string {
	s := t.sddl()
	if t.Name != "" {
		s += " (" + t.Name + ")"
	}
	return s
}

// ParseTrustee resolves a trustee written as an SDDL alias ("BU"), a SID
// ("S-1-5-32-545"), a well-known account name ("BUILTIN\Users",
// "Everyone"), or a virtual service account (`NT SERVICE\<name>`, whose SID
// is computed with ServiceSID). It is pure: other account names (`.\bob`,
// `CONTOSO\Helpdesk`) need a lookup on the machine and are not accepted
// here; Manager.LookupTrustee, Service.GrantAccess and Service.RevokeAccess
// look them up.
func ParseTrustee(s string) (Trustee, error) {
	t := strings.TrimSpace(s)
	up := strings.ToUpper(t)
	for _, k := range knownTrustees {
		if (k.alias != "" && up == k.alias) || up == k.sid || strings.EqualFold(t, k.name) {
			return Trustee{SID: k.sid, Alias: k.alias, Name: k.name}, nil
		}
	}
	if name, ok := domainAliases[up]; ok {
		return Trustee{Alias: up, Name: name}, nil
	}
	if svc, ok := cutPrefixFold(t, `NT SERVICE\`); ok && svc != "" {
		return Trustee{SID: ServiceSID(svc), Name: VirtualAccount(svc)}, nil
	}
	if validSIDString(up) {
		return Trustee{SID: up}, nil
	}
	return Trustee{}, valerr.New("trustee", s, `want a SID (S-1-...), an SDDL alias (BU, SY, ...), a well-known account name or NT SERVICE\<service>; `+
		`other account names need a lookup on Windows (Manager.LookupTrustee, Service.GrantAccess)`)
}

// LookupFunc resolves an account name to its SID and canonical
// domain\name (LookupAccountName, on the SCM's machine); nil when no
// lookup is available.
type LookupFunc func(name string) (sid, canonical string, err error)

// Resolve resolves s as ParseTrustee does and, failing that, as an
// account name (`.\bob`, `bob`, `CONTOSO\Helpdesk`, `bob@contoso.com`)
// with lookup. Without a lookup such a name is an error that is both a
// *ValidationError for "trustee" and errors.ErrUnsupported. A looked-up SID
// that is well known comes back with its alias (Administrators -> BA).
func Resolve(s string, lookup LookupFunc) (Trustee, error) {
	t, err := ParseTrustee(s)
	if err == nil || !accountNameLike(strings.TrimSpace(s)) {
		return t, err
	}
	name := strings.TrimSpace(s)
	if lookup == nil {
		return Trustee{}, fmt.Errorf("%w: %w", valerr.New("trustee", s,
			"an account name needs a lookup (LookupAccountName), which only Windows' SCM connection provides; pass the account's SID (S-1-5-21-...)"),
			errors.ErrUnsupported)
	}
	sid, canonical, err := lookup(name)
	if err != nil {
		return Trustee{}, fmt.Errorf("looking up account %s: %w", valerr.Quote(name), err)
	}
	if !validSIDString(strings.ToUpper(sid)) {
		return Trustee{}, fmt.Errorf("looking up account %s: got %s, not a SID", valerr.Quote(name), valerr.Quote(sid))
	}
	known, err := ParseTrustee(sid)
	if err != nil {
		return Trustee{}, err
	}
	if known.Name == "" {
		known.Name = canonical
	}
	return known, nil
}

// accountNameLike reports whether s can be an account name to look up: a
// user or group name, optionally after a domain (or ".") and a backslash,
// or a user principal name. It rules out malformed SIDs and characters that
// account names cannot contain (and that would break an SDDL string).
func accountNameLike(s string) bool {
	if strings.HasPrefix(strings.ToUpper(s), "S-1-") || strings.ContainsAny(s, "\"/[]:;|=,+*?<>()\x00") {
		return false
	}
	domain, user, qualified := strings.Cut(s, `\`)
	if !qualified {
		domain, user = "", s
	}
	return user != "" && !(qualified && domain == "") && !strings.Contains(user, `\`)
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// validSIDString reports whether s (upper case) is a SID string, by the
// rules Parse applies (checkSIDString, sddl.go).
func validSIDString(s string) bool { return checkSIDString(s) == nil }
