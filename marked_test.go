package winsvc

import (
	"context"
	"errors"
	"testing"
)

// TestDiagnoseChangesNothing: doctor's marked-for-deletion check asks the
// SCM for a change that changes nothing; on an SCM that deletes the
// dependencies on a NULL (Wine's), it sends them back, so a diagnosis
// keeps them.
func TestDiagnoseChangesNothing(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		q    quirks
	}{{"windows", quirks{}}, {"wine", wineQuirks}} {
		t.Run(tc.name, func(t *testing.T) {
			scm := newMemSCM(tc.q, svc("A", Stopped, "B"), svc("B", Stopped))
			if _, err := memManager(scm).Diagnose(ctx, "A", DiagnoseOptions{}); err != nil {
				t.Fatal(err)
			}
			if got := cfgOf(scm.Service("A")).Dependencies; len(got) != 1 || got[0] != ParseDependency("B") {
				t.Errorf("dependencies after a diagnosis: %v; want [B]", got)
			}
		})
	}
}

// TestDiagnoseMarked: a service marked for deletion is reported as such,
// with or without Wine's quirks.
func TestDiagnoseMarked(t *testing.T) {
	ctx := context.Background()
	for _, q := range []quirks{{}, wineQuirks} {
		scm := newMemSCM(q, svc("M", Running))
		m := memManager(scm)
		s, _ := m.Service("M")
		if err := s.Delete(ctx, DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		d, err := m.Diagnose(ctx, "M", DiagnoseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range d.Findings {
			found = found || f.Check == CheckMarkedDelete
		}
		if !found {
			t.Errorf("quirks %+v: a marked service diagnosed without %s: %+v", q, CheckMarkedDelete, d.Findings)
		}
	}
}

// TestRestartMarkedStartsMarked: on an SCM that would start a stopped
// service marked for deletion again (Wine's, until it has seen the
// process exit), Restart asks first, and fails with 1072 as on Windows
// instead of running the service again.
func TestRestartMarkedStartsMarked(t *testing.T) {
	ctx := context.Background()
	q := wineQuirks
	q.StartsMarked = true
	scm := newMemSCM(q, svc("M", Running, "B"), svc("B", Running))
	s, _ := memManager(scm).Service("M")
	if err := s.Delete(ctx, DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Restart(ctx)
	if !errors.Is(err, ErrMarkedForDelete) {
		t.Errorf("Restart of a marked service = %v; want 1072", err)
	}
	if m := scm.Service("M"); m == nil || State(m.State) != Stopped || len(cfgOf(m).Dependencies) != 1 {
		t.Errorf("after the restart: %+v; want it stopped, its dependency kept", m)
	}
}
