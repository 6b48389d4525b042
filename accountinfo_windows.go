//go:build windows

package winsvc

import (
	"errors"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

var (
	_ registryConn       = (*winSCM)(nil)
	_ managedAccountConn = (*winService)(nil)
)

// managedAccount reads the flag with QueryServiceConfig2. The buffer starts
// zeroed, so both the BOOLEAN the SCM writes and a DWORD read correctly.
func (s *winService) managedAccount() (bool, error) {
	var buf [4]byte
	var needed uint32
	if err := windows.QueryServiceConfig2(s.h, levelManagedAccount, &buf[0], uint32(len(buf)), &needed); err != nil {
		return false, err
	}
	return flagSet(buf[:]), nil
}

// setManagedAccount writes SERVICE_MANAGEDACCOUNT_INFO with
// ChangeServiceConfig2.
func (s *winService) setManagedAccount(managed bool) error {
	return s.setConfig2(levelManagedAccount, encodeU32(boolU32(managed)))
}

// serviceValue reads value from the service's key under
// HKLM\SYSTEM\CurrentControlSet\Services, on the SCM's machine.
func (c *winSCM) serviceValue(service, value string) ([]byte, bool, error) {
	root := registry.LOCAL_MACHINE
	if c.machine != "" {
		k, err := registry.OpenRemoteKey(c.machine, registry.LOCAL_MACHINE)
		if err != nil {
			return nil, false, err
		}
		defer k.Close()
		root = k
	}
	k, err := registry.OpenKey(root, `SYSTEM\CurrentControlSet\Services\`+service, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, false, ErrNotFound // no key: no such service
	}
	if err != nil {
		return nil, false, err
	}
	defer k.Close()
	n, _, err := k.GetValue(value, nil)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	buf := make([]byte, n)
	if _, _, err := k.GetValue(value, buf); err != nil {
		return nil, false, err
	}
	return buf, true, nil
}
