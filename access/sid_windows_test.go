//go:build windows

package access

import (
	"testing"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/testbed"
)

func TestServiceSIDIsAValidSID(t *testing.T) {
	for _, name := range []string{"TrustedInstaller", "i3-some-service", "Ünïcødé"} {
		sid, err := windows.StringToSid(ServiceSID(name))
		if err != nil || sid.String() != ServiceSID(name) {
			t.Errorf("%s: StringToSid(%s) = %v, %v", name, ServiceSID(name), sid, err)
		}
	}
}

func TestServiceSIDMatchesLookup(t *testing.T) {
	sid, _, _, err := windows.LookupSID("", VirtualAccount("TrustedInstaller"))
	if err != nil {
		if testbed.IsWine() {
			t.Skipf("Wine cannot look up virtual service accounts (%s: %v); ServiceSID is checked against published values natively", VirtualAccount("TrustedInstaller"), err)
		}
		t.Fatal(err)
	}
	if sid.String() != ServiceSID("TrustedInstaller") {
		t.Errorf("LookupAccountName says %s, ServiceSID %s", sid, ServiceSID("TrustedInstaller"))
	}
}
