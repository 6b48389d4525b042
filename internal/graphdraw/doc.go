// Package graphdraw draws a winsvc.Graph (Manager.DependencyGraph) as
// text that other programs turn into a picture: Graphviz's DOT language
// and Mermaid's flowchart. Both drawings say the same: a node per service
// or load-order group, filled with the colour of the service's state, an
// arrow from what depends to what it depends on (what must start first),
// a group's members reached by dashed arrows, missing services and empty
// groups dashed and red, the services asked for with a thick border, the
// edges of circular dependencies thick and red, and a legend of what the
// drawing uses.
//
// A load-order group is a node rather than a cluster: a dependency on a
// group is an edge of its own (any member satisfies it), distinct from a
// dependency on one of its members, and a group without members (a
// dependency that nothing satisfies) still has a place to be drawn.
//
// Names never reach either language unescaped: nodes are identified by
// index (n0, n1, ...), never by a service's name, and each label is quoted
// and escaped for its language.
package graphdraw
