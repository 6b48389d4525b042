package winsvc

import (
	"slices"
	"strings"
)

// DependencyNode is one service or load-order group in a dependency tree.
type DependencyNode struct {
	Name    string `json:"name"`
	Group   bool   `json:"group,omitempty"`   // a load-order group; its children are its members
	State   State  `json:"state,omitempty"`   // the service's state when known
	Via     string `json:"via,omitempty"`     // the group ("+G") through which a dependent depends on its parent
	Missing bool   `json:"missing,omitempty"` // a service not installed, or a group with no member
	// Cycle: the node is on the path above it (circular dependencies);
	// Repeated: it was expanded earlier in the tree. Neither is expanded.
	Cycle    bool             `json:"cycle,omitempty"`
	Repeated bool             `json:"repeated,omitempty"`
	Error    string           `json:"error,omitempty"` // why its configuration could not be read
	Children []DependencyNode `json:"children,omitempty"`
}

// serviceDeps is what the dependency graph needs to know of one service.
type serviceDeps struct {
	Name         string // as installed
	Group        string // load-order group
	Dependencies []Dependency
	State        State
	Err          string // why the configuration could not be read
	// What a picture shows besides (DependencyGraph): the configuration's
	// start type, and the display name.
	DisplayName      string
	StartType        StartType
	DelayedAutoStart bool
}

// dependencyGraph is the pure dependency logic over a set of services,
// keyed case-insensitively as the SCM compares names. Its indexes make
// every lookup cost what it returns, so a walk is linear in the graph.
type dependencyGraph struct {
	services    map[string]serviceDeps
	byName      map[string][]string // key -> keys of services naming it
	byGroup     map[string][]string // group key -> keys of services depending on the group
	memberIndex map[string][]string // group key -> names of its members, sorted
}

func depKey(name string) string { return strings.ToUpper(name) }

func newDependencyGraph(services []serviceDeps) *dependencyGraph {
	g := &dependencyGraph{services: map[string]serviceDeps{}, byName: map[string][]string{},
		byGroup: map[string][]string{}, memberIndex: map[string][]string{}}
	for _, s := range services {
		g.services[depKey(s.Name)] = s
	}
	for k, s := range g.services {
		if s.Group != "" {
			g.memberIndex[depKey(s.Group)] = append(g.memberIndex[depKey(s.Group)], s.Name)
		}
		for _, d := range s.Dependencies {
			if d.Group {
				g.byGroup[depKey(d.Name)] = append(g.byGroup[depKey(d.Name)], k)
			} else {
				g.byName[depKey(d.Name)] = append(g.byName[depKey(d.Name)], k)
			}
		}
	}
	for _, m := range g.memberIndex {
		slices.SortFunc(m, compareFold)
	}
	return g
}

// members returns the services of load-order group name, sorted.
func (g *dependencyGraph) members(group string) []string { return g.memberIndex[depKey(group)] }

func compareFold(a, b string) int { return strings.Compare(depKey(a), depKey(b)) }

// treeWalk builds one tree, expanding every node once.
type treeWalk struct {
	g        *dependencyGraph
	expanded map[string]bool
	onPath   map[string]bool // the keys from the root to the current node
}

func (w *treeWalk) enter(key string) (DependencyNode, bool) {
	var n DependencyNode
	switch {
	case w.onPath[key]:
		n.Cycle = true
	case w.expanded[key]:
		n.Repeated = true
	default:
		w.expanded[key] = true
		return n, true
	}
	return n, false
}

// push puts key on the current path and returns the function that takes it
// off again.
func (w *treeWalk) push(key string) func() {
	if w.onPath == nil {
		w.onPath = map[string]bool{}
	}
	w.onPath[key] = true
	return func() { delete(w.onPath, key) }
}

// serviceNode fills a node for service name; expand is false when its
// children must not be added.
func (w *treeWalk) serviceNode(name string) (n DependencyNode, key string, expand bool) {
	key = depKey(name)
	n, expand = w.enter(key)
	s, ok := w.g.services[key]
	n.Name, n.State, n.Missing, n.Error = name, s.State, !ok, s.Err
	if ok {
		n.Name = s.Name
	}
	return n, key, expand && ok
}

// dependsOn returns what service name depends on, recursively: services
// with what they depend on, and groups with their members.
func (g *dependencyGraph) dependsOn(name string) []DependencyNode {
	w := &treeWalk{g: g, expanded: map[string]bool{}}
	return w.dependsOn(depKey(name))
}

func (w *treeWalk) dependsOn(key string) []DependencyNode {
	var out []DependencyNode
	defer w.push(key)()
	for _, d := range w.g.services[key].Dependencies {
		if d.Group {
			out = append(out, w.groupNode(d.Name))
			continue
		}
		n, k, expand := w.serviceNode(d.Name)
		if expand {
			n.Children = w.dependsOn(k)
		}
		out = append(out, n)
	}
	return out
}

func (w *treeWalk) groupNode(group string) DependencyNode {
	key := "+" + depKey(group)
	n, expand := w.enter(key)
	n.Name, n.Group = group, true
	members := w.g.members(group)
	n.Missing = len(members) == 0
	if !expand {
		return n
	}
	defer w.push(key)()
	for _, m := range members {
		c, k, expand := w.serviceNode(m)
		if expand {
			c.Children = w.dependsOn(k)
		}
		n.Children = append(n.Children, c)
	}
	return n
}

// directDependents returns the services that name service key directly,
// or a group it belongs to (with Via set), sorted by name.
func (g *dependencyGraph) directDependents(key string) []DependencyNode {
	var out []DependencyNode
	byName := map[string]bool{}
	for _, k := range g.byName[key] {
		if !byName[k] {
			byName[k] = true // a dependency by name wins over one through a group
			out = append(out, DependencyNode{Name: g.services[k].Name})
		}
	}
	if group := g.services[key].Group; group != "" {
		seen := map[string]bool{}
		for _, k := range g.byGroup[depKey(group)] {
			if !byName[k] && !seen[k] {
				seen[k] = true
				out = append(out, DependencyNode{Name: g.services[k].Name, Via: "+" + group})
			}
		}
	}
	slices.SortFunc(out, func(a, b DependencyNode) int { return compareFold(a.Name, b.Name) })
	return out
}

// dependents returns the services that depend on service name,
// recursively, through a service or a group dependency.
func (g *dependencyGraph) dependents(name string) []DependencyNode {
	w := &treeWalk{g: g, expanded: map[string]bool{}}
	return w.dependents(depKey(name))
}

func (w *treeWalk) dependents(key string) []DependencyNode {
	var out []DependencyNode
	defer w.push(key)()
	for _, d := range w.g.directDependents(key) {
		n, k, expand := w.serviceNode(d.Name)
		n.Via = d.Via
		if expand {
			n.Children = w.dependents(k)
		}
		out = append(out, n)
	}
	return out
}

// stopOrder returns the services that depend on service name through
// service dependencies, recursively, ordered so that each comes before the
// services it depends on: the order to stop them in (reverse it to start
// them). A dependency on a group does not count: any member satisfies it,
// so stopping one member does not require stopping the dependent (the SCM
// does the same). Services in a cycle come in name order.
func (g *dependencyGraph) stopOrder(name string) []string {
	// Collect the dependents with a breadth-first walk of reverse edges.
	set := map[string]bool{}
	queue := []string{depKey(name)}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		for _, d := range g.directDependents(k) {
			dk := depKey(d.Name)
			if d.Via == "" && !set[dk] && dk != depKey(name) {
				set[dk] = true
				queue = append(queue, dk)
			}
		}
	}
	// Kahn's algorithm on "X depends on Y" edges inside the set: a service
	// no other dependent depends on goes first.
	indegree := map[string]int{}
	for k := range set {
		indegree[k] += 0
		for _, d := range g.services[k].Dependencies {
			if dk := depKey(d.Name); !d.Group && set[dk] {
				indegree[dk]++
			}
		}
	}
	// Level by level: each level in name order, the next made of the
	// services the level's stops freed.
	var ready []string
	for k, n := range indegree {
		if n == 0 {
			ready = append(ready, k)
		}
	}
	var out []string
	for len(indegree) > 0 {
		if len(ready) == 0 { // a cycle: break it in name order
			first := ""
			for k := range indegree {
				if first == "" || k < first {
					first = k
				}
			}
			ready = []string{first}
		}
		slices.Sort(ready)
		var next []string
		for _, k := range ready {
			out = append(out, g.services[k].Name)
			delete(indegree, k)
			for _, d := range g.services[k].Dependencies {
				dk := depKey(d.Name)
				if n, ok := indegree[dk]; ok && !d.Group {
					if indegree[dk] = n - 1; n == 1 {
						next = append(next, dk)
					}
				}
			}
		}
		ready = next
	}
	return out
}

// cycleThrough returns a path of service dependencies from service name
// back to it (names as the dependencies write them, name first and
// last), or nil.
func (g *dependencyGraph) cycleThrough(name string) []string {
	start := depKey(name)
	seen := map[string]bool{start: true}
	var path []string
	var reach func(key string) bool
	reach = func(key string) bool {
		path = append(path, g.services[key].Name)
		for _, d := range g.services[key].Dependencies {
			k := depKey(d.Name)
			switch {
			case d.Group:
			case k == start:
				path = append(path, g.services[start].Name)
				return true
			case !seen[k]:
				seen[k] = true
				if reach(k) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		return false
	}
	if reach(start) {
		return path
	}
	return nil
}
