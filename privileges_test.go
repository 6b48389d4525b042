package winsvc

import (
	"errors"
	"strings"
	"testing"
)

func TestPrivilegesList(t *testing.T) {
	// The 36 SE_*_NAME constants of winnt.h.
	if len(privileges) != 36 {
		t.Errorf("%d privileges, want 36", len(privileges))
	}
	seen := map[string]bool{}
	for _, p := range privileges {
		if !strings.HasPrefix(p, "Se") || !strings.HasSuffix(p, "Privilege") || seen[strings.ToLower(p)] {
			t.Errorf("bad or duplicate entry %q", p)
		}
		seen[strings.ToLower(p)] = true
	}
}

func TestValidatePrivilegeNames(t *testing.T) {
	if err := validatePrivileges([]string{"SeShutdownPrivilege", "seimpersonateprivilege", "SESYSTEMTIMEPRIVILEGE"}); err != nil {
		t.Errorf("known names in any case: %v", err)
	}
	if err := validatePrivileges(nil); err != nil {
		t.Errorf("nil: %v", err)
	}
	tests := []struct {
		in    []string
		field string
		hint  string
	}{
		{[]string{"SeShutdownPrivilege", "SeShutdownPrivilage"}, "requiredPrivileges[1]", "did you mean SeShutdownPrivilege?"},
		{[]string{"SeSystemTime"}, "requiredPrivileges[0]", "did you mean SeSystemtimePrivilege?"},
		{[]string{"SeServiceLogonRight"}, "requiredPrivileges[0]", "logon rights"},
		{[]string{"SeFrobnicatePrivilege"}, "requiredPrivileges[0]", "winsvc.Privileges()"},
		{[]string{""}, "requiredPrivileges[0]", "winsvc.Privileges()"},
	}
	for _, tc := range tests {
		err := validatePrivileges(tc.in)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != tc.field || !strings.Contains(err.Error(), tc.hint) {
			t.Errorf("%q: %v; want field %s with %q", tc.in, err, tc.field, tc.hint)
		}
	}
}

func TestCanonicalPrivilege(t *testing.T) {
	if p, ok := canonicalPrivilege("setcbprivilege"); !ok || p != "SeTcbPrivilege" {
		t.Errorf("canonicalPrivilege = %q, %v", p, ok)
	}
	if _, ok := canonicalPrivilege("SeTcb"); ok {
		t.Error("a partial name is not a privilege")
	}
}
