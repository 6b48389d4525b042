package cli

import (
	"os"
	"slices"
	"strings"

	"github.com/winsvc/winsvc/host"
)

// The options of create and config that set what the program host runs
// (host.Program). The other settings of the block (rotation, restart
// delays, the stop timeout, the host's log) are set by a document's
// program: block (winsvc apply).
var (
	optProgram = &option{name: "program", value: "PATH", help: "run the program PATH (a full path) as the service, through winsvc's program host; " +
		"create without binPath= registers this winsvc.exe as the service's program (winsvc.exe host NAME)"}
	optArg        = &option{name: "arg", repeat: true, value: "ARG", help: "an argument of the hosted program; repeat for each, in order (replaces its arguments)"}
	optDir        = &option{name: "dir", value: "DIR", help: "the hosted program's working directory (default: its own directory)"}
	optEnv        = &option{name: "env", repeat: true, value: "NAME=VALUE", help: "a variable added to the hosted program's environment; repeat for each (replaces those set before)"}
	optProgStdout = &option{name: "stdout", value: "FILE", help: "the file the hosted program's standard output is appended to"}
	optProgStderr = &option{name: "stderr", value: "FILE", help: "the file the hosted program's standard error is appended to (the same file as --stdout interleaves them)"}
	optRestart    = &option{name: "restart", value: "WHEN", values: []string{string(host.OnFailure), string(host.Always), string(host.Never)},
		help: "when the host starts the program again after it exits"}
	programOptions = []*option{optProgram, optArg, optDir, optEnv, optProgStdout, optProgStderr, optRestart}
)

// parseProgram returns what the program options given change in a
// service's host.Program, or nil when none is given. An empty --program is
// refused: it would leave a hosted service with no program to run.
func parseProgram(p *parsed) (func(*host.Program), error) {
	if !slices.ContainsFunc(programOptions, p.has) {
		return nil, nil
	}
	if p.has(optProgram) && strings.TrimSpace(p.str(optProgram)) == "" {
		return nil, p.usagef("--program %q: program.path is required, the full path of the program to run (C:\\app\\app.exe)", p.str(optProgram))
	}
	return func(prog *host.Program) {
		if p.has(optProgram) {
			prog.Path = p.str(optProgram)
		}
		if p.has(optArg) {
			prog.Args = slices.Clone(p.all(optArg))
		}
		if p.has(optDir) {
			prog.Dir = p.str(optDir)
		}
		if p.has(optEnv) {
			prog.Env = slices.Clone(p.all(optEnv))
		}
		if p.has(optProgStdout) {
			prog.Stdout = p.str(optProgStdout)
		}
		if p.has(optProgStderr) {
			prog.Stderr = p.str(optProgStderr)
		}
		if p.has(optRestart) {
			prog.Restart.When = host.RestartWhen(p.str(optRestart))
		}
	}, nil
}

// editedProgram returns cur (nil: the service is not hosted) with edit
// applied, on a copy: the settings the options do not name are kept.
func editedProgram(cur *host.Program, edit func(*host.Program)) *host.Program {
	p := &host.Program{}
	if cur != nil {
		c := *cur
		c.Args, c.Env = slices.Clone(c.Args), slices.Clone(c.Env)
		c.Restart.SuccessCodes = slices.Clone(c.Restart.SuccessCodes)
		p = &c
	}
	edit(p)
	return p
}

// hostCommandLine is the binary path of a new service that this
// winsvc.exe hosts.
func hostCommandLine(name string) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	return host.CommandLine(exe, name), nil
}
