package cli

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/winsvc/winsvc"
)

// check is an audit with a yes-or-no answer, so it is a verb of its own
// rather than a filter of list: its exit status says whether anything was
// found (a script or a scheduled task needs nothing else), and its report
// carries what list's table has no room for: the stored command line, the
// account it runs as and the fix.
var checkCmd = &command{name: "check", group: groupExtra, summary: "Find services whose program path can be hijacked (unquoted, with spaces)",
	usage: "check [NAME]",
	details: "Reads the command line stored for every Win32 service (or for NAME) and reports\n" +
		"those whose program path is unquoted and contains spaces: Windows tries each\n" +
		"space-separated prefix in turn (C:\\Program.exe before C:\\Program Files\\App\\\n" +
		"svc.exe), so a program planted there runs with the service's account. winsvc\n" +
		"never stores such a path; this finds the ones other tools stored. Each finding\n" +
		"shows the command line with its program quoted where it is clear where the\n" +
		"program ends (winsvc config NAME binPath= ... stores it so), or says that it\n" +
		"must be quoted by hand. A service whose configuration cannot be read is named on\n" +
		"stderr and does not fail the check.\n" +
		"Exit status: 0 when no service is found, 2 when some are.",
	examples: []string{"winsvc check", "winsvc check --json", "winsvc check MySvc"},
	maxArgs:  1, nameArg: true,
	action: newAction(parseCheck, runCheck, renderCheck)}

// exitUnquoted is check's exit status when it found services to fix.
const exitUnquoted = 2

// CheckOptions are the Options of check.
type CheckOptions struct {
	Name string // "" for every Win32 service
}

func parseCheck(p *parsed) (*CheckOptions, error) { return &CheckOptions{Name: p.arg(0)}, nil }

// unquotedService is one finding of check.
type unquotedService struct {
	Name             string `json:"name"`
	DisplayName      string `json:"displayName"`
	BinaryPathName   string `json:"binaryPathName"`
	ServiceStartName string `json:"serviceStartName"`
	// Quoted is the command line with its program quoted, as winsvc
	// config would store it; "" when it is unclear where the program ends.
	Quoted string `json:"quoted"`
}

// unreadableService is a service check could not read.
type unreadableService struct {
	Name  string `json:"name"`
	Error string `json:"error"`
}

// checkJSON is check's result, and its JSON document.
type checkJSON struct {
	Checked    int                 `json:"checked"` // the services whose command line was read
	Unquoted   []unquotedService   `json:"unquoted"`
	Unreadable []unreadableService `json:"unreadable"`
}

func runCheck(ctx context.Context, e *env, o *CheckOptions) (checkJSON, error) {
	m, err := e.manager()
	if err != nil {
		return checkJSON{}, err
	}
	names := []string{o.Name}
	if o.Name == "" {
		all, err := m.QueryAll(ctx, winsvc.QueryFilter{})
		if err != nil {
			return checkJSON{}, err
		}
		names = names[:0]
		for _, st := range all {
			names = append(names, st.Name)
		}
	}
	res := checkJSON{Unquoted: []unquotedService{}, Unreadable: []unreadableService{}}
	for _, r := range m.Configs(ctx, names, winsvc.ConfigsOptions{Core: true}) {
		c := r.Config
		switch {
		case o.Name != "" && r.Err != nil:
			return checkJSON{}, r.Err // the one service asked for
		case errors.Is(r.Err, winsvc.ErrNotFound):
			continue // deleted since the enumeration
		case r.Err != nil:
			res.Unreadable = append(res.Unreadable, unreadableService{Name: r.Name, Error: e.reason(r.Err)})
			continue
		}
		res.Checked++
		if c.UnquotedPath() {
			res.Unquoted = append(res.Unquoted, unquotedService{Name: c.Name, DisplayName: c.DisplayName,
				BinaryPathName: c.BinaryPathName, ServiceStartName: c.ServiceStartName, Quoted: quotedForm(m, c)})
		}
	}
	sort.Slice(res.Unquoted, func(i, j int) bool {
		return strings.ToLower(res.Unquoted[i].Name) < strings.ToLower(res.Unquoted[j].Name)
	})
	return res, nil
}

// quotedForm is the command line winsvc would store for c's command line
// (what "winsvc config NAME binPath= ..." with it stores): its program
// quoted, when the program's end is clear; "" when it is not, and winsvc
// would refuse it.
func quotedForm(m SCM, c *winsvc.Config) string {
	svc, err := m.New(winsvc.Definition{Name: c.Name, CommandLine: c.BinaryPathName})
	if err != nil || svc.Config().UnquotedPath() {
		return ""
	}
	return svc.Config().BinaryPathName
}

func renderCheck(e *env, r checkJSON) error {
	notes := make([]serviceNote, len(r.Unreadable))
	for i, u := range r.Unreadable {
		notes[i] = serviceNote{u.Name, "could not be checked", u.Error}
	}
	e.warnServices(notes)
	if e.json {
		if err := e.writeJSON(r); err != nil {
			return err
		}
	} else {
		renderUnquoted(e, r)
	}
	if len(r.Unquoted) > 0 {
		return exitStatus(exitUnquoted)
	}
	return nil
}

// renderUnquoted prints check's findings, one block each, as sc lays out a
// service's configuration.
func renderUnquoted(e *env, r checkJSON) {
	if len(r.Unquoted) == 0 {
		e.printf("No service has an unquoted program path with spaces (%d checked).\n", r.Checked)
		return
	}
	e.printf("Unquoted program paths with spaces: %d of %s checked. Windows may run\n"+
		"another program in their place (fix: winsvc config NAME binPath= QUOTED).\n", len(r.Unquoted), count(r.Checked, "service"))
	for _, u := range r.Unquoted {
		serviceHeader(e.io.Out, u.Name)
		f := newFields(e.io.Out, 19)
		f.line("DISPLAY_NAME", u.DisplayName)
		f.line("BINARY_PATH_NAME", u.BinaryPathName)
		f.line("SERVICE_START_NAME", u.ServiceStartName)
		quoted := u.Quoted
		if quoted == "" {
			quoted = "(where the program path ends is unclear: quote it by hand)"
		}
		f.line("QUOTED", quoted)
	}
}
