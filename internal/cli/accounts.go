package cli

import (
	"context"
	"strings"

	"github.com/winsvc/winsvc"
)

func init() {
	register(
		&command{name: "qmanagedaccount", group: groupQuery, summary: "Show whether a service's account password is managed by Windows",
			usage:    "qmanagedaccount NAME",
			details:  "Asks the SCM (QueryServiceConfig2, info level 11). An SCM without that level\n(Wine's, for one) answers ERROR_INVALID_LEVEL; winsvc then reads the\nServiceAccountManaged value the SCM keeps in the service's registry key\n(FALSE when absent).",
			examples: []string{"winsvc qmanagedaccount MySvc"}, minArgs: 1, maxArgs: 1, nameArg: true,
			build: buildName(func(n string) runner { return &ManagedAccountOptions{Name: n} })},
		&command{name: "managedaccount", group: groupConfig, summary: "Mark a service's account password as managed by Windows, or clear the mark",
			usage:    "managedaccount NAME true|false",
			details:  "Set it for a service that runs as a managed service account (DOMAIN\\account$).\nGoes through the SCM (ChangeServiceConfig2, info level 11), as sc does; needs\nSERVICE_CHANGE_CONFIG. An SCM without that level fails with 124\n(ERROR_INVALID_LEVEL), or 1733 under Wine; winsvc never writes the registry\nbehind the SCM's back.",
			examples: []string{"winsvc managedaccount MySvc true"}, minArgs: 2, maxArgs: 2, nameArg: true,
			args:  [][]string{nil, {"true", "false"}},
			build: buildSetManagedAccount},
		&command{name: "quserservice", group: groupQuery, summary: "Show whether a service is a per-user service template or instance",
			usage:    "quserservice NAME",
			examples: []string{"winsvc quserservice OneSyncSvc"}, minArgs: 1, maxArgs: 1, nameArg: true,
			build: buildName(func(n string) runner { return &UserServiceOptions{Name: n} })},
	)
}

// ManagedAccountOptions are the Options of qmanagedaccount, and of
// managedaccount when Set is not nil.
type ManagedAccountOptions struct {
	Name string
	Set  *bool
}

// managedAccountJSON is what qmanagedaccount and managedaccount print with
// --json.
type managedAccountJSON struct {
	Name           string `json:"name"`
	ManagedAccount bool   `json:"managedAccount"`
}

func buildSetManagedAccount(p *parsed) (runner, error) {
	b, err := parseFlag(p.arg(1))
	if err != nil {
		return nil, p.usagef("flag %q: use true or false", p.arg(1))
	}
	return &ManagedAccountOptions{Name: p.arg(0), Set: &b}, nil
}

func (o *ManagedAccountOptions) run(ctx context.Context, e *env) error {
	_, svc, err := e.load(ctx, o.Name)
	if err != nil {
		return err
	}
	if o.Set != nil {
		if err := svc.Apply(winsvc.Definition{ManagedAccount: o.Set}); err != nil {
			return err
		}
		if _, err := svc.Save(ctx, winsvc.SaveOptions{}); err != nil {
			return err
		}
		if e.json {
			return e.writeJSON(managedAccountJSON{o.Name, *o.Set})
		}
		scSuccess(e.io.Out, "ChangeServiceConfig2")
		return nil
	}
	c := svc.Config()
	if reason, missing := c.Unavailable[winsvc.FieldManagedAccount]; missing {
		return unavailable("qmanagedaccount", o.Name, winsvc.FieldManagedAccount, reason)
	}
	if e.json {
		return e.writeJSON(managedAccountJSON{o.Name, c.ManagedAccount})
	}
	scSuccess(e.io.Out, "QueryServiceConfig2")
	serviceHeader(e.io.Out, o.Name)
	newFields(e.io.Out, 19).line("ACCOUNT_MANAGED", boolLabel(c.ManagedAccount))
	return nil
}

// UserServiceOptions are the Options of quserservice.
type UserServiceOptions struct{ Name string }

func (o *UserServiceOptions) run(ctx context.Context, e *env) error {
	m, err := e.manager()
	if err != nil {
		return err
	}
	info, err := m.UserServiceInfo(ctx, o.Name)
	if err != nil {
		return err
	}
	if e.json {
		return e.writeJSON(struct {
			Name string `json:"name"`
			winsvc.UserServiceInfo
		}{o.Name, info})
	}
	serviceHeader(e.io.Out, o.Name)
	f := newFields(e.io.Out, 19)
	switch {
	case info.Template:
		f.line("USER_SERVICE", "TEMPLATE")
		f.line("INSTANCES", info.Instances...)
		if info.InstancesDisabled {
			f.line("INSTANCES_DISABLED", "TRUE")
		}
	case info.Instance:
		f.line("USER_SERVICE", "INSTANCE")
		f.line("TEMPLATE", info.TemplateName)
		f.line("LUID", strings.ToLower(info.LUID))
	default:
		f.line("USER_SERVICE", "NONE")
	}
	return nil
}
