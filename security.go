package winsvc

import (
	"context"
	"errors"
	"fmt"

	"github.com/winsvc/winsvc/access"
)

// Security information flags (SECURITY_INFORMATION) and the access rights
// they need on the service handle.
const (
	ownerSecurityInformation uint32 = 0x1
	groupSecurityInformation uint32 = 0x2
	daclSecurityInformation  uint32 = 0x4
	saclSecurityInformation  uint32 = 0x8

	accessWriteOwner           uint32 = 0x80000
	accessAccessSystemSecurity uint32 = 0x01000000
)

// securityConn is implemented by service handles that can read and write
// the service's security descriptor (QueryServiceObjectSecurity and
// SetServiceObjectSecurity). It is kept apart from serviceConn so that
// fakes of serviceConn need not implement it.
type securityConn interface {
	securityDescriptor(info uint32) (string, error)
	setSecurityDescriptor(sddl string, info uint32) error
}

// withSecurity runs fn with h's securityConn, or fails with
// errors.ErrUnsupported.
func withSecurity(h serviceConn, fn func(sc securityConn) error) error {
	sc, ok := h.(securityConn)
	if !ok {
		return fmt.Errorf("security descriptors: %w", errors.ErrUnsupported)
	}
	return fn(sc)
}

// SecurityDescriptor returns the service's discretionary access control
// list as an SDDL string ("D:(A;;...;;;SY)..."), as `sc sdshow` shows it.
// ParseSDDL and access.SDDL.Describe render who may do what. It needs READ_CONTROL,
// which the service's DACL usually grants to every interactive user.
func (s *Service) SecurityDescriptor(ctx context.Context) (string, error) {
	var sddl string
	err := s.m.withService(ctx, "sdshow", s.name, accessReadControl, func(h serviceConn) error {
		return withSecurity(h, func(sc securityConn) (err error) {
			sddl, err = sc.securityDescriptor(daclSecurityInformation)
			return err
		})
	})
	return sddl, err
}

// SetSecurityDescriptor sets the parts of the service's security descriptor
// that sddl contains, as `sc sdset` does: the DACL ("D:", needs WRITE_DAC),
// the owner and group ("O:", "G:", need WRITE_OWNER) and the SACL ("S:",
// needs ACCESS_SYSTEM_SECURITY, which only a caller with SeSecurityPrivilege
// enabled gets).
//
// Unless opts.AllowLockout is set, it refuses, with a *ValidationError for
// the field "securityDescriptor", a DACL that takes full control away from
// SYSTEM or the Administrators when the current DACL gives it to them: such
// a DACL can lock administrators out of the service. It then also needs
// READ_CONTROL to read the current DACL.
func (s *Service) SetSecurityDescriptor(ctx context.Context, sddl string, opts SecurityOptions) error {
	force := opts.AllowLockout
	next, err := access.Parse(sddl)
	if err != nil {
		return &Error{Op: "sdset", Service: s.name, Err: err}
	}
	var info, mask uint32
	if next.DACL != nil {
		info, mask = info|daclSecurityInformation, mask|accessWriteDAC
		if !force {
			mask |= accessReadControl
		}
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
	return s.m.withService(ctx, "sdset", s.name, mask, func(h serviceConn) error {
		return withSecurity(h, func(sc securityConn) error {
			if next.DACL != nil && !force {
				current, _, err := currentDACL(sc)
				if err != nil {
					return err
				}
				if err := access.CheckFullControl(current, next); err != nil {
					return err
				}
			}
			return sc.setSecurityDescriptor(sddl, info)
		})
	})
}

// currentDACL reads the service's DACL and parses it; it returns the SDDL
// text too.
func currentDACL(sc securityConn) (*access.SDDL, string, error) {
	cur, err := sc.securityDescriptor(daclSecurityInformation)
	if err != nil {
		return nil, "", fmt.Errorf("reading the current DACL: %w", err)
	}
	parsed, err := access.Parse(cur)
	if err != nil {
		return nil, "", fmt.Errorf("parsing the current DACL %q: %w", cur, err)
	}
	return parsed, cur, nil
}

// GrantAccess allows trustee the given rights on the service: it reads the
// service's DACL, edits it as access.GrantRights does, and writes it back, all
// through one handle opened with READ_CONTROL and WRITE_DAC. It returns the
// DACL now in effect, in SDDL; when the trustee already had the rights,
// nothing is written.
//
// trustee is anything access.ParseTrustee accepts (a SID, an SDDL alias, a
// well-known name, `NT SERVICE\<name>`) or an account name (`.\bob`,
// `bob`, `CONTOSO\Helpdesk`), looked up on the manager's machine as
// Manager.LookupTrustee does. A rights set with no bits and an unknown
// trustee fail before the service is opened.
//
// opts are those of SetSecurityDescriptor; a grant only adds rights and
// removes denials, so the check that SYSTEM and the Administrators keep
// full control never refuses one.
func (s *Service) GrantAccess(ctx context.Context, trustee string, rights access.Rights, opts SecurityOptions) (string, error) {
	return s.editAccess(ctx, "grant", trustee, rights, opts.AllowLockout, (*access.SDDL).Grant)
}

// RevokeAccess takes the given rights away from trustee on the service: it
// reads the service's DACL, edits it as access.RevokeRights does (entries that
// allow the rights lose them; no deny entry is added, so rights the trustee
// holds through a group stay), and writes it back through one handle. It
// returns the DACL now in effect; when there was nothing to revoke, nothing
// is written. trustee is resolved as GrantAccess resolves it.
//
// Unless opts.AllowLockout is set it refuses, with a *ValidationError for
// the field "securityDescriptor", to take full control away from SYSTEM or
// the Administrators when the current DACL gives it to them.
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
	err = s.m.withService(ctx, op, s.name, accessReadControl|accessWriteDAC, func(h serviceConn) error {
		return withSecurity(h, func(sc securityConn) error {
			current, cur, err := currentDACL(sc)
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
			return sc.setSecurityDescriptor(out, daclSecurityInformation)
		})
	})
	return out, err
}
