// Command benchreport is the native half of scripts/bench.sh: it times
// whole winsvc and rawsvc processes under Wine, side by side, and turns
// everything bench.sh measured into the tables of BENCHMARKS.md.
//
//	benchreport time  -wine LOADER -winsvc EXE -raw EXE -n N -runs R -out FILE
//	benchreport table -dir DIR
//
// time first runs each winsvc command and its rawsvc counterpart once and
// checks that they print the same bytes (the yardstick must do the same
// job), then runs every command R times, interleaved (the order rotates
// each round), and appends one line per run to FILE: N, case, run,
// seconds.
//
// table reads DIR: verbs-N.txt and scale-N.txt (go test -bench output of
// BenchmarkVerb and BenchmarkScale under Wine at N services), process.tsv
// (from time), native.txt (BenchmarkFormat and BenchmarkDependencyScale,
// natively), and prints Markdown tables of medians and ratios.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "time":
		err = timeCmd(os.Args[2:])
	case "table":
		err = tableCmd(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: benchreport time -wine LOADER -winsvc EXE -raw EXE -n N -runs R -out FILE\n       benchreport table -dir DIR")
	os.Exit(2)
}

// A processCase is one command of the whole-process comparisons.
type processCase struct {
	name string
	exe  string // "winsvc" or "raw"
	args []string
}

// processCases are the commands timed; the comparisons pair them.
var processCases = []processCase{
	{"winsvc help", "winsvc", []string{"help"}},
	{"rawsvc none", "raw", []string{"none"}},
	{"winsvc query state= all --json", "winsvc", []string{"query", "state=", "all", "--json"}},
	{"rawsvc query-json", "raw", []string{"query-json"}},
	{"rawsvc query-json-hand", "raw", []string{"query-json-hand"}},
	{"winsvc list --names", "winsvc", []string{"list", "--names"}},
	{"rawsvc names", "raw", []string{"names"}},
	{"winsvc list", "winsvc", []string{"list"}},
	{"rawsvc list", "raw", []string{"list"}},
	{"winsvc list --json", "winsvc", []string{"list", "--json"}},
	{"rawsvc list-json", "raw", []string{"list-json"}},
}

// comparison is one row of the whole-process table: winsvc's case over
// the yardstick's. same says the two print the same bytes (checked by
// time before timing).
type comparison struct {
	label, winsvc, raw string
	same               bool
}

var comparisons = []comparison{
	{"process start-up (no SCM call)", "winsvc help", "rawsvc none", false},
	{"query state= all --json / encoding/json", "winsvc query state= all --json", "rawsvc query-json", true},
	{"query state= all --json / by hand", "winsvc query state= all --json", "rawsvc query-json-hand", true},
	{"list --names", "winsvc list --names", "rawsvc names", true},
	{"list / the same table", "winsvc list", "rawsvc list", true},
	{"list / names only (enumeration floor)", "winsvc list", "rawsvc names", false},
	{"list --json", "winsvc list --json", "rawsvc list-json", true},
}

func timeCmd(args []string) error {
	fs := flag.NewFlagSet("time", flag.ExitOnError)
	wine := fs.String("wine", "", "the Wine loader (wine64)")
	winsvcExe := fs.String("winsvc", "", "winsvc.exe")
	rawExe := fs.String("raw", "", "rawsvc.exe")
	n := fs.Int("n", 0, "the number of idle services (a label)")
	runs := fs.Int("runs", 5, "timed runs of each command")
	out := fs.String("out", "", "append the timings to this file")
	fs.Parse(args)
	if *wine == "" || *winsvcExe == "" || *rawExe == "" || *out == "" {
		return fmt.Errorf("time: -wine, -winsvc, -raw and -out are required")
	}
	tmp, err := os.MkdirTemp("", "benchreport-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	run := func(c processCase, stdout string) (time.Duration, error) {
		exe := *winsvcExe
		if c.exe == "raw" {
			exe = *rawExe
		}
		f, err := os.Create(stdout)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		cmd := exec.Command(*wine, append([]string{exe}, c.args...)...)
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = f, &stderr
		start := time.Now()
		err = cmd.Run()
		d := time.Since(start)
		if err != nil {
			return d, fmt.Errorf("%s: %v: %s", c.name, err, strings.TrimSpace(stderr.String()))
		}
		return d, nil
	}
	byName := map[string]processCase{}
	for _, c := range processCases {
		byName[c.name] = c
	}
	// The yardstick must print what winsvc prints.
	for _, cmp := range comparisons {
		if !cmp.same {
			continue
		}
		a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
		if _, err := run(byName[cmp.winsvc], a); err != nil {
			return err
		}
		if _, err := run(byName[cmp.raw], b); err != nil {
			return err
		}
		ab, _ := os.ReadFile(a)
		bb, _ := os.ReadFile(b)
		if !bytes.Equal(ab, bb) {
			return fmt.Errorf("%q and %q print different output (%d and %d bytes): the comparison would be unfair", cmp.winsvc, cmp.raw, len(ab), len(bb))
		}
		fmt.Fprintf(os.Stderr, "benchreport: %q and %q print the same %d bytes\n", cmp.winsvc, cmp.raw, len(ab))
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	times := map[string][]float64{}
	stdout := filepath.Join(tmp, "stdout")
	for r := 0; r < *runs; r++ {
		for i := range processCases {
			c := processCases[(i+r)%len(processCases)]
			d, err := run(c, stdout)
			if err != nil {
				return err
			}
			times[c.name] = append(times[c.name], d.Seconds())
			fmt.Fprintf(f, "%d\t%s\t%d\t%.6f\n", *n, c.name, r, d.Seconds())
		}
	}
	for _, c := range processCases {
		fmt.Fprintf(os.Stderr, "benchreport: N=%d %-34s min %8.1f ms  median %8.1f ms  (%d runs)\n",
			*n, c.name, 1000*slices.Min(times[c.name]), 1000*median(times[c.name]), len(times[c.name]))
	}
	return nil
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// benchLine matches a go test -bench result line.
var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op(.*)$`)

// benchResults maps a benchmark name (without the GOMAXPROCS suffix) to
// its ns/op, one per -count, and its other metrics (the last seen).
type benchResults struct {
	ns      map[string][]float64
	metrics map[string]map[string]float64   // the last run's
	all     map[string]map[string][]float64 // every run's
	order   []string
}

// median returns the median of metric unit of benchmark name over the
// runs; NaN when it has none.
func (r *benchResults) median(name, unit string) float64 {
	if r == nil || len(r.all[name][unit]) == 0 {
		return math.NaN()
	}
	return median(r.all[name][unit])
}

func readBench(path string) (*benchResults, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseBench(f)
}

func parseBench(in io.Reader) (*benchResults, error) {
	r := &benchResults{ns: map[string][]float64{}, metrics: map[string]map[string]float64{}, all: map[string]map[string][]float64{}}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		v, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			continue
		}
		if _, ok := r.ns[m[1]]; !ok {
			r.order = append(r.order, m[1])
			r.metrics[m[1]] = map[string]float64{}
			r.all[m[1]] = map[string][]float64{}
		}
		r.ns[m[1]] = append(r.ns[m[1]], v)
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			if x, err := strconv.ParseFloat(f[i], 64); err == nil {
				r.metrics[m[1]][f[i+1]] = x
				r.all[m[1]][f[i+1]] = append(r.all[m[1]][f[i+1]], x)
			}
		}
	}
	return r, sc.Err()
}

// ms formats nanoseconds as milliseconds with three significant digits.
func ms(ns float64) string {
	if math.IsNaN(ns) {
		return "–"
	}
	v := ns / 1e6
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3f", v)
}

func ratio(a, b float64) string {
	if math.IsNaN(a) || math.IsNaN(b) || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", a/b)
}

// filesByN returns prefix-N.txt files of dir, by N, with the Ns sorted.
func filesByN(dir, prefix string) (map[int]string, []int) {
	out := map[int]string{}
	var ns []int
	paths, _ := filepath.Glob(filepath.Join(dir, prefix+"-*.txt"))
	for _, p := range paths {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(p), prefix+"-"), ".txt"))
		if err == nil {
			out[n] = p
			ns = append(ns, n)
		}
	}
	sort.Ints(ns)
	return out, ns
}

func tableCmd(args []string) error {
	fs := flag.NewFlagSet("table", flag.ExitOnError)
	dir := fs.String("dir", "", "the results directory of bench.sh")
	fs.Parse(args)
	if *dir == "" {
		return fmt.Errorf("table: -dir is required")
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	if err := pairTables(w, *dir, "verbs", "BenchmarkVerb/", "Per verb: winsvc and the raw yardstick, median ms per operation"); err != nil {
		return err
	}
	if err := beforeAfterTable(w, *dir); err != nil {
		return err
	}
	if err := pairTables(w, *dir, "scale", "BenchmarkScale/", "Operations that could grow with N, median ms per operation"); err != nil {
		return err
	}
	if err := listReadTable(w, *dir); err != nil {
		return err
	}
	if err := processTable(w, filepath.Join(*dir, "process.tsv")); err != nil {
		return err
	}
	if err := applyTable(w, filepath.Join(*dir, "apply.txt"), filepath.Join(*dir, "before-apply.txt")); err != nil {
		return err
	}
	if err := hostTable(w, filepath.Join(*dir, "host.txt")); err != nil {
		return err
	}
	return nativeTable(w, filepath.Join(*dir, "native.txt"))
}

// applyTable prints desired state's BenchmarkApply500: an apply that
// changes nothing against the export of the same services, and one that
// changes every service against a raw loop making the same change; and
// the earlier revision's, when bench.sh measured one (beforePath).
func applyTable(w io.Writer, path, beforePath string) error {
	r, err := readBench(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	before, err := readBench(beforePath)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	writeApplyTable(w, r, before)
	return nil
}

// writeApplyTable writes the table of applyTable, each value the median
// of the runs; before may be nil.
func writeApplyTable(w io.Writer, r, before *benchResults) {
	const unchanged, changed = "BenchmarkApply500/unchanged-vs-export", "BenchmarkApply500/every-changed"
	if r.all[unchanged] == nil || r.all[changed] == nil {
		return
	}
	runs := len(r.ns[changed])
	fmt.Fprintf(w, "\n#### Desired state under Wine: 500 services (BenchmarkApply500, median of %d runs)\n", runs)
	fmt.Fprintln(w, "\n| operation | result |\n|---|---|")
	fmt.Fprintf(w, "| export | %.0f ms |\n| apply that changes nothing | %.0f ms (**%.2f×** the export) |\n",
		r.median(unchanged, "export-ms"), r.median(unchanged, "apply-ms"), r.median(unchanged, "apply/export"))
	perService := r.median(changed, "ms/service")
	fmt.Fprintf(w, "| apply that changes every service (its description) | **%.2f ms per service** |\n", perService)
	if raw := r.median(changed, "raw-ms/service"); !math.IsNaN(raw) {
		fmt.Fprintf(w, "| raw loop making the same change (OpenService + ChangeServiceConfig2, one service after another) | %.2f ms per service (the apply: **%.2f×**) |\n",
			raw, r.median(changed, "apply/raw"))
	}
	if b := before.median(changed, "ms/service"); !math.IsNaN(b) {
		fmt.Fprintf(w, "| the same apply, earlier revision (same run, %d runs alternating with the above) | %.2f ms per service (now **%.2f×** of it) |\n",
			len(before.ns[changed]), b, perService/b)
	}
}

// beforeAfterTable prints, when bench.sh measured an earlier revision's
// verbs too (before-verbs-N.txt), each of its verbs at each N: the
// earlier revision's median ms, raw's in its run and their ratio, then
// the same for the current revision (verbs-N.txt).
func beforeAfterTable(w io.Writer, dir string) error {
	befores, ns := filesByN(dir, "before-verbs")
	afters, _ := filesByN(dir, "verbs")
	var rows []string
	type pair struct{ before, after *benchResults }
	results := map[int]pair{}
	for _, n := range ns {
		if afters[n] == "" {
			continue
		}
		b, err := readBench(befores[n])
		if err != nil {
			return err
		}
		a, err := readBench(afters[n])
		if err != nil {
			return err
		}
		results[n] = pair{b, a}
		for _, name := range b.order {
			op, ok := strings.CutPrefix(name, "BenchmarkVerb/")
			if !ok {
				continue
			}
			op = op[:strings.LastIndex(op, "/")]
			if !slices.Contains(rows, op) {
				rows = append(rows, op)
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	fmt.Fprintln(w, "\n#### Before and after, in one run: per verb, median ms per operation and ratio to raw")
	fmt.Fprintln(w, "\n| operation | N | before | raw | ratio | after | raw | ratio |\n|---|---|---|---|---|---|---|---|")
	for _, op := range rows {
		for _, n := range ns {
			p, ok := results[n]
			if !ok {
				continue
			}
			get := func(r *benchResults, impl string) float64 { return median(r.ns["BenchmarkVerb/"+op+"/"+impl]) }
			bw, br, aw, ar := get(p.before, "winsvc"), get(p.before, "raw"), get(p.after, "winsvc"), get(p.after, "raw")
			fmt.Fprintf(w, "| %s | %d | %s | %s | **%s** | %s | %s | **%s** |\n", op, n, ms(bw), ms(br), ratio(bw, br), ms(aw), ms(ar), ratio(aw, ar))
		}
	}
	return nil
}

// listReadTable prints, from listread-N.txt (internal/cli's
// BenchmarkListRead), list --json run in process at each N: reading the
// configurations through the pool, through one reader (the earlier way),
// and export of the same services, each the median of the runs; and the
// two goals at N = 5,000 and above, pooled at most 0.6x the sequential
// read and within 1.2x of export, as the median of the ratios each run
// measured side by side. Then how each grew between consecutive sizes.
func listReadTable(w io.Writer, dir string) error {
	files, ns := filesByN(dir, "listread")
	type row struct {
		n        int
		services float64
		pooled   float64
		seq      float64
		export   float64
		runs     int
		perSeq   float64
		perExp   float64
	}
	var rows []row
	const name = "BenchmarkListRead"
	for _, n := range ns {
		r, err := readBench(files[n])
		if err != nil {
			return err
		}
		if r.all[name] == nil {
			continue
		}
		rows = append(rows, row{n: n, services: r.median(name, "services"), pooled: r.median(name, "pooled-ms"),
			seq: r.median(name, "sequential-ms"), export: r.median(name, "export-ms"), runs: len(r.ns[name]),
			perSeq: r.median(name, "pooled/sequential"), perExp: r.median(name, "pooled/export")})
	}
	if len(rows) == 0 {
		return nil
	}
	// The goals are set at N = 5,000: among a few services the pool has
	// little to overlap.
	goal := func(n int, ok bool) string {
		if n < 5000 {
			return "–"
		}
		return met(ok)
	}
	fmt.Fprintln(w, "\n#### list --json, in process (BenchmarkListRead: the same services read by the pool, by one reader, and by export), median ms of the runs")
	fmt.Fprintln(w, "\n| N | services | runs | list --json (pool) | list --json (one reader) | export | pool / one reader | ≤ 0.6 at N ≥ 5,000 | pool / export | ≤ 1.2 at N ≥ 5,000 |\n|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %d | %.0f | %d | %.0f | %.0f | %.0f | **%.2f** | %s | **%.2f** | %s |\n", r.n, r.services, r.runs,
			r.pooled, r.seq, r.export, r.perSeq, goal(r.n, r.perSeq <= 0.6), r.perExp, goal(r.n, r.perExp <= 1.2))
	}
	if len(rows) < 2 {
		return nil
	}
	fmt.Fprintln(w, "\nGrowth with N, in ms per 1,000 more services between consecutive sizes:")
	fmt.Fprintln(w, "\n| N | list --json (pool) | list --json (one reader) | export |\n|---|---|---|---|")
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		k := 1000 / (b.services - a.services)
		fmt.Fprintf(w, "| %d→%d | %.0f | %.0f | %.0f |\n", a.n, b.n, k*(b.pooled-a.pooled), k*(b.seq-a.seq), k*(b.export-a.export))
	}
	return nil
}

// met says whether a goal is met, as the tables show it.
func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// hostTable prints the program host's BenchmarkHost: each measure with
// the host and without it, the host's cost, the goal and whether it is met.
func hostTable(w io.Writer, path string) error {
	r, err := readBench(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	writeHostTable(w, r)
	return nil
}

func writeHostTable(w io.Writer, r *benchResults) {
	if r.metrics["BenchmarkHost/start/hosted"] == nil {
		return
	}
	// The median of the runs (-count): ms of a start, MB/s of the output
	// (16 MiB an operation); the private bytes of the last run.
	startMS := func(name string) float64 { return median(r.ns["BenchmarkHost/"+name]) / 1e6 }
	rate := func(name string) float64 { return 16 << 20 / (median(r.ns["BenchmarkHost/"+name]) / 1e9) / 1e6 }
	mb := func(name string) float64 { return r.metrics["BenchmarkHost/"+name]["private-MB"] }
	fmt.Fprintln(w, "\n#### The program host (BenchmarkHost, median of the runs)")
	fmt.Fprintln(w, "\n| measure | without the host | hosted | the host's cost | goal | met |\n|---|---|---|---|---|---|")
	d, h := startMS("start/direct"), startMS("start/hosted")
	fmt.Fprintf(w, "| start until the program's first line of output | %.1f ms | %.1f ms | %+.1f ms | ≤ 20 ms added | %s |\n", d, h, h-d, met(h-d <= 20))
	d, h = startMS("scm-start/direct"), startMS("scm-start/hosted")
	fmt.Fprintf(w, "| StartService until RUNNING (a Go service; the program hosted) | %.1f ms | %.1f ms | %+.1f ms | | |\n", d, h, h-d)
	output := func(what, name string) {
		d, h := rate("output/direct"), rate(name)
		fmt.Fprintf(w, "| output of 16 MiB to %s | %.1f MB/s | %.1f MB/s | %.0f%% of the rate | ≥ 80%% | %s |\n", what, d, h, 100*h/d, met(h >= 0.8*d))
	}
	output("a file", "output/hosted")
	if r.ns["BenchmarkHost/output/rotated"] != nil {
		output("a rotated file (copied by the host)", "output/rotated")
	}
	d, h = mb("idle/program"), mb("idle/host")
	fmt.Fprintf(w, "| private bytes, idle (the program: a small Go program) | %.1f MB | %.1f MB | | ≤ 12 MB | %s |\n", d, h, met(h <= 12))
}

// pairTables prints, from prefix-N.txt files, one row per operation with
// winsvc's and raw's median at each N and their ratio, then how each grew
// from the smallest N to the largest.
func pairTables(w io.Writer, dir, prefix, bench, title string) error {
	files, ns := filesByN(dir, prefix)
	if len(ns) == 0 {
		return nil
	}
	results := map[int]*benchResults{}
	var ops []string
	services := map[int]float64{}
	for _, n := range ns {
		r, err := readBench(files[n])
		if err != nil {
			return err
		}
		results[n] = r
		for _, name := range r.order {
			if !strings.HasPrefix(name, bench) {
				continue
			}
			op := strings.TrimPrefix(name, bench)
			op = op[:strings.LastIndex(op, "/")]
			if !slices.Contains(ops, op) {
				ops = append(ops, op)
			}
			if s, ok := r.metrics[name]["services"]; ok {
				services[n] = s
			}
		}
	}
	get := func(n int, op, impl string) float64 { return median(results[n].ns[bench+op+"/"+impl]) }
	fmt.Fprintf(w, "\n#### %s\n\n| operation |", title)
	for _, n := range ns {
		fmt.Fprintf(w, " N=%d winsvc | raw | ratio |", n)
	}
	fmt.Fprint(w, "\n|---|")
	for range ns {
		fmt.Fprint(w, "---|---|---|")
	}
	fmt.Fprintln(w)
	for _, op := range ops {
		fmt.Fprintf(w, "| %s |", op)
		for _, n := range ns {
			a, b := get(n, op, "winsvc"), get(n, op, "raw")
			fmt.Fprintf(w, " %s | %s | **%s** |", ms(a), ms(b), ratio(a, b))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprint(w, "\nServices in the SCM during each run:")
	for _, n := range ns {
		fmt.Fprintf(w, " N=%d: %.0f;", n, services[n])
	}
	fmt.Fprintln(w)
	if len(ns) < 2 {
		return nil
	}
	// A cost linear in N grows by the same amount per service between
	// any two sizes; a quadratic one by more between the larger ones.
	fmt.Fprint(w, "\nGrowth with N, in ms per 1,000 more services between consecutive sizes (linear: the same in every column):\n\n| operation |")
	for _, impl := range []string{"winsvc", "raw"} {
		for i := 1; i < len(ns); i++ {
			fmt.Fprintf(w, " %s %d→%d |", impl, ns[i-1], ns[i])
		}
	}
	fmt.Fprint(w, "\n|---|")
	for i := 1; i < 2*len(ns)-1; i++ {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for _, op := range ops {
		fmt.Fprintf(w, "| %s |", op)
		for _, impl := range []string{"winsvc", "raw"} {
			for i := 1; i < len(ns); i++ {
				a, b := get(ns[i-1], op, impl), get(ns[i], op, impl)
				fmt.Fprintf(w, " %s |", ms((b-a)/(services[ns[i]]-services[ns[i-1]])*1000))
			}
		}
		fmt.Fprintln(w)
	}
	return nil
}

// processTable prints the whole-process comparisons of process.tsv.
func processTable(w io.Writer, path string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	times := map[int]map[string][]float64{}
	var ns []int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 4 {
			continue
		}
		n, err1 := strconv.Atoi(p[0])
		s, err2 := strconv.ParseFloat(p[3], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		if times[n] == nil {
			times[n] = map[string][]float64{}
			ns = append(ns, n)
		}
		times[n][p[1]] = append(times[n][p[1]], s*1e9)
	}
	sort.Ints(ns)
	fmt.Fprintln(w, "\n#### Whole processes under Wine: winsvc over the raw program, min and median ms of the runs")
	for _, n := range ns {
		runs := 0
		for _, v := range times[n] {
			runs = max(runs, len(v))
		}
		fmt.Fprintf(w, "\nN=%d idle services (%d runs each, interleaved):\n\n", n, runs)
		fmt.Fprintln(w, "| comparison | winsvc min / median | raw min / median | ratio of medians | ratio of minima |\n|---|---|---|---|---|")
		for _, c := range comparisons {
			a, b := times[n][c.winsvc], times[n][c.raw]
			if len(a) == 0 || len(b) == 0 {
				continue
			}
			fmt.Fprintf(w, "| %s | %s / %s | %s / %s | **%s** | %s |\n", c.label, ms(slices.Min(a)), ms(median(a)),
				ms(slices.Min(b)), ms(median(b)), ratio(median(a), median(b)), ratio(slices.Min(a), slices.Min(b)))
		}
	}
	if len(ns) >= 2 {
		lo, hi := ns[0], ns[len(ns)-1]
		fmt.Fprintf(w, "\nGrowth from N=%d to N=%d, time at N=%d over time at N=%d (start-up included; all of it linear in N would be %.1f):\n\n",
			lo, hi, hi, lo, float64(hi)/float64(max(lo, 1)))
		fmt.Fprintln(w, "| command | growth of the minimum | growth of the median |\n|---|---|---|")
		for _, c := range processCases {
			a, b := times[lo][c.name], times[hi][c.name]
			if len(a) == 0 || len(b) == 0 {
				continue
			}
			fmt.Fprintf(w, "| %s | %s | %s |\n", c.name, ratio(slices.Min(b), slices.Min(a)), ratio(median(b), median(a)))
		}
	}
	return sc.Err()
}

// writeSaveCallsTable prints BenchmarkSaveCalls: the SCM calls of one
// Save, for each SCM and setting, among 0 and 1,000 other services.
func writeSaveCallsTable(w io.Writer, r *benchResults) {
	saves := saveCallRows(r)
	if len(saves) == 0 {
		return
	}
	fmt.Fprintln(w, "\n#### Natively: SCM calls per Save of one setting (in-memory SCM)")
	fmt.Fprintln(w, "\n| SCM, setting | extra=0 | extra=1000 |\n|---|---|---|")
	for _, row := range saves {
		fmt.Fprintf(w, "| %s | %.0f | %.0f |\n", row, r.metrics["BenchmarkSaveCalls/"+row+"/extra=0"]["calls/op"],
			r.metrics["BenchmarkSaveCalls/"+row+"/extra=1000"]["calls/op"])
	}
}

// saveCallRows lists the cases of BenchmarkSaveCalls in r ("wine/description"),
// in the order of the run.
func saveCallRows(r *benchResults) []string {
	var out []string
	for _, name := range r.order {
		if rest, ok := strings.CutPrefix(name, "BenchmarkSaveCalls/"); ok {
			if row, ok := strings.CutSuffix(rest, "/extra=0"); ok {
				out = append(out, row)
			}
		}
	}
	return out
}

// nativeTable prints the native benchmarks: formatting, the SCM calls of a
// Save, and the dependency computations at 1,000 and 5,000 dependents.
func nativeTable(w io.Writer, path string) error {
	r, err := readBench(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\n#### Natively: formatting 2,000 services (the CLI's code and the yardstick's), median")
	fmt.Fprintln(w, "\n| output | winsvc ms | raw (encoding/json) ms | raw by hand ms | winsvc / raw |\n|---|---|---|---|---|")
	for _, mode := range []string{"query-json", "list-json", "list", "names"} {
		a := median(r.ns["BenchmarkFormat/"+mode+"/winsvc"])
		b := median(r.ns["BenchmarkFormat/"+mode+"/raw"])
		h := median(r.ns["BenchmarkFormat/"+mode+"/raw-hand"])
		fmt.Fprintf(w, "| %s | %s | %s | %s | **%s** |\n", mode, ms(a), ms(b), ms(h), ratio(a, b))
	}
	writeSaveCallsTable(w, r)
	fmt.Fprintln(w, "\n#### Natively: dependency computations on the in-memory SCM (Wine's quirks), median µs per dependent")
	fmt.Fprintln(w, "\n| operation | shape | n=1,000 | n=5,000 | growth per service (1 = linear) |\n|---|---|---|---|---|")
	for _, op := range []string{"DependencyTree", "Restart"} {
		for _, shape := range []string{"fan", "chain"} {
			a := median(r.ns[fmt.Sprintf("BenchmarkDependencyScale/%s/%s/n=1000", op, shape)]) / 1000
			b := median(r.ns[fmt.Sprintf("BenchmarkDependencyScale/%s/%s/n=5000", op, shape)]) / 5000
			fmt.Fprintf(w, "| %s | %s | %.2f | %.2f | **%s** |\n", op, shape, a/1e3, b/1e3, ratio(b, a))
		}
	}
	return nil
}
