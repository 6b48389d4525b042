package module

import (
	"slices"
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
