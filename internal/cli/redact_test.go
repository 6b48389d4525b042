package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/internal/valerr"
)

// secretMistakes are ways a password reaches a command line by mistake (a
// mistyped option, an option the verb does not have, a switch given a
// value), each with its own secret; %s is the secret.
var secretMistakes = [][]string{
	{"--password=%s"},
	{"--password", "%s"},
	{"-password", "%s"},
	{"-password=%s"},
	{"password=%s"},
	{"password=", "%s"},
	{"PASSWORD=", "%s"},
	{"--password-stdin=%s"},
	{"passwd=%s"},
	{"passwd=", "%s"},
	{"--passwd=%s"},
	{"--passwd", "%s"},
	{"pwd=%s"},
	{"--Pwd", "%s"},
	{"secret=", "%s"},
	{"--client-secret=%s"},
	{"--env", "API_TOKEN=%s"},
	{"--env=DB_PASSWORD=%s"},
	{"AWS_SECRET_ACCESS_KEY=%s"},
}

// TestSecretsNeverEchoed runs every verb of the command table with each
// mistake, after the service name and before it, in text and with --json
// (after the verb's arguments and before the verb), and checks that the
// secret appears neither on stdout nor on stderr, while the error is
// reported (as one JSON document per line with --json).
func TestSecretsNeverEchoed(t *testing.T) {
	n := 0
	for _, c := range sortedCommands() {
		for i, mistake := range secretMistakes {
			secret := fmt.Sprintf("Hunter%dx%s", i, strings.ToLower(c.name))
			m := make([]string, len(mistake))
			for j, a := range mistake {
				m[j] = strings.ReplaceAll(a, "%s", secret)
			}
			for _, args := range [][]string{
				append([]string{c.name, "S"}, m...),
				append(append([]string{c.name}, m...), "S"),
				append(append([]string{c.name, "S"}, m...), "--json"),
				append([]string{"--json", c.name, "S"}, m...),
			} {
				n++
				code, stdout, stderr := runCLI(t, args...)
				if strings.Contains(stdout+stderr, secret) {
					t.Errorf("%q: the secret is shown:\nstdout %q\nstderr %q", args, stdout, stderr)
				}
				if code == 0 || stderr == "" {
					t.Errorf("%q: exit %d, stderr %q: no error reported, so this proves nothing", args, code, stderr)
				}
				if args[0] == "--json" || args[len(args)-1] == "--json" {
					for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
						if !json.Valid([]byte(line)) {
							t.Errorf("%q: stderr line is not JSON: %q", args, line)
						}
					}
				}
			}
		}
	}
	if n < len(commands.list())*len(secretMistakes) {
		t.Fatalf("only %d runs", n)
	}
}

// TestRedactorReport: whatever error reaches report, and whatever warning
// reaches warn, the secrets of the command line and the password read from
// stdin are hidden, also where %q escaped them; a short secret does not
// garble the words it is part of.
func TestRedactorReport(t *testing.T) {
	args := []string{"config", "S", "--pwd", `a"b`, "secret=x", "--password-stdin", "--json"}
	for _, json := range []bool{false, true} {
		e, _, errOut := testEnv(json)
		e.verb, e.target, e.redact = "config", "S", newRedactor(commands, args)
		e.io.In = strings.NewReader("from-stdin\n")
		if pw, err := (PasswordOptions{Stdin: true}).password(e, `.\u`); err != nil || pw != "from-stdin" {
			t.Fatalf("password %q, %v", pw, err)
		}
		e.warn("saving with from-stdin")
		report(e, fmt.Errorf("the password %q or %s or from-stdin was refused: x, xx", `a"b`, `a"b`))
		got := errOut.String()
		for _, leak := range []string{`a"b`, `a\"b`, "from-stdin", " x,"} {
			if strings.Contains(got, leak) {
				t.Errorf("json %v: %q shown:\n%s", json, leak, got)
			}
		}
		if !strings.Contains(got, "xx") || !strings.Contains(got, "password") || !strings.Contains(got, "***") {
			t.Errorf("json %v: over-redacted or not redacted:\n%s", json, got)
		}
	}
}

func TestRedactionRule(t *testing.T) {
	tests := []struct {
		args    []string
		secrets []string // "" for none
	}{
		{[]string{"--password=p1"}, []string{"p1"}},
		{[]string{"--password", "p2"}, []string{"p2"}},
		{[]string{"password=", "p3"}, []string{"p3"}},
		{[]string{"Password=p4"}, []string{"p4"}},
		{[]string{"-passwd", "p5"}, []string{"p5"}},
		{[]string{"--db-secret=p6"}, []string{"p6"}},
		{[]string{"--password-stdin", "S"}, nil}, // a switch: S is not its value
		{[]string{"--password-stdin=p7"}, []string{"p7"}},
		{[]string{"password", "S"}, nil}, // a word, not an option
		{[]string{"start=", "auto", "--timeout", "5s"}, nil},
		{[]string{"--pwd"}, nil}, // no value
		{[]string{"pwd=", " "}, nil},
		{[]string{"--env", "API_TOKEN=t1", "--env", "PORT=80"}, []string{"t1"}},
		{[]string{"--env=my_api_key=t2"}, []string{"t2"}},
		{[]string{"--env", "AUTH_HEADER="}, nil},
	}
	for _, tt := range tests {
		got := newRedactor(commands, tt.args).secrets
		if strings.Join(got, "|") != strings.Join(tt.secrets, "|") {
			t.Errorf("%q: secrets %q, want %q", tt.args, got, tt.secrets)
		}
	}
	r := newRedactor(commands, []string{"--pwd=a", "--secret=ab"})
	for in, want := range map[string]string{
		"--pwd=a":          "--pwd=***",
		"a password":       "*** password",
		"ab, abc, cab, ab": "***, abc, cab, ***",
		"(a)":              "(***)",
	} {
		if got := r.text(in); got != want {
			t.Errorf("text(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReportRedactsWrappedErrors: an error from anywhere (the library, a
// wrapped cause) that carries a secret is shown redacted.
func TestReportRedactsWrappedErrors(t *testing.T) {
	e, _, errOut := testEnv(true)
	e.verb, e.redact = "qc", newRedactor(commands, []string{"qc", "S", "--pwd", "hunter2"})
	report(e, fmt.Errorf("wrapped: %w", errors.New("hunter2 rejected")))
	if strings.Contains(errOut.String(), "hunter2") || !strings.Contains(errOut.String(), "*** rejected") {
		t.Errorf("stderr %q", errOut)
	}
}

// A long secret that an error shows cut short (its first characters and
// "…", after other text or not) is hidden too: every start of it before
// a "…", quoted or not.
func TestRedactorHidesSecretsCutShort(t *testing.T) {
	secret := strings.Repeat("s3cr3t-", 40) + "\x01end"
	args := []string{"start", "S", "--password=" + secret}
	r := newRedactor(commands, args)
	for _, shown := range []string{
		"unknown option " + valerr.Shorten("--password="+secret),
		"value " + valerr.Quote(secret),
		valerr.Shorten(secret) + " and more",
		fmt.Sprintf("%q", valerr.Shorten("x="+secret)),
	} {
		got := r.text(shown)
		if strings.Contains(got, "s3cr3t") || !strings.Contains(got, "***") {
			t.Errorf("text(%q) = %q", shown, got)
		}
	}
	if got := r.text("a list… of words"); got != "a list… of words" {
		t.Errorf("text of an ellipsis without a secret = %q", got)
	}
}
