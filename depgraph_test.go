package winsvc

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// graphOf builds a graph from plain data: name -> dependencies written as
// in sc.exe ("B", "+Group"); groups maps a service to its load-order group.
func graphOf(deps map[string][]string, groups map[string]string) *dependencyGraph {
	var services []serviceDeps
	for name, list := range deps {
		s := serviceDeps{Name: name, Group: groups[name], Dependencies: []Dependency{}}
		for _, d := range list {
			s.Dependencies = append(s.Dependencies, ParseDependency(d))
		}
		services = append(services, s)
	}
	return newDependencyGraph(services)
}

// renderTree writes a tree compactly: name, with markers, and children in [].
func renderTree(nodes []DependencyNode) string {
	var parts []string
	for _, n := range nodes {
		s := n.Name
		if n.Group {
			s = "+" + s
		}
		if n.Via != "" {
			s += "(via " + n.Via + ")"
		}
		for _, f := range []struct {
			on   bool
			flag string
		}{{n.Missing, "!missing"}, {n.Cycle, "!cycle"}, {n.Repeated, "!repeated"}} {
			if f.on {
				s += f.flag
			}
		}
		if len(n.Children) > 0 {
			s += " [" + renderTree(n.Children) + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestDependencyTrees(t *testing.T) {
	g := graphOf(map[string][]string{
		"App":    {"Db", "+Net", "Ghost"},
		"Db":     {"Disk"},
		"Disk":   {},
		"Dns":    {"Disk"},
		"Cache":  {"db"}, // names are case-insensitive
		"Web":    {"App", "Cache"},
		"NetA":   {},
		"NetB":   {"+Empty"},
		"Client": {"+Net"},
	}, map[string]string{"NetA": "Net", "NetB": "Net", "Disk": "Storage"})

	tests := []struct{ name, dependsOn, dependents string }{
		{"App", "Db [Disk] +Net [NetA NetB [+Empty!missing]] Ghost!missing", "Web"},
		{"Web", "App [Db [Disk] +Net [NetA NetB [+Empty!missing]] Ghost!missing] Cache [Db!repeated]", ""},
		{"Disk", "", "Db [App [Web] Cache [Web!repeated]] Dns"},
		{"NetA", "", "App(via +Net) [Web] Client(via +Net)"},
		{"disk", "", "Db [App [Web] Cache [Web!repeated]] Dns"},
	}
	for _, tc := range tests {
		if got := renderTree(g.dependsOn(tc.name)); got != tc.dependsOn {
			t.Errorf("dependsOn(%s) = %s\nwant %s", tc.name, got, tc.dependsOn)
		}
		if got := renderTree(g.dependents(tc.name)); got != tc.dependents {
			t.Errorf("dependents(%s) = %s\nwant %s", tc.name, got, tc.dependents)
		}
	}
}

func TestDependencyCycles(t *testing.T) {
	g := graphOf(map[string][]string{
		"X":  {"Y"},
		"Y":  {"X", "+G"},
		"Z":  {"X"},
		"W":  {"W2"},
		"W2": {"+G"},
	}, map[string]string{"X": "G"})
	if got, want := renderTree(g.dependsOn("X")), "Y [X!cycle +G [X!cycle]]"; got != want {
		t.Errorf("dependsOn(X) = %s, want %s", got, want)
	}
	if got, want := renderTree(g.dependents("X")), "W2(via +G) [W] Y [X!cycle] Z"; got != want {
		t.Errorf("dependents(X) = %s, want %s", got, want)
	}
	// A cycle still gives every dependent once, and terminates.
	if got := g.stopOrder("X"); !sameSet(got, []string{"Y", "Z"}) {
		t.Errorf("stopOrder(X) = %v", got)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestStopOrder(t *testing.T) {
	g := graphOf(map[string][]string{
		"Base":  {},
		"Mid1":  {"Base"},
		"Mid2":  {"base"},
		"Top":   {"Mid1", "Mid2"},
		"Other": {"Mid2"},
		"Grp":   {"+G"}, // through a group: not stopped with Base
		"Lone":  {},
	}, map[string]string{"Base": "G"})
	got := g.stopOrder("Base")
	if !sameSet(got, []string{"Mid1", "Mid2", "Top", "Other"}) {
		t.Fatalf("stopOrder(Base) = %v", got)
	}
	// Every service must come before the services it depends on.
	pos := map[string]int{}
	for i, n := range got {
		pos[n] = i
	}
	for _, edge := range [][2]string{{"Top", "Mid1"}, {"Top", "Mid2"}, {"Other", "Mid2"}} {
		if pos[edge[0]] > pos[edge[1]] {
			t.Errorf("stopOrder(Base) = %v: %s stops after %s, which it depends on", got, edge[0], edge[1])
		}
	}
	if want := []string{"Other", "Top", "Mid1", "Mid2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("stopOrder(Base) = %v, want the deterministic %v", got, want)
	}
	if got := g.stopOrder("Lone"); len(got) != 0 {
		t.Errorf("stopOrder(Lone) = %v", got)
	}
	if got := g.stopOrder("NotInstalled"); len(got) != 0 {
		t.Errorf("stopOrder(NotInstalled) = %v", got)
	}
}

func TestDependencyNodeJSON(t *testing.T) {
	tree := DependencyTree{Service: "App", DependsOn: []DependencyNode{{Name: "Db", State: Running,
		Children: []DependencyNode{{Name: "Net", Group: true, Missing: true}}}}, Dependents: []DependencyNode{},
		DependentsSource: DependentsFromConfigurations}
	b, err := json.Marshal(tree)
	want := `{"service":"App","dependsOn":[{"name":"Db","state":"RUNNING","children":[{"name":"Net","group":true,"missing":true}]}],"dependents":[],"dependentsSource":"configurations"}`
	if err != nil || string(b) != want {
		t.Errorf("JSON %s, %v\nwant %s", b, err, want)
	}
}
