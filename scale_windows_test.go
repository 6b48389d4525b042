//go:build windows

package winsvc_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/testbed"
)

// The benchmarks of this file measure winsvc among however many services
// the SCM holds: scripts/bench.sh creates N idle services
// (internal/testbed/idlesvc) and runs the same test binary at N = 0, 1,000
// and 5,000, so a cost that grows with N shows as a difference between
// runs. Each reports the number of services it ran among ("services").
// Every winsvc call is measured against the fewest raw golang.org/x/sys
// calls that do the same (testbed.Raw), in the same run, so that their
// ratio, not Wine's absolute timings, is the result.

// scaleBench holds what the benchmarks share: a connection, the raw
// yardstick, the test service's path and the number of services.
type scaleBench struct {
	ctx      context.Context
	m        *winsvc.Manager
	raw      *testbed.Raw
	exe, log string
	services int
}

func newScaleBench(b *testing.B) *scaleBench {
	b.Helper()
	exe := testbed.ServiceExe(b)
	return &scaleBench{ctx: context.Background(), m: connect(b), raw: testbed.OpenRaw(b), exe: exe,
		log: filepath.Join(testbed.TempDir(b), "svc.log")}
}

// service creates a stopped test service (deleted when b ends) that
// depends on deps.
func (sb *scaleBench) service(b *testing.B, prefix string, deps ...string) string {
	b.Helper()
	def := winsvc.Definition{Name: testbed.UniqueName(b, prefix), BinaryPath: sb.exe,
		Args: []string{"-mode=normal", "-log=" + sb.log, "-lifetime=1200s"}}
	for _, d := range deps {
		def.Dependencies = append(def.Dependencies, winsvc.ServiceDependency(d))
	}
	s, err := sb.m.New(def)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Save(sb.ctx, winsvc.SaveOptions{}); err != nil {
		b.Fatal(err)
	}
	testbed.CleanupService(b, def.Name)
	return def.Name
}

// ensure brings service name to RUNNING or STOPPED with raw calls.
func (sb *scaleBench) ensure(name string, state uint32) {
	switch cur := sb.raw.State(name); {
	case cur == state:
	case state == windows.SERVICE_RUNNING && cur == windows.SERVICE_PAUSED:
		sb.raw.Control(name, windows.SERVICE_CONTROL_CONTINUE, windows.SERVICE_RUNNING)
	case state == windows.SERVICE_RUNNING:
		sb.raw.Start(name)
	default:
		sb.raw.Stop(name)
	}
}

// pair is one measured operation: winsvc's and the raw yardstick's, with
// an untimed setup before each iteration.
type pair struct {
	name        string
	setup       func(b *testing.B)
	winsvc, raw func(b *testing.B)
}

// rounds counts the runs of each benchmark (one per -count), so that the
// two sides of a pair alternate which runs first.
var rounds = map[string]int{}

// run measures every pair, each iteration after its untimed setup, raw
// first in odd rounds and winsvc first in even ones (so that neither side
// always runs on the SCM as the other left it), and reports the number of
// services.
func (sb *scaleBench) run(b *testing.B, pairs []pair) {
	sb.services, _ = sb.raw.CountServices() // with the benchmark's own
	rounds[b.Name()]++
	order := []string{"raw", "winsvc"}
	if rounds[b.Name()]%2 == 0 {
		order = []string{"winsvc", "raw"}
	}
	for _, p := range pairs {
		for _, impl := range order {
			op := p.raw
			if impl == "winsvc" {
				op = p.winsvc
			}
			if op == nil {
				continue
			}
			b.Run(p.name+"/"+impl, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if p.setup != nil {
						b.StopTimer()
						p.setup(b)
						b.StartTimer()
					}
					op(b)
				}
				b.ReportMetric(float64(sb.services), "services")
			})
		}
	}
}

func must(b *testing.B, err error) {
	if err != nil {
		b.Helper()
		b.Fatal(err)
	}
}

// BenchmarkVerb measures every single-service verb and library call among
// the services the SCM holds, against raw calls (testbed.Raw):
//
//	start           Service.Start (waits for RUNNING)      StartService, poll until RUNNING
//	stop            Service.Stop (waits for STOPPED)       ControlService(STOP), poll until STOPPED
//	pause-continue  Pause then Continue, each waited for   ControlService, poll, twice
//	restart         Service.Restart, no dependents         stop as above, then start as above
//	delete          Service.Delete{Stop: true}, running    STOP, poll, DeleteService
//	status          Manager.Status                         OpenService + QueryServiceStatusEx
//	qc              Manager.CoreConfig                     OpenService + QueryServiceConfig
//	get             Manager.Load                           QueryServiceConfig + each QueryServiceConfig2 level Load reads
//	config          Update + Save of one setting           OpenService + ChangeServiceConfig
//
// The service is a real test service process (internal/testsvc); between
// iterations it is brought, untimed, to the state the verb starts from.
// config toggles the start type of a service that never runs between
// DEMAND_START and DISABLED.
func BenchmarkVerb(b *testing.B) {
	sb := newScaleBench(b)
	target := sb.service(b, "verb")
	// Two services for config, so that neither side changes the one the
	// other saves (Save would then fail with ErrConflict, rightly).
	cfgTarget, cfgRaw := sb.service(b, "cfg"), sb.service(b, "cfgraw")
	s, err := sb.m.Service(target)
	must(b, err)
	running := func(*testing.B) { sb.ensure(target, windows.SERVICE_RUNNING) }
	stopped := func(*testing.B) { sb.ensure(target, windows.SERVICE_STOPPED) }

	// delete: a fresh running service each iteration.
	var doomed string
	freshRunning := func(b *testing.B) {
		doomed = testbed.UniqueName(b, "del")
		sb.raw.Create(doomed, testbed.CommandLine(sb.exe, "-mode=normal", "-lifetime=1200s"))
		testbed.CleanupService(b, doomed)
		sb.raw.Start(doomed)
	}

	cfg, err := sb.m.Load(sb.ctx, cfgTarget)
	must(b, err)
	starts := [2]winsvc.StartType{winsvc.Disabled, winsvc.DemandStart}
	rawStarts := [2]uint32{windows.SERVICE_DISABLED, windows.SERVICE_DEMAND_START}
	flip, rawFlip := 0, 0

	sb.run(b, []pair{
		{"start", stopped, func(b *testing.B) { must(b, s.Start(sb.ctx)) }, func(*testing.B) { sb.raw.Start(target) }},
		{"stop", running, func(b *testing.B) { must(b, s.Stop(sb.ctx)) }, func(*testing.B) { sb.raw.Stop(target) }},
		{"pause-continue", running,
			func(b *testing.B) { must(b, s.Pause(sb.ctx)); must(b, s.Continue(sb.ctx)) },
			func(*testing.B) {
				sb.raw.Control(target, windows.SERVICE_CONTROL_PAUSE, windows.SERVICE_PAUSED)
				sb.raw.Control(target, windows.SERVICE_CONTROL_CONTINUE, windows.SERVICE_RUNNING)
			}},
		{"restart", running,
			func(b *testing.B) { _, err := s.Restart(sb.ctx); must(b, err) },
			func(*testing.B) { sb.raw.Stop(target); sb.raw.Start(target) }},
		{"delete", freshRunning,
			func(b *testing.B) {
				d, err := sb.m.Service(doomed)
				must(b, err)
				must(b, d.Delete(sb.ctx, winsvc.DeleteOptions{Stop: true}))
			},
			func(*testing.B) { sb.raw.Delete(doomed) }},
		{"status", nil,
			func(b *testing.B) {
				s, err := sb.m.Service(target)
				must(b, err)
				_, err = s.Status(sb.ctx)
				must(b, err)
			},
			func(*testing.B) { sb.raw.State(target) }},
		{"qc", nil,
			func(b *testing.B) { _, err := sb.m.CoreConfig(sb.ctx, target); must(b, err) },
			func(*testing.B) { sb.raw.QueryConfig(target) }},
		{"get", nil,
			func(b *testing.B) { _, err := sb.m.Load(sb.ctx, target); must(b, err) },
			func(*testing.B) { sb.raw.QueryConfigAll(target) }},
		{"config", nil,
			func(b *testing.B) {
				flip ^= 1
				cfg.Update(func(c *winsvc.Config) { c.StartType = starts[flip] })
				_, err := cfg.Save(sb.ctx, winsvc.SaveOptions{})
				must(b, err)
			},
			func(*testing.B) { rawFlip ^= 1; sb.raw.SetStartType(cfgRaw, rawStarts[rawFlip]) }},
	})
}

// BenchmarkScale measures the operations whose cost could grow with the
// number of services, to check that it grows no faster than linearly
// (bench.sh compares the time per service at each N):
//
//	QueryAll        Manager.QueryAll of every service      EnumServicesStatusEx (size probe, then one call)
//	DependencyTree  Manager.DependencyTree (EnumDepend --tree) of a service with two dependents;
//	                on Wine it reads every service's dependencies (registry)
//	                                                       enumeration + each service's registry values
//	RestartDeps     Service.Restart of a running service with two running dependents
//	                                                       stop the dependents and the service, start all three
func BenchmarkScale(b *testing.B) {
	sb := newScaleBench(b)
	target := sb.service(b, "root")
	dep1 := sb.service(b, "dep1", target)
	dep2 := sb.service(b, "dep2", target)
	s, err := sb.m.Service(target)
	must(b, err)
	allRunning := func(*testing.B) {
		for _, n := range []string{target, dep1, dep2} {
			sb.ensure(n, windows.SERVICE_RUNNING)
		}
	}
	sb.run(b, []pair{
		{"QueryAll", nil,
			func(b *testing.B) {
				all, err := sb.m.QueryAll(sb.ctx, winsvc.QueryFilter{Types: winsvc.TypesAll, States: winsvc.AllServices})
				must(b, err)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(all)), "ns/service")
			},
			func(b *testing.B) {
				n, _ := sb.raw.CountServices()
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/service")
			}},
		{"DependencyTree", nil,
			func(b *testing.B) {
				tree, err := sb.m.DependencyTree(sb.ctx, target)
				must(b, err)
				if len(tree.Dependents) != 2 {
					b.Fatalf("DependencyTree(%s): dependents %+v, want %s and %s", target, tree.Dependents, dep1, dep2)
				}
			},
			func(*testing.B) { sb.raw.DependencyTreeRaw() }},
		{"RestartDeps", allRunning,
			func(b *testing.B) {
				d, err := s.Restart(sb.ctx)
				must(b, err)
				if len(d.Names) != 2 {
					b.Fatalf("Restart(%s) brought back %v, want %s and %s", target, d.Names, dep1, dep2)
				}
			},
			func(*testing.B) {
				sb.raw.Stop(dep2)
				sb.raw.Stop(dep1)
				sb.raw.Stop(target)
				sb.raw.Start(target)
				sb.raw.Start(dep1)
				sb.raw.Start(dep2)
			}},
	})
}

// TestQueryAllAtScale checks that QueryAll returns every service the SCM
// has, however many there are (scripts/bench.sh runs it at N = 5,000,
// where the enumeration needs more than half a megabyte): the enumeration
// grows its buffer to the size the SCM asks for instead of using a fixed
// one, and nothing is lost or repeated.
func TestQueryAllAtScale(t *testing.T) {
	m := connect(t)
	all, err := m.QueryAll(context.Background(), winsvc.QueryFilter{Types: winsvc.TypesAll, States: winsvc.AllServices})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range all {
		got = append(got, st.Name)
	}
	want, err := testbed.EnumNames(windows.SERVICE_TYPE_ALL)
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	sort.Strings(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("QueryAll listed %d services, the raw enumeration %d", len(got), len(want))
	}
	_, bufBytes := testbed.OpenRaw(t).CountServices()
	t.Logf("%d services, enumeration buffer %d bytes", len(all), bufBytes)
}
