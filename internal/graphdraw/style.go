package graphdraw

import (
	"strings"

	"github.com/winsvc/winsvc"
)

// look is how one kind of node is drawn: its fill, and how the legend
// names it. Both languages use the same looks.
type look struct {
	class  string // the Mermaid class
	fill   string
	legend string
}

// The looks, in the legend's order.
var (
	lookRunning = &look{"running", "#a6dba0", "RUNNING"}
	lookPaused  = &look{"paused", "#fee08b", "PAUSED"}
	lookPending = &look{"pending", "#fdae61", "changing state (a *_PENDING state)"}
	lookStopped = &look{"stopped", "#d9d9d9", "STOPPED"}
	lookUnknown = &look{"unknown", "#ffffff", "state unknown"}
	lookGroup   = &look{"group", "#deebf7", "load-order group"}
	lookMissing = &look{"missing", "#ffffff", "not installed, or a group without members"}
	looks       = []*look{lookRunning, lookPaused, lookPending, lookStopped, lookUnknown, lookGroup, lookMissing}
)

// Colours that are not fills.
const (
	missingColor = "#d73027" // the dashed border of a missing node
	cycleColor   = "#d73027" // the edges of a circular dependency
)

// The legend's lines about edges and borders.
const (
	legendArrow  = "arrow: depends on (points at what starts first)"
	legendMember = "dashed arrow: a group's member"
	legendCycle  = "thick red arrow: a circular dependency"
	legendRoot   = "thick border: the services asked for"
)

// lookOf returns how node n is drawn.
func lookOf(n winsvc.GraphNode) *look {
	switch {
	case n.Missing:
		return lookMissing
	case n.Group:
		return lookGroup
	case n.State == winsvc.Running:
		return lookRunning
	case n.State == winsvc.Paused:
		return lookPaused
	case n.State == winsvc.Stopped:
		return lookStopped
	case n.State.Pending():
		return lookPending
	}
	return lookUnknown
}

// used returns the looks g's nodes use, in the legend's order.
func used(g *winsvc.Graph) []*look {
	in := map[*look]bool{}
	for _, n := range g.Nodes {
		in[lookOf(n)] = true
	}
	var out []*look
	for _, l := range looks {
		if in[l] {
			out = append(out, l)
		}
	}
	return out
}

// hasRoot reports whether some node of g is a root, hasCycle whether some
// edge is on a cycle, and hasMember whether some edge goes to a member.
func features(g *winsvc.Graph) (hasRoot, hasCycle, hasMember bool) {
	for _, n := range g.Nodes {
		hasRoot = hasRoot || n.Root
	}
	for _, e := range g.Edges {
		hasCycle = hasCycle || e.Cycle
		hasMember = hasMember || e.Kind == winsvc.EdgeMember
	}
	return
}

// legendNotes are the legend's lines about edges and borders that g
// needs.
func legendNotes(g *winsvc.Graph) []string {
	hasRoot, hasCycle, hasMember := features(g)
	notes := []string{legendArrow}
	for _, n := range []struct {
		on   bool
		text string
	}{{hasMember, legendMember}, {hasCycle, legendCycle}, {hasRoot, legendRoot}} {
		if n.on {
			notes = append(notes, n.text)
		}
	}
	return notes
}

// labelLines are the lines of node n's label, unescaped: its name, its
// display name when it differs, and what it is (state and start type, or
// why neither is known).
func labelLines(n winsvc.GraphNode) []string {
	lines := []string{n.Name}
	if n.DisplayName != "" && n.DisplayName != n.Name {
		lines = append(lines, n.DisplayName)
	}
	var what []string
	switch {
	case n.Group && n.Missing:
		what = append(what, "load-order group without members")
	case n.Group:
		what = append(what, "load-order group")
	case n.Missing:
		what = append(what, "not installed")
	default:
		if n.State != 0 {
			what = append(what, n.State.String())
		}
		if n.StartType != nil {
			start := n.StartType.String()
			if n.DelayedAutoStart {
				start += " (delayed)"
			}
			what = append(what, start)
		}
		if n.Error != "" {
			what = append(what, "configuration unreadable: "+n.Error)
		}
	}
	if len(what) > 0 {
		lines = append(lines, strings.Join(what, ", "))
	}
	return lines
}

// cleanControls replaces the control characters of s (a display name may
// hold any) with spaces: neither language can show them.
func cleanControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
