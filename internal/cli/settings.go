package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/winsvc/winsvc"
)

// This file holds the verbs that read one setting (qc, qdescription,
// qfailure, ...) and the ones that change one (description, failure, ...).

func init() {
	q := func(name, summary string, example string) *command {
		return &command{name: name, group: groupQuery, summary: summary, usage: name + " NAME",
			examples: []string{example}, minArgs: 1, maxArgs: 1, nameArg: true, build: buildQuerySetting}
	}
	register(
		q("qc", "Show a service's configuration", "winsvc qc MySvc"),
		q("qdescription", "Show a service's description", "winsvc qdescription MySvc"),
		q("qfailure", "Show what the SCM does when a service fails", "winsvc qfailure MySvc --json"),
		q("qfailureflag", "Show whether failure actions also apply to non-crash failures", "winsvc qfailureflag MySvc"),
		q("qsidtype", "Show a service's SID type", "winsvc qsidtype MySvc"),
		q("qprivs", "Show the privileges a service requires", "winsvc qprivs MySvc"),
		q("qtriggerinfo", "Show a service's start and stop triggers", "winsvc qtriggerinfo w32time"),
		q("qpreferrednode", "Show a service's preferred NUMA node", "winsvc qpreferrednode MySvc"),
		q("qprotection", "Show a service's launch protection level", "winsvc qprotection WinDefend"),
		&command{name: "description", group: groupConfig, summary: "Set a service's description",
			usage: "description NAME [TEXT ...]",
			details: "The words of TEXT are joined with spaces. An empty or missing TEXT removes the\n" +
				"description. TEXT is text even where it looks like an option (\"-x\", \"ratio=\"),\n" +
				"except for winsvc's own options (--json, --help): put \"--\" before those.",
			examples: []string{`winsvc description MySvc "Serves the API"`, `winsvc description MySvc ""`, `winsvc description MySvc -- "--json is not an option here"`},
			minArgs:  1, maxArgs: -1, nameArg: true, passthrough: true, build: buildSetSetting},
		&command{name: "failureflag", group: groupConfig, summary: "Apply failure actions also to non-crash failures (1) or not (0)",
			usage: "failureflag NAME 0|1", examples: []string{"winsvc failureflag MySvc 1"},
			args:    [][]string{nil, {"0", "1"}},
			minArgs: 2, maxArgs: 2, nameArg: true, build: buildSetSetting},
		&command{name: "sidtype", group: groupConfig, summary: "Set a service's SID type",
			usage: "sidtype NAME none|unrestricted|restricted", examples: []string{"winsvc sidtype MySvc unrestricted"},
			args:    [][]string{nil, {"none", "unrestricted", "restricted"}},
			minArgs: 2, maxArgs: 2, nameArg: true, build: buildSetSetting},
		&command{name: "privs", group: groupConfig, summary: "Set the privileges a service requires",
			usage: "privs NAME SePriv1/SePriv2/...", details: "The privileges are separated by /; \"/\" alone or \"\" removes them all.",
			examples: []string{"winsvc privs MySvc SeChangeNotifyPrivilege/SeImpersonatePrivilege"},
			minArgs:  2, maxArgs: 2, nameArg: true, build: buildSetSetting},
		&command{name: "preferrednode", group: groupConfig, summary: "Set or delete a service's preferred NUMA node",
			usage: "preferrednode NAME NODE|delete", examples: []string{"winsvc preferrednode MySvc 1", "winsvc preferrednode MySvc delete"},
			args:    [][]string{nil, {"delete"}},
			minArgs: 2, maxArgs: 2, nameArg: true, build: buildSetSetting},
		&command{name: "triggerinfo", group: groupConfig, summary: "Set a service's start and stop triggers",
			usage:    "triggerinfo NAME TRIGGER [TRIGGER ...] | delete",
			details:  triggerHelp,
			examples: []string{"winsvc triggerinfo MySvc start/networkon stop/networkoff", "winsvc triggerinfo MySvc start/portopen/8080;tcp;C:\\app\\svc.exe;MySvc", "winsvc triggerinfo MySvc delete"},
			args:     [][]string{nil, triggerCompletions},
			minArgs:  2, maxArgs: -1, nameArg: true, build: buildSetSetting},
		&command{name: "failure", group: groupConfig, summary: "Set what the SCM does when a service fails",
			usage: "failure NAME [reset= SECONDS|INFINITE actions= ACTION/DELAY/...] [reboot= MSG] [command= CMDLINE]",
			details: "actions= lists pairs of an action (restart, run, reboot, or empty/none) and a\n" +
				"delay in milliseconds: restart/5000/run/1000/reboot/0. The Nth failure takes the\n" +
				"Nth action; the last repeats. reset= is the failure-free period in seconds after\n" +
				"which the count restarts; it goes with actions=. reboot= \"\" and command= \"\"\n" +
				"delete the message and the command; settings not given stay as they are.",
			examples: []string{"winsvc failure MySvc reset= 86400 actions= restart/5000/restart/10000//0",
				`winsvc failure MySvc reset= INFINITE actions= run/1000 command= "C:\tools\notify.exe MySvc"`,
				"winsvc failure MySvc reset= 0 actions= \"\""},
			options: []*option{optReset, optReboot, optCommand, optActions}, minArgs: 1, maxArgs: 1, nameArg: true,
			build: buildFailure},
	)
}

const groupQuery = "Query"

// querySetting says how one q-verb shows its setting.
type querySetting struct {
	field  winsvc.Field // the setting; "" for qc (the core configuration)
	render func(w io.Writer, c *winsvc.Config)
}

var querySettings = map[string]querySetting{
	"qc":             {"", renderConfig},
	"qdescription":   {winsvc.FieldDescription, renderDescription},
	"qfailure":       {winsvc.FieldFailureActions, renderFailure},
	"qfailureflag":   {winsvc.FieldFailureFlag, renderFailureFlag},
	"qsidtype":       {winsvc.FieldSIDType, renderSIDType},
	"qprivs":         {winsvc.FieldRequiredPrivileges, renderPrivileges},
	"qtriggerinfo":   {winsvc.FieldTriggers, renderTriggers},
	"qpreferrednode": {winsvc.FieldPreferredNode, renderPreferredNode},
	"qprotection":    {winsvc.FieldLaunchProtected, renderProtection},
}

// QuerySettingOptions are the Options of the q-verbs.
type QuerySettingOptions struct {
	Verb string // qc, qdescription, ...
	Name string
}

func buildQuerySetting(p *parsed) (runner, error) {
	return &QuerySettingOptions{Verb: p.cmd.name, Name: p.arg(0)}, nil
}

func (o *QuerySettingOptions) run(ctx context.Context, e *env) error {
	_, svc, err := e.load(ctx, o.Name)
	if err != nil {
		return err
	}
	c := svc.Config()
	return e.printSetting(o.Verb, c)
}

// printSetting prints the setting a q-verb shows: the sc block, or as JSON
// {"name": ..., "<field>": value} (the whole configuration for qc).
func (e *env) printSetting(verb string, c *winsvc.Config) error {
	q := querySettings[verb]
	if reason, missing := c.Unavailable[q.field]; missing {
		return unavailable(verb, c.Name, q.field, reason)
	}
	if e.json {
		if q.field == "" {
			return e.writeJSON(c)
		}
		v, err := c.ValueJSON(q.field)
		if err != nil {
			return err
		}
		return e.writeJSON(map[string]json.RawMessage{"name": jsonString(c.Name), string(q.field): v})
	}
	call := "QueryServiceConfig2"
	if q.field == "" {
		call = "QueryServiceConfig"
	}
	scSuccess(e.io.Out, call)
	q.render(e.io.Out, c)
	return nil
}

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// SetSettingOptions are the Options of the verbs that change one optional
// setting: description, failureflag, sidtype, privs, preferrednode and
// triggerinfo. Def sets exactly that setting.
type SetSettingOptions struct {
	Verb string
	Def  winsvc.Definition
}

func buildSetSetting(p *parsed) (runner, error) {
	o := &SetSettingOptions{Verb: p.cmd.name, Def: winsvc.Definition{Name: p.arg(0)}}
	d, v := &o.Def, p.arg(1)
	switch p.cmd.name {
	case "description":
		d.Description = winsvc.Ptr(strings.Join(p.args[1:], " "))
	case "failureflag":
		b, err := parseFlag(v)
		if err != nil {
			return nil, p.usagef("flag %q: use 0 or 1", v)
		}
		d.FailureActionsOnNonCrashFailures = &b
	case "sidtype":
		t, err := parseEnum[winsvc.SIDType](v)
		if err != nil || t == 0 {
			return nil, p.usagef("SID type %q: use none, unrestricted or restricted", v)
		}
		d.SIDType = t
	case "privs":
		d.RequiredPrivileges = []string{}
		for _, s := range strings.Split(v, "/") {
			if s = strings.TrimSpace(s); s != "" {
				d.RequiredPrivileges = append(d.RequiredPrivileges, s)
			}
		}
	case "preferrednode":
		n, err := parseNode(v)
		if err != nil {
			return nil, p.usagef("%v", err)
		}
		d.PreferredNode = &n
	case "triggerinfo":
		t, err := parseTriggers(p.args[1:])
		if err != nil {
			return nil, p.usagef("%v", err)
		}
		d.Triggers = t
	}
	// Checked before connecting, as Apply would check it after.
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// parseFlag accepts sc's 0 and 1, and true and false.
func parseFlag(s string) (bool, error) { return strconv.ParseBool(s) }

// parseNode parses a NUMA node number; delete, none or -1 remove the
// preferred node.
func parseNode(s string) (winsvc.PreferredNode, error) {
	switch strings.ToLower(s) {
	case "delete", "none", "-1":
		return winsvc.PreferredNode{}, nil
	}
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		return winsvc.PreferredNode{}, fmt.Errorf("node %q: use a NUMA node number, or delete", s)
	}
	return winsvc.PreferredNode{Node: uint16(n), Set: true}, nil
}

func (o *SetSettingOptions) run(ctx context.Context, e *env) error {
	m, err := e.manager()
	if err != nil {
		return err
	}
	svc, err := loadAndApply(ctx, m, o.Def)
	if err != nil {
		return err
	}
	return e.save(ctx, svc, winsvc.SaveOptions{}, "ChangeServiceConfig2")
}

var (
	optReset   = &option{name: "reset", sc: true, value: "SECONDS|INFINITE", help: "failure-free period after which the failure count restarts"}
	optReboot  = &option{name: "reboot", sc: true, value: "MESSAGE", help: "message broadcast before a reboot action; \"\" deletes it"}
	optCommand = &option{name: "command", sc: true, value: "CMDLINE", help: "command line of the run action; \"\" deletes it"}
	optActions = &option{name: "actions", sc: true, value: "ACTION/DELAY/...", values: []string{"restart/", "run/", "reboot/"}, help: "failure actions and their delays in milliseconds"}
)

// FailureOptions are the Options of failure. A nil field leaves that part
// of the failure actions unchanged.
type FailureOptions struct {
	Name    string
	Reset   *winsvc.ResetPeriod
	Reboot  *string
	Command *string
	Actions []winsvc.Action
}

func buildFailure(p *parsed) (runner, error) {
	o := &FailureOptions{Name: p.arg(0)}
	if p.has(optReset) != p.has(optActions) {
		return nil, p.usagef("reset= and actions= go together")
	}
	if p.has(optReset) {
		r, err := parseReset(p.str(optReset))
		if err != nil {
			return nil, p.usagef("%v", err)
		}
		o.Reset = &r
		if o.Actions, err = parseActions(p.str(optActions)); err != nil {
			return nil, p.usagef("%v", err)
		}
	}
	if p.has(optReboot) {
		o.Reboot = winsvc.Ptr(p.str(optReboot))
	}
	if p.has(optCommand) {
		o.Command = winsvc.Ptr(p.str(optCommand))
	}
	if o.Reset == nil && o.Reboot == nil && o.Command == nil {
		return nil, p.usagef("failure needs reset= and actions=, reboot= or command=")
	}
	return o, nil
}

func parseReset(s string) (winsvc.ResetPeriod, error) {
	if strings.EqualFold(s, "infinite") {
		return winsvc.ResetInfinite, nil
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0xFFFFFFFF {
		return 0, fmt.Errorf("reset= %q: use a number of seconds or INFINITE", s)
	}
	return winsvc.ResetAfter(time.Duration(n) * time.Second), nil
}

// parseActions parses "restart/5000/run/1000/reboot/0". An empty action, or
// none, takes no action; a missing last delay is 0. "" is no actions.
func parseActions(s string) ([]winsvc.Action, error) {
	actions := []winsvc.Action{}
	if strings.TrimSpace(s) == "" {
		return actions, nil
	}
	parts := strings.Split(s, "/")
	for i := 0; i < len(parts); i += 2 {
		t := winsvc.ActionNone
		if name := strings.TrimSpace(parts[i]); name != "" && !strings.EqualFold(name, "none") {
			var err error
			if t, err = parseEnum[winsvc.ActionType](name); err != nil {
				return nil, fmt.Errorf("actions= %q: use restart, run, reboot or none", parts[i])
			}
		}
		var ms uint64
		if i+1 < len(parts) && parts[i+1] != "" {
			var err error
			if ms, err = strconv.ParseUint(parts[i+1], 10, 32); err != nil {
				return nil, fmt.Errorf("actions= delay %q: use milliseconds", parts[i+1])
			}
		}
		actions = append(actions, winsvc.Action{Type: t, Delay: msDuration(ms)})
	}
	return actions, nil
}

func (o *FailureOptions) run(ctx context.Context, e *env) error {
	_, svc, err := e.load(ctx, o.Name)
	if err != nil {
		return err
	}
	var fa winsvc.FailureActions
	if c := svc.Config(); c.Available(winsvc.FieldFailureActions) {
		fa = c.FailureActions
	}
	if o.Reset != nil {
		fa.ResetPeriod, fa.Actions = *o.Reset, o.Actions
	}
	if o.Reboot != nil {
		fa.RebootMessage = *o.Reboot
	}
	if o.Command != nil {
		fa.Command = *o.Command
	}
	if err := svc.Apply(winsvc.Definition{Name: o.Name, FailureActions: &fa}); err != nil {
		return err
	}
	return e.save(ctx, svc, winsvc.SaveOptions{}, "ChangeServiceConfig2")
}
