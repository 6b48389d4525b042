//go:build windows

package winsvc

import (
	"errors"

	"golang.org/x/sys/windows/registry"
)

var _ registryConn = (*winSCM)(nil)

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
