// Package cli is the winsvc command line: argument parsing (sc.exe's
// "key= value" syntax and ordinary flags), one run function per verb, sc.exe
// style text output, JSON output, and the mapping of errors to exit codes.
//
// It uses only the public API of package winsvc. Everything but the final
// connection to a Service Control Manager builds and is tested on every
// platform: parsing is tested by capturing each verb's Options, output by
// golden files rendered from fixed winsvc.Status and winsvc.Config values.
//
// Layout: cli.go (entry, factory, I/O streams), command.go and parse.go (the
// verb table and the argument parser), errors.go (exit codes), render.go
// (sc.exe layouts), and one file per group of verbs.
package cli
