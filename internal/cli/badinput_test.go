package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/testbed/badinput"
)

// badInputVars are the bad-input suite's variables for the fake services.
var badInputVars = map[string]string{
	"SVC": "Stopped", "SVCDISPLAY": "Stopped Service", "BASE": "Base", "TOP": "Top", "NEW": "New",
	"LONG": strings.Repeat("\U0001F600", 129), "SLASH": "a/b", "BACKSLASH": `a\b`,
}

// TestBadInput runs every invalid command line of the bad-input suite
// (internal/testbed/badinput/cli.txt) against the in-memory SCM, in text
// and with --json: each fails with its code and an error that mentions the
// field or option, and leaves every service as it was. cmd/winsvc runs the
// same cases under Wine against a real SCM.
func TestBadInput(t *testing.T) {
	cases, err := badinput.CLI()
	if err != nil {
		t.Fatal(err)
	}
	want := memSnapshot(t, newFake(t))
	tried := map[*command]bool{}
	for _, c := range cases {
		tried[lookup(c.Args[0])] = true
		args, err := c.Expand(badInputVars)
		if err != nil {
			t.Fatal(err)
		}
		for _, asJSON := range []bool{false, true} {
			line := args
			if asJSON {
				line = append([]string{"--json"}, args...)
			}
			m, code, stdout, stderr := runFake(t, runCase{args: line})
			for _, bad := range c.Check(badInputVars, asJSON, code, stdout, stderr) {
				t.Errorf("%s (json %v): %s", c.Name(), asJSON, bad)
			}
			if got := memSnapshot(t, m); got != want {
				t.Errorf("%s (json %v) changed the services:\n%s", c.Name(), asJSON, badinput.DiffLines(want, got))
			}
		}
	}
	for _, cmd := range sortedCommands() {
		if !tried[cmd] {
			t.Errorf("verb %s has no case in the bad-input suite (internal/testbed/badinput/cli.txt)", cmd.name)
		}
	}
}

// memSnapshot is every service's configuration and status, as JSON.
func memSnapshot(t *testing.T, m *winsvc.Manager) string {
	t.Helper()
	ctx := context.Background()
	all, err := m.QueryAll(ctx, winsvc.QueryFilter{Types: winsvc.TypesAll})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, st := range all {
		svc, err := m.Load(ctx, st.Name)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := json.Marshal(map[string]any{"config": svc.Config(), "status": st})
		b.Write(doc)
		b.WriteByte('\n')
	}
	return b.String()
}
