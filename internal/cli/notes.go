package cli

import (
	"fmt"
	"strings"
)

// A verb that works on many services warns once per kind of trouble, not
// once per service: "the default sidType was not applied (150 services:
// A, B, C, D, E and 145 more): ...".

// serviceNote is one service's trouble: what happened, and why.
type serviceNote struct {
	service, what, reason string
}

// maxNamed is how many services a grouped warning names.
const maxNamed = 5

// warnServices warns once for each distinct what and reason, in the order
// they first occur, naming the service (one), or how many and the first
// few.
func (e *env) warnServices(notes []serviceNote) {
	type group struct {
		what, reason string
		services     []string
	}
	var groups []*group
	index := map[[2]string]*group{}
	for _, n := range notes {
		k := [2]string{n.what, n.reason}
		g := index[k]
		if g == nil {
			g = &group{what: n.what, reason: n.reason}
			index[k] = g
			groups = append(groups, g)
		}
		g.services = append(g.services, n.service)
	}
	for _, g := range groups {
		if len(g.services) == 1 {
			e.warn("%s: %s: %s", g.services[0], g.what, g.reason)
			continue
		}
		named := g.services[:min(len(g.services), maxNamed)]
		list := strings.Join(named, ", ")
		if more := len(g.services) - len(named); more > 0 {
			list += fmt.Sprintf(" and %d more", more)
		}
		e.warn("%s (%d services: %s): %s", g.what, len(g.services), list, g.reason)
	}
}
