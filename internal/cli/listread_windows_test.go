//go:build windows

package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/internal/testbed"
)

// BenchmarkListRead times, among however many services the SCM holds
// (scripts/bench.sh creates them), three reads of every Win32 service's
// configuration, each once per iteration in rotating order so that the
// load of the machine weighs on all three alike:
//
//	pooled      winsvc list --json, in-process: the configurations read on
//	            Manager.Configs' pool (DefaultWorkers readers)
//	sequential  the same command with one reader, as list read before the pool
//	export      desired.Export of the same services (every setting and the
//	            security descriptor of each, on the same pool)
//
// It reports each side's time per iteration ("<side>-ms") and the ratios
// pooled/sequential and pooled/export; scripts/bench.sh runs it with
// -count 5 or more and benchreport prints the medians.
func BenchmarkListRead(b *testing.B) {
	out, err := os.Create(filepath.Join(testbed.TempDir(b), "stdout"))
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	ctx := context.Background()
	m, err := winsvc.Connect()
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	all, err := m.QueryAll(ctx, winsvc.QueryFilter{})
	if err != nil {
		b.Fatal(err)
	}
	names := make([]string, len(all))
	for i, st := range all {
		names[i] = st.Name
	}
	list := func(readers int) func() {
		return func() {
			listReaders = readers
			defer func() { listReaders = 0 }()
			if _, err := out.Seek(0, io.SeekStart); err != nil {
				b.Fatal(err)
			}
			f := NewFactory()
			f.IO = &IOStreams{In: strings.NewReader(""), Out: out, ErrOut: io.Discard}
			if code := Run(ctx, f, []string{"list", "--json"}); code != 0 {
				b.Fatalf("winsvc list --json: exit %d", code)
			}
		}
	}
	export := func() {
		res, err := desired.Export(ctx, m, names, desired.ExportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Document.Services) == 0 {
			b.Fatalf("export read none of %d services; failed: %v", len(names), res.Failed)
		}
	}
	sides := []struct {
		name string
		run  func()
		took time.Duration
	}{{"pooled", list(0), 0}, {"sequential", list(1), 0}, {"export", export, 0}}
	b.ResetTimer()
	for i := range b.N {
		for k := range sides {
			s := &sides[(i+k)%len(sides)]
			start := time.Now()
			s.run()
			s.took += time.Since(start)
		}
	}
	n := float64(b.N)
	for _, s := range sides {
		b.ReportMetric(s.took.Seconds()*1e3/n, s.name+"-ms")
	}
	b.ReportMetric(float64(sides[0].took)/float64(sides[1].took), "pooled/sequential")
	b.ReportMetric(float64(sides[0].took)/float64(sides[2].took), "pooled/export")
	b.ReportMetric(float64(len(names)), "services")
}
