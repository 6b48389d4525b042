package winsvc

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// quirksFor is an SCM that tracks dependents as Windows does, or one with
// Wine's quirks.
func quirksFor(tracks bool) quirks {
	if tracks {
		return quirks{}
	}
	return wineQuirks
}

// chain: Top -> Mid -> Base, Side -> Base (Side stopped), Grp -> +G (Base
// is in G: not a stop dependency).
func chain(tracks bool) *memSCM {
	base := svc("Base", Running)
	setCfg(base, func(c *Config) { c.LoadOrderGroup = "G" })
	return newMemSCM(quirksFor(tracks), base, svc("Mid", Running, "base"), svc("Top", Running, "Mid"),
		svc("Side", Stopped, "Base"), svc("Grp", Running, "+G"), svc("Unrelated", Running))
}

func TestStopWithDependentsAndRestart(t *testing.T) {
	for _, tracks := range []bool{false, true} {
		scm := chain(tracks)
		m := memManager(scm)
		s := &Service{m: m, name: "Base"}
		ctx := context.Background()

		running, source, err := s.RunningDependents(ctx)
		wantSource := map[bool]DependentsSource{false: DependentsFromConfigurations, true: DependentsFromSCM}[tracks]
		if err != nil || !reflect.DeepEqual(running, []string{"Top", "Mid"}) || source != wantSource {
			t.Errorf("tracks=%v: RunningDependents = %v, %s, %v", tracks, running, source, err)
		}
		err = s.refuseRunningDependents(ctx)
		var e *Error
		if !errors.As(err, &e) || e.Code != ErrDependentServicesRunning || !errors.Is(err, ErrDependentServicesRunning) ||
			!strings.Contains(err.Error(), "Top, Mid") {
			t.Errorf("tracks=%v: refuse = %v, want a 1051 *Error naming Top, Mid", tracks, err)
		}

		started, err := s.Restart(ctx)
		if err != nil {
			t.Fatalf("tracks=%v: Restart: %v", tracks, err)
		}
		if !reflect.DeepEqual(started, Dependents{Names: []string{"Mid", "Top"}, Source: wantSource}) {
			t.Errorf("tracks=%v: Restart started again %+v, want [Mid Top] from the %s", tracks, started, wantSource)
		}
		want := []string{"stop Top", "stop Mid", "stop Base", "start Base", "start Mid", "start Top"}
		if !reflect.DeepEqual(scm.Log(), want) {
			t.Errorf("tracks=%v: Restart did %v, want %v", tracks, scm.Log(), want)
		}
		if State(scm.Service("SIDE").State) != Stopped {
			t.Errorf("tracks=%v: Restart started Side, which was stopped", tracks)
		}

		scm.Reset()
		stopped, err := s.StopWithDependents(ctx)
		if err != nil || !reflect.DeepEqual(stopped, Dependents{Names: []string{"Top", "Mid"}, Source: wantSource}) ||
			!reflect.DeepEqual(scm.Log(), []string{"stop Top", "stop Mid", "stop Base"}) {
			t.Errorf("tracks=%v: StopWithDependents = %v, %v; did %v", tracks, stopped, err, scm.Log())
		}
		if err := s.refuseRunningDependents(ctx); err != nil {
			t.Errorf("tracks=%v: refuse after stopping everything: %v", tracks, err)
		}
	}
}

// TestStopRefusesRunningDependents checks that Stop refuses (1051, naming
// the dependents, changing nothing) while dependents run, on SCMs that
// track dependents and on those that do not, and that WithDependents stops
// them first.
func TestStopRefusesRunningDependents(t *testing.T) {
	for _, tracks := range []bool{false, true} {
		scm := chain(tracks)
		s := &Service{m: memManager(scm), name: "Base"}
		ctx := context.Background()
		err := s.Stop(ctx)
		if !errors.Is(err, ErrDependentServicesRunning) || !strings.Contains(err.Error(), "Top, Mid") || len(scm.Log()) != 0 {
			t.Errorf("tracks=%v: Stop = %v, did %v; want 1051 naming Top, Mid, and nothing done", tracks, err, scm.Log())
		}
		if _, err := s.StopWithDependents(ctx); err != nil ||
			!reflect.DeepEqual(scm.Log(), []string{"stop Top", "stop Mid", "stop Base"}) {
			t.Errorf("tracks=%v: StopWithDependents = %v, did %v", tracks, err, scm.Log())
		}
		scm.Reset()
		if err := (&Service{m: s.m, name: "Unrelated"}).Stop(ctx); err != nil || !reflect.DeepEqual(scm.Log(), []string{"stop Unrelated"}) {
			t.Errorf("tracks=%v: Stop(Unrelated) = %v, did %v", tracks, err, scm.Log())
		}
	}
}

// TestRestartRestoresPausedDependents checks that Restart brings each
// dependent back to the state it was in: a running one is started, a paused
// one is started and paused again, one that was stopping stays stopped.
func TestRestartRestoresPausedDependents(t *testing.T) {
	for _, tracks := range []bool{false, true} {
		scm := chain(tracks)
		scm.Service("MID").State = uint32(Paused)
		scm.Service("SIDE").State = uint32(StopPending)
		s := &Service{m: memManager(scm), name: "Base"}
		got, err := s.Restart(context.Background())
		wantSource := map[bool]DependentsSource{false: DependentsFromConfigurations, true: DependentsFromSCM}[tracks]
		want := Dependents{Names: []string{"Mid", "Top"}, Paused: []string{"Mid"}, Source: wantSource}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("tracks=%v: Restart = %+v, %v; want %+v", tracks, got, err, want)
		}
		// Side was already stopping: it is waited for, not sent a STOP (the
		// fake never finishes stopping), and not started again.
		wantLog := []string{"stop Top", "stop Mid", "stop Base", "start Base", "start Mid", "pause Mid", "start Top"}
		if !reflect.DeepEqual(scm.Log(), wantLog) {
			t.Errorf("tracks=%v: Restart did %v, want %v", tracks, scm.Log(), wantLog)
		}
		for name, st := range map[string]State{"BASE": Running, "MID": Paused, "TOP": Running, "SIDE": StopPending} {
			if State(scm.Service(name).State) != st {
				t.Errorf("tracks=%v: %s is %s after Restart, want %s", tracks, name, State(scm.Service(name).State), st)
			}
		}
	}
}

func TestRestartNamesDependentsLeftStopped(t *testing.T) {
	scm := chain(false)
	scm.Service("MID").FailStart = true
	got, err := (&Service{m: memManager(scm), name: "Base"}).Restart(context.Background())
	if !errors.Is(err, ErrDependencyFailed) || !strings.Contains(err.Error(), "dependents left stopped: Mid, Top") {
		t.Errorf("Restart = %v; want ERROR_SERVICE_DEPENDENCY_FAIL naming Mid, Top as left stopped", err)
	}
	if len(got.Names) != 0 || got.Source != DependentsFromConfigurations {
		t.Errorf("Restart reported %+v", got)
	}
}

func TestRestartStoppedServiceWithNoDependents(t *testing.T) {
	scm := newMemSCM(wineQuirks, svc("Solo", Stopped))
	s := &Service{m: memManager(scm), name: "Solo"}
	if started, err := s.Restart(context.Background()); err != nil || len(started.Names) != 0 || started.Names == nil || !reflect.DeepEqual(scm.Log(), []string{"start Solo"}) {
		t.Errorf("Restart = %v, did %v", err, scm.Log())
	}
}

func TestManagerDependencyTree(t *testing.T) {
	for _, tracks := range []bool{false, true} {
		scm := chain(tracks)
		setCfg(scm.Service("TOP"), func(c *Config) {
			c.Dependencies = append(cfgOf(scm.Service("TOP")).Dependencies, ServiceDependency("Ghost"), GroupDependency("G"))
		})
		tree, err := (memManager(scm)).DependencyTree(context.Background(), "top")
		if err != nil {
			t.Fatalf("tracks=%v: %v", tracks, err)
		}
		if tree.Service != "Top" {
			t.Errorf("Service = %q, want the installed spelling Top", tree.Service)
		}
		if got, want := renderTree(tree.DependsOn), "Mid [Base] Ghost!missing +G [Base!repeated]"; got != want {
			t.Errorf("tracks=%v: dependsOn = %s, want %s", tracks, got, want)
		}
		if tree.DependsOn[0].State != Running {
			t.Errorf("tracks=%v: states are not filled in: %+v", tracks, tree.DependsOn[0])
		}

		base, err := (memManager(scm)).DependencyTree(context.Background(), "Base")
		if err != nil {
			t.Fatal(err)
		}
		// The SCM lists only services that name Base (Grp, which depends
		// on Base's group, is not among them); the configurations show
		// every dependent, through the group too.
		want := map[bool]string{
			false: "Grp(via +G) Mid [Top] Side Top(via +G)!repeated",
			true:  "Mid [Top] Side Top(via +G)!repeated",
		}[tracks]
		if got := renderTree(base.Dependents); got != want {
			t.Errorf("tracks=%v: dependents(Base) = %s, want %s", tracks, got, want)
		}
		wantSource := map[bool]DependentsSource{false: DependentsFromConfigurations, true: DependentsFromSCM}[tracks]
		if base.DependentsSource != wantSource {
			t.Errorf("tracks=%v: source %s, want %s", tracks, base.DependentsSource, wantSource)
		}
	}
	if _, err := memManager(chain(false)).DependencyTree(context.Background(), "Nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing service: %v, want ErrNotFound", err)
	}
}

// A dependency that leads back to the service is refused with 1059 naming
// the cycle, before any write, on an SCM that checks (Windows) and on one
// that does not (Wine), as a change and as a create.
func TestCircularDependencyRefused(t *testing.T) {
	ctx := context.Background()
	for _, tracks := range []bool{false, true} {
		scm := chain(tracks)
		m := memManager(scm)
		s := mustLoad(t, m, "Base")
		s.Update(func(c *Config) {
			c.Dependencies = []Dependency{ServiceDependency("Unrelated"), ServiceDependency("Top")}
		})
		scm.Reset()
		_, err := s.Save(ctx, SaveOptions{})
		var e *Error
		if !errors.As(err, &e) || e.Code != ErrCircularDependency || !errors.Is(err, ErrCircularDependency) ||
			!strings.Contains(err.Error(), "Base -> Top -> Mid -> Base") {
			t.Errorf("tracks=%v: Save = %v, want 1059 naming Base -> Top -> Mid -> Base", tracks, err)
		}
		if w := scm.Writes(); len(w) > 0 {
			t.Errorf("tracks=%v: a refused save wrote %v", tracks, w)
		}

		// Through a group is no cycle of services; neither is a new
		// service depending on the chain.
		s = mustLoad(t, m, "Base")
		s.Update(func(c *Config) { c.Dependencies = []Dependency{GroupDependency("G")} })
		if _, err := s.Save(ctx, SaveOptions{}); err != nil {
			t.Errorf("tracks=%v: depending on its own group: %v", tracks, err)
		}
		n, err := m.New(Definition{Name: "New", BinaryPath: `C:\new.exe`, Dependencies: []Dependency{ServiceDependency("Top")}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.Save(ctx, SaveOptions{}); err != nil {
			t.Errorf("tracks=%v: create depending on Top: %v", tracks, err)
		}
		n = mustLoad(t, m, "Mid")
		n.Update(func(c *Config) { c.Dependencies = append(c.Dependencies, ServiceDependency("new")) })
		_, err = n.Save(ctx, SaveOptions{})
		if !errors.Is(err, ErrCircularDependency) || !strings.Contains(err.Error(), "Mid -> new -> Top -> Mid") {
			t.Errorf("tracks=%v: Mid -> New: %v, want 1059 naming Mid -> new -> Top -> Mid", tracks, err)
		}
	}
}
