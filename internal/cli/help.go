package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/winsvc/winsvc/internal/valerr"
)

var helpCmd = &command{name: "help", group: groupOther, summary: "Show help for winsvc, a verb or a topic",
	usage:    "help [VERB | syntax | exit-codes | json]",
	examples: []string{"winsvc help", "winsvc help create", "winsvc create --help", "winsvc help exit-codes"},
	maxArgs:  1, action: newAction(parseHelp, runHelp, renderHelp)}

// groupOrder is the order of the verb groups in "winsvc help".
var groupOrder = []string{groupQuery, groupControl, groupConfig, groupExtra, groupOther}

// topics are the help pages that are not verbs.
var topics = map[string]string{
	"syntax":     syntaxHelp,
	"exit-codes": exitCodesHelp,
	"json":       jsonHelp,
}

const syntaxHelp = `Syntax

  winsvc [\\server] VERB [NAME] [ARGS] [option= value ...] [--flag [value] ...]

Verbs are case-insensitive (queryex, QueryEx, GetDisplayName, getdisplayname).
\\server runs the verb against another machine's Service Control Manager.

Options are accepted the way sc.exe takes them and as ordinary flags:
  start= auto          sc syntax: the option name ends with "=", the value is
                       the next argument; option names are case-insensitive
  start=auto           the same in one argument
  --start auto         a flag; --start=auto and -start auto work too
A value may be empty (group= ""). An option is given once; only type= repeats,
to combine types (type= own type= interact). "--" ends the options: what
follows is an argument even if it looks like an option. Every verb takes
--json and --help.
`

const exitCodesHelp = `Exit status

winsvc exits with 0 on success, and otherwise with the Win32 error code, as
sc.exe does, so scripts can branch on it:

     0  success
     1  an error without a Win32 code
     2  plan --detailed-exitcode: the document would change something;
        check: services whose program path can be hijacked were found;
        doctor: something was found wrong with a service;
        graph, EnumDepend --graph: a circular dependency was found (the
        graph is printed in full, and the cycle named on stderr)
     3  status NAME: the service is installed but not RUNNING
     5  ERROR_ACCESS_DENIED: run elevated, or ask for less
    50  ERROR_NOT_SUPPORTED: no Service Control Manager here (not Windows);
        graph --format svg without Graphviz's dot program; a setting this
        SCM does not store (sdshow and sdset under Wine)
    87  ERROR_INVALID_PARAMETER: bad command line (usage) or an invalid value,
        or a file named on the command line that does not exist
   124  ERROR_INVALID_LEVEL: this SCM does not support the setting
  1051  ERROR_DEPENDENT_SERVICES_RUNNING
  1052  ERROR_INVALID_SERVICE_CONTROL: the service does not accept the control
  1053  ERROR_SERVICE_REQUEST_TIMEOUT: a wait reached --timeout, or the service
        stopped making progress, or did not answer the SCM in the SCM's own
        time limit
  1056  ERROR_SERVICE_ALREADY_RUNNING
  1058  ERROR_SERVICE_DISABLED
  1060  ERROR_SERVICE_DOES_NOT_EXIST (also "exists NAME" when it does not)
  1061  ERROR_SERVICE_CANNOT_ACCEPT_CTRL
  1062  ERROR_SERVICE_NOT_ACTIVE
  1067  ERROR_PROCESS_ABORTED: the service stopped, or its process exited,
        while a start was waiting for it (also a process that exited before
        it connected to the SCM, which the SCM answers with 1053)
  1072  ERROR_SERVICE_MARKED_FOR_DELETE
  1073  ERROR_SERVICE_EXISTS
  1078  ERROR_DUPLICATE_SERVICE_NAME
  1223  ERROR_CANCELLED: interrupted (Ctrl-C)
and any other Win32 code the Service Control Manager returns.

Shells truncate exit codes: POSIX shells (and Wine running winsvc.exe from
Linux) keep only the low 8 bits, so 1060 arrives as 36. cmd.exe's %ERRORLEVEL%
and PowerShell's $LASTEXITCODE keep the full code. With --json the error
document on stderr always carries the full code:
  {"error": {"op": "start", "service": "MySvc", "code": 1060,
             "codeName": "ERROR_SERVICE_DOES_NOT_EXIST", "message": "..."}}
`

const jsonHelp = `JSON output

--json prints exactly one JSON document on stdout (watch prints one JSON
object per line, one per change). Field names are camelCase; enum values are
the Win32 names (WIN32_OWN_PROCESS, AUTO_START, ERROR_NORMAL, RUNNING,
SID_TYPE_UNRESTRICTED, SC_ACTION_RESTART); durations are milliseconds, except
failureActions.resetPeriod, in seconds, null for INFINITE.

  status        query NAME, start, stop, ...: name, displayName, serviceType,
                state, controlsAccepted, win32ExitCode, serviceSpecificExitCode,
                checkPoint, waitHint, processId, serviceFlags
  query         without NAME: an array of statuses
  stop --with-dependents
                {"status", "stoppedDependents" (names, in the order
                stopped), "dependentsSource" ("scm", or "configurations"
                where the SCM does not track dependents)}
  restart       {"status", "restartedDependents" (names, in the order
                brought back), "pausedDependents" (those among them paused
                again), "dependentsSource"}
  qc, get       the configuration: name, displayName, serviceType, startType,
                delayedAutoStart, errorControl, binaryPathName, loadOrderGroup,
                tagId, dependencies, serviceStartName, description,
                failureActions, failureActionsOnNonCrashFailures, sidType,
                requiredPrivileges, preshutdownTimeout, triggers,
                preferredNode, launchProtected, unavailable. A setting that
                could not be read is null, with the reason in unavailable.
                get prints {"config": ..., "status": ...}.
  q<setting>    {"name": ..., "<setting>": ...}, the field as in qc
  create, config and the setting verbs: {"plan", "skipped", "unverified",
                "restartNeeded", "dryRun", "config"}: skipped lists defaults
                the SCM does not support, unverified the settings it accepted
                but cannot report back ([{field, reason}]), restartNeeded the
                settings written that the service, running, reads when it
                starts: they take effect at its next start ([field, ...])
  export        the desired-state document: {"services": [{name, state,
                the settings as in qc but only those that could be read,
                securityDescriptor}]}
  plan, apply   {"services": [{name, action (create, update, delete, none),
                outcome (apply: changed, unchanged, failed, skipped), changes
                ([{field, from, to, old, new}]), and for apply, when there
                are, unverified, skippedSteps and restartNeeded as above,
                error}], and for apply the counts changed, unchanged, failed,
                skipped}
  check         {"checked" (how many command lines were read), "unquoted"
                ([{name, displayName, binaryPathName, serviceStartName,
                quoted}]: quoted is "" where the program's end is unclear),
                "unreadable" ([{name, error}])}
  doctor        {"services" ([{name, "findings" ([{check, severity (error,
                warning), message, evidence, fix}]: fix is a winsvc command
                line, left out where none fixes it), "notReadable" ([{check,
                reason}]: checks that cannot be read here, never findings;
                check "" when the service itself could not be read),
                tryStart (with --try-start: {outcome (running, already
                running, stopped, start failed, still starting), status (as
                status --json), error})}])}; check is one of program,
                hosted-program, hosted-working-directory, hosted-logs (the
                three for a program run by winsvc's program host),
                unquoted-path, account, logon-right, dependencies, start-type,
                marked-for-deletion, exit-code, try-start, failure-actions,
                start-access
  graph         {"nodes" ([{name, group, root, missing, displayName, state,
                startType, delayedAutoStart, error}]: a service or a load-order
                group; fields that do not apply are left out), "edges" ([{from,
                to, kind (service, group, member), cycle}]: from and to index
                nodes; an edge goes to what is depended on, or from a group to
                its member), "cycles" (paths of node indexes, first = last),
                "unreadable" (["name: reason"])}
  help          without a topic: an array of verbs {name, summary, usage,
                options, examples}; help VERB: one verb; help TOPIC:
                {"topic": ..., "text": ...}
  completion    {"shell": ..., "script": ...}

Errors go to stderr as {"error": {"op", "service", "code", "codeName",
"message"}}, always with these five fields: op is the verb run, service
the service at fault (or the one the command named; "" when it named
none), code the exit status, codeName the
Win32 name of code ("" only for exit status 1, an error without a Win32
code). Warnings go to stderr as {"warning": "..."}. A password never
appears.
`

// HelpOptions are the Options of help.
type HelpOptions struct {
	Topic string // a verb or a topic; "" for the overview
}

func parseHelp(p *parsed) (*HelpOptions, error) { return &HelpOptions{Topic: p.arg(0)}, nil }

// helpPage is the help asked for: the overview of the verbs, one verb's
// page, or a topic's text.
type helpPage struct {
	verbs []*command // the overview's verbs, or the one verb
	one   bool       // a verb's page
	topic string
	text  string
}

// runHelp finds the page in the verb table and the topics.
func runHelp(_ context.Context, e *env, o *HelpOptions) (helpPage, error) {
	switch t, c := strings.ToLower(o.Topic), e.cmds.lookup(o.Topic); {
	case t == "":
		return helpPage{verbs: e.cmds.list()}, nil
	case c != nil:
		return helpPage{verbs: []*command{c}, one: true}, nil
	case topics[t] != "":
		return helpPage{topic: t, text: topics[t]}, nil
	}
	return helpPage{}, &usageError{verb: "help", msg: fmt.Sprintf("no help for %s: not a verb or a topic", valerr.Quote(o.Topic))}
}

func renderHelp(e *env, h helpPage) error {
	switch {
	case h.topic != "" && e.json:
		return e.writeJSON(topicJSON{Topic: h.topic, Text: h.text})
	case h.topic != "":
		e.printf("%s", h.text)
	case h.one && e.json:
		return e.writeJSON(helpJSON(h.verbs)[0])
	case h.one:
		writeVerbHelp(e.io.Out, h.verbs[0])
	case e.json:
		return e.writeJSON(helpJSON(h.verbs))
	default:
		writeOverview(e.io.Out, h.verbs)
	}
	return nil
}

// writeOverview lists the verbs by group.
func writeOverview(w io.Writer, verbs []*command) {
	fmt.Fprintf(w, "winsvc manages Windows services: every sc.exe verb, in sc.exe's syntax, and more.\n\n")
	fmt.Fprintf(w, "Usage: winsvc [\\\\server] VERB [NAME] [option= value ...] [--flag ...]\n")
	for _, g := range groupOrder {
		fmt.Fprintf(w, "\n%s:\n", g)
		tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
		for _, c := range verbs {
			if c.group == g {
				fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
			}
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nEvery verb takes --json (one JSON document on stdout) and --help.\n")
	fmt.Fprintf(w, "Topics: winsvc help syntax | exit-codes | json\n")
	fmt.Fprintf(w, "Run 'winsvc help VERB' for a verb's options and examples.\n")
}

func writeVerbHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "winsvc %s: %s\n\nUsage:\n  winsvc [\\\\server] %s\n", c.name, c.summary, c.usage)
	if c.details != "" {
		fmt.Fprintf(w, "\n%s\n", c.details)
	}
	fmt.Fprintf(w, "\nOptions:\n")
	for _, o := range c.allOptions() {
		fmt.Fprintf(w, "  %s\n        %s\n", optionSyntax(o), o.help)
		if len(o.values) > 0 {
			fmt.Fprintf(w, "        values: %s\n", strings.Join(o.values, ", "))
		}
		if len(o.also) > 0 {
			fmt.Fprintf(w, "        also:   %s\n", strings.Join(o.also, ", "))
		}
	}
	if len(c.examples) > 0 {
		fmt.Fprintf(w, "\nExamples:\n")
		for _, ex := range c.examples {
			fmt.Fprintf(w, "  %s\n", ex)
		}
	}
	fmt.Fprintf(w, "\nExit status: 0 on success, otherwise the Win32 error code (winsvc help exit-codes).\n")
}

// optionSyntax renders how an option is written: "start= START, --start START".
func optionSyntax(o *option) string {
	var forms []string
	value := ""
	if !o.bool {
		value = " " + o.value
	}
	if o.sc {
		forms = append(forms, o.name+"="+value)
	}
	forms = append(forms, "--"+strings.ToLower(o.name)+value)
	for _, a := range o.aliases {
		if len(a) == 1 {
			forms = append(forms, "-"+a)
		} else {
			forms = append(forms, "--"+a+value)
		}
	}
	return strings.Join(forms, ", ")
}

// topicJSON is the JSON form of a help topic.
type topicJSON struct {
	Topic string `json:"topic"`
	Text  string `json:"text"`
}

// verbHelp is the JSON form of a verb's help.
type verbHelp struct {
	Name     string       `json:"name"`
	Summary  string       `json:"summary"`
	Usage    string       `json:"usage"`
	Options  []optionHelp `json:"options"`
	Examples []string     `json:"examples"`
}

type optionHelp struct {
	Name   string   `json:"name"`
	SC     bool     `json:"sc"`
	Value  string   `json:"value,omitempty"`
	Values []string `json:"values,omitempty"`
	Also   []string `json:"also,omitempty"`
	Help   string   `json:"help"`
}

func helpJSON(cmds []*command) []verbHelp {
	out := make([]verbHelp, 0, len(cmds))
	for _, c := range cmds {
		v := verbHelp{Name: c.name, Summary: c.summary, Usage: c.usage, Examples: nonNil(c.examples), Options: []optionHelp{}}
		for _, o := range c.allOptions() {
			v.Options = append(v.Options, optionHelp{Name: o.name, SC: o.sc, Value: o.value, Values: o.values, Also: o.also, Help: o.help})
		}
		out = append(out, v)
	}
	return out
}
