package winsvc

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/cmdline"
	"github.com/winsvc/winsvc/internal/valerr"
)

// The checks of a hosted program: a service whose command line is the
// program host's (PROGRAM host NAME, host.CommandLine) and that has
// Config.Program. The host starts Program.Path in Program.Dir and appends
// its output and its own events to files, whose directories it creates.

// hosted reports whether c's program is the program host running
// c.Program, or (with c.Program unreadable) whether its command line is
// the host's.
func hosted(c *Config) bool {
	_, args := c.Executable()
	if len(args) == 0 || !strings.EqualFold(args[0], "host") {
		return false
	}
	return c.Program != nil || !c.Available(FieldProgram)
}

// hostedChecks are the checks of a hosted program, in the order they run.
var hostedChecks = []Check{CheckHostedProgram, CheckHostedDir, CheckHostedLogs}

// checkHosted checks the hosted program of c, when c has one.
func (d *diagnosis) checkHosted(probe hostProbe, c *Config) {
	if !hosted(c) {
		return
	}
	if !c.Available(FieldProgram) {
		for _, chk := range hostedChecks {
			d.notReadable(chk, "the program host's settings (the Parameters key): "+c.Unavailable[FieldProgram].Error())
		}
		return
	}
	p, name := c.Program, cmdline.QuoteArg(c.Name)
	if p.Path == "" {
		d.found(CheckHostedProgram, SeverityError, "the program host has no program to run: the service stops at once",
			"program.path: (none)", fmt.Sprintf("winsvc config %s --program PATH", name))
	} else {
		d.checkProgramFile(probe, CheckHostedProgram, "the hosted program", p.Path, fmt.Sprintf("winsvc config %s --program PATH", name))
	}
	if p.Dir != "" {
		d.checkWorkingDir(probe, p.Dir, fmt.Sprintf("winsvc config %s --dir DIR", name))
	}
	log := p.Log
	if log == "" {
		log = host.DefaultLog(c.Name)
	}
	seen := map[string]bool{}
	for _, f := range []struct{ what, path, fix string }{
		{"the hosted program's standard output file (program.stdout)", p.Stdout, fmt.Sprintf("winsvc config %s --stdout FILE", name)},
		{"the hosted program's standard error file (program.stderr)", p.Stderr, fmt.Sprintf("winsvc config %s --stderr FILE", name)},
		// The host's own log has no option of create and config: a
		// document's program.log sets it (winsvc apply).
		{"the program host's event log (program.log)", log, ""},
	} {
		if f.path == "" || seen[strings.ToUpper(f.path)] {
			continue
		}
		seen[strings.ToUpper(f.path)] = true
		d.checkLogFile(probe, f.what, f.path, f.fix)
	}
}

// checkWorkingDir checks that the hosted program's working directory is
// one: CreateProcess fails otherwise.
func (d *diagnosis) checkWorkingDir(probe hostProbe, dir, fix string) {
	if d.ownVariable(CheckHostedDir, dir) {
		return
	}
	fi, err := probe.Stat(dir)
	switch {
	case err == nil && fi.IsDir():
	case err == nil:
		d.found(CheckHostedDir, SeverityError,
			"the hosted program's working directory is a file, not a directory: the host cannot start the program (ERROR_DIRECTORY, 267)",
			"program.workingDirectory: "+dir+": a file", fix)
	case errors.Is(err, fs.ErrNotExist):
		d.found(CheckHostedDir, SeverityError,
			"the hosted program's working directory does not exist: the host cannot start the program (ERROR_DIRECTORY, 267)",
			fmt.Sprintf("program.workingDirectory: %s: %v", dir, err), fix)
	case errors.Is(err, errNotHere):
		d.notReadable(CheckHostedDir, notHereReason(err))
	default:
		d.notReadable(CheckHostedDir, fmt.Sprintf("%s: %v", dir, err))
	}
}

// checkLogFile checks a file the host appends to: not a directory, not
// read-only (the attribute refuses writes to every account), and, when it
// does not exist yet, a directory that the host can create (MkdirAll):
// its nearest existing ancestor is a directory. Whether the service's
// account may write there (the ACLs, for an account that is not the
// caller's) is not judged.
func (d *diagnosis) checkLogFile(probe hostProbe, what, file, fix string) {
	if d.ownVariable(CheckHostedLogs, file) {
		return
	}
	how := "" // with no winsvc option to change it (fix ""), the message says how
	if fix == "" {
		how = "; set another in the service's document (program.log) and apply it with winsvc apply"
	}
	fi, err := probe.Stat(file)
	switch {
	case err == nil && fi.IsDir():
		d.found(CheckHostedLogs, SeverityError, what+" is a directory: the host cannot open it, and the service stops at once"+how,
			file+": a directory", fix)
		return
	case err == nil && fi.Mode().Perm()&0o222 == 0:
		d.found(CheckHostedLogs, SeverityError, what+" is read-only: the host cannot append to it, and the service stops at once; clear the attribute (attrib -r)"+how,
			file+": the read-only attribute", fix)
		return
	case err == nil:
		return
	case !errors.Is(err, fs.ErrNotExist):
		d.notReadableFile(file, err)
		return
	}
	levels := 0
	for dir, ok := winParent(file); ok; dir, ok = winParent(dir) {
		fi, err := probe.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist) && levels >= maxMissingLevels:
			d.notReadable(CheckHostedLogs, fmt.Sprintf("%s: none of its %d nearest folders exists; the rest were not read",
				valerr.Shorten(file), maxMissingLevels))
			return
		case errors.Is(err, fs.ErrNotExist):
			levels++
			continue
		case err != nil:
			d.notReadableFile(dir, err)
		case !fi.IsDir():
			d.found(CheckHostedLogs, SeverityError, what+" cannot be created: "+dir+" is a file, so its directory cannot be made, and the service stops at once"+how,
				fmt.Sprintf("%s: missing; %s: a file", file, dir), fix)
		}
		return // an existing directory: the host creates the rest
	}
	d.found(CheckHostedLogs, SeverityError, what+" cannot be created: no part of its path exists (a missing drive or share), and the service stops at once"+how,
		fmt.Sprintf("%s: %v", file, err), fix)
}

// maxMissingLevels bounds the folders read up a path none of whose
// folders exists.
const maxMissingLevels = 32

func (d *diagnosis) notReadableFile(file string, err error) {
	if errors.Is(err, errNotHere) {
		d.notReadable(CheckHostedLogs, notHereReason(err))
		return
	}
	d.notReadable(CheckHostedLogs, fmt.Sprintf("%s: %v", file, err))
}

// winParent is the directory of Windows path p, and false at a root (C:\,
// \\server\share, %VARIABLE%).
func winParent(p string) (string, bool) {
	p = strings.TrimRight(p, `\/`)
	i := strings.LastIndexAny(p, `\/`)
	if i < 0 {
		return "", false
	}
	parent := p[:i]
	if unc, ok := strings.CutPrefix(parent, `\\`); ok && !strings.ContainsAny(strings.TrimRight(unc, `\/`), `\/`) {
		return "", false // \\server: no directory above a share
	}
	if len(parent) == 2 && parent[1] == ':' {
		parent += `\`
	}
	return parent, parent != "" && parent != p
}
