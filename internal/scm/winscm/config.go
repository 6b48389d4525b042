//go:build windows

package winscm

import (
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/scm"
)

// QueryConfig reads the core configuration (QueryServiceConfig).
func (s *winService) QueryConfig() (*scm.Config, error) {
	buf, err := growBuffer(func(p *byte, n uint32, needed *uint32) error {
		return windows.QueryServiceConfig(s.h, (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(p)), n, needed)
	}, 8<<10) // the most QueryServiceConfig returns: one call
	if err != nil {
		return nil, err
	}
	q := (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&buf[0]))
	return &scm.Config{
		ServiceType:      q.ServiceType,
		StartType:        q.StartType,
		ErrorControl:     q.ErrorControl,
		BinaryPathName:   windows.UTF16PtrToString(q.BinaryPathName),
		LoadOrderGroup:   windows.UTF16PtrToString(q.LoadOrderGroup),
		TagID:            q.TagId,
		Dependencies:     multiSzFromPtr(q.Dependencies),
		ServiceStartName: windows.UTF16PtrToString(q.ServiceStartName),
		DisplayName:      windows.UTF16PtrToString(q.DisplayName),
	}, nil
}

// QueryConfig2 returns the structure QueryServiceConfig2 fills in for
// level. The pointers in it point into the returned buffer. The buffer
// starts small: the RPC carries it whole, so that under Wine a query with
// 8 KiB took about twice as long as one with 256 bytes; a larger setting
// (a long description, many triggers) takes a second call.
func (s *winService) QueryConfig2(level uint32) ([]byte, error) {
	return growBuffer(func(p *byte, n uint32, needed *uint32) error {
		return windows.QueryServiceConfig2(s.h, level, p, n, needed)
	}, 512) // most settings fit: one call
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
