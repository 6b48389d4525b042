//go:build windows

package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/benchraw"
	"github.com/winsvc/winsvc/internal/testbed"
)

// cliCases are the whole-process comparisons of scripts/bench.sh, run here
// in one process against the real SCM: the winsvc command line, and the
// rawsvc mode that prints the same bytes.
var cliCases = []struct {
	name string
	args []string
	raw  string
}{
	{"query-json", []string{"query", "state=", "all", "--json"}, "query-json"},
	{"names", []string{"list", "--names"}, "names"},
	{"list", []string{"list"}, "list"},
	{"list-json", []string{"list", "--json"}, "list-json"},
}

// BenchmarkCLI runs the verbs of the whole-process comparisons in-process,
// among however many services the SCM holds (scripts/bench.sh creates
// them), writing to a file as a redirected stdout is: the time of the
// verb without the process start-up. It is what scripts/bench.sh profiles
// (-cpuprofile) to find where the CLI's time goes. "raw" is
// internal/benchraw.Run, the code of rawsvc.
func BenchmarkCLI(b *testing.B) {
	out, err := os.Create(filepath.Join(testbed.TempDir(b), "stdout"))
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	n := countServices(b)
	for _, c := range cliCases {
		impls := map[string]func() error{
			"raw": func() error { return benchraw.Run(out, c.raw) },
			"winsvc": func() error {
				f := NewFactory()
				f.IO = &IOStreams{In: strings.NewReader(""), Out: out, ErrOut: io.Discard}
				if code := Run(context.Background(), f, c.args); code != 0 {
					b.Fatalf("winsvc %s: exit %d", strings.Join(c.args, " "), code)
				}
				return nil
			},
		}
		for _, impl := range []string{"raw", "winsvc"} {
			b.Run(c.name+"/"+impl, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := out.Seek(0, io.SeekStart); err != nil {
						b.Fatal(err)
					}
					if err := impls[impl](); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n), "services")
			})
		}
	}
}

// countServices returns how many services of every type the SCM lists.
func countServices(tb testing.TB) int {
	m, err := winsvc.Connect()
	if err != nil {
		tb.Fatal(err)
	}
	defer m.Close()
	all, err := m.QueryAll(context.Background(), winsvc.QueryFilter{Types: winsvc.TypesAll})
	if err != nil {
		tb.Fatal(err)
	}
	return len(all)
}
