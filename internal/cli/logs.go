package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"time"
)

var logsCmd = &command{name: "logs", group: groupExtra, summary: "Show the log of a service that winsvc hosts",
	usage: "logs NAME [--events | --stdout | --stderr] [--lines N] [--follow]",
	details: "For a service made with create --program: --events (the default) is the host's\n" +
		"own log (started, exited with code, restarting in, stop escalated), --stdout\n" +
		"and --stderr the program's output files. It prints the last --lines lines\n" +
		"(default 20; only the last MiB of a file is read); with --follow, it then prints\n" +
		"what is appended, also across a rotation, until interrupted (Ctrl-C, exit status 0).",
	examples: []string{"winsvc logs Web", "winsvc logs Web --stdout --follow", "winsvc logs Web --stderr --lines 100"},
	options:  []*option{optEvents, optStdout, optStderr, optLines, optFollow}, minArgs: 1, maxArgs: 1, nameArg: true,
	action: newAction(parseLogs, runLogs, nil)}

var (
	optEvents = &option{name: "events", bool: true, help: "the host's own events (the default)"}
	optStdout = &option{name: "stdout", bool: true, help: "the program's standard output file"}
	optStderr = &option{name: "stderr", bool: true, help: "the program's standard error file"}
	optLines  = &option{name: "lines", aliases: []string{"n"}, value: "N", help: "how many of the last lines to print (default 20)"}
	optFollow = &option{name: "follow", aliases: []string{"f"}, bool: true, help: "print what is appended until interrupted"}
)

// maxLogLines bounds --lines.
const maxLogLines = 100000

// LogsOptions are the Options of logs.
type LogsOptions struct {
	Name   string
	Which  string // "events", "stdout" or "stderr"
	Lines  int
	Follow bool
}

func parseLogs(p *parsed) (*LogsOptions, error) {
	o := &LogsOptions{Name: p.arg(0), Which: "events", Lines: 20, Follow: p.on(optFollow)}
	n := 0
	for _, w := range []*option{optEvents, optStdout, optStderr} {
		if p.on(w) {
			o.Which = w.name
			n++
		}
	}
	if n > 1 {
		return nil, p.usagef("--events, --stdout and --stderr: give one")
	}
	if p.has(optLines) {
		v, err := strconv.Atoi(p.str(optLines))
		if err != nil || v < 0 || v > maxLogLines {
			return nil, p.usagef("--lines %s: want a number of lines from 0 to %d", clip(p.str(optLines)), maxLogLines)
		}
		o.Lines = v
	}
	return o, nil
}

// clip shortens a value quoted in an error.
func clip(s string) string {
	if len(s) > 40 {
		return strconv.Quote(s[:40]) + "..."
	}
	return strconv.Quote(s)
}

func runLogs(ctx context.Context, e *env, o *LogsOptions) (struct{}, error) {
	p, err := loadProgram(ctx, e, o.Name)
	if err != nil {
		return struct{}{}, err
	}
	x := p.Expanded(o.Name)
	path := map[string]string{"events": x.Log, "stdout": x.Stdout, "stderr": x.Stderr}[o.Which]
	if path == "" {
		return struct{}{}, fmt.Errorf("service %q keeps no %s file (its program's %s is not set)", o.Name, o.Which, o.Which)
	}
	var offset int64
	f, err := os.Open(path)
	switch {
	case err == nil:
		var tail []byte
		tail, offset, err = lastLines(f, o.Lines)
		f.Close()
		if err != nil {
			return struct{}{}, err
		}
		e.out.Write(tail)
		e.out.Flush()
	case errors.Is(err, fs.ErrNotExist) && o.Follow: // not written yet: wait for it
	default:
		return struct{}{}, err
	}
	if !o.Follow {
		return struct{}{}, nil
	}
	return struct{}{}, follow(ctx, path, offset, 250*time.Millisecond, e.out, func() { e.out.Flush() })
}
