package graphdraw

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// No Mermaid parser runs in Go, and mermaid-cli needs a browser, so the
// Mermaid output is checked here against the grammar of the subset of
// flowchart syntax it uses (checkMermaid), and its labels are decoded back
// to the text they stand for.

var (
	mmID        = `[A-Za-z][A-Za-z0-9_]*`
	mmString    = `"([^"]*)"`
	mmNode      = regexp.MustCompile(`^(` + mmID + `)(?:\(` + mmString + `\)|\{\{` + mmString + `\}\}|\[` + mmString + `\])$`)
	mmEdge      = regexp.MustCompile(`^(` + mmID + `) (-->|-\.->|==>) (` + mmID + `)$`)
	mmLinkStyle = regexp.MustCompile(`^linkStyle ([0-9]+(?:,[0-9]+)*) (.+)$`)
	mmClassDef  = regexp.MustCompile(`^classDef (` + mmID + `) (.+)$`)
	mmClass     = regexp.MustCompile(`^class (` + mmID + `(?:,` + mmID + `)*) (` + mmID + `)$`)
	mmSubgraph  = regexp.MustCompile(`^subgraph (` + mmID + `) \[` + mmString + `\]$`)
	mmStyle     = regexp.MustCompile(`^(fill|stroke|color|stroke-width|stroke-dasharray):([#A-Za-z0-9 .]+)$`)
	// An entity is #name; or #decimal;, as Mermaid decodes them.
	mmEntity   = regexp.MustCompile(`#([a-z]+|[0-9]+);`)
	mmEntities = map[string]string{"quot": `"`, "amp": "&", "lt": "<", "gt": ">"}
	// Mermaid's keywords, which a node id must not be.
	mmKeywords = []string{"end", "graph", "flowchart", "subgraph", "style", "class", "classDef", "linkStyle", "click", "call", "href", "default", "direction", "interpolate", "accTitle", "accDescr"}
)

// checkMermaid checks that src is a flowchart in the subset of Mermaid's
// syntax the package writes, and returns the decoded labels of its nodes
// by id.
func checkMermaid(src string) (map[string][]string, error) {
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if lines[0] != "flowchart LR" {
		return nil, fmt.Errorf("line 1: %q, want flowchart LR", lines[0])
	}
	labels := map[string][]string{}
	classDefs := map[string]bool{}
	var classUses []string
	var used []string // ids named by edges and class statements
	edges, depth := 0, 0
	var linkStyles []int
	for i, line := range lines[1:] {
		at := fmt.Sprintf("line %d (%q)", i+2, line)
		line = strings.TrimSpace(line)
		var m []string
		switch {
		case line == "end":
			if depth--; depth < 0 {
				return nil, fmt.Errorf("%s: end without subgraph", at)
			}
		case mmSubgraph.MatchString(line):
			m = mmSubgraph.FindStringSubmatch(line)
			if _, err := decodeMermaid(m[2]); err != nil {
				return nil, fmt.Errorf("%s: %v", at, err)
			}
			if depth++; depth > 1 {
				return nil, fmt.Errorf("%s: nested subgraph", at)
			}
		case mmNode.MatchString(line):
			m = mmNode.FindStringSubmatch(line)
			if _, dup := labels[m[1]]; dup {
				return nil, fmt.Errorf("%s: node %s defined twice", at, m[1])
			}
			label, err := decodeMermaid(m[2] + m[3] + m[4])
			if err != nil {
				return nil, fmt.Errorf("%s: %v", at, err)
			}
			labels[m[1]] = label
			used = append(used, m[1])
		case mmEdge.MatchString(line):
			m = mmEdge.FindStringSubmatch(line)
			used = append(used, m[1], m[3])
			for _, id := range []string{m[1], m[3]} {
				if _, ok := labels[id]; !ok {
					return nil, fmt.Errorf("%s: edge to %s, defined nowhere before (Mermaid would make an empty node)", at, id)
				}
			}
			edges++
		case mmLinkStyle.MatchString(line):
			m = mmLinkStyle.FindStringSubmatch(line)
			for _, n := range strings.Split(m[1], ",") {
				k, _ := strconv.Atoi(n)
				linkStyles = append(linkStyles, k)
			}
			if err := checkStyle(m[2]); err != nil {
				return nil, fmt.Errorf("%s: %v", at, err)
			}
		case mmClassDef.MatchString(line):
			m = mmClassDef.FindStringSubmatch(line)
			classDefs[m[1]] = true
			if err := checkStyle(m[2]); err != nil {
				return nil, fmt.Errorf("%s: %v", at, err)
			}
		case mmClass.MatchString(line):
			m = mmClass.FindStringSubmatch(line)
			ids := strings.Split(m[1], ",")
			used = append(used, ids...)
			for _, id := range ids {
				if _, ok := labels[id]; !ok {
					return nil, fmt.Errorf("%s: class of %s, defined nowhere before", at, id)
				}
			}
			classUses = append(classUses, m[2])
		default:
			return nil, fmt.Errorf("%s: not in the grammar", at)
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("a subgraph is not closed")
	}
	for _, k := range linkStyles {
		if k >= edges {
			return nil, fmt.Errorf("linkStyle %d: there are %d edges", k, edges)
		}
	}
	for _, c := range classUses {
		if !classDefs[c] {
			return nil, fmt.Errorf("class %s has no classDef", c)
		}
	}
	for _, id := range append(used, "legend") {
		if slices.ContainsFunc(mmKeywords, func(k string) bool { return strings.EqualFold(k, id) }) {
			return nil, fmt.Errorf("id %s is a Mermaid keyword", id)
		}
	}
	return labels, nil
}

// checkStyle checks a list of CSS properties as classDef and linkStyle take
// them.
func checkStyle(s string) error {
	for _, p := range strings.Split(s, ",") {
		if !mmStyle.MatchString(p) {
			return fmt.Errorf("style %q: not property:value", p)
		}
	}
	return nil
}

// decodeMermaid checks the inside of a quoted label and returns the text
// it shows, a line per <br>: no character Mermaid would read as syntax,
// and every # starting a known entity.
func decodeMermaid(s string) ([]string, error) {
	for _, r := range s {
		if r < 0x20 || strings.ContainsRune("\"`%:", r) {
			return nil, fmt.Errorf("label %q: unescaped %q", s, r)
		}
	}
	var lines []string
	for _, part := range strings.Split(s, "<br>") {
		if strings.ContainsAny(part, "<>&") {
			return nil, fmt.Errorf("label %q: unescaped HTML", s)
		}
		var bad error
		line := mmEntity.ReplaceAllStringFunc(part, func(e string) string {
			name := e[1 : len(e)-1]
			if n, err := strconv.Atoi(name); err == nil {
				return string(rune(n))
			}
			if v, ok := mmEntities[name]; ok {
				return v
			}
			bad = fmt.Errorf("label %q: unknown entity %s", s, e)
			return ""
		})
		if bad != nil {
			return nil, bad
		}
		if strings.Contains(mmEntity.ReplaceAllString(part, ""), "#") {
			return nil, fmt.Errorf("label %q: a # that starts no entity", s)
		}
		lines = append(lines, line)
	}
	return lines, nil
}

func TestMermaidGrammar(t *testing.T) {
	for name, g := range graphs {
		labels, err := checkMermaid(draw(t, "mmd", g()))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for i, n := range g().Nodes {
			want := labelLines(n)
			for j := range want {
				want[j] = cleanControls(want[j])
			}
			if got := labels[fmt.Sprintf("n%d", i)]; !slices.Equal(got, want) {
				t.Errorf("%s: node %d shows %q, want %q", name, i, got, want)
			}
		}
	}
}

// The checker refuses what Mermaid would misread.
func TestMermaidCheckerRefuses(t *testing.T) {
	for _, src := range []string{
		"graph TD\n",
		"flowchart LR\n    n0(\"a \"quoted\" b\")\n",
		"flowchart LR\n    n0(\"a#b\")\n",
		"flowchart LR\n    n0(\"a #bogus; b\")\n",
		"flowchart LR\n    n0(\"<b>bold</b>\")\n",
		"flowchart LR\n    n0(\"style: x\")\n",
		"flowchart LR\n    n0(\"a\")\n    n0 --> n1\n",
		"flowchart LR\n    n0(\"a\")\n    n1(\"b\")\n    n0 --> n1\n    linkStyle 1 stroke:#000000\n",
		"flowchart LR\n    end(\"a\")\n",
		"flowchart LR\n    subgraph legend [\"L\"]\n",
		"flowchart LR\n    n0(\"a\")\n    class n0 nodef\n",
		"flowchart LR\n    n0(\"a\")\n    n0(\"b\")\n",
		"flowchart LR\n    n0 a\n",
	} {
		if _, err := checkMermaid(src); err == nil {
			t.Errorf("accepted:\n%s", src)
		}
	}
}
