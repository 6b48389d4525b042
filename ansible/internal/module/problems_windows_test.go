package module

import (
	"context"
	"testing"
	"time"

	"golang.org/x/sys/windows/svc"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/testbed"
)

// The win_service problems that need a real SCM (problems_test.go has the
// others), here against Wine's or Windows' through the module as Ansible
// runs it.

func connect(t *testing.T) *winsvc.Manager {
	t.Helper()
	m, err := winsvc.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// State changes had no timeout: a service that hangs while starting held
// the task forever. The module fails at its timeout with 1053.
func TestTimeoutOnStateChange(t *testing.T) {
	exe := testbed.ServiceExe(t)
	m := connect(t)
	name := testbed.UniqueName(t, "AnsHang")
	testbed.CleanupService(t, name)
	begin := time.Now()
	r := mustFail(t, m, Service, task{args: map[string]any{"name": name, "state": "started", "timeout": 3,
		"path": testbed.CommandLine(exe, "-mode=hang", "-lifetime=2m")}}, name)
	if took := time.Since(begin); took > 20*time.Second {
		t.Errorf("the task took %s with a timeout of 3 s", took)
	}
	if r["win32_code"] != float64(winsvc.ErrRequestTimeout) {
		t.Errorf("win32_code %v, want 1053: %v", r["win32_code"], r["msg"])
	}
	// Read independently: the service is there, still starting.
	if st := testbed.QueryStatus(t, name); st.State != svc.StartPending {
		t.Errorf("state %d, want START_PENDING", st.State)
	}
}

// win_service asked for more rights than it needed, and failed with access
// denied on services whose DACL grants only reads. Reading and an
// unchanged run need only query rights.
func TestRestrictedDACL(t *testing.T) {
	exe := testbed.ServiceExe(t)
	if testbed.IsWine() {
		t.Skip("Wine's SCM ignores security descriptors (docs/wine-scm.md §10): no DACL can restrict the caller")
	}
	m := connect(t)
	name := testbed.UniqueName(t, "AnsAcl")
	testbed.CleanupService(t, name)
	args := map[string]any{"name": name, "path": testbed.CommandLine(exe), "description": "restricted"}
	mustSucceed(t, m, task{args: args}, true)
	s, err := m.Service(name)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// Administrators may query, read and rewrite the DACL (to restore it
	// for the cleanup), and nothing else: no change, start or delete.
	const restricted = "D:(A;;CCLCSWLORCWD;;;BA)(A;;CCLCSWRPWPDTLOCRRC;;;SY)"
	if err := s.SetSecurityDescriptor(ctx, restricted, winsvc.SecurityOptions{AllowLockout: true}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.SetSecurityDescriptor(ctx, "D:(A;;GA;;;BA)(A;;GA;;;SY)", winsvc.SecurityOptions{AllowLockout: true})
	})
	mustSucceed(t, m, task{args: args}, false)
	mustSucceed(t, m, task{args: args, check: true}, false)
	r, out := runTask(t, m, Info, task{args: map[string]any{"name": name}})
	if r["failed"] == true || len(r["services"].([]any)) != 1 {
		t.Errorf("info on a restricted service: %s", out)
	}
	// A change needs SERVICE_CHANGE_CONFIG, which the DACL refuses: 5.
	r = mustFail(t, m, Service, task{args: map[string]any{"name": name, "description": "changed"}})
	if r["win32_code"] != float64(winsvc.ErrAccessDenied) {
		t.Errorf("a change on a restricted service: %v", r)
	}
}
