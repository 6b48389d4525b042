package winsvc

import (
	"context"
	"errors"
	"testing"
)

// fakeSCM and fakeSecurity stand in for a Windows SCM whose services have
// real security descriptors: Wine's always read "D:" and ignore sets, so
// the refusal logic cannot be reached there. Methods not listed panic.
type fakeSCM struct {
	scmConn
	svc    *fakeSecurity
	access []uint32 // the access asked for by each openService
}

func (f *fakeSCM) openService(name string, access uint32) (serviceConn, error) {
	f.access = append(f.access, access)
	return f.svc, nil
}

type fakeSecurity struct {
	serviceConn
	dacl    string
	setSDDL string
	setInfo uint32
}

func (f *fakeSecurity) close() error { return nil }

func (f *fakeSecurity) securityDescriptor(info uint32) (string, error) { return f.dacl, nil }

func (f *fakeSecurity) setSecurityDescriptor(sddl string, info uint32) error {
	f.setSDDL, f.setInfo = sddl, info
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
		{"forced", dropsAdmins, true, accessWriteDAC, daclSecurityInformation, false},
		{"owner and group", "O:BAG:SY", false, accessWriteOwner, ownerSecurityInformation | groupSecurityInformation, false},
		{"SACL", "S:(AU;FA;GA;;;WD)", false, accessAccessSystemSecurity, saclSecurityInformation, false},
	}
	for _, tc := range tests {
		s, scm := fakeService(defaultDACL)
		err := s.SetSecurityDescriptor(context.Background(), tc.sddl, tc.force)
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

func TestSetSecurityDescriptorValidatesFirst(t *testing.T) {
	for _, sddl := range []string{"D:(A;;ZZ;;;SY)", "", "   "} {
		s, scm := fakeService(defaultDACL)
		err := s.SetSecurityDescriptor(context.Background(), sddl, true)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != "securityDescriptor" {
			t.Errorf("%q: %v, want a securityDescriptor validation error", sddl, err)
		}
		if len(scm.access) != 0 {
			t.Errorf("%q: the service was opened before validation", sddl)
		}
	}
}
