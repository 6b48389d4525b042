//go:build windows

package desired_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows/svc"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/internal/testbed"
	"github.com/winsvc/winsvc/internal/testbed/svclog"
)

// q writes s as a YAML scalar (a JSON string is one).
func q(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// applyText applies a document, failing the test on an error.
func applyText(t *testing.T, m desired.Manager, src string) *desired.Result {
	t.Helper()
	doc, err := desired.Parse("e2e.yaml", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	r, err := desired.ApplyAll(context.Background(), m, doc, desired.ApplyOptions{Timeout: 20 * time.Second})
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, r)
	}
	return r
}

// planText plans a document, failing the test on an error.
func planText(t *testing.T, m desired.Manager, src string) *desired.Plan {
	t.Helper()
	doc, err := desired.Parse("e2e.yaml", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	p, err := desired.PlanAll(context.Background(), m, doc, desired.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rawState reads a service's state without winsvc.
func rawState(t *testing.T, name string) svc.State { return testbed.QueryStatus(t, name).State }

// A service and one it depends on, created, changed, paused, stopped and
// deleted by documents, checked through the registry and raw status calls;
// each document applied twice changes nothing the second time.
func TestApplyEndToEnd(t *testing.T) {
	exe := testbed.ServiceExe(t)
	m := connect(t)
	dir := testbed.TempDir(t)
	app, dep := testbed.UniqueName(t, "ds"), testbed.UniqueName(t, "dsdep")
	testbed.CleanupService(t, app)
	testbed.CleanupService(t, dep)
	appLog, depLog := filepath.Join(dir, "app.log"), filepath.Join(dir, "dep.log")
	// The command lines as the SCM stores them (the program quoted only
	// when it has spaces).
	appCmd := winsvc.JoinCommandLine(exe, "-mode=normal", "-log="+appLog, "-lifetime=120s")
	depCmd := winsvc.JoinCommandLine(exe, "-mode=normal", "-log="+depLog, "-lifetime=120s")
	doc := func(appKeys, depState string) string {
		return fmt.Sprintf("services:\n  - name: %s\n%s  - name: %s\n    binaryPathName: %s\n    state: %s\n", app, appKeys, dep, q(depCmd), depState)
	}
	twice := func(src string) *desired.Result {
		t.Helper()
		r := applyText(t, m, src)
		if again := applyText(t, m, src); again.Count(desired.Unchanged) != len(again.Services) {
			t.Errorf("the second apply changed something:\n%s", again)
		}
		return r
	}

	// Create both, running: the dependency starts first.
	created := fmt.Sprintf("    binaryPathName: %s\n    displayName: %s\n    description: created by a document\n    dependencies: [%s]\n    state: running\n",
		q(appCmd), q("Desired "+app), dep)
	r := twice(doc(created, "running"))
	if got := outcomes(r); got != dep+" changed, "+app+" changed" {
		t.Errorf("outcomes: %s", got)
	}
	// What the SCM does not support (the SID type under Wine) is reported
	// skipped, not done.
	for _, sr := range r.Services {
		for _, sk := range sr.SkippedSteps {
			if slices.ContainsFunc(sr.Changes, func(c winsvc.Change) bool { return string(c.Field) == string(sk.Kind) }) {
				t.Errorf("%s: %s was skipped (%s) but is reported as done", sr.Name, sk.Kind, sk.Reason)
			}
		}
	}
	reg := testbed.ServiceRegistry(t, app)
	if reg["ImagePath"] != appCmd || reg["Description"] != "created by a document" || reg["DependOnService"] != "["+dep+"]" ||
		reg["DisplayName"] != "Desired "+app || reg["Start"] != "3" {
		t.Errorf("registry of %s: %v", app, reg)
	}
	if rawState(t, app) != svc.Running || rawState(t, dep) != svc.Running {
		t.Errorf("states %v, %v; want both RUNNING", rawState(t, app), rawState(t, dep))
	}
	appStart := firstEvent(t, appLog, svclog.EventStart)
	if depStart := firstEvent(t, depLog, svclog.EventStart); depStart.After(appStart) {
		t.Errorf("%s started at %v, after %s, which depends on it (%v)", dep, depStart, app, appStart)
	}

	// Change two settings and pause: nothing else is written.
	changed := strings.Replace(created, "created by a document", "changed by a document", 1) + "    startType: auto\n"
	changed = strings.Replace(changed, "state: running", "state: paused", 1)
	twice(doc(changed, "running"))
	if diff := testbed.RegistryDiff(reg, testbed.ServiceRegistry(t, app)); !slices.Equal(diff, []string{
		`Description: "created by a document" -> "changed by a document"`, `Start: "3" -> "2"`}) {
		t.Errorf("registry changes: %q", diff)
	}
	if rawState(t, app) != svc.Paused {
		t.Errorf("%s: %v, want PAUSED", app, rawState(t, app))
	}

	// A paused service asked to run is continued.
	twice(doc("    state: running\n", "running"))
	if rawState(t, app) != svc.Running {
		t.Errorf("%s: %v, want RUNNING", app, rawState(t, app))
	}

	// Stop both: the dependent first.
	twice(doc("    state: stopped\n", "stopped"))
	if rawState(t, app) != svc.Stopped || rawState(t, dep) != svc.Stopped {
		t.Errorf("states %v, %v; want both STOPPED", rawState(t, app), rawState(t, dep))
	}

	// Absent: both deleted.
	twice(doc("    state: absent\n", "absent"))
	for _, name := range []string{app, dep} {
		if hasRegistryKey(name) {
			t.Errorf("%s: its registry key is still there", name)
		}
	}
}

// firstEvent returns the time of the first event of a kind in a test
// service's log, waiting for it.
func firstEvent(t *testing.T, log, event string) time.Time {
	t.Helper()
	entries := testbed.WaitLog(t, log, 10*time.Second, func(es []testbed.LogEntry) bool {
		return slices.ContainsFunc(es, func(e testbed.LogEntry) bool { return e.Event == event })
	})
	for _, e := range entries {
		if e.Event == event {
			return e.Time
		}
	}
	return time.Time{}
}

// An entry's timeout bounds the wait for its run state: a service slower
// to start fails with a timeout, and the others are applied.
func TestApplyTimeout(t *testing.T) {
	exe := testbed.ServiceExe(t)
	m := connect(t)
	slow, other := testbed.UniqueName(t, "ds"), testbed.UniqueName(t, "ds")
	testbed.CleanupService(t, slow)
	testbed.CleanupService(t, other)
	src := fmt.Sprintf("services:\n  - name: %s\n    binaryPathName: %s\n    state: running\n    timeout: 300ms\n  - name: %s\n    binaryPathName: %s\n",
		slow, q(testbed.CommandLine(exe, "-mode=slowstart", "-delay=3s", "-lifetime=60s")), other, q(`C:\other.exe`))
	doc, err := desired.Parse("timeout.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r, err := desired.ApplyAll(context.Background(), m, doc, desired.ApplyOptions{ContinueOnError: true})
	if !errors.Is(err, winsvc.ErrWaitTimeout) || outcomes(r) != slow+" failed, "+other+" changed" {
		t.Errorf("%v\n%s", err, r)
	}
	if d := time.Since(start); d > 2500*time.Millisecond {
		t.Errorf("the apply took %v: the 300ms timeout did not bound the wait", d)
	}
	if !hasRegistryKey(other) {
		t.Errorf("%s was not created", other)
	}
}

// A setting the SCM accepts but cannot read back (Wine's SCM stores no
// failure actions, and no security descriptor) is reported as unverified,
// and, once the service exists, planned apart as "cannot be compared":
// applying the document again reports no change (where the SCM stores
// them, they read back and an apply again plans nothing). The registry,
// read without winsvc, does not change across the applies.
func TestApplyUnverified(t *testing.T) {
	m := connect(t)
	name := testbed.UniqueName(t, "ds")
	testbed.CleanupService(t, name)
	text := fmt.Sprintf("services:\n  - name: %s\n    binaryPathName: %s\n    failureActions: {resetPeriod: 60, actions: [{type: restart, delay: 1000}]}\n"+
		"    securityDescriptor: D:(A;;GA;;;SY)(A;;GA;;;BA)(A;;CCLCSWLOCRRC;;;IU)\n", name, q(`C:\x.exe`))
	r := applyText(t, m, text)
	unverified := func(s desired.ServiceResult) []winsvc.Field {
		var out []winsvc.Field
		for _, u := range s.Unverified {
			out = append(out, u.Field)
		}
		return out
	}
	wine := []winsvc.Field{winsvc.FieldFailureActions, winsvc.FieldSecurityDescriptor}
	if !testbed.IsWine() {
		if got := unverified(r.Services[0]); len(got) != 0 {
			t.Errorf("settings unverified on Windows: %v", got)
		}
		if p := planText(t, m, text); !p.Empty() {
			t.Errorf("plan after the apply:\n%s", p)
		}
		return
	}
	if got := unverified(r.Services[0]); !slices.Equal(got, wine) {
		t.Errorf("create under Wine: unverified %v; want %v (docs/wine-scm.md §4, §10)", got, wine)
	}
	p := planText(t, m, text)
	if sp := p.Services[0]; sp.Action != desired.ActionNone || len(sp.Changes) != 0 || len(sp.Uncomparable) != 2 || !p.Empty() {
		t.Errorf("plan after the apply, under Wine:\n%s", p)
	}
	reg := testbed.ServiceRegistry(t, name)
	for i := 0; i < 2; i++ {
		r := applyText(t, m, text)
		if s := r.Services[0]; s.Outcome != desired.Unchanged || len(s.Changes) != 0 || !slices.Equal(unverified(s), wine) {
			t.Errorf("apply again under Wine:\n%s", r)
		}
	}
	if d := testbed.RegistryDiff(reg, testbed.ServiceRegistry(t, name)); len(d) != 0 {
		t.Errorf("applying again changed the registry: %v", d)
	}
}

// A service on its way to the state asked for is taken as in it: a service
// hanging in START_PENDING is running as far as a plan is concerned.
func TestPendingCountsAsReached(t *testing.T) {
	exe := testbed.ServiceExe(t)
	ctx := context.Background()
	m := connect(t)
	name := testbed.UniqueName(t, "ds")
	testbed.CleanupService(t, name)
	hang, err := m.New(winsvc.Definition{Name: name, CommandLine: testbed.CommandLine(exe, "-mode=hang", "-lifetime=60s")})
	if err == nil {
		_, err = hang.Save(ctx, winsvc.SaveOptions{})
	}
	if err == nil {
		err = hang.Start(ctx, winsvc.NoWait())
	}
	if err != nil {
		t.Fatal(err)
	}
	testbed.WaitStatus(t, name, 10*time.Second, func(st svc.Status) bool { return st.State == svc.StartPending })
	for state, want := range map[string]string{"running": "", "stopped": "state: START_PENDING -> STOPPED", "paused": "state: START_PENDING -> PAUSED"} {
		doc, err := desired.Parse("pending.yaml", []byte(fmt.Sprintf("services:\n  - name: %s\n    state: %s\n", name, state)))
		if err != nil {
			t.Fatal(err)
		}
		p, err := desired.PlanAll(ctx, m, doc, desired.PlanOptions{})
		if err != nil || p.Services[0].Err != nil || changesOf(p.Services[0].Changes) != want {
			t.Errorf("state %s: %v, %v: %q; want %q", state, err, p.Services[0].Err, changesOf(p.Services[0].Changes), want)
		}
	}
}

// A stopped service asked to be paused is started, then paused; one that
// turns out not to accept PAUSE_CONTINUE is stopped again, as it was, and
// the apply fails naming the pause.
func TestPausedUndoesTheStart(t *testing.T) {
	exe := testbed.ServiceExe(t)
	m := connect(t)
	name := testbed.UniqueName(t, "ds")
	testbed.CleanupService(t, name)
	src := fmt.Sprintf("services:\n  - name: %s\n    binaryPathName: %s\n    state: paused\n",
		name, q(testbed.CommandLine(exe, "-mode=plain", "-lifetime=60s")))
	doc, err := desired.Parse("nopause.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r, err := desired.ApplyAll(context.Background(), m, doc, desired.ApplyOptions{Timeout: 20 * time.Second})
	if !errors.Is(err, winsvc.ErrInvalidControl) || strings.Contains(err.Error(), "undoing") {
		t.Errorf("state paused of a service that cannot pause: %v, want %v alone\n%s", err, winsvc.ErrInvalidControl, r)
	}
	if st := rawState(t, name); st != svc.Stopped {
		t.Errorf("after the failed pause the service is %d, want STOPPED (as it was)", st)
	}
}
