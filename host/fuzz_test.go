package host

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Fuzz targets for what the host parses: the %VARIABLES% of its paths, the
// names of rotated files it finds in a directory (and deletes beyond
// Keep), and the events it writes one per line. scripts/test.sh runs each
// for a few seconds.

// FuzzExpandEnv: whatever the path and the variables, expandEnv returns
// without a panic; with no variable set it leaves the path as written; a
// variable's value is put in once, never expanded again; and without %
// there is nothing to expand.
func FuzzExpandEnv(f *testing.F) {
	f.Add(`%ProgramData%\winsvc\Web\host.log`, "ProgramData", `C:\ProgramData`)
	f.Add(`%%A%%%`, "A", "%A%")
	f.Add(`C:\100%\%x`, "", "v")
	f.Add(`%A%B%A%`, "B", "")
	f.Fuzz(func(t *testing.T, s, name, value string) {
		none := func(string) (string, bool) { return "", false }
		if got := expandEnv(s, none); got != s {
			t.Fatalf("with no variable set, %q expands to %q", s, got)
		}
		one := func(n string) (string, bool) {
			if strings.EqualFold(n, name) {
				return value, true
			}
			return "", false
		}
		got := expandEnv(s, one)
		if !strings.Contains(s, "%") && got != s {
			t.Fatalf("%q has nothing to expand, gives %q", s, got)
		}
		// Each expansion replaces at least "%%" (2 bytes) with value.
		if limit := len(s) + len(s)/2*len(value); len(got) > limit {
			t.Fatalf("%q expands to %d bytes, more than %d", s, len(got), limit)
		}
		if name != "" && !strings.Contains(value, "%") && !strings.Contains(name, "%") &&
			strings.Count(s, "%") == 2 && strings.EqualFold(strings.Trim(s, "%"), name) && strings.HasPrefix(s, "%") && strings.HasSuffix(s, "%") {
			if got != value {
				t.Fatalf("%q with %s=%q gives %q", s, name, value, got)
			}
		}
	})
}

// FuzzRotatedOrder: any file name is read as a rotation of base or not,
// without a panic; a name read as one is exactly the name rotatedName
// gives for its time and number, so that no other file of the directory
// is ever taken for (and deleted as) a rotated output file.
func FuzzRotatedOrder(f *testing.F) {
	at := time.Date(2026, 12, 5, 13, 4, 5, 0, time.UTC)
	f.Add("out.log", rotatedName("out.log", at, 0))
	f.Add("out.log", rotatedName("out.log", at, 12))
	f.Add("out.log", "out-20261205T130405-01.log")
	f.Add("out.log", "out-20261205T130405-+1.log")
	f.Add("out", "out-20261205T130405")
	f.Add(".log", "-20261205T130405.log")
	f.Fuzz(func(t *testing.T, base, name string) {
		ts, n, ok := rotatedOrder(base, name)
		if !ok {
			return
		}
		if again := rotatedName(base, ts, n); again != name {
			t.Fatalf("%q is taken for a rotation of %q at %v (%d), which is named %q", name, base, ts, n, again)
		}
	})
}

// FuzzEventLine: whatever an event says, it is one line (no control
// character but its end), no longer than the bound, and valid UTF-8 when
// the event is.
func FuzzEventLine(f *testing.F) {
	f.Add("started process 1234: C:\\app\\app.exe --port 80")
	f.Add("a\nb\r\x00c\x7f")
	f.Add(strings.Repeat("é", maxEventLen))
	f.Fuzz(func(t *testing.T, msg string) {
		line := eventLine(time.Date(2026, 12, 5, 13, 4, 5, 0, time.UTC), msg)
		if !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 {
			t.Fatalf("%q is not one line", line)
		}
		for _, r := range strings.TrimSuffix(line, "\n") {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("%q holds control character %U", line, r)
			}
		}
		if len(line) > maxEventLen+64 {
			t.Fatalf("a line of %d bytes", len(line))
		}
		if utf8.ValidString(msg) && !utf8.ValidString(line) {
			t.Fatalf("%q: valid UTF-8 becomes %q", msg, line)
		}
	})
}
