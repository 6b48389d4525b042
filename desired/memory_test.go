package desired_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/winsvctest"
)

// Services in the in-memory SCM (winsvctest.Connect), which behaves as
// Windows documents: every setting is stored and read back, dependents are
// tracked (a stop is refused while they run), descriptors are kept.

// serial is how many services the tests of the in-memory SCM read at
// once: winsvctest.Connect's SCM appends every call to a list that is not
// guarded for concurrent use (go test -race reports it), so they read one
// at a time. The pool is tested on its own (TestForEach) and, with a real
// SCM, under Wine.
const serial = 1

// installed is a service a test starts with, in a state.
type installed struct {
	def   winsvc.Definition
	state winsvc.State
}

// memory returns an in-memory SCM holding services, each brought to its
// state through winsvc's own calls.
func memory(t *testing.T, services ...installed) *winsvc.Manager {
	t.Helper()
	ctx := context.Background()
	m := winsvctest.Connect()
	for _, s := range services {
		svc, err := m.New(s.def)
		if err == nil {
			_, err = svc.Save(ctx, winsvc.SaveOptions{})
		}
		if err == nil && s.state != winsvc.Stopped {
			err = svc.Start(ctx)
		}
		if err == nil && s.state == winsvc.Paused {
			err = svc.Pause(ctx)
		}
		if err != nil {
			t.Fatalf("%s: %v", s.def.Name, err)
		}
	}
	return m
}

// standard is the set of services most tests start with: MySvc with many
// settings set, running; Base, running, and Top, running and depending on
// it; Idle, stopped; Held, paused.
func standard() []installed {
	return []installed{
		{winsvc.Definition{Name: "MySvc", DisplayName: "My Service", CommandLine: `C:\app\svc.exe --port 8080`, StartType: winsvc.Ptr(winsvc.AutoStart),
			Description: winsvc.Ptr("Serves the API"), RequiredPrivileges: []string{"SeChangeNotifyPrivilege"},
			FailureActions: &winsvc.FailureActions{ResetPeriod: winsvc.ResetAfter(3600e9), Actions: []winsvc.Action{winsvc.RestartAction(1e9)}}}, winsvc.Running},
		{winsvc.Definition{Name: "Base", CommandLine: `C:\app\base.exe`}, winsvc.Running},
		{winsvc.Definition{Name: "Top", CommandLine: `C:\app\top.exe`, Dependencies: []winsvc.Dependency{winsvc.ServiceDependency("Base")}}, winsvc.Running},
		{winsvc.Definition{Name: "Idle", CommandLine: `C:\app\idle.exe`}, winsvc.Stopped},
		{winsvc.Definition{Name: "Held", CommandLine: `C:\app\held.exe`}, winsvc.Paused},
	}
}

// snapshot is everything the SCM holds: every service's configuration,
// security descriptor and state, as JSON, read through winsvc directly.
func snapshot(t *testing.T, m *winsvc.Manager) string {
	t.Helper()
	ctx := context.Background()
	all, err := m.QueryAll(ctx, winsvc.QueryFilter{Types: winsvc.TypesAll})
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		Config *winsvc.Config
		SD     string
		State  winsvc.State
	}
	var out []entry
	for _, st := range all {
		svc, err := m.Load(ctx, st.Name)
		if err != nil {
			t.Fatal(err)
		}
		sd, err := svc.SecurityDescriptor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{svc.Config(), sd, st.State})
	}
	b, _ := json.MarshalIndent(out, "", " ")
	return string(b)
}

// planOf plans doc against m.
func planOf(t *testing.T, m desired.Manager, doc *desired.Document) *desired.Plan {
	t.Helper()
	p, err := desired.PlanAll(context.Background(), m, doc, desired.PlanOptions{Workers: serial})
	if err != nil {
		t.Fatalf("PlanAll: %v", err)
	}
	return p
}

// stateOf reads service name's state through winsvc.
func stateOf(t *testing.T, m *winsvc.Manager, name string) winsvc.State {
	t.Helper()
	svc, _ := m.Service(name)
	st, err := svc.Status(context.Background())
	if err != nil {
		t.Fatalf("status of %s: %v", name, err)
	}
	return st.State
}

// installedNow reports whether service name exists.
func installedNow(t *testing.T, m *winsvc.Manager, name string) bool {
	t.Helper()
	svc, _ := m.Service(name)
	ok, err := svc.Exists(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ok
}
