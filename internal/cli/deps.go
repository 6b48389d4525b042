package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/winsvc/winsvc"
)

var (
	enumDependCmd = &command{name: "EnumDepend", group: groupQuery, summary: "List the services that depend on a service",
		usage: "EnumDepend NAME [--tree | --graph dot|mermaid|svg]",
		details: "Lists the dependents, direct or not, as sc does. An SCM that does not track\n" +
			"dependents (Wine's) lists none; winsvc then computes them from every service's\n" +
			"configuration and says so. --tree shows both directions as trees: what NAME\n" +
			"depends on (services, and groups with their members) and what depends on it.\n" +
			"--graph draws both directions as 'winsvc graph NAME --format FORMAT' does (a\n" +
			"circular dependency exits 2; see 'winsvc help graph').\n" +
			"The JSON form is the tree: {service, dependsOn, dependents, dependentsSource}.",
		examples: []string{"winsvc EnumDepend Tcpip", "winsvc EnumDepend RpcSs --tree", "winsvc EnumDepend RpcSs --graph mermaid", "winsvc EnumDepend RpcSs --json"},
		options:  []*option{optTree, optGraph}, minArgs: 1, maxArgs: 1, nameArg: true,
		action: newAction(parseEnumDepend, runEnumDepend, renderEnumDepend)}
	restartCmd = &command{name: "restart", group: groupExtra, summary: "Stop and start a service, and bring back the dependents that were running",
		usage: "restart NAME [--no-wait] [--timeout D]",
		details: "Stops the active services that depend on NAME (each before the services it\n" +
			"depends on), stops NAME, starts it, then brings back the dependents, each to\n" +
			"the state it was in (a paused one is started and paused again), and names\n" +
			"them. A stopped service is just started. A service marked for deletion goes\n" +
			"once it stops, so restart stops it and fails with 1072: it cannot start again.\n" +
			"--timeout bounds the whole restart; on failure the error names the dependents\n" +
			"left stopped. --no-wait returns once the SCM accepted the start of NAME,\n" +
			"without waiting for RUNNING; the stops still wait (a service starts only once\n" +
			"stopped), and so does bringing back dependents, if any (a dependent starts\n" +
			"after NAME, and a paused one is paused again only once running). The JSON\n" +
			"form is {\"status\", \"restartedDependents\", \"pausedDependents\",\n" +
			"\"dependentsSource\"}.",
		examples: []string{"winsvc restart MySvc", "winsvc restart MySvc --timeout 2m --json", "winsvc restart MySvc --no-wait"},
		options:  []*option{optRestartNoWait, optTimeout}, minArgs: 1, maxArgs: 1, nameArg: true,
		action: newAction(parseRestart, runRestart, printsStatus(true))}
)

var optRestartNoWait = &option{name: "no-wait", bool: true, help: "do not wait for NAME to be RUNNING again (the stops, and the dependents brought back, still wait)"}

var (
	optTree  = &option{name: "tree", bool: true, help: "show what the service depends on and what depends on it, as trees"}
	optGraph = &option{name: "graph", value: "FORMAT", values: graphFormats, help: "draw what the service depends on and what depends on it: dot, mermaid or svg"}
)

// EnumDependOptions are the Options of EnumDepend.
type EnumDependOptions struct {
	Name  string
	Tree  bool
	Graph string // the drawing's format; "" for none
}

func parseEnumDepend(p *parsed) (*EnumDependOptions, error) {
	o := &EnumDependOptions{Name: p.arg(0), Tree: p.on(optTree)}
	if p.has(optGraph) {
		if o.Tree {
			return nil, p.usagef("--tree and --graph: choose one")
		}
		var err error
		if o.Graph, err = parseGraphFormat(p, optGraph); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// enumDependResult is what EnumDepend prints: the tree (JSON, --tree), sc's
// list of the dependents' statuses, or the drawing (--graph).
type enumDependResult struct {
	tree     *winsvc.DependencyTree
	asTree   bool
	statuses []winsvc.Status // the dependents, each once, parents first (sc's list)
	graph    *graphResult
}

func runEnumDepend(ctx context.Context, e *env, o *EnumDependOptions) (enumDependResult, error) {
	if o.Graph != "" {
		g, err := runGraph(ctx, e, &GraphOptions{Names: []string{o.Name}, Format: o.Graph})
		return enumDependResult{graph: &g}, err
	}
	m, err := e.manager()
	if err != nil {
		return enumDependResult{}, err
	}
	tree, err := m.DependencyTree(ctx, o.Name)
	if err != nil {
		return enumDependResult{}, err
	}
	for _, u := range tree.Unreadable {
		e.warn("the configuration of %s could not be read; its dependencies are unknown", u)
	}
	res := enumDependResult{tree: tree, asTree: o.Tree}
	if e.json || o.Tree {
		return res, nil
	}
	all, err := m.QueryAll(ctx, winsvc.QueryFilter{Types: winsvc.TypesAll})
	if err != nil {
		return res, err
	}
	byName := map[string]winsvc.Status{}
	for _, st := range all {
		byName[strings.ToLower(st.Name)] = st
	}
	names := dependentNames(tree.Dependents, nil, map[string]bool{strings.ToLower(tree.Service): true})
	if len(names) > 0 && tree.DependentsSource == winsvc.DependentsFromConfigurations {
		e.warn("this Service Control Manager does not track dependents; they were computed from the service configurations")
	}
	res.statuses = []winsvc.Status{}
	for _, n := range names {
		st, ok := byName[strings.ToLower(n)]
		if !ok {
			st = winsvc.Status{Name: n}
		}
		res.statuses = append(res.statuses, st)
	}
	return res, nil
}

func renderEnumDepend(e *env, r enumDependResult) error {
	switch {
	case r.graph != nil:
		return renderGraph(e, *r.graph)
	case e.json:
		return e.writeJSON(r.tree)
	case r.asTree:
		renderDependencyTree(e.io.Out, r.tree)
		return nil
	}
	e.printf("Enum: entriesRead  = %d\n", len(r.statuses))
	for _, st := range r.statuses {
		renderStatus(e.io.Out, st, statusLayout{displayName: true})
	}
	return nil
}

// dependentNames flattens a dependents tree into service names, each once
// and none in seen, parents before children.
func dependentNames(nodes []winsvc.DependencyNode, out []string, seen map[string]bool) []string {
	for _, n := range nodes {
		if !n.Group && !n.Missing && !n.Cycle && !seen[strings.ToLower(n.Name)] {
			seen[strings.ToLower(n.Name)] = true
			out = append(out, n.Name)
		}
		out = dependentNames(n.Children, out, seen)
	}
	return out
}

// renderDependencyTree prints both directions of a dependency tree.
func renderDependencyTree(w io.Writer, t *winsvc.DependencyTree) {
	serviceHeader(w, t.Service)
	fmt.Fprintf(w, "DEPENDS ON:\n")
	renderNodes(w, t.DependsOn, 1)
	source := "from the SCM"
	if t.DependentsSource == winsvc.DependentsFromConfigurations {
		source = "computed from the configurations"
	}
	fmt.Fprintf(w, "DEPENDENTS (%s):\n", source)
	renderNodes(w, t.Dependents, 1)
}

func renderNodes(w io.Writer, nodes []winsvc.DependencyNode, depth int) {
	if len(nodes) == 0 && depth == 1 {
		fmt.Fprintf(w, "        (none)\n")
	}
	for _, n := range nodes {
		var notes []string
		name := n.Name
		if n.Group {
			name = "+" + name
		}
		if n.State != 0 {
			notes = append(notes, n.State.String())
		}
		for _, f := range []struct {
			on   bool
			note string
		}{{n.Via != "", "via " + n.Via}, {n.Missing, "missing"}, {n.Cycle, "cycle"}, {n.Repeated, "see above"}, {n.Error != "", n.Error}} {
			if f.on {
				notes = append(notes, f.note)
			}
		}
		line := strings.Repeat("    ", depth+1) + name
		if len(notes) > 0 {
			line += "  (" + strings.Join(notes, ", ") + ")"
		}
		fmt.Fprintln(w, line)
		renderNodes(w, n.Children, depth+1)
	}
}

// stopJSON is the JSON document of stop --with-dependents.
type stopJSON struct {
	Status            winsvc.Status `json:"status"`
	StoppedDependents []string      `json:"stoppedDependents"` // in the order stopped
	// DependentsSource: "scm", or "configurations" where the SCM does not
	// track dependents (Wine's).
	DependentsSource winsvc.DependentsSource `json:"dependentsSource"`
}

// restartJSON is the JSON document of restart.
type restartJSON struct {
	Status              winsvc.Status           `json:"status"`
	RestartedDependents []string                `json:"restartedDependents"` // in the order brought back
	PausedDependents    []string                `json:"pausedDependents"`    // those among them paused again
	DependentsSource    winsvc.DependentsSource `json:"dependentsSource"`
}

// stopWithDependents is stop --with-dependents.
func stopWithDependents(ctx context.Context, e *env, m SCM, svc *winsvc.Service, o *TransitionOptions) (statusResult, error) {
	ctx, cancel := context.WithTimeout(ctx, o.Wait.Timeout)
	defer cancel()
	done := e.progress(ctx, byName{m}, o.Name, !o.Wait.NoWait)
	res, err := svc.StopWithDependents(ctx, o.Wait.controlOptions()...)
	done()
	e.noteDependents("stopped the dependents first", res.Names, err)
	if err != nil {
		return statusResult{}, err
	}
	st, err := e.statusAfter(ctx, byName{m}, o.Name, winsvc.Stopped)
	return statusResult{st, stopJSON{Status: st, StoppedDependents: nonNil(res.Names), DependentsSource: res.Source}}, err
}

// noteDependents names the dependents a verb stopped or started: on stderr
// in text; with --json they are in the document, so only a failure (which
// prints no document) names them, as a warning.
func (e *env) noteDependents(what string, names []string, err error) {
	switch {
	case len(names) == 0:
	case !e.json:
		e.note("%s: %s", what, strings.Join(names, ", "))
	case err != nil:
		e.warn("%s: %s", what, strings.Join(names, ", "))
	}
}

// RestartOptions are the Options of restart.
type RestartOptions struct {
	Name    string
	Timeout time.Duration
	NoWait  bool // do not wait for the final starts
}

func parseRestart(p *parsed) (*RestartOptions, error) {
	d, err := p.duration(optTimeout, defaultTimeout)
	return &RestartOptions{Name: p.arg(0), Timeout: d, NoWait: p.on(optRestartNoWait)}, err
}

func runRestart(ctx context.Context, e *env, o *RestartOptions) (statusResult, error) {
	m, svc, err := e.service(o.Name)
	if err != nil {
		return statusResult{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	done := e.progress(ctx, byName{m}, o.Name, true)
	var opts []winsvc.ControlOption
	if o.NoWait {
		opts = append(opts, winsvc.NoWait()) // the final start of NAME only
	}
	res, err := svc.Restart(ctx, opts...)
	done()
	what := "started the dependents again"
	if len(res.Paused) > 0 {
		what += fmt.Sprintf(" (paused again: %s)", strings.Join(res.Paused, ", "))
	}
	e.noteDependents(what, res.Names, err)
	if err != nil {
		return statusResult{}, err
	}
	st, err := e.statusOf(ctx, byName{m}, o.Name)
	return statusResult{st, restartJSON{Status: st, RestartedDependents: nonNil(res.Names),
		PausedDependents: nonNil(res.Paused), DependentsSource: res.Source}}, err
}
