package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/winsvc/winsvc"
)

func init() {
	register(
		&command{name: "query", group: groupQuery, summary: "Show the status of a service, or of every service",
			usage: "query [NAME] [type= driver|service|all] [state= active|inactive|all] [group= GROUP]",
			details: "Without NAME, lists the services the filters select: by default the active\n" +
				"Win32 services, as sc does. type= can repeat (type= service type= interact).\n" +
				"bufsize= and ri= are accepted for sc compatibility and ignored: winsvc sizes\n" +
				"the buffer itself. With --json, a single service prints an object and a\n" +
				"listing prints an array.",
			examples: []string{"winsvc query MySvc", "winsvc query state= all", "winsvc query type= driver --json", `winsvc query group= ""`},
			options:  queryOptions, maxArgs: 1, nameArg: true, build: buildQuery},
		&command{name: "queryex", group: groupQuery, summary: "Like query, with the process ID and flags",
			usage:    "queryex [NAME] [type= driver|service|all] [state= active|inactive|all] [group= GROUP]",
			examples: []string{"winsvc queryex MySvc", "winsvc queryex state= all --json"},
			options:  queryOptions, maxArgs: 1, nameArg: true, build: buildQuery},
		&command{name: "status", group: groupExtra, summary: "Exit 0 when a service is RUNNING, 3 otherwise",
			usage: "status NAME",
			details: "Prints the state. The exit status is 0 when the service is RUNNING and 3 when\n" +
				"it is installed but in any other state (as LSB init scripts do); a missing\n" +
				"service is an error (1060).",
			examples: []string{"winsvc status MySvc && echo up", "winsvc status MySvc --json"},
			minArgs:  1, maxArgs: 1, nameArg: true, build: buildName(func(n string) runner { return &StatusOptions{Name: n} })},
		&command{name: "exists", group: groupExtra, summary: "Exit 0 when a service is installed, 1060 otherwise",
			usage:    "exists NAME",
			details:  "A service that exists but cannot be opened for lack of rights exists.",
			examples: []string{"winsvc exists MySvc || winsvc create MySvc binPath= C:\\app\\svc.exe"},
			minArgs:  1, maxArgs: 1, nameArg: true, build: buildName(func(n string) runner { return &ExistsOptions{Name: n} })},
		&command{name: "get", group: groupExtra, summary: "Show a service's whole configuration and its status",
			usage:    "get NAME",
			details:  "A setting this Service Control Manager cannot report shows why; in JSON it is\nnull, with the reason under \"unavailable\".",
			examples: []string{"winsvc get MySvc", "winsvc get MySvc --json"},
			minArgs:  1, maxArgs: 1, nameArg: true, build: buildName(func(n string) runner { return &GetOptions{Name: n} })},
	)
}

const groupExtra = "Beyond sc"

var (
	optQType   = &option{name: "type", sc: true, repeat: true, value: "TYPE", values: []string{"service", "driver", "all", "own", "share", "kernel", "filesys", "rec", "interact"}, help: "which services: service (default), driver, all, or a type"}
	optQState  = &option{name: "state", sc: true, value: "STATE", values: []string{"active", "inactive", "all"}, help: "active (default), inactive or all"}
	optQGroup  = &option{name: "group", sc: true, value: "GROUP", help: "only members of a load-order group; \"\" for services in no group"}
	optBufSize = &option{name: "bufsize", sc: true, value: "BYTES", help: "ignored (sc compatibility)"}
	optRI      = &option{name: "ri", sc: true, value: "INDEX", help: "ignored (sc compatibility)"}

	queryOptions = []*option{optQType, optQState, optQGroup, optBufSize, optRI}
)

// buildName builds the Options of a verb whose only argument is a name.
func buildName(newOpts func(name string) runner) func(p *parsed) (runner, error) {
	return func(p *parsed) (runner, error) { return newOpts(p.arg(0)), nil }
}

// QueryOptions are the Options of query and queryex.
type QueryOptions struct {
	Ex          bool   // queryex
	Name        string // one service; "" to enumerate
	Filter      winsvc.QueryFilter
	Interactive bool // type= interact: only interactive services
}

func buildQuery(p *parsed) (runner, error) {
	o := &QueryOptions{Ex: p.cmd.name == "queryex", Name: p.arg(0), Filter: winsvc.QueryFilter{States: winsvc.ActiveServices}}
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
		return 0, false, fmt.Errorf("type= %q: use service, driver, all, own, share, kernel, filesys, rec or interact", v)
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
	return 0, fmt.Errorf("state= %q: use active, inactive or all", v)
}

func (o *QueryOptions) run(ctx context.Context, e *env) error {
	m, err := e.manager()
	if err != nil {
		return err
	}
	if o.Name != "" {
		return e.showStatus(ctx, byName{m}, o.Name, o.Ex)
	}
	f := o.Filter
	if o.Interactive && f.Types == 0 {
		f.Types = winsvc.TypesWin32
	}
	list, err := m.QueryAll(ctx, f)
	if err != nil {
		return err
	}
	if o.Interactive {
		list = filterStatus(list, func(st winsvc.Status) bool { return st.ServiceType.Interactive() })
	}
	if e.json {
		return e.writeJSON(nonNil(list))
	}
	for _, st := range list {
		renderStatus(e.io.Out, st, statusLayout{displayName: true, ex: o.Ex})
	}
	return nil
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

// StatusOptions are the Options of status.
type StatusOptions struct{ Name string }

func (o *StatusOptions) run(ctx context.Context, e *env) error {
	m, err := e.manager()
	if err != nil {
		return err
	}
	st, err := e.statusOf(ctx, byName{m}, o.Name)
	if err != nil {
		return err
	}
	if e.json {
		err = e.writeJSON(st)
	} else {
		e.printf("%s\n", st.State)
	}
	if err == nil && st.State != winsvc.Running {
		return exitStatus(exitNotRunning)
	}
	return err
}

// ExistsOptions are the Options of exists.
type ExistsOptions struct{ Name string }

func (o *ExistsOptions) run(ctx context.Context, e *env) error {
	m, err := e.manager()
	if err != nil {
		return err
	}
	ok, err := byName{m}.Exists(ctx, o.Name)
	if err != nil {
		return err
	}
	if e.json {
		err = e.writeJSON(struct {
			Name   string `json:"name"`
			Exists bool   `json:"exists"`
		}{o.Name, ok})
	} else {
		e.printf("%v\n", ok)
	}
	if err == nil && !ok {
		return exitStatus(winsvc.ErrNotFound)
	}
	return err
}

// GetOptions are the Options of get.
type GetOptions struct{ Name string }

// getJSON is get's JSON document.
type getJSON struct {
	Config *winsvc.Config `json:"config"`
	Status winsvc.Status  `json:"status"`
}

func (o *GetOptions) run(ctx context.Context, e *env) error {
	m, svc, err := e.load(ctx, o.Name)
	if err != nil {
		return err
	}
	st, err := byName{m}.Status(ctx, o.Name)
	if errors.Is(err, winsvc.ErrAccessDenied) {
		e.warn("the status of %q cannot be read: %v", o.Name, err)
	} else if err != nil {
		return err
	}
	c := svc.Config()
	st.DisplayName = c.DisplayName
	if e.json {
		return e.writeJSON(getJSON{Config: c, Status: st})
	}
	renderGet(e.io.Out, c, st)
	return nil
}
