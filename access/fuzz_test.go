package access

import (
	"errors"
	"reflect"
	"testing"

	"github.com/winsvc/winsvc/internal/valerr"
)

func FuzzParseSDDL(f *testing.F) {
	for _, s := range []string{
		defaultDACL,
		"O:BAG:SYD:PAI(A;;GA;;;SY)(A;CIID;GRGX;;;BU)(D;;WP;;;S-1-5-21-1-2-3-1001)",
		"D:NO_ACCESS_CONTROL",
		"D:(OA;;CR;ab721a53-1e2f-11d0-9819-00aa0040529b;;AU)(XA;;RP;;;WD;(@User.Title==\"PM (a)\"))",
		"S:(ML;;NW;;;LW)",
		"D:(A;;0x1200a9;;;S-1-0x123456789ABC-1)",
		"D:(A;;RP;;;S-1-5-18-)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			var ve *valerr.Error
			if !errors.As(err, &ve) || ve.Field != fieldSecurityDescriptor {
				t.Fatalf("Parse(%q): %v is not a securityDescriptor validation error", s, err)
			}
			return
		}
		out := d.String()
		d2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q) wrote %q, which does not parse: %v", s, out, err)
		}
		if !reflect.DeepEqual(d, d2) || d2.String() != out {
			t.Fatalf("Parse(%q) = %+v; its String %q parses to %+v", s, d, out, d2)
		}
		_ = d.Describe()
		_ = CheckFullControl(d, d2)
		for _, edit := range []func(string, string, Rights) (string, error){GrantRights, RevokeRights} {
			if e, err := edit(out, "BU", RightStart|RightStop); err == nil {
				if _, err := Parse(e); err != nil {
					t.Fatalf("an edit of %q gave %q, which does not parse: %v", out, e, err)
				}
			}
		}
	})
}
