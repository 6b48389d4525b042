package cli

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"
)

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
	value  string // the value's name in help ("PATH")
	// values are the words the option takes (sc's words), and also the
	// other spellings it accepts (aliases, Win32 names): help lists both,
	// completion offers values, and the parser refuses any other word,
	// case-insensitively, before the verb's parse sees it. With hints,
	// values only help completion (prefixes such as "restart/"), and any
	// value is passed on.
	values []string
	also   []string
	hints  bool
	help   string
}

// closed reports whether the parser accepts only the option's words.
func (o *option) closed() bool { return len(o.values) > 0 && !o.hints }

// accepts reports whether v is one of the option's words.
func (o *option) accepts(v string) bool {
	for _, w := range o.words() {
		if strings.EqualFold(w, v) {
			return true
		}
	}
	return false
}

// words are the values, then the other spellings.
func (o *option) words() []string { return append(slices.Clip(o.values), o.also...) }

// wordsText lists the option's words for help and errors: "a, b or c",
// then "(also x, y)".
func (o *option) wordsText() string {
	s := orList(o.values)
	if len(o.also) > 0 {
		s += " (also " + strings.Join(o.also, ", ") + ")"
	}
	return s
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

// command is one verb: one entry of the verb table (commands). It says
// everything winsvc knows about the verb: its help, its options and
// positional arguments (from which the parser, help and completion work),
// and its action (how it parses, runs and renders).
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
	action
}

// action is what a verb does, in three steps: parse turns the parsed
// command line into the verb's Options; run does the work (through the SCM,
// for most verbs) and returns the result; render prints the result on
// stdout (sc.exe's text, or JSON with --json) and may turn it into an exit
// status. Verbs that share steps differ only by what their entry gives the
// function that makes the steps (the control to send, the setting to show,
// a parse function), never by a test of the verb's name. Make one with
// newAction.
type action struct {
	parse  func(p *parsed) (any, error)
	run    func(ctx context.Context, e *env, opts any) (any, error)
	render func(e *env, result any) error
}

// newAction makes an action from its typed steps. A nil render prints
// nothing: the verb prints as it runs (watch, a stream).
func newAction[O, R any](parse func(p *parsed) (O, error), run func(ctx context.Context, e *env, o O) (R, error), render func(e *env, r R) error) action {
	return action{
		parse: func(p *parsed) (any, error) { return parse(p) },
		run:   func(ctx context.Context, e *env, o any) (any, error) { return run(ctx, e, o.(O)) },
		render: func(e *env, r any) error {
			if render == nil {
				return nil
			}
			return render(e, r.(R))
		},
	}
}

// execute runs the Options a parse returned and renders the result.
func (a action) execute(ctx context.Context, e *env, opts any) error {
	res, err := a.run(ctx, e, opts)
	if err != nil {
		return err
	}
	return a.render(e, res)
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

// The groups of verbs, as "winsvc help" lists them (groupOrder).
const (
	groupQuery   = "Query"
	groupControl = "Control"
	groupConfig  = "Configure"
	groupExtra   = "Beyond sc"
	groupOther   = "Other"
)

// commands is the verb table: every verb winsvc has, once. Each entry is
// declared next to the code that runs it; the parser, help and completion
// read only this table. (The help and completion verbs, being entries of
// it, get it from their env: a package variable cannot refer to itself.)
var commands = newTable(
	// sc's verbs
	queryCmd, queryexCmd, qcCmd, qdescriptionCmd, qfailureCmd, qfailureflagCmd, qsidtypeCmd, qprivsCmd,
	qtriggerinfoCmd, qpreferrednodeCmd, qprotectionCmd, qmanagedaccountCmd, quserserviceCmd,
	getDisplayNameCmd, getKeyNameCmd, showsidCmd, enumDependCmd, sdshowCmd, querylockCmd,
	startCmd, stopCmd, pauseCmd, continueCmd, interrogateCmd, controlCmd,
	createCmd, configCmd, deleteCmd, descriptionCmd, failureCmd, failureflagCmd, sidtypeCmd, privsCmd,
	preferrednodeCmd, triggerinfoCmd, managedaccountCmd, sdsetCmd,
	// beyond sc
	listCmd, statusCmd, existsCmd, getCmd, restartCmd, waitCmd, watchCmd,
	exportCmd, planCmd, applyCmd,
	checkCmd, doctorCmd, graphCmd,
	hostCmd, logsCmd,
	helpCmd, completionCmd,
)

// table is a set of verbs, found by name case-insensitively.
type table struct {
	sorted []*command // by name, case-insensitively
	byName map[string]*command
}

// newTable makes the table of cmds. A name given twice is a programming
// error.
func newTable(cmds ...*command) *table {
	t := &table{byName: map[string]*command{}}
	for _, c := range cmds {
		key := strings.ToLower(c.name)
		if t.byName[key] != nil {
			panic("cli: verb " + c.name + " is in the table twice")
		}
		t.byName[key] = c
		t.sorted = append(t.sorted, c)
	}
	sort.Slice(t.sorted, func(i, j int) bool { return strings.ToLower(t.sorted[i].name) < strings.ToLower(t.sorted[j].name) })
	return t
}

// lookup finds a verb case-insensitively, or returns nil.
func (t *table) lookup(verb string) *command {
	if t == nil {
		return nil
	}
	return t.byName[strings.ToLower(verb)]
}

// list returns the verbs in name order.
func (t *table) list() []*command { return t.sorted }

// names returns the verbs' names, in name order.
func (t *table) names() []string {
	out := make([]string, len(t.sorted))
	for i, c := range t.sorted {
		out[i] = c.name
	}
	return out
}

// suggestOption is the "did you mean" for an option name the verb does not
// have: the closest of its options, as they are written: "start=" for an
// sc option typed in sc syntax (sc), "--start" otherwise.
func (c *command) suggestOption(name string, sc bool) string {
	var names []string
	spelled := map[string]string{} // lower-case name -> how to write it
	for _, o := range c.allOptions() {
		for _, n := range append([]string{o.name}, o.aliases...) {
			key := strings.ToLower(n)
			if _, dup := spelled[key]; dup {
				continue
			}
			switch {
			case sc && o.sc && n == o.name:
				spelled[key] = o.name + "="
			case len(n) == 1:
				spelled[key] = "-" + n
			default:
				spelled[key] = "--" + strings.ToLower(n)
			}
			names = append(names, n)
		}
	}
	m := suggest(name, names)
	if len(m) == 0 {
		return ""
	}
	for i, n := range m {
		m[i] = spelled[strings.ToLower(n)]
	}
	return " (did you mean " + orList(m) + "?)"
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
