package main

import (
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc/internal/testbed"
	"github.com/winsvc/winsvc/internal/testbed/badinput"
)

// TestBadInput runs every invalid command line of the bad-input suite
// (internal/testbed/badinput/cli.txt) with winsvc.exe against the real
// SCM, in text and with --json: each must fail with its exit code, an
// error that mentions the field or option at fault, a JSON error naming the
// service, and no change: every service's configuration (the registry) and
// status (a raw enumeration) read before and after each case are the same.
func TestBadInput(t *testing.T) {
	cases, err := badinput.CLI()
	if err != nil {
		t.Fatal(err)
	}
	svc, _ := newService(t, "normal", "DisplayName=", "Bad Input "+testbed.UniqueName(t, ""))
	base, _ := newService(t, "normal")
	top, _ := newService(t, "normal", "depend=", base)
	vars := map[string]string{
		"SVC": svc, "SVCDISPLAY": testbed.ServiceRegistry(t, svc)["DisplayName"], "BASE": base, "TOP": top,
		"NEW": testbed.UniqueName(t, "new"), "LONG": strings.Repeat("\U0001F600", 129), "SLASH": "a/b", "BACKSLASH": `a\b`,
	}
	start := time.Now()
	before := testbed.TakeSnapshot(t)
	t.Logf("a snapshot of every service: %d lines, read in %s", len(before), time.Since(start).Round(time.Millisecond))
	for _, c := range cases {
		args, err := c.Expand(vars)
		if err != nil {
			t.Fatal(err)
		}
		for _, asJSON := range []bool{false, true} {
			line := args
			if asJSON {
				line = append([]string{"--json"}, args...)
			}
			r := winsvc(t, line...)
			for _, bad := range c.Check(vars, asJSON, r.code, r.stdout, r.stderr) {
				t.Errorf("%s (json %v): %s", c.Name(), asJSON, bad)
			}
		}
		after := testbed.TakeSnapshot(t)
		if d := before.Diff(after); len(d) > 0 {
			t.Errorf("%s changed the services:\n%s", c.Name(), strings.Join(d, "\n"))
			before = after
		}
	}
	t.Logf("%d cases, each in text and JSON, in %s", len(cases), time.Since(start).Round(time.Millisecond))
}
