package cli

import (
	"context"
	"strings"

	"github.com/winsvc/winsvc"
)

// doctor is check's sibling for one service's health: the same exit
// statuses (2 when something is found), the findings with what shows them
// and the winsvc command that fixes each.
var doctorCmd = &command{name: "doctor", group: groupExtra, summary: "Find what keeps a service from starting or running, and how to fix it",
	usage: "doctor NAME [--try-start] | doctor --all",
	details: "Runs every check on NAME (or, with --all, on every Win32 service) and prints\n" +
		"each finding with its evidence and the winsvc command that fixes it. The\n" +
		"checks: the program file exists and is a Windows executable (MZ and PE\n" +
		"headers; local machine only), and for a program run by winsvc's program host\n" +
		"(create --program), the program it runs, its working directory (--dir) and\n" +
		"the files its output and the host's events go to (--stdout, --stderr,\n" +
		"program.log): none is a directory or read-only, and each one's folder exists\n" +
		"or can be made; a program path with spaces is quoted (as check finds); the\n" +
		"account exists and a user account holds SeServiceLogonRight; each\n" +
		"dependency, recursively, is installed and not disabled (a load-order group\n" +
		"needs one member that can start), naming the first broken link of the chain;\n" +
		"the start type is not DISABLED; the service is not marked for deletion; the\n" +
		"last exit codes, translated; a failure would restart it; your token may\n" +
		"start it. What cannot be read here (a remote machine's files, a\n" +
		"path with a variable whose value is the account's own, such as %TEMP%, an\n" +
		"LSA that reports no rights, as Wine's) is said so, and is not a finding.\n" +
		"Nothing is changed, unless --try-start: it starts a stopped service, waits up\n" +
		"to 10 seconds for how the start ends, reports it (a program that exits at\n" +
		"once is a finding, with its exit codes) and stops it again if it ran.\n" +
		"Exit status: 0 when nothing is wrong, 2 when something is.",
	examples: []string{"winsvc doctor MySvc", "winsvc doctor MySvc --try-start", "winsvc doctor --all --json"},
	options:  []*option{optDoctorAll, optTryStart}, maxArgs: 1, nameArg: true,
	action: newAction(parseDoctor, runDoctor, renderDoctor)}

var (
	optDoctorAll = &option{name: "all", bool: true, help: "diagnose every Win32 service"}
	optTryStart  = &option{name: "try-start", bool: true, help: "start a stopped service and report how the start ends (stopped again if it ran)"}
)

// exitFindings is doctor's exit status when it found something wrong, as
// check's.
const exitFindings = exitUnquoted

// DoctorOptions are the Options of doctor.
type DoctorOptions struct {
	Name     string // "" with All
	All      bool
	TryStart bool
}

func parseDoctor(p *parsed) (*DoctorOptions, error) {
	o := &DoctorOptions{Name: p.arg(0), All: p.on(optDoctorAll), TryStart: p.on(optTryStart)}
	switch {
	case o.All && o.Name != "":
		return nil, p.usagef("give NAME or --all, not both")
	case !o.All && o.Name == "":
		return nil, p.usagef("name a service, or give --all")
	case o.All && o.TryStart:
		return nil, p.usagef("--try-start starts one service: name it instead of --all")
	}
	return o, nil
}

// doctorJSON is doctor's result, and its JSON document.
type doctorJSON struct {
	Services []*winsvc.Diagnosis `json:"services"`
}

func runDoctor(ctx context.Context, e *env, o *DoctorOptions) (doctorJSON, error) {
	m, err := e.manager()
	if err != nil {
		return doctorJSON{}, err
	}
	opts := winsvc.DiagnoseOptions{TryStart: o.TryStart}
	if o.All {
		all, err := m.DiagnoseAll(ctx, opts)
		return doctorJSON{Services: all}, err
	}
	d, err := m.Diagnose(ctx, o.Name, opts)
	if err != nil {
		return doctorJSON{}, err
	}
	return doctorJSON{Services: []*winsvc.Diagnosis{d}}, nil
}

func renderDoctor(e *env, r doctorJSON) error {
	found := 0
	for _, d := range r.Services {
		if !d.OK() {
			found++
		}
	}
	if e.json {
		if err := e.writeJSON(r); err != nil {
			return err
		}
	} else if len(r.Services) == 1 {
		renderDiagnosis(e, r.Services[0], true)
	} else {
		for _, d := range r.Services {
			if !d.OK() {
				renderDiagnosis(e, d, false)
			}
		}
		e.printf("\n%s diagnosed: %d with findings.\n", count(len(r.Services), "service"), found)
	}
	if found > 0 {
		return exitStatus(exitFindings)
	}
	return nil
}

// renderDiagnosis prints one service's findings, each with its evidence
// and fix; notReadable also lists the checks that could not run here.
func renderDiagnosis(e *env, d *winsvc.Diagnosis, notReadable bool) {
	serviceHeader(e.io.Out, d.Name)
	if d.OK() {
		e.printf("Nothing wrong found.\n")
	}
	for _, f := range d.Findings {
		e.printf("%s (%s): %s\n", strings.ToUpper(string(f.Severity)), f.Check, f.Message)
		e.printf("    evidence: %s\n", f.Evidence)
		if f.Fix != "" {
			e.printf("    fix:      %s\n", f.Fix)
		}
	}
	if t := d.TryStart; t != nil {
		e.printf("Try-start: %s (%s)", t.Outcome, t.Status.State)
		if t.Error != "" {
			e.printf(": %s", t.Error)
		}
		e.printf("\n")
	}
	if notReadable {
		for _, n := range d.NotReadable {
			e.printf("Not checked (%s): %s\n", n.Check, n.Reason)
		}
	}
}
