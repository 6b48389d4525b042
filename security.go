package winsvc

import (
	"context"
	"errors"
	"fmt"

	"github.com/winsvc/winsvc/access"
)

// withSecurity runs fn with h's securityConn, or fails with
// errors.ErrUnsupported.
func withSecurity(h serviceConn, fn func(sc securityConn) error) error {
	sc, ok := platform(h).(securityConn)
	if !ok {
		return fmt.Errorf("security descriptors: %w", errors.ErrUnsupported)
	}
	return fn(sc)
}

// SecurityDescriptor returns the service's DACL in SDDL, as `sc sdshow`
// shows it (access.Parse and SDDL.Describe explain it). It needs
// READ_CONTROL, which most services grant every interactive user. On an
// SCM that stores no security descriptor (Wine's, which answers "D:", an
// empty DACL that would deny everyone, for every service), it fails with
// ErrNotStored, saying what the SCM answered.
func (s *Service) SecurityDescriptor(ctx context.Context) (string, error) {
	var sddl string
	q := s.m.quirks()
	err := s.m.withService(ctx, "sdshow", s.name, accessReadControl, func(h serviceConn) error {
		return withSecurity(h, func(sc securityConn) (err error) {
			sddl, err = readDACL(q, sc)
			return err
		})
	})
	return sddl, err
}

// readDACL reads the service's DACL in SDDL; on an SCM that stores no
// security descriptor, it fails with ErrNotStored.
func readDACL(q quirks, sc securityConn) (string, error) {
	sddl, err := sc.SecurityDescriptor(daclSecurityInformation)
	if err != nil || !q.SecurityUnstored {
		return sddl, err
	}
	return "", fmt.Errorf("the security descriptor is %w: it answers %q for every service, which is not a real descriptor, and keeps none it is given", ErrNotStored, sddl)
}

// SetSecurityDescriptor sets the parts of the service's security
// descriptor that sddl contains, as `sc sdset` does: D: needs WRITE_DAC
// and READ_CONTROL (to check the lockout, and to read the DACL back), O:
// and G: WRITE_OWNER, S: ACCESS_SYSTEM_SECURITY. A DACL that takes full
// control away from SYSTEM or the Administrators is refused unless
// opts.AllowLockout is set. A DACL is read back after the write: when the
// SCM accepted it but does not report it (an SCM that stores no security
// descriptor, Wine's), it fails with ErrNotStored.
func (s *Service) SetSecurityDescriptor(ctx context.Context, sddl string, opts SecurityOptions) error {
	force := opts.AllowLockout
	next, err := access.Parse(sddl)
	if err != nil {
		return &Error{Op: "sdset", Service: s.name, Err: err}
	}
	var info, mask uint32
	if next.DACL != nil {
		info, mask = info|daclSecurityInformation, mask|accessWriteDAC|accessReadControl
	}
	if next.Owner != "" {
		info, mask = info|ownerSecurityInformation, mask|accessWriteOwner
	}
	if next.Group != "" {
		info, mask = info|groupSecurityInformation, mask|accessWriteOwner
	}
	if next.SACL != nil {
		info, mask = info|saclSecurityInformation, mask|accessAccessSystemSecurity
	}
	if info == 0 {
		return &Error{Op: "sdset", Service: s.name, Err: invalid(string(FieldSecurityDescriptor), sddl, "has no O:, G:, D: or S: part to set")}
	}
	q := s.m.quirks()
	return s.m.withService(ctx, "sdset", s.name, mask, func(h serviceConn) error {
		return withSecurity(h, func(sc securityConn) error {
			if next.DACL != nil && !force && !q.SecurityUnstored {
				current, _, err := currentDACL(q, sc)
				if err != nil {
					return err
				}
				if err := access.CheckFullControl(current, next); err != nil {
					return err
				}
			}
			if err := sc.SetSecurityDescriptor(sddl, info); err != nil {
				return err
			}
			if q.SecurityUnstored {
				return fmt.Errorf("the security descriptor was accepted and %w: it keeps none it is given", ErrNotStored)
			}
			if next.DACL == nil {
				return nil
			}
			return checkStored(sc, next)
		})
	})
}

// checkStored reads the DACL back after a write of next's, and fails with
// ErrNotStored when the SCM does not report it.
func checkStored(sc securityConn, next *access.SDDL) error {
	got, text, err := currentDACL(quirks{}, sc)
	switch {
	case err != nil:
		return fmt.Errorf("the DACL was set, but reading it back failed: %w", err)
	case !got.DACL.Same(next.DACL):
		return fmt.Errorf("the DACL was accepted and %w: it reports %q", ErrNotStored, text)
	}
	return nil
}

// currentDACL reads the service's DACL and parses it; it returns the SDDL
// text too.
func currentDACL(q quirks, sc securityConn) (*access.SDDL, string, error) {
	cur, err := readDACL(q, sc)
	if errors.Is(err, ErrNotStored) {
		return nil, "", err
	}
	if err != nil {
		return nil, "", fmt.Errorf("reading the current DACL: %w", err)
	}
	parsed, err := access.Parse(cur)
	if err != nil {
		return nil, "", fmt.Errorf("parsing the current DACL %q: %w", cur, err)
	}
	return parsed, cur, nil
}

// GrantAccess allows trustee the given rights on the service: it reads
// the DACL, edits it as access.GrantRights does and writes it back through
// one READ_CONTROL|WRITE_DAC handle, and returns the DACL now in effect
// (nothing is written when the trustee had the rights). trustee is what
// Manager.LookupTrustee resolves: a SID, an alias, a well-known or an
// account name (`.\bob`, `CONTOSO\Helpdesk`).
func (s *Service) GrantAccess(ctx context.Context, trustee string, rights access.Rights, opts SecurityOptions) (string, error) {
	return s.editAccess(ctx, "grant", trustee, rights, opts.AllowLockout, (*access.SDDL).Grant)
}

// RevokeAccess takes the given rights away from trustee on the service, as
// GrantAccess grants them, editing the DACL as access.RevokeRights does (no
// deny entry is added). Taking full control away from SYSTEM or the
// Administrators is refused unless opts.AllowLockout is set.
func (s *Service) RevokeAccess(ctx context.Context, trustee string, rights access.Rights, opts SecurityOptions) (string, error) {
	return s.editAccess(ctx, "revoke", trustee, rights, opts.AllowLockout, (*access.SDDL).Revoke)
}

// SecurityOptions tune SetSecurityDescriptor, GrantAccess and RevokeAccess.
type SecurityOptions struct {
	// AllowLockout lets a change take full control of the service away
	// from SYSTEM or the Administrators, which is refused otherwise: after
	// it, no administrator may be able to change the service again.
	AllowLockout bool
}

func (s *Service) editAccess(ctx context.Context, op, trustee string, rights access.Rights, force bool, edit func(*access.SDDL, access.Trustee, access.Rights) error) (string, error) {
	if rights.Mapped() == 0 {
		return "", &Error{Op: op, Service: s.name, Err: invalid("rights", rights, "no rights given")}
	}
	t, err := s.m.resolveTrustee(ctx, op, s.name, trustee)
	if err != nil {
		return "", err
	}
	var out string
	q := s.m.quirks()
	err = s.m.withService(ctx, op, s.name, accessReadControl|accessWriteDAC, func(h serviceConn) error {
		return withSecurity(h, func(sc securityConn) error {
			current, cur, err := currentDACL(q, sc)
			if err != nil {
				return err
			}
			next, _ := access.Parse(cur) // a second copy to edit
			if err := edit(next, t, rights); err != nil {
				return err
			}
			// Only the DACL is written (and compared): it is all that was read.
			if out = (&access.SDDL{DACL: next.DACL}).String(); out == (&access.SDDL{DACL: current.DACL}).String() {
				return nil // nothing to change
			}
			if !force {
				if err := access.CheckFullControl(current, next); err != nil {
					return err
				}
			}
			if err := sc.SetSecurityDescriptor(out, daclSecurityInformation); err != nil {
				return err
			}
			return checkStored(sc, next)
		})
	})
	return out, err
}
