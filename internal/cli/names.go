package cli

import (
	"context"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/access"
)

var (
	getDisplayNameCmd = &command{name: "GetDisplayName", group: groupQuery, summary: "Show the display name of a service",
		usage: "GetDisplayName NAME", examples: []string{"winsvc GetDisplayName wuauserv"},
		minArgs: 1, maxArgs: 1, nameArg: true,
		action: newAction(parseLookup, runDisplayName, renderLookup)}
	getKeyNameCmd = &command{name: "GetKeyName", group: groupQuery, summary: "Show the key name of the service with a display name",
		usage: "GetKeyName DISPLAY_NAME", examples: []string{`winsvc GetKeyName "Windows Update"`},
		minArgs: 1, maxArgs: 1, passthrough: true,
		action: newAction(parseLookup, runKeyName, renderLookup)}
	showsidCmd = &command{name: "showsid", group: groupQuery, summary: "Show the service SID derived from a name",
		usage: "showsid NAME",
		details: "The SID is computed from the name (S-1-5-80-...); the service need not exist.\n" +
			"STATUS is Active when the service exists and its SID type puts the SID in its\n" +
			"process token (unrestricted or restricted), Inactive otherwise.",
		examples: []string{"winsvc showsid MySvc"}, minArgs: 1, maxArgs: 1, nameArg: true,
		action: newAction(parseName, runShowSID, renderShowSID)}
)

// LookupOptions are the Options of GetDisplayName and GetKeyName.
type LookupOptions struct {
	Arg string // the name to look up: a key name, or a display name
}

func parseLookup(p *parsed) (*LookupOptions, error) { return &LookupOptions{Arg: p.arg(0)}, nil }

// lookupResult is what GetDisplayName and GetKeyName found.
type lookupResult struct {
	names namesJSON
	call  string // the SCM call sc names
	found string // the name looked up
}

// namesJSON is the JSON result of GetDisplayName and GetKeyName.
type namesJSON struct {
	Name        string `json:"name"`
	DisplayName string `json:"displayName"`
}

func runDisplayName(ctx context.Context, e *env, o *LookupOptions) (lookupResult, error) {
	m, err := e.manager()
	if err != nil {
		return lookupResult{}, err
	}
	d, err := m.DisplayName(ctx, o.Arg)
	return lookupResult{names: namesJSON{Name: o.Arg, DisplayName: d}, call: "GetServiceDisplayName", found: d}, err
}

func runKeyName(ctx context.Context, e *env, o *LookupOptions) (lookupResult, error) {
	m, err := e.manager()
	if err != nil {
		return lookupResult{}, err
	}
	n, err := m.KeyName(ctx, o.Arg)
	return lookupResult{names: namesJSON{Name: n, DisplayName: o.Arg}, call: "GetServiceKeyName", found: n}, err
}

func renderLookup(e *env, r lookupResult) error {
	if e.json {
		return e.writeJSON(r.names)
	}
	e.printf("[SC] %s SUCCESS  Name = %s\n", r.call, r.found)
	return nil
}

// sidJSON is showsid's result, and its JSON document.
type sidJSON struct {
	Name           string `json:"name"`
	SID            string `json:"sid"`
	VirtualAccount string `json:"virtualAccount"`
	Active         bool   `json:"active"`
}

// runShowSID computes the SID; a service that cannot be read (or no SCM)
// makes it Inactive rather than an error.
func runShowSID(ctx context.Context, e *env, o *NameOptions) (sidJSON, error) {
	res := sidJSON{Name: o.Name, SID: access.ServiceSID(o.Name), VirtualAccount: access.VirtualAccount(o.Name)}
	if c, err := loadConfig(ctx, e, o); err == nil {
		res.Active = c.Available(winsvc.FieldSIDType) && c.SIDType != winsvc.SIDTypeNone
	}
	return res, nil
}

func renderShowSID(e *env, r sidJSON) error {
	if e.json {
		return e.writeJSON(r)
	}
	status := "Inactive"
	if r.Active {
		status = "Active"
	}
	e.printf("\nNAME: %s\nSERVICE SID: %s\nSTATUS: %s\n", r.Name, r.SID, status)
	return nil
}
