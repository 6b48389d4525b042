//go:build windows

package winsvc

import (
	"errors"
	"fmt"
	"syscall"
	"unsafe"
)

var procQueryServiceLockStatus = advapi32.NewProc("QueryServiceLockStatusW")

var _ lockConn = (*winSCM)(nil)

// errNoLastError marks a call that failed without setting an error code,
// which is how Wine's stub of QueryServiceLockStatus fails.
var errNoLastError = fmt.Errorf("the call failed without an error code (not implemented by this SCM): %w", errors.ErrUnsupported)

func (c *winSCM) lockStatus() (LockStatus, error) {
	m, err := c.handle(scManagerQueryLockStatus)
	if err != nil {
		return LockStatus{}, err
	}
	// Called directly rather than through x/sys, which reports a failure
	// without an error code as EINVAL.
	buf, err := growBuffer(func(p *byte, n uint32, needed *uint32) error {
		r, _, e := procQueryServiceLockStatus.Call(uintptr(m), uintptr(unsafe.Pointer(p)), uintptr(n), uintptr(unsafe.Pointer(needed)))
		if r != 0 {
			return nil
		}
		if errno, ok := e.(syscall.Errno); ok && errno == 0 {
			return errNoLastError
		}
		return e
	}, lsSize+256)
	if err != nil {
		return LockStatus{}, err
	}
	return decodeLockStatus(buf)
}
