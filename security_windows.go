//go:build windows

package winsvc

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	procQueryServiceObjectSecurity = advapi32.NewProc("QueryServiceObjectSecurity")
	procSetServiceObjectSecurity   = advapi32.NewProc("SetServiceObjectSecurity")
)

var _ securityConn = (*winService)(nil)

// securityDescriptor reads the parts info selects with
// QueryServiceObjectSecurity and converts them to SDDL.
func (s *winService) securityDescriptor(info uint32) (string, error) {
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
func (s *winService) setSecurityDescriptor(sddl string, info uint32) error {
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
