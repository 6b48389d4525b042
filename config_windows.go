//go:build windows

package winsvc

import (
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// config reads the core configuration (QueryServiceConfig), then, when
// optional is set, each optional setting on its own; a setting that cannot
// be read is marked unavailable with the reason instead of failing the
// whole read.
func (s *winService) config(optional bool) (*Config, error) {
	buf, err := growBuffer(func(p *byte, n uint32, needed *uint32) error {
		return windows.QueryServiceConfig(s.h, (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(p)), n, needed)
	}, int(unsafe.Sizeof(windows.QUERY_SERVICE_CONFIG{})))
	if err != nil {
		return nil, err
	}
	q := (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&buf[0]))
	c := &Config{
		Name:             s.name,
		ServiceType:      ServiceTypeFromWin32(q.ServiceType),
		StartType:        StartTypeFromWin32(q.StartType),
		ErrorControl:     ErrorControlFromWin32(q.ErrorControl),
		BinaryPathName:   windows.UTF16PtrToString(q.BinaryPathName),
		LoadOrderGroup:   windows.UTF16PtrToString(q.LoadOrderGroup),
		TagID:            q.TagId,
		ServiceStartName: windows.UTF16PtrToString(q.ServiceStartName),
		DisplayName:      windows.UTF16PtrToString(q.DisplayName),
	}
	for _, d := range multiSzFromPtr(q.Dependencies) {
		c.Dependencies = append(c.Dependencies, ParseDependency(d))
	}
	if len(c.Dependencies) == 0 {
		c.Dependencies = s.registryDependencies()
	}
	if !optional {
		c.markCoreOnly()
		return c, nil
	}
	for _, set := range config2Settings {
		b, err := growBuffer(func(p *byte, n uint32, needed *uint32) error {
			return windows.QueryServiceConfig2(s.h, set.level, p, n, needed)
		}, 64)
		switch {
		case err == nil:
			err = set.decodeInto(b, c)
		case set.field == FieldPreferredNode && err == windows.ERROR_NOT_FOUND:
			err = nil // no preferred node is set
		}
		if err != nil {
			c.markUnavailable(set.field, reason(err))
		}
	}
	return c, nil
}

// registryDependencies reads DependOnService and DependOnGroup from the
// service's registry key. It is the fallback for SCMs whose
// QueryServiceConfig does not report dependencies (Wine's stores them but
// always answers an empty list); on Windows both agree. When the key
// cannot be read (no access, no remote registry service), the SCM's empty
// answer stands: it is the authoritative one wherever the SCM reports
// dependencies at all.
func (s *winService) registryDependencies() []Dependency {
	deps := []Dependency{}
	root := registry.LOCAL_MACHINE
	if s.scm.machine != "" {
		k, err := registry.OpenRemoteKey(s.scm.machine, registry.LOCAL_MACHINE)
		if err != nil {
			return deps
		}
		defer k.Close()
		root = k
	}
	k, err := registry.OpenKey(root, `SYSTEM\CurrentControlSet\Services\`+s.name, registry.QUERY_VALUE)
	if err != nil {
		return deps
	}
	defer k.Close()
	services, _, _ := k.GetStringsValue("DependOnService")
	groups, _, _ := k.GetStringsValue("DependOnGroup")
	for _, n := range services {
		deps = append(deps, ServiceDependency(n))
	}
	for _, g := range groups {
		deps = append(deps, GroupDependency(g))
	}
	return deps
}

// reason renders why a setting could not be read.
func reason(err error) string {
	if code := codeOf(err); code != 0 {
		return code.Error()
	}
	return err.Error()
}

// growBuffer calls a Win32 query that reports the size it needs, growing
// the buffer until the call succeeds.
func growBuffer(call func(p *byte, n uint32, needed *uint32) error, initial int) ([]byte, error) {
	buf := make([]byte, initial)
	for {
		var needed uint32
		err := call(&buf[0], uint32(len(buf)), &needed)
		if err == nil {
			return buf, nil
		}
		if (err != windows.ERROR_INSUFFICIENT_BUFFER && err != windows.ERROR_MORE_DATA) || int(needed) <= len(buf) {
			return nil, err
		}
		buf = make([]byte, needed)
	}
}

// multiSzFromPtr reads a double-NUL-terminated list.
func multiSzFromPtr(p *uint16) []string {
	var out []string
	for p != nil && *p != 0 {
		n := 0
		for *(*uint16)(unsafe.Add(unsafe.Pointer(p), 2*n)) != 0 {
			n++
		}
		out = append(out, windows.UTF16ToString(unsafe.Slice(p, n)))
		p = (*uint16)(unsafe.Add(unsafe.Pointer(p), 2*(n+1)))
	}
	return out
}
