package host_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"

	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/testbed"
)

// These tests run internal/testhost under a real SCM (Wine's under
// scripts/test.sh): a service that calls host.Run, hosting testhost's own
// console modes. They read the service's status with raw
// QueryServiceStatusEx calls (testbed), the processes with a raw toolhelp
// snapshot, and the files as written.

// envTestHost names the built internal/testhost executable.
const envTestHost = "WINSVC_TESTHOST"

func testHostExe(t testing.TB) string {
	t.Helper()
	p := os.Getenv(envTestHost)
	if p == "" {
		t.Skipf("%s is not set: build internal/testhost for Windows and set it to its absolute path (scripts/test.sh does both)", envTestHost)
	}
	return p
}

// hosted creates and starts a service hosting testhost's prog mode with
// args, as p says beside, and returns its name. p's Log is set to a file
// in dir.
func hosted(t *testing.T, dir string, p host.Program, mode string, args ...string) string {
	t.Helper()
	exe := testHostExe(t)
	p.Path = exe
	p.Args = append([]string{"prog", mode}, args...)
	if p.Log == "" {
		p.Log = filepath.Join(dir, "host.log")
	}
	js, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	name := testbed.UniqueName(t, "host")
	testbed.RawCreate(t, name, testbed.CommandLine(exe, "host", string(js)))
	testbed.OpenRaw(t).Start(name)
	return name
}

func stopService(t *testing.T, name string) svc.Status {
	t.Helper()
	testbed.OpenRaw(t).Stop(name)
	return testbed.QueryStatus(t, name)
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitFile waits until path holds want.
func waitFile(t *testing.T, path, want string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		b, _ := os.ReadFile(path)
		if strings.Contains(string(b), want) {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not hold %q after %v:\n%s", path, want, timeout, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pidsIn reads the process ids appended to path.
func pidsIn(t testing.TB, path string) []uint32 {
	t.Helper()
	var pids []uint32
	for _, f := range strings.Fields(readFile(t, path)) {
		n, err := strconv.ParseUint(f, 10, 32)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		pids = append(pids, uint32(n))
	}
	return pids
}

// running lists the processes named exe's base name that are running, with
// a raw toolhelp snapshot.
func running(t *testing.T) map[uint32]string {
	t.Helper()
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer windows.CloseHandle(snap)
	procs := map[uint32]string{}
	pe := windows.ProcessEntry32{Size: uint32(unsafe.Sizeof(windows.ProcessEntry32{}))}
	for err = windows.Process32First(snap, &pe); err == nil; err = windows.Process32Next(snap, &pe) {
		procs[pe.ProcessID] = windows.UTF16ToString(pe.ExeFile[:])
	}
	return procs
}

// noneRunning fails unless none of pids is in a process snapshot (waiting
// a little for the processes' end to be seen).
func noneRunning(t *testing.T, pids []uint32) {
	t.Helper()
	var left []string
	for range 50 {
		procs := running(t)
		left = nil
		for _, p := range pids {
			if exe, ok := procs[p]; ok && strings.EqualFold(exe, "testhost.exe") {
				left = append(left, fmt.Sprintf("%d %s", p, exe))
			}
		}
		if len(left) == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("processes of the program left running: %v", left)
}

func TestHostRunsProgram(t *testing.T) {
	dir := testbed.TempDir(t)
	work := filepath.Join(dir, "work")
	os.Mkdir(work, 0o755)
	out := filepath.Join(dir, "out.log")
	pids := filepath.Join(dir, "pids")
	name := hosted(t, dir, host.Program{
		Dir: work, Env: []string{"HOSTTEST=hello from the host", "API_TOKEN=hostlog-s3cret"},
		Stdout: out, Stderr: out, StopTimeout: 2 * time.Second,
	}, "children", "-n", "2", "-pids", pids)

	if st := testbed.QueryStatus(t, name); st.State != svc.Running {
		t.Fatalf("state %d; want RUNNING", st.State)
	}
	text := waitFile(t, out, "tick 1", 20*time.Second)
	for _, want := range []string{"cwd=" + work, "HOSTTEST=hello from the host", "stderr of children"} {
		if !strings.Contains(text, want) {
			t.Errorf("output does not hold %q:\n%s", want, text)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(pidsIn(t, pids)) < 3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	all := pidsIn(t, pids)
	if len(all) != 3 {
		t.Fatalf("process ids %v; want the program and 2 children", all)
	}
	stopService(t, name)
	noneRunning(t, all)
	events := readFile(t, filepath.Join(dir, "host.log"))
	t.Logf("host log:\n%s", events)
	for _, want := range []string{"started process " + strconv.Itoa(int(all[0])), "stop requested"} {
		if !strings.Contains(events, want) {
			t.Errorf("host log does not hold %q", want)
		}
	}
	if strings.Contains(events, "hostlog-s3cret") {
		t.Errorf("the host log shows the value of a secret variable of the environment")
	}
}

func TestHostStopEscalates(t *testing.T) {
	dir := testbed.TempDir(t)
	pids := filepath.Join(dir, "pids")
	name := hosted(t, dir, host.Program{StopTimeout: time.Second}, "ignore", "-pids", pids)
	waitFile(t, pids, "\n", 20*time.Second)
	t0 := time.Now()
	stopService(t, name)
	t.Logf("stopped in %v", time.Since(t0))
	noneRunning(t, pidsIn(t, pids))
	events := readFile(t, filepath.Join(dir, "host.log"))
	t.Logf("host log:\n%s", events)
	if !strings.Contains(events, "stop escalated: ending the process tree") {
		t.Errorf("host log does not say that the stop was escalated to the end of the tree")
	}
}

func TestHostStopsOnCtrlC(t *testing.T) {
	dir := testbed.TempDir(t)
	pids := filepath.Join(dir, "pids")
	name := hosted(t, dir, host.Program{StopTimeout: 2 * time.Second}, "run", "-pids", pids)
	waitFile(t, pids, "\n", 20*time.Second)
	stopService(t, name)
	noneRunning(t, pidsIn(t, pids))
	events := readFile(t, filepath.Join(dir, "host.log"))
	t.Logf("host log:\n%s", events)
	if strings.Contains(events, "stop: Ctrl+C not sent") {
		// Measured under Wine: see docs/wine-scm.md. The fallback (the
		// end of the tree) is what ended it; TestHostStopEscalates checks it.
		if testbed.IsWine() {
			t.Skipf("Wine could not send Ctrl+C to the program's console: %s", firstLine(events, "Ctrl+C not sent"))
		}
		t.Fatalf("Ctrl+C was not sent")
	}
	if !strings.Contains(events, "after Ctrl+C") {
		t.Errorf("the program did not exit on Ctrl+C")
	}
}

func firstLine(text, sub string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

func TestHostExitCode(t *testing.T) {
	dir := testbed.TempDir(t)
	name := hosted(t, dir, host.Program{Restart: host.RestartPolicy{When: host.Never}}, "crash", "-after", "1s", "-code", "5")
	st := testbed.WaitStatus(t, name, 30*time.Second, func(s svc.Status) bool { return s.State == svc.Stopped })
	if st.Win32ExitCode != uint32(windows.ERROR_SERVICE_SPECIFIC_ERROR) || st.ServiceSpecificExitCode != 5 {
		t.Errorf("STOPPED with Win32 %d, specific %d; want 1066 and the program's 5", st.Win32ExitCode, st.ServiceSpecificExitCode)
	}
}

// eventTimes returns the times of the host log's lines that hold sub.
func eventTimes(t *testing.T, text, sub string) []time.Time {
	var ts []time.Time
	for _, l := range strings.Split(text, "\n") {
		if !strings.Contains(l, sub) {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, strings.Fields(l)[0])
		if err != nil {
			t.Fatalf("event line %q: %v", l, err)
		}
		ts = append(ts, at)
	}
	return ts
}

func TestHostRestartBackoff(t *testing.T) {
	dir := testbed.TempDir(t)
	name := hosted(t, dir, host.Program{Restart: host.RestartPolicy{
		Delay: 300 * time.Millisecond, MaxDelay: 1200 * time.Millisecond, Throttle: 2 * time.Second,
	}}, "exit", "-code", "3")
	log := filepath.Join(dir, "host.log")
	text := waitFile(t, log, "restart 5", 60*time.Second)
	if st := testbed.QueryStatus(t, name); st.State != svc.Running {
		t.Errorf("state %d while the program is restarted; want RUNNING", st.State)
	}
	stopService(t, name)
	t.Logf("host log:\n%s", text)
	got := regexp.MustCompile(`restarting in (\S+) \(restart \d+, throttled`).FindAllStringSubmatch(text, -1)
	want := []string{"300ms", "600ms", "1.2s", "1.2s", "1.2s"}
	for i, w := range want {
		if i >= len(got) || got[i][1] != w {
			t.Fatalf("throttled restart delays %v; want %v first", got, want)
		}
	}
	// The delays are kept: each start comes at least the delay after the
	// exit before it.
	exits, starts := eventTimes(t, text, "exited with code 3"), eventTimes(t, text, "started process")
	for i := 0; i < 4 && i+1 < len(starts) && i < len(exits); i++ {
		d, _ := time.ParseDuration(want[i])
		if gap := starts[i+1].Sub(exits[i]); gap < d {
			t.Errorf("restart %d came %v after the exit; want >= %v", i+1, gap, d)
		}
	}
}

func TestHostCrashRestartNotThrottled(t *testing.T) {
	dir := testbed.TempDir(t)
	name := hosted(t, dir, host.Program{Restart: host.RestartPolicy{
		Delay: 200 * time.Millisecond, Throttle: 500 * time.Millisecond,
	}}, "crash", "-after", "1500ms", "-code", "4")
	text := waitFile(t, filepath.Join(dir, "host.log"), "restart 2)", 60*time.Second)
	stopService(t, name)
	t.Logf("host log:\n%s", text)
	if strings.Contains(text, "throttled") {
		t.Errorf("a program that ran past the throttle time was throttled")
	}
	if !strings.Contains(text, "restarting in 200ms (restart 1)") || !strings.Contains(text, "restarting in 400ms (restart 2)") {
		t.Errorf("want restarts after 200ms then 400ms (back-off within ResetAfter)")
	}
}

func TestHostRotatesOutput(t *testing.T) {
	dir := testbed.TempDir(t)
	out := filepath.Join(dir, "out.log")
	name := hosted(t, dir, host.Program{Stdout: out, Rotate: host.Rotation{Bytes: 8192, Keep: 3}},
		"flood", "-bytes", "100000", "-every", "1h")
	waitFile(t, filepath.Join(dir, "host.log"), "started process", 20*time.Second)
	deadline := time.Now().Add(20 * time.Second)
	var rotated []string
	for time.Now().Before(deadline) {
		rotated, _ = filepath.Glob(filepath.Join(dir, "out-*.log"))
		if strings.Contains(readFile(t, out), "of the flood") && len(rotated) == 3 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	stopService(t, name)
	if len(rotated) != 3 {
		t.Fatalf("rotated files %q; want Keep=3", rotated)
	}
	for _, p := range append(rotated, out) {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > 8192 {
			t.Errorf("%s holds %d bytes; want <= 8192", p, fi.Size())
		}
	}
	last := readFile(t, out)
	if !strings.HasSuffix(strings.TrimRight(last, "\n"), "of the flood") && !strings.Contains(last, "line ") {
		t.Errorf("current output file:\n%s", last)
	}
}

func TestHostProgramMissing(t *testing.T) {
	dir := testbed.TempDir(t)
	js, _ := json.Marshal(host.Program{Path: filepath.Join(dir, "missing.exe"), Log: filepath.Join(dir, "host.log")})
	name := testbed.UniqueName(t, "host")
	testbed.RawCreate(t, name, testbed.CommandLine(testHostExe(t), "host", string(js)))
	h, _ := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	defer windows.CloseServiceHandle(h)
	s, err := windows.OpenService(h, windows.StringToUTF16Ptr(name), windows.SERVICE_START)
	if err != nil {
		t.Fatal(err)
	}
	defer windows.CloseServiceHandle(s)
	windows.StartService(s, 0, nil)
	st := testbed.WaitStatus(t, name, 30*time.Second, func(s svc.Status) bool { return s.State == svc.Stopped })
	if st.Win32ExitCode != uint32(windows.ERROR_FILE_NOT_FOUND) {
		t.Errorf("STOPPED with Win32 exit code %d; want ERROR_FILE_NOT_FOUND (2)", st.Win32ExitCode)
	}
	if text := readFile(t, filepath.Join(dir, "host.log")); !strings.Contains(text, "start failed") {
		t.Errorf("host log:\n%s", text)
	}
}
