// Package access models who may do what to a service: security
// descriptors in SDDL (parsed, rendered, explained as permissions, edited),
// the service access rights, the trustees they are granted to (SIDs, SDDL
// aliases, well-known and virtual accounts), and service SIDs. It works on
// strings and values alone; winsvc.Service reads and writes a service's
// descriptor (SecurityDescriptor, SetSecurityDescriptor, GrantAccess,
// RevokeAccess).
package access

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/winsvc/winsvc/internal/valerr"
)

// SDDL is a parsed security descriptor string (Security Descriptor
// Definition Language), as `sc sdshow` prints and `sc sdset` takes:
//
//	O:owner G:group D:flags(ace)(ace)... S:flags(ace)...
//
// Every part is optional. Parsing keeps what it does not interpret (object
// GUIDs, conditional expressions, unknown ACE types) so that String writes
// it back unchanged.
type SDDL struct {
	Owner string // the owner SID or alias as written; "" when absent
	Group string // the primary group; "" when absent
	DACL  *ACL   // nil when the string has no "D:" part
	SACL  *ACL   // nil when the string has no "S:" part
}

// ACL is a discretionary or system access control list.
type ACL struct {
	// Flags as written: "P" (protected), "AI" (auto-inherited), "AR"
	// (auto-inherit required) or "NO_ACCESS_CONTROL" (a NULL DACL, which
	// grants everyone full control).
	Flags   string
	Entries []ACE
}

// ACE is one access control entry:
// (type;flags;rights;object_guid;inherit_object_guid;trustee[;extra]).
type ACE struct {
	Type   string // "A" (allow), "D" (deny), "AU" (audit), ... as written
	Flags  string // "CI", "OI", "IO", "ID", "SA", "FA", ... concatenated
	Rights Rights
	// ObjectType and InheritedObjectType are the object GUIDs of object
	// ACEs, as written.
	ObjectType, InheritedObjectType string
	Trustee                         string // a SID or an alias, as written
	Extra                           string // a conditional expression or resource attribute, as written

	rightsText string // the rights as written, kept while Rights is unchanged
}

// Parse parses a security descriptor string. Errors are
// *ValidationError values naming the field "securityDescriptor".
func Parse(s string) (*SDDL, error) {
	p := sddlParser{s: strings.TrimSpace(s)}
	d := &SDDL{}
	seen := map[byte]bool{}
	for p.i < len(p.s) {
		tag, ok := p.tag()
		if !ok {
			return nil, p.fail("expected O:, G:, D: or S:")
		}
		if seen[tag] {
			return nil, p.fail(fmt.Sprintf("%c: appears twice", tag))
		}
		seen[tag] = true
		p.i += 2
		switch tag {
		case 'O', 'G':
			v := p.untilTag()
			if v == "" {
				return nil, p.fail(fmt.Sprintf("%c: needs a SID", tag))
			}
			if err := checkSDDLTrustee(v); err != nil {
				return nil, p.fail(fmt.Sprintf("%c: %s %v", tag, valerr.Quote(v), err))
			}
			if tag == 'O' {
				d.Owner = v
			} else {
				d.Group = v
			}
		case 'D', 'S':
			acl, err := p.acl()
			if err != nil {
				return nil, err
			}
			if tag == 'D' {
				d.DACL = acl
			} else {
				d.SACL = acl
			}
		}
	}
	return d, nil
}

type sddlParser struct {
	s string
	i int
}

func (p *sddlParser) fail(why string) error {
	return valerr.New(fieldSecurityDescriptor, p.s, fmt.Sprintf("at offset %d: %s", p.i, why))
}

// tag reports the component tag (O, G, D or S followed by ':') at p.i.
func (p *sddlParser) tag() (byte, bool) {
	return tagAt(p.s, p.i)
}

func tagAt(s string, i int) (byte, bool) {
	if i+1 >= len(s) || s[i+1] != ':' {
		return 0, false
	}
	switch c := s[i] &^ 0x20; c { // upper case
	case 'O', 'G', 'D', 'S':
		return c, true
	}
	return 0, false
}

// untilTag returns the text up to the next component tag.
func (p *sddlParser) untilTag() string {
	start := p.i
	for p.i < len(p.s) {
		if _, ok := tagAt(p.s, p.i); ok {
			break
		}
		p.i++
	}
	return strings.TrimSpace(p.s[start:p.i])
}

func (p *sddlParser) acl() (*ACL, error) {
	start := p.i
	for p.i < len(p.s) && p.s[p.i] != '(' {
		if _, ok := tagAt(p.s, p.i); ok {
			break
		}
		p.i++
	}
	acl := &ACL{Flags: strings.TrimSpace(p.s[start:p.i]), Entries: []ACE{}}
	if rest := strings.NewReplacer("NO_ACCESS_CONTROL", "", "P", "", "AI", "", "AR", "").Replace(strings.ToUpper(acl.Flags)); rest != "" {
		return nil, p.fail(fmt.Sprintf("unknown ACL flags %s (allowed: P, AI, AR, NO_ACCESS_CONTROL)", valerr.Quote(acl.Flags)))
	}
	for p.i < len(p.s) && p.s[p.i] == '(' {
		end, ok := closingParen(p.s, p.i)
		if !ok {
			return nil, p.fail("unbalanced parentheses in an ACE")
		}
		ace, err := parseACE(p.s[p.i+1 : end])
		if err != nil {
			return nil, p.fail(err.Error())
		}
		acl.Entries = append(acl.Entries, ace)
		p.i = end + 1
	}
	if p.i < len(p.s) {
		if _, ok := p.tag(); !ok {
			return nil, p.fail("expected an ACE in parentheses")
		}
	}
	return acl, nil
}

// closingParen returns the index of the parenthesis closing the one at
// open, skipping nested parentheses and quoted strings.
func closingParen(s string, open int) (int, bool) {
	depth, quoted := 0, false
	for i := open; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case quoted:
		case s[i] == '(':
			depth++
		case s[i] == ')':
			depth--
			if depth == 0 {
				return i, true
			}
		}
	}
	return 0, false
}

func parseACE(body string) (ACE, error) {
	f := strings.SplitN(body, ";", 7)
	if len(f) < 6 {
		return ACE{}, fmt.Errorf("ACE %s has %d fields, want 6: type;flags;rights;object;inherited object;trustee", valerr.Quote(body), len(f))
	}
	rights, err := parseSDDLRights(strings.TrimSpace(f[2]))
	if err != nil {
		return ACE{}, err
	}
	ace := ACE{Type: f[0], Flags: f[1], Rights: rights, rightsText: f[2], ObjectType: f[3],
		InheritedObjectType: f[4], Trustee: strings.TrimSpace(f[5])}
	if len(f) == 7 {
		ace.Extra = f[6]
	}
	if !slices.Contains(sddlACETypes, strings.ToUpper(strings.TrimSpace(ace.Type))) {
		return ace, fmt.Errorf("ACE %s: type %s is not an ACE type (A allow, D deny, AU audit, ...: %s)", valerr.Quote(body), valerr.Quote(ace.Type), strings.Join(sddlACETypes, ", "))
	}
	if flag := unknownACEFlag(ace.Flags); flag != "" {
		return ace, fmt.Errorf("ACE %s: flag %s is not an ACE flag (%s)", valerr.Quote(body), valerr.Quote(flag), strings.Join(sddlACEFlags, ", "))
	}
	if ace.Trustee == "" {
		return ace, fmt.Errorf("ACE %s has no trustee", valerr.Quote(body))
	}
	if err := checkSDDLTrustee(ace.Trustee); err != nil {
		return ace, fmt.Errorf("ACE %s: trustee %s %v", valerr.Quote(body), valerr.Quote(ace.Trustee), err)
	}
	return ace, nil
}

// sddlACETypes and sddlACEFlags are the ACE types and flags of SDDL
// ([MS-DTYP] 2.5.1.1 and sddl.h); Windows refuses a descriptor with any
// other when it is set.
var (
	sddlACETypes = []string{"A", "D", "OA", "OD", "AU", "AL", "OU", "OL", "ML", "XA", "XD", "RA", "SP", "XU", "ZA", "TL", "FL"}
	sddlACEFlags = []string{"CI", "OI", "NP", "IO", "ID", "SA", "FA", "TP", "CR"}
)

// unknownACEFlag returns the first two-letter token of flags that is not
// an ACE flag, or "" when they all are.
func unknownACEFlag(flags string) string {
	f := strings.ToUpper(strings.TrimSpace(flags))
	for i := 0; i < len(f); i += 2 {
		tok := f[i:min(i+2, len(f))]
		if !slices.Contains(sddlACEFlags, tok) {
			return tok
		}
	}
	return ""
}

// sddlExtraAliases are the SID aliases an SDDL string may use that
// knownTrustees and domainAliases do not resolve: UD (user-mode drivers,
// in the sid-token list of [MS-DTYP] 2.5.1.1), and AS and SS (authority-
// and service-asserted identity, sddl.h's SDDL_AUTHORITY_ASSERTED and
// SDDL_SERVICE_ASSERTED).
var sddlExtraAliases = []string{"UD", "AS", "SS"}

// checkSDDLTrustee returns why s, the owner, group or trustee of an SDDL
// string, is neither a SID string nor a known two-letter alias; nil when
// it is one of them. Windows refuses such a descriptor only when it is
// set, as ERROR_INVALID_ACL (1336) or ERROR_INVALID_SID (1337).
func checkSDDLTrustee(s string) error {
	up := strings.ToUpper(strings.TrimSpace(s))
	if strings.HasPrefix(up, "S-") {
		if err := checkSIDString(up); err != nil {
			return fmt.Errorf("is not a valid SID: %v", err)
		}
		return nil
	}
	_, domain := domainAliases[up]
	if domain || slices.Contains(sddlExtraAliases, up) ||
		slices.ContainsFunc(knownTrustees, func(k struct{ alias, sid, name string }) bool { return k.alias != "" && k.alias == up }) {
		return nil
	}
	return fmt.Errorf("is neither a SID (S-1-...) nor a known alias (SY, BA, BU, WD, ...)")
}

// maxSubAuthorities is SID_MAX_SUB_AUTHORITIES.
const maxSubAuthorities = 15

// checkSIDString returns why s (upper case) is not a SID in the string
// format of [MS-DTYP] 2.4.2.1, S-1-<authority>-<sub-authority>...:
// revision 1; an identifier authority below 2^32 in decimal, or of up to 48
// bits in hexadecimal (0x...), as Windows writes the large ones; 1 to 15
// sub-authorities (SID_MAX_SUB_AUTHORITIES), each a 32-bit decimal number.
func checkSIDString(s string) error {
	parts := strings.Split(s, "-")
	if len(parts) < 4 || parts[0] != "S" {
		return fmt.Errorf("want S-1-<authority>-<sub-authority>..., with at least one sub-authority")
	}
	if parts[1] != "1" {
		return fmt.Errorf("revision %s: only revision 1 exists", valerr.Quote(parts[1]))
	}
	auth := parts[2]
	if h, ok := strings.CutPrefix(auth, "0X"); ok {
		if _, err := strconv.ParseUint(h, 16, 48); err != nil {
			return fmt.Errorf("identifier authority %s: want a 48-bit hexadecimal number", valerr.Quote(auth))
		}
	} else if _, err := strconv.ParseUint(auth, 10, 32); err != nil {
		return fmt.Errorf("identifier authority %s: want a 32-bit decimal number, or 0x and up to 48 bits in hexadecimal", valerr.Quote(auth))
	}
	subs := parts[3:]
	if len(subs) > maxSubAuthorities {
		return fmt.Errorf("%d sub-authorities; at most %d", len(subs), maxSubAuthorities)
	}
	for i, p := range subs {
		if _, err := strconv.ParseUint(p, 10, 32); err != nil {
			return fmt.Errorf("sub-authority %d %s: want a 32-bit decimal number", i+1, valerr.Quote(p))
		}
	}
	return nil
}

// String writes the descriptor back in SDDL, parts in the order O, G, D, S.
func (d *SDDL) String() string {
	var b strings.Builder
	if d.Owner != "" {
		b.WriteString("O:" + d.Owner)
	}
	if d.Group != "" {
		b.WriteString("G:" + d.Group)
	}
	if d.DACL != nil {
		b.WriteString("D:" + d.DACL.String())
	}
	if d.SACL != nil {
		b.WriteString("S:" + d.SACL.String())
	}
	return b.String()
}

// String writes the ACL's flags and entries in SDDL.
func (a *ACL) String() string {
	var b strings.Builder
	b.WriteString(a.Flags)
	for _, e := range a.Entries {
		b.WriteString(e.String())
	}
	return b.String()
}

// String writes the entry in SDDL. Rights keep the spelling they were
// parsed from unless they changed.
func (e ACE) String() string {
	rights := e.rightsText
	if r, err := parseSDDLRights(strings.TrimSpace(rights)); err != nil || r != e.Rights {
		rights = sddlRights(e.Rights)
	}
	s := strings.Join([]string{e.Type, e.Flags, rights, e.ObjectType, e.InheritedObjectType, e.Trustee}, ";")
	if e.Extra != "" {
		s += ";" + e.Extra
	}
	return "(" + s + ")"
}

// Null reports whether the DACL is a NULL DACL (NO_ACCESS_CONTROL), which
// grants everyone full control.
func (a *ACL) Null() bool { return strings.Contains(strings.ToUpper(a.Flags), "NO_ACCESS_CONTROL") }

// kind returns 'A' for an access-allowed entry, 'D' for access-denied, and
// 0 for entries that do not simply allow or deny (audit, object, callback,
// label), which Permissions does not interpret.
func (e ACE) kind() byte {
	switch strings.ToUpper(e.Type) {
	case "A":
		return 'A'
	case "D":
		return 'D'
	}
	return 0
}

// appliesToObject reports whether the entry applies to the service itself
// rather than only to children that inherit it.
func (e ACE) appliesToObject() bool { return !strings.Contains(strings.ToUpper(e.Flags), "IO") }

func (e ACE) inherited() bool { return strings.Contains(strings.ToUpper(e.Flags), "ID") }

// trustee resolves the entry's trustee; unknown aliases are kept as such.
func (e ACE) trustee() Trustee {
	if t, err := ParseTrustee(e.Trustee); err == nil {
		return t
	}
	return Trustee{Alias: strings.ToUpper(e.Trustee)}
}

// Permission is what the DACL allows and denies one trustee through the
// entries that name it (rights it gets through group membership are not
// included). Rights are mapped: generic rights appear as the service rights
// they stand for.
type Permission struct {
	Trustee Trustee `json:"trustee"`
	Allowed Rights  `json:"allowed"` // allowed and not denied by an earlier entry
	Denied  Rights  `json:"denied"`  // denied by an entry before any entry allows them
}

// Permissions evaluates the DACL for each trustee it names, in the order
// they first appear, the way Windows' access check does for a token holding
// only that SID: entries in order, the first entry that mentions a right
// decides it. A NULL DACL gives Everyone full control; a missing DACL (no
// "D:" part) gives nil.
func (d *SDDL) Permissions() []Permission {
	if d.DACL == nil {
		return nil
	}
	if d.DACL.Null() {
		everyone, _ := ParseTrustee("WD")
		return []Permission{{Trustee: everyone, Allowed: RightAllAccess}}
	}
	out := []Permission{}
	for _, e := range d.DACL.Entries {
		t := e.trustee()
		if !slices.ContainsFunc(out, func(p Permission) bool { return p.Trustee.key() == t.key() }) {
			allowed, denied := d.DACL.evaluate(t.key())
			out = append(out, Permission{Trustee: t, Allowed: allowed, Denied: denied})
		}
	}
	return out
}

// evaluate runs the access check for a token holding the SIDs (or aliases)
// in keys.
func (a *ACL) evaluate(keys ...string) (allowed, denied Rights) {
	if a.Null() {
		return RightAllAccess, 0
	}
	var decided Rights
	for _, e := range a.Entries {
		k := e.kind()
		if k == 0 || !e.appliesToObject() || !slices.Contains(keys, e.trustee().key()) {
			continue
		}
		bits := e.Rights.Mapped() &^ decided
		decided |= bits
		if k == 'A' {
			allowed |= bits
		} else {
			denied |= bits
		}
	}
	return allowed, denied
}

// Describe renders who may do what, one trustee per line:
//
//	SY (NT AUTHORITY\SYSTEM): allow query config, query status, start, stop
//	BA (BUILTIN\Administrators): allow full control
func (d *SDDL) Describe() string {
	switch {
	case d.DACL == nil:
		return "no DACL in this security descriptor\n"
	case d.DACL.Null():
		return "NULL DACL: everyone has full control\n"
	case len(d.DACL.Entries) == 0:
		return "empty DACL: no one has any access\n"
	}
	var b strings.Builder
	for _, p := range d.Permissions() {
		fmt.Fprintf(&b, "%s: allow %s", p.Trustee, p.Allowed.Describe())
		if p.Denied != 0 {
			fmt.Fprintf(&b, "; deny %s", p.Denied.Describe())
		}
		b.WriteString("\n")
	}
	return b.String()
}

// GrantRights returns sddl changed so that trustee is allowed rights: the
// rights are removed from the trustee's deny entries and added to its first
// allow entry, or to a new allow entry placed after the explicit entries.
// trustee is what ParseTrustee accepts. A NULL DACL already allows
// everything and is returned unchanged; a descriptor without a DACL is an
// error. It only edits the string: Service.GrantAccess reads, edits and
// writes a service's descriptor, and also takes account names.
func GrantRights(sddl, trustee string, rights Rights) (string, error) {
	return editDACL(sddl, trustee, rights, grantDACL)
}

// RevokeRights returns sddl with rights removed from every entry that
// allows them to trustee (entries left with no rights are dropped). It adds
// no deny entries: a right the trustee holds through a group stays. A NULL
// DACL or a descriptor without a DACL is an error. Service.RevokeAccess
// does the same to a service's descriptor.
func RevokeRights(sddl, trustee string, rights Rights) (string, error) {
	return editDACL(sddl, trustee, rights, revokeDACL)
}

// daclEdit changes a DACL for one trustee and a non-empty set of mapped
// rights.
type daclEdit func(acl *ACL, t Trustee, m Rights) error

func grantDACL(acl *ACL, t Trustee, m Rights) error {
	if acl.Null() {
		return nil
	}
	acl.removeRights(t, m, 'D')
	for i, e := range acl.Entries {
		if e.kind() == 'A' && e.plain() && !e.inherited() && e.trustee().key() == t.key() {
			acl.Entries[i].Rights = e.Rights.Mapped() | m
			return nil
		}
	}
	at := slices.IndexFunc(acl.Entries, ACE.inherited)
	if at < 0 {
		at = len(acl.Entries)
	}
	acl.Entries = slices.Insert(acl.Entries, at, ACE{Type: "A", Rights: m, Trustee: t.sddl()})
	return nil
}

func revokeDACL(acl *ACL, t Trustee, m Rights) error {
	if acl.Null() {
		return valerr.New(fieldSecurityDescriptor, "D:"+acl.String(),
			"a NULL DACL (NO_ACCESS_CONTROL) lets everyone do everything; set an explicit DACL first")
	}
	acl.removeRights(t, m, 'A')
	return nil
}

func editDACL(sddl, trustee string, rights Rights, edit daclEdit) (string, error) {
	d, err := Parse(sddl)
	if err != nil {
		return "", err
	}
	t, err := ParseTrustee(trustee)
	if err != nil {
		return "", err
	}
	if err := applyDACLEdit(d, t, rights, edit); err != nil {
		return "", err
	}
	return d.String(), nil
}

// Grant changes d's DACL as GrantRights does.
func (d *SDDL) Grant(t Trustee, rights Rights) error { return applyDACLEdit(d, t, rights, grantDACL) }

// Revoke changes d's DACL as RevokeRights does.
func (d *SDDL) Revoke(t Trustee, rights Rights) error { return applyDACLEdit(d, t, rights, revokeDACL) }

// fieldSecurityDescriptor names a security descriptor in validation errors
// (winsvc.FieldSecurityDescriptor).
const fieldSecurityDescriptor = "securityDescriptor"

// applyDACLEdit applies edit to d's DACL, which must exist.
func applyDACLEdit(d *SDDL, t Trustee, rights Rights, edit daclEdit) error {
	if d.DACL == nil {
		return valerr.New(fieldSecurityDescriptor, d.String(), "has no DACL (D:) to change")
	}
	if rights.Mapped() == 0 {
		return valerr.New("rights", rights, "no rights given")
	}
	return edit(d.DACL, t, rights.Mapped())
}

// plain reports whether the entry applies to the object itself, with no
// object type or condition, so that its rights can be edited.
func (e ACE) plain() bool {
	return e.appliesToObject() && e.ObjectType == "" && e.InheritedObjectType == "" && e.Extra == ""
}

// removeRights takes m out of the trustee's entries of kind k, dropping
// entries left empty.
func (a *ACL) removeRights(t Trustee, m Rights, k byte) {
	a.Entries = slices.DeleteFunc(a.Entries, func(e ACE) bool {
		return e.kind() == k && e.appliesToObject() && e.trustee().key() == t.key() && e.Rights.Mapped()&^m == 0
	})
	for i, e := range a.Entries {
		if e.kind() == k && e.appliesToObject() && e.trustee().key() == t.key() && e.Rights.Mapped()&m != 0 {
			a.Entries[i].Rights = e.Rights.Mapped() &^ m
		}
	}
}

// fullControlHolders are the trustees whose full control SetSecurityDescriptor
// protects, with the groups a token of theirs always holds: SYSTEM's token
// contains the Administrators group, and both are Everyone and
// Authenticated Users.
var fullControlHolders = []struct {
	name string
	keys []string
}{
	{`SYSTEM (SY)`, []string{"S-1-5-18", "S-1-5-32-544", "S-1-1-0", "S-1-5-11"}},
	{`Administrators (BA)`, []string{"S-1-5-32-544", "S-1-1-0", "S-1-5-11"}},
}

// CheckFullControl refuses a new DACL that takes full control
// (SERVICE_ALL_ACCESS) away from SYSTEM or the Administrators when the
// current DACL gives it to them. A descriptor without a DACL part leaves
// the DACL unchanged and passes.
func CheckFullControl(current, next *SDDL) error {
	if next.DACL == nil || current.DACL == nil {
		return nil
	}
	var lost []string
	for _, h := range fullControlHolders {
		before, _ := current.DACL.evaluate(h.keys...)
		after, _ := next.DACL.evaluate(h.keys...)
		if before.Includes(RightAllAccess) && !after.Includes(RightAllAccess) {
			lost = append(lost, fmt.Sprintf("%s (would keep: %s)", h.name, after.Describe()))
		}
	}
	if len(lost) > 0 {
		return valerr.New(fieldSecurityDescriptor, next.String(), fmt.Sprintf(
			"removes full control from %s; pass force to set it anyway", strings.Join(lost, " and ")))
	}
	return nil
}
