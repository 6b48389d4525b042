package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/internal/testbed"
)

func TestReadBench(t *testing.T) {
	out := `goos: windows
BenchmarkVerb/pause-continue/raw-2         	      20	   7468090 ns/op	        26.00 services
BenchmarkVerb/pause-continue/raw-2         	      20	   8411360 ns/op	        26.00 services
BenchmarkVerb/pause-continue/raw-2         	      20	   8882860 ns/op	        26.00 services
BenchmarkScale/QueryAll/winsvc             	      10	   1353750 ns/op	     52064 ns/service	        26.00 services
BenchmarkDependencyScale/DependencyTree/fan/n=1000-16   5   5322982 ns/op   5323 ns/service
--- FAIL: BenchmarkVerb/config/winsvc
PASS
`
	r, err := parseBench(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"BenchmarkVerb/pause-continue/raw", "BenchmarkScale/QueryAll/winsvc", "BenchmarkDependencyScale/DependencyTree/fan/n=1000"}
	if strings.Join(r.order, " ") != strings.Join(want, " ") {
		t.Errorf("names %q, want %q", r.order, want)
	}
	if m := median(r.ns[want[0]]); m != 8411360 {
		t.Errorf("median %v, want 8411360", m)
	}
	if s := r.metrics[want[1]]["services"]; s != 26 {
		t.Errorf("services %v, want 26", s)
	}
	if s := r.metrics[want[1]]["ns/service"]; s != 52064 {
		t.Errorf("ns/service %v, want 52064", s)
	}
}

func TestMedianAndFormat(t *testing.T) {
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median = %v", m)
	}
	for ns, want := range map[float64]string{123e6: "123", 12.34e6: "12.3", 1.234e6: "1.23", 0.1234e6: "0.123"} {
		if got := ms(ns); got != want {
			t.Errorf("ms(%v) = %q, want %q", ns, got, want)
		}
	}
}

// The tables of the SCM calls per Save (native.txt) and of desired state's
// apply (apply.txt), from benchmark output as go test prints it.
func TestSaveAndApplyTables(t *testing.T) {
	native := "BenchmarkSaveCalls/wine/description/extra=0-2 \t 100\t 16381 ns/op\t 16.00 calls/op\n" +
		"BenchmarkSaveCalls/wine/description/extra=1000-2 \t 100\t 35999 ns/op\t 16.00 calls/op\n"
	apply := "BenchmarkApply500/unchanged-vs-export-2 \t 2\t 4992475500 ns/op\t 2545 apply-ms\t 1.040 apply/export\t 2448 export-ms\n" +
		"BenchmarkApply500/every-changed-2 \t 2\t 4929628750 ns/op\t 2400 apply-ms\t 4.800 ms/service\t 2.000 apply/raw\t 1200 raw-ms\t 2.400 raw-ms/service\n"
	before := "BenchmarkApply500/unchanged-vs-export-2 \t 2\t 4992475500 ns/op\t 2545 apply-ms\t 1.040 apply/export\t 2448 export-ms\n" +
		"BenchmarkApply500/every-changed-2 \t 2\t 4929628750 ns/op\t 9.600 ms/service\n"
	parse := func(text string) *benchResults {
		r, err := parseBench(strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	var b strings.Builder
	writeApplyTable(&b, parse(apply), parse(before))
	writeSaveCallsTable(&b, parse(native))
	for _, want := range []string{"| apply that changes nothing | 2545 ms (**1.04×** the export) |",
		"| apply that changes every service (its description) | **4.80 ms per service** |",
		"| 2.40 ms per service (the apply: **2.00×**) |",
		"| the same apply, earlier revision (same run, 1 runs alternating with the above) | 9.60 ms per service (now **0.50×** of it) |",
		"| wine/description | 16 | 16 |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("tables lack %q:\n%s", want, b.String())
		}
	}
}

// The program host's table (host.txt): each goal said met or not.
func TestHostTable(t *testing.T) {
	text := "BenchmarkHost/start/direct-2 \t 3\t 25000000 ns/op\t 25.83 ms/start\n" +
		"BenchmarkHost/start/direct-2 \t 3\t 27000000 ns/op\t 25.83 ms/start\n" +
		"BenchmarkHost/start/direct-2 \t 3\t 99000000 ns/op\t 25.83 ms/start\n" +
		"BenchmarkHost/start/hosted-2 \t 3\t 39300000 ns/op\t 38.15 ms/start\n" +
		"BenchmarkHost/scm-start/direct-2 \t 3\t 103700000 ns/op\t 103.7 ms/start\n" +
		"BenchmarkHost/scm-start/hosted-2 \t 3\t 118100000 ns/op\t 118.1 ms/start\n" +
		"BenchmarkHost/output/direct-2 \t 3\t 209715200 ns/op\t 80.00 MB/s\n" +
		"BenchmarkHost/output/hosted-2 \t 3\t 419430400 ns/op\t 40.00 MB/s\n" +
		"BenchmarkHost/output/rotated-2 \t 3\t 262144000 ns/op\t 64.00 MB/s\n" +
		"BenchmarkHost/idle/host-2 \t 1\t 390400 ns/op\t 14.39 private-MB\n" +
		"BenchmarkHost/idle/program-2 \t 1\t 110900 ns/op\t 10.04 private-MB\n"
	r, err := parseBench(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	writeHostTable(&b, r)
	for _, want := range []string{"| 27.0 ms | 39.3 ms | +12.3 ms | ≤ 20 ms added | yes |", "| +14.4 ms |",
		"| 80.0 MB/s | 40.0 MB/s | 50% of the rate | ≥ 80% | **no** |", "| 10.0 MB | 14.4 MB | | ≤ 12 MB | **no** |",
		"| output of 16 MiB to a rotated file (copied by the host) | 80.0 MB/s | 64.0 MB/s | 80% of the rate | ≥ 80% | yes |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, b.String())
		}
	}
}

// The before-and-after table of the verbs, from before-verbs-N.txt and
// verbs-N.txt: medians of the runs, ratios to raw in each.
func TestBeforeAfterTable(t *testing.T) {
	dir := testbed.TempDir(t) // t.TempDir's cleanup fails under Wine
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	verb := func(impl string, ns ...int) string {
		var b strings.Builder
		for _, n := range ns {
			fmt.Fprintf(&b, "BenchmarkVerb/config/%s-2 \t 200\t %d ns/op\n", impl, n)
		}
		return b.String()
	}
	write("before-verbs-0.txt", verb("winsvc", 9e6, 8e6, 10e6)+verb("raw", 3e6, 3e6, 3e6))
	write("verbs-0.txt", verb("winsvc", 4e6, 5e6, 6e6)+verb("raw", 2e6, 2e6, 4e6))
	var b strings.Builder
	if err := beforeAfterTable(&b, dir); err != nil {
		t.Fatal(err)
	}
	if want := "| config | 0 | 9.00 | 3.00 | **3.00** | 5.00 | 2.00 | **2.50** |"; !strings.Contains(b.String(), want) {
		t.Errorf("table lacks %q:\n%s", want, b.String())
	}
}

// list --json's reads (listread-N.txt): medians of the runs, each goal
// said met or not from the median of the ratios measured side by side,
// and the growth between sizes.
func TestListReadTable(t *testing.T) {
	dir := testbed.TempDir(t) // t.TempDir's cleanup fails under Wine
	write := func(n int, lines ...string) {
		text := strings.Join(lines, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("listread-%d.txt", n)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	line := func(export, pooled, perExp, perSeq, seq, services float64) string {
		return fmt.Sprintf("BenchmarkListRead-2 \t 1\t 133059800 ns/op\t %g export-ms\t %g pooled-ms\t %g pooled/export\t %g pooled/sequential\t %g sequential-ms\t %g services",
			export, pooled, perExp, perSeq, seq, services)
	}
	write(0, line(40, 30, 0.75, 0.7, 43, 16), line(44, 35, 0.8, 0.8, 44, 16), line(48, 40, 1.3, 0.9, 45, 16))
	write(5000, line(16000, 7000, 0.44, 0.5, 14000, 5016), line(17000, 7100, 0.42, 0.65, 15000, 5016), line(18000, 7200, 0.4, 0.4, 16000, 5016))
	write(6000, line(20000, 9000, 1.3, 0.7, 12000, 6016))
	var b strings.Builder
	if err := listReadTable(&b, dir); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| 0 | 16 | 3 | 35 | 44 | 44 | **0.80** | – | **0.80** | – |",
		"| 5000 | 5016 | 3 | 7100 | 15000 | 17000 | **0.50** | yes | **0.42** | yes |",
		"| 0→5000 | 1413 | 2991 | 3391 |",
		"| 6000 | 6016 | 1 | 9000 | 12000 | 20000 | **0.70** | **no** | **1.30** | **no** |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, b.String())
		}
	}
}
