package winsvc

import (
	"cmp"
	"context"
	"slices"
)

// Graph is a dependency graph to draw: services and load-order groups as
// nodes, what depends on what as edges, and the circular dependencies among
// them. Manager.DependencyGraph computes it. An edge goes from the node
// that depends to the node it depends on, so that it points at what must
// start first; a group's edges go to its members, which the SCM tries to
// start before any service depending on the group.
type Graph struct {
	Nodes []GraphNode `json:"nodes"` // services in name order, then groups in name order
	Edges []GraphEdge `json:"edges"` // by From, then To
	// Cycles are the circular dependencies among the nodes, each a path of
	// indexes into Nodes whose first and last are the same node. Windows'
	// SCM refuses to store one, but an edit of the registry can make one;
	// a cycle through a group counts, since a group dependency waits for
	// the group's members.
	Cycles [][]int `json:"cycles"`
	// Unreadable lists the services whose configuration could not be read
	// ("name: reason"), drawn or not: what they depend on is unknown, so
	// edges from them may be missing.
	Unreadable []string `json:"unreadable,omitempty"`
}

// GraphNode is a service or a load-order group of a Graph.
type GraphNode struct {
	Name  string `json:"name"`            // as installed; as a dependency spells it when missing
	Group bool   `json:"group,omitempty"` // a load-order group; otherwise a service
	Root  bool   `json:"root,omitempty"`  // one of the services the graph was asked for
	// Missing: a service that is not installed, or a group without members.
	Missing     bool   `json:"missing,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	State       State  `json:"state,omitempty"` // unknown (0) for a group or a missing service
	// StartType is nil where it is not known: a group, a missing service, a
	// configuration that could not be read.
	StartType        *StartType `json:"startType,omitempty"`
	DelayedAutoStart bool       `json:"delayedAutoStart,omitempty"`
	Error            string     `json:"error,omitempty"` // why the configuration could not be read
}

// EdgeKind is what a GraphEdge stands for.
type EdgeKind string

// Edge kinds.
const (
	EdgeService EdgeKind = "service" // From depends on service To
	EdgeGroup   EdgeKind = "group"   // From depends on load-order group To
	EdgeMember  EdgeKind = "member"  // service To is a member of group From
)

// GraphEdge is an edge of a Graph, between two indexes of Graph.Nodes.
type GraphEdge struct {
	From  int      `json:"from"`
	To    int      `json:"to"`
	Kind  EdgeKind `json:"kind"`
	Cycle bool     `json:"cycle,omitempty"` // the edge is on a circular dependency
}

// Direction selects which way DependencyGraph walks from its roots.
type Direction int

// Directions. The zero value walks both ways.
const (
	DirectionBoth       Direction = iota // what the roots depend on, and what depends on them
	DirectionDependsOn                   // what the roots depend on, recursively
	DirectionDependents                  // what depends on the roots, recursively
)

// GraphOptions say what DependencyGraph draws.
type GraphOptions struct {
	// Roots are the services to start from. None: every service, of every
	// type, that depends on something or that something depends on
	// (services without either are left out).
	Roots     []string
	Direction Direction
	// Depth bounds the walk from the roots, in edges (a dependency on a
	// group and the group's member are two); 0: no bound.
	Depth int
}

// DependencyGraph returns the dependency graph around o.Roots: the
// services and load-order groups reached from them in o.Direction, within
// o.Depth, with every edge among them and the circular dependencies those
// edges make. A root that is not installed fails with ErrNotFound; a
// dependency that is not installed is a node marked Missing. What depends
// on a service is computed from every service's configuration (the SCM's
// list of dependents has neither groups nor the edges among them), so
// walking that way, or drawing every service, reads every configuration
// once. It needs SERVICE_QUERY_CONFIG on the services it reads; one whose
// configuration cannot be read is a node with Error set and no edges of
// its own.
func (m *Manager) DependencyGraph(ctx context.Context, o GraphOptions) (*Graph, error) {
	if o.Direction < DirectionBoth || o.Direction > DirectionDependents {
		return nil, invalid("direction", int(o.Direction), "", "DirectionBoth (0)", "DirectionDependsOn (1)", "DirectionDependents (2)")
	}
	if o.Depth < 0 {
		return nil, invalid("depth", o.Depth, "a negative depth", "0 (no bound)", "a positive number of edges")
	}
	l, err := newDepLoader(ctx, m, AllServices)
	if err != nil {
		return nil, err
	}
	l.core = true
	roots := make([]string, 0, len(o.Roots))
	for _, name := range o.Roots {
		c, err := m.CoreConfig(ctx, name)
		if err != nil {
			return nil, err
		}
		if st, ok := l.states[depKey(name)]; ok {
			name = st.Name // the installed spelling
		}
		l.add(name, c, nil)
		roots = append(roots, name)
	}
	if len(roots) > 0 && o.Direction == DirectionDependsOn {
		for i := 0; i < len(roots) && err == nil; i++ {
			err = l.loadClosure(roots[i])
		}
	} else {
		err = l.loadAll()
	}
	if err != nil {
		return nil, err
	}
	g := l.graph()
	var p *Graph
	if len(roots) == 0 {
		p = g.picture(l.names(), DirectionBoth, 0, true)
	} else {
		p = g.picture(roots, o.Direction, o.Depth, false)
	}
	p.Unreadable = l.unreadable()
	return p, nil
}

// graphKey identifies a node: services and groups have names of their own.
type graphKey struct {
	group bool
	key   string // depKey of the name
}

// graphStep is one edge from a node, in either direction.
type graphStep struct {
	to   graphKey
	name string // the name of to, as the edge spells it
	kind EdgeKind
}

// forward returns the edges leaving k: a service's dependencies, a group's
// members.
func (g *dependencyGraph) forward(k graphKey) []graphStep {
	var out []graphStep
	if k.group {
		for _, m := range g.memberIndex[k.key] {
			out = append(out, graphStep{graphKey{false, depKey(m)}, m, EdgeMember})
		}
		return out
	}
	for _, d := range g.services[k.key].Dependencies {
		kind := EdgeService
		if d.Group {
			kind = EdgeGroup
		}
		out = append(out, graphStep{graphKey{d.Group, depKey(d.Name)}, d.Name, kind})
	}
	return out
}

// backward returns the nodes with an edge to k: the services naming a
// service, and its group when a service depends on the group; the services
// depending on a group.
func (g *dependencyGraph) backward(k graphKey) []graphStep {
	var out []graphStep
	if k.group {
		for _, d := range g.byGroup[k.key] {
			out = append(out, graphStep{graphKey{false, d}, g.services[d].Name, EdgeGroup})
		}
		return out
	}
	for _, d := range g.byName[k.key] {
		out = append(out, graphStep{graphKey{false, d}, g.services[d].Name, EdgeService})
	}
	if group := g.services[k.key].Group; group != "" && len(g.byGroup[depKey(group)]) > 0 {
		out = append(out, graphStep{graphKey{true, depKey(group)}, group, EdgeMember})
	}
	return out
}

// walk adds to names the nodes within depth (0: any) of roots along next,
// breadth first, and returns them.
func walk(roots []graphKey, depth int, next func(graphKey) []graphStep, names map[graphKey]string) {
	seen := map[graphKey]bool{}
	level := roots
	for d := 0; len(level) > 0 && (depth == 0 || d < depth); d++ {
		var deeper []graphKey
		for _, k := range level {
			if seen[k] {
				continue
			}
			seen[k] = true
			for _, s := range next(k) {
				if old, ok := names[s.to]; !ok || s.name < old {
					names[s.to] = s.name // one spelling, whatever the order of the walk
				}
				deeper = append(deeper, s.to)
			}
		}
		level = deeper
	}
}

// picture is the Graph of the nodes reached from roots, with every edge
// among them; connectedOnly leaves out the nodes without edges, but for
// services whose configuration could not be read (their edges are
// unknown).
func (g *dependencyGraph) picture(roots []string, dir Direction, depth int, connectedOnly bool) *Graph {
	names := map[graphKey]string{}
	var keys []graphKey
	for _, r := range roots {
		k := graphKey{false, depKey(r)}
		names[k] = r
		keys = append(keys, k)
	}
	if dir != DirectionDependents {
		walk(keys, depth, g.forward, names)
	}
	if dir != DirectionDependsOn {
		walk(keys, depth, g.backward, names)
	}
	type edgeKey struct{ from, to graphKey }
	edges := map[edgeKey]EdgeKind{}
	connected := map[graphKey]bool{}
	for k := range names {
		for _, s := range g.forward(k) {
			if _, ok := names[s.to]; ok {
				edges[edgeKey{k, s.to}] = s.kind
				connected[k], connected[s.to] = true, true
			}
		}
	}
	order := make([]graphKey, 0, len(names))
	for k := range names {
		if !connectedOnly || connected[k] || g.services[k.key].Err != "" && !k.group {
			order = append(order, k)
		}
	}
	slices.SortFunc(order, func(a, b graphKey) int {
		if a.group != b.group { // services first
			if a.group {
				return 1
			}
			return -1
		}
		return cmp.Or(compareFold(names[a], names[b]), cmp.Compare(names[a], names[b]))
	})
	out := &Graph{Nodes: make([]GraphNode, len(order)), Edges: []GraphEdge{}, Cycles: [][]int{}}
	index := map[graphKey]int{}
	for i, k := range order {
		index[k] = i
		out.Nodes[i] = g.node(k, names[k])
	}
	if !connectedOnly {
		for _, r := range keys {
			out.Nodes[index[r]].Root = true
		}
	}
	for e, kind := range edges {
		out.Edges = append(out.Edges, GraphEdge{From: index[e.from], To: index[e.to], Kind: kind})
	}
	slices.SortFunc(out.Edges, func(a, b GraphEdge) int { return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To)) })
	out.markCycles()
	return out
}

// node describes node k, named name.
func (g *dependencyGraph) node(k graphKey, name string) GraphNode {
	if k.group {
		return GraphNode{Name: name, Group: true, Missing: len(g.memberIndex[k.key]) == 0}
	}
	s, ok := g.services[k.key]
	if !ok {
		return GraphNode{Name: name, Missing: true}
	}
	n := GraphNode{Name: s.Name, DisplayName: s.DisplayName, State: s.State, Error: s.Err}
	if s.Err == "" {
		n.StartType, n.DelayedAutoStart = &s.StartType, s.DelayedAutoStart
	}
	return n
}

// markCycles marks the edges on circular dependencies and lists one cycle
// per strongly connected component that has one. An edge lies on a cycle
// exactly when both its ends are in the same component (a self-loop too);
// Tarjan's algorithm finds the components in linear time.
func (g *Graph) markCycles() {
	succ := make([][]int, len(g.Nodes)) // the edges leaving each node, by index
	for i, e := range g.Edges {
		succ[e.From] = append(succ[e.From], i)
	}
	comp := components(len(g.Nodes), func(v int, visit func(w int)) {
		for _, e := range succ[v] {
			visit(g.Edges[e].To)
		}
	})
	start := map[int]int{} // component -> its first node, in Nodes' order
	for i, e := range g.Edges {
		if comp[e.From] == comp[e.To] {
			g.Edges[i].Cycle = true
			if s, ok := start[comp[e.From]]; !ok || e.From < s {
				start[comp[e.From]] = e.From
			}
		}
	}
	for _, s := range start {
		g.Cycles = append(g.Cycles, g.cycleFrom(s, succ))
	}
	slices.SortFunc(g.Cycles, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
}

// cycleFrom returns a shortest path along cycle edges from node s back to
// it, breadth first.
func (g *Graph) cycleFrom(s int, succ [][]int) []int {
	parent := map[int]int{}
	queue := []int{s}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, i := range succ[v] {
			e := g.Edges[i]
			if !e.Cycle {
				continue
			}
			if e.To == s {
				path := []int{s}
				for u := v; u != s; u = parent[u] {
					path = append(path, u)
				}
				path = append(path, s)
				slices.Reverse(path)
				return path
			}
			if _, seen := parent[e.To]; !seen {
				parent[e.To] = v
				queue = append(queue, e.To)
			}
		}
	}
	return nil // not reached: s is on a cycle
}

// components numbers the strongly connected components of the graph of n
// nodes whose edges successors reports (Tarjan's algorithm), and returns
// each node's component.
func components(n int, successors func(v int, visit func(w int))) []int {
	index := make([]int, n) // 0: not visited yet; else the visit order, from 1
	low := make([]int, n)
	comp := make([]int, n)
	onStack := make([]bool, n)
	var stack []int
	next, count := 1, 0
	var strong func(v int)
	strong = func(v int) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		successors(v, func(w int) {
			switch {
			case index[w] == 0:
				strong(w)
				low[v] = min(low[v], low[w])
			case onStack[w]:
				low[v] = min(low[v], index[w])
			}
		})
		if low[v] == index[v] {
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp[w] = count
				if w == v {
					break
				}
			}
			count++
		}
	}
	for v := range n {
		if index[v] == 0 {
			strong(v)
		}
	}
	return comp
}
