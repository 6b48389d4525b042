package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows/registry"
	"golang.org/x/sys/windows/svc"

	"github.com/winsvc/winsvc/internal/testbed"
)

// TestHostedProgram: `winsvc create NAME --program PATH --arg ...` makes a
// service that winsvc.exe hosts; start runs the program (its output reaches
// the --stdout file, and `winsvc logs` shows it), stop ends it. The settings
// are read back from the registry (the Parameters key), the status with a
// raw QueryServiceStatusEx.
func TestHostedProgram(t *testing.T) {
	if os.Getenv(envExe) == "" {
		t.Skipf("%s is not set: the service's program must be a built winsvc.exe (scripts/test.sh builds one)", envExe)
	}
	prog := os.Getenv("WINSVC_TESTHOST")
	if prog == "" {
		t.Skip("WINSVC_TESTHOST is not set: build internal/testhost for Windows and set it to its absolute path (scripts/test.sh does both)")
	}
	dir := testbed.TempDir(t)
	out := filepath.Join(dir, "out.log")
	name := testbed.UniqueName(t, "hosted")
	testbed.CleanupService(t, name)
	if r := winsvc(t, "create", name, "--program", prog, "--arg", "prog", "--arg", "run", "--stdout", out, "--env", "HOSTTEST=e2e", "--env", "API_TOKEN=e2e-s3cret"); r.code != 0 {
		t.Fatalf("create --program: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+name+`\Parameters`, registry.QUERY_VALUE)
	if err != nil {
		t.Fatalf("the Parameters key: %v", err)
	}
	app, _, err1 := k.GetStringValue("Application")
	args, _, err2 := k.GetStringsValue("AppArguments")
	k.Close()
	if err1 != nil || err2 != nil || app != prog || strings.Join(args, " ") != "prog run" {
		t.Errorf("registry: Application %q (%v), AppArguments %q (%v); want %q, [prog run]", app, err1, args, err2, prog)
	}
	if image := testbed.ServiceRegistry(t, name)["ImagePath"]; !strings.HasSuffix(image, " host "+name) {
		t.Errorf("ImagePath %q; want winsvc.exe's host command for %s", image, name)
	}
	if r := winsvc(t, "start", name); r.code != 0 {
		t.Fatalf("start: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st := testbed.QueryStatus(t, name); st.State != svc.Running {
		t.Errorf("after start: %v; want RUNNING", st.State)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(out)
		if strings.Contains(string(b), "tick 1") {
			if !strings.Contains(string(b), "HOSTTEST=e2e") {
				t.Errorf("the program's output %q does not show its environment", b)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the program's output never reached %s: %q", out, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if r := winsvc(t, "logs", name, "--stdout", "--lines", "50"); r.code != 0 || !strings.Contains(r.stdout, "tick 0") {
		t.Errorf("logs --stdout: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The host's events name the program, never the value of a secret
	// variable of its environment.
	if r := winsvc(t, "logs", name, "--events", "--lines", "50"); r.code != 0 || !strings.Contains(r.stdout, "started process") ||
		strings.Contains(r.stdout+r.stderr, "e2e-s3cret") {
		t.Errorf("logs --events: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := winsvc(t, "stop", name); r.code != 0 {
		t.Errorf("stop: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st := testbed.QueryStatus(t, name); st.State != svc.Stopped {
		t.Errorf("after stop: %v; want STOPPED", st.State)
	}
}
