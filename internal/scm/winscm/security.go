//go:build windows

package winscm

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/scm"

	"github.com/winsvc/winsvc/internal/valerr"
)

var (
	procQueryServiceObjectSecurity = advapi32.NewProc("QueryServiceObjectSecurity")
	procSetServiceObjectSecurity   = advapi32.NewProc("SetServiceObjectSecurity")
)

var _ scm.Security = (*winService)(nil)

// securityDescriptor reads the parts info selects with
// QueryServiceObjectSecurity and converts them to SDDL.
func (s *winService) SecurityDescriptor(info uint32) (string, error) {
	buf, err := growBuffer(func(p *byte, n uint32, needed *uint32) error {
		r, _, e := procQueryServiceObjectSecurity.Call(uintptr(s.h), uintptr(info),
			uintptr(unsafe.Pointer(p)), uintptr(n), uintptr(unsafe.Pointer(needed)))
		if r == 0 {
			return e
		}
		return nil
	}, 256)
	if err != nil {
		return "", err
	}
	sd := (*windows.SECURITY_DESCRIPTOR)(unsafe.Pointer(&buf[0]))
	if !sd.IsValid() {
		return "", errors.New("QueryServiceObjectSecurity returned an invalid security descriptor")
	}
	sddl := sd.String()
	if sddl == "" {
		return "", errors.New("the security descriptor could not be converted to SDDL")
	}
	return sddl, nil
}

// setSecurityDescriptor converts sddl (validated by ParseSDDL first) to a
// self-relative descriptor and sets the parts info selects.
func (s *winService) SetSecurityDescriptor(sddl string, info uint32) error {
	sd, err := windows.SecurityDescriptorFromString(sddl)
	if err != nil {
		return err
	}
	r, _, e := procSetServiceObjectSecurity.Call(uintptr(s.h), uintptr(info), uintptr(unsafe.Pointer(sd)))
	if r == 0 {
		return e
	}
	return nil
}

var _ scm.AccountLookup = (*winSCM)(nil)

// lookupAccount resolves an account name with LookupAccountName on the
// SCM's machine, and returns its SID and the canonical domain\name that
// LookupAccountSid gives back. `.\name` names an account of that machine:
// it is passed as `<machine>\name`.
func (c *winSCM) LookupAccount(name string) (string, string, error) {
	if user, ok := strings.CutPrefix(name, `.\`); ok {
		host := c.machine
		if host == "" {
			var err error
			if host, err = windows.ComputerName(); err != nil {
				return "", "", fmt.Errorf("the computer name for %s: %w", valerr.Quote(name), err)
			}
		}
		name = host + `\` + user
	}
	sid, _, _, err := windows.LookupSID(c.machine, name)
	if err != nil {
		if err == windows.ERROR_NONE_MAPPED {
			return "", "", fmt.Errorf("no account named %s on %s (ERROR_NONE_MAPPED): %w", valerr.Quote(name), c.machineName(), err)
		}
		return "", "", err
	}
	canonical := name
	if account, domain, _, err := sid.LookupAccount(c.machine); err == nil {
		canonical = account
		if domain != "" {
			canonical = domain + `\` + account
		}
	}
	return sid.String(), canonical, nil
}

func (c *winSCM) machineName() string {
	if c.machine == "" {
		return "this machine"
	}
	return c.machine
}
