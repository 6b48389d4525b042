package winsvc

import (
	"fmt"
	"strings"

	"github.com/winsvc/winsvc/internal/cmdline"
)

// depChain is a path through a Graph, from the diagnosed service to a
// dependency that keeps it from starting, and why.
type depChain struct {
	path []int // node indexes, the diagnosed service first, the broken link last
	why  string
}

// depWalk finds broken dependencies in a Graph (as DependencyGraph draws
// it: edges from what depends to what it depends on, from a group to its
// members).
type depWalk struct {
	g       *Graph
	out     [][]GraphEdge
	memo    map[int]*depChain // nil: the node is fine
	done    map[int]bool
	onStack map[int]bool
	unread  []int // nodes reached whose configuration could not be read
}

func newDepWalk(g *Graph) *depWalk {
	w := &depWalk{g: g, out: make([][]GraphEdge, len(g.Nodes)), memo: map[int]*depChain{}, done: map[int]bool{}, onStack: map[int]bool{}}
	for _, e := range g.Edges {
		w.out[e.From] = append(w.out[e.From], e)
	}
	return w
}

// broken returns the first broken link reached from node n, n included,
// or nil. A service is broken when it is missing, disabled, or one of its
// dependencies is; a load-order group when it has no member or every
// member is broken (the SCM needs one member running). A node on a cycle
// is not broken by the cycle: the SCM refuses to store one, and graph
// reports it.
func (w *depWalk) broken(n int) *depChain {
	if w.done[n] || w.onStack[n] {
		return w.memo[n]
	}
	w.onStack[n] = true
	c := w.brokenNow(n)
	delete(w.onStack, n)
	w.done[n], w.memo[n] = true, c
	return c
}

func (w *depWalk) brokenNow(n int) *depChain {
	node := w.g.Nodes[n]
	switch {
	case node.Missing && node.Group:
		return &depChain{path: []int{n}, why: "is a load-order group no installed service is a member of"}
	case node.Missing:
		return &depChain{path: []int{n}, why: "is not installed"}
	case node.Error != "":
		w.unread = append(w.unread, n)
		return nil // not readable: named apart, never a finding
	case node.StartType != nil && *node.StartType == Disabled:
		return &depChain{path: []int{n}, why: "is DISABLED (its start type)"}
	}
	if node.Group {
		var first *depChain
		for _, e := range w.out[n] {
			c := w.broken(e.To)
			if c == nil {
				return nil
			}
			if first == nil {
				first = c
			}
		}
		if first == nil {
			return nil
		}
		return &depChain{path: append([]int{n}, first.path...), why: "is a group whose members all cannot start; the first " + first.why}
	}
	for _, e := range w.out[n] {
		if c := w.broken(e.To); c != nil {
			return &depChain{path: append([]int{n}, c.path...), why: c.why}
		}
	}
	return nil
}

// names spells a chain's nodes ("A -> +Group -> B").
func (w *depWalk) names(path []int) string {
	parts := make([]string, len(path))
	for i, n := range path {
		parts[i] = Dependency{Name: w.g.Nodes[n].Name, Group: w.g.Nodes[n].Group}.String()
	}
	return strings.Join(parts, " -> ")
}

// dependsOn lists what service n depends on, in sc's depend= form.
func (w *depWalk) dependsOn(n int, without int) string {
	var parts []string
	for _, e := range w.out[n] {
		if e.To != without {
			parts = append(parts, Dependency{Name: w.g.Nodes[e.To].Name, Group: e.Kind == EdgeGroup}.String())
		}
	}
	if len(parts) == 0 {
		return "/"
	}
	return strings.Join(parts, "/")
}

// fix is the winsvc command that mends chain c's broken link: a disabled
// service gets a demand start; a missing one is dropped from what its
// dependent depends on. An empty group or one whose members are all
// broken has no single fix.
func (w *depWalk) fix(c *depChain) string {
	last := c.path[len(c.path)-1]
	node := w.g.Nodes[last]
	switch {
	case node.Missing && !node.Group && len(c.path) >= 2:
		parent := c.path[len(c.path)-2]
		if w.g.Nodes[parent].Group {
			return "" // a missing member cannot be: the group lists installed services
		}
		return fmt.Sprintf("winsvc config %s depend= %s", cmdline.QuoteArg(w.g.Nodes[parent].Name), cmdline.QuoteArg(w.dependsOn(parent, last)))
	case !node.Missing && node.StartType != nil && *node.StartType == Disabled:
		return fmt.Sprintf("winsvc config %s start= demand", cmdline.QuoteArg(node.Name))
	}
	return ""
}

// checkDependencies reports, for each dependency of service name whose
// chain is broken, the chain to its first broken link.
func (d *diagnosis) checkDependencies(g *Graph, name string) {
	root := -1
	for i, n := range g.Nodes {
		if !n.Group && depKey(n.Name) == depKey(name) {
			root = i
			break
		}
	}
	if root < 0 {
		return // DiagnoseAll's graph leaves out services without dependencies
	}
	w := newDepWalk(g)
	w.onStack[root] = true
	for _, e := range w.out[root] {
		c := w.broken(e.To)
		if c == nil {
			continue
		}
		c = &depChain{path: append([]int{root}, c.path...), why: c.why}
		msg := fmt.Sprintf("the dependency %s %s", w.names(c.path[1:2]), c.why)
		if len(c.path) > 2 {
			msg = fmt.Sprintf("the dependency %s cannot start: %s, %d links down, %s",
				w.names(c.path[1:2]), w.names(c.path[len(c.path)-1:]), len(c.path)-1, c.why)
		}
		d.found(CheckDependencies, SeverityError, msg, fmt.Sprintf("%s (%s %s)", w.names(c.path), w.names(c.path[len(c.path)-1:]), c.why), w.fix(c))
	}
	for _, n := range w.unread {
		d.notReadable(CheckDependencies, fmt.Sprintf("the configuration of %s: %s", g.Nodes[n].Name, g.Nodes[n].Error))
	}
}
