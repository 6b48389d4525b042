//go:build windows

package winsvc

import (
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/access"
	"github.com/winsvc/winsvc/internal/testbed"
)

func TestSecurityDescriptorThroughSCM(t *testing.T) {
	ctx := context.Background()
	m := scmForTest(t)
	s := serviceForTest(t, m)
	if testbed.IsWine() {
		securityNotStored(t, s)
	}
	cur, err := s.SecurityDescriptor(ctx)
	if err != nil {
		t.Fatalf("SecurityDescriptor: %v", err)
	}
	parsed, err := access.Parse(cur)
	if err != nil {
		t.Fatalf("access.Parse(%q): %v", cur, err)
	}
	t.Logf("current DACL %q:\n%s", cur, parsed.Describe())
	want, err := access.GrantRights("D:(A;;GA;;;SY)(A;;GA;;;BA)", "BU", access.RightsStartStop|access.RightQueryStatus)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecurityDescriptor(ctx, want, SecurityOptions{}); err != nil {
		t.Fatalf("SetSecurityDescriptor(%s): %v", want, err)
	}
	got, err := s.SecurityDescriptor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if raw := testbed.ServiceDACL(t, s.Name()); !sameSDDL(t, raw, got) {
		t.Errorf("SecurityDescriptor = %s; GetNamedSecurityInfo reads %s", got, raw)
	}
	gotSD, err := access.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	wantSD, _ := access.Parse(want)
	for _, p := range wantSD.Permissions() {
		if allowed := allowedTo(gotSD, p.Trustee.SID); allowed != p.Allowed {
			t.Errorf("read back %s: %s has %s, want %s", got, p.Trustee, allowed.Describe(), p.Allowed.Describe())
		}
	}
}

// securityNotStored checks an SCM that stores no security descriptor
// (Wine's, docs/wine-scm.md §10): a read fails with ErrNotStored instead
// of reporting its empty DACL; a write (a grant, a revoke) fails with
// ErrNotStored instead of reporting success; GetNamedSecurityInfo, read
// without winsvc, shows that nothing changed. Then the test is skipped:
// no round trip can be made.
func securityNotStored(t *testing.T, s *Service) {
	t.Helper()
	ctx := context.Background()
	raw := testbed.ServiceDACL(t, s.Name())
	_, err := s.SecurityDescriptor(ctx)
	if !errors.Is(err, ErrNotStored) || !strings.Contains(err.Error(), `"D:"`) {
		t.Errorf("SecurityDescriptor under Wine = %v; want ErrNotStored, saying the SCM answers \"D:\"", err)
	}
	err = s.SetSecurityDescriptor(ctx, "D:(A;;GA;;;SY)(A;;GA;;;BA)", SecurityOptions{})
	if !errors.Is(err, ErrNotStored) || !strings.Contains(err.Error(), "not stored") {
		t.Errorf("SetSecurityDescriptor under Wine = %v; want ErrNotStored", err)
	}
	if _, err := s.GrantAccess(ctx, "BU", access.RightStart, SecurityOptions{}); !errors.Is(err, ErrNotStored) {
		t.Errorf("GrantAccess under Wine = %v; want ErrNotStored", err)
	}
	if _, err := s.RevokeAccess(ctx, "BU", access.RightStart, SecurityOptions{}); !errors.Is(err, ErrNotStored) {
		t.Errorf("RevokeAccess under Wine = %v; want ErrNotStored", err)
	}
	if after := testbed.ServiceDACL(t, s.Name()); after != raw {
		t.Errorf("GetNamedSecurityInfo read %s before the writes and %s after", raw, after)
	}
	t.Skipf("Wine's SCM stores no security descriptor (docs/wine-scm.md §10; GetNamedSecurityInfo reads %q): reads and writes report ErrNotStored, no round trip can be made", raw)
}

// sameSDDL reports whether two descriptors have the same DACL.
func sameSDDL(t *testing.T, a, b string) bool {
	t.Helper()
	da, errA := access.Parse(a)
	db, errB := access.Parse(b)
	if errA != nil || errB != nil {
		t.Fatalf("parsing %q, %q: %v, %v", a, b, errA, errB)
	}
	return da.DACL.Same(db.DACL)
}

// currentAccount returns the SID and domain\name of the account running
// the test, from the process token.
func currentAccount(t *testing.T) (sid, domain, name string) {
	t.Helper()
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		t.Fatalf("GetTokenUser: %v", err)
	}
	account, dom, _, err := u.User.Sid.LookupAccount("")
	if err != nil {
		t.Fatalf("LookupAccountSid(%s): %v", u.User.Sid, err)
	}
	return u.User.Sid.String(), dom, account
}

func TestLookupTrusteeThroughLookupAccountName(t *testing.T) {
	ctx := context.Background()
	m := scmForTest(t)
	sid, domain, name := currentAccount(t)
	forms := []string{domain + `\` + name, name}
	if host, err := windows.ComputerName(); err == nil && strings.EqualFold(host, domain) {
		forms = append(forms, `.\`+name) // a local account
	}
	for _, in := range forms {
		tr, err := m.LookupTrustee(ctx, in)
		if err != nil || tr.SID != sid || !strings.EqualFold(tr.Name, domain+`\`+name) {
			t.Errorf("LookupTrustee(%q) = %+v, %v; want %s (%s\\%s)", in, tr, err, sid, domain, name)
		}
	}
	if tr, err := m.LookupTrustee(ctx, "Administrators"); err != nil || tr.Alias != "BA" {
		t.Errorf("LookupTrustee(Administrators) = %+v, %v; want the BA alias", tr, err)
	}
	_, err := m.LookupTrustee(ctx, `.\winsvc-no-such-account`)
	if codeOf(err) != 1332 {
		t.Errorf("an unknown account: %v, want ERROR_NONE_MAPPED (1332)", err)
	}
}

// TestAccessEditsThroughSCM grants and revokes rights for the account
// running the test, named as an account name, through the service's
// descriptor.
func TestAccessEditsThroughSCM(t *testing.T) {
	ctx := context.Background()
	m := scmForTest(t)
	s := serviceForTest(t, m)
	if testbed.IsWine() {
		securityNotStored(t, s)
	}
	sid, domain, name := currentAccount(t)
	before, err := s.SecurityDescriptor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.GrantAccess(ctx, domain+`\`+name, access.RightsStartStop, SecurityOptions{})
	want, werr := access.GrantRights(before, sid, access.RightsStartStop)
	if err != nil || werr != nil || got != want {
		t.Fatalf("GrantAccess = %q, %v; want %q (%v)", got, err, want, werr)
	}
	after, err := s.SecurityDescriptor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := access.Parse(after)
	if err != nil {
		t.Fatal(err)
	}
	if allowed := allowedTo(parsed, sid); !allowed.Includes(access.RightsStartStop) {
		t.Errorf("after GrantAccess the DACL %s allows %s only %s", after, sid, allowed.Describe())
	}
	if _, err := s.RevokeAccess(ctx, domain+`\`+name, access.RightsStartStop, SecurityOptions{}); err != nil {
		t.Fatalf("RevokeAccess: %v", err)
	}
	after, _ = s.SecurityDescriptor(ctx)
	if parsed, err := access.Parse(after); err != nil || parsed.String() != mustParse(t, before).String() {
		t.Errorf("after RevokeAccess the DACL is %s, want the original %s", after, before)
	}
	// Taking DELETE from the Administrators removes their full control
	// (which the default DACL gives them): refused, nothing written.
	if _, err := s.RevokeAccess(ctx, "BA", access.RightDelete, SecurityOptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("revoking DELETE from BA = %v, want a refusal", err)
	}
	if now, _ := s.SecurityDescriptor(ctx); now != after {
		t.Errorf("the refused revoke changed the DACL: %s -> %s", after, now)
	}
}

// allowedTo is what d allows the trustee whose SID is sid, by its
// Permissions.
func allowedTo(d *access.SDDL, sid string) access.Rights {
	for _, p := range d.Permissions() {
		if p.Trustee.SID == sid {
			return p.Allowed
		}
	}
	return 0
}

func mustParse(t *testing.T, s string) *access.SDDL {
	t.Helper()
	d, err := access.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
