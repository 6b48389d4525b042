package cli

import (
	"os"
	"path/filepath"
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
	want := badinput.MemorySnapshot(t, newFake(t))
	var fakes []*winsvc.Manager // of the runs of the case under way
	run := func(args []string) (int, string, string) {
		m, code, stdout, stderr := runFake(t, runCase{args: args})
		fakes = append(fakes, m)
		return code, stdout, stderr
	}
	// Each run has a fake of its own: the snapshot is the first that
	// differs from a fresh fake's.
	snapshot := func() string {
		defer func() { fakes = nil }()
		for _, m := range fakes {
			if s := badinput.MemorySnapshot(t, m); s != want {
				return s
			}
		}
		return want
	}
	dir, err := os.MkdirTemp("", "winsvc-badinput-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeDir(dir) })
	vars, err := badinput.WriteDocuments(dir, badInputVars)
	if err != nil {
		t.Fatal(err)
	}
	badinput.RunCLI(t, vars, run, snapshot)
}

// removeDir removes dir and the files in it with os.Remove, which works
// under Wine, where these tests run too (t.TempDir's cleanup does not).
func removeDir(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.Remove(filepath.Join(dir, e.Name()))
	}
	os.Remove(dir)
}

// TestBadInputCoversEveryVerb: every verb of the table has a case in the
// bad-input suite.
func TestBadInputCoversEveryVerb(t *testing.T) {
	cases, err := badinput.CLI()
	if err != nil {
		t.Fatal(err)
	}
	tried := map[*command]bool{}
	for _, c := range cases {
		tried[lookup(c.Args[0])] = true
	}
	for _, cmd := range sortedCommands() {
		if !tried[cmd] {
			t.Errorf("verb %s has no case in the bad-input suite (internal/testbed/badinput/cli.txt)", cmd.name)
		}
	}
}
