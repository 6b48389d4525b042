package winsvc

import (
	"context"
	"errors"
	"fmt"
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
// ParseSDDL and SDDL.Describe render who may do what. It needs READ_CONTROL,
// which the service's DACL usually grants to every interactive user.
func (s *Service) SecurityDescriptor(ctx context.Context) (string, error) {
	var sddl string
	err := s.m.withService("sdshow", s.name, accessReadControl, func(h serviceConn) error {
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
// Unless force is true, it refuses, with a *ValidationError for the field
// "securityDescriptor", a DACL that takes full control away from SYSTEM or
// the Administrators when the current DACL gives it to them: such a DACL
// can lock administrators out of the service. It then also needs
// READ_CONTROL to read the current DACL.
func (s *Service) SetSecurityDescriptor(ctx context.Context, sddl string, force bool) error {
	next, err := ParseSDDL(sddl)
	if err != nil {
		return &Error{Op: "sdset", Service: s.name, Err: err}
	}
	var info, access uint32
	if next.DACL != nil {
		info, access = info|daclSecurityInformation, access|accessWriteDAC
		if !force {
			access |= accessReadControl
		}
	}
	if next.Owner != "" {
		info, access = info|ownerSecurityInformation, access|accessWriteOwner
	}
	if next.Group != "" {
		info, access = info|groupSecurityInformation, access|accessWriteOwner
	}
	if next.SACL != nil {
		info, access = info|saclSecurityInformation, access|accessAccessSystemSecurity
	}
	if info == 0 {
		return &Error{Op: "sdset", Service: s.name, Err: invalid(string(FieldSecurityDescriptor), sddl, "has no O:, G:, D: or S: part to set")}
	}
	return s.m.withService("sdset", s.name, access, func(h serviceConn) error {
		return withSecurity(h, func(sc securityConn) error {
			if next.DACL != nil && !force {
				cur, err := sc.securityDescriptor(daclSecurityInformation)
				if err != nil {
					return fmt.Errorf("reading the current DACL to check it: %w", err)
				}
				current, err := ParseSDDL(cur)
				if err != nil {
					return fmt.Errorf("parsing the current DACL %q: %w", cur, err)
				}
				if err := checkKeepsFullControl(current, next); err != nil {
					return err
				}
			}
			return sc.setSecurityDescriptor(sddl, info)
		})
	})
}
