package winsvc

import (
	"context"
	"errors"
	"sync"
	"testing"
)

var wineQuirks = quirks{DependentsUntracked: true, DependenciesUnreported: true, NullDependenciesClear: true, SecurityUnstored: true}

// svc is a service with a core configuration and every config2 setting at
// its default.
func svc(name string, state State, deps ...string) *memService {
	c := defaultConfig(name)
	c.BinaryPathName = `C:\svc\` + name + ".exe"
	c.Dependencies = []Dependency{}
	for _, d := range deps {
		c.Dependencies = append(c.Dependencies, ParseDependency(d))
	}
	c.PreferredNode = PreferredNode{}
	return &memService{name: name, cfg: c, state: state}
}

// memManager returns a Manager over scm.
func memManager(scm *memSCM) *Manager { return &Manager{conn: scm} }

// mustLoad loads service name through m or fails the test.
func mustLoad(t *testing.T, m *Manager, name string) *Service {
	t.Helper()
	s, err := m.Load(context.Background(), name)
	if err != nil {
		t.Fatalf("Load(%s): %v", name, err)
	}
	return s
}

// planOf is the plan Save would execute for s (a dry run).
func planOf(ctx context.Context, s *Service) (Plan, error) {
	r, err := s.Save(ctx, SaveOptions{DryRun: true})
	if r == nil {
		return Plan{}, err
	}
	return r.Plan, err
}

// A Manager may be used from many goroutines, ConnectMemory's too: no call
// is lost from the log (go test -race checks the rest).
func TestMemSCMConcurrentUse(t *testing.T) {
	scm := newMemSCM(quirks{}, svc("A", Running), svc("B", Stopped))
	m := memManager(scm)
	const workers, each = 8, 200
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := m.status(context.Background(), "A"); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got, want := len(scm.calls), workers*each*3; got != want { // open, status, close
		t.Errorf("%d calls logged, want %d", got, want)
	}
}

// TestMemStopMarkedForDelete: in memory as on a real SCM, a running service
// marked for deletion stops, and goes: the stop succeeds.
func TestMemStopMarkedForDelete(t *testing.T) {
	ctx := context.Background()
	scm := newMemSCM(quirks{}, svc("M", Running))
	s, _ := memManager(scm).Service("M")
	if err := s.Delete(ctx, DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(ctx); err != nil || scm.service("M") != nil {
		t.Errorf("Stop of a running service marked for deletion: %v (gone: %v); want success, gone", err, scm.service("M") == nil)
	}
}

// TestMemStartDisabled: in memory as on Windows and Wine, a DISABLED
// service does not start (ERROR_SERVICE_DISABLED, 1058).
func TestMemStartDisabled(t *testing.T) {
	ctx := context.Background()
	off := svc("Off", Stopped)
	off.cfg.StartType = Disabled
	s, _ := memManager(newMemSCM(quirks{}, off)).Service("Off")
	if err := s.Start(ctx); !errors.Is(err, ErrDisabled) || off.state != Stopped {
		t.Errorf("Start of a disabled service: %v, state %s; want 1058, STOPPED", err, off.state)
	}
}
