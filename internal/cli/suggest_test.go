package cli

import (
	"fmt"
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"start", "start", 0}, {"strat", "start", 1}, {"qurey", "query", 1},
		{"kitten", "sitting", 3}, {"", "abc", 3}, {"abc", "", 3}, {"ab", "ba", 1}, {"ça", "ca", 1},
	} {
		if got := distance(c.a, c.b); got != c.want {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	verbs := commands.names()
	for _, c := range []struct {
		in   string
		from []string
		want string
	}{
		{"strat", verbs, "start"},
		{"STRAT", verbs, "start"},
		{"qurey", verbs, "query"},
		{"getdisplayname", verbs, ""}, // a verb: not a typo (lookup finds it first)
		{"descripton", verbs, "description"},
		{"lst", verbs, "list"},
		{"expor", verbs, "export"},
		{"sdhow", verbs, "sdshow"},
		{"xyzzy", verbs, ""},
		{"x", verbs, ""},
		{"automatc", optStart.words(), "automatic"},
		{"delayed", optStart.words(), "delayed-auto"},
		{"toml", optFormat.words(), ""},
		{strings.Repeat("a", 1000), verbs, ""},
	} {
		got := strings.Join(suggest(c.in, c.from), ",")
		if c.in == "getdisplayname" {
			got = strings.Join(suggest("getdisplaynam", c.from), ",")
			c.want = "GetDisplayName"
		}
		if got != c.want {
			t.Errorf("suggest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestDidYouMean: an unknown verb, option (in sc syntax and as a flag) or
// value is refused with the closest of what the verb takes, written as it
// is written.
func TestDidYouMean(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"strat", "MySvc"}, `unknown verb "strat" (did you mean start?); run 'winsvc help' for the list`},
		{[]string{"Qurey"}, `(did you mean query?)`},
		{[]string{"create", "X", "binpth=", `C:\x.exe`}, `unknown option binpth= (did you mean binPath=?)`},
		{[]string{"create", "X", "--binpth", `C:\x.exe`}, `unknown option --binpth (did you mean --binpath?)`},
		{[]string{"create", "X", "binPath=", `C:\x.exe`, "strat=", "auto"}, `unknown option strat= (did you mean start=?)`},
		{[]string{"create", "X", "binPath=", `C:\x.exe`, "DisplayNam=", "X"}, `(did you mean DisplayName=?)`},
		{[]string{"stop", "X", "--timout", "1m"}, `unknown option --timout (did you mean --timeout?)`},
		{[]string{"stop", "X", "timout=", "1m"}, `unknown option timout= (did you mean --timeout?)`},
		{[]string{"query", "X", "--jsn"}, `unknown option --jsn (did you mean --json?)`},
		{[]string{"config", "X", "start=", "automatc"}, `start= "automatc": use boot, system, auto, demand, disabled or delayed-auto (also automatic, manual, BOOT_START, SYSTEM_START, AUTO_START, DEMAND_START) (did you mean automatic?)`},
		{[]string{"list", "--start", "dmand"}, `--start "dmand": use boot, system, auto, demand, disabled or delayed-auto`},
		{[]string{"list", "--start", "dmand"}, `(did you mean demand?)`},
		{[]string{"export", "--format", "yml"}, `--format "yml": use yaml or json (did you mean yaml?)`},
	} {
		_, err := parseLine(c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v; want an error with %q", c.args, err, c.want)
		}
	}
	// Nothing close: no suggestion.
	for _, args := range [][]string{{"xyzzy"}, {"query", "X", "--frobnicate"}, {"config", "X", "start=", "sometimes"}} {
		if _, err := parseLine(args); err == nil || strings.Contains(err.Error(), "did you mean") {
			t.Errorf("%q: %v; want an error without a suggestion", args, err)
		}
	}
}

// TestClosedOptionsTakeTheirWords: the words help lists for an option are
// the words the parser takes: every one of them parses, in any case, and
// a word help does not list (a number, a near miss) is refused, naming
// the option. list --start filters by what it parsed, whatever the
// spelling.
func TestClosedOptionsTakeTheirWords(t *testing.T) {
	n := 0
	for _, c := range sortedCommands() {
		for _, o := range c.options {
			if !o.closed() {
				continue
			}
			for _, w := range append(o.words(), strings.ToUpper(o.values[0])) {
				args := closedOptionLine(c, o, w)
				if _, err := parseLine(args); err != nil {
					t.Errorf("%q: %v", args, err)
				}
				n++
			}
			for _, bad := range []string{"2", o.values[0] + "x"} {
				args := closedOptionLine(c, o, bad)
				if _, err := parseLine(args); err == nil || !strings.Contains(err.Error(), "use "+orList(o.values)) {
					t.Errorf("%q: %v; want the option's words", args, err)
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d words checked", n)
	}
	for _, w := range []string{"auto", "automatic", "AUTO_START", "Auto"} {
		o := parseOK(t, "list", "--start", w).(*ListOptions)
		if o.Start != "auto" {
			t.Errorf("list --start %s: matches %q, want auto", w, o.Start)
		}
	}
	if o := parseOK(t, "list", "--start", "manual").(*ListOptions); o.Start != "demand" {
		t.Errorf("list --start manual: matches %q, want demand", o.Start)
	}
}

// closedOptionLine is a command line of verb c that sets option o to w,
// and is otherwise valid.
func closedOptionLine(c *command, o *option, w string) []string {
	args := []string{c.name}
	for range c.minArgs {
		args = append(args, "Svc")
	}
	if c == createCmd && o != optBinPath {
		args = append(args, "binPath=", `C:\x.exe`)
	}
	if o == optTag {
		args = append(args, "group=", "G")
	}
	if o.sc {
		return append(args, o.name+"=", w)
	}
	return append(args, "--"+o.name, w)
}

// A huge mistyped argument is not repeated whole.
func TestUsageErrorsClipArguments(t *testing.T) {
	huge := strings.Repeat("x", 100000)
	for _, args := range [][]string{{huge}, {"config", "X", "start=", huge}, {"query", "X", "--" + huge}, {"query", "X", huge + "="}} {
		_, err := parseLine(args)
		if err == nil || len(err.Error()) > 1000 || !strings.Contains(err.Error(), "…") {
			t.Errorf("%.20q...: an error of %d bytes", args, len(fmt.Sprint(err)))
		}
	}
}
