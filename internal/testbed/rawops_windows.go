//go:build windows

package testbed

import (
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/windows"
)

// RawCreate creates a demand-start, own-process service name whose command
// line is stored exactly as given, with a raw CreateService call: winsvc
// would refuse or quote some command lines (an unquoted path with spaces),
// and the tests need such services to exist. The service is removed when
// tb ends.
func RawCreate(tb testing.TB, name, cmdLine string) {
	tb.Helper()
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CREATE_SERVICE)
	if err != nil {
		tb.Fatalf("OpenSCManager: %v", err)
	}
	defer windows.CloseServiceHandle(m)
	h, err := windows.CreateService(m, windows.StringToUTF16Ptr(name), nil, windows.SERVICE_QUERY_STATUS,
		windows.SERVICE_WIN32_OWN_PROCESS, windows.SERVICE_DEMAND_START, windows.SERVICE_ERROR_NORMAL,
		windows.StringToUTF16Ptr(cmdLine), nil, nil, nil, nil, nil)
	if err != nil {
		tb.Fatalf("CreateService %s: %v", name, err)
	}
	windows.CloseServiceHandle(h)
	CleanupService(tb, name)
}

// RawDelete marks service name for deletion with a raw DeleteService call,
// as another program would.
func RawDelete(tb testing.TB, name string) {
	tb.Helper()
	h := rawOpen(tb, name, windows.DELETE)
	defer windows.CloseServiceHandle(h)
	if err := windows.DeleteService(h); err != nil {
		tb.Fatalf("delete %s: %v", name, err)
	}
}

// deleteService opens service name with DELETE alone and deletes it.
func deleteService(m windows.Handle, name string) error {
	h, err := windows.OpenService(m, windows.StringToUTF16Ptr(name), windows.DELETE)
	if err != nil {
		return err
	}
	defer windows.CloseServiceHandle(h)
	return windows.DeleteService(h)
}

// WaitServiceGone waits, up to within, until OpenService of service name
// fails with ERROR_SERVICE_DOES_NOT_EXIST, with raw calls.
func WaitServiceGone(tb testing.TB, name string, within time.Duration) {
	tb.Helper()
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		tb.Fatalf("OpenSCManager: %v", err)
	}
	defer windows.CloseServiceHandle(m)
	for deadline := time.Now().Add(within); ; time.Sleep(10 * time.Millisecond) {
		h, err := windows.OpenService(m, windows.StringToUTF16Ptr(name), windows.SERVICE_QUERY_STATUS)
		if err == windows.ERROR_SERVICE_DOES_NOT_EXIST {
			return
		}
		if err == nil {
			windows.CloseServiceHandle(h)
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s still exists %s later (last OpenService: %v)", name, within, err)
		}
	}
}

// HoldOpen opens a handle to service name, as another program (services.msc)
// would hold one, and returns the function that closes it; the test's end
// closes it too. The SCM removes a service marked for deletion only once
// every handle to it is closed.
func HoldOpen(tb testing.TB, name string) (release func()) {
	tb.Helper()
	h := rawOpen(tb, name, windows.SERVICE_QUERY_STATUS)
	var once sync.Once
	release = func() { once.Do(func() { windows.CloseServiceHandle(h) }) }
	tb.Cleanup(release)
	return release
}

// rawOpen opens service name with access, with raw calls; the caller
// closes the handle.
func rawOpen(tb testing.TB, name string, access uint32) windows.Handle {
	tb.Helper()
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		tb.Fatalf("OpenSCManager: %v", err)
	}
	defer windows.CloseServiceHandle(m)
	h, err := windows.OpenService(m, windows.StringToUTF16Ptr(name), access)
	if err != nil {
		tb.Fatalf("OpenService %s: %v", name, err)
	}
	return h
}

// ServiceDACL reads service name's DACL in SDDL with GetNamedSecurityInfo
// (SE_SERVICE), without the SCM handle winsvc uses: an independent check
// of what a security-descriptor write stored.
func ServiceDACL(tb testing.TB, name string) string {
	tb.Helper()
	sd, err := windows.GetNamedSecurityInfo(name, windows.SE_SERVICE, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		tb.Fatalf("GetNamedSecurityInfo %s: %v", name, err)
	}
	return sd.String()
}
