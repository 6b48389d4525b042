//go:build windows

package winsvc

import (
	"errors"

	"golang.org/x/sys/windows/registry"
)

var _ registryConn = (*winSCM)(nil)

// serviceKey opens the key of service under
// HKLM\SYSTEM\CurrentControlSet\Services on the SCM's machine, to read;
// ErrNotFound when there is none.
func (c *winSCM) serviceKey(service string) (registry.Key, error) {
	root := registry.LOCAL_MACHINE
	if c.machine != "" {
		k, err := registry.OpenRemoteKey(c.machine, registry.LOCAL_MACHINE)
		if err != nil {
			return 0, err
		}
		defer k.Close()
		root = k
	}
	k, err := registry.OpenKey(root, `SYSTEM\CurrentControlSet\Services\`+service, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return 0, ErrNotFound // no key: no such service
	}
	return k, err
}

// serviceValues reads values from the service's key under
// HKLM\SYSTEM\CurrentControlSet\Services, on the SCM's machine, opening the
// key once.
func (c *winSCM) serviceValues(service string, names ...string) (map[string][]byte, error) {
	k, err := c.serviceKey(service)
	if err != nil {
		return nil, err
	}
	defer k.Close()
	out := make(map[string][]byte, len(names))
	for _, name := range names {
		// Most values fit a small buffer: one call; a larger one takes
		// a second with the size the first reported.
		buf := make([]byte, 256)
		n, _, err := k.GetValue(name, buf)
		if errors.Is(err, registry.ErrShortBuffer) {
			buf = make([]byte, n)
			n, _, err = k.GetValue(name, buf)
		}
		if errors.Is(err, registry.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[name] = buf[:n]
	}
	return out, nil
}
