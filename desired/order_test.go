package desired

import (
	"slices"
	"strconv"
	"testing"

	"github.com/winsvc/winsvc"
)

func TestDependencyOrder(t *testing.T) {
	dep := winsvc.ServiceDependency
	group := winsvc.GroupDependency
	for _, c := range []struct {
		name  string
		nodes []node
		want  []int
	}{
		{"independent services keep the document's order", []node{{name: "A"}, {name: "B"}, {name: "C"}}, []int{0, 1, 2}},
		{"a dependency comes first", []node{{name: "Top", deps: []winsvc.Dependency{dep("base")}}, {name: "Base"}}, []int{1, 0}},
		{"a chain", []node{{name: "A", deps: []winsvc.Dependency{dep("B")}}, {name: "B", deps: []winsvc.Dependency{dep("C")}}, {name: "C"}}, []int{2, 1, 0}},
		{"through a group", []node{{name: "Top", deps: []winsvc.Dependency{group("G")}}, {name: "X"}, {name: "M1", group: "g"}, {name: "M2", group: "G"}},
			[]int{1, 2, 3, 0}},
		{"a service outside the document is no dependency", []node{{name: "A", deps: []winsvc.Dependency{dep("Tcpip")}}, {name: "B"}}, []int{0, 1}},
		{"a group dependency is not a service of that name", []node{{name: "A", deps: []winsvc.Dependency{group("B")}}, {name: "B"}}, []int{0, 1}},
		{"a circle keeps the document's order", []node{{name: "A", deps: []winsvc.Dependency{dep("B")}}, {name: "B", deps: []winsvc.Dependency{dep("A")}}, {name: "C", deps: []winsvc.Dependency{dep("A")}}},
			[]int{0, 1, 2}},
		{"a service that depends on itself", []node{{name: "A", deps: []winsvc.Dependency{dep("A")}}, {name: "B", deps: []winsvc.Dependency{dep("A")}}}, []int{0, 1}},
		{"none", nil, []int{}},
	} {
		if got := dependencyOrder(c.nodes); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// The order is linear in the number of services and their dependencies,
// not quadratic in the edges: 20,000 services in a chain are ordered.
func TestDependencyOrderLongChain(t *testing.T) {
	const n = 20000
	nodes := make([]node, n)
	for i := range nodes {
		nodes[i].name = "S" + strconv.Itoa(i)
		if i > 0 {
			nodes[i].deps = []winsvc.Dependency{winsvc.ServiceDependency(nodes[i-1].name)}
		}
	}
	slices.Reverse(nodes)
	got := dependencyOrder(nodes)
	for k, i := range got {
		if i != n-1-k {
			t.Fatalf("position %d holds %d, want %d", k, i, n-1-k)
		}
	}
}
