package winsvc

import (
	"context"
	"fmt"
	"testing"
)

// The tests of this file check, on the in-memory SCM, that what the
// dependency computations cost grows linearly with the number of services
// involved, up to 5,000: the SCM calls exactly (no call is repeated per
// pair of services), and, in BenchmarkDependencyScale, the time. The
// operations are those of EnumDepend --tree (Manager.DependencyTree),
// restart with dependents (Service.Restart) and QueryAll. Under Wine, the
// same operations among N real idle services are BenchmarkScale
// (scale_windows_test.go, run by scripts/bench.sh), and TestQueryAllAtScale
// checks that the enumeration grows its buffer to what the SCM asks for.

// scaleSizes are the sizes at which the SCM calls are counted: three, so
// that the second difference shows any growth faster than linear.
var scaleSizes = []int{1000, 3000, 5000}

// dependentsSCM returns an SCM with a running Target and k running
// dependents, all depending on Target directly ("fan") or each on the one
// before ("chain"), plus idle stopped services.
func dependentsSCM(q quirks, shape string, k, idle int) *memSCM {
	services := []*memService{svc("Target", Running)}
	for i := range k {
		on := "Target"
		if shape == "chain" && i > 0 {
			on = fmt.Sprintf("Dep%05d", i-1)
		}
		services = append(services, svc(fmt.Sprintf("Dep%05d", i), Running, on))
	}
	return withExtra(q, idle, services...)
}

// countCalls runs op on scm and returns the SCM calls it made, handle
// closes aside.
func countCalls(t testing.TB, scm *memSCM, op func(m *Manager) error) int {
	t.Helper()
	scm.Reset()
	if err := op(memManager(scm)); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range scm.Calls() {
		if c.Op != "close" {
			n++
		}
	}
	return n
}

// trackingRestartSizes are smaller: on a tracking SCM, the in-memory SCM
// computes the dependents of every service it is asked to STOP (as
// Windows refuses a stop with active dependents), from all its services,
// which makes the fake itself quadratic in the size of a fan. The count
// of calls is as exact at these sizes.
var trackingRestartSizes = []int{100, 300, 500}

// checkLinear fails unless calls, counted at sizes (equally spaced), grow
// at most linearly (the second step no larger than the first), and
// reports the calls per service.
func checkLinear(t *testing.T, what string, sizes, calls []int) {
	t.Helper()
	d1, d2 := calls[1]-calls[0], calls[2]-calls[1]
	if d2 > d1 {
		t.Errorf("%s: %d, %d, %d SCM calls at %v services: grows faster than linearly", what, calls[0], calls[1], calls[2], sizes)
	}
	t.Logf("%s: %v SCM calls at %v (%.2f per service)", what, calls, sizes,
		float64(d2)/float64(sizes[2]-sizes[1]))
}

// TestDependencyCallsGrowLinearly counts the SCM calls of DependencyTree,
// Restart with dependents and QueryAll at 1,000, 3,000 and 5,000 services:
// dependents in a fan and in a chain, on an SCM with Wine's quirks (which
// computes dependents from every service's registry values) and on one
// that tracks them (Windows; fan only). Among idle services only, Restart and
// QueryAll make the same calls at every size.
func TestDependencyCallsGrowLinearly(t *testing.T) {
	ctx := context.Background()
	tree := func(m *Manager) error {
		tr, err := m.DependencyTree(ctx, "Target")
		if err == nil && len(tr.Dependents) == 0 {
			err = fmt.Errorf("no dependents found")
		}
		return err
	}
	restart := func(k int) func(m *Manager) error {
		return func(m *Manager) error {
			s, _ := m.Service("Target")
			d, err := s.Restart(ctx)
			if err == nil && len(d.Names) != k {
				err = fmt.Errorf("Restart brought back %d dependents, want %d", len(d.Names), k)
			}
			return err
		}
	}
	queryAll := func(m *Manager) error {
		_, err := m.QueryAll(ctx, QueryFilter{Types: TypesAll})
		return err
	}
	for _, q := range []struct {
		name string
		q    quirks
	}{{"wine", wineQuirks}, {"tracking", quirks{}}} {
		for _, shape := range []string{"fan", "chain"} {
			if q.name == "tracking" && shape == "chain" {
				// On a tracking SCM the dependents come from the SCM, and the
				// in-memory SCM computes them with the library's own stopOrder
				// on every STOP, which makes its chain cubic: the fake, not
				// the library, would be measured.
				continue
			}
			// n dependents (and as many services in all, plus Target).
			var treeCalls, restartCalls []int
			for _, n := range scaleSizes {
				treeCalls = append(treeCalls, countCalls(t, dependentsSCM(q.q, shape, n, 0), tree))
			}
			restartSizes := scaleSizes
			if q.name == "tracking" {
				restartSizes = trackingRestartSizes
			}
			for _, n := range restartSizes {
				restartCalls = append(restartCalls, countCalls(t, dependentsSCM(q.q, shape, n, 0), restart(n)))
			}
			checkLinear(t, fmt.Sprintf("%s, %s of dependents: DependencyTree", q.name, shape), scaleSizes, treeCalls)
			checkLinear(t, fmt.Sprintf("%s, %s of dependents: Restart", q.name, shape), restartSizes, restartCalls)
		}
		// Two dependents among n idle services: Restart reads the
		// dependencies of the active services only, and QueryAll is one
		// call, whatever n.
		var restartIdle, queryIdle []int
		for _, n := range scaleSizes {
			restartIdle = append(restartIdle, countCalls(t, dependentsSCM(q.q, "fan", 2, n), restart(2)))
			queryIdle = append(queryIdle, countCalls(t, dependentsSCM(q.q, "fan", 2, n), queryAll))
		}
		for i := range scaleSizes {
			if restartIdle[i] != restartIdle[0] || queryIdle[i] != 1 {
				t.Errorf("%s: among %v idle services, Restart made %v SCM calls and QueryAll %v; want the same at every size, and 1",
					q.name, scaleSizes, restartIdle, queryIdle)
				break
			}
		}
	}
}

// BenchmarkDependencyScale measures the time of DependencyTree and Restart
// (on an SCM with Wine's quirks, where the library computes the
// dependents itself) with 1,000 and 5,000 dependents in a fan and in a
// chain. Linear growth shows as the same ns/service at both sizes; a
// quadratic step as five times as much at 5,000.
func BenchmarkDependencyScale(b *testing.B) {
	ctx := context.Background()
	for _, shape := range []string{"fan", "chain"} {
		for _, n := range []int{1000, 5000} {
			b.Run(fmt.Sprintf("DependencyTree/%s/n=%d", shape, n), func(b *testing.B) {
				m := memManager(dependentsSCM(wineQuirks, shape, n, 0))
				for i := 0; i < b.N; i++ {
					if _, err := m.DependencyTree(ctx, "Target"); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/service")
			})
			b.Run(fmt.Sprintf("Restart/%s/n=%d", shape, n), func(b *testing.B) {
				scm := dependentsSCM(wineQuirks, shape, n, 0)
				s, _ := memManager(scm).Service("Target")
				for i := 0; i < b.N; i++ {
					if _, err := s.Restart(ctx); err != nil {
						b.Fatal(err)
					}
					scm.Reset() // the call log would grow across iterations
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/service")
			})
		}
	}
}
