package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/internal/testbed"
)

// doctorFindings runs doctor NAME --json and returns the checks found
// wrong, each with its fix.
func doctorFindings(t *testing.T, name string, code int) []string {
	t.Helper()
	var d struct {
		Services []struct {
			Findings []struct{ Check, Fix string }
		}
	}
	r := winsvc(t, "doctor", name, "--json")
	r.ok(t, code)
	r.decode(t, &d)
	if len(d.Services) != 1 {
		t.Fatalf("doctor %s --json: %d services", name, len(d.Services))
	}
	out := []string{}
	for _, f := range d.Services[0].Findings {
		out = append(out, f.Check+": "+f.Fix)
	}
	return out
}

// runFix runs a finding's fix, a winsvc command line of words without
// spaces, and wants it to succeed.
func runFix(t *testing.T, fix string) {
	t.Helper()
	words := strings.Fields(fix)
	if len(words) < 2 || words[0] != "winsvc" {
		t.Fatalf("fix %q is not a winsvc command line", fix)
	}
	winsvc(t, words[1:]...).ok(t, 0)
}

// TestDoctor: the built command finds a missing program and a disabled
// start type under the real SCM (exit 2, each finding with its fix), the
// fix it prints mends the service (exit 0 after), confirmed with the
// registry.
func TestDoctor(t *testing.T) {
	restart := func(name string) {
		winsvc(t, "failure", name, "reset=", "86400", "actions=", "restart/60000").ok(t, 0)
	}

	name, _ := newService(t, "normal")
	restart(name)
	winsvc(t, "doctor", name).ok(t, 0, "SERVICE_NAME: "+name, "Nothing wrong found.")

	winsvc(t, "config", name, "start=", "disabled").ok(t, 0)
	if got := testbed.ServiceRegistry(t, name)["Start"]; got != "4" {
		t.Fatalf("registry Start = %q, want 4 (DISABLED)", got)
	}
	winsvc(t, "doctor", name).ok(t, 2, "start-type", "winsvc config "+name+" start= demand")
	got := doctorFindings(t, name, 2)
	if want := []string{"start-type: winsvc config " + name + " start= demand"}; !slices.Equal(got, want) {
		t.Fatalf("findings %q, want %q", got, want)
	}
	runFix(t, strings.TrimPrefix(got[0], "start-type: "))
	if got := testbed.ServiceRegistry(t, name)["Start"]; got != "3" {
		t.Errorf("registry Start after the fix = %q, want 3 (DEMAND)", got)
	}
	winsvc(t, "doctor", name).ok(t, 0, "Nothing wrong found.")

	missing := filepath.Join(testbed.TempDir(t), "no-such-dir", "app.exe")
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s: %v, want it missing", missing, err)
	}
	gone := testbed.UniqueName(t, "cli")
	testbed.CleanupService(t, gone)
	winsvc(t, "create", gone, "binPath=", missing).ok(t, 0)
	restart(gone)
	if got := testbed.ServiceRegistry(t, gone)["ImagePath"]; !strings.Contains(got, missing) {
		t.Fatalf("registry ImagePath %q, want %s", got, missing)
	}
	winsvc(t, "doctor", gone).ok(t, 2, "program", missing, "winsvc config "+gone+" binPath= PROGRAM")
	if got, want := doctorFindings(t, gone, 2), []string{"program: winsvc config " + gone + " binPath= PROGRAM"}; !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}
