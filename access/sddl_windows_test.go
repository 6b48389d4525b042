//go:build windows

package access

import (
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// TestSIDCheckAgainstWindows: every SID string Parse accepts, the
// system's ConvertStringSidToSid accepts too and reads as the same SID, so
// a descriptor that passes the parser does not fail later as
// ERROR_INVALID_SID or ERROR_INVALID_ACL. What the system makes of the
// strings the parser refuses is logged, not asserted: Windows may be more
// lenient, and the parser is stricter on purpose.
func TestSIDCheckAgainstWindows(t *testing.T) {
	subs := func(n int) string { return "S-1-5" + strings.Repeat("-21", n) }
	for _, s := range []string{"S-1-5-18", "S-1-5-32-544", "S-1-1-0", "S-1-5-4294967295", "S-1-16-12288", subs(15),
		"S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", "S-1-5-21-1-2-3-1001", "S-1-5-80"} {
		if err := checkSIDString(s); err != nil {
			t.Fatalf("checkSIDString(%q): %v", s, err)
		}
		sid, err := windows.StringToSid(s)
		if err != nil {
			t.Errorf("the parser accepts %q, the system refuses it: %v", s, err)
			continue
		}
		if sid.String() != s {
			t.Errorf("the system reads %q as %s", s, sid)
		}
	}
	for _, s := range []string{"S-1-5-18-", "S-1-5--18", "S-2-5-18", "S-1-5-4294967296", "S-1-5-18x", subs(16), "S-1", "S-1-5", "S-1-5-0x20"} {
		if checkSIDString(s) == nil {
			t.Errorf("checkSIDString(%q) accepts it", s)
		}
		if _, err := windows.StringToSid(s); err == nil {
			t.Logf("the system accepts %q, which the parser refuses", s)
		}
	}
}
