package desired

import (
	"github.com/winsvc/winsvc"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestInDependencyOrder checks the pool of the configure pass: every
// service starts after the services it depends on (by name or through a
// group) are done, independent services run at once, and services that
// depend on each other in a circle do not hang it.
func TestInDependencyOrder(t *testing.T) {
	dep := func(names ...string) []winsvc.Dependency {
		var out []winsvc.Dependency
		for _, n := range names {
			out = append(out, winsvc.ParseDependency(n))
		}
		return out
	}
	// In plan order: A; B and C depend on A; D on the group G (B, C); E
	// alone; X and Y depend on each other.
	plan := []ServicePlan{
		{Name: "A"}, {Name: "B", loaded: &winsvc.Config{LoadOrderGroup: "G", Dependencies: dep("A")}},
		{Name: "C", loaded: &winsvc.Config{LoadOrderGroup: "G", Dependencies: dep("a")}},
		{Name: "D", loaded: &winsvc.Config{Dependencies: dep("+g")}}, {Name: "E"},
		{Name: "X", loaded: &winsvc.Config{Dependencies: dep("Y")}}, {Name: "Y", loaded: &winsvc.Config{Dependencies: dep("X")}},
	}
	for i := range plan {
		plan[i].entry = &Service{}
	}
	a := &applier{plan: plan, opts: ApplyOptions{Workers: 4}}
	var mu sync.Mutex
	finished := map[string]bool{}
	var running, most atomic.Int32
	waitsFor := map[string][]string{"B": {"A"}, "C": {"A"}, "D": {"B", "C"}, "Y": {"X"}}
	a.inDependencyOrder(func(i int) {
		name := plan[i].Name
		mu.Lock()
		for _, d := range waitsFor[name] {
			if !finished[d] {
				t.Errorf("%s started before %s was done", name, d)
			}
		}
		mu.Unlock()
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(10 * time.Millisecond)
		running.Add(-1)
		mu.Lock()
		finished[name] = true
		mu.Unlock()
	})
	if len(finished) != len(plan) {
		t.Errorf("done %v; want every service", finished)
	}
	if most.Load() < 2 {
		t.Errorf("at most %d services at once; want independent services at the same time", most.Load())
	}
}
