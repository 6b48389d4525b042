// Package cli is the winsvc command line: argument parsing (sc.exe's
// "key= value" syntax and ordinary flags), one run function per verb, sc.exe
// style text output, JSON output, and the mapping of errors to exit codes.
//
// It uses only the public API of package winsvc. Everything but the final
// connection to a Service Control Manager builds and is tested on every
// platform: parsing by capturing each verb's Options (parse_test.go), output
// by golden files rendered from fixed winsvc.Status and winsvc.Config values
// (golden_test.go; go test -update rewrites testdata), and Run with
// in-memory streams (run_test.go). cmd/winsvc's Windows tests run the
// command against a real SCM (Wine's under scripts/test.sh).
//
// Layout: cli.go (entry point, Factory, IOStreams), command.go and parse.go
// (the verb table and the parser), errors.go (the one mapping of errors to
// exit codes, and error output), render.go (sc.exe's layouts), and one file
// per group of verbs: control.go (start, stop, pause, continue, interrogate,
// control), create.go (create, config), settings.go and triggers.go (the q-
// verbs and the setting verbs), query.go (query, queryex, status, exists,
// get), list.go, watch.go (wait, watch), delete.go, deps.go (EnumDepend,
// restart), names.go (GetDisplayName, GetKeyName, showsid), security.go
// (sdshow, sdset), accounts.go, lock.go, help.go and completion.go.
package cli
