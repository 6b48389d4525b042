package module

import (
	"slices"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/winsvctest"
)

// infoKeys are win_service_info's return keys for a service.
var infoKeys = []string{"checkpoint", "controls_accepted", "dependencies", "dependency_of", "description",
	"desktop_interact", "display_name", "error_control", "failure_actions", "failure_actions_on_non_crash_failure",
	"failure_command", "failure_reboot_msg", "failure_reset_period_sec", "launch_protection", "load_order_group",
	"name", "path", "pre_shutdown_timeout_ms", "preferred_node", "process_id", "required_privileges",
	"service_exit_code", "service_flags", "service_type", "sid_info", "start_mode", "state", "triggers",
	"username", "wait_hint_ms", "win32_exit_code"}

func TestInfo(t *testing.T) {
	m := winsvctest.Connect()
	for _, s := range []map[string]any{
		{"name": "WebFront", "path": `C:\w.exe`, "display_name": "Web front end", "state": "started"},
		{"name": "WebBack", "path": `C:\w.exe`, "dependencies": []string{"WebFront"}},
		{"name": "Other", "path": `C:\o.exe`},
	} {
		mustSucceed(t, m, task{args: s}, true)
	}
	names := func(args map[string]any) []string {
		r, out := runTask(t, m, Info, task{args: args})
		if r["failed"] == true || r["changed"] != false {
			t.Fatalf("info %v: %s", args, out)
		}
		var got []string
		for _, s := range r["services"].([]any) {
			got = append(got, s.(map[string]any)["name"].(string))
		}
		slices.Sort(got)
		if r["exists"] != (len(got) > 0) {
			t.Errorf("exists %v with %v", r["exists"], got)
		}
		return got
	}
	for pattern, want := range map[string][]string{"web*": {"WebBack", "WebFront"}, "Web front end": {"WebFront"},
		"OTHER": {"Other"}, "nothing*": nil, "W?bBack": {"WebBack"}} {
		if got := names(map[string]any{"name": pattern}); !slices.Equal(got, want) {
			t.Errorf("name %q: %v, want %v", pattern, got, want)
		}
	}
	if got := names(nil); len(got) != 3 {
		t.Errorf("every service: %v", got)
	}
	r, _ := runTask(t, m, Info, task{args: map[string]any{"name": "WebFront"}})
	svc := r["services"].([]any)[0].(map[string]any)
	for _, k := range infoKeys {
		if _, ok := svc[k]; !ok {
			t.Errorf("info lacks %s", k)
		}
	}
	if svc["state"] != "started" || !slices.Equal(toStrings(svc["dependency_of"]), []string{"WebBack"}) ||
		svc["display_name"] != "Web front end" || !slices.Contains(toStrings(svc["controls_accepted"]), "stop") {
		t.Errorf("WebFront: %v", svc)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, e := range v.([]any) {
		out = append(out, e.(string))
	}
	return out
}

// With diagnose: true, each service has winsvc doctor's findings
// (findings) and the checks that could not be read (not_readable), for a
// name and for every service alike; without it, neither key.
func TestInfoDiagnose(t *testing.T) {
	m := winsvctest.Connect()
	restart := []map[string]any{{"type": "restart", "delay_ms": 60000}}
	for _, s := range []map[string]any{
		{"name": "Fine", "path": `C:\f.exe`, "failure_actions": restart},
		{"name": "Off", "path": `C:\o.exe`, "failure_actions": restart, "start_mode": "disabled"},
		{"name": "Needy", "path": `C:\n.exe`, "failure_actions": restart, "dependencies": []string{"Fine", "Off"}},
	} {
		mustSucceed(t, m, task{args: s}, true)
	}
	checks := func(svc map[string]any) []string {
		out := []string{}
		for _, f := range svc["findings"].([]any) {
			f := f.(map[string]any)
			if f["message"] == "" || f["evidence"] == "" || f["severity"] != "error" {
				t.Errorf("finding %v", f)
			}
			out = append(out, f["check"].(string)+": "+f["fix"].(string))
		}
		for _, n := range svc["not_readable"].([]any) {
			if r := n.(map[string]any)["reason"].(string); !strings.HasPrefix(r, "cannot be read here: ") {
				t.Errorf("not readable %v", n)
			}
		}
		return out
	}
	want := map[string][]string{
		"Fine":  {},
		"Off":   {"start-type: winsvc config Off start= demand"},
		"Needy": {"dependencies: winsvc config Off start= demand"},
	}
	for _, args := range []map[string]any{{"diagnose": true}, {"diagnose": true, "name": "Needy"}, {"diagnose": "yes", "name": "o*"}} {
		r, out := runTask(t, m, Info, task{args: args, check: true})
		if r["failed"] == true || r["changed"] != false {
			t.Fatalf("info %v: %s", args, out)
		}
		for _, s := range r["services"].([]any) {
			svc := s.(map[string]any)
			if got := checks(svc); !slices.Equal(got, want[svc["name"].(string)]) {
				t.Errorf("%v: %s: findings %q, want %q", args, svc["name"], got, want[svc["name"].(string)])
			}
		}
	}
	r, _ := runTask(t, m, Info, task{args: map[string]any{"name": "Off"}})
	if svc := r["services"].([]any)[0].(map[string]any); svc["findings"] != nil || svc["not_readable"] != nil {
		t.Errorf("findings without diagnose: %v", svc)
	}
}
