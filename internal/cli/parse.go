package cli

import (
	"fmt"
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

// usagef returns a usage error for the verb being parsed.
func (p *parsed) usagef(format string, args ...any) error {
	return &usageError{verb: p.cmd.name, msg: fmt.Sprintf(format, args...)}
}

// invocation is a parsed command line.
type invocation struct {
	machine string // `\\server`
	json    bool
	cmd     *command
	target  string // the service named by the first argument, if the verb takes one
	run     runner
}

// parseCommandLine parses "[\\server] [--json] verb [args]". The verb is
// matched case-insensitively. "winsvc", "winsvc help [verb]", "--help",
// "-h", "-?" and "/?" ask for help.
func parseCommandLine(args []string) (*invocation, error) {
	inv := &invocation{cmd: lookup("help")}
	help := false
	for len(args) > 0 {
		a := args[0]
		switch {
		case strings.HasPrefix(a, `\\`) && inv.machine == "":
			inv.machine = a
		case optJSON.matches(strings.TrimLeft(a, "-")) && strings.HasPrefix(a, "-"):
			inv.json = true
		case isHelpArg(a):
			help = true
		default:
			goto verb
		}
		args = args[1:]
	}
verb:
	if len(args) == 0 {
		inv.run = &HelpOptions{}
		return inv, nil
	}
	c := lookup(args[0])
	if c == nil {
		for _, a := range args[1:] {
			inv.json = inv.json || a == "--json" || a == "-json"
		}
		return inv, &usageError{msg: fmt.Sprintf("unknown verb %q; run 'winsvc help' for the list", args[0])}
	}
	inv.cmd = c
	if help {
		inv.run = &HelpOptions{Topic: c.name}
		return inv, nil
	}
	p, err := parseArgs(c, args[1:])
	if p != nil && p.on(optJSON) {
		inv.json = true
	}
	if p != nil && (c.nameArg || c.newName) {
		inv.target = p.arg(0)
	}
	if err != nil {
		return inv, err
	}
	if p.on(optHelp) {
		inv.run = &HelpOptions{Topic: c.name}
		return inv, nil
	}
	inv.run, err = c.build(p)
	return inv, err
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
	p := &parsed{cmd: c, values: map[*option][]string{}}
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	// set records a value of o, refusing a second one.
	set := func(o *option, spelled, val string) {
		if prev := p.values[o]; len(prev) > 0 && !o.repeat && (!o.bool || prev[0] != val) {
			fail(p.usagef("option %s is given more than once (again as %s); give it once", o.display(), spelled))
			return
		}
		p.values[o] = append(p.values[o], val)
	}
	// valueFollows reports whether the argument after i looks like a value
	// rather than an option.
	valueFollows := func(i int) bool {
		return i+1 < len(args) && !isFlag(args[i+1]) && !strings.HasSuffix(args[i+1], "=")
	}
	rest := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case rest:
			p.args = append(p.args, a)
		case a == "--":
			rest = true
		case a == "/?":
			set(optHelp, a, "true")
		case isFlag(a):
			name, val, hasVal := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
			o := c.find(name)
			if o == nil {
				if c.passthrough {
					p.args = append(p.args, a)
					continue
				}
				fail(p.usagef("unknown option %s", a))
				if !hasVal && valueFollows(i) {
					i++
				}
				continue
			}
			if o.bool {
				if !hasVal {
					val = "true"
				}
				if _, err := strconv.ParseBool(val); err != nil {
					fail(p.usagef("%s takes true or false, not %q", a, val))
					continue
				}
			} else if !hasVal {
				if i+1 >= len(args) {
					fail(p.usagef("%s needs a value", a))
					continue
				}
				i++
				val = args[i]
			}
			set(o, "--"+name, val)
		case strings.Contains(a, "="):
			name, val, _ := strings.Cut(a, "=")
			o := c.find(name)
			if o == nil || !o.sc {
				if strings.HasSuffix(a, "=") && !c.passthrough {
					fail(p.usagef("unknown option %s", a))
					if valueFollows(i) {
						i++
					}
					continue
				}
				p.args = append(p.args, a)
				continue
			}
			if val == "" { // sc syntax: the value is the next argument
				if i+1 >= len(args) {
					fail(p.usagef("%s needs a value (sc syntax: %s value)", a, a))
					continue
				}
				i++
				val = args[i]
			}
			set(o, name+"=", val)
		default:
			p.args = append(p.args, a)
		}
	}
	if first != nil || p.on(optHelp) {
		return p, first
	}
	if len(p.args) < c.minArgs {
		return p, p.usagef("missing argument; usage: winsvc %s", c.usage)
	}
	if c.maxArgs >= 0 && len(p.args) > c.maxArgs {
		return p, p.usagef("unexpected argument %q; usage: winsvc %s", p.args[c.maxArgs], c.usage)
	}
	return p, nil
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
