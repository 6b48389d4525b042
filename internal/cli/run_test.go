package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
)

// runCLI runs a command line with in-memory streams and a factory whose
// connection fails as it does off Windows.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := &Factory{
		IO: &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
		Connect: func(machine string) (SCM, error) {
			return nil, &winsvc.Error{Op: "connect", Err: fmt.Errorf("no SCM on %q: %w", machine, winsvc.ErrClosed)}
		},
		Getenv: func(string) string { return "" },
	}
	code = Run(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

func TestRunExitCodesAndStreams(t *testing.T) {
	tests := []struct {
		args       []string
		code       int
		stdout     string // a substring; "" for empty
		stderrJSON bool
	}{
		{[]string{}, 0, "Usage: winsvc", false},
		{[]string{"help", "exit-codes"}, 0, "1060  ERROR_SERVICE_DOES_NOT_EXIST", false},
		{[]string{"QC", "--help"}, 0, "winsvc qc:", false},
		{[]string{"help", "nonsense"}, 87, "", false},
		{[]string{"bogus", "--json"}, 87, "", true},
		{[]string{"--json", "create", "Foo"}, 87, "", true},
		{[]string{"qc", "Foo", "--json"}, 1, "", true}, // the factory's error has no Win32 code
		{[]string{"help", "syntax", "--json"}, 0, `"topic": "syntax"`, false},
		{[]string{"--json", "help", "exit-codes"}, 0, `"topic": "exit-codes"`, false},
		{[]string{"help", "JSON", "--json"}, 0, `"text": "JSON output`, false},
		{[]string{"completion", "bash"}, 0, "complete -F _winsvc winsvc", false},
		{[]string{"help", "--json"}, 0, `"name": "create"`, false},
		{[]string{"showsid", "Foo", "--json"}, 0, `"sid": "S-1-5-80-`, false}, // needs no SCM
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(t, tt.args...)
		if code != tt.code {
			t.Errorf("%q: exit %d, want %d (stderr %q)", tt.args, code, tt.code, stderr)
		}
		if tt.stdout == "" && stdout != "" || !strings.Contains(stdout, tt.stdout) {
			t.Errorf("%q: stdout %q, want %q", tt.args, stdout, tt.stdout)
		}
		if tt.code != 0 {
			if strings.Count(stderr, "\n") != 1 {
				t.Errorf("%q: the error is not one line: %q", tt.args, stderr)
			}
			var doc errorJSON
			if isJSON := json.Unmarshal([]byte(stderr), &doc) == nil; isJSON != tt.stderrJSON || (isJSON && doc.Error.Code != tt.code) {
				t.Errorf("%q: stderr %q (JSON wanted: %v)", tt.args, stderr, tt.stderrJSON)
			}
		}
	}
}

// TestRunJSONEverywhere: with --json, stdout is exactly one JSON document,
// whatever the verb (watch, which streams, is tested with its golden file).
func TestRunJSONEverywhere(t *testing.T) {
	for _, args := range [][]string{
		{"help"}, {"help", "create"}, {"help", "syntax"}, {"help", "exit-codes"}, {"help", "json"},
		{"create", "--help"}, {"completion", "zsh"}, {"showsid", "Foo"},
	} {
		code, stdout, stderr := runCLI(t, append(args, "--json")...)
		dec := json.NewDecoder(strings.NewReader(stdout))
		var v any
		if err := dec.Decode(&v); code != 0 || err != nil {
			t.Errorf("%q --json: exit %d, %v\nstdout %q\nstderr %q", args, code, err, stdout, stderr)
			continue
		}
		if dec.More() {
			t.Errorf("%q --json: more than one document: %q", args, stdout)
		}
	}
}

// TestRunErrorNamesService: an error without a service (the connection
// failed) names the service of the command line, and the verb run, with
// every field present.
func TestRunErrorNamesService(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		service string
	}{{[]string{"qc", "Foo", "--json"}, "Foo"}, {[]string{"start", "Foo", "--no-wait", "--json"}, "Foo"}, {[]string{"query", "--json"}, ""}} {
		_, _, stderr := runCLI(t, tt.args...)
		var doc struct{ Error map[string]any }
		if err := json.Unmarshal([]byte(stderr), &doc); err != nil {
			t.Fatalf("%q: %v: %q", tt.args, err, stderr)
		}
		if doc.Error["service"] != tt.service || doc.Error["op"] != tt.args[0] || len(doc.Error) != 5 {
			t.Errorf("%q: %v, want service %q", tt.args, doc.Error, tt.service)
		}
		if cn, ok := doc.Error["codeName"]; !ok || cn != "" {
			t.Errorf("%q: codeName %v (present and empty for an error without a Win32 code)", tt.args, cn)
		}
	}
}

func TestRunMachine(t *testing.T) {
	_, _, stderr := runCLI(t, `\\far`, "qc", "Foo")
	if !strings.Contains(stderr, `no SCM on "\\\\far"`) {
		t.Errorf("the machine did not reach the factory: %q", stderr)
	}
}

// namesService reports whether a verb's usage names a service ("qc NAME",
// "query [NAME]"), read from the help text rather than from the flags that
// set the error's service, so that a verb lacking them is caught.
func namesService(c *command) bool {
	f := strings.Fields(c.usage)
	return len(f) > 1 && (f[1] == "NAME" || f[1] == "[NAME]")
}

// TestErrorNamesServiceOfCommandLine: for every verb whose usage names a
// service, a usage error and a validation error put that service in the
// JSON error's "service".
func TestErrorNamesServiceOfCommandLine(t *testing.T) {
	named := 0
	for _, c := range sortedCommands() {
		if namesService(c) != (c.nameArg || c.newName) {
			t.Errorf("%s: usage %q, but nameArg %v newName %v", c.name, c.usage, c.nameArg, c.newName)
		}
		if !namesService(c) {
			continue
		}
		named++
		for _, mistake := range [][]string{{"bogus=", "1"}, {"--bogus"}, {"--timeout"}} {
			args := append([]string{"--json", c.name, "MySvc"}, mistake...)
			_, _, stderr := runCLI(t, args...)
			var doc errorJSON
			if err := json.Unmarshal([]byte(stderr), &doc); err != nil || doc.Error.Service != "MySvc" {
				t.Errorf("%q: service %q, want MySvc (stderr %q)", args, doc.Error.Service, stderr)
			}
		}
	}
	if named < 40 {
		t.Errorf("only %d verbs name a service", named)
	}
	long := strings.Repeat("x", 300)
	for _, tt := range []struct {
		args []string
		want string // in the message
	}{
		{[]string{"create", "MySvc"}, "binPath= is required"},
		{[]string{"create", "MySvc", "binPath=", `C:\x.exe`, "start=", "sometimes"}, `start= "sometimes"`},
		{[]string{"create", "MySvc", "binPath=", `C:\x.exe`, "bogus=", "1"}, "unknown option bogus="},
		{[]string{"create", "MySvc", "binPath=", `C:\x.exe`, "DisplayName=", long}, "invalid displayName"},
		{[]string{"create", "MySvc", "binPath=", `C:\x.exe`, "depend=", "a" + long}, "invalid dependencies[0]"},
		{[]string{"config", "MySvc", "group=", long}, "invalid loadOrderGroup"},
		{[]string{"privs", "MySvc", "NotAPrivilege"}, "requiredPrivileges"},
	} {
		code, _, stderr := runCLI(t, append(tt.args, "--json")...)
		var doc errorJSON
		if err := json.Unmarshal([]byte(stderr), &doc); err != nil || doc.Error.Service != "MySvc" ||
			code != exitUsage || !strings.Contains(doc.Error.Message, tt.want) {
			t.Errorf("%q: exit %d, %+v; want service MySvc, exit 87, message with %q", tt.args, code, doc.Error, tt.want)
		}
	}
}

// countingWriter counts the writes made to it.
type countingWriter struct {
	bytes.Buffer
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

// Standard output is written once for a whole listing, not once per line;
// watch's changes are written as they happen (its run cases stop at the
// first write).
func TestStdoutIsBuffered(t *testing.T) {
	for _, args := range [][]string{{"list"}, {"list", "--json"}, {"query", "state=", "all"}, {"query", "state=", "all", "--json"}} {
		m := newFake(t)
		var out countingWriter
		f := &Factory{IO: &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: io.Discard},
			Connect: func(string) (SCM, error) { return m, nil }, Getenv: func(string) string { return "" }}
		if code := Run(context.Background(), f, args); code != 0 || out.writes != 1 || out.Len() == 0 {
			t.Errorf("%q: exit %d, %d writes of %d bytes; want one write", args, code, out.writes, out.Len())
		}
	}
}
