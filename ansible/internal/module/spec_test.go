package module

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func parseJSON(t *testing.T, spec []Option, s string) (Params, error) {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		t.Fatal(err)
	}
	return Parse("m", spec, raw)
}

func TestParseConverts(t *testing.T) {
	p, err := parseJSON(t, serviceOptions, `{"name": "x", "failure_reset_period": "0xFFFFFFFF", "desktop_interact": "yes",
		"dependencies": "a, b", "pre_shutdown_timeout": 5, "failure_actions": [{"type": "restart", "delay": "100"}, {"type": "none"}],
		"description": 12, "password": null}`)
	if err != nil {
		t.Fatal(err)
	}
	want := Params{"name": "x", "failure_reset_period_sec": uint64(0xFFFFFFFF), "desktop_interact": true,
		"dependencies": []string{"a", "b"}, "pre_shutdown_timeout_ms": uint64(5), "description": "12",
		"failure_actions": []Params{{"type": "restart", "delay_ms": uint64(100)}, {"type": "none", "delay_ms": uint64(0)}},
		"update_password": "on_create", "dependency_action": "set", "force_dependent_services": false, "timeout": uint64(30)}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("got  %v\nwant %v", p, want)
	}
}

func TestParseRefuses(t *testing.T) {
	cases := map[string][]string{
		`{}`:                           {"missing required arguments: name"},
		`{"name": "x", "delay_ms": 1}`: {"Unsupported parameters for (m) module: delay_ms", "Supported parameters include: ", "start_mode"},
		`{"name": "x", "pre_shutdown_timeout": 1, "pre_shutdown_timeout_ms": 2}`: {"pre_shutdown_timeout_ms", "more than once"},
		`{"name": "x", "timeout": "-3"}`:                                         {"timeout", "from 1 to 4294967295"},
		`{"name": "x", "preferred_node": 70000}`:                                 {"preferred_node", "from 0 to 65535"},
		`{"name": "x", "dependencies": {"a": 1}}`:                                {"argument 'dependencies' is of type dict and we were unable to convert to list"},
		`{"name": "x", "failure_actions": [{}]}`:                                 {"missing required arguments: failure_actions[0].type"},
		`{"name": "x", "failure_actions": [{"type": "none", "when": 1}]}`:        {"failure_actions[0].when"},
		`{"name": "x", "password": {"s": "hunter2"}}`:                            {"password", "not shown"},
	}
	for in, wants := range cases {
		_, err := parseJSON(t, serviceOptions, in)
		if err == nil {
			t.Errorf("%s: no error", in)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", in, err, w)
			}
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: the secret is shown: %v", in, err)
		}
	}
}

func TestInvocationMasksSecrets(t *testing.T) {
	p, err := parseJSON(t, serviceOptions, `{"name": "x", "username": "u", "password": "hunter2"}`)
	if err != nil {
		t.Fatal(err)
	}
	inv := p.Invocation(serviceOptions)
	if inv["password"] != noLogValue || inv["username"] != "u" || inv["state"] != nil {
		t.Errorf("invocation: %v", inv)
	}
}

func TestArgsFlags(t *testing.T) {
	a, err := ParseArgs([]byte(`{"name": "x", "_ansible_check_mode": true, "_ansible_diff": true, "_ansible_verbosity": 3, "_ansible_module_name": "winsvc.windows.service"}`))
	if err != nil {
		t.Fatal(err)
	}
	if !a.CheckMode || !a.Diff || a.Name != "winsvc.windows.service" || len(a.Options) != 1 {
		t.Errorf("args: %+v", a)
	}
	if _, err := ParseArgs([]byte(`[1]`)); err == nil {
		t.Error("a non-object arguments file is accepted")
	}
}
