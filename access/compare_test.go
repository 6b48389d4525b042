package access

import "testing"

func TestACLSame(t *testing.T) {
	parse := func(s string) *ACL {
		d, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return d.DACL
	}
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"D:(A;;GA;;;SY)", "D:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;S-1-5-18)", true}, // mapped rights, trustees by SID
		{"D:PAI(A;CIOI;GA;;;SY)", "D:AIP(A;OICI;GA;;;SY)", true},
		{"D:(A;;GA;;;SY)(A;;GA;;;BA)", "D:(A;;GA;;;BA)(A;;GA;;;SY)", false}, // order matters
		{"D:", "D:(A;;GA;;;SY)", false},
		{"O:SY", "D:", false}, // no DACL is not an empty one
		{"O:SY", "G:SY", true},
	} {
		if got := parse(c.a).Same(parse(c.b)); got != c.same {
			t.Errorf("%q Same %q = %v", c.a, c.b, got)
		}
	}
}
