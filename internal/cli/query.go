package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/valerr"
)

var (
	queryCmd = &command{name: "query", group: groupQuery, summary: "Show the status of a service, or of every service",
		usage: "query [NAME] [type= driver|service|all] [state= active|inactive|all] [group= GROUP]",
		details: "Without NAME, lists the services the filters select: by default the active\n" +
			"Win32 services, as sc does. type= can repeat (type= service type= interact).\n" +
			"bufsize= and ri= are accepted for sc compatibility and ignored: winsvc sizes\n" +
			"the buffer itself. With --json, a single service prints an object and a\n" +
			"listing prints an array.",
		examples: []string{"winsvc query MySvc", "winsvc query state= all", "winsvc query type= driver --json", `winsvc query group= ""`},
		options:  queryOptions, maxArgs: 1, nameArg: true,
		action: newAction(parseQuery, runQuery, printsQuery(false))}
	queryexCmd = &command{name: "queryex", group: groupQuery, summary: "Like query, with the process ID and flags",
		usage:    "queryex [NAME] [type= driver|service|all] [state= active|inactive|all] [group= GROUP]",
		examples: []string{"winsvc queryex MySvc", "winsvc queryex state= all --json"},
		options:  queryOptions, maxArgs: 1, nameArg: true,
		action: newAction(parseQuery, runQuery, printsQuery(true))}
	statusCmd = &command{name: "status", group: groupExtra, summary: "Exit 0 when a service is RUNNING, 3 otherwise",
		usage: "status NAME",
		details: "Prints the state. The exit status is 0 when the service is RUNNING and 3 when\n" +
			"it is installed but in any other state (as LSB init scripts do); a missing\n" +
			"service is an error (1060).",
		examples: []string{"winsvc status MySvc && echo up", "winsvc status MySvc --json"},
		minArgs:  1, maxArgs: 1, nameArg: true,
		action: newAction(parseName, runStatus, renderStatusVerb)}
	existsCmd = &command{name: "exists", group: groupExtra, summary: "Exit 0 when a service is installed, 1060 otherwise",
		usage:    "exists NAME",
		details:  "A service that exists but cannot be opened for lack of rights exists.",
		examples: []string{"winsvc exists MySvc || winsvc create MySvc binPath= C:\\app\\svc.exe"},
		minArgs:  1, maxArgs: 1, nameArg: true,
		action: newAction(parseName, runExists, renderExists)}
	getCmd = &command{name: "get", group: groupExtra, summary: "Show a service's whole configuration and its status",
		usage:    "get NAME",
		details:  "A setting this Service Control Manager cannot report shows why; in JSON it is\nnull, with the reason under \"unavailable\".",
		examples: []string{"winsvc get MySvc", "winsvc get MySvc --json"},
		minArgs:  1, maxArgs: 1, nameArg: true,
		action: newAction(parseName, runGet, renderGetVerb)}
)

var (
	optQType = &option{name: "type", sc: true, repeat: true, value: "TYPE", values: []string{"service", "driver", "all", "own", "share", "kernel", "filesys", "rec", "interact"},
		also: []string{"WIN32_OWN_PROCESS", "WIN32_SHARE_PROCESS", "KERNEL_DRIVER", "FILE_SYSTEM_DRIVER", "RECOGNIZER_DRIVER"}, help: "which services: service (default), driver, all, or a type"}
	optQState  = &option{name: "state", sc: true, value: "STATE", values: []string{"active", "inactive", "all"}, help: "active (default), inactive or all"}
	optQGroup  = &option{name: "group", sc: true, value: "GROUP", help: "only members of a load-order group; \"\" for services in no group"}
	optBufSize = &option{name: "bufsize", sc: true, value: "BYTES", help: "ignored (sc compatibility)"}
	optRI      = &option{name: "ri", sc: true, value: "INDEX", help: "ignored (sc compatibility)"}

	queryOptions = []*option{optQType, optQState, optQGroup, optBufSize, optRI}
)

// QueryOptions are the Options of query and queryex.
type QueryOptions struct {
	Name        string // one service; "" to enumerate
	Filter      winsvc.QueryFilter
	Interactive bool // type= interact: only interactive services
}

func parseQuery(p *parsed) (*QueryOptions, error) {
	o := &QueryOptions{Name: p.arg(0), Filter: winsvc.QueryFilter{States: winsvc.ActiveServices}}
	for _, v := range p.all(optQType) {
		t, interactive, err := parseTypeFilter(v)
		if err != nil {
			return nil, p.usagef("%v", err)
		}
		o.Filter.Types |= t
		o.Interactive = o.Interactive || interactive
	}
	if p.has(optQState) {
		s, err := parseStateFilter(p.str(optQState))
		if err != nil {
			return nil, p.usagef("%v", err)
		}
		o.Filter.States = s
	}
	if p.has(optQGroup) {
		o.Filter.Group = winsvc.Ptr(p.str(optQGroup))
	}
	return o, nil
}

// parseTypeFilter maps sc query's type= words to a type mask.
func parseTypeFilter(v string) (t winsvc.ServiceType, interactive bool, err error) {
	switch strings.ToLower(v) {
	case "service":
		return winsvc.TypesWin32, false, nil
	case "driver":
		return winsvc.TypesDrivers, false, nil
	case "all":
		return winsvc.TypesAll, false, nil
	case "interact":
		return 0, true, nil
	}
	t, err = parseEnum[winsvc.ServiceType](v)
	if err != nil || t == 0 || t&^winsvc.TypesAll != 0 {
		return 0, false, fmt.Errorf("type= %s: use service, driver, all, own, share, kernel, filesys, rec or interact", valerr.Quote(v))
	}
	return t, false, nil
}

func parseStateFilter(v string) (winsvc.StateFilter, error) {
	switch strings.ToLower(v) {
	case "active":
		return winsvc.ActiveServices, nil
	case "inactive":
		return winsvc.InactiveServices, nil
	case "all":
		return winsvc.AllServices, nil
	}
	return 0, fmt.Errorf("state= %s: use active, inactive or all", valerr.Quote(v))
}

// queryResult is what query and queryex print: one status (NAME given),
// or the list.
type queryResult struct {
	one  bool
	list []winsvc.Status
}

func runQuery(ctx context.Context, e *env, o *QueryOptions) (queryResult, error) {
	m, err := e.manager()
	if err != nil {
		return queryResult{}, err
	}
	if o.Name != "" {
		st, err := e.statusOf(ctx, byName{m}, o.Name)
		return queryResult{one: true, list: []winsvc.Status{st}}, err
	}
	f := o.Filter
	if o.Interactive && f.Types == 0 {
		f.Types = winsvc.TypesWin32
	}
	list, err := m.QueryAll(ctx, f)
	if err != nil {
		return queryResult{}, err
	}
	if o.Interactive {
		list = filterStatus(list, func(st winsvc.Status) bool { return st.ServiceType.Interactive() })
	}
	return queryResult{list: nonNil(list)}, nil
}

// printsQuery renders a queryResult as sc query does (sc queryex, with PID
// and FLAGS, when ex): one status block, or a block with the display name
// per service; in JSON, the status or an array of them.
func printsQuery(ex bool) func(e *env, r queryResult) error {
	return func(e *env, r queryResult) error {
		switch {
		case r.one:
			return e.printStatus(r.list[0], ex)
		case e.json:
			return writeJSONArray(e, r.list)
		}
		for _, st := range r.list {
			renderStatus(e.io.Out, st, statusLayout{displayName: true, ex: ex})
		}
		return nil
	}
}

func filterStatus(list []winsvc.Status, keep func(winsvc.Status) bool) []winsvc.Status {
	out := list[:0:0]
	for _, st := range list {
		if keep(st) {
			out = append(out, st)
		}
	}
	return out
}

func runStatus(ctx context.Context, e *env, o *NameOptions) (winsvc.Status, error) {
	m, err := e.manager()
	if err != nil {
		return winsvc.Status{}, err
	}
	return e.statusOf(ctx, byName{m}, o.Name)
}

// renderStatusVerb prints the state, and makes the exit status 3 when it
// is not RUNNING.
func renderStatusVerb(e *env, st winsvc.Status) error {
	if e.json {
		if err := e.writeJSON(st); err != nil {
			return err
		}
	} else {
		e.printf("%s\n", st.State)
	}
	if st.State != winsvc.Running {
		return exitStatus(exitNotRunning)
	}
	return nil
}

// existsJSON is exists' result, and its JSON document.
type existsJSON struct {
	Name   string `json:"name"`
	Exists bool   `json:"exists"`
}

func runExists(ctx context.Context, e *env, o *NameOptions) (existsJSON, error) {
	m, err := e.manager()
	if err != nil {
		return existsJSON{}, err
	}
	ok, err := byName{m}.Exists(ctx, o.Name)
	return existsJSON{o.Name, ok}, err
}

// renderExists prints whether the service exists, and makes the exit
// status 1060 when it does not.
func renderExists(e *env, r existsJSON) error {
	if e.json {
		if err := e.writeJSON(r); err != nil {
			return err
		}
	} else {
		e.printf("%v\n", r.Exists)
	}
	if !r.Exists {
		return exitStatus(winsvc.ErrNotFound)
	}
	return nil
}

// getJSON is get's result, and its JSON document.
type getJSON struct {
	Config *winsvc.Config `json:"config"`
	Status winsvc.Status  `json:"status"`
}

func runGet(ctx context.Context, e *env, o *NameOptions) (getJSON, error) {
	m, svc, err := e.load(ctx, o.Name)
	if err != nil {
		return getJSON{}, err
	}
	st, err := byName{m}.Status(ctx, o.Name)
	if errors.Is(err, winsvc.ErrAccessDenied) {
		e.warn("the status of %q cannot be read: %v", o.Name, err)
	} else if err != nil {
		return getJSON{}, err
	}
	c := svc.Config()
	st.DisplayName = c.DisplayName
	return getJSON{Config: c, Status: st}, nil
}

func renderGetVerb(e *env, r getJSON) error {
	if e.json {
		return e.writeJSON(r)
	}
	renderGet(e.io.Out, r.Config, r.Status)
	return nil
}
