// Package cli is the winsvc command line: argument parsing (sc.exe's
// "key= value" syntax and ordinary flags), one action per verb, sc.exe
// style text output, JSON output, and the mapping of errors to exit codes.
//
// Every verb is one entry of the verb table (commands, in command.go): its
// help, options and positional arguments, and its action, in three steps:
// parse (the command line into the verb's Options), run (the work, through
// the SCM interface) and render (sc.exe's text, or JSON). The parser, help
// and shell completion read only the table. Verbs that share code share
// steps, made by a function that takes what tells them apart: the control
// to send (transition), the setting a q-verb shows (qverb: its JSON comes
// from Config.ValueJSON), the function that reads a setting's value
// (setSetting).
//
// It uses only the public API of package winsvc, through SCM, the small
// interface *winsvc.Manager satisfies; the Factory's Connect makes one.
// Everything builds and is tested on every platform: parsing by capturing
// each verb's Options (parse_test.go), output by golden files rendered from
// fixed winsvc.Status and winsvc.Config values (golden_test.go; go test
// -update rewrites testdata), and every verb end to end, parse to render,
// against winsvctest.Connect, an in-memory SCM (verbs_test.go).
// cmd/winsvc's Windows tests run the command against a real SCM (Wine's
// under scripts/test.sh).
//
// Layout: cli.go (entry point, Factory, IOStreams, SCM), command.go (the
// verb table and actions) and parse.go (the parser), errors.go (the one
// mapping of errors to exit codes, and error output), render.go (sc.exe's
// layouts), and one file per group of verbs: control.go (start, stop,
// pause, continue, interrogate, control), create.go (create, config),
// settings.go and triggers.go (the q-verbs and the setting verbs),
// query.go (query, queryex, status, exists, get), list.go, watch.go (wait,
// watch), delete.go, deps.go (EnumDepend, restart), names.go
// (GetDisplayName, GetKeyName, showsid), security.go (sdshow, sdset),
// accounts.go (quserservice), lock.go, export.go and desired.go (export,
// plan, apply), help.go and completion.go.
package cli
