package graphdraw

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/winsvc/winsvc"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// hostile is a display name with everything either language could take for
// syntax: quotes, backslashes (\N is the node's name in a DOT label), HTML,
// entity starts, Markdown's backquote, Mermaid's reserved words and the
// characters its preprocessing reads, a control character, and non-ASCII.
const hostile = "My \"App\" \\N C:\\Apps <b>#1;</b> & `md` end style: 100%% %%{init}%% \x07 ütf-8 ✓ 日本"

func ptr[T any](v T) *T { return &v }

// sample is a graph with every kind of node and edge: a root, every state,
// a delayed start, a missing service, a missing group, an unreadable
// configuration, a cycle (Cache <-> Db), group and member edges, and the
// names of Mermaid's keywords.
func sample() *winsvc.Graph {
	return &winsvc.Graph{
		Nodes: []winsvc.GraphNode{
			{Name: "App", Root: true, DisplayName: hostile, State: winsvc.Running, StartType: ptr(winsvc.AutoStart), DelayedAutoStart: true}, // 0
			{Name: "Cache", State: winsvc.Paused, StartType: ptr(winsvc.DemandStart)},                                                        // 1
			{Name: "Db", DisplayName: "Database", State: winsvc.StartPending, StartType: ptr(winsvc.AutoStart)},                              // 2
			{Name: "end", DisplayName: "subgraph", State: winsvc.Stopped, StartType: ptr(winsvc.Disabled)},                                   // 3
			{Name: "Ghost", Missing: true},                                        // 4
			{Name: "Locked", State: winsvc.Running, Error: "ERROR_ACCESS_DENIED"}, // 5
			{Name: "Web`:%#", StartType: ptr(winsvc.DemandStart)},                 // 6
			{Name: "Empty", Group: true, Missing: true},                           // 7
			{Name: "Storage", Group: true},                                        // 8
		},
		Edges: []winsvc.GraphEdge{
			{From: 0, To: 1, Kind: winsvc.EdgeService},
			{From: 0, To: 4, Kind: winsvc.EdgeService},
			{From: 0, To: 8, Kind: winsvc.EdgeGroup},
			{From: 1, To: 2, Kind: winsvc.EdgeService, Cycle: true},
			{From: 2, To: 1, Kind: winsvc.EdgeService, Cycle: true},
			{From: 3, To: 7, Kind: winsvc.EdgeGroup},
			{From: 6, To: 0, Kind: winsvc.EdgeService},
			{From: 6, To: 5, Kind: winsvc.EdgeService},
			{From: 8, To: 2, Kind: winsvc.EdgeMember},
			{From: 8, To: 3, Kind: winsvc.EdgeMember},
		},
		Cycles: [][]int{{1, 2, 1}},
	}
}

// plain is a graph with no cycle, no root and no group: the legend shows
// only what it uses.
func plain() *winsvc.Graph {
	return &winsvc.Graph{
		Nodes: []winsvc.GraphNode{
			{Name: "A", State: winsvc.Running, StartType: ptr(winsvc.AutoStart)},
			{Name: "B", State: winsvc.Running, StartType: ptr(winsvc.AutoStart)},
		},
		Edges: []winsvc.GraphEdge{{From: 0, To: 1, Kind: winsvc.EdgeService}},
	}
}

// drawings are the renderers, by the extension of their golden files.
var drawings = map[string]func(w *bytes.Buffer, g *winsvc.Graph) error{
	"dot": func(w *bytes.Buffer, g *winsvc.Graph) error { return DOT(w, g) },
	"mmd": func(w *bytes.Buffer, g *winsvc.Graph) error { return Mermaid(w, g) },
}

// graphs are the graphs drawn in every test, by name.
var graphs = map[string]func() *winsvc.Graph{"sample": sample, "plain": plain, "empty": func() *winsvc.Graph { return &winsvc.Graph{} }}

// draw renders g with the renderer of ext.
func draw(t *testing.T, ext string, g *winsvc.Graph) string {
	t.Helper()
	var b bytes.Buffer
	if err := drawings[ext](&b, g); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	for name, g := range graphs {
		for ext := range drawings {
			file := filepath.Join("testdata", name+"."+ext)
			got := draw(t, ext, g())
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs (go test -update rewrites it):\n%s", file, got)
			}
		}
	}
}

// A writer's error is returned.
func TestWriteError(t *testing.T) {
	for _, f := range []func() error{
		func() error { return DOT(failWriter{}, sample()) },
		func() error { return Mermaid(failWriter{}, sample()) },
	} {
		if err := f(); err != os.ErrClosed {
			t.Errorf("error %v, want the writer's", err)
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }
