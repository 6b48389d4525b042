package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows/svc"

	"github.com/winsvc/winsvc/internal/testbed"
)

// TestDesiredState runs export, plan and apply as users do: a document
// creates a running service and one with a password from the environment,
// plan then shows nothing to do, an export of the service plans nothing,
// absent deletes both; the results are read through raw status calls and
// the registry. The export of every service plans nothing either.
func TestDesiredState(t *testing.T) {
	exe := testbed.ServiceExe(t)
	dir := testbed.TempDir(t)
	run, user := testbed.UniqueName(t, "ds"), testbed.UniqueName(t, "ds")
	testbed.CleanupService(t, run)
	testbed.CleanupService(t, user)
	file := filepath.Join(dir, "services.yaml")
	write := func(runKeys, userKeys string) {
		t.Helper()
		cmd, _ := json.Marshal(testbed.CommandLine(exe, "-mode=normal", "-log="+filepath.Join(dir, "svc.log"), "-lifetime=5m"))
		doc := fmt.Sprintf("services:\n  - name: %s\n    binaryPathName: %s\n%s  - name: %s\n    binaryPathName: 'C:\\x.exe'\n%s",
			run, cmd, runKeys, user, userKeys)
		if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const secret = "Desired-s3cret"
	env := []string{"DS_PASSWORD=" + secret}
	write("    description: made by apply\n    state: running\n", "    serviceStartName: .\\someuser\n    password: {env: DS_PASSWORD}\n")

	winsvc(t, "plan", "-f", file, "--detailed-exitcode").ok(t, 2, "create "+run+":", "create "+user+":", "state")
	r := winsvcEnv(t, "", env, "apply", "-f", file, "--json")
	r.ok(t, 0)
	var res struct {
		Changed, Failed int
	}
	r.decode(t, &res)
	if res.Changed != 2 || res.Failed != 0 || strings.Contains(r.stdout+r.stderr, secret) {
		t.Errorf("apply: %+v\n%s\n%s", res, r.stdout, r.stderr)
	}
	// Where the SCM has no SID type (Wine's), the skipped default is one
	// warning for both services.
	if n := strings.Count(r.stderr, "the default sidType was not applied"); n > 1 ||
		n == 1 && !strings.Contains(r.stderr, "the default sidType was not applied (2 services: ") {
		t.Errorf("apply: the skipped default is not one warning for both services:\n%s", r.stderr)
	}
	if st := testbed.QueryStatus(t, run); st.State != svc.Running {
		t.Errorf("%s: state %d, want RUNNING", run, st.State)
	}
	if reg := testbed.ServiceRegistry(t, run); reg["Description"] != "made by apply" {
		t.Errorf("%s's registry: %v", run, reg)
	}
	if reg := testbed.ServiceRegistry(t, user); reg["ObjectName"] != `.\someuser` {
		t.Errorf("%s's registry: %v", user, reg)
	}
	winsvcEnv(t, "", env, "apply", "-f", file).ok(t, 0, "Apply: 0 changed, 2 unchanged, 0 failed.")
	winsvc(t, "plan", file, "--detailed-exitcode").ok(t, 0, "0 to create, 0 to update, 0 to delete, 2 unchanged")

	exported := filepath.Join(dir, "export.json")
	winsvc(t, "export", run, user, "-o", exported).ok(t, 0, "Exported 2 services to "+exported)
	winsvc(t, "plan", "-f", exported, "--detailed-exitcode").ok(t, 0, "2 unchanged")
	winsvc(t, "export", run, "-o", exported).ok(t, 0, "Exported 1 service to "+exported)

	write("    state: absent\n", "    state: absent\n")
	winsvc(t, "apply", "-f", file).ok(t, 0, "delete "+run+":", "delete "+user+":")
	for _, name := range []string{run, user} {
		if r := winsvc(t, "exists", name); r.code != 1060 {
			t.Errorf("%s still exists (exit %d)", name, r.code)
		}
	}

	all := winsvc(t, "export", "--json")
	all.ok(t, 0)
	winsvcIn(t, all.stdout, "plan", "-f", "-", "--detailed-exitcode").ok(t, 0, "0 to create, 0 to update, 0 to delete")
}

// TestDesiredUncomparable: a document whose failure actions the SCM
// accepts but cannot report back (Wine's, docs/wine-scm.md §4). Once
// applied, plan shows them as "cannot be compared on this SCM", counts
// them apart (in JSON too), and --detailed-exitcode exits 0; apply writes
// them again, and reports them as written, not verifiable, never as a
// change. Where the SCM stores them, plan and apply find nothing to do.
func TestDesiredUncomparable(t *testing.T) {
	name := testbed.UniqueName(t, "ds")
	testbed.CleanupService(t, name)
	file := filepath.Join(testbed.TempDir(t), "fa.yaml")
	doc := fmt.Sprintf("services:\n  - name: %s\n    binaryPathName: 'C:\\x.exe'\n    failureActions: {resetPeriod: 60, actions: [{type: restart, delay: 1000}]}\n", name)
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	winsvc(t, "apply", "-f", file).ok(t, 0, "create "+name+":")
	if !testbed.IsWine() {
		winsvc(t, "plan", "-f", file, "--detailed-exitcode").ok(t, 0, "1 unchanged.")
		winsvc(t, "apply", "-f", file).ok(t, 0, "Apply: 0 changed, 1 unchanged, 0 failed.")
		return
	}
	winsvc(t, "plan", "-f", file, "--detailed-exitcode").ok(t, 0, name+": cannot be compared on this SCM",
		"0 to update, 0 to delete, 1 unchanged; 1 setting of 1 service cannot be compared on this SCM.")
	r := winsvc(t, "plan", "-f", file, "--json", "--detailed-exitcode")
	r.ok(t, 0)
	var p struct {
		Update, Unchanged, Uncomparable int
		Services                        []struct{ Uncomparable []struct{ Field string } }
	}
	r.decode(t, &p)
	if p.Update != 0 || p.Unchanged != 1 || p.Uncomparable != 1 || len(p.Services) != 1 || len(p.Services[0].Uncomparable) != 1 ||
		p.Services[0].Uncomparable[0].Field != "failureActions" {
		t.Errorf("plan --json: %s", r.stdout)
	}
	for i := 0; i < 2; i++ {
		winsvc(t, "apply", "-f", file).ok(t, 0, name+": written, not verifiable on this SCM:",
			"Apply: 0 changed, 1 unchanged, 0 failed; 1 setting of 1 service written, not verifiable on this SCM.")
	}
	if _, ok := testbed.ServiceRegistry(t, name)["FailureActions"]; ok {
		t.Errorf("Wine's SCM wrote FailureActions to the registry, which docs/wine-scm.md §5 says it never does")
	}
}
