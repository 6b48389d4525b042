package main

import (
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc/internal/testbed"
)

// The verbs on a service marked for deletion: the SCM only marks a service
// that runs (or that a handle holds) and removes it once it stops and the
// last handle closes. These tests mark a running service with "delete"
// (without --stop) and check each verb's exit status and message.

// markedRunning creates and starts a test service, then deletes it while it
// runs: it is marked for deletion and still RUNNING. Its process lingers
// 700 ms after it reports STOPPED, as a slow process would: the SCM removes
// the service only once the process is gone.
func markedRunning(t *testing.T) string {
	t.Helper()
	name := testbed.UniqueName(t, "cli")
	testbed.CleanupService(t, name)
	cmdLine := testbed.CommandLine(testbed.ServiceExe(t), "-mode=normal", "-linger=700ms", "-lifetime=5m")
	winsvc(t, "create", name, "binPath=", cmdLine).ok(t, 0)
	winsvc(t, "start", name).ok(t, 0, "RUNNING")
	winsvc(t, "delete", name).ok(t, 0, "[SC] DeleteService SUCCESS")
	if st := testbed.QueryStatus(t, name); st.State != 4 {
		t.Fatalf("after delete of a running service: state %d, want RUNNING (4)", st.State)
	}
	return name
}

// runOnMarked runs verb on a new service marked for deletion while it runs,
// with --json or not.
func runOnMarked(t *testing.T, verb string, asJSON bool) (string, result) {
	t.Helper()
	name := markedRunning(t)
	args := []string{verb, name}
	if asJSON {
		args = append(args, "--json")
	}
	return name, winsvc(t, args...)
}

// TestStopMarkedForDelete: stopping a running service that is marked for
// deletion stops it, and so removes it; that is a success (exit 0), in text
// and JSON. Wine's SCM removes it a few milliseconds after the stop
// returns (docs/wine-scm.md §8), so whether the status read after the stop
// still finds it is a race there: the warning that says it is gone is
// checked in memory (internal/cli/testdata/run/stop.txt), and here that
// it goes.
func TestStopMarkedForDelete(t *testing.T) {
	for _, json := range []bool{false, true} {
		name, r := runOnMarked(t, "stop", json)
		if json {
			var st status
			r.ok(t, 0, `"state": "STOPPED"`)
			r.decode(t, &st)
			if st.Name != name {
				t.Errorf("stop --json of a marked service: %+v", st)
			}
		} else {
			r.ok(t, 0, "SERVICE_NAME: "+name, "STOPPED")
		}
		testbed.WaitServiceGone(t, name, 5*time.Second)
	}
}

// TestRestartMarkedForDelete: a restart of a service marked for deletion
// stops it, and so removes it: it cannot be started again, and restart
// fails with 1072, saying so, in text and JSON.
func TestRestartMarkedForDelete(t *testing.T) {
	for _, json := range []bool{false, true} {
		name, r := runOnMarked(t, "restart", json)
		if json {
			r.jsonError(t, 1072, name)
		} else if r.code != 1072 || !strings.Contains(r.stderr, "ERROR_SERVICE_MARKED_FOR_DELETE") {
			t.Errorf("restart of a marked service: exit %d, want 1072: %s", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "marked for deletion, and went once stopped") {
			t.Errorf("restart of a marked service: %q does not say why it cannot start", r.stderr)
		}
		winsvc(t, "exists", name).ok(t, 1060)
	}
}

// TestCreateOverMarkedForDelete: create of a name whose service is marked
// for deletion fails with 1072 (not 1073, "exists"), as "winsvc help
// delete" says, and changes nothing.
func TestCreateOverMarkedForDelete(t *testing.T) {
	name := markedRunning(t)
	before := testbed.ServiceRegistry(t, name)
	r := winsvc(t, "create", name, "binPath=", `C:\other.exe`, "--json")
	r.jsonError(t, 1072, name)
	if d := testbed.RegistryDiff(before, testbed.ServiceRegistry(t, name)); len(d) != 0 {
		t.Errorf("create over a marked service changed it: %v", d)
	}
	winsvc(t, "stop", name).ok(t, 0)
}

// TestDeleteWaitMarkedForDelete: delete --wait of a service already marked
// waits until it is gone (here: until it is stopped by another program),
// instead of failing with 1072 at once.
func TestDeleteWaitMarkedForDelete(t *testing.T) {
	name := markedRunning(t)
	done := make(chan result, 1)
	go func() { done <- winsvc(t, "delete", name, "--wait", "--timeout", "20s") }()
	select {
	case r := <-done:
		t.Fatalf("delete --wait of a marked, running service returned at once: exit %d, %s", r.code, r.stderr)
	case <-time.After(1500 * time.Millisecond):
	}
	testbed.RawStop(t, name)
	select {
	case r := <-done:
		r.ok(t, 0, "[SC] DeleteService SUCCESS")
	case <-time.After(15 * time.Second):
		t.Fatal("delete --wait did not return after the service went")
	}
	winsvc(t, "exists", name).ok(t, 1060)
}

// TestWaitDeletedUnderneath: "wait NAME running" on a service that another
// program deletes returns at once with 1072, saying it was deleted, instead
// of waiting until --timeout.
func TestWaitDeletedUnderneath(t *testing.T) {
	name, _ := newService(t, "normal")
	done := make(chan result, 1)
	go func() { done <- winsvc(t, "wait", name, "running", "--timeout", "30s", "--json") }()
	time.Sleep(1500 * time.Millisecond)
	testbed.RawDelete(t, name)
	start := time.Now()
	select {
	case r := <-done:
		r.jsonError(t, 1072, name)
		if !strings.Contains(r.stderr, "deleted") {
			t.Errorf("wait on a deleted service: %q does not say it was deleted", r.stderr)
		}
		t.Logf("wait ended %s after the delete", time.Since(start).Round(time.Millisecond))
	case <-time.After(10 * time.Second):
		t.Fatal("wait did not notice the deletion within 10 s")
	}
}
