package desired

import (
	"strings"

	"github.com/winsvc/winsvc"
)

// node is a service of a document as the dependency order sees it: its
// load-order group and its dependencies, as they will be (the document's
// when it sets them, the installed service's otherwise).
type node struct {
	name  string
	group string
	deps  []winsvc.Dependency
}

// dependencyOrder returns the indexes of nodes so that each comes after the
// nodes it depends on; among those whose dependencies are placed, the
// earliest in the document comes first. Services that depend on each
// other in a circle (which the SCM refuses to create) keep the document's
// order among themselves.
func dependencyOrder(nodes []node) []int {
	n := len(nodes)
	waits := make([]int, n) // how many unplaced nodes each one depends on
	dependents := make([][]int, n)
	for i, on := range dependsOn(nodes) {
		waits[i] = len(on)
		for _, j := range on {
			dependents[j] = append(dependents[j], i)
		}
	}
	placed := make([]bool, n)
	order := make([]int, 0, n)
	for len(order) < n {
		next := -1
		for i := range nodes {
			if !placed[i] && waits[i] == 0 {
				next = i
				break
			}
		}
		if next < 0 { // a circle: take the earliest unplaced
			for i := range nodes {
				if !placed[i] {
					next = i
					break
				}
			}
		}
		placed[next] = true
		order = append(order, next)
		for _, d := range dependents[next] {
			waits[d]--
		}
	}
	return order
}

// dependsOn returns, for each node, the indexes of the other nodes it
// depends on: by name, or through the members of a group it depends on.
func dependsOn(nodes []node) [][]int {
	byName, byGroup := map[string][]int{}, map[string][]int{}
	for i, nd := range nodes {
		byName[strings.ToLower(nd.name)] = append(byName[strings.ToLower(nd.name)], i)
		if nd.group != "" {
			byGroup[strings.ToLower(nd.group)] = append(byGroup[strings.ToLower(nd.group)], i)
		}
	}
	out := make([][]int, len(nodes))
	for i, nd := range nodes {
		on := map[int]bool{}
		for _, d := range nd.deps {
			index := byName
			if d.Group {
				index = byGroup
			}
			for _, j := range index[strings.ToLower(d.Name)] {
				if j != i && !on[j] {
					on[j] = true
					out[i] = append(out[i], j)
				}
			}
		}
	}
	return out
}
