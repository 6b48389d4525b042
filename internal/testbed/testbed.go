//go:build windows

package testbed

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/mgr"

	"github.com/winsvc/winsvc/internal/testbed/svclog"
)

// EnvTestSvc names the environment variable holding the absolute Windows path
// (C:\... or Z:\...) of the built internal/testsvc executable.
const EnvTestSvc = "WINSVC_TESTSVC"

// LogEntry is one JSON line of the test service's -log file.
type LogEntry = svclog.Entry

// ServiceExe returns the Windows path of testsvc.exe from WINSVC_TESTSVC. It
// skips the test when the variable is unset and fails it when the file is
// missing.
func ServiceExe(t testing.TB) string {
	t.Helper()
	p := os.Getenv(EnvTestSvc)
	if p == "" {
		t.Skipf("%s is not set: build the test service with `GOOS=windows go build -o testsvc.exe ./internal/testsvc` "+
			"and set %s to its absolute Windows path (scripts/test.sh does both)", EnvTestSvc, EnvTestSvc)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s=%q: %v", EnvTestSvc, p, err)
	}
	return p
}

// CommandLine quotes exe and args the way the SCM's ImagePath expects, e.g.
// CommandLine(`C:\x y\testsvc.exe`, "-mode=normal") is
// `"C:\x y\testsvc.exe" -mode=normal`. The executable is always quoted.
func CommandLine(exe string, args ...string) string {
	var b strings.Builder
	b.WriteString(`"` + exe + `"`)
	for _, a := range args {
		b.WriteString(" " + windows.EscapeArg(a))
	}
	return b.String()
}

var nameSeq atomic.Uint32

// UniqueName returns a service name unique per test and per run:
// prefix-TestName-<8 random hex><sequence>. It is at most 64 characters of
// [A-Za-z0-9_-].
func UniqueName(t testing.TB, prefix string) string {
	t.Helper()
	var rb [4]byte
	if _, err := rand.Read(rb[:]); err != nil {
		t.Fatalf("UniqueName: %v", err)
	}
	suffix := "-" + hex.EncodeToString(rb[:]) + strings.ToLower(itoa36(nameSeq.Add(1)))
	head := safeName(prefix)
	if head != "" {
		head += "-"
	}
	head += safeName(t.Name())
	if max := 64 - len(suffix); len(head) > max {
		head = head[:max]
	}
	return head + suffix
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '_'
	}, s)
}

func itoa36(n uint32) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 36 {
		b = append([]byte{digits[n%36]}, b...)
	}
	return string(b)
}

var wineGetVersion = windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version")

// IsWine reports whether the process runs under Wine (ntdll exports
// wine_get_version).
func IsWine() bool { return wineGetVersion.Find() == nil }

// WineVersion returns Wine's version string, or "" on Windows.
func WineVersion() string {
	if !IsWine() {
		return ""
	}
	r, _, _ := wineGetVersion.Call()
	return windows.BytePtrToString(*(**byte)(unsafe.Pointer(&r)))
}

// ReadLog returns the entries in the test service's log at path; none if the
// file does not exist yet. It fails the test on malformed content.
func ReadLog(t testing.TB, path string) []LogEntry {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatalf("ReadLog: %v", err)
	}
	defer f.Close()
	entries, err := svclog.Parse(f)
	if err != nil {
		t.Fatalf("ReadLog %s: %v", path, err)
	}
	return entries
}

// WaitLog polls the log at path until cond holds and returns its entries. It
// fails the test after timeout.
func WaitLog(t testing.TB, path string, timeout time.Duration, cond func([]LogEntry) bool) []LogEntry {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		entries := ReadLog(t, path)
		if cond(entries) {
			return entries
		}
		if time.Now().After(deadline) {
			t.Fatalf("WaitLog %s: condition not met after %v; log: %+v", path, timeout, entries)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// QueryStatus returns service name's full status, straight from
// QueryServiceStatusEx through a SERVICE_QUERY_STATUS handle. Unlike x/sys
// mgr.Service.Query, it includes CheckPoint and WaitHint.
func QueryStatus(t testing.TB, name string) svc.Status {
	t.Helper()
	st, err := queryStatus(name)
	if err != nil {
		t.Fatalf("QueryStatus %s: %v", name, err)
	}
	return st
}

// QueryStatusErr is QueryStatus that returns the error instead of failing
// the test: ERROR_SERVICE_DOES_NOT_EXIST once a service is gone.
func QueryStatusErr(name string) (svc.Status, error) { return queryStatus(name) }

func queryStatus(name string) (svc.Status, error) {
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		return svc.Status{}, err
	}
	defer windows.CloseServiceHandle(m)
	n, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return svc.Status{}, err
	}
	h, err := windows.OpenService(m, n, windows.SERVICE_QUERY_STATUS)
	if err != nil {
		return svc.Status{}, err
	}
	defer windows.CloseServiceHandle(h)
	var p windows.SERVICE_STATUS_PROCESS
	var needed uint32
	if err := windows.QueryServiceStatusEx(h, windows.SC_STATUS_PROCESS_INFO,
		(*byte)(unsafe.Pointer(&p)), uint32(unsafe.Sizeof(p)), &needed); err != nil {
		return svc.Status{}, err
	}
	return svc.Status{
		State:                   svc.State(p.CurrentState),
		Accepts:                 svc.Accepted(p.ControlsAccepted),
		CheckPoint:              p.CheckPoint,
		WaitHint:                p.WaitHint,
		ProcessId:               p.ProcessId,
		Win32ExitCode:           p.Win32ExitCode,
		ServiceSpecificExitCode: p.ServiceSpecificExitCode,
	}, nil
}

// WaitStatus polls service name's status (QueryStatus, independent of winsvc)
// every 10 ms until cond holds, and returns that status. cond sees every
// polled status. It fails the test after timeout.
func WaitStatus(t testing.TB, name string, timeout time.Duration, cond func(svc.Status) bool) svc.Status {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		st := QueryStatus(t, name)
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("WaitStatus %s: condition not met after %v; last status %+v", name, timeout, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// WaitProcess waits up to timeout for process pid to exit and returns its exit
// code. It fails the test if the process cannot be opened (for example because
// it is already gone) or is still running at the deadline.
func WaitProcess(t testing.TB, pid uint32, timeout time.Duration) uint32 {
	t.Helper()
	h, err := windows.OpenProcess(windows.SYNCHRONIZE|windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		t.Fatalf("WaitProcess: open pid %d: %v", pid, err)
	}
	defer windows.CloseHandle(h)
	ev, err := windows.WaitForSingleObject(h, uint32(timeout.Milliseconds()))
	if err != nil || ev != windows.WAIT_OBJECT_0 {
		t.Fatalf("WaitProcess: pid %d still running after %v (wait=%#x, %v)", pid, timeout, ev, err)
	}
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		t.Fatalf("WaitProcess: exit code of pid %d: %v", pid, err)
	}
	return code
}

// ProcessAlive reports whether process pid is still running. A process that
// no longer exists is not alive.
func ProcessAlive(t testing.TB, pid uint32) bool {
	t.Helper()
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, pid)
	if err != nil {
		return false // no such process (ERROR_INVALID_PARAMETER)
	}
	defer windows.CloseHandle(h)
	ev, err := windows.WaitForSingleObject(h, 0)
	if err != nil {
		t.Fatalf("ProcessAlive %d: %v", pid, err)
	}
	return ev == uint32(windows.WAIT_TIMEOUT)
}

// KillProcess terminates process pid (exit code 1) and waits for it to be gone.
// A process that no longer exists is not an error.
func KillProcess(t testing.TB, pid uint32) {
	t.Helper()
	if err := killProcess(pid); err != nil {
		t.Errorf("KillProcess %d: %v", pid, err)
	}
}

func killProcess(pid uint32) error {
	if pid == 0 {
		return nil
	}
	h, err := windows.OpenProcess(windows.SYNCHRONIZE|windows.PROCESS_TERMINATE, false, pid)
	if err != nil {
		return nil // gone already (ERROR_INVALID_PARAMETER)
	}
	defer windows.CloseHandle(h)
	if err := windows.TerminateProcess(h, 1); err != nil {
		return err
	}
	_, err = windows.WaitForSingleObject(h, 5000)
	return err
}

// CleanupService registers a cleanup that removes service name however the
// test left it: it sends STOP, waits briefly for STOPPED, kills the service
// process if it is still alive (hang, crash, refusestop), and deletes the
// service. A service that no longer exists is fine. Register it right after
// creating the service.
func CleanupService(t testing.TB, name string) {
	t.Helper()
	t.Cleanup(func() {
		if err := removeService(name); err != nil {
			t.Errorf("CleanupService %s: %v", name, err)
		}
	})
}

func removeService(name string) error {
	m, err := mgr.Connect()
	if err != nil {
		return err
	}
	defer m.Disconnect()
	s, err := m.OpenService(name)
	if errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) {
		return nil
	}
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := s.Query()
	if err == nil && st.State != svc.Stopped {
		pid := st.ProcessId
		if _, err := s.Control(svc.Stop); err == nil {
			for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if st, err = s.Query(); err != nil || st.State == svc.Stopped {
					break
				}
			}
		}
		if err := killProcess(pid); err != nil {
			return err
		}
	}
	if err := s.Delete(); err != nil && !errors.Is(err, windows.ERROR_SERVICE_MARKED_FOR_DELETE) {
		return err
	}
	return nil
}
