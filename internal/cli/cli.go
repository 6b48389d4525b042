package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"

	"github.com/winsvc/winsvc"
)

// IOStreams are the standard streams of one invocation.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// ErrTTY reports whether ErrOut is a terminal; progress is shown only then.
	ErrTTY bool
}

// SystemIO returns the process's standard streams.
func SystemIO() *IOStreams {
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, ErrTTY: isTerminal(os.Stderr)}
}

// isTerminal reports whether f is a character device (a console or a tty).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// SCM is what the verbs use of a connection to a Service Control Manager.
// *winsvc.Manager implements it; the tests run every verb against
// winsvctest.Connect, a Manager over an in-memory SCM.
type SCM interface {
	Service(name string) (*winsvc.Service, error)
	Load(ctx context.Context, name string) (*winsvc.Service, error)
	New(def winsvc.Definition) (*winsvc.Service, error)
	CoreConfig(ctx context.Context, name string) (*winsvc.Config, error)
	Configs(ctx context.Context, names []string, opts winsvc.ConfigsOptions) []winsvc.ConfigResult
	QueryAll(ctx context.Context, f winsvc.QueryFilter) ([]winsvc.Status, error)
	DisplayName(ctx context.Context, key string) (string, error)
	KeyName(ctx context.Context, display string) (string, error)
	DependencyTree(ctx context.Context, name string) (*winsvc.DependencyTree, error)
	DependencyGraph(ctx context.Context, o winsvc.GraphOptions) (*winsvc.Graph, error)
	LockStatus(ctx context.Context) (winsvc.LockStatus, error)
	UserServiceInfo(ctx context.Context, name string) (winsvc.UserServiceInfo, error)
	Diagnose(ctx context.Context, name string, o winsvc.DiagnoseOptions) (*winsvc.Diagnosis, error)
	DiagnoseAll(ctx context.Context, o winsvc.DiagnoseOptions) ([]*winsvc.Diagnosis, error)
	Close() error
}

var _ SCM = (*winsvc.Manager)(nil)

// Factory provides what the verbs need from outside: the streams, the
// connection to a Service Control Manager, and the environment. Tests
// replace its parts.
type Factory struct {
	IO      *IOStreams
	Connect func(machine string) (SCM, error)
	Getenv  func(key string) string
	// LookPath finds a program (Graphviz's dot, for graph --format svg);
	// nil is exec.LookPath.
	LookPath func(file string) (string, error)
}

// NewFactory returns the factory of a real invocation.
func NewFactory() *Factory {
	return &Factory{IO: SystemIO(), Connect: connect, Getenv: os.Getenv, LookPath: exec.LookPath}
}

// lookPath finds a program with LookPath.
func (f *Factory) lookPath(file string) (string, error) {
	if f.LookPath == nil {
		return exec.LookPath(file)
	}
	return f.LookPath(file)
}

// connect connects to the SCM of machine ("" for this one).
func connect(machine string) (SCM, error) {
	m, err := winsvc.ConnectRemote(machine)
	if err != nil {
		return nil, err // not a nil *Manager in a non-nil SCM
	}
	return m, nil
}

// Main runs winsvc with the process's arguments and returns the exit status.
// An interrupt (Ctrl-C) cancels the running verb.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return Run(ctx, NewFactory(), os.Args[1:])
}

// Run executes one command line (without the program name) and returns the
// exit status: 0, or the Win32 error code (see "winsvc help exit-codes").
func Run(ctx context.Context, f *Factory, args []string) int {
	inv, err := parseCommandLine(commands, args)
	// Standard output is buffered (one write for a listing of thousands of
	// services, not one per line) and flushed before any error is reported.
	out := bufio.NewWriterSize(f.IO.Out, 64<<10)
	streams := *f.IO
	streams.Out = out
	e := &env{io: &streams, out: out, f: f, cmds: commands, redact: newRedactor(commands, args),
		machine: inv.machine, json: inv.json, verb: inv.cmd.name, target: inv.target}
	if err == nil {
		err = inv.action.execute(ctx, e, inv.opts)
	}
	e.close()
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	return report(e, err)
}

// env is what a verb's run function works with.
type env struct {
	io      *IOStreams
	out     *bufio.Writer // io.Out
	f       *Factory
	cmds    *table // the verb table
	machine string // `\\server`, "" for the local machine
	json    bool
	verb    string // the verb named, as the table spells it
	target  string // the service the command line names, "" if none
	mgr     SCM
	redact  *redactor // hides the secrets of the command line in everything written to stderr
}

// manager connects to the SCM on first use.
func (e *env) manager() (SCM, error) {
	if e.mgr == nil {
		m, err := e.f.Connect(e.machine)
		if err != nil {
			return nil, err
		}
		e.mgr = m
	}
	return e.mgr, nil
}

// service connects and returns an entity for service name that reads
// nothing (Manager.Service): control verbs need only the right to control.
func (e *env) service(name string) (SCM, *winsvc.Service, error) {
	m, err := e.manager()
	if err != nil {
		return nil, nil, err
	}
	svc, err := m.Service(name)
	return m, svc, err
}

// load connects and reads service name's configuration.
func (e *env) load(ctx context.Context, name string) (SCM, *winsvc.Service, error) {
	m, err := e.manager()
	if err != nil {
		return nil, nil, err
	}
	svc, err := m.Load(ctx, name)
	return m, svc, err
}

func (e *env) close() {
	if e.mgr != nil {
		e.mgr.Close()
		e.mgr = nil
	}
}

// writeJSON prints v as one indented JSON document on stdout.
func (e *env) writeJSON(v any) error {
	enc := json.NewEncoder(e.io.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeJSONArray prints items as writeJSON prints the slice, the same
// bytes, one element at a time: each is marshaled and indented on its own,
// so a long list (query state= all) is neither held whole in memory nor
// validated twice.
func writeJSONArray[T json.Marshaler](e *env, items []T) error {
	w := e.io.Out
	if len(items) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	var buf bytes.Buffer
	for i, it := range items {
		b, err := it.MarshalJSON()
		if err != nil {
			return err
		}
		buf.Reset()
		if i == 0 {
			buf.WriteString("[\n  ")
		} else {
			buf.WriteString(",\n  ")
		}
		if err := json.Indent(&buf, b, "  ", "  "); err != nil {
			return err
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "\n]\n")
	return err
}

// writeJSONLine prints v as one compact JSON line (a stream of events).
func (e *env) writeJSONLine(v any) error {
	enc := json.NewEncoder(e.io.Out)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// flush writes out what is buffered for stdout: for output that streams.
func (e *env) flush() error {
	if e.out == nil { // an env made without Run writes unbuffered
		return nil
	}
	return e.out.Flush()
}

// printf writes text output to stdout.
func (e *env) printf(format string, args ...any) {
	fmt.Fprintf(e.io.Out, format, args...)
}

// warn writes a warning to stderr: one line of text, or {"warning": ...}
// with --json.
func (e *env) warn(format string, args ...any) {
	msg := e.redact.text(fmt.Sprintf(format, args...))
	if e.json {
		b, _ := json.Marshal(map[string]string{"warning": msg})
		fmt.Fprintf(e.io.ErrOut, "%s\n", b)
		return
	}
	e.note("warning: %s", strings.TrimSpace(msg))
}

// note writes one line of text to stderr, prefixed with "winsvc: ", with
// the secrets of the command line hidden.
func (e *env) note(format string, args ...any) {
	fmt.Fprintf(e.io.ErrOut, "winsvc: %s\n", e.redact.text(fmt.Sprintf(format, args...)))
}
