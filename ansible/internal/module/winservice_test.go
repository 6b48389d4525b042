package module

import (
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/winsvctest"
)

// Where the service module takes win_service's options, it returns
// win_service's values and fails with win_service's messages (and
// Ansible's standard ones for its argument spec). Each test here is a case
// of ansible.windows' own win_service and win_service_info tests; the
// collection's playbooks (ansible/test/e2e) run them all under Wine.

func TestNewServiceStartsAutomatically(t *testing.T) {
	m := winsvctest.Connect()
	r := mustSucceed(t, m, task{args: map[string]any{"name": "Auto", "path": `C:\a.exe`}}, true)
	if c := loaded(t, m, "Auto"); c.StartType != winsvc.AutoStart || r["start_mode"] != "auto" {
		t.Errorf("new service: start type %s, start_mode %v; want AUTO_START, auto", c.StartType, r["start_mode"])
	}
	mustSucceed(t, m, task{args: map[string]any{"name": "Man", "path": `C:\a.exe`, "start_mode": "manual"}}, true)
	if c := loaded(t, m, "Man"); c.StartType != winsvc.DemandStart {
		t.Errorf("start_mode manual: %s", c.StartType)
	}
	mustSucceed(t, m, task{args: map[string]any{"name": "Def", "path": `C:\a.exe`, "definition": map[string]any{"startType": "DISABLED"}}}, true)
	if c := loaded(t, m, "Def"); c.StartType != winsvc.Disabled {
		t.Errorf("a definition's startType: %s", c.StartType)
	}
	// An existing service keeps its start type when start_mode is not given.
	mustSucceed(t, m, task{args: map[string]any{"name": "Man", "description": "x"}}, true)
	if c := loaded(t, m, "Man"); c.StartType != winsvc.DemandStart {
		t.Errorf("a change without start_mode set the start type to %s", c.StartType)
	}
}

func TestAccountsAsWindowsNamesThem(t *testing.T) {
	m := winsvctest.Connect()
	r := mustSucceed(t, m, task{args: map[string]any{"name": "Acct", "path": `C:\a.exe`}}, true)
	if r["username"] != "LocalSystem" {
		t.Errorf("new service: username %v", r["username"])
	}
	for _, c := range []struct{ given, stored, returned string }{
		{`NT AUTHORITY\NetworkService`, `NT AUTHORITY\NetworkService`, `NT AUTHORITY\NETWORK SERVICE`},
		{`NT AUTHORITY\LocalService`, `NT AUTHORITY\LocalService`, `NT AUTHORITY\LOCAL SERVICE`},
		{`NT SERVICE\Acct`, `NT SERVICE\Acct`, `NT SERVICE\Acct`},
		{"SYSTEM", "LocalSystem", "LocalSystem"},
	} {
		args := map[string]any{"name": "Acct", "username": c.given}
		r := mustSucceed(t, m, task{args: args}, true)
		if got := loaded(t, m, "Acct").ServiceStartName; got != c.stored || r["username"] != c.returned {
			t.Errorf("username %s: stored %s, returned %v; want %s, %s", c.given, got, r["username"], c.stored, c.returned)
		}
		if again := mustSucceed(t, m, task{args: args}, false); again["username"] != c.returned {
			t.Errorf("username %s again: returned %v", c.given, again["username"])
		}
	}
	info, _ := runTask(t, m, Info, task{args: map[string]any{"name": "Acct"}})
	if u := info["services"].([]any)[0].(map[string]any)["username"]; u != `NT AUTHORITY\SYSTEM` {
		t.Errorf("service_info's username of LocalSystem: %v, want NT AUTHORITY\\SYSTEM", u)
	}
}

func TestEmptyDescriptionIsNone(t *testing.T) {
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "Desc", "path": `C:\a.exe`, "description": "some"}}, true)
	r := mustSucceed(t, m, task{args: map[string]any{"name": "Desc", "description": ""}}, true)
	info, _ := runTask(t, m, Info, task{args: map[string]any{"name": "Desc"}})
	svc := info["services"].([]any)[0].(map[string]any)
	if r["description"] != "" || svc["description"] != nil || svc["failure_command"] != nil || svc["failure_reboot_msg"] != nil {
		t.Errorf("cleared description: returned %q, service_info %v (failure command %v, reboot message %v); want \"\" and nulls",
			r["description"], svc["description"], svc["failure_command"], svc["failure_reboot_msg"])
	}
	if r := mustSucceed(t, m, task{args: map[string]any{"name": "Desc"}}, false); r["description"] != nil {
		t.Errorf("a service without description reports %q, want null", r["description"])
	}
	mustSucceed(t, m, task{args: map[string]any{"name": "Desc", "description": ""}}, false)
}

func TestWinServiceMessages(t *testing.T) {
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "Msg", "path": `C:\a.exe`}}, true)
	for _, c := range []struct {
		args map[string]any
		msg  string
		code any
	}{
		{map[string]any{"name": "Msg", "password": "secret"}, "missing parameter(s) required by 'password': username", float64(87)},
		{map[string]any{"name": "iamnotaservice", "state": "started"}, "Service 'iamnotaservice' is not installed, need to set 'path' to create a new service", float64(1060)},
		{map[string]any{"name": "Msg", "username": `NT AUTHORITY\NetworkService`, "desktop_interact": true}, "Can only set 'desktop_interact' to true when 'username' equals 'SYSTEM'", float64(87)},
		{map[string]any{"name": "Msg", "state": "going"}, "value of state must be one of: absent, paused, started, stopped, restarted, got: going", float64(87)},
		{map[string]any{"name": "Msg", "timeout": "soon"}, `argument 'timeout' is of type str and we were unable to convert to int: "soon" is not an integer from 1 to 4294967295 (decimal, or hexadecimal as '0x...')`, float64(87)},
		{map[string]any{"name": "Msg", "desktop_interact": "maybe"}, `argument 'desktop_interact' is of type str and we were unable to convert to bool: "maybe" is not a valid boolean; use true or false (or yes, no, on, off, 1, 0)`, float64(87)},
	} {
		r, out := runTask(t, m, Service, task{args: c.args})
		if r["msg"] != c.msg || r["win32_code"] != c.code {
			t.Errorf("%v:\n got  %v (%v)\n want %v (%v)\n%s", c.args, r["msg"], r["win32_code"], c.msg, c.code, out)
		}
	}
	// Starting a disabled service: Start-Service's "Cannot start service",
	// the reason, and the hint once.
	mustSucceed(t, m, task{args: map[string]any{"name": "Msg", "start_mode": "disabled", "display_name": "Message Test"}}, true)
	r := mustFail(t, m, Service, task{args: map[string]any{"name": "Msg", "state": "started"}}, "Cannot start service 'Message Test (Msg)': ", "ERROR_SERVICE_DISABLED")
	if msg := r["msg"].(string); strings.Count(msg, "set a start type other than DISABLED first") != 1 || r["win32_code"] != float64(1058) {
		t.Errorf("disabled start: %q (%v): the hint must be there once", msg, r["win32_code"])
	}
}

func TestRemovalWithRunningDependents(t *testing.T) {
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "Parent", "path": `C:\p.exe`, "display_name": "The Parent", "state": "started"}}, true)
	mustSucceed(t, m, task{args: map[string]any{"name": "Child", "path": `C:\c.exe`, "dependencies": []string{"Parent"}, "state": "started"}}, true)
	if r := mustSucceed(t, m, task{args: map[string]any{"name": "Parent"}}, false); !equalStrings(r["depended_by"], "Child") {
		t.Errorf("depended_by: %v", r["depended_by"])
	}
	r := mustFail(t, m, Service, task{args: map[string]any{"name": "Parent", "state": "absent"}},
		"Cannot stop service 'The Parent (Parent)' because it has dependent services. It can only be stopped if force_dependent_services is set", "Child")
	if r["win32_code"] != float64(1051) || status(t, m, "Parent") != winsvc.Running {
		t.Errorf("refused removal: code %v, Parent %s", r["win32_code"], status(t, m, "Parent"))
	}
	r = mustSucceed(t, m, task{args: map[string]any{"name": "Parent", "state": "absent", "force_dependent_services": true}}, true)
	for _, k := range []string{"name", "path", "display_name", "description", "start_mode", "state", "username"} {
		if _, ok := r[k]; ok {
			t.Errorf("a removed service returns %s: %v", k, r[k])
		}
	}
	if r["exists"] != false || status(t, m, "Child") != winsvc.Stopped {
		t.Errorf("removal with force_dependent_services: exists %v, Child %s", r["exists"], status(t, m, "Child"))
	}
}

func TestAccountLeavingLocalSystemClearsInteraction(t *testing.T) {
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "Desk", "path": `C:\d.exe`, "username": "SYSTEM", "desktop_interact": true}}, true)
	args := map[string]any{"name": "Desk", "username": `NT AUTHORITY\NetworkService`}
	r := mustSucceed(t, m, task{args: args, check: true, diff: true}, true)
	diff := r["diff"].(map[string]any)
	if diff["before"].(map[string]any)["desktop_interact"] != true || diff["after"].(map[string]any)["desktop_interact"] != false ||
		!hasChange(r, "serviceType") || !loaded(t, m, "Desk").ServiceType.Interactive() {
		t.Errorf("check mode: diff %v, changes %v", diff, r["changes"])
	}
	r = mustSucceed(t, m, task{args: args}, true)
	if c := loaded(t, m, "Desk"); c.ServiceType.Interactive() || c.ServiceStartName != `NT AUTHORITY\NetworkService` || r["desktop_interact"] != false {
		t.Errorf("after: type %s, account %s, desktop_interact %v", c.ServiceType, c.ServiceStartName, r["desktop_interact"])
	}
	mustSucceed(t, m, task{args: args}, false)
	// Kept interactive while moving to another account: refused.
	mustSucceed(t, m, task{args: map[string]any{"name": "Desk", "username": "LocalSystem", "desktop_interact": true}}, true)
	mustFail(t, m, Service, task{args: map[string]any{"name": "Desk", "username": `NT AUTHORITY\LocalService`, "desktop_interact": true}},
		"Can only set 'desktop_interact' to true when 'username' equals 'SYSTEM'")
}

func TestEmptyPasswordForBuiltinAccounts(t *testing.T) {
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "Empty", "path": `C:\e.exe`, "username": `NT AUTHORITY\LocalService`}}, true)
	for _, account := range []string{"LocalSystem", `NT AUTHORITY\NetworkService`, `NT SERVICE\Empty`} {
		args := map[string]any{"name": "Empty", "username": account, "password": ""}
		r := mustSucceed(t, m, task{args: args, diff: true}, true)
		if _, shown := r["diff"].(map[string]any)["after"].(map[string]any)["password"]; shown {
			t.Errorf("%s with an empty password: the diff shows a password: %v", account, r["diff"])
		}
		mustSucceed(t, m, task{args: args}, false)
	}
}

func TestDiffShowsPasswordOnlyWhenGiven(t *testing.T) {
	m := winsvctest.Connect()
	r := mustSucceed(t, m, task{args: map[string]any{"name": "NoPw", "path": `C:\n.exe`, "description": "a"}, diff: true}, true)
	if _, ok := r["diff"].(map[string]any)["after"].(map[string]any)["password"]; ok {
		t.Errorf("the diff shows a password though none was given: %v", r["diff"])
	}
	r = mustSucceed(t, m, task{args: map[string]any{"name": "NoPw", "description": "b"}, diff: true}, true)
	for _, side := range []string{"before", "after"} {
		if _, ok := r["diff"].(map[string]any)[side].(map[string]any)["password"]; ok {
			t.Errorf("the diff's %s shows a password though none was given", side)
		}
	}
}

func TestPathAsGivenReturnedExpanded(t *testing.T) {
	saved := expandEnv
	t.Cleanup(func() { expandEnv = saved })
	expandEnv = func(s string) string { return strings.ReplaceAll(s, "%TEST_SERVICE_PATH%", `C:\temp`) }
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "Env", "path": `C:\temp\test.exe`}}, true)
	args := map[string]any{"name": "Env", "path": `"%TEST_SERVICE_PATH%\test.exe"`}
	for _, changed := range []bool{true, false} {
		r := mustSucceed(t, m, task{args: args}, changed)
		if got := loaded(t, m, "Env").BinaryPathName; got != `"%TEST_SERVICE_PATH%\test.exe"` || r["path"] != `"C:\temp\test.exe"` {
			t.Errorf("stored %s, returned %v; want the path as given, returned expanded", got, r["path"])
		}
	}
	// Without the path option, the stored path, as win_service returns it.
	if r := mustSucceed(t, m, task{args: map[string]any{"name": "Env"}}, false); r["path"] != `"%TEST_SERVICE_PATH%\test.exe"` {
		t.Errorf("path without the option: %v", r["path"])
	}
	info, _ := runTask(t, m, Info, task{args: map[string]any{"name": "Env"}})
	if p := info["services"].([]any)[0].(map[string]any)["path"]; p != `"%TEST_SERVICE_PATH%\test.exe"` {
		t.Errorf("service_info's path: %v", p)
	}
}

func TestInfoExactNameFirst(t *testing.T) {
	m := winsvctest.Connect()
	for _, n := range []string{"info_test2", "info_test [*abc]", "info_test a", "info_other"} {
		mustSucceed(t, m, task{args: map[string]any{"name": n, "path": `C:\i.exe`}}, true)
	}
	for name, want := range map[string][]string{
		"info_test [*abc]": {"info_test [*abc]"}, // the service of that name, not what the pattern matches
		"info_t*":          {"info_test [*abc]", "info_test a", "info_test2"},
		"info_test [a]":    {"info_test a"},
		"INFO_OTHER":       {"info_other"},
	} {
		info, _ := runTask(t, m, Info, task{args: map[string]any{"name": name}})
		var got []string
		for _, s := range info["services"].([]any) {
			got = append(got, s.(map[string]any)["name"].(string))
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("name %q: %q, want %q", name, got, want)
		}
	}
}

func equalStrings(v any, want ...string) bool {
	list, _ := v.([]any)
	if len(list) != len(want) {
		return false
	}
	for i, e := range list {
		if e != want[i] {
			return false
		}
	}
	return true
}
