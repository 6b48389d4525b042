package graphdraw

import (
	"fmt"
	"io"
	"strings"

	"github.com/winsvc/winsvc"
)

// Mermaid writes g as a Mermaid flowchart, laid out left to right, with a
// subgraph as the legend. Mermaid's default limits (50,000 characters,
// 500 edges) hold a service's neighbourhood, not every service of a
// machine: draw those with DOT.
func Mermaid(w io.Writer, g *winsvc.Graph) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	classes := map[*look][]string{}
	var roots []string
	for i, n := range g.Nodes {
		id := fmt.Sprintf("n%d", i)
		fmt.Fprintf(&b, "    %s%s\n", id, mermaidShape(n.Group, mermaidLabel(labelLines(n))))
		classes[lookOf(n)] = append(classes[lookOf(n)], id)
		if n.Root {
			roots = append(roots, id)
		}
	}
	var cycle []string
	for i, e := range g.Edges {
		arrow := "-->"
		switch {
		case e.Cycle:
			arrow = "==>" // thick
			cycle = append(cycle, fmt.Sprint(i))
		case e.Kind == winsvc.EdgeMember:
			arrow = "-.->" // dotted
		}
		fmt.Fprintf(&b, "    n%d %s n%d\n", e.From, arrow, e.To)
	}
	if len(cycle) > 0 {
		fmt.Fprintf(&b, "    linkStyle %s stroke:%s,stroke-width:3px\n", strings.Join(cycle, ","), cycleColor)
	}
	b.WriteString("    subgraph legend [\"Legend\"]\n")
	for _, l := range used(g) {
		id := "legend_" + l.class
		fmt.Fprintf(&b, "        %s%s\n", id, mermaidShape(l == lookGroup, mermaidLabel([]string{l.legend})))
		classes[l] = append(classes[l], id)
	}
	fmt.Fprintf(&b, "        legend_notes[%s]\n", mermaidLabel(legendNotes(g)))
	b.WriteString("    end\n")
	for _, l := range looks {
		style := "fill:" + l.fill + ",stroke:#333333"
		if l == lookMissing {
			style = "fill:" + l.fill + ",stroke:" + missingColor + ",color:" + missingColor + ",stroke-dasharray:5 5"
		}
		if len(classes[l]) > 0 {
			fmt.Fprintf(&b, "    classDef %s %s\n", l.class, style)
			fmt.Fprintf(&b, "    class %s %s\n", strings.Join(classes[l], ","), l.class)
		}
	}
	if len(roots) > 0 {
		b.WriteString("    classDef root stroke-width:4px\n")
		fmt.Fprintf(&b, "    class %s root\n", strings.Join(roots, ","))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidShape wraps a quoted label in a node's shape: a hexagon for a
// group, a rounded box for a service.
func mermaidShape(group bool, label string) string {
	if group {
		return "{{" + label + "}}"
	}
	return "(" + label + ")"
}

// mermaidEntities are the characters a label writes as Mermaid's entity
// codes (#name; or #decimal;): the quote that would end the string, the #
// and & that start entities, < and > that would be HTML, the backquote
// that starts a Markdown string, and : and % that Mermaid's preprocessing
// reads in any line (style and classDef lines, %% comments).
var mermaidEntities = map[rune]string{
	'"': "#quot;", '#': "#35;", '&': "#amp;", '<': "#lt;", '>': "#gt;", '`': "#96;", ':': "#58;", '%': "#37;",
}

// mermaidLabel quotes lines as one Mermaid string, the lines separated by
// <br>.
func mermaidLabel(lines []string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, line := range lines {
		if i > 0 {
			b.WriteString("<br>")
		}
		for _, r := range cleanControls(line) {
			if e, ok := mermaidEntities[r]; ok {
				b.WriteString(e)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
