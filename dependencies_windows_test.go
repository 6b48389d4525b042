//go:build windows

package winsvc

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc/internal/testbed"
)

// These tests run against a real SCM: Wine's under scripts/test.sh, where
// dependencies are stored in the registry, QueryServiceConfig and
// EnumDependentServices report none, and dependents must be computed.

// scmForTest connects to the local SCM for one test.
func scmForTest(t *testing.T) *Manager {
	t.Helper()
	m, err := Connect()
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// serviceForTest creates a service running internal/testsvc with a unique
// name and the given dependencies; it is stopped and deleted after the
// test.
func serviceForTest(t *testing.T, m *Manager, deps ...Dependency) *Service {
	t.Helper()
	exe := testbed.ServiceExe(t)
	name := testbed.UniqueName(t, "i3")
	s, err := m.New(Definition{Name: name, BinaryPath: exe, Args: []string{"-mode=normal", "-lifetime=90s"},
		Dependencies: append([]Dependency{}, deps...)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := s.Delete(ctx, DeleteOptions{Stop: true}); err != nil && !errors.Is(err, ErrNotFound) {
			t.Logf("cleanup %s: %v", name, err)
		}
	})
	if _, err := s.Save(context.Background(), SaveOptions{}); err != nil {
		t.Fatalf("Save %s: %v", name, err)
	}
	return s
}

func states(t *testing.T, m *Manager, services ...*Service) []State {
	t.Helper()
	var out []State
	for _, s := range services {
		st, err := m.status(context.Background(), s.Name())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, st.State)
	}
	return out
}

func TestDependenciesAgainstSCM(t *testing.T) {
	ctx := context.Background()
	m := scmForTest(t)
	base := serviceForTest(t, m)
	mid := serviceForTest(t, m, ServiceDependency(base.Name()))
	top := serviceForTest(t, m, ServiceDependency(mid.Name()))
	other := serviceForTest(t, m, ServiceDependency(base.Name()))

	tree, err := m.DependencyTree(ctx, base.Name())
	if err != nil {
		t.Fatal(err)
	}
	want := []DependencyNode{
		{Name: mid.Name(), State: Stopped, Children: []DependencyNode{{Name: top.Name(), State: Stopped}}},
		{Name: other.Name(), State: Stopped},
	}
	slices.SortFunc(want, func(a, b DependencyNode) int { return compareFold(a.Name, b.Name) }) // dependents come in name order
	if !reflect.DeepEqual(tree.Dependents, want) {
		t.Errorf("dependents of base:\n got %+v\nwant %+v", tree.Dependents, want)
	}
	t.Logf("dependents of %s came from the %s", base.Name(), tree.DependentsSource)
	if testbed.IsWine() && tree.DependentsSource != DependentsFromConfigurations {
		t.Errorf("Wine's SCM lists no dependents, yet the source is %s", tree.DependentsSource)
	}
	up, err := m.DependencyTree(ctx, top.Name())
	if err != nil {
		t.Fatal(err)
	}
	wantUp := []DependencyNode{{Name: mid.Name(), State: Stopped, Children: []DependencyNode{{Name: base.Name(), State: Stopped}}}}
	if !reflect.DeepEqual(up.DependsOn, wantUp) {
		t.Errorf("dependencies of top:\n got %+v\nwant %+v", up.DependsOn, wantUp)
	}

	// Start them in dependency order (Wine does not start dependencies).
	for _, s := range []*Service{base, mid, top} {
		if err := s.Start(ctx); err != nil {
			t.Fatalf("Start %s: %v", s.Name(), err)
		}
	}
	running, source, err := base.RunningDependents(ctx)
	if err != nil || !reflect.DeepEqual(running, []string{top.Name(), mid.Name()}) {
		t.Fatalf("RunningDependents = %v (%s), %v; want [top mid]", running, source, err)
	}
	// A plain Stop refuses, as Windows' SCM does, and changes nothing.
	err = base.Stop(ctx)
	if !errors.Is(err, ErrDependentServicesRunning) {
		t.Errorf("Stop with running dependents = %v, want ErrDependentServicesRunning", err)
	}
	if got := states(t, m, base, mid, top); !reflect.DeepEqual(got, []State{Running, Running, Running}) {
		t.Errorf("after the refused Stop: %v, want all running", got)
	}

	stopped, err := base.StopWithDependents(ctx)
	if err != nil || !reflect.DeepEqual(stopped.Names, []string{top.Name(), mid.Name()}) || stopped.Source != source {
		t.Fatalf("StopWithDependents = %+v, %v; want [top mid] from the %s", stopped, err, source)
	}
	if got := states(t, m, base, mid, top, other); !reflect.DeepEqual(got, []State{Stopped, Stopped, Stopped, Stopped}) {
		t.Errorf("after StopWithDependents: %v", got)
	}

	// Restart brings back exactly the dependents that were running: mid,
	// not top (stopped) nor other (never started).
	for _, s := range []*Service{base, mid} {
		if err := s.Start(ctx); err != nil {
			t.Fatalf("Start %s: %v", s.Name(), err)
		}
	}
	if started, err := base.Restart(ctx); err != nil || !reflect.DeepEqual(started.Names, []string{mid.Name()}) || len(started.Paused) != 0 {
		t.Fatalf("Restart = %+v, %v; want [mid] started again", started, err)
	}
	if got := states(t, m, base, mid, top, other); !reflect.DeepEqual(got, []State{Running, Running, Stopped, Stopped}) {
		t.Errorf("after Restart (base, mid, top, other): %v, want running, running, stopped, stopped", got)
	}

	// Each dependent comes back in the state it was in: top running, mid
	// paused (started, then paused again).
	if err := top.Start(ctx); err != nil {
		t.Fatalf("Start %s: %v", top.Name(), err)
	}
	if err := mid.Pause(ctx); err != nil {
		t.Fatalf("Pause %s: %v", mid.Name(), err)
	}
	started, err := base.Restart(ctx)
	wantRestart := Dependents{Names: []string{mid.Name(), top.Name()}, Paused: []string{mid.Name()}, Source: source}
	if err != nil || !reflect.DeepEqual(started, wantRestart) {
		t.Fatalf("Restart with mid paused = %+v, %v; want %+v", started, err, wantRestart)
	}
	if got := states(t, m, base, mid, top, other); !reflect.DeepEqual(got, []State{Running, Paused, Running, Stopped}) {
		t.Errorf("after Restart (base, mid, top, other): %v, want running, paused, running, stopped", got)
	}
}

// Wine's SCM stores a circular dependency; winsvc refuses it with 1059
// naming the cycle, and the registry (read independently) keeps the
// dependencies as they were.
func TestCircularDependencyAgainstSCM(t *testing.T) {
	ctx := context.Background()
	m := scmForTest(t)
	base := serviceForTest(t, m)
	top := serviceForTest(t, m, ServiceDependency(base.Name()))
	before := testbed.ServiceRegistry(t, base.Name())

	base.Update(func(c *Config) { c.Dependencies = []Dependency{ServiceDependency(top.Name())} })
	_, err := base.Save(ctx, SaveOptions{})
	want := base.Name() + " -> " + top.Name() + " -> " + base.Name()
	if !errors.Is(err, ErrCircularDependency) || !strings.Contains(err.Error(), want) {
		t.Fatalf("Save = %v, want 1059 naming %s", err, want)
	}
	if after := testbed.ServiceRegistry(t, base.Name()); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused save changed the registry:\n before %v\n after  %v", before, after)
	}
}
