package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/internal/testbed"
)

// TestCreateWarnsOnce: a create under an SCM that lacks the default SID
// type's setting (Wine's) says so once, in one line or one JSON warning,
// and nothing else on stderr; elsewhere it says nothing.
func TestCreateWarnsOnce(t *testing.T) {
	for _, asJSON := range []bool{false, true} {
		name := testbed.UniqueName(t, "warn")
		testbed.CleanupService(t, name)
		args := []string{"create", name, "binPath=", `C:\x.exe`}
		if asJSON {
			args = append(args, "--json")
		}
		r := winsvc(t, args...)
		r.ok(t, 0)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if !testbed.IsWine() {
			if r.stderr != "" {
				t.Errorf("create %v: stderr %q", args, r.stderr)
			}
			continue
		}
		if len(lines) != 1 || !strings.Contains(lines[0], "the default sidType was not applied") {
			t.Errorf("create %v: want one warning about the default sidType, got:\n%s", args, r.stderr)
		}
		if asJSON && !json.Valid([]byte(lines[0])) {
			t.Errorf("create --json: the warning is not JSON: %q", lines[0])
		}
	}
}
