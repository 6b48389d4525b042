package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/winsvc/winsvc/internal/testbed"
)

// These tests run winsvc as a separate process, the way users do, against
// the real Service Control Manager (Wine's under scripts/test.sh), and check
// stdout, stderr and the exit status.
//
// Which program runs: $WINSVC_EXE when it is set (the Windows path of a
// winsvc.exe built with "GOOS=windows go build ./cmd/winsvc"; scripts/test.sh
// builds one and sets it); otherwise this test binary itself, which is
// package main of cmd/winsvc and so contains the whole command: with
// $WINSVC_E2E_CHILD=1, TestMain runs main() instead of the tests. Either way
// the code under test is the code of winsvc.exe; nothing is built inside
// Wine.

const (
	envExe   = "WINSVC_EXE"
	envChild = "WINSVC_E2E_CHILD"
)

func TestMain(m *testing.M) {
	if os.Getenv(envChild) == "1" {
		main() // exits
	}
	os.Exit(m.Run())
}

// result is the outcome of one winsvc run.
type result struct {
	args           []string
	code           int
	stdout, stderr string
}

// winsvc runs the command with args and no stdin.
func winsvc(t *testing.T, args ...string) result {
	t.Helper()
	return winsvcIn(t, "", args...)
}

// winsvcIn runs the command with args and stdin.
func winsvcIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return winsvcEnv(t, stdin, nil, args...)
}

var logExe sync.Once

// errProcessCreation is the error with which Wine's CreateProcess fails
// now and then: ERROR_INTERNAL_ERROR.
var errProcessCreation error = syscall.Errno(1359)

// winsvcEnv runs the command with args, stdin and extra environment
// variables ("KEY=value").
func winsvcEnv(t *testing.T, stdin string, env []string, args ...string) result {
	t.Helper()
	exe := os.Getenv(envExe)
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			t.Fatal(err)
		}
	}
	logExe.Do(func() { t.Logf("winsvc is %s ($%s=%q)", exe, envExe, os.Getenv(envExe)) })
	var out, errOut bytes.Buffer
	err := errProcessCreation
	// Wine's CreateProcess fails now and then with ERROR_INTERNAL_ERROR
	// (docs/wine-scm.md §6): the process never ran, so it is started again.
	for try := 1; errors.Is(err, errProcessCreation) && try <= 3; try++ {
		if try > 1 {
			t.Logf("winsvc %q did not start (%v); starting it again", args, err)
		}
		cmd := exec.Command(exe, args...)
		cmd.Env = append(append(os.Environ(), envChild+"=1"), env...)
		cmd.Stdin = strings.NewReader(stdin)
		out.Reset()
		errOut.Reset()
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err = cmd.Run()
	}
	r := result{args: args, stdout: out.String(), stderr: errOut.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("winsvc %q: %v", args, err)
	}
	t.Logf("winsvc %s -> exit %d", strings.Join(args, " "), r.code)
	return r
}

// ok fails the test unless the run exited with code, and returns stdout.
func (r result) ok(t *testing.T, code int, contains ...string) string {
	t.Helper()
	if r.code != code {
		t.Fatalf("winsvc %q: exit %d, want %d\nstdout: %s\nstderr: %s", r.args, r.code, code, r.stdout, r.stderr)
	}
	for _, s := range contains {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("winsvc %q: stdout does not contain %q:\n%s", r.args, s, r.stdout)
		}
	}
	return r.stdout
}

// decode parses stdout as JSON into v.
func (r result) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("winsvc %q: stdout is not JSON: %v\n%s", r.args, err, r.stdout)
	}
}

// jsonError checks a failed --json run: the exit code, and the error
// document on stderr with the same code, the operation and the service.
func (r result) jsonError(t *testing.T, code int, service string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("winsvc %q: exit %d, want %d\nstderr: %s", r.args, r.code, code, r.stderr)
	}
	var doc struct {
		Error struct {
			Op, Service, CodeName, Message string
			Code                           int
		}
	}
	if err := json.Unmarshal([]byte(r.stderr), &doc); err != nil {
		t.Fatalf("winsvc %q: stderr is not a JSON error: %v\n%s", r.args, err, r.stderr)
	}
	e := doc.Error
	if e.Code != code || e.Op == "" || e.Service != service || e.Message == "" || e.CodeName == "" {
		t.Errorf("winsvc %q: error document %+v, want code %d for service %q", r.args, e, code, service)
	}
	if r.stdout != "" {
		t.Errorf("winsvc %q: stdout not empty on error: %q", r.args, r.stdout)
	}
}

// status is the part of a JSON status the tests look at.
type status struct {
	Name             string   `json:"name"`
	DisplayName      string   `json:"displayName"`
	ServiceType      string   `json:"serviceType"`
	State            string   `json:"state"`
	ProcessID        uint32   `json:"processId"`
	ControlsAccepted []string `json:"controlsAccepted"`
}

func queryState(t *testing.T, name string) status {
	t.Helper()
	var st status
	r := winsvc(t, "query", name, "--json")
	r.ok(t, 0)
	r.decode(t, &st)
	return st
}

// newService creates a test service through winsvc and registers its
// removal; it returns the name and the service's log file.
func newService(t *testing.T, mode string, extra ...string) (name, logPath string) {
	t.Helper()
	exe := testbed.ServiceExe(t)
	name = testbed.UniqueName(t, "cli")
	logPath = filepath.Join(testbed.TempDir(t), "svc.log")
	testbed.CleanupService(t, name)
	args := append([]string{"create", name, "binPath=", testbed.CommandLine(exe, "-mode="+mode, "-log="+logPath, "-lifetime=5m")}, extra...)
	winsvc(t, args...).ok(t, 0, "[SC] CreateService SUCCESS")
	return name, logPath
}

// TestLifecycle walks the sc verbs Wine supports, in order:
// create, qc, config, description, start, query, pause, continue,
// interrogate, control, stop, delete.
func TestLifecycle(t *testing.T) {
	name, logPath := newService(t, "normal", "DisplayName=", "CLI Lifecycle", "start=", "demand", "error=", "severe")

	out := winsvc(t, "qc", name).ok(t, 0, "[SC] QueryServiceConfig SUCCESS", "SERVICE_NAME: "+name,
		"TYPE               : 10  WIN32_OWN_PROCESS", "START_TYPE         : 3   DEMAND_START",
		"ERROR_CONTROL      : 2   SEVERE", "DISPLAY_NAME       : CLI Lifecycle", "SERVICE_START_NAME : LocalSystem")
	if !strings.Contains(out, "-mode=normal") {
		t.Errorf("qc: binary path lost its arguments:\n%s", out)
	}

	// config in both syntaxes; read back through qc --json.
	winsvc(t, "config", name, "start=", "disabled", "DisplayName=", "CLI Renamed").ok(t, 0, "[SC] ChangeServiceConfig SUCCESS")
	winsvc(t, "config", name, "--error", "normal", "--group", "CliGroup").ok(t, 0, "[SC] ChangeServiceConfig SUCCESS")
	var c struct {
		StartType, ErrorControl, DisplayName, LoadOrderGroup string
		Unavailable                                          map[string]string
	}
	r := winsvc(t, "qc", name, "--json")
	r.ok(t, 0)
	r.decode(t, &c)
	if c.StartType != "DISABLED" || c.ErrorControl != "ERROR_NORMAL" || c.DisplayName != "CLI Renamed" || c.LoadOrderGroup != "CliGroup" {
		t.Errorf("qc --json after config: %+v", c)
	}
	// A disabled service does not start.
	winsvc(t, "start", name, "--json").jsonError(t, 1058, name)
	winsvc(t, "config", name, "start=demand", "group=", "").ok(t, 0)
	winsvc(t, "config", name, "start=", "auto", "--dry-run").ok(t, 0, "startType")
	winsvc(t, "qc", name).ok(t, 0, "DEMAND_START")

	winsvc(t, "description", name, "Serves", "the tests").ok(t, 0, "[SC] ChangeServiceConfig2 SUCCESS")
	winsvc(t, "qdescription", name).ok(t, 0, "DESCRIPTION:  Serves the tests")

	out = winsvc(t, "start", name).ok(t, 0, "SERVICE_NAME: "+name, "STATE              : 4  RUNNING",
		"(STOPPABLE, PAUSABLE, ACCEPTS_SHUTDOWN)", "PID                :")
	st := queryState(t, name)
	if st.State != "RUNNING" || st.ProcessID == 0 || st.Name != name {
		t.Errorf("query --json after start: %+v\n%s", st, out)
	}
	winsvc(t, "queryex", name).ok(t, 0, "RUNNING", "PID", "FLAGS")
	winsvc(t, "status", name).ok(t, 0, "RUNNING")

	winsvc(t, "pause", name).ok(t, 0, "STATE              : 7  PAUSED")
	winsvc(t, "status", name).ok(t, 3, "PAUSED")
	winsvc(t, "continue", name).ok(t, 0, "STATE              : 4  RUNNING")
	winsvc(t, "interrogate", name).ok(t, 0, "RUNNING")
	winsvc(t, "control", name, "200").ok(t, 0, "RUNNING")
	winsvc(t, "control", name, "paramchange").ok(t, 0, "RUNNING")
	testbed.WaitLog(t, logPath, 5*time.Second, func(es []testbed.LogEntry) bool {
		seen := map[uint32]bool{}
		for _, e := range es {
			if e.Event == "control" {
				seen[e.Control] = true
			}
		}
		return seen[200] && seen[6]
	})

	winsvc(t, "stop", name).ok(t, 0, "STATE              : 1  STOPPED")
	winsvc(t, "delete", name).ok(t, 0, "[SC] DeleteService SUCCESS")
	winsvc(t, "query", name, "--json").jsonError(t, 1060, name)
	winsvc(t, "exists", name).ok(t, 1060, "false")
}

// TestFailureExitCodes checks the exit status and the JSON error of the
// usual failures.
func TestFailureExitCodes(t *testing.T) {
	missing := testbed.UniqueName(t, "missing")
	winsvc(t, "start", missing, "--json").jsonError(t, 1060, missing)
	winsvc(t, "qc", missing, "--json").jsonError(t, 1060, missing)
	if r := winsvc(t, "stop", missing); r.code != 1060 || !strings.Contains(r.stderr, "ERROR_SERVICE_DOES_NOT_EXIST") ||
		strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("text error: exit %d, stderr %q (want one line naming the code)", r.code, r.stderr)
	}

	name, _ := newService(t, "normal")
	winsvc(t, "stop", name, "--json").jsonError(t, 1062, name)
	winsvc(t, "stop", name, "--ensure").ok(t, 0, "STOPPED")
	winsvc(t, "create", name, "binPath=", `C:\x.exe`, "--json").jsonError(t, 1073, name)
	winsvc(t, "status", name).ok(t, 3, "STOPPED")
	winsvc(t, "exists", name).ok(t, 0, "true")
	winsvc(t, "wait", name, "running", "--timeout", "500ms", "--json").jsonError(t, 1053, name)

	winsvc(t, "start", name).ok(t, 0, "RUNNING")
	winsvc(t, "start", name, "--json").jsonError(t, 1056, name)
	winsvc(t, "start", name, "--ensure").ok(t, 0, "RUNNING")
	winsvc(t, "continue", name, "--json").jsonError(t, 1061, name)
	winsvc(t, "control", name, "100", "--json").jsonError(t, 87, name)

	// Usage errors and validation errors: 87, before anything is changed.
	if r := winsvc(t, "create", "--json"); r.code != 87 || !strings.Contains(r.stderr, `"code":87`) {
		t.Errorf("usage error: exit %d, stderr %q", r.code, r.stderr)
	}
	bad := testbed.UniqueName(t, "bad")
	winsvc(t, "create", bad, "binPath=", `C:\x.exe`, "start=", "boot", "--json").jsonError(t, 87, bad)
	winsvc(t, "exists", bad).ok(t, 1060)
}

// TestWaitFailures: a start that crashes fails at once (1067); one that hangs
// fails at --timeout or when it stalls (1053).
func TestWaitFailures(t *testing.T) {
	crash, _ := newService(t, "crash")
	began := time.Now()
	winsvc(t, "start", crash, "--timeout", "20s", "--json").jsonError(t, 1067, crash)
	if d := time.Since(began); d > 15*time.Second {
		t.Errorf("a crashing start took %v to fail", d)
	}
	hang, _ := newService(t, "hang")
	winsvc(t, "start", hang, "--timeout", "1500ms", "--json").jsonError(t, 1053, hang)
	winsvc(t, "start", hang, "--no-wait", "--ensure").ok(t, 0, "START_PENDING")
}

// TestRefusedControls: a control the service does not accept fails without
// changing anything (1052), and a stop the service ignores fails at the
// deadline (1053), leaving it RUNNING.
func TestRefusedControls(t *testing.T) {
	nostop, _ := newService(t, "nostop")
	winsvc(t, "start", nostop).ok(t, 0, "(NOT_STOPPABLE, NOT_PAUSABLE")
	winsvc(t, "pause", nostop, "--json").jsonError(t, 1052, nostop)
	winsvc(t, "stop", nostop, "--json").jsonError(t, 1052, nostop)
	winsvc(t, "status", nostop).ok(t, 0, "RUNNING")

	refuse, _ := newService(t, "refusestop")
	winsvc(t, "start", refuse).ok(t, 0, "RUNNING")
	winsvc(t, "stop", refuse, "--timeout", "1s", "--json").jsonError(t, 1053, refuse)
	winsvc(t, "status", refuse).ok(t, 0, "RUNNING")
}

// TestBinPathWithSpaces: an unquoted binPath= whose program path has spaces
// is stored quoted, and the service starts.
func TestBinPathWithSpaces(t *testing.T) {
	src := testbed.ServiceExe(t)
	dir := filepath.Join(testbed.TempDir(t), "with space")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "test svc.exe")
	copyFile(t, src, exe)
	name := testbed.UniqueName(t, "space")
	testbed.CleanupService(t, name)
	winsvc(t, "create", name, "binPath=", exe+" -mode=normal -lifetime=5m").ok(t, 0)
	var c struct{ BinaryPathName string }
	r := winsvc(t, "qc", name, "--json")
	r.ok(t, 0)
	r.decode(t, &c)
	if want := `"` + exe + `" -mode=normal -lifetime=5m`; c.BinaryPathName != want {
		t.Errorf("binary path %q, want %q", c.BinaryPathName, want)
	}
	winsvc(t, "start", name).ok(t, 0, "RUNNING")
	winsvc(t, "delete", name, "--stop", "--wait").ok(t, 0, "[SC] DeleteService SUCCESS")
	winsvc(t, "exists", name).ok(t, 1060)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestExtraVerbs covers the verbs sc lacks, and the reads that work under
// any SCM.
func TestExtraVerbs(t *testing.T) {
	name, _ := newService(t, "normal", "DisplayName=", "CLI Extra")
	winsvc(t, "GetDisplayName", name).ok(t, 0, "Name = CLI Extra")
	winsvc(t, "GetKeyName", "CLI Extra").ok(t, 0, "Name = "+name)
	winsvc(t, "list", "--names").ok(t, 0, name+"\n")
	var rows []struct{ Name, State, StartType string }
	r := winsvc(t, "list", "--name", name, "--json")
	r.ok(t, 0)
	r.decode(t, &rows)
	if len(rows) != 1 || rows[0].State != "STOPPED" || rows[0].StartType != "DEMAND_START" {
		t.Errorf("list --json: %+v", rows)
	}
	winsvc(t, "list", "--name", name).ok(t, 0, "NAME", name, "STOPPED", "demand")

	var g struct {
		Config map[string]any
		Status status
	}
	r = winsvc(t, "get", name, "--json")
	r.ok(t, 0)
	r.decode(t, &g)
	if g.Config["displayName"] != "CLI Extra" || g.Status.State != "STOPPED" || g.Config["unavailable"] == nil {
		t.Errorf("get --json: %+v", g)
	}
	winsvc(t, "get", name).ok(t, 0, "SERVICE_NAME: "+name, "DESCRIPTION", "STATE")

	winsvc(t, "start", name, "--no-wait").ok(t, 0)
	winsvc(t, "wait", name, "running", "--timeout", "10s").ok(t, 0, "RUNNING")
	// Every JSON status has the display name, though Manager.Status and the
	// controls do not report it.
	for _, args := range [][]string{{"wait", name, "running"}, {"status", name}, {"interrogate", name},
		{"control", name, "200"}, {"query", name}, {"queryex", name}} {
		var st status
		r := winsvc(t, append(args, "--json")...)
		r.ok(t, 0)
		r.decode(t, &st)
		if st.Name != name || st.DisplayName != "CLI Extra" || st.State != "RUNNING" {
			t.Errorf("%s --json: %+v", args[0], st)
		}
	}
	pid := queryState(t, name).ProcessID
	var rs struct {
		Status              status
		RestartedDependents []string
		PausedDependents    []string
		DependentsSource    string
	}
	r = winsvc(t, "restart", name, "--json")
	r.ok(t, 0)
	r.decode(t, &rs)
	if rs.Status.State != "RUNNING" || rs.Status.DisplayName != "CLI Extra" || rs.RestartedDependents == nil ||
		len(rs.RestartedDependents) != 0 || rs.PausedDependents == nil || rs.DependentsSource == "" {
		t.Errorf("restart --json: %+v\n%s", rs, r.stdout)
	}
	if st := queryState(t, name); st.State != "RUNNING" || st.ProcessID == pid {
		t.Errorf("restart: %+v (pid before %d)", st, pid)
	}
	// --no-wait returns once the start is accepted; then it gets there.
	pid = queryState(t, name).ProcessID
	winsvc(t, "restart", name, "--no-wait").ok(t, 0, "SERVICE_NAME: "+name)
	winsvc(t, "wait", name, "running", "--timeout", "10s").ok(t, 0, "RUNNING")
	if st := queryState(t, name); st.ProcessID == pid {
		t.Errorf("restart --no-wait did not restart: %+v (pid before %d)", st, pid)
	}

	// watch sees the stop that happens while it runs.
	done := make(chan result)
	go func() { done <- winsvc(t, "watch", name, "--json", "--interval", "50ms", "--timeout", "4s") }()
	time.Sleep(1500 * time.Millisecond)
	winsvc(t, "stop", name, "--with-dependents").ok(t, 0, "STOPPED")
	w := <-done
	w.ok(t, 0, `"to":"RUNNING"`, `"to":"STOPPED"`)

	winsvc(t, "showsid", name).ok(t, 0, "SERVICE SID: S-1-5-80-")

	// EnumDepend --json is the dependency tree.
	var tree map[string]json.RawMessage
	r = winsvc(t, "EnumDepend", name, "--json")
	r.ok(t, 0)
	r.decode(t, &tree)
	var svcName, source string
	var dependsOn, dependents []json.RawMessage
	for _, f := range []struct {
		key string
		v   any
	}{{"service", &svcName}, {"dependentsSource", &source}, {"dependsOn", &dependsOn}, {"dependents", &dependents}} {
		raw, ok := tree[f.key]
		if !ok {
			t.Errorf("EnumDepend --json: no %q in %s", f.key, r.stdout)
			continue
		}
		if err := json.Unmarshal(raw, f.v); err != nil {
			t.Errorf("EnumDepend --json: %s: %v", f.key, err)
		}
	}
	if svcName != name || (source != "scm" && source != "configurations") || dependsOn == nil || dependents == nil ||
		len(dependsOn)+len(dependents) != 0 {
		t.Errorf("EnumDepend --json of a service with no dependencies: %s", r.stdout)
	}

	// query --json without a name is an array of statuses: with state= all,
	// this stopped service is among them; by default only active ones are.
	var all []status
	r = winsvc(t, "query", "state=", "all", "--json")
	r.ok(t, 0)
	r.decode(t, &all)
	found := false
	for _, st := range all {
		if st.Name == "" || st.State == "" || st.ServiceType == "" {
			t.Errorf("query state= all --json: incomplete status %+v", st)
		}
		if st.Name == name {
			found = true
			if st.State != "STOPPED" || st.DisplayName != "CLI Extra" {
				t.Errorf("query state= all --json: %+v", st)
			}
		}
	}
	if !found {
		t.Errorf("query state= all --json lacks %s", name)
	}
	var active []status
	r = winsvc(t, "query", "--json")
	r.ok(t, 0)
	r.decode(t, &active)
	if len(active) == 0 {
		t.Errorf("query --json: no active service (the test bed runs some)")
	}
	for _, st := range active {
		if st.State == "STOPPED" || st.Name == name || !strings.HasPrefix(st.ServiceType, "WIN32") {
			t.Errorf("query --json lists an inactive or non-Win32 service: %+v", st)
		}
	}
}

// TestListAgreesWithGet: list --json shows each setting as get --json
// does: the delayed auto-start flag of an automatic and of a demand
// service is the flag (Windows), or null where the SCM cannot report it
// (Wine, docs/wine-scm.md: level 3 is 124), never a false it did not read.
func TestListAgreesWithGet(t *testing.T) {
	auto, _ := newService(t, "normal", "start=", "auto")
	demand, _ := newService(t, "normal", "start=", "demand")
	for _, name := range []string{auto, demand} {
		var rows []map[string]json.RawMessage
		r := winsvc(t, "list", "--name", name, "--json")
		r.ok(t, 0)
		r.decode(t, &rows)
		var g struct{ Config map[string]json.RawMessage }
		r = winsvc(t, "get", name, "--json")
		r.ok(t, 0)
		r.decode(t, &g)
		if len(rows) != 1 {
			t.Fatalf("list --name %s: %d rows", name, len(rows))
		}
		for _, f := range []string{"startType", "delayedAutoStart"} {
			if l, c := string(rows[0][f]), string(g.Config[f]); l != c || l == "" {
				t.Errorf("%s: list --json says %s: %s, get --json %s", name, f, l, c)
			}
		}
		t.Logf("%s: delayedAutoStart %s in both", name, rows[0]["delayedAutoStart"])
	}
}

// TestPasswordNeverShown: a password given on stdin is not printed.
func TestPasswordNeverShown(t *testing.T) {
	name := testbed.UniqueName(t, "pw")
	testbed.CleanupService(t, name)
	r := winsvcIn(t, "hunter2\n", "create", name, "binPath=", `C:\x.exe`, "obj=", `.\someuser`, "--password-stdin", "--json")
	r.ok(t, 0)
	if strings.Contains(r.stdout+r.stderr, "hunter2") {
		t.Errorf("the password was printed:\n%s\n%s", r.stdout, r.stderr)
	}
	r = winsvc(t, "config", name, "password=", "hunter3")
	r.ok(t, 0)
	if !strings.Contains(r.stderr, "process lists") || strings.Contains(r.stdout+r.stderr, "hunter3") {
		t.Errorf("password=: stderr %q", r.stderr)
	}
}

// TestUnsupportedUnderWine: settings Wine's SCM does not implement fail with
// its code (124), or work on Windows.
func TestUnsupportedUnderWine(t *testing.T) {
	name, _ := newService(t, "normal")
	for _, verb := range []string{"qfailure", "qfailureflag", "qsidtype", "qprivs"} {
		r := winsvc(t, verb, name, "--json")
		if testbed.IsWine() {
			r.jsonError(t, 124, name)
		} else {
			r.ok(t, 0)
		}
	}
}

// TestDependencies: EnumDepend, stop --with-dependents and restart, with the
// dependents computed from the configurations where the SCM does not track
// them (Wine).
func TestDependencies(t *testing.T) {
	base, _ := newService(t, "normal")
	top, _ := newService(t, "normal", "depend=", base)
	winsvc(t, "qc", top).ok(t, 0, "DEPENDENCIES       : "+base)
	winsvc(t, "start", base).ok(t, 0, "RUNNING")
	winsvc(t, "start", top).ok(t, 0, "RUNNING")

	r := winsvc(t, "EnumDepend", base)
	r.ok(t, 0, "Enum: entriesRead  = 1", "SERVICE_NAME: "+top)
	winsvc(t, "EnumDepend", top, "--tree").ok(t, 0, "DEPENDS ON:", base)
	var tree struct {
		Service, DependentsSource string
		Dependents                []struct{ Name, State string }
	}
	r = winsvc(t, "EnumDepend", base, "--json")
	r.ok(t, 0)
	r.decode(t, &tree)
	if len(tree.Dependents) != 1 || tree.Dependents[0].Name != top || tree.Dependents[0].State != "RUNNING" {
		t.Errorf("EnumDepend --json: %+v", tree)
	}

	topPID := queryState(t, top).ProcessID
	r = winsvc(t, "restart", base)
	r.ok(t, 0, "RUNNING")
	if !strings.Contains(r.stderr, "started the dependents again: "+top) {
		t.Errorf("restart did not name the dependent it brought back: %q", r.stderr)
	}
	if st := queryState(t, top); st.State != "RUNNING" || st.ProcessID == topPID {
		t.Errorf("restart did not bring the dependent back: %+v (pid before %d)", st, topPID)
	}
	var rs struct {
		Status              status
		RestartedDependents []string
	}
	r = winsvc(t, "restart", base, "--json")
	r.ok(t, 0)
	r.decode(t, &rs)
	if rs.Status.Name != base || rs.Status.State != "RUNNING" || len(rs.RestartedDependents) != 1 || rs.RestartedDependents[0] != top {
		t.Errorf("restart --json: %s", r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("restart --json wrote to stderr: %q", r.stderr)
	}
	r = winsvc(t, "stop", base, "--with-dependents")
	r.ok(t, 0, "STOPPED")
	if !strings.Contains(r.stderr, top) {
		t.Errorf("stop --with-dependents did not name the dependent it stopped: %q", r.stderr)
	}
	if st := queryState(t, top); st.State != "STOPPED" {
		t.Errorf("dependent after stop --with-dependents: %+v", st)
	}

	// The same with --json: the dependents are in the document.
	winsvc(t, "start", base).ok(t, 0, "RUNNING")
	winsvc(t, "start", top).ok(t, 0, "RUNNING")
	var ss struct {
		Status            status
		StoppedDependents []string
		DependentsSource  string
	}
	r = winsvc(t, "stop", base, "--with-dependents", "--json")
	r.ok(t, 0)
	r.decode(t, &ss)
	if ss.Status.Name != base || ss.Status.State != "STOPPED" || len(ss.StoppedDependents) != 1 || ss.StoppedDependents[0] != top || ss.DependentsSource == "" {
		t.Errorf("stop --with-dependents --json: %s", r.stdout)
	}
	if st := queryState(t, top); st.State != "STOPPED" {
		t.Errorf("dependent after stop --with-dependents --json: %+v", st)
	}
}

// TestHintsForTheVerb: a refused stop or start ends with a hint the user
// can act on with the verb they ran. delete --stop of a service with a
// running dependent fails with 1051 and names the command that stops both
// (delete has no --with-dependents); nothing is deleted. A service whose
// process exits at once fails start with 1067, not with 1053 and "raise
// --timeout".
func TestHintsForTheVerb(t *testing.T) {
	base, _ := newService(t, "normal")
	top, _ := newService(t, "normal", "depend=", base)
	winsvc(t, "start", base).ok(t, 0, "RUNNING")
	winsvc(t, "start", top).ok(t, 0, "RUNNING")
	r := winsvc(t, "delete", base, "--stop", "--json")
	r.jsonError(t, 1051, base)
	if want := "'winsvc stop " + base + " --with-dependents', then run 'winsvc delete' again"; !strings.Contains(r.stderr, want) {
		t.Errorf("delete --stop with a running dependent: %s; want the hint %q", r.stderr, want)
	}
	if st := testbed.QueryStatus(t, base); st.State != 4 { // SERVICE_RUNNING
		t.Errorf("after the refused delete --stop, %s is in state %d; want RUNNING", base, st.State)
	}
	winsvc(t, "stop", base, "--with-dependents").ok(t, 0, "STOPPED")

	exits := testbed.UniqueName(t, "cli")
	testbed.CleanupService(t, exits)
	winsvc(t, "create", exits, "binPath=", testbed.CommandLine(testbed.ServiceExe(t), "-probe")).ok(t, 0)
	r = winsvc(t, "start", exits, "--json")
	r.jsonError(t, 1067, exits)
	if strings.Contains(r.stderr, "--timeout") || !strings.Contains(r.stderr, "before it connected") {
		t.Errorf("start of a service whose process exits at once: %s; want 1067 saying so, without --timeout", r.stderr)
	}
}

// TestAccountAndSecurityReads covers the reads of the rarer settings.
func TestAccountAndSecurityReads(t *testing.T) {
	name, _ := newService(t, "normal")
	winsvc(t, "qmanagedaccount", name).ok(t, 0, "ACCOUNT_MANAGED    : FALSE")
	if testbed.IsWine() {
		winsvc(t, "managedaccount", name, "true", "--json").jsonError(t, 1733, name) // Wine cannot marshal info level 11
	} else {
		winsvc(t, "managedaccount", name, "false").ok(t, 0, "[SC] ChangeServiceConfig2 SUCCESS")
		var set struct{ Config struct{ ManagedAccount bool } } // a setting verb prints the save document
		var got struct{ ManagedAccount bool }
		// The SCM may refuse the mark for a LocalSystem service (87).
		if r := winsvc(t, "managedaccount", name, "true", "--json"); r.code == 87 {
			r.jsonError(t, 87, name)
			t.Logf("the SCM refused to mark a LocalSystem service's account as managed: %s", r.stderr)
		} else {
			r.ok(t, 0)
			r.decode(t, &set)
			winsvc(t, "qmanagedaccount", name).ok(t, 0, "ACCOUNT_MANAGED    : TRUE")
			winsvc(t, "managedaccount", name, "false").ok(t, 0, "[SC] ChangeServiceConfig2 SUCCESS")
			if !set.Config.ManagedAccount {
				t.Errorf("managedaccount true --json printed %+v", set)
			}
		}
		r := winsvc(t, "qmanagedaccount", name, "--json")
		r.ok(t, 0)
		r.decode(t, &got)
		if got.ManagedAccount {
			t.Errorf("qmanagedaccount --json after managedaccount false printed %+v", got)
		}
	}
	winsvc(t, "quserservice", name).ok(t, 0, "USER_SERVICE       : NONE")
	if r := winsvc(t, "querylock", "--json"); testbed.IsWine() {
		r.jsonError(t, 50, "")
	} else {
		r.ok(t, 0, `"locked"`)
	}
}

// TestSecurityVerbs: sdshow and sdset, checked with GetNamedSecurityInfo,
// which reads the descriptor without winsvc. Where the SCM stores
// descriptors, sdset's DACL is what sdshow and the raw read report. Under
// Wine, whose SCM answers "D:" (an empty DACL: no one has any access) for
// every service and keeps nothing it is given, sdshow and sdshow --explain
// fail with 50 saying the SCM does not report a real descriptor (never
// explaining "D:"), and sdset fails with 50, "not stored", not SUCCESS.
func TestSecurityVerbs(t *testing.T) {
	name, _ := newService(t, "normal")
	const dacl = "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)"
	before := testbed.ServiceDACL(t, name)
	if !testbed.IsWine() {
		winsvc(t, "sdset", name, dacl).ok(t, 0, "[SC] SetServiceObjectSecurity SUCCESS")
		winsvc(t, "sdshow", name).ok(t, 0, dacl)
		winsvc(t, "sdshow", name, "--explain").ok(t, 0, "allow full control")
		if raw := testbed.ServiceDACL(t, name); raw != dacl {
			t.Errorf("after sdset %s, GetNamedSecurityInfo reads %s", dacl, raw)
		}
		return
	}
	for _, args := range [][]string{{"sdshow", name}, {"sdshow", name, "--explain"}, {"sdshow", name, "--json"}} {
		r := winsvc(t, args...)
		if r.code != 50 || r.stdout != "" || !strings.Contains(r.stderr, "not stored by this service control manager") || !strings.Contains(r.stderr, "answers") {
			t.Errorf("%v under Wine: exit %d, stdout %q, stderr %q; want 50, nothing on stdout, and that the SCM does not store a descriptor", args, r.code, r.stdout, r.stderr)
		}
	}
	r := winsvc(t, "sdset", name, dacl, "--json")
	r.jsonError(t, 50, name)
	if !strings.Contains(r.stderr, "not stored") {
		t.Errorf("sdset under Wine: %s; want \"not stored\"", r.stderr)
	}
	if r := winsvc(t, "sdset", name, dacl); r.code != 50 || strings.Contains(r.stdout, "SUCCESS") {
		t.Errorf("sdset under Wine: exit %d, %q; want 50 and no SUCCESS", r.code, r.stdout)
	}
	if raw := testbed.ServiceDACL(t, name); raw != before {
		t.Errorf("GetNamedSecurityInfo read %s before sdset and %s after", before, raw)
	}
}

// TestSettingVerbs sets and reads the optional settings. Wine's SCM stores
// none of them (failure actions are accepted and dropped; the other levels
// fail with 124 or, through RPC marshalling, 1733): under Wine the test
// checks those exact codes, elsewhere it reads each setting back.
func TestSettingVerbs(t *testing.T) {
	name, _ := newService(t, "normal")
	wine := testbed.IsWine()
	readBack := func(verb, field string) json.RawMessage {
		t.Helper()
		var doc map[string]json.RawMessage
		r := winsvc(t, verb, name, "--json")
		r.ok(t, 0)
		r.decode(t, &doc)
		if string(doc["name"]) != `"`+name+`"` {
			t.Errorf("%s --json: name %s", verb, doc["name"])
		}
		return doc[field]
	}

	// failure: Wine accepts the write and stores nothing, so the read fails.
	r := winsvc(t, "failure", name, "reset=", "60", "actions=", "restart/5000/run/1000", "command=", `C:\x.exe`, "--json")
	r.ok(t, 0)
	if wine {
		t.Log("Wine: ChangeServiceConfig2(FAILURE_ACTIONS) succeeds but stores nothing; QueryServiceConfig2 of it fails with 124")
		winsvc(t, "qfailure", name, "--json").jsonError(t, 124, name)
	} else {
		var fa struct {
			ResetPeriod *int
			Command     string
			Actions     []struct {
				Type  string
				Delay int
			}
		}
		if err := json.Unmarshal(readBack("qfailure", "failureActions"), &fa); err != nil || fa.ResetPeriod == nil || *fa.ResetPeriod != 60 ||
			fa.Command != `C:\x.exe` || len(fa.Actions) != 2 || fa.Actions[0].Type != "SC_ACTION_RESTART" || fa.Actions[0].Delay != 5000 {
			t.Errorf("qfailure after failure: %+v, %v", fa, err)
		}
		winsvc(t, "qfailure", name).ok(t, 0, "RESET_PERIOD (in seconds)    : 60", "RESTART -- Delay = 5000 milliseconds.")
	}

	for _, tt := range []struct {
		set      []string // the setting verb's arguments after NAME
		query    string
		field    string
		want     string // the field's JSON after the set
		wineCode int    // Wine's error for the set
		why      string
	}{
		{[]string{"failureflag", "1"}, "qfailureflag", "failureActionsOnNonCrashFailures", "true", 124, "FAILURE_ACTIONS_FLAG (4) is not implemented: 124"},
		{[]string{"sidtype", "none"}, "qsidtype", "sidType", `"SID_TYPE_NONE"`, 124, "SERVICE_SID_INFO (5) is not implemented: 124"},
		{[]string{"privs", "SeChangeNotifyPrivilege/SeImpersonatePrivilege"}, "qprivs", "requiredPrivileges",
			`["SeChangeNotifyPrivilege","SeImpersonatePrivilege"]`, 124, "REQUIRED_PRIVILEGES_INFO (6) is not implemented: 124"},
		{[]string{"triggerinfo", "start/networkon"}, "qtriggerinfo", "triggers", "", 1733, "TRIGGER_INFO (8) is rejected by RPC marshalling: 1733"},
		{[]string{"triggerinfo", "delete"}, "qtriggerinfo", "triggers", "[]", 1733, "TRIGGER_INFO (8) is rejected by RPC marshalling: 1733"},
		{[]string{"preferrednode", "0"}, "qpreferrednode", "preferredNode", `{"node":0,"set":true}`, 1733, "PREFERRED_NODE (9) is rejected by RPC marshalling: 1733"},
		{[]string{"preferrednode", "delete"}, "qpreferrednode", "preferredNode", `{"node":0,"set":false}`, 1733, "PREFERRED_NODE (9) is rejected by RPC marshalling: 1733"},
	} {
		args := append([]string{tt.set[0], name}, tt.set[1:]...)
		r := winsvc(t, append(args, "--json")...)
		if wine {
			t.Logf("Wine: %s: %s", tt.set[0], tt.why)
			r.jsonError(t, tt.wineCode, name)
			winsvc(t, tt.query, name, "--json").jsonError(t, 124, name)
			continue
		}
		r.ok(t, 0)
		got := readBack(tt.query, tt.field)
		var compact bytes.Buffer
		json.Compact(&compact, got)
		switch {
		case tt.want == "" && !strings.Contains(compact.String(), "SERVICE_TRIGGER_TYPE_IP_ADDRESS_AVAILABILITY"):
			t.Errorf("%s after %s: %s", tt.query, tt.set[0], got)
		case tt.want != "" && compact.String() != tt.want:
			t.Errorf("%s after %q: %s, want %s", tt.query, tt.set, compact.String(), tt.want)
		}
	}

	// qprotection reads a level Wine does not implement either.
	r = winsvc(t, "qprotection", name, "--json")
	if wine {
		t.Log("Wine: LAUNCH_PROTECTED (12) is not implemented: 124")
		r.jsonError(t, 124, name)
	} else if got := readBack("qprotection", "launchProtected"); string(got) != `"SERVICE_LAUNCH_PROTECTED_NONE"` {
		t.Errorf("qprotection --json: %s", got)
	}
}

// TestConfigTagAndText: config tag= yes needs a group (87 naming tagId); a
// description that looks like options is text.
func TestConfigTagAndText(t *testing.T) {
	name, _ := newService(t, "normal")
	r := winsvc(t, "config", name, "tag=", "yes", "--json")
	r.jsonError(t, 87, name)
	if !strings.Contains(r.stderr, "tagId") {
		t.Errorf("tag= yes without a group: %q does not name tagId", r.stderr)
	}
	winsvc(t, "config", name, "group=", "CliTagGroup", "tag=", "yes").ok(t, 0, "[SC] ChangeServiceConfig SUCCESS")
	var c struct {
		LoadOrderGroup string
		TagID          uint32 `json:"tagId"`
	}
	r = winsvc(t, "qc", name, "--json")
	r.ok(t, 0)
	r.decode(t, &c)
	switch {
	case c.LoadOrderGroup != "CliTagGroup":
		t.Errorf("qc after group= tag=: %+v", c)
	case testbed.IsWine():
		t.Logf("Wine: ChangeServiceConfig ignores lpdwTagId; the tag stays %d", c.TagID)
	case c.TagID == 0:
		t.Errorf("tag= yes: no tag assigned: %+v", c)
	}

	for _, text := range [][]string{{"ratio="}, {"-x rated"}, {"-x", "rated", "a=b"}} {
		winsvc(t, append([]string{"description", name}, text...)...).ok(t, 0, "[SC] ChangeServiceConfig2 SUCCESS")
		winsvc(t, "qdescription", name).ok(t, 0, "DESCRIPTION:  "+strings.Join(text, " "))
	}
}

// TestQueryFilters: query/queryex type= and group= filters, and list --state
// and --start.
func TestQueryFilters(t *testing.T) {
	group := testbed.UniqueName(t, "grp")
	a, _ := newService(t, "normal", "group=", group)
	b, _ := newService(t, "normal", "group=", group, "start=", "auto")
	winsvc(t, "start", b).ok(t, 0, "RUNNING")

	// names runs a verb that prints a JSON array of services (query, list)
	// and returns their names, sorted.
	names := func(args ...string) []string {
		t.Helper()
		var list []struct{ Name string }
		r := winsvc(t, append(args, "--json")...)
		r.ok(t, 0)
		r.decode(t, &list)
		var out []string
		for _, st := range list {
			out = append(out, st.Name)
		}
		sort.Strings(out)
		return out
	}
	want := func(what string, got []string, want ...string) {
		t.Helper()
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	both := []string{a, b}
	want("query group= G (active only)", names("query", "group=", group), b)
	want("query state= all group= G", names("query", "state=", "all", "group=", group), both...)
	want("queryex type= service state= all group= G", names("queryex", "type=", "service", "state=", "all", "group=", group), both...)
	want("query type= own state= inactive group= G", names("query", "type=", "own", "state=", "inactive", "group=", group), a)
	want("query type= share state= all group= G", names("query", "type=", "share", "state=", "all", "group=", group))
	want("query type= driver state= all group= G", names("query", "type=", "driver", "state=", "all", "group=", group))
	winsvc(t, "queryex", "state=", "all", "group=", group).ok(t, 0, "SERVICE_NAME: "+a, "SERVICE_NAME: "+b, "PID", "FLAGS")

	// type= driver lists only drivers.
	var drivers []status
	r := winsvc(t, "query", "type=", "driver", "state=", "all", "--json")
	r.ok(t, 0)
	r.decode(t, &drivers)
	for _, st := range drivers {
		if !strings.HasSuffix(st.ServiceType, "DRIVER") {
			t.Errorf("query type= driver lists %+v", st)
		}
	}
	t.Logf("query type= driver state= all: %d drivers", len(drivers))

	// list filters.
	listed := func(args ...string) []string {
		t.Helper()
		return names(append([]string{"list", "--group", group}, args...)...)
	}
	want("list --group G", listed(), both...)
	want("list --state running", listed("--state", "running"), b)
	want("list --state stopped", listed("--state", "stopped"), a)
	want("list --state active", listed("--state", "active"), b)
	want("list --state inactive", listed("--state", "inactive"), a)
	want("list --start auto", listed("--start", "auto"), b)
	want("list --start demand", listed("--start", "demand"), a)
	want("list --start disabled", listed("--start", "disabled"))
	want("list --state running --start demand", listed("--state", "running", "--start", "demand"))
	winsvc(t, "list", "--group", group, "--state", "running").ok(t, 0, b, "RUNNING", "auto")
}

// TestWatchAll: watch without a name reports every service's changes,
// including a service that appears, until --timeout, and exits 0.
func TestWatchAll(t *testing.T) {
	done := make(chan result)
	go func() { done <- winsvc(t, "watch", "--json", "--interval", "100ms", "--timeout", "8s") }()
	time.Sleep(2 * time.Second) // the first snapshot reports nothing
	name, _ := newService(t, "normal")
	time.Sleep(500 * time.Millisecond)
	winsvc(t, "start", name).ok(t, 0, "RUNNING")
	w := <-done
	w.ok(t, 0)
	var appeared, running bool
	for _, line := range strings.Split(strings.TrimSpace(w.stdout), "\n") {
		var c struct {
			Name, From, To string
			Status         *status
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("watch --json: a line is not one JSON object: %q: %v", line, err)
		}
		if c.Name != name {
			continue
		}
		appeared = appeared || (c.From == "" && c.To == "STOPPED")
		running = running || (c.To == "RUNNING" && c.Status != nil && c.Status.ProcessID != 0)
	}
	if !appeared || !running {
		t.Errorf("watch without a name: appeared %v, running %v:\n%s", appeared, running, w.stdout)
	}
}

// TestPasswordFromEnv: for a user account, the password comes from
// $WINSVC_PASSWORD; it reaches the plan and is never printed.
func TestPasswordFromEnv(t *testing.T) {
	name, _ := newService(t, "normal")
	const pw = "env-s3cret"
	env := []string{"WINSVC_PASSWORD=" + pw}
	// Without a password, a user account is refused before any change.
	winsvc(t, "config", name, "obj=", `.\cliuser`, "--json").jsonError(t, 87, name)
	r := winsvcEnv(t, "", env, "config", name, "obj=", `.\cliuser`, "--dry-run", "--json")
	r.ok(t, 0, `"field": "password"`, `"(hidden)"`)
	if strings.Contains(r.stdout+r.stderr, pw) {
		t.Errorf("the password was printed:\n%s\n%s", r.stdout, r.stderr)
	}
	// Saving it: Wine stores any account and ignores the password; Windows
	// refuses an account that does not exist (1057).
	r = winsvcEnv(t, "", env, "config", name, "obj=", `.\cliuser`, "--json")
	if strings.Contains(r.stdout+r.stderr, pw) || strings.Contains(r.stderr, "process lists") {
		t.Errorf("config with $WINSVC_PASSWORD: %q %q", r.stdout, r.stderr)
	}
	if testbed.IsWine() {
		t.Log("Wine: ChangeServiceConfig stores any account and ignores the password")
		r.ok(t, 0, `"serviceStartName": ".\\cliuser"`)
		winsvc(t, "qc", name).ok(t, 0, `SERVICE_START_NAME : .\cliuser`)
	} else {
		r.jsonError(t, 1057, name)
	}
	// A built-in account takes an empty password, which the plan shows:
	// the variable is not used.
	r = winsvcEnv(t, "", env, "config", name, "obj=", "LocalSystem", "--dry-run", "--json")
	r.ok(t, 0, `"field": "password"`, `"to": "\"\""`)
	if strings.Contains(r.stdout, `"to": "(hidden)"`) {
		t.Errorf("$WINSVC_PASSWORD used for LocalSystem:\n%s", r.stdout)
	}
}
