package desired

import (
	"errors"
	"testing"

	"github.com/winsvc/winsvc"
)

func TestSameDACL(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"D:(A;;GA;;;SY)", "D:(A;;GA;;;SY)", true},
		{"D:(A;;GA;;;SY)", "D:(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)", true},               // GA is every service right
		{"D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)", "D:(A;;CCLCSWRPWPDTLOCRRC;;;S-1-5-18)", true}, // SY is S-1-5-18
		{"D:(a;;cclc;;;sy)", "D:(A;;CCLC;;;SY)", true},
		{"D:PAI(A;CIOI;GA;;;SY)", "D:AIP(A;OICI;GA;;;SY)", true},
		{"D:(A;;GA;;;SY)", "D:(A;;GR;;;SY)", false},
		{"D:(A;;GA;;;SY)", "D:(D;;GA;;;SY)", false},
		{"D:(A;;GA;;;SY)", "D:(A;;GA;;;BA)", false},
		{"D:(A;;GA;;;SY)(A;;GA;;;BA)", "D:(A;;GA;;;BA)(A;;GA;;;SY)", false}, // order matters to Windows
		{"D:P(A;;GA;;;SY)", "D:(A;;GA;;;SY)", false},
		{"D:", "D:(A;;GA;;;SY)", false},
		{"D:", "D:", true},
		{"nonsense", "nonsense", true},
		{"nonsense", "D:", false},
	} {
		if got := sameDACL(c.a, c.b); got != c.same {
			t.Errorf("sameDACL(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestCheckDACL(t *testing.T) {
	for sddl, ok := range map[string]bool{
		"D:(A;;GA;;;SY)":        true,
		"D:":                    true,
		"O:SYD:(A;;GA;;;SY)":    false,
		"G:SYD:(A;;GA;;;SY)":    false,
		"D:(A;;GA;;;SY)S:":      false,
		"O:SY":                  false,
		"D:(A;;GA;;;SY":         false,
		"":                      false,
		"(A;;GA;;;SY)":          false,
		"D:NO_ACCESS_CONTROL":   true,
		"D:(A;;0x30;;;S-1-1-0)": true,
	} {
		err := checkDACL(sddl)
		if (err == nil) != ok || err != nil && !errors.Is(err, winsvc.ErrInvalid) {
			t.Errorf("checkDACL(%q) = %v", sddl, err)
		}
	}
}
