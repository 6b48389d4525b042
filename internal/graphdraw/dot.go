package graphdraw

import (
	"fmt"
	"io"
	"strings"

	"github.com/winsvc/winsvc"
)

// DOT writes g as a Graphviz digraph (render it with dot -Tsvg), laid out
// left to right, with an HTML-like table as the legend.
func DOT(w io.Writer, g *winsvc.Graph) error {
	var b strings.Builder
	b.WriteString("digraph dependencies {\n")
	b.WriteString("\tgraph [rankdir=LR, fontname=\"Helvetica\"];\n")
	b.WriteString("\tnode [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fillcolor=\"#ffffff\"];\n")
	b.WriteString("\tedge [fontname=\"Helvetica\"];\n")
	for i, n := range g.Nodes {
		attrs := []string{"label=" + dotLabel(labelLines(n)), fmt.Sprintf("fillcolor=%q", lookOf(n).fill)}
		if n.Group {
			attrs = append(attrs, "shape=hexagon")
		}
		if n.Missing {
			attrs = append(attrs, `style="rounded,filled,dashed"`, fmt.Sprintf("color=%q", missingColor), fmt.Sprintf("fontcolor=%q", missingColor))
		}
		if n.Root {
			attrs = append(attrs, "penwidth=3")
		}
		fmt.Fprintf(&b, "\tn%d [%s];\n", i, strings.Join(attrs, ", "))
	}
	for _, e := range g.Edges {
		var attrs []string
		if e.Kind == winsvc.EdgeMember {
			attrs = append(attrs, "style=dashed")
		}
		if e.Cycle {
			attrs = append(attrs, fmt.Sprintf("color=%q", cycleColor), "penwidth=3")
		}
		fmt.Fprintf(&b, "\tn%d -> n%d", e.From, e.To)
		if len(attrs) > 0 {
			fmt.Fprintf(&b, " [%s]", strings.Join(attrs, ", "))
		}
		b.WriteString(";\n")
	}
	writeDOTLegend(&b, g)
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeDOTLegend writes the legend: a table of the fills g uses, then the
// notes about edges and borders. Its text is the package's own, never a
// name.
func writeDOTLegend(b *strings.Builder, g *winsvc.Graph) {
	b.WriteString("\tlegend [shape=plain, style=\"\", label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"4\">\n")
	b.WriteString("\t\t<TR><TD COLSPAN=\"2\"><B>Legend</B></TD></TR>\n")
	for _, l := range used(g) {
		border := ""
		if l == lookMissing {
			border = fmt.Sprintf(" COLOR=%q STYLE=\"dashed\"", missingColor)
		}
		fmt.Fprintf(b, "\t\t<TR><TD BGCOLOR=%q WIDTH=\"24\"%s></TD><TD ALIGN=\"LEFT\">%s</TD></TR>\n", l.fill, border, l.legend)
	}
	for _, n := range legendNotes(g) {
		fmt.Fprintf(b, "\t\t<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\">%s</TD></TR>\n", n)
	}
	b.WriteString("\t\t</TABLE>>];\n")
}

// dotLabel quotes lines as one DOT string, a line each. In a quoted DOT
// string only \" is an escape, but a label gives every backslash a meaning
// (\n, \N the node's name, \G the graph's, ...): a backslash is written
// \\, which a label shows as one backslash.
func dotLabel(lines []string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, line := range lines {
		if i > 0 {
			b.WriteString(`\n`)
		}
		for _, r := range cleanControls(line) {
			if r == '"' || r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
