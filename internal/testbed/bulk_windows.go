//go:build windows

package testbed

import (
	"fmt"
	"testing"

	"golang.org/x/sys/windows"
)

// IdleServices creates n demand-start services that are never started,
// with raw CreateService calls (not winsvc's), for benchmarks that measure
// how a cost grows with the number of services on the machine. They are
// deleted when tb ends. Their names start with prefix.
func IdleServices(tb testing.TB, prefix string, n int) []string {
	tb.Helper()
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CREATE_SERVICE)
	if err != nil {
		tb.Fatalf("OpenSCManager: %v", err)
	}
	defer windows.CloseServiceHandle(m)
	names := make([]string, 0, n)
	tb.Cleanup(func() { deleteAll(tb, names) })
	for i := range n {
		name := fmt.Sprintf("%s%05d", prefix, i)
		h, err := windows.CreateService(m, windows.StringToUTF16Ptr(name), windows.StringToUTF16Ptr(name),
			windows.SERVICE_QUERY_STATUS, windows.SERVICE_WIN32_OWN_PROCESS, windows.SERVICE_DEMAND_START,
			windows.SERVICE_ERROR_NORMAL, windows.StringToUTF16Ptr(`C:\idle\`+name+".exe"), nil, nil, nil, nil, nil)
		if err != nil {
			tb.Fatalf("CreateService %s: %v", name, err)
		}
		windows.CloseServiceHandle(h)
		names = append(names, name)
	}
	return names
}

func deleteAll(tb testing.TB, names []string) {
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		tb.Errorf("OpenSCManager: %v", err)
		return
	}
	defer windows.CloseServiceHandle(m)
	for _, name := range names {
		if err := deleteService(m, name); err != nil {
			tb.Errorf("delete %s: %v", name, err)
		}
	}
}

// RawStop sends STOP to service name with raw x/sys calls and polls its
// status every millisecond until it is STOPPED: the least a program can do
// to stop a service, the yardstick for winsvc's Stop.
func RawStop(tb testing.TB, name string) {
	tb.Helper()
	h := rawOpen(tb, name, windows.SERVICE_STOP|windows.SERVICE_QUERY_STATUS)
	defer windows.CloseServiceHandle(h)
	var st windows.SERVICE_STATUS
	if err := windows.ControlService(h, windows.SERVICE_CONTROL_STOP, &st); err != nil {
		tb.Fatalf("ControlService %s: %v", name, err)
	}
	for st.CurrentState != windows.SERVICE_STOPPED {
		windows.SleepEx(1, false)
		if err := windows.QueryServiceStatus(h, &st); err != nil {
			tb.Fatalf("QueryServiceStatus %s: %v", name, err)
		}
	}
}
