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
	"github.com/winsvc/winsvc/internal/valerr"
)

// This file holds the verbs that read one setting (qc, qdescription,
// qfailure, ...) and the ones that change one (description, failure, ...).
// A q-verb's entry names the setting it shows (its winsvc.Field) and how sc
// prints it; a setting verb's entry names the function that reads its
// value from the command line.

var (
	qcCmd = &command{name: "qc", group: groupQuery, summary: "Show a service's configuration", usage: "qc NAME",
		examples: []string{"winsvc qc MySvc"}, minArgs: 1, maxArgs: 1, nameArg: true,
		action: newAction(parseName, loadConfig, renderQC)}
	qdescriptionCmd = qverb("qdescription", "Show a service's description", "", "winsvc qdescription MySvc",
		winsvc.FieldDescription, renderDescription)
	qfailureCmd = qverb("qfailure", "Show what the SCM does when a service fails", "", "winsvc qfailure MySvc --json",
		winsvc.FieldFailureActions, renderFailure)
	qfailureflagCmd = qverb("qfailureflag", "Show whether failure actions also apply to non-crash failures", "", "winsvc qfailureflag MySvc",
		winsvc.FieldFailureFlag, renderFailureFlag)
	qsidtypeCmd = qverb("qsidtype", "Show a service's SID type", "", "winsvc qsidtype MySvc",
		winsvc.FieldSIDType, renderSIDType)
	qprivsCmd = qverb("qprivs", "Show the privileges a service requires", "", "winsvc qprivs MySvc",
		winsvc.FieldRequiredPrivileges, renderPrivileges)
	qtriggerinfoCmd = qverb("qtriggerinfo", "Show a service's start and stop triggers", "", "winsvc qtriggerinfo w32time",
		winsvc.FieldTriggers, renderTriggers)
	qpreferrednodeCmd = qverb("qpreferrednode", "Show a service's preferred NUMA node", "", "winsvc qpreferrednode MySvc",
		winsvc.FieldPreferredNode, renderPreferredNode)
	qprotectionCmd = qverb("qprotection", "Show a service's launch protection level", "", "winsvc qprotection WinDefend",
		winsvc.FieldLaunchProtected, renderProtection)
	qmanagedaccountCmd = qverb("qmanagedaccount", "Show whether a service's account password is managed by Windows",
		"Asks the SCM (QueryServiceConfig2, info level 11). An SCM without that level\n(Wine's, for one) answers ERROR_INVALID_LEVEL; winsvc then reads the\nServiceAccountManaged value the SCM keeps in the service's registry key\n(FALSE when absent).",
		"winsvc qmanagedaccount MySvc", winsvc.FieldManagedAccount, renderManagedAccount)

	descriptionCmd = &command{name: "description", group: groupConfig, summary: "Set a service's description",
		usage: "description NAME [TEXT ...]",
		details: "The words of TEXT are joined with spaces. An empty or missing TEXT removes the\n" +
			"description. TEXT is text even where it looks like an option (\"-x\", \"ratio=\"),\n" +
			"except for winsvc's own options (--json, --help): put \"--\" before those.",
		examples: []string{`winsvc description MySvc "Serves the API"`, `winsvc description MySvc ""`, `winsvc description MySvc -- "--json is not an option here"`},
		minArgs:  1, maxArgs: -1, nameArg: true, passthrough: true, action: setSetting(setDescription)}
	failureflagCmd = &command{name: "failureflag", group: groupConfig, summary: "Apply failure actions also to non-crash failures (1) or not (0)",
		usage: "failureflag NAME 0|1", examples: []string{"winsvc failureflag MySvc 1"},
		args:    [][]string{nil, {"0", "1"}},
		minArgs: 2, maxArgs: 2, nameArg: true, action: setSetting(setFailureFlag)}
	sidtypeCmd = &command{name: "sidtype", group: groupConfig, summary: "Set a service's SID type",
		usage: "sidtype NAME none|unrestricted|restricted", examples: []string{"winsvc sidtype MySvc unrestricted"},
		args:    [][]string{nil, {"none", "unrestricted", "restricted"}},
		minArgs: 2, maxArgs: 2, nameArg: true, action: setSetting(setSIDType)}
	privsCmd = &command{name: "privs", group: groupConfig, summary: "Set the privileges a service requires",
		usage: "privs NAME SePriv1/SePriv2/...", details: "The privileges are separated by /; \"/\" alone or \"\" removes them all.",
		examples: []string{"winsvc privs MySvc SeChangeNotifyPrivilege/SeImpersonatePrivilege"},
		minArgs:  2, maxArgs: 2, nameArg: true, action: setSetting(setPrivileges)}
	preferrednodeCmd = &command{name: "preferrednode", group: groupConfig, summary: "Set or delete a service's preferred NUMA node",
		usage: "preferrednode NAME NODE|delete", examples: []string{"winsvc preferrednode MySvc 1", "winsvc preferrednode MySvc delete"},
		args:    [][]string{nil, {"delete"}},
		minArgs: 2, maxArgs: 2, nameArg: true, action: setSetting(setPreferredNode)}
	triggerinfoCmd = &command{name: "triggerinfo", group: groupConfig, summary: "Set a service's start and stop triggers",
		usage:    "triggerinfo NAME TRIGGER [TRIGGER ...] | delete",
		details:  triggerHelp,
		examples: []string{"winsvc triggerinfo MySvc start/networkon stop/networkoff", "winsvc triggerinfo MySvc start/portopen/8080;tcp;C:\\app\\svc.exe;MySvc", "winsvc triggerinfo MySvc delete"},
		args:     [][]string{nil, triggerCompletions},
		minArgs:  2, maxArgs: -1, nameArg: true, action: setSetting(setTriggers)}
	managedaccountCmd = &command{name: "managedaccount", group: groupConfig, summary: "Mark a service's account password as managed by Windows, or clear the mark",
		usage:    "managedaccount NAME true|false",
		details:  "Set it for a service that runs as a managed service account (DOMAIN\\account$).\nGoes through the SCM (ChangeServiceConfig2, info level 11), as sc does; needs\nSERVICE_CHANGE_CONFIG. An SCM without that level fails with 124\n(ERROR_INVALID_LEVEL), or 1733 under Wine; winsvc never writes the registry\nbehind the SCM's back.",
		examples: []string{"winsvc managedaccount MySvc true"}, minArgs: 2, maxArgs: 2, nameArg: true,
		args:   [][]string{nil, {"true", "false"}},
		action: setSetting(setManagedAccount)}
	failureCmd = &command{name: "failure", group: groupConfig, summary: "Set what the SCM does when a service fails",
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
		action: newAction(parseFailure, runFailure, renderSave)}
)

// qverb makes the entry of a q-verb: it shows setting field, which sc
// prints as text does.
func qverb(name, summary, details, example string, field winsvc.Field, text func(w io.Writer, c *winsvc.Config)) *command {
	return &command{name: name, group: groupQuery, summary: summary, usage: name + " NAME", details: details,
		examples: []string{example}, minArgs: 1, maxArgs: 1, nameArg: true,
		action: newAction(parseName, loadConfig, printsSetting(field, text))}
}

// NameOptions are the Options of the verbs whose only argument is a
// service name.
type NameOptions struct{ Name string }

func parseName(p *parsed) (*NameOptions, error) { return &NameOptions{Name: p.arg(0)}, nil }

// loadConfig reads the configuration of the service named.
func loadConfig(ctx context.Context, e *env, o *NameOptions) (*winsvc.Config, error) {
	_, svc, err := e.load(ctx, o.Name)
	if err != nil {
		return nil, err
	}
	return svc.Config(), nil
}

// renderQC prints the core configuration as sc qc does, or the whole
// configuration as JSON.
func renderQC(e *env, c *winsvc.Config) error {
	if e.json {
		return e.writeJSON(c)
	}
	scSuccess(e.io.Out, "QueryServiceConfig")
	renderConfig(e.io.Out, c)
	return nil
}

// printsSetting renders the setting field of a configuration: sc's block
// (text), or {"name": ..., "<field>": value} with the value as
// Config.ValueJSON gives it. A setting the SCM could not report is the
// error that kept it from being read, with its Win32 code.
func printsSetting(field winsvc.Field, text func(w io.Writer, c *winsvc.Config)) func(e *env, c *winsvc.Config) error {
	return func(e *env, c *winsvc.Config) error {
		if reason, missing := c.Unavailable[field]; missing {
			return unavailable(e.verb, c.Name, field, reason)
		}
		if !e.json {
			scSuccess(e.io.Out, "QueryServiceConfig2")
			text(e.io.Out, c)
			return nil
		}
		v, err := c.ValueJSON(field)
		if err != nil {
			return err
		}
		return e.writeJSON(settingJSON(c.Name, field, v))
	}
}

// settingJSON is the document {"name": name, "<field>": value}, with the
// name first, as in every other document.
func settingJSON(name string, field winsvc.Field, value json.RawMessage) json.RawMessage {
	doc := []byte(`{"name":`)
	doc = append(doc, jsonString(name)...)
	doc = append(append(append(doc, ','), jsonString(string(field))...), ':')
	return append(append(doc, value...), '}')
}

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// SetSettingOptions are the Options of the verbs that change one optional
// setting: description, failureflag, sidtype, privs, preferrednode,
// triggerinfo and managedaccount. Def sets exactly that setting.
type SetSettingOptions struct {
	Def winsvc.Definition
}

// setSetting is the action of a verb that changes one setting: set reads
// the value from the arguments after NAME into the Definition.
func setSetting(set func(d *winsvc.Definition, args []string) error) action {
	parse := func(p *parsed) (*SetSettingOptions, error) {
		o := &SetSettingOptions{Def: winsvc.Definition{Name: p.arg(0)}}
		if err := set(&o.Def, p.args[1:]); err != nil {
			return nil, p.usagef("%v", err)
		}
		// Checked before connecting, as Apply would check it after.
		if err := o.Def.Validate(); err != nil {
			return nil, err
		}
		return o, nil
	}
	return newAction(parse, runSetSetting, renderSave)
}

func runSetSetting(ctx context.Context, e *env, o *SetSettingOptions) (saveResult, error) {
	m, err := e.manager()
	if err != nil {
		return saveResult{}, err
	}
	svc, err := loadAndApply(ctx, m, o.Def, nil)
	if err != nil {
		return saveResult{}, err
	}
	return save(ctx, svc, winsvc.SaveOptions{}, "ChangeServiceConfig2")
}

// The value readers of the setting verbs: each sets one field of d from
// the arguments after NAME (at least one, but for description's).

func setDescription(d *winsvc.Definition, args []string) error {
	d.Description = winsvc.Ptr(strings.Join(args, " "))
	return nil
}

func setFailureFlag(d *winsvc.Definition, args []string) error {
	b, err := parseFlag(args[0])
	if err != nil {
		return fmt.Errorf("flag %s: use 0 or 1", valerr.Quote(args[0]))
	}
	d.FailureActionsOnNonCrashFailures = &b
	return nil
}

func setSIDType(d *winsvc.Definition, args []string) error {
	t, err := parseEnum[winsvc.SIDType](args[0])
	if err != nil {
		return fmt.Errorf("SID type %s: use none, unrestricted or restricted", valerr.Quote(args[0]))
	}
	d.SIDType = &t
	return nil
}

func setPrivileges(d *winsvc.Definition, args []string) error {
	d.RequiredPrivileges = []string{}
	for _, s := range strings.Split(args[0], "/") {
		if s = strings.TrimSpace(s); s != "" {
			d.RequiredPrivileges = append(d.RequiredPrivileges, s)
		}
	}
	return nil
}

func setPreferredNode(d *winsvc.Definition, args []string) error {
	n, err := parseNode(args[0])
	if err != nil {
		return err
	}
	d.PreferredNode = &n
	return nil
}

func setTriggers(d *winsvc.Definition, args []string) (err error) {
	d.Triggers, err = parseTriggers(args)
	return err
}

func setManagedAccount(d *winsvc.Definition, args []string) error {
	b, err := parseFlag(args[0])
	if err != nil {
		return fmt.Errorf("flag %s: use true or false", valerr.Quote(args[0]))
	}
	d.ManagedAccount = &b
	return nil
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
		return winsvc.PreferredNode{}, fmt.Errorf("node %s: use a NUMA node number, or delete", valerr.Quote(s))
	}
	return winsvc.PreferredNode{Node: uint16(n), Set: true}, nil
}

var (
	optReset   = &option{name: "reset", sc: true, value: "SECONDS|INFINITE", help: "failure-free period after which the failure count restarts"}
	optReboot  = &option{name: "reboot", sc: true, value: "MESSAGE", help: "message broadcast before a reboot action; \"\" deletes it"}
	optCommand = &option{name: "command", sc: true, value: "CMDLINE", help: "command line of the run action; \"\" deletes it"}
	optActions = &option{name: "actions", sc: true, value: "ACTION/DELAY/...", values: []string{"restart/", "run/", "reboot/"}, hints: true, help: "failure actions and their delays in milliseconds"}
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

func parseFailure(p *parsed) (*FailureOptions, error) {
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
		return 0, fmt.Errorf("reset= %s: use a number of seconds or INFINITE", valerr.Quote(s))
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
				return nil, fmt.Errorf("actions= %s: use restart, run, reboot or none", valerr.Quote(parts[i]))
			}
		}
		var ms uint64
		if i+1 < len(parts) && parts[i+1] != "" {
			var err error
			if ms, err = strconv.ParseUint(parts[i+1], 10, 32); err != nil {
				return nil, fmt.Errorf("actions= delay %s: use milliseconds", valerr.Quote(parts[i+1]))
			}
		}
		actions = append(actions, winsvc.Action{Type: t, Delay: msDuration(ms)})
	}
	return actions, nil
}

func runFailure(ctx context.Context, e *env, o *FailureOptions) (saveResult, error) {
	_, svc, err := e.load(ctx, o.Name)
	if err != nil {
		return saveResult{}, err
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
		return saveResult{}, err
	}
	return save(ctx, svc, winsvc.SaveOptions{}, "ChangeServiceConfig2")
}
