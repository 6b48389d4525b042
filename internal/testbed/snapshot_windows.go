//go:build windows

package testbed

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// servicesKey is where the SCM persists every service's configuration.
const servicesKey = `SYSTEM\CurrentControlSet\Services`

// TakeSnapshot returns every service's configuration and status, read
// without winsvc: every value under HKLM\SYSTEM\CurrentControlSet\Services,
// subkeys included, with the registry API, and every service's status from
// one raw EnumServicesStatusEx call; one line per value and per status,
// sorted.
func TakeSnapshot(t testing.TB) string {
	t.Helper()
	var s []string
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, servicesKey, registry.ENUMERATE_SUB_KEYS|registry.QUERY_VALUE)
	if err != nil {
		t.Fatalf("open %s: %v", servicesKey, err)
	}
	defer k.Close()
	if err := readKey(k, servicesKey, &s); err != nil {
		t.Fatalf("read %s: %v", servicesKey, err)
	}
	statuses, err := enumStatuses()
	if err != nil {
		t.Fatalf("EnumServicesStatusEx: %v", err)
	}
	s = append(s, statuses...)
	slices.Sort(s)
	return strings.Join(s, "\n")
}

// readKey appends every value of k and of its subkeys to s, as
// "path\name = type:value".
func readKey(k registry.Key, path string, s *[]string) error {
	names, err := k.ReadValueNames(-1)
	if err != nil {
		return err
	}
	for _, n := range names {
		buf := make([]byte, 64)
		size, typ, err := k.GetValue(n, buf)
		if err == windows.ERROR_MORE_DATA {
			buf = make([]byte, size)
			size, typ, err = k.GetValue(n, buf)
		}
		if err != nil {
			return fmt.Errorf("%s\\%s: %w", path, n, err)
		}
		*s = append(*s, fmt.Sprintf("%s\\%s = %d:%x", path, n, typ, buf[:size]))
	}
	subs, err := k.ReadSubKeyNames(-1)
	if err != nil {
		return err
	}
	for _, sub := range subs {
		sk, err := registry.OpenKey(k, sub, registry.ENUMERATE_SUB_KEYS|registry.QUERY_VALUE)
		if err != nil {
			return fmt.Errorf("%s\\%s: %w", path, sub, err)
		}
		err = readKey(sk, path+`\`+sub, s)
		sk.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// enumStatuses returns the status of every service and driver, one line
// each, from EnumServicesStatusEx.
func enumStatuses() ([]string, error) {
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_ENUMERATE_SERVICE)
	if err != nil {
		return nil, err
	}
	defer windows.CloseServiceHandle(m)
	var needed, count, resume uint32
	buf := make([]byte, 64<<10)
	for {
		err = windows.EnumServicesStatusEx(m, windows.SC_ENUM_PROCESS_INFO, windows.SERVICE_TYPE_ALL, windows.SERVICE_STATE_ALL,
			&buf[0], uint32(len(buf)), &needed, &count, &resume, nil)
		if err != windows.ERROR_MORE_DATA {
			break
		}
		buf, resume = make([]byte, needed+uint32(len(buf))), 0
	}
	if err != nil {
		return nil, err
	}
	entries := unsafe.Slice((*windows.ENUM_SERVICE_STATUS_PROCESS)(unsafe.Pointer(&buf[0])), count)
	out := make([]string, 0, count)
	for _, e := range entries {
		p := e.ServiceStatusProcess
		out = append(out, fmt.Sprintf("status %s = type %#x state %d accepts %#x exit %d/%d pid %d flags %#x",
			windows.UTF16PtrToString(e.ServiceName), p.ServiceType, p.CurrentState, p.ControlsAccepted,
			p.Win32ExitCode, p.ServiceSpecificExitCode, p.ProcessId, p.ServiceFlags))
	}
	return out, nil
}
