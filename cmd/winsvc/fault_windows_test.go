package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc/internal/testbed"
)

// TestStopStuckPending: stop of a service stuck in STOP_PENDING fails by
// --timeout (or at the stall of its checkpoint) with 1053 and an error that
// names STOP_PENDING.
func TestStopStuckPending(t *testing.T) {
	name, _ := newService(t, "stophang")
	winsvc(t, "start", name).ok(t, 0, "RUNNING")
	start := time.Now()
	r := winsvc(t, "stop", name, "--timeout", "1s", "--json")
	r.jsonError(t, 1053, name)
	if !strings.Contains(r.stderr, "last status STOP_PENDING") {
		t.Errorf("stop of a service stuck in STOP_PENDING: %s", r.stderr)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stop --timeout 1s returned after %s", d)
	}
	winsvc(t, "status", name).ok(t, 3, "STOP_PENDING")
}

// TestWaitAfterCrash: the process of a running service dies. wait NAME
// stopped returns within seconds: at once where the SCM reports the stop,
// and under Wine, whose SCM goes on reporting RUNNING, with 1067 saying so.
func TestWaitAfterCrash(t *testing.T) {
	name, _ := newService(t, "crashlater")
	winsvc(t, "start", name).ok(t, 0, "RUNNING")
	testbed.WaitProcess(t, testbed.QueryStatus(t, name).ProcessId, 10*time.Second)
	start := time.Now()
	r := winsvc(t, "wait", name, "stopped", "--timeout", "20s", "--json")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("wait stopped after a crash took %s", d)
	}
	if !testbed.IsWine() {
		r.ok(t, 0, `"state": "STOPPED"`)
		return
	}
	r.jsonError(t, 1067, name)
	if !strings.Contains(r.stderr, "still reports the service RUNNING") || !strings.Contains(r.stderr, "exit code 7") {
		t.Errorf("wait stopped after a crash, under Wine: %s", r.stderr)
	}
}

// TestDeleteWaitHeldOpen: delete --wait of a service marked for deletion
// that another program holds open exits at --timeout with 1072 and a JSON
// error for "delete" saying it is still present, every time: the deadline
// used to surface now and then as {"op":"exists","code":1,"message":
// "context deadline exceeded"}, when it fell during the existence check
// of the wait's poll. Many runs with short timeouts catch that.
func TestDeleteWaitHeldOpen(t *testing.T) {
	name, _ := newService(t, "normal")
	testbed.HoldOpen(t, name)
	winsvc(t, "delete", name).ok(t, 0, "[SC] DeleteService SUCCESS")
	for i := 0; i < 20; i++ {
		r := winsvc(t, "delete", name, "--wait", "--timeout", fmt.Sprintf("%dms", 20+3*i), "--json")
		r.jsonError(t, 1072, name)
		var doc struct{ Error struct{ Op, Message string } }
		if err := json.Unmarshal([]byte(r.stderr), &doc); err != nil || doc.Error.Op != "delete" ||
			!strings.Contains(doc.Error.Message, "still present when the wait ended") {
			t.Fatalf("run %d: delete --wait of a service held open: %s; want op delete, still present", i, r.stderr)
		}
	}
	winsvc(t, "exists", name).ok(t, 0)
}
