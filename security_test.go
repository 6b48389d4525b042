package winsvc

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/access"
)

// defaultDACL has the shape of a typical service's descriptor as
// `sc sdshow` prints it.
const defaultDACL = "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)" +
	"S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)"

// fakeSCM and fakeSecurity stand in for a Windows SCM whose services have
// real security descriptors: Wine's always read "D:" and ignore sets, so
// the refusal logic cannot be reached there. Methods not listed panic.
type fakeSCM struct {
	scmConn
	q        quirks
	svc      *fakeSecurity
	access   []uint32             // the access asked for by each openService
	accounts map[string][2]string // name -> SID, canonical name, for lookupAccount
	lookedUp []string
}

func (f *fakeSCM) LookupAccount(name string) (string, string, error) {
	f.lookedUp = append(f.lookedUp, name)
	if a, ok := f.accounts[name]; ok {
		return a[0], a[1], nil
	}
	return "", "", Errno(1332) // ERROR_NONE_MAPPED
}

func (f *fakeSCM) quirks() quirks { return f.q }

func (f *fakeSCM) openService(name string, access uint32) (serviceConn, error) {
	f.access = append(f.access, access)
	return f.svc, nil
}

type fakeSecurity struct {
	serviceConn
	dacl    string // the descriptor a read returns
	setSDDL string
	setInfo uint32
	ignore  bool // a set succeeds and stores nothing, as Wine's SCM does
}

func (f *fakeSecurity) close() error { return nil }

func (f *fakeSecurity) SecurityDescriptor(info uint32) (string, error) { return f.dacl, nil }

func (f *fakeSecurity) SetSecurityDescriptor(sddl string, info uint32) error {
	f.setSDDL, f.setInfo = sddl, info
	if cur, err := access.Parse(f.dacl); err == nil && info&daclSecurityInformation != 0 && !f.ignore {
		next, _ := access.Parse(sddl)
		cur.DACL = next.DACL
		f.dacl = cur.String()
	}
	return nil
}

func fakeService(dacl string) (*Service, *fakeSCM) {
	scm := &fakeSCM{svc: &fakeSecurity{dacl: dacl}}
	return &Service{m: &Manager{conn: scm}, name: "svc"}, scm
}

func TestSecurityDescriptorAsksForReadControlOnly(t *testing.T) {
	s, scm := fakeService(defaultDACL)
	got, err := s.SecurityDescriptor(context.Background())
	if err != nil || got != defaultDACL {
		t.Fatalf("SecurityDescriptor = %q, %v", got, err)
	}
	if len(scm.access) != 1 || scm.access[0] != accessReadControl {
		t.Errorf("opened with %#x, want READ_CONTROL only", scm.access)
	}
}

func TestSetSecurityDescriptor(t *testing.T) {
	const keepsAdmins = "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;GA;;;BA)(A;;RPWP;;;BU)"
	const dropsAdmins = "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;RPWP;;;BA)"
	tests := []struct {
		name    string
		sddl    string
		force   bool
		access  uint32
		info    uint32
		refused bool
	}{
		{"DACL", keepsAdmins, false, accessWriteDAC | accessReadControl, daclSecurityInformation, false},
		{"refused", dropsAdmins, false, accessWriteDAC | accessReadControl, 0, true},
		{"forced", dropsAdmins, true, accessWriteDAC | accessReadControl, daclSecurityInformation, false},
		{"owner and group", "O:BAG:SY", false, accessWriteOwner, ownerSecurityInformation | groupSecurityInformation, false},
		{"SACL", "S:(AU;FA;GA;;;WD)", false, accessAccessSystemSecurity, saclSecurityInformation, false},
	}
	for _, tc := range tests {
		s, scm := fakeService(defaultDACL)
		err := s.SetSecurityDescriptor(context.Background(), tc.sddl, SecurityOptions{AllowLockout: tc.force})
		var ve *ValidationError
		var e *Error
		switch {
		case tc.refused:
			if !errors.As(err, &ve) || ve.Field != "securityDescriptor" || !errors.As(err, &e) || e.Op != "sdset" || e.Service != "svc" {
				t.Errorf("%s: %v; want an sdset *Error wrapping a securityDescriptor *ValidationError", tc.name, err)
			}
			if scm.svc.setSDDL != "" {
				t.Errorf("%s: set %q despite the refusal", tc.name, scm.svc.setSDDL)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case scm.svc.setSDDL != tc.sddl || scm.svc.setInfo != tc.info:
			t.Errorf("%s: set %q with info %#x, want %q with %#x", tc.name, scm.svc.setSDDL, scm.svc.setInfo, tc.sddl, tc.info)
		}
		if len(scm.access) != 1 || scm.access[0] != tc.access {
			t.Errorf("%s: opened with %#x, want %#x", tc.name, scm.access, tc.access)
		}
	}
}

// An SCM that stores no security descriptor (Wine's): a read fails with
// ErrNotStored, saying what the SCM answered, instead of reporting an
// empty DACL that would deny everyone; a write, and a grant, report that
// nothing was stored (a grant writes nothing: the DACL it would edit is
// unknown). An SCM without the quirk that accepts a DACL and reports
// another is caught by the read-back.
func TestSecurityDescriptorNotStored(t *testing.T) {
	ctx := context.Background()
	notStored := func(what string, err error) {
		t.Helper()
		var e *Error
		if !errors.Is(err, ErrNotStored) || !errors.Is(err, errors.ErrUnsupported) || !errors.As(err, &e) || e.Service != "svc" ||
			!strings.Contains(err.Error(), "not stored") {
			t.Errorf("%s = %v; want an *Error matching ErrNotStored and errors.ErrUnsupported", what, err)
		}
	}
	s, scm := fakeService("D:")
	scm.q, scm.svc.ignore = quirks{SecurityUnstored: true}, true
	got, err := s.SecurityDescriptor(ctx)
	notStored("SecurityDescriptor on an SCM that stores none", err)
	if got != "" || !strings.Contains(err.Error(), `"D:"`) {
		t.Errorf("SecurityDescriptor = %q, %v; want no descriptor, and the error to show what the SCM answered", got, err)
	}
	notStored("SetSecurityDescriptor on an SCM that stores none", s.SetSecurityDescriptor(ctx, "D:(A;;GA;;;SY)(A;;GA;;;BA)", SecurityOptions{}))
	_, err = s.GrantAccess(ctx, "BU", access.RightStart, SecurityOptions{})
	notStored("GrantAccess on an SCM that stores none", err)
	if scm.svc.setSDDL != "D:(A;;GA;;;SY)(A;;GA;;;BA)" {
		t.Errorf("wrote %q; want only SetSecurityDescriptor's DACL (a grant cannot know the DACL it edits)", scm.svc.setSDDL)
	}

	s, scm = fakeService(defaultDACL)
	scm.svc.ignore = true // no quirk known: the read-back finds out
	notStored("SetSecurityDescriptor of a DACL the SCM does not keep", s.SetSecurityDescriptor(ctx, "D:(A;;GA;;;SY)(A;;GA;;;BA)", SecurityOptions{}))
	_, err = s.GrantAccess(ctx, "BU", access.RightStart, SecurityOptions{})
	notStored("GrantAccess of a DACL the SCM does not keep", err)
}

func TestSetSecurityDescriptorValidatesFirst(t *testing.T) {
	for _, sddl := range []string{"D:(A;;ZZ;;;SY)", "", "   "} {
		s, scm := fakeService(defaultDACL)
		err := s.SetSecurityDescriptor(context.Background(), sddl, SecurityOptions{AllowLockout: true})
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != "securityDescriptor" {
			t.Errorf("%q: %v, want a securityDescriptor validation error", sddl, err)
		}
		if len(scm.access) != 0 {
			t.Errorf("%q: the service was opened before validation", sddl)
		}
	}
}

func TestGrantAccess(t *testing.T) {
	const bob = "S-1-5-21-1-2-3-1001"
	const dacl = "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)"
	ctx := context.Background()
	s, scm := fakeService(dacl)
	scm.accounts = map[string][2]string{`.\bob`: {bob, `HOST\bob`}}
	got, err := s.GrantAccess(ctx, `.\bob`, access.RightsStartStop|access.RightQueryStatus, SecurityOptions{})
	want := dacl + "(A;;LCRPWP;;;" + bob + ")" // LC is SERVICE_QUERY_STATUS
	if err != nil || got != want {
		t.Fatalf("GrantAccess = %q, %v; want %q", got, err, want)
	}
	if scm.svc.setSDDL != want || scm.svc.setInfo != daclSecurityInformation {
		t.Errorf("wrote %q with info %#x, want %q with DACL_SECURITY_INFORMATION", scm.svc.setSDDL, scm.svc.setInfo, want)
	}
	if len(scm.access) != 1 || scm.access[0] != accessReadControl|accessWriteDAC {
		t.Errorf("opened with %#x, want READ_CONTROL|WRITE_DAC once", scm.access)
	}
	if len(scm.lookedUp) != 1 || scm.lookedUp[0] != `.\bob` {
		t.Errorf("looked up %q", scm.lookedUp)
	}

	// Already granted: nothing is written.
	s, scm = fakeService(dacl)
	if got, err := s.GrantAccess(ctx, "SY", access.RightStart, SecurityOptions{}); err != nil || got != dacl || scm.svc.setSDDL != "" {
		t.Errorf("granting what SY has = %q, %v; wrote %q", got, err, scm.svc.setSDDL)
	}
	// Only the DACL is written, whatever else the descriptor read holds.
	s, scm = fakeService(defaultDACL)
	if got, err := s.GrantAccess(ctx, "BU", access.RightStart, SecurityOptions{}); err != nil || strings.Contains(got, "S:") || !strings.HasSuffix(got, "(A;;RP;;;BU)") || scm.svc.setSDDL != got {
		t.Errorf("GrantAccess on a descriptor with a SACL = %q, %v; wrote %q", got, err, scm.svc.setSDDL)
	}
}

func TestRevokeAccess(t *testing.T) {
	ctx := context.Background()
	s, scm := fakeService(defaultDACL)
	got, err := s.RevokeAccess(ctx, `NT AUTHORITY\INTERACTIVE`, access.RightQueryStatus, SecurityOptions{})
	want := "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)"
	if err != nil || got != want || scm.svc.setSDDL != want {
		t.Fatalf("RevokeAccess = %q, %v (wrote %q); want %q", got, err, scm.svc.setSDDL, want)
	}
	// Taking DELETE from the Administrators removes their full control:
	// refused unless forced.
	s, scm = fakeService(defaultDACL)
	_, err = s.RevokeAccess(ctx, "BA", access.RightDelete, SecurityOptions{})
	var ve *ValidationError
	var e *Error
	if !errors.As(err, &ve) || ve.Field != "securityDescriptor" || !errors.As(err, &e) || e.Op != "revoke" || scm.svc.setSDDL != "" {
		t.Errorf("revoking DELETE from BA = %v (wrote %q); want a revoke *Error wrapping a securityDescriptor refusal", err, scm.svc.setSDDL)
	}
	s, scm = fakeService(defaultDACL)
	if got, err := s.RevokeAccess(ctx, "BA", access.RightDelete, SecurityOptions{AllowLockout: true}); err != nil || !strings.Contains(got, "(A;;CCDCLCSWRPWPDTLOCRRCWDWO;;;BA)") || scm.svc.setSDDL != got {
		t.Errorf("forced revoke = %q, %v (wrote %q)", got, err, scm.svc.setSDDL)
	}
	// Nothing to revoke: nothing written. A NULL DACL: an error.
	s, scm = fakeService("D:(A;;RP;;;WD)")
	if got, err := s.RevokeAccess(ctx, "BU", access.RightStart, SecurityOptions{}); err != nil || got != "D:(A;;RP;;;WD)" || scm.svc.setSDDL != "" {
		t.Errorf("revoking what BU does not have = %q, %v (wrote %q)", got, err, scm.svc.setSDDL)
	}
	s, scm = fakeService("D:NO_ACCESS_CONTROL")
	if _, err := s.RevokeAccess(ctx, "BU", access.RightStart, SecurityOptions{}); !errors.As(err, &ve) || ve.Field != "securityDescriptor" || scm.svc.setSDDL != "" {
		t.Errorf("revoking from a NULL DACL = %v", err)
	}
}

// TestAccessEditsValidateFirst checks that no rights, an unknown account
// and an account name on a connection that cannot look names up fail
// before the service is opened.
func TestAccessEditsValidateFirst(t *testing.T) {
	ctx := context.Background()
	s, scm := fakeService(defaultDACL)
	var ve *ValidationError
	if _, err := s.GrantAccess(ctx, "BU", 0, SecurityOptions{}); !errors.As(err, &ve) || ve.Field != "rights" {
		t.Errorf("no rights: %v", err)
	}
	if _, err := s.RevokeAccess(ctx, `CONTOSO\nobody`, access.RightStart, SecurityOptions{}); !errors.Is(err, Errno(1332)) {
		t.Errorf("unknown account: %v, want the lookup's ERROR_NONE_MAPPED", err)
	}
	if _, err := s.GrantAccess(ctx, "x;y", access.RightStart, SecurityOptions{}); !errors.As(err, &ve) || ve.Field != "trustee" {
		t.Errorf("malformed trustee: %v", err)
	}
	noLookup := &Service{m: &Manager{conn: struct{ scmConn }{scm}}, name: "svc"}
	if _, err := noLookup.GrantAccess(ctx, `.\bob`, access.RightStart, SecurityOptions{}); !errors.Is(err, errors.ErrUnsupported) || !errors.As(err, &ve) {
		t.Errorf("an account name without a lookup: %v, want a trustee validation error matching ErrUnsupported", err)
	}
	if len(scm.access) != 0 || scm.svc.setSDDL != "" {
		t.Errorf("opened %#x, wrote %q before validating", scm.access, scm.svc.setSDDL)
	}
}
