package cli

import (
	"strings"
	"testing"
	"time"
)

// TestCountProgress: export, plan and apply draw how far they are on
// stderr (step, done/total, the service), in place, and clear the line
// when done, only when stderr is a terminal and not with --json; stdout is
// the same either way.
func TestCountProgress(t *testing.T) {
	defer func(d time.Duration) { countInterval = d }(countInterval)
	countInterval = 0 // draw every service
	for _, tt := range []struct {
		args  []string
		steps []string
	}{
		{[]string{"export", "--all"}, []string{"export: read 1/6 ", "export: read 6/6 "}},
		{[]string{"plan", "-f", "testdata/desired/change.yaml"}, []string{"plan: read 1/4 ", "plan: read 4/4 "}},
		{[]string{"apply", "-f", "testdata/desired/change.yaml"},
			[]string{"apply: read 4/4 ", "apply: stop 1/1 Stopped", "apply: configure 2/2 ", "apply: start 2/2 "}},
	} {
		_, code, plain, plainErr := runFake(t, runCase{args: tt.args})
		_, ttyCode, stdout, stderr := runFake(t, runCase{args: tt.args, tty: true})
		if code != 0 || ttyCode != 0 || stdout != plain {
			t.Errorf("%q: exit %d (%d on a terminal); stdout on a terminal differs:\n%s\nfrom\n%s", tt.args, ttyCode, code, stdout, plain)
		}
		if strings.Contains(plainErr, "\r") {
			t.Errorf("%q: progress without a terminal: %q", tt.args, plainErr)
		}
		for _, s := range tt.steps {
			if !strings.Contains(stderr, "\r"+s) {
				t.Errorf("%q: no %q in the progress: %q", tt.args, s, stderr)
			}
		}
		if !strings.HasSuffix(stderr, "\r") {
			t.Errorf("%q: the progress line is not cleared: %q", tt.args, stderr)
		}
		_, _, _, jsonErr := runFake(t, runCase{args: append(tt.args, "--json"), tty: true})
		if strings.Contains(jsonErr, "\r") {
			t.Errorf("%q --json: progress: %q", tt.args, jsonErr)
		}
	}
}
