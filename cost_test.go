package winsvc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// The tests of this file count SCM calls with the in-memory SCM: what a
// single-service operation costs must not grow with the number of services
// on the machine, and a cancelled context stops the calls.

// withExtra returns an SCM holding the given services plus n stopped ones
// that depend on nothing.
func withExtra(q quirks, n int, services ...*memService) *memSCM {
	scm := newMemSCM(q, services...)
	for i := range n {
		scm.add(svc(fmt.Sprintf("Extra%05d", i), Stopped))
	}
	return scm
}

// stopCalls counts the SCM calls of one Stop of Target (running, with
// dependents as given), among n extra services.
func stopCalls(t *testing.T, q quirks, n int, dependents ...*memService) (int, error) {
	t.Helper()
	scm := withExtra(q, n, append([]*memService{svc("Target", Running)}, dependents...)...)
	s, _ := memManager(scm).Service("Target")
	scm.reset()
	err := s.Stop(context.Background())
	return len(scm.calls), err
}

// TestStopCostDoesNotGrowWithServices checks that Stop makes as many SCM
// calls with 1,000 other services as with none: on an SCM that tracks
// dependents it sends the control alone (the SCM refuses with 1051 by
// itself, and only then is asked for the names); on one that does not, it
// reads the dependencies of the active services only.
func TestStopCostDoesNotGrowWithServices(t *testing.T) {
	for _, q := range []quirks{{}, wineQuirks} {
		zero, err := stopCalls(t, q, 0)
		if err != nil {
			t.Fatal(err)
		}
		many, err := stopCalls(t, q, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if zero != many {
			t.Errorf("quirks %+v: Stop made %d SCM calls among 1,000 services, %d among none", q, many, zero)
		}
		if limit := map[bool]int{false: 5, true: 7}[q.dependentsUntracked]; many > limit {
			t.Errorf("quirks %+v: Stop made %d SCM calls; want at most %d", q, many, limit)
		}
		// Refused for a running dependent: still constant, and the error
		// names it.
		dep := func() *memService { return svc("Dependent", Running, "Target") }
		zero, err0 := stopCalls(t, q, 0, dep())
		many, err = stopCalls(t, q, 1000, dep())
		if !errors.Is(err, ErrDependentServicesRunning) || !strings.Contains(err.Error(), "Dependent") || !errors.Is(err0, ErrDependentServicesRunning) {
			t.Errorf("quirks %+v: Stop with a running dependent = %v; want 1051 naming it", q, err)
		}
		if zero != many {
			t.Errorf("quirks %+v: a refused Stop made %d SCM calls among 1,000 services, %d among none", q, many, zero)
		}
	}
}

// TestStopCallsOnTrackingSCM pins what Stop does on an SCM that tracks
// dependents: open, status, control, wait, close; no enumeration, no
// configuration read.
func TestStopCallsOnTrackingSCM(t *testing.T) {
	scm := withExtra(quirks{}, 1000, svc("Target", Running))
	s, _ := memManager(scm).Service("Target")
	scm.reset()
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{"openService Target", "status Target", "control 1 Target", "waitFor Target", "close Target"}
	if got := scm.ops(); !slices.Equal(got, want) {
		t.Errorf("Stop made %v; want %v", got, want)
	}
}

// TestDependentsComputationIsOnePass checks that, on an SCM that does not
// track dependents, the dependency tree of a service reads each service's
// dependencies once, from the registry, with no per-service SCM call.
func TestDependentsComputationIsOnePass(t *testing.T) {
	scm := withExtra(wineQuirks, 500, svc("Target", Running), svc("Dep", Running, "Target"))
	scm.reset()
	tree, err := memManager(scm).DependencyTree(context.Background(), "Target")
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Dependents) != 1 || tree.Dependents[0].Name != "Dep" {
		t.Errorf("dependents %+v; want Dep", tree.Dependents)
	}
	counts := map[string]int{}
	for _, c := range scm.calls {
		counts[c.Op]++
	}
	if counts["registry"] != 502 || counts["openService"] > 1 || counts["queryConfig"] > 1 {
		t.Errorf("calls %v; want one registry read per service and no per-service open", counts)
	}
}

// TestContextStopsTheSCMCalls cancels the context before an operation and
// in the middle of it, and checks that it fails with context.Canceled at
// once: no SCM call at all when cancelled before, and at most the call in
// flight when cancelled during (closing handles aside).
func TestContextStopsTheSCMCalls(t *testing.T) {
	ops := map[string]func(ctx context.Context, m *Manager) error{
		"Load": func(ctx context.Context, m *Manager) error { _, err := m.Load(ctx, "Target"); return err },
		"QueryAll": func(ctx context.Context, m *Manager) error {
			_, err := m.QueryAll(ctx, QueryFilter{})
			return err
		},
		"DependencyTree": func(ctx context.Context, m *Manager) error {
			_, err := m.DependencyTree(ctx, "Target")
			return err
		},
		"RunningDependents": func(ctx context.Context, m *Manager) error {
			_, _, err := (&Service{m: m, name: "Target"}).RunningDependents(ctx)
			return err
		},
		"Stop": func(ctx context.Context, m *Manager) error {
			_, err := (&Service{m: m, name: "Target"}).StopWithDependents(ctx)
			return err
		},
		"Save": func(ctx context.Context, m *Manager) error {
			s, _ := m.New(Definition{Name: "Target", Description: Ptr("x"), PreshutdownTimeout: Ptr(time.Second)})
			_, err := s.Save(ctx, SaveOptions{})
			return err
		},
	}
	newSCM := func() *memSCM {
		return withExtra(wineQuirks, 20, svc("Target", Running), svc("Dep", Running, "Target"))
	}
	for name, op := range ops {
		// Uncancelled, to learn how many calls the operation makes.
		scm := newSCM()
		if err := op(context.Background(), memManager(scm)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		total := 0
		for _, c := range scm.calls {
			if c.Op != "close" {
				total++
			}
		}
		for _, at := range []int{0, 1, total / 2, total - 1} {
			if at >= total || (at == total/2 && at <= 1) {
				continue
			}
			scm := newSCM()
			ctx, cancel := context.WithCancel(context.Background())
			if at == 0 {
				cancel()
			}
			calls := 0
			scm.onCall = func(op string) {
				if op == "close" {
					return
				}
				if calls++; calls == at {
					cancel() // during call number at
				}
			}
			start := time.Now()
			err := op(ctx, memManager(scm))
			if !errors.Is(err, context.Canceled) || calls > at+1-min(at, 1) || time.Since(start) > time.Second {
				t.Errorf("%s (%d calls) cancelled at call %d: %v after %d calls; want context.Canceled with no call after the one in flight",
					name, total, at, err, calls)
			}
			cancel()
		}
	}
}

// BenchmarkStopCalls reports the SCM calls one Stop makes (calls/op) among
// 0 and 1,000 other services, on the in-memory SCM: tracking dependents as
// Windows does, and with Wine's quirks.
func BenchmarkStopCalls(b *testing.B) {
	for _, tc := range []struct {
		name string
		q    quirks
	}{{"tracking", quirks{}}, {"wine", wineQuirks}} {
		for _, n := range []int{0, 1000} {
			b.Run(fmt.Sprintf("%s/extra=%d", tc.name, n), func(b *testing.B) {
				scm := withExtra(tc.q, n, svc("Target", Running))
				s, _ := memManager(scm).Service("Target")
				scm.reset()
				for i := 0; i < b.N; i++ {
					scm.service("Target").state = Running
					if err := s.Stop(context.Background()); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(scm.calls))/float64(b.N), "calls/op")
			})
		}
	}
}
