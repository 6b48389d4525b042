//go:build windows

package winsvc

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

var _ parametersConn = (*winSCM)(nil)

// parametersKey opens HKLM\SYSTEM\CurrentControlSet\Services\<service>\
// Parameters on the SCM's machine.
func (c *winSCM) parametersKey(service string, write bool) (paramKey, error) {
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

func (p winParams) get(name string) (regValue, bool, error) {
	if !p.open {
		return regValue{}, false, nil
	}
	buf := make([]byte, 256)
	n, typ, err := p.k.GetValue(name, buf)
	if errors.Is(err, registry.ErrShortBuffer) {
		buf = make([]byte, n)
		n, typ, err = p.k.GetValue(name, buf)
	}
	if errors.Is(err, registry.ErrNotExist) {
		return regValue{}, false, nil
	}
	if err != nil {
		return regValue{}, false, err
	}
	return regValue{typ: typ, data: buf[:n]}, true, nil
}

func (p winParams) set(name string, v regValue) error {
	var data *byte
	if len(v.data) > 0 {
		data = &v.data[0]
	}
	n, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return err
	}
	r, _, _ := procRegSetValueExW.Call(uintptr(p.k), uintptr(unsafe.Pointer(n)), 0, uintptr(v.typ),
		uintptr(unsafe.Pointer(data)), uintptr(len(v.data)))
	if r != 0 {
		return windows.Errno(r)
	}
	return nil
}

// RegSetValueExW writes the data as laid out (x/sys's registry package
// writes typed values only).
var procRegSetValueExW = windows.NewLazySystemDLL("advapi32.dll").NewProc("RegSetValueExW")

func (p winParams) del(name string) error {
	err := p.k.DeleteValue(name)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	return err
}

func (p winParams) close() error {
	if !p.open {
		return nil
	}
	return p.k.Close()
}
