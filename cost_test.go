package winsvc

import (
	"context"
	"errors"
	"fmt"
	"maps"
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
		scm.Add(svc(fmt.Sprintf("Extra%05d", i), Stopped))
	}
	return scm
}

// stopCalls counts the SCM calls of one Stop of Target (running, with
// dependents as given), among n extra services.
func stopCalls(t *testing.T, q quirks, n int, dependents ...*memService) (int, error) {
	t.Helper()
	scm := withExtra(q, n, append([]*memService{svc("Target", Running)}, dependents...)...)
	s, _ := memManager(scm).Service("Target")
	scm.Reset()
	err := s.Stop(context.Background())
	return len(scm.Calls()), err
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
		if limit := map[bool]int{false: 5, true: 7}[q.DependentsUntracked]; many > limit {
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
	scm.Reset()
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{"openService Target", "status Target", "control 1 Target", "waitFor Target", "close Target"}
	if got := scm.Ops(); !slices.Equal(got, want) {
		t.Errorf("Stop made %v; want %v", got, want)
	}
}

// TestDependentsComputationIsOnePass checks that, on an SCM that does not
// track dependents, the dependency tree of a service reads each service's
// dependencies once, from the registry, with no per-service SCM call.
func TestDependentsComputationIsOnePass(t *testing.T) {
	scm := withExtra(wineQuirks, 500, svc("Target", Running), svc("Dep", Running, "Target"))
	scm.Reset()
	tree, err := memManager(scm).DependencyTree(context.Background(), "Target")
	if err != nil {
		t.Fatal(err)
	}
	if len(tree.Dependents) != 1 || tree.Dependents[0].Name != "Dep" {
		t.Errorf("dependents %+v; want Dep", tree.Dependents)
	}
	counts := map[string]int{}
	for _, c := range scm.Calls() {
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
		for _, c := range scm.Calls() {
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
			// After the call in flight, only closes and the undo of what a
			// save did may follow ("the undo itself is not cancelled"); the
			// service is then as it was.
			calls, after := 0, 0
			scm.OnCall = func(op string) {
				if op == "close" {
					return
				}
				if calls++; calls == at {
					cancel() // during call number at
				}
				if calls > at+1-min(at, 1) && op != "changeConfig" && op != "changeConfig2" && op != "delete" {
					after++
				}
			}
			before := snapshot(scm.Service("Target"))
			start := time.Now()
			err := op(ctx, memManager(scm))
			if !errors.Is(err, context.Canceled) || after > 0 || time.Since(start) > time.Second {
				t.Errorf("%s (%d calls) cancelled at call %d: %v after %d calls; want context.Canceled with no call after the one in flight",
					name, total, at, err, calls)
			}
			if now := scm.Service("Target"); now == nil || !maps.EqualFunc(snapshot(now), before, func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) {
				t.Errorf("%s cancelled at call %d left Target changed", name, at)
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
				scm.Reset()
				for i := 0; i < b.N; i++ {
					scm.Service("Target").State = uint32(Running)
					if err := s.Stop(context.Background()); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(scm.Calls()))/float64(b.N), "calls/op")
			})
		}
	}
}

// saveCalls returns the SCM calls of one Save of the loaded service S
// (baseService, in state) after change, and the result.
func saveCalls(t *testing.T, q quirks, state State, change func(s *Service), setup ...func(scm *memSCM)) ([]string, *SaveResult) {
	t.Helper()
	base := baseService()
	base.State = uint32(state)
	scm := withExtra(q, 100, base)
	for _, f := range setup {
		f(scm)
	}
	s := mustLoad(t, memManager(scm), "S")
	change(s)
	scm.Reset()
	res, err := s.Save(context.Background(), SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return scm.Ops(), res
}

// loadCalls is the number of SCM calls of a Load of S.
func loadCalls(t *testing.T, q quirks, setup ...func(scm *memSCM)) int {
	scm := withExtra(q, 100, baseService())
	for _, f := range setup {
		f(scm)
	}
	scm.Reset()
	mustLoad(t, memManager(scm), "S")
	return len(scm.Calls())
}

// TestSaveCalls pins what a Save of one setting costs in SCM calls, which,
// unlike a time, does not depend on the load of the machine: one handle
// (opened once, for reading and writing), the reads of what the change
// concerns (the setting, and those the rules that check it combine it
// with; the read is also the check for others' changes), the write, and
// nothing more when the SCM's success proves what it holds. Among 100
// other services, on an SCM that behaves as Windows documents and on one
// with Wine's quirks, whose SCM does not report dependencies (read from
// the registry with the core settings, and sent again with the change).
func TestSaveCalls(t *testing.T) {
	lacksDelayed := func(scm *memSCM) { scm.Unsupported[3] = true }
	for _, tc := range []struct {
		name   string
		q      quirks
		change func(c *Config)
		want   []string
		setup  []func(scm *memSCM)
	}{
		// The start type: the core settings, and the delayed flag, which
		// the rule "delayed start needs AUTO_START" combines with it.
		{"start type", quirks{}, func(c *Config) { c.StartType = Disabled },
			[]string{"openService S", "queryConfig S", "queryConfig2 S", "changeConfig S", "close S"}, nil},
		{"start type", wineQuirks, func(c *Config) { c.StartType = Disabled },
			[]string{"openService S", "queryConfig S", "registry S", "queryConfig2 S", "changeConfig S", "close S"}, nil},
		// An SCM that lacks the delayed flag's level (Wine's): the load
		// found it unreadable, so it is not asked for again.
		{"start type, no level 3", wineQuirks, func(c *Config) { c.StartType = Disabled },
			[]string{"openService S", "queryConfig S", "registry S", "changeConfig S", "close S"}, []func(*memSCM){lacksDelayed}},
		// A setting that no rule combines: its own read alone.
		{"description", quirks{}, func(c *Config) { c.Description = "new" },
			[]string{"openService S", "queryConfig2 S", "changeConfig2 S", "close S"}, nil},
		{"description", wineQuirks, func(c *Config) { c.Description = "new" },
			[]string{"openService S", "queryConfig2 S", "changeConfig2 S", "close S"}, nil},
		{"preshutdown timeout", wineQuirks, func(c *Config) { c.PreshutdownTimeout = time.Minute },
			[]string{"openService S", "queryConfig2 S", "changeConfig2 S", "close S"}, nil},
	} {
		ops, _ := saveCalls(t, tc.q, Stopped, func(s *Service) { s.Update(tc.change) }, tc.setup...)
		if !slices.Equal(ops, tc.want) {
			t.Errorf("quirks %+v, %s: Save made %d calls %v; want %v", tc.q, tc.name, len(ops), ops, tc.want)
		}
		if load := loadCalls(t, tc.q, tc.setup...); len(ops) >= load {
			t.Errorf("quirks %+v, %s: Save made %d calls, a Load %d; want fewer", tc.q, tc.name, len(ops), load)
		}
	}
}

// TestSaveConflictsOnWhatItWrites checks what a loaded entity's Save
// reads and checks for others' changes: it fails with ErrConflict when a
// setting it writes changed in the SCM since the load; another's change
// to a setting it does not write is no conflict and stays, also when the
// same call reads both (the core settings); a setting set to the value
// the load read is not written; and a rule across settings checks the
// values the SCM holds now, not those of the load.
func TestSaveConflictsOnWhatItWrites(t *testing.T) {
	ctx := context.Background()
	for _, q := range []quirks{{}, wineQuirks} {
		scm := newMemSCM(q, baseService())
		m := memManager(scm)
		other := func(fn func(c *Config)) {
			t.Helper()
			o := mustLoad(t, m, "S")
			o.Update(fn)
			if _, err := o.Save(ctx, SaveOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		// Another changes the description and the display name; this
		// entity changes the start type and sets the description it read.
		s := mustLoad(t, m, "S")
		other(func(c *Config) { c.Description, c.DisplayName = "theirs", "Their display" })
		if err := s.Apply(Definition{StartType: Ptr(Disabled), Description: Ptr("")}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Save(ctx, SaveOptions{}); err != nil {
			t.Fatalf("quirks %+v: Save over others' changes to other settings: %v", q, err)
		}
		got := cfgOf(scm.Service("S"))
		if got.StartType != Disabled || got.Description != "theirs" || got.DisplayName != "Their display" {
			t.Errorf("quirks %+v: start type %v, description %q, display name %q; want DISABLED and the other's two",
				q, got.StartType, got.Description, got.DisplayName)
		}
		if c := s.Config(); c.DisplayName != "Their display" || c.StartType != Disabled {
			t.Errorf("quirks %+v: the entity holds %q, %v after the save; want what the SCM holds", q, c.DisplayName, c.StartType)
		}
		// Another changes the setting this entity writes: a conflict,
		// nothing written; with Force, this entity's value wins.
		s = mustLoad(t, m, "S")
		other(func(c *Config) { c.StartType = DemandStart })
		s.Update(func(c *Config) { c.StartType = AutoStart })
		if _, err := s.Save(ctx, SaveOptions{}); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "startType") {
			t.Errorf("quirks %+v: Save after another's change to the start type = %v; want ErrConflict naming it", q, err)
		}
		if got := cfgOf(scm.Service("S")).StartType; got != DemandStart {
			t.Errorf("quirks %+v: the refused save wrote the start type: %v", q, got)
		}
		if _, err := s.Save(ctx, SaveOptions{Force: true}); err != nil || cfgOf(scm.Service("S")).StartType != AutoStart {
			t.Errorf("quirks %+v: forced save: %v, start type %v; want AUTO_START", q, err, cfgOf(scm.Service("S")).StartType)
		}
		// A rule across settings reads the SCM's values: the delayed flag
		// another set since the load refuses a start type other than
		// AUTO_START, and nothing changes.
		s = mustLoad(t, m, "S")
		other(func(c *Config) { c.DelayedAutoStart = true })
		s.Update(func(c *Config) { c.StartType = DemandStart })
		var ve *ValidationError
		if _, err := s.Save(ctx, SaveOptions{}); !errors.As(err, &ve) || ve.Field != string(FieldDelayedAutoStart) {
			t.Errorf("quirks %+v: start type DEMAND_START with the delayed flag set by another = %v; want a validation error naming %s",
				q, err, FieldDelayedAutoStart)
		}
		if got := cfgOf(scm.Service("S")); got.StartType != AutoStart || !got.DelayedAutoStart {
			t.Errorf("quirks %+v: the refused save changed the service: %v, delayed %v", q, got.StartType, got.DelayedAutoStart)
		}
	}
}

// TestSaveReadsBackWhatTheWriteDoesNotProve checks the read-back: a
// setting the SCM assigns (the tag) or may store in another form (the
// account) is read again after the write through the same handle; a
// setting that could not be read before the write is read again (an SCM
// that accepts failure actions and stores nothing, as Wine's does: they
// are then unverified); and the status is read only when a setting the
// service reads at start changed.
func TestSaveReadsBackWhatTheWriteDoesNotProve(t *testing.T) {
	after := func(ops []string, write string) []string {
		i := slices.Index(ops, write)
		return ops[i+1 : len(ops)-1] // between the write and the close
	}
	// The account: the core settings read again, and the status (the
	// service reads its account at start).
	ops, res := saveCalls(t, quirks{}, Stopped, func(s *Service) {
		s.Update(func(c *Config) { c.ServiceStartName = `NT AUTHORITY\LocalService` })
	})
	if got := after(ops, "changeConfig S"); !slices.Equal(got, []string{"queryConfig S", "status S"}) || count(ops, "openService S") != 1 {
		t.Errorf("account: after the write %v (calls %v); want the core read and the status, through the one handle", got, ops)
	}
	if len(res.RestartNeeded) != 0 {
		t.Errorf("a stopped service needs no restart: %v", res.RestartNeeded)
	}
	// A tag requested: read again.
	ops, res = saveCalls(t, quirks{}, Stopped, func(s *Service) {
		if err := s.Apply(Definition{RequestTag: true, LoadOrderGroup: Ptr("G")}); err != nil {
			t.Fatal(err)
		}
	})
	if got := after(ops, "changeConfig S"); !slices.Equal(got, []string{"queryConfig S"}) {
		t.Errorf("tag: after the write %v; want the core read", got)
	}
	if s := res.Plan; s.Empty() {
		t.Fatal("no plan")
	}
	// Failure actions the SCM drops: read again, and unverified.
	dropped := func(scm *memSCM) { scm.Dropped[2] = true }
	ops, res = saveCalls(t, wineQuirks, Stopped, func(s *Service) {
		s.Update(func(c *Config) { c.FailureActions = FailureActions{Actions: []Action{NoAction(time.Second)}} })
	}, dropped)
	if got := after(ops, "changeConfig2 S"); !slices.Equal(got, []string{"queryConfig2 S"}) {
		t.Errorf("failure actions, unreadable before: after the write %v; want them read again", got)
	}
	if len(res.Unverified) != 1 || res.Unverified[0].Field != FieldFailureActions {
		t.Errorf("unverified %+v; want the failure actions", res.Unverified)
	}
}

// TestSaveRestartNeeded checks SaveResult.RestartNeeded: the settings the
// service reads at start that a save changed, listed when it runs, not
// when it is stopped; the password goes with the account.
func TestSaveRestartNeeded(t *testing.T) {
	change := func(s *Service) {
		s.Update(func(c *Config) {
			c.BinaryPathName, c.Description, c.RequiredPrivileges = `C:\svc\S.exe -v`, "new", []string{"SeChangeNotifyPrivilege"}
		})
	}
	for state, want := range map[State][]Field{
		Running: {FieldBinaryPath, FieldRequiredPrivileges}, Paused: {FieldBinaryPath, FieldRequiredPrivileges}, Stopped: nil,
	} {
		_, res := saveCalls(t, quirks{}, state, change)
		if !slices.Equal(res.RestartNeeded, want) {
			t.Errorf("%s: restart needed for %v; want %v", state, res.RestartNeeded, want)
		}
	}
	// Nothing the service reads at start: no status read.
	ops, res := saveCalls(t, quirks{}, Running, func(s *Service) { s.Update(func(c *Config) { c.Description = "d" }) })
	if count(ops, "status S") != 0 || len(res.RestartNeeded) != 0 {
		t.Errorf("description of a running service: calls %v, restart %v; want no status read and no restart", ops, res.RestartNeeded)
	}
	// The password alone.
	base := baseService()
	base.State = uint32(Running)
	setCfg(base, func(c *Config) { c.ServiceStartName = `.\bob` })
	scm := newMemSCM(quirks{}, base)
	s := mustLoad(t, memManager(scm), "S")
	if res, err := s.Save(context.Background(), SaveOptions{Password: "pw"}); err != nil || !slices.Equal(res.RestartNeeded, []Field{FieldPassword}) {
		t.Errorf("password: %v, restart needed %v; want the password", err, res.RestartNeeded)
	}
}

// TestSaveComputesOnePlan checks that Save computes its plan once (for a
// loaded entity, a New one over an installed service, a creation, with and
// without Force, and for a dry run), and that Update and Apply compute
// none.
func TestSaveComputesOnePlan(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opts SaveOptions
		make func(m *Manager) *Service
	}{
		{"loaded", SaveOptions{}, func(m *Manager) *Service { return mustLoad(t, m, "S") }},
		{"loaded, Force", SaveOptions{Force: true}, func(m *Manager) *Service { return mustLoad(t, m, "S") }},
		{"loaded, dry run", SaveOptions{DryRun: true}, func(m *Manager) *Service { return mustLoad(t, m, "S") }},
		{"New over installed", SaveOptions{}, func(m *Manager) *Service { s, _ := m.New(Definition{Name: "S"}); return s }},
		{"New", SaveOptions{}, func(m *Manager) *Service { s, _ := m.New(Definition{Name: "N", BinaryPath: `C:\n.exe`}); return s }},
		{"New, dry run", SaveOptions{DryRun: true}, func(m *Manager) *Service {
			s, _ := m.New(Definition{Name: "N", BinaryPath: `C:\n.exe`})
			return s
		}},
	} {
		s := tc.make(memManager(newMemSCM(wineQuirks, baseService())))
		before := plansComputed.Load()
		s.Update(func(c *Config) { c.Description = "changed" })
		if err := s.Apply(Definition{PreshutdownTimeout: Ptr(time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if n := plansComputed.Load() - before; n != 0 {
			t.Errorf("%s: Update and Apply computed %d plans; want none", tc.name, n)
		}
		before = plansComputed.Load()
		if _, err := s.Save(ctx, tc.opts); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if n := plansComputed.Load() - before; n != 1 {
			t.Errorf("%s: Save computed %d plans; want 1", tc.name, n)
		}
	}
}

func count(ops []string, op string) int {
	n := 0
	for _, o := range ops {
		if o == op {
			n++
		}
	}
	return n
}

// BenchmarkSaveCalls reports the SCM calls one Save of one setting makes
// (calls/op) among 0 and 1,000 other services, on the in-memory SCM
// behaving as Windows documents and with Wine's quirks: the start type
// (ChangeServiceConfig) and the description (ChangeServiceConfig2).
func BenchmarkSaveCalls(b *testing.B) {
	for _, tc := range []struct {
		name string
		q    quirks
	}{{"tracking", quirks{}}, {"wine", wineQuirks}} {
		for _, setting := range []string{"startType", "description"} {
			for _, n := range []int{0, 1000} {
				b.Run(fmt.Sprintf("%s/%s/extra=%d", tc.name, setting, n), func(b *testing.B) {
					scm := withExtra(tc.q, n, baseService())
					s, err := memManager(scm).Load(context.Background(), "S")
					if err != nil {
						b.Fatal(err)
					}
					scm.Reset()
					for i := 0; i < b.N; i++ {
						s.Update(func(c *Config) {
							if setting == "startType" {
								c.StartType = [2]StartType{Disabled, DemandStart}[i%2]
							} else {
								c.Description = fmt.Sprint(i)
							}
						})
						if _, err := s.Save(context.Background(), SaveOptions{}); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(len(scm.Calls()))/float64(b.N), "calls/op")
				})
			}
		}
	}
}
