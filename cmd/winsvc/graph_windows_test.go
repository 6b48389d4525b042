//go:build windows

package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/internal/testbed"
)

// TestGraph draws a chain of real services: A depends on B, which depends
// on the group G whose member C runs; D depends on A.
func TestGraph(t *testing.T) {
	group := testbed.UniqueName(t, "grp")
	c, _ := newService(t, "normal", "group=", group)
	b, _ := newService(t, "normal", "depend=", "+"+group)
	a, _ := newService(t, "normal", "depend=", b)
	d, _ := newService(t, "normal", "depend=", a)
	winsvc(t, "start", c).ok(t, 0, "RUNNING")

	var g struct {
		Nodes []struct {
			Name, State string
			Group, Root bool
		}
		Edges []struct {
			From, To int
			Kind     string
		}
		Cycles [][]int
	}
	r := winsvc(t, "graph", a, "--json")
	r.ok(t, 0)
	r.decode(t, &g)
	name := func(i int) string {
		if g.Nodes[i].Group {
			return "+" + g.Nodes[i].Name
		}
		return g.Nodes[i].Name
	}
	var edges []string
	for _, e := range g.Edges {
		edges = append(edges, name(e.From)+">"+name(e.To)+" "+e.Kind)
	}
	slices.Sort(edges)
	want := []string{a + ">" + b + " service", b + ">+" + group + " group", d + ">" + a + " service", "+" + group + ">" + c + " member"}
	slices.Sort(want)
	if !slices.Equal(edges, want) || len(g.Cycles) != 0 {
		t.Errorf("edges %q, cycles %v; want %q", edges, g.Cycles, want)
	}
	for _, n := range g.Nodes {
		wantState := map[string]string{a: "STOPPED", b: "STOPPED", c: "RUNNING", d: "STOPPED"}[n.Name]
		if n.State != wantState || n.Root != (n.Name == a) {
			t.Errorf("node %+v: want state %q, root %v", n, wantState, n.Name == a)
		}
	}

	winsvc(t, "graph", a, "--format", "mermaid").ok(t, 0, "flowchart LR", a, b, c, d, group)
	winsvc(t, "EnumDepend", a, "--graph", "dot").ok(t, 0, "digraph dependencies", a, b, c, d, group)
	out := winsvc(t, "graph", a, "--direction", "depends", "--depth", "1").ok(t, 0, a, b)
	if strings.Contains(out, d) || strings.Contains(out, c) {
		t.Errorf("graph --direction depends --depth 1 shows more than A and B:\n%s", out)
	}
	// svg needs Graphviz's dot for Windows, which a Wine prefix lacks.
	r = winsvc(t, "graph", a, "--format", "svg")
	switch {
	case r.code == 0:
		r.ok(t, 0, "<svg")
	case r.code == 50:
		if !strings.Contains(r.stderr, "install Graphviz (https://graphviz.org/download/) or use --format dot") {
			t.Errorf("graph --format svg without Graphviz: %q", r.stderr)
		}
		t.Logf("Graphviz's dot is not installed here: graph --format svg exits 50, as it should")
	default:
		t.Errorf("graph --format svg: exit %d: %s", r.code, r.stderr)
	}
}
