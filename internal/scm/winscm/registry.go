//go:build windows

package winscm

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/winsvc/winsvc/internal/scm"
)

var (
	_ scm.Registry   = (*winSCM)(nil)
	_ scm.Parameters = (*winSCM)(nil)
)

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
		return 0, windows.ERROR_SERVICE_DOES_NOT_EXIST // no key: no such service
	}
	return k, err
}

// serviceValues reads values from the service's key under
// HKLM\SYSTEM\CurrentControlSet\Services, on the SCM's machine, opening the
// key once.
func (c *winSCM) ServiceValues(service string, names ...string) (map[string][]byte, error) {
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

// parametersKey opens HKLM\SYSTEM\CurrentControlSet\Services\<service>\
// Parameters on the SCM's machine.
func (c *winSCM) ParametersKey(service string, write bool) (scm.ParamKey, error) {
	svc, err := c.serviceKey(service)
	if err != nil {
		return nil, err
	}
	defer svc.Close()
	if !write {
		k, err := registry.OpenKey(svc, "Parameters", registry.QUERY_VALUE)
		if errors.Is(err, registry.ErrNotExist) {
			return winParams{}, nil // no key: no values
		}
		if err != nil {
			return nil, err
		}
		return winParams{k: k, open: true}, nil
	}
	k, _, err := registry.CreateKey(svc, "Parameters", registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		return nil, err
	}
	return winParams{k: k, open: true}, nil
}

// winParams is an open Parameters key; without open, a key that does not
// exist.
type winParams struct {
	k    registry.Key
	open bool
}

func (p winParams) Get(name string) (scm.RegValue, bool, error) {
	if !p.open {
		return scm.RegValue{}, false, nil
	}
	buf := make([]byte, 256)
	n, typ, err := p.k.GetValue(name, buf)
	if errors.Is(err, registry.ErrShortBuffer) {
		buf = make([]byte, n)
		n, typ, err = p.k.GetValue(name, buf)
	}
	if errors.Is(err, registry.ErrNotExist) {
		return scm.RegValue{}, false, nil
	}
	if err != nil {
		return scm.RegValue{}, false, err
	}
	return scm.RegValue{Type: typ, Data: buf[:n]}, true, nil
}

func (p winParams) Set(name string, v scm.RegValue) error {
	var data *byte
	if len(v.Data) > 0 {
		data = &v.Data[0]
	}
	n, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return err
	}
	r, _, _ := procRegSetValueExW.Call(uintptr(p.k), uintptr(unsafe.Pointer(n)), 0, uintptr(v.Type),
		uintptr(unsafe.Pointer(data)), uintptr(len(v.Data)))
	if r != 0 {
		return windows.Errno(r)
	}
	return nil
}

// RegSetValueExW writes the data as laid out (x/sys's registry package
// writes typed values only).
var procRegSetValueExW = windows.NewLazySystemDLL("advapi32.dll").NewProc("RegSetValueExW")

func (p winParams) Delete(name string) error {
	err := p.k.DeleteValue(name)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	return err
}

func (p winParams) Close() error {
	if !p.open {
		return nil
	}
	return p.k.Close()
}
