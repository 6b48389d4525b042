package cli

import (
	"bytes"
	"context"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
)

// dependencyChain adds to the fake, before the case: Db (stopped) in the
// load-order group Storage; App (running), which depends on +Storage, on
// Top and on Ghost (not installed); Web (stopped), which depends on App.
func dependencyChain(conn SCM) SCM {
	ctx := context.Background()
	for _, f := range []struct {
		def   winsvc.Definition
		start bool
	}{
		{winsvc.Definition{Name: "Db", DisplayName: "Database", CommandLine: `C:\app\db.exe`, LoadOrderGroup: winsvc.Ptr("Storage")}, false},
		{winsvc.Definition{Name: "App", DisplayName: `The "App"`, CommandLine: `C:\app\app.exe`, Dependencies: []winsvc.Dependency{
			winsvc.GroupDependency("Storage"), winsvc.ServiceDependency("Top"), winsvc.ServiceDependency("Ghost")}}, true},
		{winsvc.Definition{Name: "Web", CommandLine: `C:\app\web.exe`, Dependencies: []winsvc.Dependency{winsvc.ServiceDependency("App")}}, false},
	} {
		svc, err := conn.New(f.def)
		if err == nil {
			_, err = svc.Save(ctx, winsvc.SaveOptions{})
		}
		if err == nil && f.start {
			// Ghost is not installed: the in-memory SCM starts App all
			// the same (it checks no dependency), as the case needs.
			err = svc.Start(ctx)
		}
		if err != nil {
			panic(err)
		}
	}
	return conn
}

// cyclic stands for an SCM whose registry was edited into a cycle (no SCM
// stores one): A -> B -> A, C -> A.
func cyclic(conn SCM) SCM { return cyclicConn{conn} }

type cyclicConn struct{ SCM }

func (cyclicConn) DependencyGraph(ctx context.Context, o winsvc.GraphOptions) (*winsvc.Graph, error) {
	demand := winsvc.DemandStart
	return &winsvc.Graph{
		Nodes: []winsvc.GraphNode{
			{Name: "A", Root: true, State: winsvc.Running, StartType: &demand},
			{Name: "B", State: winsvc.Stopped, StartType: &demand},
			{Name: "C", State: winsvc.Stopped, StartType: &demand},
		},
		Edges: []winsvc.GraphEdge{
			{From: 0, To: 1, Kind: winsvc.EdgeService, Cycle: true},
			{From: 1, To: 0, Kind: winsvc.EdgeService, Cycle: true},
			{From: 2, To: 0, Kind: winsvc.EdgeService},
		},
		Cycles: [][]int{{0, 1, 0}},
	}, nil
}

// With Graphviz installed, --format svg writes dot's SVG of the DOT that
// --format dot writes.
func TestGraphSVG(t *testing.T) {
	if _, err := exec.LookPath("dot"); err != nil {
		t.Skipf("Graphviz's dot is not installed (%v): %s, to run graph --format svg", err, installDot())
	}
	m := newFake(t)
	var out, errOut bytes.Buffer
	f := &Factory{IO: &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Connect: func(string) (SCM, error) { return keepOpen{m, new(int)}, nil }, Getenv: func(string) string { return "" }}
	if code := Run(context.Background(), f, []string{"graph", "Top", "--format", "svg"}); code != 0 || errOut.Len() > 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if s := out.String(); !strings.HasPrefix(s, "<?xml") || !strings.Contains(s, "<svg") || !strings.Contains(s, ">Top</text>") {
		t.Errorf("not an SVG of Top's graph:\n%.400s", s)
	}
}

// On Windows, dot is looked for on PATH, then in Graphviz's install folder
// under each Program Files folder; elsewhere on PATH only.
func TestDotCandidates(t *testing.T) {
	env := map[string]string{"ProgramFiles": `C:\Program Files`, "ProgramW6432": `C:\Program Files\`, "ProgramFiles(x86)": `C:\Program Files (x86)`}
	got := dotCandidates("windows", func(k string) string { return env[k] })
	want := []string{"dot", `C:\Program Files\Graphviz\bin\dot.exe`, `C:\Program Files (x86)\Graphviz\bin\dot.exe`}
	if !slices.Equal(got, want) {
		t.Errorf("windows: %q, want %q", got, want)
	}
	if got := dotCandidates("linux", func(k string) string { return env[k] }); !slices.Equal(got, []string{"dot"}) {
		t.Errorf("linux: %q", got)
	}
	if got := dotCandidates("windows", func(string) string { return "" }); !slices.Equal(got, []string{"dot"}) {
		t.Errorf("windows without Program Files: %q", got)
	}
}

// Where dot is missing, svg fails with 50 before anything is read, naming
// where it looked and what to do.
func TestGraphSVGWithoutGraphviz(t *testing.T) {
	connected := false
	var errOut bytes.Buffer
	f := &Factory{IO: &IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &errOut},
		Connect:  func(string) (SCM, error) { connected = true; return nil, nil },
		Getenv:   func(string) string { return `C:\PF` },
		LookPath: func(string) (string, error) { return "", exec.ErrNotFound }}
	code := Run(context.Background(), f, []string{"graph", "--format", "svg"})
	if code != exitUnsupported || connected {
		t.Errorf("exit %d, connected %v; want 50 and no connection", code, connected)
	}
	for _, want := range []string{"install Graphviz (https://graphviz.org/download/) or use --format dot", "not on PATH"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr %q lacks %q", errOut.String(), want)
		}
	}
}

// installDot says how to get Graphviz's dot where the tests run.
func installDot() string {
	if runtime.GOOS == "windows" {
		return "install Graphviz for Windows (https://graphviz.org/download/; under Wine, the native run checks this with Debian's graphviz)"
	}
	return "install the graphviz package (scripts/test.sh does)"
}

// A huge value of an option is not echoed whole.
func TestGraphOptionValueCut(t *testing.T) {
	for _, opt := range []string{"--format", "--direction", "--depth"} {
		_, code, _, stderr := runFake(t, runCase{args: []string{"graph", opt, strings.Repeat("x", 100000)}})
		if code != exitUsage || len(stderr) > 300 || !strings.Contains(stderr, `"xxxxxxxxxx`) {
			t.Errorf("%s: exit %d, %d bytes of error: %.300s", opt, code, len(stderr), stderr)
		}
	}
}
