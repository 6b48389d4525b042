package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// maxErrorLine is the longest line an error may take, whatever the input:
// an error shows at most the first characters of a value it repeats.
const maxErrorLine = 1024

// hugeValues are values far longer than any error may be: plain text,
// and text of characters that Go's quoting escapes and of the separators
// at which the parsers of sc's value syntax split.
var hugeValues = map[string]string{
	"text":  strings.Repeat("x", 1<<17),
	"mixed": strings.Repeat("\U0010FFFF\x01a/b;c,d=e ", 1<<13),
}

// Every verb, given a huge value for each of its options (in sc syntax and
// as a flag) and for each positional argument, reports any error in short
// lines that still name the option.
func TestHugeValuesGiveShortErrors(t *testing.T) {
	// A line such as export --output bad succeeds and writes its file,
	// in the working directory: removed after the test. (Not a t.Chdir to
	// a temporary directory: under Wine, a huge file name opens there.)
	t.Cleanup(func() { os.Remove("bad") })
	for _, c := range sortedCommands() {
		target := []string{}
		switch {
		case c.nameArg:
			target = []string{"Stopped"}
		case c.newName:
			target = []string{"New"}
		}
		for kind, huge := range hugeValues {
			// Each command line has the value in place of V.
			lines := [][]string{
				append([]string{c.name, V}, target...),
				append(append([]string{c.name}, target...), "--"+V),
				append(append([]string{c.name}, target...), V+"=", "1"),
				append(append([]string{c.name}, target...), "a", "b", "c", "d", "e", "f", "g", V),
			}
			if len(target) > 0 {
				lines = append(lines, []string{c.name, target[0], V, "x"})
			}
			for _, o := range c.options {
				if o.bool {
					lines = append(lines, append(append([]string{c.name}, target...), "--"+o.name+"="+V))
					continue
				}
				lines = append(lines, append(append([]string{c.name}, target...), "--"+o.name, V))
				if o.sc {
					lines = append(lines, append(append([]string{c.name}, target...), o.name+"=", V))
				}
			}
			for _, line := range lines {
				for _, json := range []bool{false, true} {
					args := withValue(line, huge)
					short := withValue(line, "bad")
					if json {
						args, short = append([]string{"--json"}, args...), append([]string{"--json"}, short...)
					}
					_, code, _, stderr := runFake(t, runCase{args: args, interrupt: true})
					_, _, _, want := runFake(t, runCase{args: short, interrupt: true})
					checkShortError(t, fmt.Sprintf("%s %q", kind, short), code, stderr, want)
				}
			}
		}
	}
}

// V stands for the value in a command line of a test.
const V = "\x00V\x00"

// withValue returns line with v in place of V.
func withValue(line []string, v string) []string {
	out := make([]string, len(line))
	for i, a := range line {
		out[i] = strings.ReplaceAll(a, V, v)
	}
	return out
}

// checkShortError checks the stderr of a run given a huge value: every
// line short; and when the run failed and the same command line with a
// short bad value (short) fails with an error that repeats the value, the
// huge value's error names the same option or field (the words just
// before the value) and the same allowed values, or else is the error of
// a limit the huge value is beyond.
func checkShortError(t *testing.T, name string, code int, stderr, short string) {
	t.Helper()
	for _, line := range strings.Split(stderr, "\n") {
		if len(line) > maxErrorLine {
			t.Errorf("%s: an error line of %d bytes: %.300s…", name, len(line), line)
			return
		}
	}
	before, after, repeated := strings.Cut(short, "bad")
	if code == 0 || !repeated {
		return // a success, or an error that does not repeat the value
	}
	if i := strings.LastIndexAny(strings.TrimRight(before, ` "\`), " :"); i >= 0 {
		before = before[i+1:] // the words just before the value: "start= \"", "--timeout "
	}
	if strings.Contains(stderr, before) && strings.Contains(stderr, afterValue(after)) {
		return
	}
	if strings.Contains(stderr, "the limit") {
		return
	}
	t.Errorf("%s: exit %d, error says neither %q and %q, as it does for a short value, nor a limit:\n%s\n%s",
		name, code, before, afterValue(after), stderr, short)
}

// afterValue is what an error says after the value: from the first
// "allowed"/"use" on, or "" when it says neither.
func afterValue(s string) string {
	for _, w := range []string{"allowed:", "use "} {
		if i := strings.Index(s, w); i >= 0 {
			return s[i:]
		}
	}
	return ""
}
