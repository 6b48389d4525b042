package module

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
)

// task is one module run as Ansible makes it: options and flags.
type task struct {
	args  map[string]any
	check bool
	diff  bool
}

// execute runs mod on m as Ansible would, and returns the result as
// Ansible reads it (the JSON printed, decoded) and the JSON itself.
func runTask(t *testing.T, m *winsvc.Manager, mod *Module, tk task) (map[string]any, string) {
	t.Helper()
	args := map[string]any{"_ansible_check_mode": tk.check, "_ansible_diff": tk.diff,
		"_ansible_module_name": mod.Name, "_ansible_version": "2.14.18", "_ansible_no_log": false}
	for k, v := range tk.args {
		args[k] = v
	}
	data, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	r := Execute(context.Background(), mod, data, func() (*winsvc.Manager, error) { return m, nil })
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	return got, string(out)
}

// mustSucceed runs a task that must not fail, and checks its changed flag.
func mustSucceed(t *testing.T, m *winsvc.Manager, tk task, changed bool) map[string]any {
	t.Helper()
	r, out := runTask(t, m, Service, tk)
	if r["failed"] == true {
		t.Fatalf("task %v failed: %s", tk.args, out)
	}
	if r["changed"] != changed {
		t.Fatalf("task %v: changed = %v, want %v: %s", tk.args, r["changed"], changed, out)
	}
	return r
}

// mustFail runs a task that must fail with a message containing every
// one of wants, and returns the result.
func mustFail(t *testing.T, m *winsvc.Manager, mod *Module, tk task, wants ...string) map[string]any {
	t.Helper()
	r, out := runTask(t, m, mod, tk)
	if r["failed"] != true {
		t.Fatalf("task %v succeeded, want a failure: %s", tk.args, out)
	}
	msg, _ := r["msg"].(string)
	for _, w := range wants {
		if !strings.Contains(msg, w) {
			t.Errorf("msg %q does not contain %q", msg, w)
		}
	}
	return r
}

// loaded reads a service through the library, an independent reader of
// what the module did.
func loaded(t *testing.T, m *winsvc.Manager, name string) *winsvc.Config {
	t.Helper()
	s, err := m.Load(context.Background(), name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return s.Loaded()
}

// status reads a service's state through the library.
func status(t *testing.T, m *winsvc.Manager, name string) winsvc.State {
	t.Helper()
	s, err := m.Service(name)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Status(context.Background())
	if err != nil {
		t.Fatalf("status %s: %v", name, err)
	}
	return st.State
}

// configJSON is a service's whole configuration and state, to compare
// before and after a run that must change nothing.
func configJSON(t *testing.T, m *winsvc.Manager, name string) string {
	t.Helper()
	b, err := json.Marshal(loaded(t, m, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + status(t, m, name).String()
}
