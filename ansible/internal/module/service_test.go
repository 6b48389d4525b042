package module

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/winsvctest"
)

const exe = `C:\Program Files\My App\svc.exe`

func TestCreateThenUnchanged(t *testing.T) {
	m := winsvctest.Connect()
	args := map[string]any{"name": "MySvc", "path": `"` + exe + `" --port 8080`, "display_name": "My Service",
		"description": "Serves the API", "start_mode": "auto", "state": "started", "error_control": "severe",
		"dependencies": []string{"Tcpip"}, "load_order_group": "MyGroup", "pre_shutdown_timeout_ms": 60000,
		"sid_info": "restricted", "required_privileges": []string{"SeChangeNotifyPrivilege"},
		"failure_actions": []map[string]any{{"type": "restart", "delay_ms": 5000}, {"type": "run_command"}},
		"failure_command": `C:\tools\notify.exe`, "failure_reset_period_sec": "0xFFFFFFFF",
		"failure_actions_on_non_crash_failure": "yes", "username": `NT AUTHORITY\LocalService`}
	r := mustSucceed(t, m, task{args: args}, true)
	c := loaded(t, m, "MySvc")
	if c.BinaryPathName != `"`+exe+`" --port 8080` || c.DisplayName != "My Service" || c.Description != "Serves the API" ||
		c.StartType != winsvc.AutoStart || c.ErrorControl != winsvc.ErrorSevere || c.LoadOrderGroup != "MyGroup" ||
		c.PreshutdownTimeout != time.Minute || c.SIDType != winsvc.SIDTypeRestricted || !c.FailureActionsOnNonCrashFailures ||
		c.FailureActions.ResetPeriod != winsvc.ResetInfinite || len(c.FailureActions.Actions) != 2 ||
		c.FailureActions.Actions[0].Delay != 5*time.Second || c.ServiceStartName != `NT AUTHORITY\LocalService` ||
		len(c.Dependencies) != 1 || c.Dependencies[0].Name != "Tcpip" {
		t.Errorf("created configuration differs from the options: %+v", c)
	}
	if st := status(t, m, "MySvc"); st != winsvc.Running {
		t.Errorf("state %s, want RUNNING", st)
	}
	if r["state"] != "running" || r["start_mode"] != "auto" || r["exists"] != true || r["can_pause_and_continue"] != true {
		t.Errorf("return values: %v", r)
	}
	again := mustSucceed(t, m, task{args: args}, false)
	if n := len(again["changes"].([]any)); n != 0 {
		t.Errorf("second run lists %d changes: %v", n, again["changes"])
	}
}

func TestCheckModeChangesNothing(t *testing.T) {
	m := winsvctest.Connect()
	create := map[string]any{"name": "Chk", "path": `C:\svc.exe`, "start_mode": "manual"}
	// A service that does not exist yet: planned, not created.
	r := mustSucceed(t, m, task{args: create, check: true, diff: true}, true)
	if _, err := m.Load(context.Background(), "Chk"); !errors.Is(err, winsvc.ErrNotFound) {
		t.Fatalf("check mode created the service: %v", err)
	}
	diff := r["diff"].(map[string]any)
	if diff["before"] != "" || diff["after"].(map[string]any)["path"] != `C:\svc.exe` {
		t.Errorf("diff of a creation: %v", diff)
	}
	mustSucceed(t, m, task{args: create}, true)
	before := configJSON(t, m, "Chk")
	change := map[string]any{"name": "Chk", "description": "new", "start_mode": "delayed", "state": "started",
		"display_name": "Checked"}
	r = mustSucceed(t, m, task{args: change, check: true, diff: true}, true)
	if after := configJSON(t, m, "Chk"); after != before {
		t.Errorf("check mode changed the service:\n%s\n%s", before, after)
	}
	d := r["diff"].(map[string]any)
	b, a := d["before"].(map[string]any), d["after"].(map[string]any)
	if b["description"] != nil || a["description"] != "new" || b["start_mode"] != "manual" || a["start_mode"] != "delayed" ||
		b["state"] != "stopped" || a["state"] != "started" || a["display_name"] != "Checked" {
		t.Errorf("diff before %v\nafter %v", b, a)
	}
	fields := map[string]bool{}
	for _, c := range r["changes"].([]any) {
		fields[c.(map[string]any)["field"].(string)] = true
	}
	for _, f := range []string{"description", "startType", "delayedAutoStart", "displayName", "state"} {
		if !fields[f] {
			t.Errorf("changes lack %s: %v", f, r["changes"])
		}
	}
	// The same task applied reports the same changes, and makes them.
	applied := mustSucceed(t, m, task{args: change}, true)
	if len(applied["changes"].([]any)) != len(r["changes"].([]any)) {
		t.Errorf("applied changes %v, planned %v", applied["changes"], r["changes"])
	}
	if c := loaded(t, m, "Chk"); !c.DelayedAutoStart || c.Description != "new" {
		t.Errorf("apply after check: %+v", c)
	}
}

func TestAbsentRemoves(t *testing.T) {
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "Gone", "path": `C:\svc.exe`, "state": "started"}}, true)
	r := mustSucceed(t, m, task{args: map[string]any{"name": "Gone", "state": "absent"}, diff: true}, true)
	if _, err := m.Load(context.Background(), "Gone"); !errors.Is(err, winsvc.ErrNotFound) {
		t.Fatalf("service still there: %v", err)
	}
	if r["exists"] != false || r["diff"].(map[string]any)["after"] != "" {
		t.Errorf("result: %v", r)
	}
	mustSucceed(t, m, task{args: map[string]any{"name": "Gone", "state": "absent"}}, false)
}

func TestBadOptionChangesNothing(t *testing.T) {
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "Bad", "path": `C:\svc.exe`}}, true)
	before := configJSON(t, m, "Bad")
	cases := []struct {
		args  map[string]any
		wants []string
	}{
		{map[string]any{"start_mode": "sometimes"}, []string{"start_mode", "auto, delayed, disabled, manual", "sometimes"}},
		{map[string]any{"state": "running"}, []string{"state", "absent, paused, started, stopped, restarted"}},
		{map[string]any{"colour": "blue"}, []string{"Unsupported parameters", "colour", "start_mode"}},
		{map[string]any{"desktop_interact": "maybe"}, []string{"desktop_interact", "boolean"}},
		{map[string]any{"pre_shutdown_timeout_ms": "soon"}, []string{"pre_shutdown_timeout_ms", "integer"}},
		{map[string]any{"failure_actions": []map[string]any{{"type": "explode"}}}, []string{"failure_actions[0].type", "none, reboot, restart, run_command"}},
		{map[string]any{"display_name": strings.Repeat("x", 300)}, []string{"display_name"}},
		{map[string]any{"dependencies": []string{"Bad"}}, []string{"dependencies"}},
		{map[string]any{"definition": map[string]any{"startType": "SOMETIMES"}}, []string{"startType", "AUTO_START"}},
		{map[string]any{"definition": map[string]any{"bogus": 1}}, []string{"bogus"}},
		{map[string]any{"description": "x", "definition": map[string]any{"description": "y"}}, []string{"description", "once"}},
		{map[string]any{"desktop_interact": true, "username": `NT AUTHORITY\LocalService`}, []string{"Can only set 'desktop_interact' to true when 'username' equals 'SYSTEM'"}},
		{map[string]any{"security_descriptor": "not sddl"}, []string{"security_descriptor"}},
		{map[string]any{"timeout": 0}, []string{"timeout"}},
	}
	for _, c := range cases {
		c.args["name"] = "Bad"
		r := mustFail(t, m, Service, task{args: c.args}, c.wants...)
		if r["changed"] != false || r["win32_code"] != float64(87) {
			t.Errorf("%v: changed %v, win32_code %v", c.args, r["changed"], r["win32_code"])
		}
		if after := configJSON(t, m, "Bad"); after != before {
			t.Errorf("%v changed the service", c.args)
		}
	}
}

func TestFailureCarriesWin32Code(t *testing.T) {
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "A", "path": `C:\a.exe`, "display_name": "Taken"}}, true)
	mustSucceed(t, m, task{args: map[string]any{"name": "B", "path": `C:\b.exe`}}, true)
	r := mustFail(t, m, Service, task{args: map[string]any{"name": "B", "display_name": "Taken"}}, "Taken")
	e, _ := r["error"].(map[string]any)
	if r["win32_code"] != float64(1078) || e["codeName"] != "ERROR_DUPLICATE_SERVICE_NAME" {
		t.Errorf("failure: %v", r)
	}
	mustFail(t, m, Service, task{args: map[string]any{"name": "Nope", "description": "x"}}, "not installed", "path")
}

func TestNameOnlyReports(t *testing.T) {
	m := winsvctest.Connect()
	r := mustSucceed(t, m, task{args: map[string]any{"name": "Missing"}}, false)
	if r["exists"] != false {
		t.Errorf("exists: %v", r)
	}
	mustSucceed(t, m, task{args: map[string]any{"name": "Here", "path": `C:\h.exe`, "display_name": "Here Svc"}}, true)
	// By display name too, as win_service finds services.
	r = mustSucceed(t, m, task{args: map[string]any{"name": "Here Svc"}}, false)
	if r["exists"] != true || r["name"] != "Here" || r["path"] != `C:\h.exe` {
		t.Errorf("report: %v", r)
	}
}

func TestDependencyActions(t *testing.T) {
	m := winsvctest.Connect()
	for _, n := range []string{"D1", "D2", "D3"} {
		mustSucceed(t, m, task{args: map[string]any{"name": n, "path": `C:\d.exe`}}, true)
	}
	deps := func() string {
		var s []string
		for _, d := range loaded(t, m, "Dep").Dependencies {
			s = append(s, d.String())
		}
		return strings.Join(s, ",")
	}
	mustSucceed(t, m, task{args: map[string]any{"name": "Dep", "path": `C:\d.exe`, "dependencies": "D1,D2"}}, true)
	mustSucceed(t, m, task{args: map[string]any{"name": "Dep", "dependencies": []string{"d2", "D3"}, "dependency_action": "add"}}, true)
	if got := deps(); got != "D1,D2,D3" {
		t.Errorf("after add: %s", got)
	}
	mustSucceed(t, m, task{args: map[string]any{"name": "Dep", "dependencies": []string{"D3"}, "dependency_action": "add"}}, false)
	mustSucceed(t, m, task{args: map[string]any{"name": "Dep", "dependencies": []string{"D1"}, "dependency_action": "remove"}}, true)
	if got := deps(); got != "D2,D3" {
		t.Errorf("after remove: %s", got)
	}
	mustSucceed(t, m, task{args: map[string]any{"name": "Dep", "dependencies": []string{}}}, true)
	if got := deps(); got != "" {
		t.Errorf("after set []: %s", got)
	}
}

func TestForceDependentServices(t *testing.T) {
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "Base", "path": `C:\b.exe`, "state": "started"}}, true)
	mustSucceed(t, m, task{args: map[string]any{"name": "Top", "path": `C:\t.exe`, "dependencies": []string{"Base"}, "state": "started"}}, true)
	r := mustFail(t, m, Service, task{args: map[string]any{"name": "Base", "state": "stopped"}}, "Top")
	if r["win32_code"] != float64(1051) {
		t.Errorf("stop with a running dependent: %v", r)
	}
	mustFail(t, m, Service, task{args: map[string]any{"name": "Base", "state": "restarted"}}, "Top")
	mustSucceed(t, m, task{args: map[string]any{"name": "Base", "state": "restarted", "force_dependent_services": true}}, true)
	if status(t, m, "Top") != winsvc.Running || status(t, m, "Base") != winsvc.Running {
		t.Errorf("restart with dependents left Top %s, Base %s", status(t, m, "Top"), status(t, m, "Base"))
	}
	mustSucceed(t, m, task{args: map[string]any{"name": "Base", "state": "stopped", "force_dependent_services": true}}, true)
	if status(t, m, "Top") != winsvc.Stopped || status(t, m, "Base") != winsvc.Stopped {
		t.Errorf("stop with dependents left Top %s, Base %s", status(t, m, "Top"), status(t, m, "Base"))
	}
}

func TestBeyondWinService(t *testing.T) {
	m := winsvctest.Connect()
	args := map[string]any{"name": "More", "path": `C:\m.exe`, "preferred_node": 1, "launch_protection": "none",
		"security_descriptor": "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)",
		"grants":              []map[string]any{{"trustee": "BU", "rights": []string{"start", "stop"}}},
		"triggers": []map[string]any{{"type": "SERVICE_TRIGGER_TYPE_DOMAIN_JOIN", "action": "SERVICE_TRIGGER_ACTION_SERVICE_START",
			"subtype": "DOMAIN_JOIN_GUID"}},
		"definition": map[string]any{"errorControl": "ERROR_CRITICAL"}}
	mustSucceed(t, m, task{args: args}, true)
	c := loaded(t, m, "More")
	if !c.PreferredNode.Set || c.PreferredNode.Node != 1 || len(c.Triggers) != 1 || c.ErrorControl != winsvc.ErrorCritical {
		t.Errorf("configuration: %+v", c)
	}
	s, _ := m.Service("More")
	sd, err := s.SecurityDescriptor(context.Background())
	if err != nil || !strings.Contains(sd, ";;;BU)") {
		t.Errorf("security descriptor %q (%v): want the grant to BU", sd, err)
	}
	mustSucceed(t, m, task{args: args}, false)
}
