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
	svc, _ := newService(t, "normal", "DisplayName=", "Bad Input "+testbed.UniqueName(t, ""))
	base, _ := newService(t, "normal")
	top, _ := newService(t, "normal", "depend=", base)
	vars := map[string]string{
		"SVC": svc, "SVCDISPLAY": testbed.ServiceRegistry(t, svc)["DisplayName"], "BASE": base, "TOP": top,
		"NEW": testbed.UniqueName(t, "new"), "LONG": strings.Repeat("\U0001F600", 129), "SLASH": "a/b", "BACKSLASH": `a\b`,
	}
	start := time.Now()
	run := func(args []string) (int, string, string) {
		r := winsvc(t, args...)
		return r.code, r.stdout, r.stderr
	}
	vars, err := badinput.WriteDocuments(testbed.TempDir(t), vars)
	if err != nil {
		t.Fatal(err)
	}
	badinput.RunCLI(t, vars, run, func() string { return testbed.TakeSnapshot(t) })
	t.Logf("the suite took %s", time.Since(start).Round(time.Millisecond))
}
