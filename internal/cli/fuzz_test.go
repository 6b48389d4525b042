package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/testbed"
	"github.com/winsvc/winsvc/trigger"
)

// fuzzSecret is the password the command-line fuzzer slips in.
const fuzzSecret = "Zq8FuzzSecret"

// FuzzParseCommandLine runs arbitrary command lines (arguments separated by
// NUL) through the parser and through Run with a password slipped in by
// one of the mistakes of secretMistakes: nothing panics, every parse error
// is a usage error (exit 87), and the password is shown neither on stderr
// nor, when the run failed, on stdout.
func FuzzParseCommandLine(f *testing.F) {
	for _, s := range []string{
		"create\x00Foo\x00binPath=\x00C:\\x.exe\x00start=\x00auto\x00type=\x00own\x00type=\x00interact",
		"config\x00Foo\x00--start\x00auto\x00start=\x00demand",
		"failure\x00Foo\x00reset=\x0086400\x00actions=\x00restart/5000//0\x00--json",
		"triggerinfo\x00Foo\x00start/portopen/8080;tcp;C:\\a b\\svc.exe;Foo\x00stop/networkoff",
		"\\\\far\x00--json\x00query\x00type=\x00service\x00state=\x00all",
		"sdset\x00Foo\x00D:(A;;RP;;;S-1-5-x)\x00--force",
		"description\x00Foo\x00--\x00--json\x00a=b",
		"start\x00Foo\x00-x\x00--timeout=5s\x00--ensure",
		"list\x00--state\x00running\x00--name\x00a*",
		"create\x00Web\x00--program\x00C:\\Program Files\\nodejs\\node.exe\x00--arg\x00server.js\x00--arg\x00\x00--dir\x00rel\x00--env\x00API_TOKEN=x\x00--stdout\x00C:\\o.log\x00--stderr\x00o.log\x00--restart\x00sometimes",
		"config\x00Web\x00--env\x00=x\x00--env\x00NOEQUALS\x00--program\x00\"C:\\a b\\x.exe\"",
		"logs\x00Web\x00--stdout\x00--stderr\x00--lines\x00-1\x00--follow",
		"host\x00Web\x00extra",
	} {
		f.Add(s, uint8(2), uint8(0))
	}
	f.Fuzz(func(t *testing.T, line string, at, mistake uint8) {
		args := strings.Split(line, "\x00")
		if inv, err := parseLine(args); err != nil {
			if code := exitCode(err); code != exitUsage {
				t.Fatalf("parse %q: %v gives exit %d, want %d", args, err, code, exitUsage)
			}
		} else if inv.opts == nil {
			t.Fatalf("parse %q: no error and nothing to run", args)
		}
		if strings.Contains(line, fuzzSecret[:3]) {
			return // the input itself would show it
		}
		m := secretMistakes[int(mistake)%len(secretMistakes)]
		i := min(int(at), len(args))
		withSecret := append(append(append([]string{}, args[:i]...), strings.ReplaceAll(strings.Join(m, "\x00"), "%s", fuzzSecret)), args[i:]...)
		withSecret = strings.Split(strings.Join(withSecret, "\x00"), "\x00")
		var out, errOut bytes.Buffer
		fac := &Factory{
			IO:      &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut},
			Connect: func(string) (SCM, error) { return nil, &winsvc.Error{Op: "connect", Err: winsvc.ErrClosed} },
			Getenv:  func(string) string { return "" },
		}
		code := Run(context.Background(), fac, withSecret)
		if strings.Contains(errOut.String(), fuzzSecret) || (code != 0 && strings.Contains(out.String(), fuzzSecret)) {
			t.Fatalf("%q: exit %d shows the secret:\nstdout %q\nstderr %q", withSecret, code, out.String(), errOut.String())
		}
	})
}

// FuzzParseTriggers: sc triggerinfo's arguments (separated by NUL) parse
// without a panic; parsed triggers render, and survive JSON (what "get
// --json" prints reads back as the same triggers).
func FuzzParseTriggers(f *testing.F) {
	for _, s := range append(append([]string{}, triggerCompletions...),
		"start/portopen/8080;tcp;C:\\app\\svc.exe;MySvc\x00stop/portclose/8080;tcp;C:\\app\\svc.exe;MySvc",
		"start/custom/22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716/ABCDABCD/00\x00start/strcustom/22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716/a/b",
		"start/device/{53f56307-b6bf-11d0-94f2-00a0c91efb8b}/USBSTOR\\GenDisk",
		"start/namedpipe/\\pipe\\x\x00start/rpcinterface/abc",
		"STOP/NetworkOff\x00start/bogus", "start/custom/zz") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := parseTriggers(strings.Split(s, "\x00"))
		if err != nil {
			return
		}
		renderTriggers(io.Discard, &winsvc.Config{Name: "S", Triggers: ts})
		if !utf8.ValidString(s) {
			return // JSON (and UTF-16) turn invalid UTF-8 into U+FFFD; Windows' arguments are never invalid
		}
		b, err := json.Marshal(ts)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		var back []trigger.Trigger
		for i := range ts {
			if ts[i].Data == nil {
				ts[i].Data = []trigger.Data{} // JSON has "dataItems": [] for none
			}
		}
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, ts) {
			t.Fatalf("%q parses to %+v; its JSON %s reads back as %+v, %v", s, ts, b, back, err)
		}
		for _, tr := range ts {
			if tr.Action != trigger.Start && tr.Action != trigger.Stop {
				t.Fatalf("%q: action %v", s, tr.Action)
			}
			_ = fmt.Sprint(tr)
		}
	})
}

// FuzzLastLines: whatever a log holds, logs' tail returns without a panic
// a suffix of the file, of at most n lines, and the file's size as where
// to follow from; from a file larger than it reads, whole lines only.
func FuzzLastLines(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), uint8(2), uint32(0))
	f.Add([]byte("no newline"), uint8(1), uint32(0))
	f.Add([]byte("\n\n\n"), uint8(0), uint32(maxTailBytes))
	f.Add([]byte("x\ny"), uint8(5), uint32(maxTailBytes-1))
	f.Fuzz(func(t *testing.T, data []byte, n uint8, pad uint32) {
		pad %= 2 * maxTailBytes // lines before data, to read past the bound
		file := filepath.Join(testbed.TempDir(t), "log")
		content := append(bytes.Repeat([]byte("p\n"), int(pad)/2), data...)
		if err := os.WriteFile(file, content, 0o644); err != nil {
			t.Fatal(err)
		}
		fh, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		tail, end, err := lastLines(fh, int(n))
		if err != nil || end != int64(len(content)) {
			t.Fatalf("lastLines = %d bytes, end %d, %v; want end %d", len(tail), end, err, len(content))
		}
		if !bytes.HasSuffix(content, tail) || len(tail) > maxTailBytes {
			t.Fatalf("%q is not a suffix of the file of at most %d bytes", tail, maxTailBytes)
		}
		if lines := bytes.Count(bytes.TrimSuffix(tail, []byte("\n")), []byte("\n")) + 1; len(tail) > 0 && lines > int(n) {
			t.Fatalf("%d lines for n = %d: %q", lines, n, tail)
		}
		// It starts at a line's start, unless the whole window read is one
		// line's end (a line longer than the bound).
		if cut := len(content) - len(tail); len(tail) > 0 && cut > 0 && content[cut-1] != '\n' &&
			bytes.IndexByte(tail[:len(tail)-1], '\n') >= 0 {
			t.Fatalf("the tail starts within a line: %q", tail)
		}
	})
}
