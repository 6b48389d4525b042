package module

import (
	"context"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/winsvctest"
)

// The problems users report with ansible.windows.win_service, each with a
// test that the module does not have it. Those that need a real SCM are in
// problems_windows_test.go (the wait timeout, least access).

// The password was not updated when the account was unchanged: with
// update_password=always it is, at every run; with on_create (the default,
// as win_service's) only when the service is created or its account
// changes, so that a run is idempotent.
func TestPasswordUpdatedWhenAccountUnchanged(t *testing.T) {
	m := winsvctest.Connect()
	user := map[string]any{"name": "Pw", "path": `C:\p.exe`, "username": `.\svcuser`, "password": "first-Secret1"}
	mustSucceed(t, m, task{args: user}, true)
	user["password"] = "second-Secret2"
	r := mustSucceed(t, m, task{args: user, diff: true}, false)
	if hasChange(r, "password") {
		t.Errorf("on_create, the default, set the password of an unchanged account: %v", r["changes"])
	}
	if after := r["diff"].(map[string]any)["after"].(map[string]any); after["password"] != "REDACTED" {
		t.Errorf("diff after an unchanged password: %v", after["password"])
	}
	user["update_password"] = "always"
	r = mustSucceed(t, m, task{args: user, diff: true}, true)
	if !hasChange(r, "password") {
		t.Errorf("always: a new password for the same account is not set: %v", r["changes"])
	}
	if after := r["diff"].(map[string]any)["after"].(map[string]any); after["password"] != "CHANGED REDACTED" {
		t.Errorf("diff after password: %v", after["password"])
	}
	delete(user, "update_password")
	user["username"] = `.\otheruser`
	r = mustSucceed(t, m, task{args: user}, true)
	if !hasChange(r, "password") {
		t.Errorf("on_create did not set the password with a new account: %v", r["changes"])
	}
}

func hasChange(r map[string]any, field string) bool {
	for _, c := range r["changes"].([]any) {
		if c.(map[string]any)["field"] == field {
			return true
		}
	}
	return false
}

// The password never appears in a result, a diff or an error, whatever the
// task does with it.
func TestPasswordNeverShown(t *testing.T) {
	const secret = "Tr0ub4dor&3-never-shown"
	m := winsvctest.Connect()
	tasks := []task{
		{args: map[string]any{"name": "Sec", "path": `C:\s.exe`, "username": `.\bob`, "password": secret}, check: true, diff: true},
		{args: map[string]any{"name": "Sec", "path": `C:\s.exe`, "username": `.\bob`, "password": secret}, diff: true},
		{args: map[string]any{"name": "Sec", "username": `.\bob`, "password": secret}, diff: true},
		{args: map[string]any{"name": "Sec", "username": "LocalSystem", "password": secret}, diff: true},             // refused: no password
		{args: map[string]any{"name": "Sec", "username": `NT SERVICE\Sec`, "password": secret}, diff: true},          // refused: virtual
		{args: map[string]any{"name": "Sec", "password": secret}},                                                    // refused: no username
		{args: map[string]any{"name": "Sec", "username": `.\bob`, "password": []string{secret}}},                     // refused: type
		{args: map[string]any{"name": "Sec", "username": `.\bob`, "password": secret, "start_mode": "x"}},            // refused: choice
		{args: map[string]any{"name": "Sec", "username": `.\bob`, "password": secret, "display_name": "", "bad": 1}}, // refused: unknown
	}
	for _, tk := range tasks {
		_, out := runTask(t, m, Service, tk)
		if strings.Contains(out, secret) || strings.Contains(out, "Tr0ub4dor") {
			t.Errorf("task %v shows the password: %s", tk.args, out)
		}
	}
}

// Virtual accounts (NT SERVICE\name) were refused.
func TestVirtualAccount(t *testing.T) {
	m := winsvctest.Connect()
	args := map[string]any{"name": "Virt", "path": `C:\v.exe`, "username": `NT SERVICE\Virt`}
	mustSucceed(t, m, task{args: args}, true)
	if got := loaded(t, m, "Virt").ServiceStartName; got != `NT SERVICE\Virt` {
		t.Errorf("account %q", got)
	}
	mustSucceed(t, m, task{args: args}, false)
	// Another spelling of a built-in account is no change either.
	mustSucceed(t, m, task{args: map[string]any{"name": "Virt", "username": "SYSTEM"}}, true)
	mustSucceed(t, m, task{args: map[string]any{"name": "Virt", "username": `NT AUTHORITY\SYSTEM`}}, false)
	if got := loaded(t, m, "Virt").ServiceStartName; got != "LocalSystem" {
		t.Errorf("account %q, want LocalSystem", got)
	}
}

// File-system driver services were not found.
func TestDriverServicesFound(t *testing.T) {
	m := winsvctest.Connect()
	svc, err := m.New(winsvc.Definition{Name: "FsFilter", ServiceType: winsvc.FileSystemDriver,
		BinaryPath: `C:\Windows\System32\drivers\fsfilter.sys`, StartType: winsvc.Ptr(winsvc.SystemStart)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Save(context.Background(), winsvc.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	r := mustSucceed(t, m, task{args: map[string]any{"name": "FsFilter", "start_mode": "system", "error_control": "critical"}}, true)
	if r["exists"] != true || loaded(t, m, "FsFilter").ErrorControl != winsvc.ErrorCritical {
		t.Errorf("driver: %v", r)
	}
	info, _ := runTask(t, m, Info, task{args: map[string]any{"name": "fs*"}})
	list := info["services"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["service_type"] != "file_system_driver" || list[0].(map[string]any)["start_mode"] != "system" {
		t.Errorf("info: %v", info)
	}
}

// Delayed start did not take effect, and plain auto did not clear it.
func TestDelayedStart(t *testing.T) {
	m := winsvctest.Connect()
	args := map[string]any{"name": "Late", "path": `C:\l.exe`, "start_mode": "delayed"}
	mustSucceed(t, m, task{args: args}, true)
	if c := loaded(t, m, "Late"); c.StartType != winsvc.AutoStart || !c.DelayedAutoStart {
		t.Errorf("delayed: %v, %v", c.StartType, c.DelayedAutoStart)
	}
	mustSucceed(t, m, task{args: args}, false)
	args["start_mode"] = "auto"
	mustSucceed(t, m, task{args: args}, true)
	if c := loaded(t, m, "Late"); c.StartType != winsvc.AutoStart || c.DelayedAutoStart {
		t.Errorf("auto after delayed: %v, %v", c.StartType, c.DelayedAutoStart)
	}
}

// A quoted path with spaces failed.
func TestPathWithSpaces(t *testing.T) {
	for _, path := range []string{`"` + exe + `"`, exe, `"` + exe + `" -k "a b"`, exe + " --port 8080"} {
		m := winsvctest.Connect()
		args := map[string]any{"name": "Spaces", "path": path}
		mustSucceed(t, m, task{args: args}, true)
		if got := loaded(t, m, "Spaces").BinaryPathName; !strings.HasPrefix(got, `"`+exe+`"`) {
			t.Errorf("path %s stored as %s", path, got)
		}
		mustSucceed(t, m, task{args: args}, false)
	}
}

// A paused service was not started by state=started.
func TestStartedContinuesPaused(t *testing.T) {
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "P", "path": `C:\p.exe`, "state": "paused"}}, true)
	if st := status(t, m, "P"); st != winsvc.Paused {
		t.Fatalf("state %s, want PAUSED", st)
	}
	r := mustSucceed(t, m, task{args: map[string]any{"name": "P", "state": "started"}}, true)
	if st := status(t, m, "P"); st != winsvc.Running || r["state"] != "running" {
		t.Errorf("state %s (returned %v), want RUNNING", st, r["state"])
	}
}

// Check mode crashed when the service did not exist yet.
func TestCheckModeNewServiceEveryOption(t *testing.T) {
	m := winsvctest.Connect()
	args := map[string]any{"name": "New", "path": `C:\n.exe`, "username": "SYSTEM", "desktop_interact": true,
		"state": "started", "start_mode": "delayed", "dependencies": []string{"X"}, "dependency_action": "add",
		"failure_actions": []map[string]any{{"type": "restart"}}, "service_type": "win32_share_process",
		"sid_info": "unrestricted", "required_privileges": []string{"SeChangeNotifyPrivilege"}}
	r := mustSucceed(t, m, task{args: args, check: true, diff: true}, true)
	all, err := m.QueryAll(context.Background(), winsvc.QueryFilter{Types: winsvc.TypesAll, States: winsvc.AllServices})
	if err != nil || len(all) != 0 {
		t.Errorf("check mode installed %v (%v)", all, err)
	}
	after := r["diff"].(map[string]any)["after"].(map[string]any)
	if after["desktop_interact"] != true || after["service_type"] != "win32_share_process" || after["state"] != "started" {
		t.Errorf("planned: %v", after)
	}
}
