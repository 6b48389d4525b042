//go:build windows

package winsvc

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/internal/testbed"
)

// The graph of a chain of real services, both ways: A depends on B, which
// depends on the group G whose member is C; D depends on A. C runs, the
// others are stopped. The edges, states and start types are checked
// against the registry and the SCM's status read with x/sys alone.
func TestDependencyGraphAgainstSCM(t *testing.T) {
	ctx := context.Background()
	m := scmForTest(t)
	group := testbed.UniqueName(t, "grp")
	c := serviceForTest(t, m)
	c.Apply(Definition{LoadOrderGroup: Ptr(group)})
	if _, err := c.Save(ctx, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	b := serviceForTest(t, m, GroupDependency(group))
	a := serviceForTest(t, m, ServiceDependency(b.Name()))
	d := serviceForTest(t, m, ServiceDependency(a.Name()))
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	g, err := m.DependencyGraph(ctx, GraphOptions{Roots: []string{a.Name()}})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{a.Name(), b.Name(), c.Name(), d.Name()}

	// The nodes: the four services and the group, A the root.
	var got []string
	for _, n := range g.Nodes {
		got = append(got, nodeText(n))
	}
	want := []string{a.Name() + "*", b.Name(), c.Name(), d.Name(), "+" + group} // A is the root
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("nodes %q, want %q", got, want)
	}

	// The edges: as the registry says, and the group's membership.
	var edges, wantEdges []string
	for _, e := range g.Edges {
		edges = append(edges, nodeText(g.Nodes[e.From])+">"+nodeText(g.Nodes[e.To])+" "+string(e.Kind))
		if e.Cycle {
			t.Errorf("edge %+v marked as a cycle", e)
		}
	}
	for _, n := range names {
		reg := testbed.ServiceRegistry(t, n)
		from := n
		if n == a.Name() {
			from += "*"
		}
		for _, dep := range multiSz(reg["DependOnService"]) {
			to := dep
			if strings.EqualFold(dep, a.Name()) {
				to = a.Name() + "*"
			}
			wantEdges = append(wantEdges, from+">"+to+" service")
		}
		for _, dep := range multiSz(reg["DependOnGroup"]) {
			wantEdges = append(wantEdges, from+">+"+dep+" group")
		}
		if reg["Group"] == group {
			wantEdges = append(wantEdges, "+"+group+">"+from+" member")
		}
		// The state and the start type, as the SCM and the registry say.
		st := testbed.QueryStatus(t, n)
		i := slices.IndexFunc(g.Nodes, func(gn GraphNode) bool { return gn.Name == n })
		node := g.Nodes[i]
		if uint32(node.State) != uint32(st.State) || node.StartType == nil || reg["Start"] != fmt.Sprint(uint32(*node.StartType)) {
			t.Errorf("%s: state %v, start type %v; the SCM says state %d, the registry start %s", n, node.State, node.StartType, st.State, reg["Start"])
		}
	}
	slices.Sort(edges)
	slices.Sort(wantEdges)
	if !slices.Equal(edges, wantEdges) {
		t.Errorf("edges %q\nthe registry says %q", edges, wantEdges)
	}
	if len(wantEdges) != 4 {
		t.Errorf("the registry shows %d edges, want A>B, B>+G, +G>C, D>A: %q", len(wantEdges), wantEdges)
	}
	if running := g.Nodes[slices.IndexFunc(g.Nodes, func(gn GraphNode) bool { return gn.Name == c.Name() })]; running.State != Running {
		t.Errorf("C is %v, want RUNNING", running.State)
	}

	// One way only: what A depends on leaves D out; what depends on A is
	// D alone.
	up, err := m.DependencyGraph(ctx, GraphOptions{Roots: []string{a.Name()}, Direction: DirectionDependsOn})
	if err != nil || len(up.Nodes) != 4 || slices.ContainsFunc(up.Nodes, func(gn GraphNode) bool { return gn.Name == d.Name() }) {
		t.Errorf("depends on: %+v, %v", up, err)
	}
	down, err := m.DependencyGraph(ctx, GraphOptions{Roots: []string{a.Name()}, Direction: DirectionDependents})
	if err != nil || len(down.Nodes) != 2 || len(down.Edges) != 1 {
		t.Errorf("dependents: %+v, %v", down, err)
	}
}

// nodeText names a node: "+" for a group, "*" after a root.
func nodeText(n GraphNode) string {
	s := n.Name
	if n.Group {
		s = "+" + s
	}
	if n.Root {
		s += "*"
	}
	return s
}

// multiSz reads a REG_MULTI_SZ as testbed.ServiceRegistry renders it:
// "[a|b]", "" when absent.
func multiSz(v string) []string {
	v = strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")
	if v == "" {
		return nil
	}
	return strings.Split(v, "|")
}
