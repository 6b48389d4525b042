package cli

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// parsed is a verb's command line split into positional arguments and
// option values.
type parsed struct {
	cmd    *command
	args   []string
	values map[*option][]string
}

// has reports whether option o was given.
func (p *parsed) has(o *option) bool { return len(p.values[o]) > 0 }

// str returns the last value given for o, or "".
func (p *parsed) str(o *option) string {
	v := p.values[o]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// all returns every value given for o, in order.
func (p *parsed) all(o *option) []string { return p.values[o] }

// on reports whether switch o is set.
func (p *parsed) on(o *option) bool {
	b, _ := strconv.ParseBool(p.str(o))
	return b
}

// arg returns positional argument i, or "".
func (p *parsed) arg(i int) string {
	if i < len(p.args) {
		return p.args[i]
	}
	return ""
}

// duration returns o's value as a Go duration, or def when not given.
func (p *parsed) duration(o *option, def time.Duration) (time.Duration, error) {
	if !p.has(o) {
		return def, nil
	}
	d, err := time.ParseDuration(p.str(o))
	if err != nil || d < 0 {
		return 0, p.usagef("--%s %q is not a duration such as 30s, 2m or 1h30m", o.name, p.str(o))
	}
	return d, nil
}

// shortQuote quotes a value given on the command line for an error
// message, cut after 40 characters: an error never echoes a huge value
// whole.
func shortQuote(s string) string {
	if r := []rune(s); len(r) > 40 {
		return strconv.Quote(string(r[:40])) + "..."
	}
	return strconv.Quote(s)
}

// usagef returns a usage error for the verb being parsed.
func (p *parsed) usagef(format string, args ...any) error {
	return &usageError{verb: p.cmd.name, msg: fmt.Sprintf(format, args...)}
}

// invocation is a parsed command line.
type invocation struct {
	machine string // `\\server`
	json    bool
	cmd     *command // the verb named (help when none is)
	target  string   // the service named by the first argument, if the verb takes one
	// action and opts are what runs: cmd's action and Options, or help's
	// when help was asked for.
	action action
	opts   any
}

// parseCommandLine parses "[\\server] [--json] verb [args]" against the
// verb table cmds. The verb is matched case-insensitively. "winsvc",
// "winsvc help [verb]", "--help", "-h", "-?" and "/?" ask for help.
func parseCommandLine(cmds *table, args []string) (*invocation, error) {
	inv := &invocation{cmd: cmds.lookup("help")}
	args, help := inv.globals(args)
	if len(args) == 0 {
		inv.askHelp(cmds, "")
		return inv, nil
	}
	c := cmds.lookup(args[0])
	if c == nil {
		inv.json = inv.json || slices.ContainsFunc(args[1:], func(a string) bool { return a == "--json" || a == "-json" })
		return inv, &usageError{msg: fmt.Sprintf("unknown verb %q; run 'winsvc help' for the list", args[0])}
	}
	inv.cmd = c
	if help {
		inv.askHelp(cmds, c.name)
		return inv, nil
	}
	// parseArgs returns what it could parse even with an error: the error
	// report needs --json and the service name.
	p, err := parseArgs(c, args[1:])
	inv.json = inv.json || p.on(optJSON)
	if c.nameArg || c.newName {
		inv.target = p.arg(0)
	}
	switch {
	case err != nil:
		return inv, err
	case p.on(optHelp):
		inv.askHelp(cmds, c.name)
		return inv, nil
	}
	inv.action = c.action
	inv.opts, err = c.parse(p)
	return inv, err
}

// globals reads the arguments before the verb (\\server, --json and the
// help flags) and returns the rest, which starts with the verb.
func (inv *invocation) globals(args []string) (rest []string, help bool) {
	for i, a := range args {
		switch {
		case strings.HasPrefix(a, `\\`) && inv.machine == "":
			inv.machine = a
		case strings.HasPrefix(a, "-") && optJSON.matches(strings.TrimLeft(a, "-")):
			inv.json = true
		case isHelpArg(a):
			help = true
		default:
			return args[i:], help
		}
	}
	return nil, help
}

// askHelp makes the invocation show the help for topic ("" for the
// overview).
func (inv *invocation) askHelp(cmds *table, topic string) {
	inv.action, inv.opts = cmds.lookup("help").action, &HelpOptions{Topic: topic}
}

func isHelpArg(a string) bool {
	return a == "/?" || a == "-?" || a == "-h" || a == "--help" || a == "-help"
}

// parseArgs splits a verb's arguments into positionals and options. Options
// are accepted as flags ("--start auto", "--start=auto", "-start auto") and,
// for sc options, in sc.exe's syntax ("start= auto", "start=auto"). "--"
// ends the options. An option given twice is an error unless it is
// repeatable (option.repeat).
//
// After an error, parsing goes on to the end, so that the returned parsed
// still holds the service name and --json, which the error report uses; the
// first error is returned. The value of an unknown option is skipped, so
// that it is not taken for the service name.
func parseArgs(c *command, args []string) (*parsed, error) {
	s := &argScanner{p: &parsed{cmd: c, values: map[*option][]string{}}, args: args}
	for s.i = 0; s.i < len(args); s.i++ {
		a := args[s.i]
		switch {
		case a == "--":
			s.p.args = append(s.p.args, args[s.i+1:]...)
			s.i = len(args)
		case a == "/?":
			s.set(optHelp, a, "true")
		case isFlag(a):
			s.flag(a)
		case strings.Contains(a, "="):
			s.scOption(a)
		default:
			s.p.args = append(s.p.args, a)
		}
	}
	p := s.p
	if s.first != nil || p.on(optHelp) {
		return p, s.first
	}
	if len(p.args) < c.minArgs {
		return p, p.usagef("missing argument; usage: winsvc %s", c.usage)
	}
	if c.maxArgs >= 0 && len(p.args) > c.maxArgs {
		return p, p.usagef("unexpected argument %q; usage: winsvc %s", p.args[c.maxArgs], c.usage)
	}
	return p, nil
}

// argScanner is parseArgs's state: the arguments, the position, and the
// first error.
type argScanner struct {
	p     *parsed
	args  []string
	i     int // the argument being read
	first error
}

// fail records err unless an earlier error was recorded.
func (s *argScanner) fail(err error) {
	if s.first == nil {
		s.first = err
	}
}

// set records a value of o, refusing a second one.
func (s *argScanner) set(o *option, spelled, val string) {
	if prev := s.p.values[o]; len(prev) > 0 && !o.repeat && (!o.bool || prev[0] != val) {
		s.fail(s.p.usagef("option %s is given more than once (again as %s); give it once", o.display(), spelled))
		return
	}
	s.p.values[o] = append(s.p.values[o], val)
}

// next consumes the argument after the current one as a value, and
// reports whether there was one.
func (s *argScanner) next() (string, bool) {
	if s.i+1 >= len(s.args) {
		return "", false
	}
	s.i++
	return s.args[s.i], true
}

// skipValue skips the argument after an unknown option when it looks like
// its value rather than an option, so that it is not taken for the
// service name.
func (s *argScanner) skipValue() {
	if s.i+1 < len(s.args) && !isFlag(s.args[s.i+1]) && !strings.HasSuffix(s.args[s.i+1], "=") {
		s.i++
	}
}

// flag reads a flag: "--name", "--name value", "--name=value" (or with one
// dash).
func (s *argScanner) flag(a string) {
	name, val, hasVal := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
	o := s.p.cmd.find(name)
	switch {
	case o == nil && s.p.cmd.passthrough:
		s.p.args = append(s.p.args, a)
		return
	case o == nil:
		s.fail(s.p.usagef("unknown option %s", a))
		if !hasVal {
			s.skipValue()
		}
		return
	case o.bool && !hasVal:
		val = "true"
	case o.bool:
		if _, err := strconv.ParseBool(val); err != nil {
			s.fail(s.p.usagef("%s takes true or false, not %q", a, val))
			return
		}
	case !hasVal:
		var ok bool
		if val, ok = s.next(); !ok {
			s.fail(s.p.usagef("%s needs a value", a))
			return
		}
	}
	s.set(o, "--"+name, val)
}

// scOption reads an argument with "=": an sc option ("name= value",
// "name=value"), or else a positional argument.
func (s *argScanner) scOption(a string) {
	name, val, _ := strings.Cut(a, "=")
	o := s.p.cmd.find(name)
	switch {
	case (o == nil || !o.sc) && strings.HasSuffix(a, "=") && !s.p.cmd.passthrough:
		s.fail(s.p.usagef("unknown option %s", a))
		s.skipValue()
		return
	case o == nil || !o.sc:
		s.p.args = append(s.p.args, a)
		return
	case val == "": // sc syntax: the value is the next argument
		var ok bool
		if val, ok = s.next(); !ok {
			s.fail(s.p.usagef("%s needs a value (sc syntax: %s value)", a, a))
			return
		}
	}
	s.set(o, name+"=", val)
}

// isFlag reports whether a looks like a flag: a dash and a name, not a
// negative number.
func isFlag(a string) bool {
	if len(a) < 2 || a[0] != '-' {
		return false
	}
	_, err := strconv.ParseFloat(a, 64)
	return err != nil
}

// parseEnum parses s as T's UnmarshalText does (a Win32 name, an sc.exe
// word or a number).
func parseEnum[T any, P interface {
	*T
	UnmarshalText([]byte) error
}](s string) (T, error) {
	var v T
	err := P(&v).UnmarshalText([]byte(s))
	return v, err
}
