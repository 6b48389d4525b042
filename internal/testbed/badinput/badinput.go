// Package badinput holds the bad-input suite's invalid command lines
// (cli.txt) and reads them, for the tests that run them: natively against
// the in-memory SCM (internal/cli) and under Wine against the real one
// (cmd/winsvc). Each case must fail with its exit code and an error that
// mentions the field or option at fault, and change nothing.
package badinput

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
)

//go:embed cli.txt
var cliCases string

// Case is one invalid command line.
type Case struct {
	Line    int    // in cli.txt
	Group   string // the "## " heading it is under
	Code    int    // the exit code, a Win32 code
	Mention string // text the error message must contain (the field or option at fault)
	Args    []string
}

// Name is the case as a subtest name: its line and command line.
func (c Case) Name() string { return fmt.Sprintf("%d %s", c.Line, strings.Join(c.Args, " ")) }

// Expand returns the arguments with each $VARIABLE replaced by its value
// in vars. A variable without a value is a mistake in the suite.
func (c Case) Expand(vars map[string]string) ([]string, error) {
	out := make([]string, len(c.Args))
	for i, a := range c.Args {
		v, err := expand(a, vars)
		if err != nil {
			return nil, fmt.Errorf("cli.txt:%d: %w", c.Line, err)
		}
		out[i] = v
	}
	return out, nil
}

// Service is the service the case names, which its JSON error must name:
// the value of its first argument that is a $VARIABLE alone, or "" when it
// has none (a verb that names no service).
func (c Case) Service(vars map[string]string) string {
	for _, a := range c.Args {
		if strings.HasPrefix(a, "$") && !strings.ContainsAny(a[1:], "$=/ ") {
			return vars[a[1:]]
		}
	}
	return ""
}

// expand replaces the $VARIABLEs (letters, digits and _) in a.
func expand(a string, vars map[string]string) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(a, '$')
		if i < 0 {
			return b.String() + a, nil
		}
		b.WriteString(a[:i])
		j := i + 1
		for j < len(a) && (a[j] == '_' || a[j] >= 'A' && a[j] <= 'Z' || a[j] >= '0' && a[j] <= '9') {
			j++
		}
		v, ok := vars[a[i+1:j]]
		if !ok {
			return "", fmt.Errorf("no value for $%s", a[i+1:j])
		}
		b.WriteString(v)
		a = a[j:]
	}
}

// documents are the desired-state documents the cases name as
// $DOCS/FILE: values a command line cannot carry (a NUL), given through
// a file. $VARIABLEs in them are expanded.
var documents = map[string]string{
	"nul-path.yaml": "services:\n  - name: $SVC\n    binaryPathName: \"C:\\\\x\\0.exe\"\n",
	"nul-new.yaml":  "services:\n  - name: $NEW\n    binaryPathName: \"C:\\\\x\\0.exe\"\n",
}

// WriteDocuments writes the documents the cases name into dir, with vars
// expanded, and returns vars with $DOCS set to dir.
func WriteDocuments(dir string, vars map[string]string) (map[string]string, error) {
	for name, text := range documents {
		doc, err := expand(text, vars)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644)
		}
		if err != nil {
			return nil, fmt.Errorf("document %s: %w", name, err)
		}
	}
	out := maps.Clone(vars)
	out["DOCS"] = dir
	return out, nil
}

// CLI returns the invalid command lines of cli.txt.
func CLI() ([]Case, error) { return parse(cliCases) }

// parse reads the case file: "## " lines start a group, "#" lines are
// comments; a case is CODE, a tab, MENTION, a tab, then the arguments,
// separated by spaces; `...` is one argument taken as it is (backquotes:
// Windows paths need no escapes) and "" an empty one.
func parse(text string) ([]Case, error) {
	var cases []Case
	group := ""
	for n, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "## "):
			group = strings.TrimSpace(line[3:])
			continue
		case strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#"):
			continue
		}
		fields := strings.SplitN(line, "\t", 3)
		if len(fields) != 3 {
			return nil, fmt.Errorf("cli.txt:%d: want CODE<tab>MENTION<tab>ARGS", n+1)
		}
		code, err := strconv.Atoi(fields[0])
		if err != nil {
			return nil, fmt.Errorf("cli.txt:%d: code %q: %v", n+1, fields[0], err)
		}
		args, err := splitArgs(fields[2])
		if err != nil {
			return nil, fmt.Errorf("cli.txt:%d: %v", n+1, err)
		}
		cases = append(cases, Case{Line: n + 1, Group: group, Code: code, Mention: fields[1], Args: args})
	}
	return cases, nil
}

// splitArgs splits s at spaces; `...` is one argument, "" an empty one.
func splitArgs(s string) ([]string, error) {
	var args []string
	for s = strings.TrimLeft(s, " "); s != ""; s = strings.TrimLeft(s, " ") {
		switch {
		case strings.HasPrefix(s, "`"):
			end := strings.IndexByte(s[1:], '`')
			if end < 0 {
				return nil, fmt.Errorf("unclosed ` in %q", s)
			}
			args = append(args, s[1:end+1])
			s = s[end+2:]
		case strings.HasPrefix(s, `""`):
			args = append(args, "")
			s = s[2:]
		default:
			end := strings.IndexByte(s, ' ')
			if end < 0 {
				end = len(s)
			}
			args = append(args, s[:end])
			s = s[end:]
		}
	}
	return args, nil
}

// Secret is the password the cases give in the wrong places: it must never
// be shown.
const Secret = "hunter2"

// Check returns what is wrong with a run of the case: its exit code, its
// empty stdout, and its error on stderr: one line of text (asJSON false)
// or one JSON error naming the service (asJSON true), which mentions
// c.Mention (in any case) and never shows Secret.
func (c Case) Check(vars map[string]string, asJSON bool, code int, stdout, stderr string) []string {
	var bad []string
	if code != c.Code {
		bad = append(bad, fmt.Sprintf("exit %d, want %d", code, c.Code))
	}
	if stdout != "" {
		bad = append(bad, fmt.Sprintf("stdout not empty: %q", stdout))
	}
	if strings.Contains(stdout+stderr, Secret) {
		bad = append(bad, "the password is shown")
	}
	msg := strings.TrimSuffix(stderr, "\n")
	if strings.Contains(msg, "\n") {
		bad = append(bad, "the error is not one line")
	}
	if asJSON {
		var doc struct {
			Error struct {
				Op, Service, CodeName, Message *string
				Code                           *int
			}
		}
		e := &doc.Error
		switch err := json.Unmarshal([]byte(msg), &doc); {
		case err != nil:
			bad = append(bad, fmt.Sprintf("stderr is not a JSON error: %v", err))
		case e.Op == nil || *e.Op == "" || e.Code == nil || *e.Code != c.Code || e.CodeName == nil || *e.CodeName == "" || e.Message == nil:
			bad = append(bad, "the JSON error lacks op, code, codeName or message")
		case e.Service == nil || *e.Service != c.Service(vars):
			bad = append(bad, fmt.Sprintf("the JSON error does not name the service %q", c.Service(vars)))
		default:
			msg = *e.Message
		}
	} else if !strings.HasPrefix(msg, "winsvc: ") {
		bad = append(bad, "the error does not start with \"winsvc: \"")
	}
	if !strings.Contains(strings.ToLower(msg), strings.ToLower(c.Mention)) {
		bad = append(bad, fmt.Sprintf("the error does not mention %q", c.Mention))
	}
	if len(bad) > 0 {
		bad = append(bad, "stderr: "+stderr)
	}
	return bad
}

// DiffLines lists the lines that only one of two snapshots has, as
// "- before" and "+ after", in their order; "" when they have the same.
func DiffLines(before, after string) string {
	a, b := strings.Split(before, "\n"), strings.Split(after, "\n")
	var out []string
	for _, l := range a {
		if !slices.Contains(b, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range b {
		if !slices.Contains(a, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

// RunCLI runs every case of cli.txt twice, as it is and with --json first,
// through run, which returns the exit code, stdout and stderr of one
// command line, and checks each run (Check). snapshot reads every
// service's configuration and status; it must read the same before and
// after each case.
func RunCLI(t *testing.T, vars map[string]string, run func(args []string) (code int, stdout, stderr string), snapshot func() string) {
	t.Helper()
	cases, err := CLI()
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot()
	for _, c := range cases {
		args, err := c.Expand(vars)
		if err != nil {
			t.Fatal(err)
		}
		for _, asJSON := range []bool{false, true} {
			line := args
			if asJSON {
				line = append([]string{"--json"}, args...)
			}
			code, stdout, stderr := run(line)
			for _, bad := range c.Check(vars, asJSON, code, stdout, stderr) {
				t.Errorf("%s (json %v): %s", c.Name(), asJSON, bad)
			}
		}
		if after := snapshot(); after != before {
			t.Errorf("%s changed the services:\n%s", c.Name(), DiffLines(before, after))
			before = after
		}
	}
}

// MemorySnapshot is every service of an in-memory SCM, its configuration
// and status as JSON, one line each.
func MemorySnapshot(t *testing.T, m *winsvc.Manager) string {
	t.Helper()
	ctx := context.Background()
	all, err := m.QueryAll(ctx, winsvc.QueryFilter{Types: winsvc.TypesAll})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, st := range all {
		s, err := m.Load(ctx, st.Name)
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := json.Marshal([]any{s.Config(), st})
		b.Write(append(doc, '\n'))
	}
	return b.String()
}
