//go:build windows

package desired_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/internal/testbed"
)

// The benchmarks of desired state, under Wine (BENCHMARKS.md, "Desired
// state"). They create their idle services themselves
// (testbed.IdleServices) and delete them at the end; they run only with
// -bench. The two sides of a comparison run in the same iteration, in
// alternating order, and each reports its own time per operation and their
// ratio, so that a machine whose load changes during the run affects both
// alike.

// benchExtra lists the numbers of extra idle services BenchmarkExport runs
// among: $WINSVC_DESIRED_BENCH_N, or 0 and 1,000.
func benchExtra(b *testing.B) []int {
	spec := os.Getenv("WINSVC_DESIRED_BENCH_N")
	if spec == "" {
		spec = "0 1000"
	}
	var out []int
	for _, f := range strings.Fields(spec) {
		n, err := strconv.Atoi(f)
		if err != nil {
			b.Fatalf("WINSVC_DESIRED_BENCH_N=%q: %v", spec, err)
		}
		out = append(out, n)
	}
	return out
}

// exportAll exports names (every service when nil) with workers readers,
// failing on a service that cannot be read, and returns how many it
// exported.
func exportAll(b *testing.B, m *winsvc.Manager, names []string, workers int) int {
	res, err := desired.Export(context.Background(), m, names, desired.ExportOptions{All: names == nil, Workers: workers})
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Failed) > 0 {
		b.Fatalf("%d services could not be read, the first %s: %v", len(res.Failed), res.Failed[0].Service, res.Failed[0].Err)
	}
	return len(res.Document.Services)
}

// paired runs a and b once per iteration, in alternating order, reports
// the time of each (metric "<name>-ms") and b's time over a's, and
// returns the two times in ms per iteration.
func paired(bm *testing.B, nameA string, a func(), nameB string, b func()) (msA, msB float64) {
	var ta, tb time.Duration
	timed := func(f func(), into *time.Duration) {
		start := time.Now()
		f()
		*into += time.Since(start)
	}
	for i := range bm.N {
		if i%2 == 0 {
			timed(a, &ta)
			timed(b, &tb)
		} else {
			timed(b, &tb)
			timed(a, &ta)
		}
	}
	n := float64(bm.N)
	msA, msB = ta.Seconds()*1e3/n, tb.Seconds()*1e3/n
	bm.ReportMetric(msA, nameA+"-ms")
	bm.ReportMetric(msB, nameB+"-ms")
	bm.ReportMetric(float64(tb)/float64(ta), nameB+"/"+nameA)
	return msA, msB
}

// BenchmarkExport exports every service of the machine among N extra idle
// services, with the pool of readers (DefaultWorkers) and with one reader.
func BenchmarkExport(b *testing.B) {
	m := connect(b)
	for _, n := range benchExtra(b) {
		b.Run(fmt.Sprintf("extra=%d", n), func(b *testing.B) {
			testbed.IdleServices(b, fmt.Sprintf("dsexport%d-", n), n)
			b.Run("pool-vs-sequential", func(b *testing.B) {
				services := 0
				paired(b, "pool", func() { services = exportAll(b, m, nil, desired.DefaultWorkers) },
					"sequential", func() { exportAll(b, m, nil, 1) })
				b.ReportMetric(float64(services), "services")
			})
		})
	}
}

// BenchmarkApply500 compares, on 500 services, applying their export,
// which changes nothing, with exporting them; then an apply that changes
// every one of them (its description) with the least a program does to
// make the same change: a raw loop, one service after the other, of
// OpenService and one ChangeServiceConfig2 (testbed.Raw), in the same
// iterations, per service and as a ratio.
func BenchmarkApply500(b *testing.B) {
	const n = 500
	ctx := context.Background()
	m := connect(b)
	names := testbed.IdleServices(b, "dsapply-", n)
	res, err := desired.Export(ctx, m, names, desired.ExportOptions{})
	if err != nil || len(res.Failed) > 0 {
		b.Fatalf("export: %v %v", err, res.Failed)
	}
	doc := res.Document
	apply := func(b *testing.B, want desired.Outcome) {
		r, err := desired.ApplyAll(ctx, m, doc, desired.ApplyOptions{})
		if err != nil || r.Count(want) != n {
			b.Fatalf("%v: %d of %d %s", err, r.Count(want), n, want)
		}
	}
	b.Run("unchanged-vs-export", func(b *testing.B) {
		paired(b, "export", func() { exportAll(b, m, names, desired.DefaultWorkers) }, "apply", func() { apply(b, desired.Unchanged) })
	})
	raw := testbed.OpenRaw(b)
	round := 0
	b.Run("every-changed", func(b *testing.B) {
		// Each side writes a description the other did not: every apply
		// changes every service, whichever ran last.
		rawMS, applyMS := paired(b, "raw", func() {
			for _, name := range names {
				raw.SetDescription(name, fmt.Sprintf("raw round %d", round))
			}
		}, "apply", func() {
			round++
			for i := range doc.Services {
				doc.Services[i].Definition.Description = winsvc.Ptr(fmt.Sprintf("round %d", round))
			}
			apply(b, desired.Changed)
		})
		b.ReportMetric(applyMS/n, "ms/service")
		b.ReportMetric(rawMS/n, "raw-ms/service")
	})
}
