// Package cmdline builds Windows command lines: the one quoting of
// winsvc.JoinCommandLine and host.CommandLine.
package cmdline

import "strings"

// Join builds a command line from an executable path and its arguments.
// The path is quoted when it is empty or contains a space or a tab (so a
// path with spaces is never stored unquoted); a Windows path holds no
// quote, so it is not escaped. Each argument is quoted by QuoteArg.
func Join(exe string, args ...string) string {
	var b strings.Builder
	if exe == "" || strings.ContainsAny(exe, " \t") {
		b.WriteString(`"` + exe + `"`)
	} else {
		b.WriteString(exe)
	}
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(QuoteArg(a))
	}
	return b.String()
}

// QuoteArg quotes one argument so that CommandLineToArgvW and the C runtime
// read it back unchanged: it is quoted when it is empty or holds a space, a
// tab, a newline, a vertical tab or a quote; backslashes before a quote or
// the closing quote are doubled, and a quote is escaped.
func QuoteArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n\v\"") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			slashes++
		case '"':
			b.WriteString(strings.Repeat(`\`, slashes+1))
			slashes = 0
		default:
			slashes = 0
		}
		b.WriteByte(c)
	}
	b.WriteString(strings.Repeat(`\`, slashes))
	b.WriteByte('"')
	return b.String()
}
