//go:build windows

package testbed

import (
	"errors"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// Raw does what winsvc does, with the fewest raw golang.org/x/sys calls a
// program can make: the yardstick of the per-verb benchmarks. Like a
// winsvc.Manager, it keeps one SCM handle for its life and opens each
// service with only the access the operation needs, closing it after.
// Waits poll the status every millisecond.
type Raw struct {
	tb testing.TB
	m  windows.Handle
}

// OpenRaw opens the SCM (CONNECT, CREATE_SERVICE and ENUMERATE_SERVICE);
// the handle is closed when tb ends.
func OpenRaw(tb testing.TB) *Raw {
	tb.Helper()
	m, err := windows.OpenSCManager(nil, nil,
		windows.SC_MANAGER_CONNECT|windows.SC_MANAGER_CREATE_SERVICE|windows.SC_MANAGER_ENUMERATE_SERVICE)
	if err != nil {
		tb.Fatalf("OpenSCManager: %v", err)
	}
	tb.Cleanup(func() { windows.CloseServiceHandle(m) })
	return &Raw{tb: tb, m: m}
}

// Handle returns the SCM handle.
func (r *Raw) Handle() windows.Handle { return r.m }

func (r *Raw) open(name string, access uint32) windows.Handle {
	r.tb.Helper()
	h, err := windows.OpenService(r.m, windows.StringToUTF16Ptr(name), access)
	if err != nil {
		r.tb.Fatalf("OpenService %s: %v", name, err)
	}
	return h
}

// waitState polls h's status every millisecond until it is want.
func (r *Raw) waitState(name string, h windows.Handle, st *windows.SERVICE_STATUS, want uint32) {
	r.tb.Helper()
	for st.CurrentState != want {
		windows.SleepEx(1, false)
		if err := windows.QueryServiceStatus(h, st); err != nil {
			r.tb.Fatalf("QueryServiceStatus %s: %v", name, err)
		}
	}
}

// Start starts service name and waits until it is RUNNING.
func (r *Raw) Start(name string) {
	r.tb.Helper()
	h := r.open(name, windows.SERVICE_START|windows.SERVICE_QUERY_STATUS)
	defer windows.CloseServiceHandle(h)
	err := windows.StartService(h, 0, nil)
	for try := 1; try < 3 && err == windows.ERROR_INTERNAL_ERROR; try++ {
		err = windows.StartService(h, 0, nil) // Wine's process creation fails now and then (docs/wine-scm.md §6), as winsvc's Start knows
	}
	if err != nil {
		r.tb.Fatalf("StartService %s: %v", name, err)
	}
	var st windows.SERVICE_STATUS
	if err := windows.QueryServiceStatus(h, &st); err != nil {
		r.tb.Fatalf("QueryServiceStatus %s: %v", name, err)
	}
	r.waitState(name, h, &st, windows.SERVICE_RUNNING)
}

// Control sends control code to service name and waits until it is in
// state want: STOP and STOPPED, PAUSE and PAUSED, CONTINUE and RUNNING.
func (r *Raw) Control(name string, code, want uint32) {
	r.tb.Helper()
	access := uint32(windows.SERVICE_PAUSE_CONTINUE)
	if code == windows.SERVICE_CONTROL_STOP {
		access = windows.SERVICE_STOP
	}
	h := r.open(name, access|windows.SERVICE_QUERY_STATUS)
	defer windows.CloseServiceHandle(h)
	var st windows.SERVICE_STATUS
	if err := windows.ControlService(h, code, &st); err != nil {
		r.tb.Fatalf("ControlService(%d) %s: %v", code, name, err)
	}
	r.waitState(name, h, &st, want)
}

// Stop stops service name and waits until it is STOPPED.
func (r *Raw) Stop(name string) {
	r.tb.Helper()
	r.Control(name, windows.SERVICE_CONTROL_STOP, windows.SERVICE_STOPPED)
}

// State returns service name's current state (SERVICE_QUERY_STATUS,
// QueryServiceStatusEx).
func (r *Raw) State(name string) uint32 {
	r.tb.Helper()
	h := r.open(name, windows.SERVICE_QUERY_STATUS)
	defer windows.CloseServiceHandle(h)
	var p windows.SERVICE_STATUS_PROCESS
	var needed uint32
	if err := windows.QueryServiceStatusEx(h, windows.SC_STATUS_PROCESS_INFO, (*byte)(unsafe.Pointer(&p)),
		uint32(unsafe.Sizeof(p)), &needed); err != nil {
		r.tb.Fatalf("QueryServiceStatusEx %s: %v", name, err)
	}
	return p.CurrentState
}

// QueryConfig reads service name's core configuration with one
// QueryServiceConfig into an 8 KiB buffer (the documented maximum) and
// returns its start type.
func (r *Raw) QueryConfig(name string) uint32 {
	r.tb.Helper()
	h := r.open(name, windows.SERVICE_QUERY_CONFIG)
	defer windows.CloseServiceHandle(h)
	return r.queryConfig(name, h)
}

func (r *Raw) queryConfig(name string, h windows.Handle) uint32 {
	r.tb.Helper()
	var buf [8 << 10]byte
	var needed uint32
	q := (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&buf[0]))
	if err := windows.QueryServiceConfig(h, q, uint32(len(buf)), &needed); err != nil {
		r.tb.Fatalf("QueryServiceConfig %s: %v", name, err)
	}
	return q.StartType
}

// Config2Levels are the QueryServiceConfig2 info levels winsvc's Load
// reads: description, failure actions, delayed auto-start, failure-actions
// flag, SID type, required privileges, preshutdown, triggers, preferred
// node, managed account, launch protection.
var Config2Levels = []uint32{1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12}

// QueryConfigAll reads service name's whole configuration: one
// QueryServiceConfig, then one QueryServiceConfig2 per level of
// Config2Levels into an 8 KiB buffer (a level the SCM does not support
// fails; that is not an error here, as it is not for winsvc's Load).
func (r *Raw) QueryConfigAll(name string) {
	r.tb.Helper()
	h := r.open(name, windows.SERVICE_QUERY_CONFIG)
	defer windows.CloseServiceHandle(h)
	r.queryConfig(name, h)
	var buf [8 << 10]byte
	for _, level := range Config2Levels {
		var needed uint32
		windows.QueryServiceConfig2(h, level, &buf[0], uint32(len(buf)), &needed)
	}
}

// SetStartType changes service name's start type with one
// ChangeServiceConfig (everything else SERVICE_NO_CHANGE or NULL).
func (r *Raw) SetStartType(name string, start uint32) {
	r.tb.Helper()
	h := r.open(name, windows.SERVICE_CHANGE_CONFIG)
	defer windows.CloseServiceHandle(h)
	nc := uint32(windows.SERVICE_NO_CHANGE)
	if err := windows.ChangeServiceConfig(h, nc, start, nc, nil, nil, nil, nil, nil, nil, nil); err != nil {
		r.tb.Fatalf("ChangeServiceConfig %s: %v", name, err)
	}
}

// SetDescription sets service name's description with one
// ChangeServiceConfig2 (SERVICE_CONFIG_DESCRIPTION).
func (r *Raw) SetDescription(name, text string) {
	r.tb.Helper()
	h := r.open(name, windows.SERVICE_CHANGE_CONFIG)
	defer windows.CloseServiceHandle(h)
	d := windows.SERVICE_DESCRIPTION{Description: windows.StringToUTF16Ptr(text)}
	if err := windows.ChangeServiceConfig2(h, windows.SERVICE_CONFIG_DESCRIPTION, (*byte)(unsafe.Pointer(&d))); err != nil {
		r.tb.Fatalf("ChangeServiceConfig2 %s: %v", name, err)
	}
}

// Create creates a demand-start own-process service running cmdline.
func (r *Raw) Create(name, cmdline string, deps ...string) {
	r.tb.Helper()
	var dep *uint16
	if len(deps) > 0 {
		var u []uint16
		for _, d := range deps {
			s, _ := windows.UTF16FromString(d)
			u = append(u, s...)
		}
		dep = &append(u, 0)[0]
	}
	h, err := windows.CreateService(r.m, windows.StringToUTF16Ptr(name), windows.StringToUTF16Ptr(name),
		windows.SERVICE_QUERY_STATUS, windows.SERVICE_WIN32_OWN_PROCESS, windows.SERVICE_DEMAND_START,
		windows.SERVICE_ERROR_NORMAL, windows.StringToUTF16Ptr(cmdline), nil, nil, dep, nil, nil)
	if err != nil {
		r.tb.Fatalf("CreateService %s: %v", name, err)
	}
	windows.CloseServiceHandle(h)
}

// Delete stops service name if it runs (waiting for STOPPED), then deletes
// it: what "delete --stop" does.
func (r *Raw) Delete(name string) {
	r.tb.Helper()
	h := r.open(name, windows.SERVICE_STOP|windows.SERVICE_QUERY_STATUS|windows.DELETE)
	defer windows.CloseServiceHandle(h)
	var st windows.SERVICE_STATUS
	if err := windows.QueryServiceStatus(h, &st); err != nil {
		r.tb.Fatalf("QueryServiceStatus %s: %v", name, err)
	}
	if st.CurrentState != windows.SERVICE_STOPPED {
		if err := windows.ControlService(h, windows.SERVICE_CONTROL_STOP, &st); err != nil {
			r.tb.Fatalf("ControlService(STOP) %s: %v", name, err)
		}
		r.waitState(name, h, &st, windows.SERVICE_STOPPED)
	}
	if err := windows.DeleteService(h); err != nil {
		r.tb.Fatalf("DeleteService %s: %v", name, err)
	}
}

// DependencyTreeRaw reads what a dependency computation needs of every
// service, as winsvc does on an SCM that does not report dependencies
// (Wine's): one enumeration of every service, then each service's
// DependOnService, DependOnGroup and Group registry values. It returns the
// number of services read.
func (r *Raw) DependencyTreeRaw() int {
	r.tb.Helper()
	var names []string
	if _, err := EnumRaw(r.m, windows.SERVICE_TYPE_ALL, func(e *windows.ENUM_SERVICE_STATUS_PROCESS) {
		names = append(names, windows.UTF16PtrToString(e.ServiceName))
	}); err != nil {
		r.tb.Fatal(err)
	}
	for _, n := range names {
		k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+n, registry.QUERY_VALUE)
		if errors.Is(err, registry.ErrNotExist) {
			continue // Wine's own Winedevice services have no key
		}
		if err != nil {
			r.tb.Fatalf("open the registry key of %s: %v", n, err)
		}
		for _, v := range []string{"DependOnService", "DependOnGroup", "Group"} {
			var buf [1024]byte
			if _, _, err := k.GetValue(v, buf[:]); err != nil && !errors.Is(err, registry.ErrNotExist) {
				k.Close()
				r.tb.Fatalf("read %s\\%s: %v", n, v, err)
			}
		}
		k.Close()
	}
	return len(names)
}

// CountServices returns how many services of every type, in any state,
// the SCM lists, and the size of the enumeration buffer that took.
func (r *Raw) CountServices() (n, bufBytes int) {
	r.tb.Helper()
	bufBytes, err := EnumRaw(r.m, windows.SERVICE_TYPE_ALL, func(*windows.ENUM_SERVICE_STATUS_PROCESS) { n++ })
	if err != nil {
		r.tb.Fatal(err)
	}
	return n, bufBytes
}
