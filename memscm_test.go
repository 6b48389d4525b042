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
	s := &memService{Name: name, State: uint32(state)}
	putCfg(s, c)
	return s
}

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

// A Manager may be used from many goroutines, winsvctest.Connect's too: no call
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
	if got, want := len(scm.Calls()), workers*each*3; got != want { // open, status, close
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
	if err := s.Stop(ctx); err != nil || scm.Service("M") != nil {
		t.Errorf("Stop of a running service marked for deletion: %v (gone: %v); want success, gone", err, scm.Service("M") == nil)
	}
}

// TestMemStartDisabled: in memory as on Windows and Wine, a DISABLED
// service does not start (ERROR_SERVICE_DISABLED, 1058).
func TestMemStartDisabled(t *testing.T) {
	ctx := context.Background()
	off := svc("Off", Stopped)
	setCfg(off, func(c *Config) { c.StartType = Disabled })
	s, _ := memManager(newMemSCM(quirks{}, off)).Service("Off")
	if err := s.Start(ctx); !errors.Is(err, ErrDisabled) || State(off.State) != Stopped {
		t.Errorf("Start of a disabled service: %v, state %s; want 1058, STOPPED", err, State(off.State))
	}
}

// TestMemLayoutAgreesWithCodec checks the in-memory SCM's own layouts of
// the config2 structures (internal/memscm) against the library's codec,
// both ways, for each setting's sample value: what the SCM answers, the
// library reads as the value, and what the library sends, the SCM holds as
// the value. The two are written apart (the SCM's from the member lists and
// C's alignment, the codec's from offsets), so a codec that departs from
// the documented structure fails here and in every test that saves through
// the in-memory SCM.
func TestMemLayoutAgreesWithCodec(t *testing.T) {
	for _, r := range config2Settings {
		if r.level == levelParameters {
			continue // a registry key, not a config2 structure
		}
		v, ok := sampleValues[r.field]
		if !ok {
			t.Fatalf("%s: no sample value", r.field)
		}
		f := newMemSCM(quirks{}, svc("S", Stopped))
		setCfg(f.Service("S"), func(c *Config) { r.put(c, v) })
		h, err := f.OpenService("S", accessQueryConfig|accessChangeConfig)
		if err != nil {
			t.Fatal(err)
		}
		b, err := h.QueryConfig2(r.level)
		if err != nil {
			t.Fatalf("%s: %v", r.field, err)
		}
		got, err := r.decode(newReader(b), b)
		if err != nil || !r.equal(got, v) {
			t.Errorf("%s: the library reads the SCM's structure as %s (%v); want %s", r.field, r.text(got), err, r.text(v))
		}
		f = newMemSCM(quirks{}, svc("S", Stopped))
		h, _ = f.OpenService("S", accessChangeConfig)
		err = h.ChangeConfig2(r.level, r.encode(nil, v))
		if got := r.get(cfgOf(f.Service("S"))); err != nil || !r.equal(got, v) {
			t.Errorf("%s: the SCM reads the library's structure as %s (%v); want %s", r.field, r.text(got), err, r.text(v))
		}
	}
}
