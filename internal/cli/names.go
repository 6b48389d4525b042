package cli

import (
	"context"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/access"
)

func init() {
	register(
		&command{name: "GetDisplayName", group: groupQuery, summary: "Show the display name of a service",
			usage: "GetDisplayName NAME", examples: []string{"winsvc GetDisplayName wuauserv"},
			minArgs: 1, maxArgs: 1, nameArg: true, build: buildNames},
		&command{name: "GetKeyName", group: groupQuery, summary: "Show the key name of the service with a display name",
			usage: "GetKeyName DISPLAY_NAME", examples: []string{`winsvc GetKeyName "Windows Update"`},
			minArgs: 1, maxArgs: 1, passthrough: true, build: buildNames},
		&command{name: "showsid", group: groupQuery, summary: "Show the service SID derived from a name",
			usage: "showsid NAME",
			details: "The SID is computed from the name (S-1-5-80-...); the service need not exist.\n" +
				"STATUS is Active when the service exists and its SID type puts the SID in its\n" +
				"process token (unrestricted or restricted), Inactive otherwise.",
			examples: []string{"winsvc showsid MySvc"}, minArgs: 1, maxArgs: 1, nameArg: true,
			build: buildName(func(n string) runner { return &ShowSIDOptions{Name: n} })},
	)
}

// NamesOptions are the Options of GetDisplayName and GetKeyName.
type NamesOptions struct {
	KeyName bool   // GetKeyName: Arg is a display name
	Arg     string // the name to look up
}

func buildNames(p *parsed) (runner, error) {
	return &NamesOptions{KeyName: p.cmd.name == "GetKeyName", Arg: p.arg(0)}, nil
}

// namesJSON is the JSON result of GetDisplayName and GetKeyName.
type namesJSON struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
}

func (o *NamesOptions) run(ctx context.Context, e *env) error {
	m, err := e.manager()
	if err != nil {
		return err
	}
	res, call := namesJSON{Name: o.Arg}, "GetServiceDisplayName"
	if o.KeyName {
		res.DisplayName, call = o.Arg, "GetServiceKeyName"
		res.Name, err = m.KeyName(ctx, o.Arg)
	} else {
		res.DisplayName, err = m.DisplayName(ctx, o.Arg)
	}
	if err != nil {
		return err
	}
	if e.json {
		return e.writeJSON(res)
	}
	found := res.DisplayName
	if o.KeyName {
		found = res.Name
	}
	e.printf("[SC] %s SUCCESS  Name = %s\n", call, found)
	return nil
}

// ShowSIDOptions are the Options of showsid.
type ShowSIDOptions struct{ Name string }

// sidJSON is showsid's JSON document.
type sidJSON struct {
	Name           string `json:"name"`
	SID            string `json:"sid"`
	VirtualAccount string `json:"virtualAccount"`
	Active         bool   `json:"active"`
}

func (o *ShowSIDOptions) run(ctx context.Context, e *env) error {
	res := sidJSON{Name: o.Name, SID: access.ServiceSID(o.Name), VirtualAccount: access.VirtualAccount(o.Name)}
	if m, err := e.manager(); err == nil {
		if svc, err := m.Load(ctx, o.Name); err == nil {
			c := svc.Config()
			res.Active = c.Available(winsvc.FieldSIDType) && c.SIDType != winsvc.SIDTypeNone
		}
	}
	if e.json {
		return e.writeJSON(res)
	}
	status := "Inactive"
	if res.Active {
		status = "Active"
	}
	e.printf("\nNAME: %s\nSERVICE SID: %s\nSTATUS: %s\n", res.Name, res.SID, status)
	return nil
}
