package cli

import (
	"context"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/winsvc/winsvc"
)

var listCmd = &command{name: "list", group: groupExtra, summary: "List services in a table: name, state, start type, PID, display name",
	usage: "list [--state S] [--start T] [--type service|driver|all] [--group G] [--name PATTERN] [--names]",
	details: "Lists every Win32 service by default. --state takes running, stopped, paused,\n" +
		"pending, active, inactive or all; --start takes auto, delayed-auto, demand,\n" +
		"disabled, boot or system; --name takes a pattern with * and ?, matched against\n" +
		"the name and the display name, case-insensitively. --names prints only the\n" +
		"names (what shell completion uses). A service whose start type cannot be\n" +
		"read shows ? (null in JSON) instead of failing the listing; in JSON,\n" +
		"delayedAutoStart is null where the SCM cannot report it, as in get (where\n" +
		"unavailable says why).",
	examples: []string{"winsvc list", "winsvc list --state running --start auto", `winsvc list --name "win*" --json`, "winsvc list --names"},
	options:  []*option{optLState, optLStart, optLType, optLGroup, optLName, optNames},
	action:   newAction(parseList, runList, renderListVerb)}

var (
	optLState = &option{name: "state", value: "STATE", values: []string{"running", "stopped", "paused", "pending", "active", "inactive", "all"}, help: "only services in this state"}
	optLStart = &option{name: "start", value: "START", values: startWords, also: startAliases, help: "only services with this start type"}
	optLType  = &option{name: "type", value: "TYPE", values: []string{"service", "driver", "all"}, help: "service (default), driver or all"}
	optLGroup = &option{name: "group", value: "GROUP", help: "only members of a load-order group"}
	optLName  = &option{name: "name", value: "PATTERN", help: "only services whose name or display name matches (* and ?)"}
	optNames  = &option{name: "names", bool: true, help: "print only the service names, one per line"}
)

// ListOptions are the Options of list.
type ListOptions struct {
	Filter    winsvc.QueryFilter
	State     string // running, stopped, paused, pending; "" for any
	Start     string // auto, delayed-auto, demand, ...; "" for any
	Pattern   string
	NamesOnly bool
}

func parseList(p *parsed) (*ListOptions, error) {
	o := &ListOptions{Pattern: strings.ToLower(p.str(optLName)), NamesOnly: p.on(optNames)}
	if p.has(optLType) {
		t, interactive, err := parseTypeFilter(p.str(optLType))
		if err != nil || interactive {
			return nil, p.usagef("--type %q: use service, driver or all", p.str(optLType))
		}
		o.Filter.Types = t
	}
	if p.has(optLGroup) {
		o.Filter.Group = winsvc.Ptr(p.str(optLGroup))
	}
	switch s := strings.ToLower(p.str(optLState)); s {
	case "", "all":
	case "active", "inactive":
		o.Filter.States, _ = parseStateFilter(s)
	case "running", "stopped", "paused", "pending":
		o.State = s
	default:
		return nil, p.usagef("--state %q: use running, stopped, paused, pending, active, inactive or all", p.str(optLState))
	}
	if p.has(optLStart) {
		var d winsvc.Definition
		if err := parseStart(p.str(optLStart), &d); err != nil {
			return nil, p.usagef("--start %v", err)
		}
		// The label list shows, which the rows are matched against.
		o.Start = listEntry{StartType: d.StartType, DelayedAutoStart: d.DelayedAutoStart}.startLabel()
	}
	if _, err := path.Match(o.Pattern, ""); err != nil {
		return nil, p.usagef("--name %q: %v", p.str(optLName), err)
	}
	return o, nil
}

// listEntry is one row of list.
type listEntry struct {
	Name             string             `json:"name"`
	DisplayName      string             `json:"displayName"`
	State            winsvc.State       `json:"state"`
	StartType        *winsvc.StartType  `json:"startType"`        // null when it cannot be read
	DelayedAutoStart *bool              `json:"delayedAutoStart"` // null when it cannot be read, as in get
	ProcessID        uint32             `json:"processId"`
	ServiceType      winsvc.ServiceType `json:"serviceType"`
}

// startLabel is the start type as list shows it.
func (l listEntry) startLabel() string {
	switch {
	case l.StartType == nil:
		return "?"
	case *l.StartType == winsvc.AutoStart && l.DelayedAutoStart != nil && *l.DelayedAutoStart:
		return "delayed-auto"
	}
	return strings.ToLower(strings.TrimSuffix(l.StartType.String(), "_START"))
}

func (l listEntry) stateMatches(want string) bool {
	switch want {
	case "":
		return true
	case "pending":
		return l.State.Pending()
	}
	return strings.EqualFold(l.State.String(), want)
}

// listResult is what list prints: the rows, or only their names.
type listResult struct {
	rows      []listEntry
	namesOnly bool
}

func runList(ctx context.Context, e *env, o *ListOptions) (listResult, error) {
	m, err := e.manager()
	if err != nil {
		return listResult{}, err
	}
	all, err := m.QueryAll(ctx, o.Filter)
	if err != nil {
		return listResult{}, err
	}
	rows := []listEntry{}
	for _, st := range all {
		l := listEntry{Name: st.Name, DisplayName: st.DisplayName, State: st.State, ProcessID: st.ProcessID, ServiceType: st.ServiceType}
		if l.stateMatches(o.State) && o.nameMatches(l) {
			rows = append(rows, l)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return strings.ToLower(rows[i].Name) < strings.ToLower(rows[j].Name) })
	if o.NamesOnly {
		return listResult{rows: rows, namesOnly: true}, nil
	}
	loadStartTypes(ctx, m, rows)
	if o.Start != "" {
		kept := rows[:0]
		for _, l := range rows {
			if l.startLabel() == o.Start {
				kept = append(kept, l)
			}
		}
		rows = kept
	}
	return listResult{rows: rows}, nil
}

func renderListVerb(e *env, r listResult) error {
	switch {
	case r.namesOnly:
		return e.printNames(r.rows)
	case e.json:
		return e.writeJSON(r.rows)
	}
	renderList(e.io.Out, r.rows)
	return nil
}

func (o *ListOptions) nameMatches(l listEntry) bool {
	if o.Pattern == "" {
		return true
	}
	a, _ := path.Match(o.Pattern, strings.ToLower(l.Name))
	b, _ := path.Match(o.Pattern, strings.ToLower(l.DisplayName))
	return a || b
}

func (e *env) printNames(rows []listEntry) error {
	names := make([]string, len(rows))
	for i, l := range rows {
		names[i] = l.Name
	}
	if e.json {
		return e.writeJSON(names)
	}
	for _, n := range names {
		e.printf("%s\n", n)
	}
	return nil
}

// listReaders is how many configurations list reads at once: 0 is
// winsvc.DefaultWorkers. BenchmarkListRead sets 1 to time the sequential
// read the pool replaced.
var listReaders = 0

// loadStartTypes fills in the start types, which the enumeration does not
// report, from each core configuration (it has the delayed flag), read on
// the library's pool in the rows' order. A service that cannot be read
// keeps a nil start type, and a flag the SCM cannot report stays nil, as
// get shows it.
func loadStartTypes(ctx context.Context, m SCM, rows []listEntry) {
	names := make([]string, len(rows))
	for i, l := range rows {
		names[i] = l.Name
	}
	for i, r := range m.Configs(ctx, names, winsvc.ConfigsOptions{Core: true, Workers: listReaders}) {
		if r.Err != nil {
			continue
		}
		l := &rows[i]
		l.StartType = &r.Config.StartType
		if r.Config.Available(winsvc.FieldDelayedAutoStart) {
			l.DelayedAutoStart = &r.Config.DelayedAutoStart
		}
	}
}

// renderList prints list's table.
func renderList(w io.Writer, rows []listEntry) {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATE\tSTART\tPID\tDISPLAY NAME")
	for _, l := range rows {
		pid := "-"
		if l.ProcessID != 0 {
			pid = fmt.Sprint(l.ProcessID)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", l.Name, l.State, l.startLabel(), pid, l.DisplayName)
	}
	tw.Flush()
}
