package winsvc

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// depSCM is a small in-memory SCM for the orchestration of dependency
// operations. With tracks set it lists dependents as Windows does
// (EnumDependentServices, transitive, reverse start order); without it, it
// lists none, as Wine's does. Only the calls these operations make are
// implemented; the rest panic.
type depSCM struct {
	scmConn
	services map[string]*depService // by depKey
	tracks   bool
	log      []string
}

type depService struct {
	serviceConn
	scm   *depSCM
	name  string
	group string
	deps  []Dependency
	state State
	typ   ServiceType
	// failStart makes start fail with ERROR_SERVICE_DEPENDENCY_FAIL.
	failStart bool
}

func newDepSCM(tracks bool, services ...*depService) *depSCM {
	f := &depSCM{services: map[string]*depService{}, tracks: tracks}
	for _, s := range services {
		s.scm = f
		f.services[depKey(s.name)] = s
	}
	return f
}

func svc(name string, state State, deps ...string) *depService {
	s := &depService{name: name, state: state}
	for _, d := range deps {
		s.deps = append(s.deps, ParseDependency(d))
	}
	return s
}

func (f *depSCM) enumerate(q QueryFilter) ([]Status, error) {
	var out []Status
	for _, s := range f.services {
		if q.Group == nil || strings.EqualFold(*q.Group, s.group) {
			out = append(out, s.statusNow())
		}
	}
	if q.Group != nil && len(out) == 0 {
		return nil, ErrNotFound // as the SCM answers for a group without members
	}
	return out, nil
}

func (f *depSCM) openService(name string, access uint32) (serviceConn, error) {
	if s, ok := f.services[depKey(name)]; ok {
		return s, nil
	}
	return nil, ErrNotFound
}

func (s *depService) close() error { return nil }

func (s *depService) statusNow() Status {
	st := Status{Name: s.name, State: s.state, ServiceType: s.typ}
	if s.state == Running || s.state == Paused {
		st.ControlsAccepted = AcceptStop | AcceptPauseContinue
	}
	return st
}

func (s *depService) status() (Status, error) { return s.statusNow(), nil }

func (s *depService) config(bool) (*Config, error) {
	return &Config{Name: s.name, LoadOrderGroup: s.group, Dependencies: s.deps}, nil
}

func (s *depService) dependents(states StateFilter) ([]Status, error) {
	if !s.scm.tracks {
		return []Status{}, nil
	}
	var all []serviceDeps
	for _, x := range s.scm.services {
		all = append(all, serviceDeps{Name: x.name, Group: x.group, Dependencies: x.deps})
	}
	var out []Status
	for _, n := range newDependencyGraph(all).stopOrder(s.name) {
		st := s.scm.services[depKey(n)].statusNow()
		if states == AllServices || (states == ActiveServices) == (st.State != Stopped) {
			out = append(out, st)
		}
	}
	return out, nil
}

func (s *depService) start(args []string) error {
	if s.failStart {
		return ErrDependencyFailed
	}
	s.scm.log = append(s.scm.log, "start "+s.name)
	s.state = Running
	return nil
}

func (s *depService) control(code uint32) (Status, error) {
	switch code {
	case ControlStop:
		s.scm.log = append(s.scm.log, "stop "+s.name)
		s.state = Stopped
	case ControlPause:
		s.scm.log = append(s.scm.log, "pause "+s.name)
		s.state = Paused
	}
	return s.statusNow(), nil
}

func (s *depService) waitFor(ctx context.Context, t *waitTracker) (Status, error) {
	return s.statusNow(), nil
}

// chain: Top -> Mid -> Base, Side -> Base (Side stopped), Grp -> +G (Base
// is in G: not a stop dependency).
func chain(tracks bool) *depSCM {
	base := svc("Base", Running)
	base.group = "G"
	return newDepSCM(tracks, base, svc("Mid", Running, "base"), svc("Top", Running, "Mid"),
		svc("Side", Stopped, "Base"), svc("Grp", Running, "+G"), svc("Unrelated", Running))
}

func TestStopWithDependentsAndRestart(t *testing.T) {
	for _, tracks := range []bool{false, true} {
		scm := chain(tracks)
		m := &Manager{conn: scm}
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
		if !reflect.DeepEqual(scm.log, want) {
			t.Errorf("tracks=%v: Restart did %v, want %v", tracks, scm.log, want)
		}
		if scm.services["SIDE"].state != Stopped {
			t.Errorf("tracks=%v: Restart started Side, which was stopped", tracks)
		}

		scm.log = nil
		stopped, err := s.StopWithDependents(ctx)
		if err != nil || !reflect.DeepEqual(stopped, Dependents{Names: []string{"Top", "Mid"}, Source: wantSource}) ||
			!reflect.DeepEqual(scm.log, []string{"stop Top", "stop Mid", "stop Base"}) {
			t.Errorf("tracks=%v: StopWithDependents = %v, %v; did %v", tracks, stopped, err, scm.log)
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
		s := &Service{m: &Manager{conn: scm}, name: "Base"}
		ctx := context.Background()
		err := s.Stop(ctx)
		if !errors.Is(err, ErrDependentServicesRunning) || !strings.Contains(err.Error(), "Top, Mid") || len(scm.log) != 0 {
			t.Errorf("tracks=%v: Stop = %v, did %v; want 1051 naming Top, Mid, and nothing done", tracks, err, scm.log)
		}
		if err := s.Stop(ctx, WithDependents()); err != nil ||
			!reflect.DeepEqual(scm.log, []string{"stop Top", "stop Mid", "stop Base"}) {
			t.Errorf("tracks=%v: Stop(WithDependents) = %v, did %v", tracks, err, scm.log)
		}
		scm.log = nil
		if err := (&Service{m: s.m, name: "Unrelated"}).Stop(ctx); err != nil || !reflect.DeepEqual(scm.log, []string{"stop Unrelated"}) {
			t.Errorf("tracks=%v: Stop(Unrelated) = %v, did %v", tracks, err, scm.log)
		}
	}
}

// TestRestartRestoresPausedDependents checks that Restart brings each
// dependent back to the state it was in: a running one is started, a paused
// one is started and paused again, one that was stopping stays stopped.
func TestRestartRestoresPausedDependents(t *testing.T) {
	for _, tracks := range []bool{false, true} {
		scm := chain(tracks)
		scm.services["MID"].state = Paused
		scm.services["SIDE"].state = StopPending
		s := &Service{m: &Manager{conn: scm}, name: "Base"}
		got, err := s.Restart(context.Background())
		wantSource := map[bool]DependentsSource{false: DependentsFromConfigurations, true: DependentsFromSCM}[tracks]
		want := Dependents{Names: []string{"Mid", "Top"}, Paused: []string{"Mid"}, Source: wantSource}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("tracks=%v: Restart = %+v, %v; want %+v", tracks, got, err, want)
		}
		// Side was already stopping: it is waited for, not sent a STOP (the
		// fake never finishes stopping), and not started again.
		wantLog := []string{"stop Top", "stop Mid", "stop Base", "start Base", "start Mid", "pause Mid", "start Top"}
		if !reflect.DeepEqual(scm.log, wantLog) {
			t.Errorf("tracks=%v: Restart did %v, want %v", tracks, scm.log, wantLog)
		}
		for name, st := range map[string]State{"BASE": Running, "MID": Paused, "TOP": Running, "SIDE": StopPending} {
			if scm.services[name].state != st {
				t.Errorf("tracks=%v: %s is %s after Restart, want %s", tracks, name, scm.services[name].state, st)
			}
		}
	}
}

func TestRestartNamesDependentsLeftStopped(t *testing.T) {
	scm := chain(false)
	scm.services["MID"].failStart = true
	got, err := (&Service{m: &Manager{conn: scm}, name: "Base"}).Restart(context.Background())
	if !errors.Is(err, ErrDependencyFailed) || !strings.Contains(err.Error(), "dependents left stopped: Mid, Top") {
		t.Errorf("Restart = %v; want ERROR_SERVICE_DEPENDENCY_FAIL naming Mid, Top as left stopped", err)
	}
	if len(got.Names) != 0 || got.Source != DependentsFromConfigurations {
		t.Errorf("Restart reported %+v", got)
	}
}

func TestRestartStoppedServiceWithNoDependents(t *testing.T) {
	scm := newDepSCM(false, svc("Solo", Stopped))
	s := &Service{m: &Manager{conn: scm}, name: "Solo"}
	if started, err := s.Restart(context.Background()); err != nil || len(started.Names) != 0 || started.Names == nil || !reflect.DeepEqual(scm.log, []string{"start Solo"}) {
		t.Errorf("Restart = %v, did %v", err, scm.log)
	}
}

func TestManagerDependencyTree(t *testing.T) {
	for _, tracks := range []bool{false, true} {
		scm := chain(tracks)
		scm.services["TOP"].deps = append(scm.services["TOP"].deps, ServiceDependency("Ghost"), GroupDependency("G"))
		tree, err := (&Manager{conn: scm}).DependencyTree(context.Background(), "top")
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

		base, err := (&Manager{conn: scm}).DependencyTree(context.Background(), "Base")
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
	if _, err := (&Manager{conn: chain(false)}).DependencyTree(context.Background(), "Nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing service: %v, want ErrNotFound", err)
	}
}
