package access

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/internal/valerr"
)

// defaultDACL has the shape of a typical service's descriptor as
// `sc sdshow` prints it.
const defaultDACL = "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)" +
	"S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)"

func mustParseSDDL(t *testing.T, s string) *SDDL {
	t.Helper()
	d, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return d
}

func TestParseSDDLRoundTrip(t *testing.T) {
	for _, s := range []string{
		defaultDACL,
		"D:",
		"O:BAG:SYD:PAI(A;;GA;;;SY)(A;CIID;GRGX;;;BU)",
		"O:S-1-5-21-1-2-3-500G:DUD:(A;;0x1200a9;;;WD)",
		"D:NO_ACCESS_CONTROL",
		"D:(OA;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;AU)(XA;;RP;;;WD;(@User.Title==\"PM (a)\"))",
		"D:(A;;FA;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)",
		"S:(ML;;NW;;;LW)",
	} {
		d := mustParseSDDL(t, s)
		if got := d.String(); got != s {
			t.Errorf("round trip of %q gave %q", s, got)
		}
	}
}

func TestParseSDDLParts(t *testing.T) {
	d := mustParseSDDL(t, "O:BAG:SYD:P(A;CI;RPWP;;;BU)(D;;SD;;;WD)S:AI(AU;SA;WD;;;WD)")
	if d.Owner != "BA" || d.Group != "SY" || d.DACL.Flags != "P" || d.SACL.Flags != "AI" {
		t.Errorf("parts: %+v / %+v / %+v", d, d.DACL, d.SACL)
	}
	want := ACE{Type: "A", Flags: "CI", Rights: RightStart | RightStop, Trustee: "BU", rightsText: "RPWP"}
	if d.DACL.Entries[0] != want {
		t.Errorf("first ACE %+v, want %+v", d.DACL.Entries[0], want)
	}
	if d.DACL.Entries[1].Rights != RightDelete || len(d.SACL.Entries) != 1 {
		t.Errorf("entries: %+v, %+v", d.DACL.Entries, d.SACL.Entries)
	}
	if noDACL := mustParseSDDL(t, "O:SY"); noDACL.DACL != nil || noDACL.Permissions() != nil {
		t.Error("a descriptor without D: has a DACL")
	}
}

func TestParseSDDLErrors(t *testing.T) {
	for _, s := range []string{
		"D:(A;;XX;;;SY)",       // unknown right
		"D:(A;;RP;;)",          // too few fields
		"D:(A;;RP;;;SY",        // unbalanced
		"X:(A;;RP;;;SY)",       // unknown part
		"D:Q(A;;RP;;;SY)",      // unknown ACL flag
		"O:G:SY",               // empty owner
		"D:(A;;RP;;;SY)D:",     // D twice
		"D:(A;;RPW;;;SY)",      // odd letters
		"D:(A;;RP;;;)",         // no trustee
		"D:(A;;RP;;;SY) junk",  // trailing text
		"D:(;;RP;;;SY)",        // no type
		"D:(A;;0xZZ;;;SY)",     // bad number
		"D:(A;;RP;;;SY)(A;;RP", // unbalanced second
	} {
		_, err := Parse(s)
		var ve *valerr.Error
		if !errors.As(err, &ve) || ve.Field != "securityDescriptor" {
			t.Errorf("Parse(%q) = %v, want a securityDescriptor validation error", s, err)
		}
	}
}

// TestParseSDDLMalformedSID: an owner, group or trustee that is neither a
// well-formed SID nor a known alias is refused by the parser, with an error
// naming the SID and the ACE, instead of failing later in Windows as 1336.
func TestParseSDDLMalformedSID(t *testing.T) {
	subs := func(n int) string { return "S-1-5" + strings.Repeat("-21", n) }
	for _, tt := range []struct{ sddl, sid, why string }{
		{"D:(A;;RP;;;S-1-5-18-)", "S-1-5-18-", "sub-authority 2"},
		{"D:(A;;RP;;;S-1-5--18)", "S-1-5--18", "sub-authority 1"},
		{"D:(A;;RP;;;S-2-5-18)", "S-2-5-18", "revision"},
		{"D:(A;;RP;;;S-1-5-4294967296)", "S-1-5-4294967296", "32-bit"},
		{"D:(A;;RP;;;S-1-5-18x)", "S-1-5-18x", "32-bit"},
		{"D:(A;;RP;;;S-1-5-+18)", "S-1-5-+18", "32-bit"},
		{"D:(A;;RP;;;S-1-4294967296-1)", "S-1-4294967296-1", "32-bit decimal"},
		{"D:(A;;RP;;;S-1-0x1000000000000-1)", "S-1-0x1000000000000-1", "48-bit"},
		{"D:(A;;RP;;;S-1-5-0x20)", "S-1-5-0x20", "decimal"},
		{"D:(A;;RP;;;" + subs(16) + ")", subs(16), "at most 15"},
		{"D:(A;;RP;;;S-1)", "S-1", "want S-1-"},
		{"D:(A;;RP;;;S-1-5)", "S-1-5", "at least one sub-authority"},
		{"D:(A;;RP;;;SY)(D;;SD;;;ZZ)", "ZZ", "known alias"},
		{"D:(A;;RP;;;S)", "S", "known alias"},
		{"O:S-1-X-1D:", "S-1-X-1", "identifier authority"},
		{"G:QQD:", "QQ", "known alias"},
	} {
		_, err := Parse(tt.sddl)
		var ve *valerr.Error
		if !errors.As(err, &ve) || ve.Field != "securityDescriptor" {
			t.Errorf("Parse(%q) = %v, want a securityDescriptor validation error", tt.sddl, err)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, strconv.Quote(tt.sid)) || !strings.Contains(msg, tt.why) {
			t.Errorf("Parse(%q): %q does not name %q and say %q", tt.sddl, msg, tt.sid, tt.why)
		}
		if ace, ok := strings.CutPrefix(tt.sddl, "D:"); ok && !strings.Contains(msg, "ACE "+strconv.Quote(strings.Trim(ace[strings.LastIndex(ace, "("):], "()"))) {
			t.Errorf("Parse(%q): %q does not name the ACE", tt.sddl, msg)
		}
	}
	for _, ok := range []string{
		"D:(A;;RP;;;S-1-5-18)", "D:(A;;RP;;;S-1-5-80)", "D:(A;;RP;;;" + subs(15) + ")", "D:(A;;RP;;;S-1-5-4294967295)",
		"D:(A;;RP;;;S-1-0x123456789ABC-1)", "D:(A;;RP;;;S-1-0xFFFFFFFFFFFF-0)", "D:(A;;RP;;;S-1-4294967295-0)", "D:(A;;RP;;;s-1-5-32-544)",
		"D:(A;;RP;;;sy)(A;;RP;;;UD)(A;;RP;;;DA)(A;;RP;;;AS)", "O:S-1-5-21-1-2-3-500G:DU",
	} {
		if _, err := Parse(ok); err != nil {
			t.Errorf("Parse(%q): %v", ok, err)
		}
	}
	if _, err := ParseTrustee(subs(16)); !errors.Is(err, valerr.ErrInvalid) {
		t.Errorf("ParseTrustee of 16 sub-authorities: %v", err)
	}
}

func TestPermissions(t *testing.T) {
	d := mustParseSDDL(t, defaultDACL)
	ps := d.Permissions()
	want := []struct {
		alias   string
		allowed Rights
	}{
		{"SY", RightQueryConfig | RightQueryStatus | RightEnumerateDependents | RightStart | RightStop |
			RightPauseContinue | RightInterrogate | RightUserDefinedControl | RightReadControl},
		{"BA", RightAllAccess},
		{"IU", RightQueryConfig | RightQueryStatus | RightEnumerateDependents | RightInterrogate | RightUserDefinedControl | RightReadControl},
		{"SU", RightQueryConfig | RightQueryStatus | RightEnumerateDependents | RightInterrogate | RightUserDefinedControl | RightReadControl},
	}
	if len(ps) != len(want) {
		t.Fatalf("%d permissions, want %d: %+v", len(ps), len(want), ps)
	}
	for i, w := range want {
		if ps[i].Trustee.Alias != w.alias || ps[i].Allowed != w.allowed || ps[i].Denied != 0 {
			t.Errorf("permission %d = %+v, want %s allowed %s", i, ps[i], w.alias, w.allowed)
		}
	}
	if ps[1].Trustee.SID != "S-1-5-32-544" || ps[1].Trustee.Name != `BUILTIN\Administrators` {
		t.Errorf("BA resolved to %+v", ps[1].Trustee)
	}
}

func TestPermissionsOrderAndGenericRights(t *testing.T) {
	tests := []struct {
		sddl            string
		allowed, denied Rights
	}{
		// A deny before an allow wins; generic rights are mapped.
		{"D:(D;;RPWP;;;BU)(A;;GA;;;BU)", RightAllAccess &^ (RightStart | RightStop), RightStart | RightStop},
		// An allow before a deny wins for the rights it grants.
		{"D:(A;;RP;;;BU)(D;;RPWP;;;BU)", RightStart, RightStop},
		// Inherit-only entries do not apply to the service; the SID and
		// its alias are the same trustee.
		{"D:(A;IO;GA;;;BU)(A;;GR;;;S-1-5-32-545)", RightsQuery, 0},
		{"D:(A;;GX;;;BU)", RightStart | RightStop | RightPauseContinue | RightUserDefinedControl | RightReadControl, 0},
		{"D:(A;;GW;;;BU)", RightChangeConfig | RightReadControl, 0},
	}
	for _, tc := range tests {
		ps := mustParseSDDL(t, tc.sddl).Permissions()
		if len(ps) != 1 || ps[0].Allowed != tc.allowed || ps[0].Denied != tc.denied {
			t.Errorf("%s: %+v; want allowed %s, denied %s", tc.sddl, ps, tc.allowed, tc.denied)
		}
	}
	if ps := mustParseSDDL(t, "D:NO_ACCESS_CONTROL").Permissions(); len(ps) != 1 || ps[0].Trustee.Alias != "WD" || ps[0].Allowed != RightAllAccess {
		t.Errorf("NULL DACL: %+v", ps)
	}
}

func TestDescribe(t *testing.T) {
	got := mustParseSDDL(t, defaultDACL+"").Describe()
	want := `SY (NT AUTHORITY\SYSTEM): allow query config, query status, enumerate dependents, start, stop, pause/continue, interrogate, user control, read control
BA (BUILTIN\Administrators): allow full control
IU (NT AUTHORITY\INTERACTIVE): allow query config, query status, enumerate dependents, interrogate, user control, read control
SU (NT AUTHORITY\SERVICE): allow query config, query status, enumerate dependents, interrogate, user control, read control
`
	if got != want {
		t.Errorf("Describe:\n%s\nwant\n%s", got, want)
	}
	d := mustParseSDDL(t, "D:(D;;WP;;;WD)(A;;RPWPLC;;;S-1-5-80-0)")
	want = "WD (Everyone): allow none; deny stop\nS-1-5-80-0 (NT SERVICE\\ALL SERVICES): allow query status, start, stop\n"
	if got := d.Describe(); got != want {
		t.Errorf("Describe:\n%s\nwant\n%s", got, want)
	}
	for s, w := range map[string]string{"D:": "empty DACL", "D:NO_ACCESS_CONTROL": "NULL DACL", "O:BA": "no DACL"} {
		if got := mustParseSDDL(t, s).Describe(); !strings.HasPrefix(got, w) {
			t.Errorf("Describe(%s) = %q, want %s...", s, got, w)
		}
	}
}

// rightsEdit is one GrantRights or RevokeRights case.
type rightsEdit struct {
	sddl, trustee string
	rights        Rights
	want          string
}

func checkRightsEdits(t *testing.T, name string, edit func(string, string, Rights) (string, error), tests []rightsEdit) {
	t.Helper()
	for _, tc := range tests {
		got, err := edit(tc.sddl, tc.trustee, tc.rights)
		if err != nil || got != tc.want {
			t.Errorf("%s(%s, %s, %s) =\n %s, %v\nwant\n %s", name, tc.sddl, tc.trustee, tc.rights, got, err, tc.want)
		}
	}
}

func TestGrantRights(t *testing.T) {
	const base = "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)"
	checkRightsEdits(t, "GrantRights", GrantRights, []rightsEdit{
		// A new trustee gets a new entry at the end.
		{base, "BU", RightsStartStop, base + "(A;;RPWP;;;BU)"},
		// Names and SIDs resolve to the alias.
		{base, `BUILTIN\Users`, RightStart, base + "(A;;RP;;;BU)"},
		{base, "S-1-5-32-545", RightStart, base + "(A;;RP;;;BU)"},
		// A virtual service account is written as its SID.
		{base, `NT SERVICE\MySvc`, RightStart, base + "(A;;RP;;;" + ServiceSID("MySvc") + ")"},
		// An existing entry gets the rights (ascending SDDL order).
		{base, "IU", RightStart, "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWRPLOCRRC;;;IU)"},
		// Already granted: unchanged.
		{base, "SY", RightStart, base},
		// A deny for the right is removed (and emptied denies dropped).
		{"D:(D;;RP;;;BU)(D;;RPWP;;;WD)(A;;LC;;;BU)", "BU", RightStart, "D:(D;;RPWP;;;WD)(A;;LCRP;;;BU)"},
		{"D:(D;;RPWP;;;BU)", "BU", RightStart, "D:(D;;WP;;;BU)(A;;RP;;;BU)"},
		// New entries go before inherited ones; the SACL is kept.
		{"D:(A;;GA;;;SY)(A;ID;LC;;;WD)S:(AU;FA;GA;;;WD)", "BU", RightsQuery, "D:(A;;GA;;;SY)(A;;CCLCSWLORC;;;BU)(A;ID;LC;;;WD)S:(AU;FA;GA;;;WD)"},
		// A NULL DACL already grants everything.
		{"D:NO_ACCESS_CONTROL", "BU", RightStart, "D:NO_ACCESS_CONTROL"},
	})
}

func TestRevokeRights(t *testing.T) {
	checkRightsEdits(t, "RevokeRights", RevokeRights, []rightsEdit{
		{defaultDACL, "SY", RightStop,
			"D:(A;;CCLCSWRPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)"},
		// An entry left empty is dropped.
		{"D:(A;;RPWP;;;BU)(A;;LC;;;BU)", "BU", RightsStartStop, "D:(A;;LC;;;BU)"},
		// Generic rights are expanded before removing.
		{"D:(A;;GA;;;BU)", "BU", RightStart, "D:(A;;CCDCLCSWWPDTLOCRSDRCWDWO;;;BU)"},
		// Other trustees and deny entries are untouched; nothing to revoke.
		{"D:(D;;RP;;;BU)(A;;RP;;;WD)", "BU", RightStart, "D:(D;;RP;;;BU)(A;;RP;;;WD)"},
	})
}

func TestGrantRevokeErrors(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"no DACL", func() error { _, err := GrantRights("O:BA", "BU", RightStart); return err }(), "securityDescriptor"},
		{"NULL DACL revoke", func() error { _, err := RevokeRights("D:NO_ACCESS_CONTROL", "BU", RightStart); return err }(), "securityDescriptor"},
		{"unknown account", func() error { _, err := GrantRights("D:", `CONTOSO\bob`, RightStart); return err }(), "trustee"},
		{"no rights", func() error { _, err := GrantRights("D:", "BU", 0); return err }(), "rights"},
		{"bad SDDL", func() error { _, err := RevokeRights("D:(", "BU", RightStart); return err }(), "securityDescriptor"},
	}
	for _, tc := range tests {
		var ve *valerr.Error
		if !errors.As(tc.err, &ve) || ve.Field != tc.field {
			t.Errorf("%s: %v, want a validation error for %s", tc.name, tc.err, tc.field)
		}
	}
}

func TestCheckKeepsFullControl(t *testing.T) {
	const admins = "(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)"
	tests := []struct {
		current, next string
		refuse        string
	}{
		{defaultDACL, "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;RPWP;;;BA)", "Administrators"},
		{defaultDACL, "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(D;;SD;;;BA)" + admins, "Administrators"},
		{"D:(A;;GA;;;SY)" + admins, "D:(A;;GA;;;BA)", ""}, // SYSTEM keeps it through Administrators
		{"D:(A;;GA;;;SY)" + admins, "D:(A;;GA;;;SY)(A;;LC;;;BA)", "Administrators"},
		{"D:(A;;GA;;;SY)", "D:(A;;LC;;;SY)", "SYSTEM"},
		{defaultDACL, defaultDACL + "", ""},
		{defaultDACL, "D:(A;;GA;;;BA)(A;;RP;;;BU)", ""},
		{defaultDACL, "D:(A;;GA;;;WD)", ""},          // Everyone includes both
		{defaultDACL, "D:NO_ACCESS_CONTROL", ""},     // NULL DACL: everyone has everything
		{defaultDACL, "O:BA", ""},                    // no DACL part: the DACL is unchanged
		{"D:", "D:(A;;LC;;;SY)", ""},                 // Wine's empty DACL: no one had full control
		{"D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)", "D:", ""}, // SYSTEM did not have full control
	}
	for _, tc := range tests {
		err := CheckFullControl(mustParseSDDL(t, tc.current), mustParseSDDL(t, tc.next))
		switch {
		case tc.refuse == "" && err != nil:
			t.Errorf("%s -> %s: refused: %v", tc.current, tc.next, err)
		case tc.refuse != "":
			var ve *valerr.Error
			if !errors.As(err, &ve) || ve.Field != "securityDescriptor" || !strings.Contains(err.Error(), tc.refuse) ||
				!strings.Contains(err.Error(), "force") {
				t.Errorf("%s -> %s: %v; want a securityDescriptor refusal naming %s", tc.current, tc.next, err, tc.refuse)
			}
		}
	}
}

func TestServiceRights(t *testing.T) {
	if GenericAll.Mapped() != RightAllAccess || (GenericRead|RightStart).Mapped() != RightsQuery|RightStart {
		t.Error("generic mapping")
	}
	if got := (RightStart | RightReadControl | 0x100000).String(); got != "SERVICE_START|READ_CONTROL|0x100000" {
		t.Errorf("String = %q", got)
	}
	if got := GenericAll.Describe(); got != "full control" {
		t.Errorf("Describe(GA) = %q", got)
	}
	if got := Rights(0).Describe(); got != "none" {
		t.Errorf("Describe(0) = %q", got)
	}
	parse := map[string]Rights{
		"RPWP": RightsStartStop, "rpwp": RightsStartStop, "0x30": RightsStartStop, "48": RightsStartStop,
		"start,stop": RightsStartStop, "SERVICE_START|SERVICE_STOP": RightsStartStop, "start-stop": RightsStartStop,
		"query config, query status": RightQueryConfig | RightQueryStatus, "full": RightAllAccess, "GA": GenericAll,
		"query": RightsQuery, "Read Control": RightReadControl,
	}
	for s, want := range parse {
		if got, err := ParseRights(s); err != nil || got != want {
			t.Errorf("ParseRights(%q) = %s, %v; want %s", s, got, err, want)
		}
	}
	for _, bad := range []string{"", "jump", "start,fly"} {
		if _, err := ParseRights(bad); !errors.Is(err, valerr.ErrInvalid) {
			t.Errorf("ParseRights(%q) = %v, want valerr.ErrInvalid", bad, err)
		}
	}
	b, _ := json.Marshal(RightsStartStop)
	var back Rights
	if string(b) != `["SERVICE_START","SERVICE_STOP"]` || json.Unmarshal(b, &back) != nil || back != RightsStartStop {
		t.Errorf("JSON %s -> %s", b, back)
	}
	for r, want := range map[Rights]string{RightAllAccess: "CCDCLCSWRPWPDTLOCRSDRCWDWO", GenericAll: "GA",
		0x1200a9: "0x1200a9", 0: "0x0"} {
		if got := sddlRights(r); got != want {
			t.Errorf("sddlRights(%#x) = %s, want %s", uint32(r), got, want)
		}
	}
}

func TestParseTrustee(t *testing.T) {
	tests := map[string]Trustee{
		"SY":                         {SID: "S-1-5-18", Alias: "SY", Name: `NT AUTHORITY\SYSTEM`},
		"sy":                         {SID: "S-1-5-18", Alias: "SY", Name: `NT AUTHORITY\SYSTEM`},
		"S-1-5-32-544":               {SID: "S-1-5-32-544", Alias: "BA", Name: `BUILTIN\Administrators`},
		"everyone":                   {SID: "S-1-1-0", Alias: "WD", Name: "Everyone"},
		`nt authority\local service`: {SID: "S-1-5-19", Alias: "LS", Name: `NT AUTHORITY\LOCAL SERVICE`},
		"S-1-5-80-0":                 {SID: "S-1-5-80-0", Name: `NT SERVICE\ALL SERVICES`},
		`NT SERVICE\TrustedInstaller`: {SID: "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
			Name: `NT SERVICE\TrustedInstaller`},
		"S-1-5-21-1-2-3-1001": {SID: "S-1-5-21-1-2-3-1001"},
		"DA":                  {Alias: "DA", Name: "Domain Admins"},
	}
	for in, want := range tests {
		if got, err := ParseTrustee(in); err != nil || got != want {
			t.Errorf("ParseTrustee(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "ZZ", `CONTOSO\bob`, "S-1-", "S-2-5-18", `NT SERVICE\`} {
		if _, err := ParseTrustee(bad); !errors.Is(err, valerr.ErrInvalid) {
			t.Errorf("ParseTrustee(%q) = %v, want valerr.ErrInvalid", bad, err)
		}
	}
}

// TestParseSDDLUnknownACETypeOrFlag: an ACE whose type or flag SDDL does
// not have is refused by the parser, naming it and the ACE, instead of
// being kept as an entry that neither allows nor denies (or failing later
// in Windows); every type and flag of SDDL parses.
func TestParseSDDLUnknownACETypeOrFlag(t *testing.T) {
	for _, tt := range []struct{ sddl, want string }{
		{"D:(X;;CC;;;SY)", `type "X" is not an ACE type`},
		{"D:(;;CC;;;SY)", `type "" is not an ACE type`},
		{"D:(A;;CC;;;SY)(AA;;CC;;;BA)", `ACE "AA;;CC;;;BA": type "AA"`},
		{"D:(A;QQ;CC;;;SY)", `flag "QQ" is not an ACE flag`},
		{"D:(A;CIX;CC;;;SY)", `flag "X" is not an ACE flag`},
	} {
		_, err := Parse(tt.sddl)
		var ve *valerr.Error
		if !errors.As(err, &ve) || ve.Field != "securityDescriptor" || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want a securityDescriptor error saying %s", tt.sddl, err, tt.want)
		}
	}
	for _, typ := range sddlACETypes {
		for _, flag := range append([]string{""}, sddlACEFlags...) {
			if _, err := Parse("S:(" + strings.ToLower(typ) + ";" + flag + ";CC;;;SY)"); err != nil {
				t.Errorf("type %s, flag %s: %v", typ, flag, err)
			}
		}
	}
}
