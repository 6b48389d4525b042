package winsvc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// describe writes a Graph compactly: the nodes ("+" for a group, "*" for a
// root, "!missing", "!error"), then the edges ("A>B", "A>+G", "+G>C"; "!"
// marks one on a cycle), then the cycles.
func describe(g *Graph) string {
	name := func(i int) string {
		if g.Nodes[i].Group {
			return "+" + g.Nodes[i].Name
		}
		return g.Nodes[i].Name
	}
	var nodes, edges, cycles []string
	for i, n := range g.Nodes {
		s := name(i)
		if n.Root {
			s += "*"
		}
		if n.Missing {
			s += "!missing"
		}
		if n.Error != "" {
			s += "!error"
		}
		nodes = append(nodes, s)
	}
	for _, e := range g.Edges {
		s := name(e.From) + ">" + name(e.To)
		if e.Cycle {
			s += "!"
		}
		if want := map[bool]EdgeKind{false: EdgeService, true: EdgeGroup}[g.Nodes[e.To].Group]; g.Nodes[e.From].Group && e.Kind != EdgeMember ||
			!g.Nodes[e.From].Group && e.Kind != want {
			s += "?" + string(e.Kind) // a kind that does not fit its ends
		}
		edges = append(edges, s)
	}
	for _, c := range g.Cycles {
		var path []string
		for _, i := range c {
			path = append(path, name(i))
		}
		cycles = append(cycles, strings.Join(path, ">"))
	}
	out := strings.Join(nodes, " ") + " | " + strings.Join(edges, " ")
	if len(cycles) > 0 {
		out += " | " + strings.Join(cycles, ", ")
	}
	return out
}

func TestGraphDirections(t *testing.T) {
	// Web -> App -> Db -> Disk (in group Storage); App -> +Net (NetA, NetB);
	// NetB -> +Empty (no member); App -> Ghost (not installed);
	// Client -> +Net; Backup -> +Storage; Lone has no edge.
	g := graphOf(map[string][]string{
		"Web":    {"App"},
		"App":    {"Db", "+Net", "Ghost"},
		"Db":     {"Disk"},
		"Disk":   {},
		"NetA":   {},
		"NetB":   {"+Empty"},
		"Client": {"+Net"},
		"Backup": {"+storage"},
		"Lone":   {},
	}, map[string]string{"NetA": "Net", "NetB": "Net", "Disk": "Storage"})
	tests := []struct {
		roots []string
		dir   Direction
		depth int
		want  string
	}{
		{[]string{"App"}, DirectionDependsOn, 0,
			"App* Db Disk Ghost!missing NetA NetB +Empty!missing +Net | App>Db App>Ghost App>+Net Db>Disk NetB>+Empty +Net>NetA +Net>NetB"},
		{[]string{"App"}, DirectionDependsOn, 1, "App* Db Ghost!missing +Net | App>Db App>Ghost App>+Net"},
		{[]string{"App"}, DirectionDependsOn, 2, "App* Db Disk Ghost!missing NetA NetB +Net | App>Db App>Ghost App>+Net Db>Disk +Net>NetA +Net>NetB"},
		{[]string{"App"}, DirectionDependents, 0, "App* Web | Web>App"},
		// Disk's dependents: through its group too; the group shows only
		// the members reached.
		{[]string{"disk"}, DirectionDependents, 0,
			"App Backup Db Disk* Web +Storage | App>Db Backup>+Storage Db>Disk Web>App +Storage>Disk"},
		{[]string{"Disk"}, DirectionDependents, 1, "Db Disk* +Storage | Db>Disk +Storage>Disk"},
		// Both ways from NetA: what depends on it through +Net, and the
		// edges among the nodes reached (App>+Net, though App was reached
		// through Web's walk, is one edge of the picture).
		{[]string{"NetA"}, DirectionBoth, 0, "App Client NetA* Web +Net | App>+Net Client>+Net Web>App +Net>NetA"},
		{[]string{"App", "Client"}, DirectionBoth, 1,
			"App* Client* Db Ghost!missing Web +Net | App>Db App>Ghost App>+Net Client>+Net Web>App"},
		{[]string{"Lone"}, DirectionBoth, 0, "Lone* | "},
	}
	for _, tc := range tests {
		roots := tc.roots
		if got := describe(g.picture(roots, tc.dir, tc.depth, false)); got != tc.want {
			t.Errorf("%v %d depth %d:\n got %s\nwant %s", tc.roots, tc.dir, tc.depth, got, tc.want)
		}
	}
	// Every service with an edge, no roots, no service without an edge.
	all := []string{"Web", "App", "Db", "Disk", "NetA", "NetB", "Client", "Backup", "Lone"}
	want := "App Backup Client Db Disk Ghost!missing NetA NetB Web +Empty!missing +Net +Storage | " +
		"App>Db App>Ghost App>+Net Backup>+Storage Client>+Net Db>Disk NetB>+Empty Web>App +Net>NetA +Net>NetB +Storage>Disk"
	if got := describe(g.picture(all, DirectionBoth, 0, true)); got != want {
		t.Errorf("every service:\n got %s\nwant %s", got, want)
	}
}

func TestGraphCycles(t *testing.T) {
	// X <-> Y; Y -> +G, whose member Z -> X: one component X, Y, +G, Z.
	// Self depends on itself. Tail -> X is not on a cycle.
	g := graphOf(map[string][]string{
		"X":    {"Y"},
		"Y":    {"X", "+G"},
		"Z":    {"X"},
		"Self": {"Self"},
		"Tail": {"X"},
		"Free": {},
	}, map[string]string{"Z": "G"})
	got := describe(g.picture([]string{"Tail", "Self"}, DirectionDependsOn, 0, false))
	want := "Self* Tail* X Y Z +G | Self>Self! Tail>X X>Y! Y>X! Y>+G! Z>X! +G>Z! | Self>Self, X>Y>X"
	if got != want {
		t.Errorf("cycles:\n got %s\nwant %s", got, want)
	}
	// Only the cycles among the nodes shown: at depth 1 from X, Z is not
	// reached, so the group's cycle is not there; X <-> Y is.
	got = describe(g.picture([]string{"X"}, DirectionDependsOn, 1, false))
	if want := "X* Y | X>Y! Y>X! | X>Y>X"; got != want {
		t.Errorf("depth 1:\n got %s\nwant %s", got, want)
	}
	got = describe(g.picture([]string{"Z"}, DirectionDependsOn, 0, false))
	if want := "X Y Z* +G | X>Y! Y>X! Y>+G! Z>X! +G>Z! | X>Y>X"; got != want {
		t.Errorf("through a group:\n got %s\nwant %s", got, want)
	}
	got = describe(g.picture([]string{"Free"}, DirectionBoth, 0, false))
	if want := "Free* | "; got != want {
		t.Errorf("no cycle:\n got %s\nwant %s", got, want)
	}
}

// A long chain (deeper than any real machine's) and a large cycle are
// walked and their components found without trouble.
func TestGraphLongChain(t *testing.T) {
	const n = 20000
	deps := map[string][]string{}
	for i := range n {
		deps[fmt.Sprintf("S%05d", i)] = []string{fmt.Sprintf("S%05d", (i+1)%n)}
	}
	p := graphOf(deps, nil).picture([]string{"S00000"}, DirectionBoth, 0, false)
	if len(p.Nodes) != n || len(p.Edges) != n || len(p.Cycles) != 1 || len(p.Cycles[0]) != n+1 {
		t.Fatalf("%d nodes, %d edges, %d cycles", len(p.Nodes), len(p.Edges), len(p.Cycles))
	}
	for _, e := range p.Edges {
		if !e.Cycle {
			t.Fatalf("edge %+v not marked", e)
		}
	}
}

func TestManagerDependencyGraph(t *testing.T) {
	ctx := context.Background()
	for _, tracks := range []bool{false, true} {
		scm := chain(tracks)
		setCfg(scm.Service("TOP"), func(c *Config) {
			c.Dependencies = append(cfgOf(scm.Service("TOP")).Dependencies, ServiceDependency("Ghost"))
		})
		setCfg(scm.Service("SIDE"), func(c *Config) { c.StartType = Disabled })
		setCfg(scm.Service("SIDE"), func(c *Config) { c.DisplayName = "Side \"quoted\" service" })
		m := memManager(scm)
		g, err := m.DependencyGraph(ctx, GraphOptions{Roots: []string{"base"}})
		if err != nil {
			t.Fatalf("tracks=%v: %v", tracks, err)
		}
		want := "Base* Grp Mid Side Top +G | Grp>+G Mid>Base Side>Base Top>Mid +G>Base"
		if got := describe(g); got != want {
			t.Errorf("tracks=%v: Base both ways:\n got %s\nwant %s", tracks, got, want)
		}
		side := g.Nodes[3]
		if side.State != Stopped || side.StartType == nil || *side.StartType != Disabled || side.DisplayName != "Side \"quoted\" service" {
			t.Errorf("tracks=%v: Side = %+v", tracks, side)
		}
		if g.Nodes[5].StartType != nil || g.Nodes[5].State != 0 {
			t.Errorf("tracks=%v: a group has no state nor start type: %+v", tracks, g.Nodes[5])
		}

		g, err = m.DependencyGraph(ctx, GraphOptions{Roots: []string{"Top"}, Direction: DirectionDependsOn})
		if want := "Base Ghost!missing Mid Top* | Mid>Base Top>Ghost Top>Mid"; err != nil || describe(g) != want {
			t.Errorf("tracks=%v: Top depends on:\n got %s, %v\nwant %s", tracks, describe(g), err, want)
		}
		g, err = m.DependencyGraph(ctx, GraphOptions{})
		want = "Base Ghost!missing Grp Mid Side Top +G | Grp>+G Mid>Base Side>Base Top>Ghost Top>Mid +G>Base"
		if err != nil || describe(g) != want {
			t.Errorf("tracks=%v: every service:\n got %s, %v\nwant %s", tracks, describe(g), err, want)
		}
	}
}

func TestManagerDependencyGraphFailures(t *testing.T) {
	ctx := context.Background()
	m := memManager(chain(true))
	for _, o := range []GraphOptions{{Direction: 3}, {Direction: -1}, {Depth: -1}} {
		_, err := m.DependencyGraph(ctx, o)
		var ve *ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v, want a ValidationError", o, err)
		}
	}
	if _, err := m.DependencyGraph(ctx, GraphOptions{Roots: []string{"Base", "Nope"}}); !errors.Is(err, ErrNotFound) {
		t.Errorf("a root not installed: %v, want ErrNotFound", err)
	}
	// A service whose configuration cannot be read is a node with its
	// reason, and no edges of its own.
	// Every service that could not be read is listed, drawn or not.
	denied := memManager(deniedConfig{chain(true), "Mid"})
	g, err := denied.DependencyGraph(ctx, GraphOptions{Roots: []string{"Top"}, Direction: DirectionDependsOn})
	if want := "Mid!error Top* | Top>Mid"; err != nil || describe(g) != want || g.Nodes[0].Error != "ERROR_ACCESS_DENIED" {
		t.Errorf("unreadable Mid:\n got %s, %v (%+v)\nwant %s", describe(g), err, g.Nodes[0], want)
	}
	if want := []string{"Mid: ERROR_ACCESS_DENIED"}; !slices.Equal(g.Unreadable, want) {
		t.Errorf("Unreadable = %q, want %q", g.Unreadable, want)
	}
	g, err = denied.DependencyGraph(ctx, GraphOptions{Roots: []string{"Base"}, Direction: DirectionDependents})
	if want := "Base* Grp Side +G | Grp>+G Side>Base +G>Base"; err != nil || describe(g) != want || len(g.Unreadable) != 1 {
		t.Errorf("unreadable Mid, Base's dependents:\n got %s, %v, %q\nwant %s", describe(g), err, g.Unreadable, want)
	}
	// Drawing every service keeps it, though it has no known edge.
	g, err = denied.DependencyGraph(ctx, GraphOptions{})
	if want := "Base Grp Mid!error Side Top +G | Grp>+G Side>Base Top>Mid +G>Base"; err != nil || describe(g) != want {
		t.Errorf("unreadable Mid, every service:\n got %s, %v\nwant %s", describe(g), err, want)
	}
}

// deniedConfig refuses to open one service for reading its configuration.
type deniedConfig struct {
	*memSCM
	name string
}

func (d deniedConfig) OpenService(name string, access uint32) (platformService, error) {
	if strings.EqualFold(name, d.name) && access&accessQueryConfig != 0 {
		return nil, &Error{Op: "open", Service: name, Code: ErrAccessDenied, Err: ErrAccessDenied}
	}
	return d.memSCM.OpenService(name, access)
}

// registryGaps answers a registry read of service noKey with ErrNotFound
// (the SCM lists it, the registry has no key for it, as for Wine's
// winedevice driver hosts) and of service denied with access denied.
type registryGaps struct {
	*memSCM
	noKey, denied string
}

func (r registryGaps) ServiceValues(service string, names ...string) (map[string][]byte, error) {
	switch {
	case strings.EqualFold(service, r.noKey):
		return nil, ErrNotFound
	case strings.EqualFold(service, r.denied):
		return nil, &Error{Op: "registry", Service: service, Code: ErrAccessDenied, Err: ErrAccessDenied}
	}
	return r.memSCM.ServiceValues(service, names...)
}

// Where dependencies come from the registry (Wine), a service without a
// key has none; one whose key cannot be read is unreadable.
func TestDependencyGraphFromRegistry(t *testing.T) {
	scm := chain(false)
	scm.Add(svc("NoKey", Running))
	m := memManager(registryGaps{scm, "NoKey", "Side"})
	g, err := m.DependencyGraph(context.Background(), GraphOptions{})
	if want := "Base Grp Mid Side!error Top +G | Grp>+G Mid>Base Top>Mid +G>Base"; err != nil || describe(g) != want {
		t.Errorf("got %s, %v\nwant %s", describe(g), err, want)
	}
	if len(g.Unreadable) != 1 || !strings.HasPrefix(g.Unreadable[0], "Side: ") {
		t.Errorf("Unreadable = %q, want Side alone", g.Unreadable)
	}
}

// A cycle an edit of the registry made (the SCM refuses to store one) is
// drawn and listed, from the SCM too.
func TestManagerDependencyGraphCycle(t *testing.T) {
	scm := newMemSCM(quirks{}, svc("A", Running, "B"), svc("B", Stopped, "A"), svc("C", Running, "A"))
	g, err := memManager(scm).DependencyGraph(context.Background(), GraphOptions{Roots: []string{"C"}})
	if want := "A B C* | A>B! B>A! C>A | A>B>A"; err != nil || describe(g) != want {
		t.Errorf("got %s, %v\nwant %s", describe(g), err, want)
	}
}

func TestGraphJSON(t *testing.T) {
	start := AutoStart
	g := &Graph{Nodes: []GraphNode{
		{Name: "A", Root: true, DisplayName: "A service", State: Running, StartType: &start, DelayedAutoStart: true},
		{Name: "G", Group: true, Missing: true},
	}, Edges: []GraphEdge{{From: 0, To: 1, Kind: EdgeGroup}}, Cycles: [][]int{}}
	b, err := json.Marshal(g)
	want := `{"nodes":[{"name":"A","root":true,"displayName":"A service","state":"RUNNING","startType":"AUTO_START","delayedAutoStart":true},` +
		`{"name":"G","group":true,"missing":true}],"edges":[{"from":0,"to":1,"kind":"group"}],"cycles":[]}`
	if err != nil || string(b) != want {
		t.Errorf("JSON %s, %v\nwant %s", b, err, want)
	}
}
