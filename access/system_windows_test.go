//go:build windows

package access

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/testbed"
)

// TestSDDLAgainstWindowsParser converts SDDL strings with the system's
// ConvertStringSecurityDescriptorToSecurityDescriptor and compares every
// ACE's mask and SID with what Parse and ParseTrustee make of it.
func TestSDDLAgainstWindowsParser(t *testing.T) {
	for _, sddl := range []string{
		defaultDACL,
		"D:(A;;GA;;;SY)(A;;GRGX;;;BU)(D;;WPDT;;;AN)(A;;0x1200a9;;;WD)(A;;FA;;;NS)(A;;KR;;;LS)",
		"D:(A;;RPWPLC;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)(A;;CCLCSWLOCRRC;;;AU)",
	} {
		mine, err := Parse(sddl)
		if err != nil {
			t.Fatal(err)
		}
		sd, err := windows.SecurityDescriptorFromString(sddl)
		if err != nil {
			t.Fatalf("the system rejects %q: %v", sddl, err)
		}
		dacl, _, err := sd.DACL()
		if err != nil {
			t.Fatal(err)
		}
		if int(dacl.AceCount) != len(mine.DACL.Entries) {
			t.Fatalf("%s: the system has %d ACEs, Parse %d", sddl, dacl.AceCount, len(mine.DACL.Entries))
		}
		for i, e := range mine.DACL.Entries {
			var ace *windows.ACCESS_ALLOWED_ACE
			if err := windows.GetAce(dacl, uint32(i), &ace); err != nil {
				t.Fatal(err)
			}
			sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart)).String()
			if uint32(e.Rights) != uint32(ace.Mask) || e.trustee().SID != sid {
				t.Errorf("%s ACE %d: mask %#x SID %s; Parse %#x %s", sddl, i, ace.Mask, sid, uint32(e.Rights), e.trustee().SID)
			}
		}
	}
}

// TestTrusteeAliasesAgainstWindows resolves every alias with a fixed SID
// through the system's SDDL parser.
func TestTrusteeAliasesAgainstWindows(t *testing.T) {
	var unknown []string
	for _, k := range knownTrustees {
		if k.alias == "" {
			continue
		}
		sd, err := windows.SecurityDescriptorFromString("O:" + k.alias)
		if err != nil {
			unknown = append(unknown, k.alias)
			continue
		}
		owner, _, err := sd.Owner()
		if err != nil {
			t.Fatal(err)
		}
		if owner.String() != k.sid {
			t.Errorf("alias %s: the system says %s, the table %s", k.alias, owner, k.sid)
		}
	}
	if len(unknown) > 0 {
		if !testbed.IsWine() {
			t.Errorf("the system does not know the aliases %v", unknown)
		}
		t.Logf("Wine %s does not know the SDDL aliases %v; checked the others", testbed.WineVersion(), unknown)
	}
}
