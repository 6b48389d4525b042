//go:build windows

package winscm

import (
	"errors"
	"fmt"
	"syscall"
	"unsafe"

	"github.com/winsvc/winsvc/internal/scm"
)

var procQueryServiceLockStatus = advapi32.NewProc("QueryServiceLockStatusW")

var _ scm.Lock = (*winSCM)(nil)

// errNoLastError marks a call that failed without setting an error code,
// which is how Wine's stub of QueryServiceLockStatus fails.
var errNoLastError = fmt.Errorf("the call failed without an error code (not implemented by this SCM): %w", errors.ErrUnsupported)

func (c *winSCM) LockStatus() ([]byte, error) {
	m, err := c.handle(scm.ManagerQueryLockStatus)
	if err != nil {
		return nil, err
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
	}, 3*int(unsafe.Sizeof(uintptr(0)))+256) // QUERY_SERVICE_LOCK_STATUSW and an owner's name
	if err != nil {
		return nil, err
	}
	return buf, nil
}
