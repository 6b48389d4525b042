package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
)

// TestApplyWarnsOncePerKind: an apply of 150 services on an SCM without
// the default SID type (Wine's) warns once, with the count and the first
// services, not 150 times; a trouble of one service names it.
func TestApplyWarnsOncePerKind(t *testing.T) {
	const reason = "ERROR_INVALID_LEVEL (124): the system call level is not correct"
	res := &desired.Result{}
	for i := range 150 {
		s := desired.ServiceResult{Name: fmt.Sprintf("Svc%03d", i), Action: desired.ActionCreate, Outcome: desired.Changed,
			SkippedSteps: []winsvc.SkippedStep{{Kind: "sidType", Reason: reason}}}
		if i == 7 {
			s.SkippedSteps = append(s.SkippedSteps, winsvc.SkippedStep{Kind: "preshutdownTimeout", Reason: reason})
		}
		res.Services = append(res.Services, s)
	}
	for _, json := range []bool{false, true} {
		e, _, errOut := testEnv(json)
		e.verb = "apply"
		if err := renderApply(e, applyResult{res: res}); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(errOut.String(), "\n"), "\n")
		want := []string{ // in the order of their first service
			"the default sidType was not applied (150 services: Svc000, Svc001, Svc002, Svc003, Svc004 and 145 more): " +
				"this Service Control Manager does not support it (" + reason + ")",
			"Svc007: the default preshutdownTimeout was not applied: this Service Control Manager does not support it (" + reason + ")",
		}
		if len(lines) != len(want) {
			t.Fatalf("json %v: %d warnings, want %d:\n%s", json, len(lines), len(want), errOut)
		}
		for i, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("json %v: warning %d is\n%s\nwant\n%s", json, i, lines[i], w)
			}
		}
	}
}
