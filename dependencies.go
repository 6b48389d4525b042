package winsvc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// DependentsSource says where the dependents of a service were learned from.
type DependentsSource string

const (
	// DependentsFromSCM: the SCM listed them (EnumDependentServices).
	DependentsFromSCM DependentsSource = "scm"
	// DependentsFromConfigurations: the SCM listed none, so they were
	// computed from every service's configuration. This is the fallback for
	// SCMs that do not track dependents (Wine's lists none, ever); on
	// Windows it only confirms that there are none.
	DependentsFromConfigurations DependentsSource = "configurations"
)

// DependencyTree is what a service depends on and what depends on it, each
// recursively, as Manager.DependencyTree computes it.
type DependencyTree struct {
	Service          string           `json:"service"`
	DependsOn        []DependencyNode `json:"dependsOn"`
	Dependents       []DependencyNode `json:"dependents"`
	DependentsSource DependentsSource `json:"dependentsSource"`
	// Unreadable lists services whose configuration could not be read (for
	// lack of rights, typically); what they depend on is unknown.
	Unreadable []string `json:"unreadable,omitempty"`
}

// DependencyTree returns service name's dependencies (services, and groups
// with their members) and its dependents, each recursively. The dependents
// are those the SCM lists (EnumDependentServices) or, on an SCM that does
// not track them, those computed from every service's dependencies, which
// include services depending on the service's group; DependentsSource says
// which.
func (m *Manager) DependencyTree(ctx context.Context, name string) (*DependencyTree, error) {
	l, err := newDepLoader(ctx, m, AllServices)
	if err != nil {
		return nil, err
	}
	root, err := m.CoreConfig(ctx, name)
	if err != nil {
		return nil, err
	}
	if st, ok := l.states[depKey(name)]; ok {
		name = st.Name // the installed spelling
	}
	l.add(name, root, nil)
	if err := l.loadClosure(name); err != nil {
		return nil, err
	}
	source := DependentsFromSCM
	if m.quirks().DependentsUntracked {
		source, err = DependentsFromConfigurations, l.loadAll()
	} else if scm, derr := m.dependents(ctx, name, AllServices); derr == nil {
		for _, st := range scm {
			err = errors.Join(err, l.load(st.Name))
		}
	}
	if err != nil {
		return nil, err
	}
	g := l.graph()
	tree := &DependencyTree{Service: name, DependsOn: g.dependsOn(name), Dependents: g.dependents(name),
		DependentsSource: source, Unreadable: l.unreadable()}
	if tree.DependsOn == nil {
		tree.DependsOn = []DependencyNode{}
	}
	if tree.Dependents == nil {
		tree.Dependents = []DependencyNode{}
	}
	return tree, nil
}

// depLoader reads the dependencies a computation needs, each service's at
// most once, and the states of the services with one enumeration. On an
// SCM that does not report dependencies it reads them from the registry
// alone (one key per service, no SCM call); elsewhere from the SCM
// (QueryServiceConfig).
type depLoader struct {
	ctx     context.Context
	m       *Manager
	states  map[string]Status // by depKey: the services the enumeration listed
	loaded  map[string]serviceDeps
	missing map[string]bool // names that are not installed
	// byName: only dependencies on services are needed (not groups, nor
	// the service's own group): less to read from the registry.
	byName bool
	// core: the whole core configuration is needed (the start type, for
	// DependencyGraph), not only the dependencies.
	core bool
}

// newDepLoader enumerates the services in states (of every type).
func newDepLoader(ctx context.Context, m *Manager, states StateFilter) (*depLoader, error) {
	all, err := m.QueryAll(ctx, QueryFilter{Types: TypesAll, States: states})
	if err != nil {
		return nil, err
	}
	l := &depLoader{ctx: ctx, m: m, states: map[string]Status{}, loaded: map[string]serviceDeps{}, missing: map[string]bool{}}
	for _, st := range all {
		l.states[depKey(st.Name)] = st
	}
	return l, nil
}

func (l *depLoader) add(name string, c *Config, err error) {
	st := l.states[depKey(name)]
	s := serviceDeps{Name: name, State: st.State, DisplayName: st.DisplayName}
	if st.Name != "" {
		s.Name = st.Name
	}
	if err == nil {
		err = c.unavailableDependencies()
	}
	if err != nil {
		s.Err = reasonOf(err)
	} else {
		s.Group, s.Dependencies, s.StartType, s.DelayedAutoStart = c.LoadOrderGroup, c.Dependencies, c.StartType, c.DelayedAutoStart
		if c.DisplayName != "" {
			s.DisplayName = c.DisplayName
		}
	}
	l.loaded[depKey(name)] = s
}

// unavailableDependencies is why c's dependencies could not be read, or
// nil. A service the SCM lists but the registry has no key for (Wine's
// driver hosts, Winedevice1, ...) has no dependencies stored, so none is
// what it has.
func (c *Config) unavailableDependencies() error {
	if err := c.Unavailable[FieldDependencies]; !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}

// reasonOf renders why a configuration could not be read, with the Win32
// name of the code when there is one.
func reasonOf(err error) string {
	if code := codeOf(err); code != 0 {
		return code.Name()
	}
	return err.Error()
}

// load reads service name's configuration unless it was read already. A
// service that does not exist is left out (the graph shows it missing).
func (l *depLoader) load(name string) error {
	if l.done(name) {
		return nil
	}
	var c *Config
	var err error
	if l.core {
		c, err = l.m.CoreConfig(l.ctx, name)
	} else {
		c, err = l.m.dependencyConfig(l.ctx, name, l.byName)
	}
	switch {
	case errors.Is(err, ErrNotFound):
		l.missing[depKey(name)] = true
		return nil
	case errors.Is(err, ErrClosed) || l.ctx.Err() != nil:
		return errors.Join(err, l.ctx.Err())
	case err != nil:
		l.add(name, nil, err)
	default:
		l.add(name, c, nil)
	}
	return nil
}

// done reports whether name was read already or found missing.
func (l *depLoader) done(name string) bool {
	_, ok := l.loaded[depKey(name)]
	return ok || l.missing[depKey(name)]
}

// loadClosure reads everything name depends on, recursively, with the
// members of the groups it depends on.
func (l *depLoader) loadClosure(name string) error {
	groups := map[string]bool{}
	queue := []string{name}
	for len(queue) > 0 {
		s := l.loaded[depKey(queue[0])]
		queue = queue[1:]
		var next []string
		for _, d := range s.Dependencies {
			if !d.Group {
				next = append(next, d.Name)
				continue
			}
			if groups[depKey(d.Name)] {
				continue
			}
			groups[depKey(d.Name)] = true
			group := d.Name
			members, err := l.m.QueryAll(l.ctx, QueryFilter{Types: TypesAll, Group: &group})
			if err != nil && !errors.Is(err, ErrNotFound) { // a group without members is "not found"
				return err
			}
			for _, st := range members {
				next = append(next, st.Name)
			}
		}
		for _, n := range next {
			if l.done(n) {
				continue
			}
			if err := l.load(n); err != nil {
				return err
			}
			if _, ok := l.loaded[depKey(n)]; ok {
				queue = append(queue, n)
			}
		}
	}
	return nil
}

// loadServiceClosure reads what name depends on through services,
// recursively (not through groups).
func (l *depLoader) loadServiceClosure(name string) error {
	queue := []string{name}
	for len(queue) > 0 {
		s := l.loaded[depKey(queue[0])]
		queue = queue[1:]
		for _, d := range s.Dependencies {
			if d.Group || l.done(d.Name) {
				continue
			}
			if err := l.load(d.Name); err != nil {
				return err
			}
			queue = append(queue, d.Name)
		}
	}
	return nil
}

// names lists the services the enumeration found.
func (l *depLoader) names() []string {
	out := make([]string, 0, len(l.states))
	for _, st := range l.states {
		out = append(out, st.Name)
	}
	slices.SortFunc(out, compareFold)
	return out
}

// dependencyConfig reads what a dependency computation needs of service
// name: its load-order group and dependencies. On an SCM that does not
// report dependencies they come from the registry alone, with no SCM call.
func (m *Manager) dependencyConfig(ctx context.Context, name string, byName bool) (*Config, error) {
	if !m.quirks().DependenciesUnreported {
		return m.CoreConfig(ctx, name)
	}
	values := []string{regDependOnService, regDependOnGroup, regGroup}
	if byName {
		values = values[:1]
	}
	c := &Config{Name: name}
	err := m.use(ctx, "qc", name, func(conn scmConn) (err error) {
		c.Dependencies, c.LoadOrderGroup, err = registryDependencies(conn, name, values...)
		return err
	})
	return c, err
}

// loadAll reads every service's configuration.
func (l *depLoader) loadAll() error {
	for _, st := range l.states {
		if err := l.load(st.Name); err != nil {
			return err
		}
	}
	return nil
}

func (l *depLoader) graph() *dependencyGraph {
	services := make([]serviceDeps, 0, len(l.loaded))
	for _, s := range l.loaded {
		services = append(services, s)
	}
	return newDependencyGraph(services)
}

func (l *depLoader) unreadable() []string {
	var out []string
	for _, s := range l.loaded {
		if s.Err != "" {
			out = append(out, s.Name+": "+s.Err)
		}
	}
	slices.Sort(out)
	return out
}

// RunningDependents returns the active services that depend on the
// service, recursively, in the order to stop them, and where that list came
// from (see DependencyTree).
func (s *Service) RunningDependents(ctx context.Context) ([]string, DependentsSource, error) {
	active, source, err := s.activeDependents(ctx)
	if err != nil {
		return nil, "", err
	}
	out := []string{}
	for _, st := range active {
		out = append(out, st.Name)
	}
	return out, source, nil
}

// activeDependents is RunningDependents with each dependent's status (the
// state it was in when listed).
func (s *Service) activeDependents(ctx context.Context) ([]Status, DependentsSource, error) {
	if !s.m.quirks().DependentsUntracked {
		active, err := s.m.dependents(ctx, s.name, ActiveServices)
		return active, DependentsFromSCM, err
	}
	// Only active services matter, and only what they depend on through
	// services (stopOrder ignores group dependencies): their closure, not
	// every service of the machine.
	l, err := newDepLoader(ctx, s.m, ActiveServices)
	if err != nil {
		return nil, "", err
	}
	l.byName = true
	for _, n := range append([]string{s.name}, l.names()...) {
		if err := l.load(n); err != nil {
			return nil, "", err
		}
		if err := l.loadServiceClosure(n); err != nil {
			return nil, "", err
		}
	}
	out := []Status{}
	for _, n := range l.graph().stopOrder(s.name) {
		if st, ok := l.states[depKey(n)]; ok && st.State != Stopped {
			st.Name = n
			out = append(out, st)
		}
	}
	return out, DependentsFromConfigurations, nil
}

// refuseRunningDependents fails with ErrDependentServicesRunning (code
// 1051, as Windows' SCM fails a STOP) when active services depend on the
// service. It is for SCMs that do not track dependents; Windows' SCM
// refuses by itself.
func (s *Service) refuseRunningDependents(ctx context.Context) error {
	running, source, err := s.RunningDependents(ctx)
	if err != nil || len(running) == 0 {
		return err
	}
	return dependentsRunning(s.name, running, source)
}

// dependentsRunning is the error of a stop refused because of running
// dependents, naming them.
func dependentsRunning(name string, running []string, source DependentsSource) error {
	return &Error{Op: "stop", Service: name, Code: ErrDependentServicesRunning,
		Err: fmt.Errorf("%w: %s (dependents from the %s)", ErrDependentServicesRunning, strings.Join(running, ", "), source)}
}

// Dependents reports what StopWithDependents or Restart did to the
// services that depend on the service, and where their list came from.
type Dependents struct {
	Names  []string         `json:"names"`            // the dependents stopped, or brought back, in order
	Paused []string         `json:"paused,omitempty"` // Restart: those among Names paused again
	Source DependentsSource `json:"source"`           // the SCM's list, or computed (see DependencyTree)
}

// StopWithDependents stops the active services that depend on the service
// (RunningDependents), in order, then the service itself with opts, and
// reports the dependents it stopped. Every stop waits for STOPPED, within
// ctx's deadline (or DefaultTimeout). It needs SERVICE_STOP on each.
func (s *Service) StopWithDependents(ctx context.Context, opts ...ControlOption) (Dependents, error) {
	stopped, source, err := s.stopWithDependents(ctx, opts)
	out := Dependents{Names: []string{}, Source: source}
	for _, st := range stopped {
		out.Names = append(out.Names, st.Name)
	}
	return out, err
}

// stopWithDependents is StopWithDependents returning the status each
// stopped dependent had before it was stopped.
func (s *Service) stopWithDependents(ctx context.Context, opts []ControlOption) ([]Status, DependentsSource, error) {
	ctx, cancel := s.m.waitContext(ctx)
	defer cancel()
	active, source, err := s.activeDependents(ctx)
	if err != nil {
		return nil, source, asOp("stop", s.name, newWaitTracker(Stopped).waitEnded(ctx, err))
	}
	stopped := []Status{}
	for _, st := range active {
		// run, not Stop: the dependents of each are already in the list.
		if err := (&Service{m: s.m, name: st.Name}).run(ctx, stopTransition, []ControlOption{Ensure()}); err != nil {
			return stopped, source, fmt.Errorf("stopping dependent %q of %q: %w", st.Name, s.name, err)
		}
		stopped = append(stopped, st)
	}
	// run, not Stop: Stop forwards here when asked to stop dependents.
	return stopped, source, s.run(ctx, stopTransition, opts)
}

// restoreState is the state Restart brings a dependent back to, from the
// state it was in before it was stopped: the state it was in or heading
// for. A dependent that was already stopping stays stopped.
func restoreState(before State) State {
	switch before {
	case Paused, PausePending:
		return Paused
	case StopPending:
		return Stopped
	}
	return Running // RUNNING, START_PENDING, CONTINUE_PENDING
}

// Restart stops the service with its active dependents (a stopped service
// is fine), starts it with opts, then brings each dependent back to the
// state it was in (a paused one is started and paused again; one that was
// stopping stays stopped), and reports them. On failure the error names the
// dependents left stopped.
func (s *Service) Restart(ctx context.Context, opts ...ControlOption) (Dependents, error) {
	ctx, cancel := s.m.waitContext(ctx)
	defer cancel()
	stopped, source, err := s.stopWithDependents(ctx, []ControlOption{Ensure()})
	if err == nil {
		err = s.startUnlessMarked(ctx, opts)
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrMarkedForDelete) {
			// It stopped, and so it went: it was marked for deletion.
			err = &Error{Op: "restart", Service: s.name, Code: ErrMarkedForDelete,
				Err: fmt.Errorf("%w: the service was marked for deletion, and went once stopped", ErrMarkedForDelete)}
		}
	}
	out := Dependents{Names: []string{}, Source: source}
	var left []string
	for i := len(stopped) - 1; i >= 0; i-- {
		st := stopped[i]
		want := restoreState(st.State)
		if want == Stopped {
			continue
		}
		if err != nil {
			left = append(left, st.Name)
			continue
		}
		dep := &Service{m: s.m, name: st.Name}
		if err = dep.Start(ctx, Ensure()); err != nil {
			left = append(left, st.Name)
			continue
		}
		out.Names = append(out.Names, st.Name)
		if want == Paused {
			if err = dep.Pause(ctx, Ensure()); err != nil {
				err = fmt.Errorf("pausing dependent %q again (it is running): %w", st.Name, err)
				continue
			}
			out.Paused = append(out.Paused, st.Name)
		}
	}
	if err != nil && len(left) > 0 {
		return out, fmt.Errorf("restart %q: %w; dependents left stopped: %s", s.name, err, strings.Join(left, ", "))
	}
	return out, err
}

// checkNoCycle fails with ErrCircularDependency (1059), naming the cycle,
// when service name with dependencies deps would depend on itself through
// other services, as Windows' SCM does (Wine's does not check). It reads
// only the services the dependencies reach. Load-order groups order
// startup but make no cycle of services, so they are not followed.
func (m *Manager) checkNoCycle(ctx context.Context, name string, deps []Dependency) error {
	if !slices.ContainsFunc(deps, func(d Dependency) bool { return !d.Group }) {
		return nil
	}
	l := &depLoader{ctx: ctx, m: m, states: map[string]Status{}, loaded: map[string]serviceDeps{}, missing: map[string]bool{}}
	l.loaded[depKey(name)] = serviceDeps{Name: name, Dependencies: deps}
	if err := l.loadServiceClosure(name); err != nil {
		return err
	}
	cycle := l.graph().cycleThrough(name)
	if cycle == nil {
		return nil
	}
	return &Error{Op: "save", Service: name, Code: ErrCircularDependency,
		Err: fmt.Errorf("%w: %s", ErrCircularDependency, strings.Join(cycle, " -> "))}
}
