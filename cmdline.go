package winsvc

import (
	"fmt"
	"slices"
	"strings"

	"github.com/winsvc/winsvc/internal/cmdline"
	"github.com/winsvc/winsvc/internal/valerr"
)

// JoinCommandLine builds the command line stored as a service's binary path
// from an executable path and its arguments. The path is quoted when it
// contains a space or a tab, so a path with spaces is never stored unquoted
// (the "unquoted service path" hole). Arguments are quoted by the rules
// CommandLineToArgvW and the C runtime use to split them again.
func JoinCommandLine(exe string, args ...string) string {
	return cmdline.Join(exe, args...)
}

// SplitCommandLine splits a stored command line into the program and its
// arguments as Windows does when it starts the service (the program ends at
// the closing quote, or at the first space when unquoted; arguments follow
// CommandLineToArgvW's rules).
func SplitCommandLine(cmd string) (exe string, args []string, err error) {
	s := strings.TrimLeft(cmd, " \t")
	if strings.HasPrefix(s, `"`) {
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return s[1:], nil, invalid(string(FieldBinaryPath), cmd, "unterminated quote")
		}
		exe, s = s[1:1+end], s[2+end:]
	} else {
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			return s, nil, nil
		}
		exe, s = s[:end], s[end:]
	}
	return exe, splitArgs(s), nil
}

// splitArgs applies the CommandLineToArgvW rules for arguments after the
// program name.
func splitArgs(s string) []string {
	var args []string
	var cur strings.Builder
	inArg, inQuote := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			n := 0
			for i < len(s) && s[i] == '\\' {
				n++
				i++
			}
			if i < len(s) && s[i] == '"' {
				cur.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					cur.WriteByte('"')
				} else {
					i-- // the quote delimits: handle it as any other quote
				}
			} else {
				cur.WriteString(strings.Repeat(`\`, n))
				i--
			}
			inArg = true
		case c == '"':
			if inQuote && i+1 < len(s) && s[i+1] == '"' {
				cur.WriteByte('"') // "" inside quotes is a literal quote, and ends the quoted part
				i++
			}
			inQuote = !inQuote
			inArg = true
		case (c == ' ' || c == '\t') && !inQuote:
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteByte(c)
			inArg = true
		}
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args
}

// asciiLower lower-cases the ASCII letters of s and nothing else, so that
// offsets in the result are offsets in s. strings.ToLower changes lengths:
// U+212A KELVIN SIGN becomes "k" and invalid UTF-8 becomes U+FFFD, which
// made normalizeCommandLine cut s at wrong offsets (a panic, or a path with
// spaces left unquoted).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// executableSuffixes end an unquoted program path in normalizeCommandLine.
var executableSuffixes = []string{".exe", ".sys", ".com", ".bat", ".cmd"}

// sameCommandLine reports whether two command lines start the same program
// (compared case-insensitively, as Windows paths are) with the same
// arguments.
func sameCommandLine(a, b string) bool {
	if a == b {
		return true
	}
	ea, aa, errA := SplitCommandLine(a)
	eb, ab, errB := SplitCommandLine(b)
	return errA == nil && errB == nil && strings.EqualFold(ea, eb) && slices.Equal(aa, ab)
}

// normalizeCommandLine turns a command line given the way sc.exe takes it
// (binPath=) into one that is safe to store. A quoted command line is kept.
// An unquoted one whose program path contains spaces is quoted: the path
// runs to the first ".exe" (or .sys, .com, .bat, .cmd) followed by a space or
// the end; the rest are the arguments. A command line without spaces is kept.
func normalizeCommandLine(cmd string) string {
	s := strings.TrimSpace(cmd)
	if s == "" || strings.HasPrefix(s, `"`) || !strings.ContainsAny(s, " \t") {
		return s
	}
	best := programEnd(s)
	if best < 0 {
		return s // no recognisable program: keep it as the user wrote it
	}
	exe, rest := s[:best], s[best:]
	// A path with a quote in it is no path; quoting it would change which
	// program runs, so it is left as written for validation to refuse.
	if !strings.ContainsAny(exe, " \t") || strings.Contains(exe, `"`) {
		return s
	}
	return `"` + exe + `"` + rest
}

// checkCommandLine refuses a command line that Windows could run as
// another program than intended: one whose program path is unquoted and
// contains spaces. Windows tries each space-delimited prefix of such a
// path in turn ("C:\Program.exe" before "C:\Program Files\App\svc.exe"),
// so a program planted at a shorter prefix would run, with the service's
// account. normalizeCommandLine quotes the program part when it ends in an
// executable suffix; otherwise a path whose next word continues it (holds
// a '\') is refused, showing the command line with that path quoted.
func checkCommandLine(field, cmd string) error {
	s := strings.TrimSpace(cmd)
	if quoted := normalizeCommandLine(s); quoted != s {
		return invalid(field, cmd, fmt.Sprintf("an unquoted program path with spaces can run another program; quote it: %s", valerr.Shorten(quoted)))
	}
	if strings.HasPrefix(s, `"`) || !strings.ContainsAny(s, " \t") || programEnd(s) >= 0 {
		return nil // quoted, one word, or a program without spaces ending in .exe
	}
	words := strings.Fields(s)
	end := 0 // the last word that continues the path
	for i := 1; i < len(words) && strings.Contains(words[i], `\`) && !strings.HasPrefix(words[i], "-") && !strings.HasPrefix(words[i], "/"); i++ {
		end = i
	}
	if end == 0 {
		return nil // the first word is the program, and it has no spaces
	}
	exe, rest := strings.Join(words[:end+1], " "), strings.Join(words[end+1:], " ")
	return invalid(field, cmd, fmt.Sprintf("the program path is unquoted and contains spaces, so Windows could run another program (%s.exe first); quote the program: %s",
		valerr.Shorten(words[0]), valerr.Shorten(strings.TrimSpace(`"`+exe+`" `+rest))))
}

// checkProgram checks how a Definition names its program: BinaryPath and
// Args, or CommandLine, not both; a BinaryPath that is really a command
// line is refused with both ways to write it.
func (d *Definition) checkProgram() error {
	if d.CommandLine != "" && (d.BinaryPath != "" || d.Args != nil) {
		return invalid("commandLine", d.CommandLine, "excludes BinaryPath and Args: set either the command line, or the program and its arguments")
	}
	if strings.ContainsRune(d.BinaryPath, 0) {
		return invalid(string(FieldBinaryPath), d.BinaryPath, "must not contain NUL (the SCM would take only what comes before it)")
	}
	if strings.Contains(d.BinaryPath, `"`) {
		return invalid(string(FieldBinaryPath), d.BinaryPath, "must be the program path without quotes; put arguments in Args, or set CommandLine")
	}
	if exe, args, ok := commandLineInPath(d.BinaryPath); ok {
		return invalid(string(FieldBinaryPath), d.BinaryPath, fmt.Sprintf(
			"is a program path, but this looks like a command line; write BinaryPath: %s, Args: %s, or CommandLine: %s",
			valerr.Quote(exe), quoteList(args), valerr.Quote(d.BinaryPath)))
	}
	for i, a := range d.Args {
		if strings.ContainsRune(a, 0) {
			return invalid(fmt.Sprintf("args[%d]", i), a, "must not contain NUL")
		}
	}
	if d.CommandLine != "" {
		if strings.ContainsRune(d.CommandLine, 0) {
			return invalid("commandLine", d.CommandLine, "must not contain NUL")
		}
		if _, _, err := SplitCommandLine(normalizeCommandLine(d.CommandLine)); err != nil {
			return err
		}
	}
	return nil
}

// commandLineInPath reports whether path holds an executable name followed
// by more words ("C:\app\svc.exe --port 80"), and splits it.
func commandLineInPath(path string) (exe string, args []string, ok bool) {
	end := programEnd(path)
	if end < 0 || strings.TrimSpace(path[end:]) == "" {
		return "", nil, false
	}
	return path[:end], splitArgs(path[end:]), true
}

// programEnd returns where the first executable name in s ends: the first
// ".exe" (or .sys, .com, .bat, .cmd) followed by a space, a tab or the end;
// -1 when there is none.
func programEnd(s string) int {
	lower := asciiLower(s)
	best := -1
	for _, suf := range executableSuffixes {
		for from := 0; ; {
			i := strings.Index(lower[from:], suf)
			if i < 0 {
				break
			}
			end := from + i + len(suf)
			if end == len(s) || s[end] == ' ' || s[end] == '\t' {
				if best < 0 || end < best {
					best = end
				}
				break
			}
			from = end
		}
	}
	return best
}

// quoteList is args as %q shows a list, each element and the list
// shortened (valerr).
func quoteList(args []string) string {
	shown := make([]string, 0, min(len(args), 8))
	for _, a := range args[:min(len(args), 8)] {
		shown = append(shown, valerr.Quote(a))
	}
	if len(args) > 8 {
		shown = append(shown, "…")
	}
	return "[" + strings.Join(shown, " ") + "]"
}
