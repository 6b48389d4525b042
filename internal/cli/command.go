package cli

import (
	"context"
	"sort"
	"strings"
	"time"
)

// runner is a verb's parsed Options: it knows how to run itself.
type runner interface {
	run(ctx context.Context, e *env) error
}

// option is one option a verb accepts. Every option works as a flag
// ("--name value", "--name=value"); an sc option also works in sc.exe's
// syntax ("name= value", "name=value"), with the name matched
// case-insensitively.
type option struct {
	name    string   // canonical name, as sc spells it ("binPath") or a flag name ("no-wait")
	aliases []string // other flag names
	sc      bool     // also accepted as "name= value"
	bool    bool     // a switch: takes no value
	// repeat: every occurrence counts. Only type= repeats (create's and
	// config's, and query's and queryex's), as in sc: type= own type=
	// interact combines the two. Every other option given twice is an error
	// rather than a silent choice of one value.
	repeat bool
	value  string   // the value's name in help ("PATH")
	values []string // the allowed values, for help and completion
	help   string
}

// display is how errors name the option: "start=" for an sc option,
// "--timeout" for a flag.
func (o *option) display() string {
	if o.sc {
		return o.name + "="
	}
	return "--" + o.name
}

// matches reports whether s names the option (case-insensitively).
func (o *option) matches(s string) bool {
	if strings.EqualFold(o.name, s) {
		return true
	}
	for _, a := range o.aliases {
		if strings.EqualFold(a, s) {
			return true
		}
	}
	return false
}

// command is one verb.
type command struct {
	name     string // as sc.exe spells it: "GetDisplayName"
	group    string // heading in "winsvc help"
	summary  string
	usage    string // after "winsvc [\\server] "
	details  string
	examples []string
	options  []*option
	minArgs  int
	maxArgs  int // -1: any number
	// passthrough: the positional arguments are free text (start's service
	// arguments, description's words, GetKeyName's display name): an
	// argument that looks like an option the verb does not have ("-x",
	// "ratio=") is text instead of an error. "--" still ends the options.
	passthrough bool
	// nameArg: the first positional argument is an installed service's name
	// (completion offers the names; errors name the service).
	nameArg bool
	// newName: the first positional argument names a service to create:
	// errors name the service, but completion offers no installed names.
	newName bool
	// args are the values of the positional arguments that take a fixed set,
	// by position (nil for a name or free text), for completion; for a verb
	// that takes any number of arguments, the last entry also applies to
	// the arguments after it.
	args [][]string
	// build turns the parsed command line into the verb's Options.
	build func(p *parsed) (runner, error)
}

// Shared options.
var (
	optJSON    = &option{name: "json", bool: true, help: "print one JSON document on stdout; errors go to stderr as JSON"}
	optHelp    = &option{name: "help", aliases: []string{"h", "?"}, bool: true, help: "show help for the verb"}
	optNoWait  = &option{name: "no-wait", bool: true, help: "return once the SCM accepted the request, without waiting for the target state"}
	optTimeout = &option{name: "timeout", value: "DURATION", help: "how long to wait, as a Go duration (default 30s)"}
	optEnsure  = &option{name: "ensure", bool: true, help: "succeed when the service is already in (or moving to) the target state"}
	waitOpts   = []*option{optNoWait, optTimeout, optEnsure}
)

// commonOptions are accepted by every verb.
var commonOptions = []*option{optJSON, optHelp}

// defaultTimeout bounds every wait unless --timeout says otherwise.
const defaultTimeout = 30 * time.Second

var commands = map[string]*command{}

// register adds verbs to the table; it runs from init functions in the
// verb files.
func register(cmds ...*command) {
	for _, c := range cmds {
		commands[strings.ToLower(c.name)] = c
	}
}

// lookup finds a verb case-insensitively.
func lookup(verb string) *command { return commands[strings.ToLower(verb)] }

// sortedCommands returns the verbs in name order.
func sortedCommands() []*command {
	out := make([]*command, 0, len(commands))
	for _, c := range commands {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].name) < strings.ToLower(out[j].name) })
	return out
}

// allOptions returns the verb's options followed by the common ones.
func (c *command) allOptions() []*option {
	return append(append([]*option{}, c.options...), commonOptions...)
}

// find returns the option named s, or nil.
func (c *command) find(s string) *option {
	for _, o := range c.allOptions() {
		if o.matches(s) {
			return o
		}
	}
	return nil
}
