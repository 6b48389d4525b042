package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
)

// Run runs p as the service named service until ctx is cancelled, and is
// meant to be the program of run.Service (with Options.WaitReady), which
// `winsvc host NAME` gives it:
//
//   - It starts the program in a job object (every process the program
//     starts is in it), with a console of its own, in p.Dir with p.Env added
//     to the host's environment, and calls run.Ready once it runs.
//   - The program's output is appended to p.Stdout and p.Stderr, rotated as
//     p.Rotate says.
//   - When the program exits, what is left of its process tree is ended,
//     and it is started again as p.Restart says, after the back-off's
//     delay; when it is not, Run returns its exit code: nil for a success
//     code, a *run.ExitError with the code otherwise.
//   - When ctx is cancelled (the service is asked to stop), the program is
//     sent Ctrl+C, then Ctrl+Break, then WM_CLOSE to its windows, each step
//     waiting p.StopTimeout for it to exit (with run.Progress before each,
//     so the service stays STOP_PENDING without seeming hung), then its
//     whole process tree is ended; Run returns nil.
//
// Every event (started, exited with code, restarting in, stop escalated)
// is a line of p.Log (DefaultLog(service) when ""), rotated at 1 MiB.
// Path, Dir, Stdout, Stderr and Log may hold %VARIABLES%.
func Run(ctx context.Context, service string, p Program) error {
	if p.Path == "" {
		return errors.New("host: program path is empty (Program.Path, registry value " + ValuePath + ")")
	}
	p = p.Expanded(service)
	logw, err := openRotator(p.Log, Rotation{Bytes: eventLogBytes, Keep: eventLogKeep}, time.Now)
	if err != nil {
		return fmt.Errorf("host: event log: %w", err)
	}
	defer logw.Close()
	ev := &events{w: logw, now: time.Now}
	stdout, stderr, closeOut, err := openOutputs(&p)
	if err != nil {
		ev.printf("cannot open the output files: %v", err)
		return fmt.Errorf("host: %w", err)
	}
	defer closeOut()
	return supervise(ctx, &p, ev, stdout, stderr)
}

// Expanded is p as the host of service uses it: environment variables
// (%NAME%) expanded in its paths (%ProgramData% as the machine's
// ProgramData folder, whatever the process's environment says, so that
// the host, a service, and `winsvc logs`, run from a console, find the same
// files), and the defaults of Dir (Path's
// directory), Log (DefaultLog) and StopTimeout filled in.
func (p Program) Expanded(service string) Program {
	p.Path = expandEnv(p.Path, lookupVar)
	p.Dir = expandEnv(p.Dir, lookupVar)
	if p.Dir == "" {
		p.Dir = filepath.Dir(p.Path)
	}
	p.Stdout = expandEnv(p.Stdout, lookupVar)
	p.Stderr = expandEnv(p.Stderr, lookupVar)
	if p.Log == "" {
		p.Log = DefaultLog(service)
	}
	p.Log = expandEnv(p.Log, lookupVar)
	if p.StopTimeout <= 0 {
		p.StopTimeout = DefaultStopTimeout
	}
	return p
}

// expandEnv replaces each %NAME% of s with the variable's value, as
// ExpandEnvironmentStrings does: a name that is not set stays as written.
func expandEnv(s string, lookup func(string) (string, bool)) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			break
		}
		name := s[i+1 : i+1+j]
		if v, ok := lookup(name); ok && name != "" {
			b.WriteString(s[:i] + v)
			s = s[i+2+j:]
			continue
		}
		b.WriteString(s[:i+1+j])
		s = s[i+1+j:] // the closing % may open the next name
	}
	b.WriteString(s)
	return b.String()
}

// openOutputs opens the output files; the same path for both is one file.
func openOutputs(p *Program) (stdout, stderr io.Writer, closeAll func(), err error) {
	var opened []*rotator
	closeAll = func() {
		for _, r := range opened {
			r.Close()
		}
	}
	open := func(path string) (io.Writer, error) {
		if path == "" {
			return nil, nil
		}
		r, err := openRotator(path, p.Rotate, time.Now)
		if err != nil {
			return nil, err
		}
		opened = append(opened, r)
		return r, nil
	}
	if stdout, err = open(p.Stdout); err != nil {
		return nil, nil, closeAll, err
	}
	if strings.EqualFold(p.Stderr, p.Stdout) {
		return stdout, stdout, closeAll, nil
	}
	if stderr, err = open(p.Stderr); err != nil {
		closeAll()
		return nil, nil, func() {}, err
	}
	return stdout, stderr, closeAll, nil
}
