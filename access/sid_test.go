package access

import (
	"strings"
	"testing"
)

func TestServiceSIDKnownValues(t *testing.T) {
	// Published values: sc showsid / whoami output and security templates
	// that name these SIDs with their NT SERVICE\ account.
	known := map[string]string{
		"TrustedInstaller": "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
		"MSSQLSERVER":      "S-1-5-80-3880718306-3832830129-1677859214-2598158968-1052248003",
		"WinDefend":        "S-1-5-80-1913148863-3492339771-4165695881-2087618961-4109116736",
		"WdiServiceHost":   "S-1-5-80-3139157870-2983391045-3678747466-658725712-1809340420",
		"MpsSvc":           "S-1-5-80-3088073201-1464728630-1879813800-1107566885-823218052",
	}
	for name, want := range known {
		if got := ServiceSID(name); got != want {
			t.Errorf("ServiceSID(%q) = %s, want %s", name, got, want)
		}
		if got := ServiceSID(strings.ToLower(name)); got != want {
			t.Errorf("ServiceSID(%q) = %s, want %s (names are case-insensitive)", strings.ToLower(name), got, want)
		}
	}
}

func TestServiceSIDShape(t *testing.T) {
	for _, name := range []string{"a", "Ünïcødé ☃", "name with spaces", strings.Repeat("x", 256), "𐐨"} {
		sid := ServiceSID(name)
		parts := strings.Split(sid, "-")
		if len(parts) != 9 || strings.Join(parts[:3], "-") != "S-1-5" || parts[3] != "80" {
			t.Errorf("ServiceSID(%q) = %s: not S-1-5-80 with five sub-authorities", name, sid)
		}
	}
	// Only code units in the Basic Multilingual Plane are upper-cased.
	if ServiceSID("ü") != ServiceSID("Ü") || ServiceSID("𐐨") == ServiceSID("𐐀") {
		t.Error("upper-casing does not follow RtlUpcaseUnicodeString")
	}
}

func TestVirtualAccount(t *testing.T) {
	if got := VirtualAccount("MySvc"); got != `NT SERVICE\MySvc` {
		t.Errorf("VirtualAccount = %q", got)
	}
}
