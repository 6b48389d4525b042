package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"strconv"
	"strings"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/graphdraw"
)

var graphCmd = &command{name: "graph", group: groupExtra, summary: "Draw the dependencies: Graphviz DOT, Mermaid or SVG",
	usage: "graph [NAME] ... [--format dot|mermaid|svg] [--direction both|depends|dependents] [--depth N]",
	details: "Draws the services NAME depends on and the services that depend on NAME, each\n" +
		"recursively, with the load-order groups between them; with no NAME, every\n" +
		"service (programs and drivers) that depends on something or that something\n" +
		"depends on. An arrow goes from a service to what it depends on (what starts\n" +
		"first); a load-order group is a node (hexagon) with dashed arrows to its\n" +
		"members. A node's colour is the service's state (a legend says which); a\n" +
		"service that is not installed, or a group without members, is dashed and\n" +
		"red; the services named have a thick border. What depends on a service is\n" +
		"computed from every service's configuration.\n" +
		"--format dot (the default) writes Graphviz's language, mermaid a Mermaid\n" +
		"flowchart (for Markdown; Mermaid draws at most 500 edges by default: draw\n" +
		"every service with dot), svg the picture, made by Graphviz's dot program\n" +
		"(on PATH, or on Windows in Graphviz's install folder under Program Files);\n" +
		"without it, svg fails with 50: install Graphviz\n" +
		"(https://graphviz.org/download/) or use --format dot. --json writes the\n" +
		"graph as data: {\"nodes\", \"edges\", \"cycles\"}.\n" +
		"A circular dependency (Windows refuses one; an edit of the registry can make\n" +
		"one) is drawn with thick red arrows and named on stderr, and the exit status\n" +
		"is 2, as check's is when it finds something: the graph is printed in full.",
	examples: []string{"winsvc graph Tcpip --format svg > tcpip.svg", "winsvc graph RpcSs --direction dependents --depth 2 --format mermaid",
		"winsvc graph | dot -Tpng -o services.png"},
	options: []*option{optGraphFormat, optDirection, optDepth}, maxArgs: -1, nameArg: true,
	action: newAction(parseGraph, runGraph, renderGraph)}

// graphFormats are the drawings graph and EnumDepend --graph write.
var graphFormats = []string{"dot", "mermaid", "svg"}

var (
	optGraphFormat = &option{name: "format", value: "FORMAT", values: graphFormats, help: "dot (Graphviz, the default), mermaid, or svg (made by Graphviz's dot)"}
	optDirection   = &option{name: "direction", value: "DIRECTION", values: []string{"both", "depends", "dependents"},
		help: "what to follow from NAME: what it depends on, what depends on it, or both (the default)"}
	optDepth = &option{name: "depth", value: "N", help: "follow at most N arrows from NAME (a group and its member are two; default: all)"}
)

// exitCycle is the exit status of a graph with a circular dependency (the
// graph is still printed).
const exitCycle = 2

// GraphOptions are the Options of graph, and of EnumDepend --graph.
type GraphOptions struct {
	Names     []string // none: every service with a dependency or a dependent
	Format    string   // "dot", "mermaid" or "svg"
	Direction winsvc.Direction
	Depth     int // 0: no bound
}

func parseGraph(p *parsed) (*GraphOptions, error) {
	format, err := parseGraphFormat(p, optGraphFormat)
	if err != nil {
		return nil, err
	}
	o := &GraphOptions{Names: p.args, Format: format}
	switch d := strings.ToLower(p.str(optDirection)); d {
	case "", "both":
	case "depends":
		o.Direction = winsvc.DirectionDependsOn
	case "dependents":
		o.Direction = winsvc.DirectionDependents
	default:
		return nil, p.usagef("--direction %s: use both, depends or dependents", shortQuote(p.str(optDirection)))
	}
	if p.has(optDepth) {
		n, err := strconv.Atoi(p.str(optDepth))
		if err != nil || n < 1 {
			return nil, p.usagef("--depth %s: use a number of arrows, 1 or more", shortQuote(p.str(optDepth)))
		}
		o.Depth = n
	}
	return o, nil
}

// parseGraphFormat reads the drawing option o: "dot" when not given, and
// nothing with --json, which writes the graph as data.
func parseGraphFormat(p *parsed, o *option) (string, error) {
	f := strings.ToLower(p.str(o))
	switch {
	case p.has(o) && p.on(optJSON):
		return "", p.usagef("%s and --json: choose one (--json writes the graph as data)", o.display())
	case f == "":
		return "dot", nil
	case !containsFold(graphFormats, f):
		return "", p.usagef("%s %s: use dot, mermaid or svg", o.display(), shortQuote(p.str(o)))
	}
	return f, nil
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// graphResult is a graph, and how to print it.
type graphResult struct {
	graph  *winsvc.Graph
	format string
	dot    string // the path of Graphviz's dot, for svg
}

func runGraph(ctx context.Context, e *env, o *GraphOptions) (graphResult, error) {
	res := graphResult{format: o.Format}
	if o.Format == "svg" && !e.json {
		dot, err := e.findDot()
		if err != nil {
			return res, err // before reading anything
		}
		res.dot = dot
	}
	m, err := e.manager()
	if err != nil {
		return res, err
	}
	res.graph, err = m.DependencyGraph(ctx, winsvc.GraphOptions{Roots: o.Names, Direction: o.Direction, Depth: o.Depth})
	if err != nil {
		return res, err
	}
	for _, u := range res.graph.Unreadable {
		e.warn("could not read the configuration of %s (what it depends on is unknown)", u)
	}
	return res, nil
}

// renderGraph prints the graph, then names each circular dependency on
// stderr and exits with exitCycle if there is one.
func renderGraph(e *env, r graphResult) error {
	var err error
	switch {
	case e.json:
		err = e.writeJSON(r.graph)
	case r.format == "mermaid":
		err = graphdraw.Mermaid(e.io.Out, r.graph)
	case r.format == "svg":
		err = runDot(r.dot, r.graph, e.io.Out)
	default:
		err = graphdraw.DOT(e.io.Out, r.graph)
	}
	if err != nil {
		return err
	}
	for _, c := range r.graph.Cycles {
		e.warn("circular dependency: %s", cyclePath(r.graph, c))
	}
	if len(r.graph.Cycles) > 0 {
		return exitStatus(exitCycle)
	}
	return nil
}

// cyclePath writes a cycle as sc writes dependencies: a group as +NAME.
func cyclePath(g *winsvc.Graph, cycle []int) string {
	names := make([]string, len(cycle))
	for i, n := range cycle {
		names[i] = g.Nodes[n].Name
		if g.Nodes[n].Group {
			names[i] = "+" + names[i]
		}
	}
	return strings.Join(names, " -> ")
}

// runDot turns g into SVG with Graphviz's dot, written to w.
func runDot(dot string, g *winsvc.Graph, w io.Writer) error {
	var src, stderr bytes.Buffer
	if err := graphdraw.DOT(&src, g); err != nil {
		return err
	}
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = &src, w, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 500 {
			msg = msg[:500] + "..."
		}
		return fmt.Errorf("%s -Tsvg failed (%v): %s", dot, err, msg)
	}
	return nil
}

// errNoGraphviz is the error of --format svg where Graphviz's dot cannot
// be found: exit 50 (ERROR_NOT_SUPPORTED), as for what this machine cannot
// do.
type errNoGraphviz struct{ looked []string }

func (e errNoGraphviz) Error() string {
	where := "on PATH"
	if len(e.looked) > 0 {
		where += " nor at " + strings.Join(e.looked, ", ")
	}
	return "--format svg needs Graphviz's dot program, which is not " + where +
		": install Graphviz (https://graphviz.org/download/) or use --format dot"
}

func (errNoGraphviz) Unwrap() error { return errors.ErrUnsupported }

// findDot returns the path of Graphviz's dot: on PATH or, on Windows, in
// Graphviz's default install folders.
func (e *env) findDot() (string, error) {
	var looked []string
	for _, p := range dotCandidates(runtime.GOOS, e.f.Getenv) {
		if path, err := e.f.lookPath(p); err == nil {
			return path, nil
		}
		if p != "dot" {
			looked = append(looked, p)
		}
	}
	return "", errNoGraphviz{looked}
}

// dotCandidates are where to look for dot on goos: PATH, then on Windows
// Graphviz's install folder under each Program Files folder.
func dotCandidates(goos string, getenv func(string) string) []string {
	out := []string{"dot"}
	if goos != "windows" {
		return out
	}
	for _, v := range []string{"ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"} {
		dir := getenv(v)
		p := strings.TrimRight(dir, `\`) + `\Graphviz\bin\dot.exe`
		if dir != "" && !containsFold(out, p) {
			out = append(out, p)
		}
	}
	return out
}
