package winsvc

import (
	"errors"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

func TestJoinCommandLine(t *testing.T) {
	tests := []struct {
		exe  string
		args []string
		want string
	}{
		{`C:\svc.exe`, nil, `C:\svc.exe`},
		{`C:\Program Files\My Svc\svc.exe`, nil, `"C:\Program Files\My Svc\svc.exe"`},
		{"C:\\tab\there.exe", nil, "\"C:\\tab\there.exe\""},
		{``, nil, `""`},
		{`C:\svc.exe`, []string{"-k", "netsvcs"}, `C:\svc.exe -k netsvcs`},
		{`C:\Program Files\svc.exe`, []string{"-k", "netsvcs"}, `"C:\Program Files\svc.exe" -k netsvcs`},
		{`C:\svc.exe`, []string{"a b"}, `C:\svc.exe "a b"`},
		{`C:\svc.exe`, []string{""}, `C:\svc.exe ""`},
		{`C:\svc.exe`, []string{`a"b`}, `C:\svc.exe "a\"b"`},
		{`C:\svc.exe`, []string{`"`}, `C:\svc.exe "\""`},
		{`C:\svc.exe`, []string{`C:\dir\`}, `C:\svc.exe C:\dir\`},          // no quoting needed: backslashes stay literal
		{`C:\svc.exe`, []string{`C:\my dir\`}, `C:\svc.exe "C:\my dir\\"`}, // a trailing backslash is doubled before the closing quote
		{`C:\svc.exe`, []string{`C:\my dir\\`}, `C:\svc.exe "C:\my dir\\\\"`},
		{`C:\svc.exe`, []string{`a\"b`}, `C:\svc.exe "a\\\"b"`},
		{`C:\svc.exe`, []string{`a\\b c`}, `C:\svc.exe "a\\b c"`}, // backslashes not before a quote stay as they are
		{`C:\svc.exe`, []string{"tab\there", "new\nline", "v\vtab"}, "C:\\svc.exe \"tab\there\" \"new\nline\" \"v\vtab\""},
		{`C:\svc.exe`, []string{`-log=C:\x y\l.txt`, "-n", "3"}, `C:\svc.exe "-log=C:\x y\l.txt" -n 3`},
	}
	for _, tt := range tests {
		if got := JoinCommandLine(tt.exe, tt.args...); got != tt.want {
			t.Errorf("JoinCommandLine(%q, %q) = %s; want %s", tt.exe, tt.args, got, tt.want)
		}
	}
}

// Microsoft's examples from "Parsing C command-line arguments" (the last row
// as CommandLineToArgvW gives it; see MicrosoftDocs/cpp-docs#3291), each
// after a program name.
var microsoftArgvExamples = []struct {
	in   string
	want []string
}{
	{`"a b c" d e`, []string{"a b c", "d", "e"}},
	{`"ab\"c" "\\" d`, []string{`ab"c`, `\`, "d"}},
	{`a\\\b d"e f"g h`, []string{`a\\\b`, "de fg", "h"}},
	{`a\\\"b c d`, []string{`a\"b`, "c", "d"}},
	{`a\\\\"b c" d e`, []string{`a\\b c`, "d", "e"}},
	{`a"b"" c d`, []string{`ab"`, "c", "d"}},
}

func TestSplitCommandLineMicrosoftExamples(t *testing.T) {
	for _, tt := range microsoftArgvExamples {
		for _, prog := range []string{`C:\prog.exe`, `"C:\Program Files\prog.exe"`} {
			cmd := prog + " " + tt.in
			exe, args, err := SplitCommandLine(cmd)
			if err != nil || exe != strings.Trim(prog, `"`) || !slices.Equal(args, tt.want) {
				t.Errorf("SplitCommandLine(%s) = %q, %q, %v; want %q", cmd, exe, args, err, tt.want)
			}
		}
	}
}

func TestSplitCommandLine(t *testing.T) {
	tests := []struct {
		cmd  string
		exe  string
		args []string
	}{
		{``, ``, nil},
		{`C:\svc.exe`, `C:\svc.exe`, nil},
		{`  C:\svc.exe  `, `C:\svc.exe`, nil},
		{`"C:\Program Files\svc.exe"`, `C:\Program Files\svc.exe`, nil},
		{`""`, ``, nil},
		{`"C:\Program Files\svc.exe"-x`, `C:\Program Files\svc.exe`, []string{"-x"}}, // argv[0] ends at its closing quote
		{`C:\a"b.exe x`, `C:\a"b.exe`, []string{"x"}},                                // quotes in an unquoted program name are literal
		{"C:\\svc.exe\t-a\t\t-b  ", `C:\svc.exe`, []string{"-a", "-b"}},
		{`C:\svc.exe ""`, `C:\svc.exe`, []string{""}},
		{`C:\svc.exe "" ""`, `C:\svc.exe`, []string{"", ""}},
		{`C:\svc.exe a\\`, `C:\svc.exe`, []string{`a\\`}},
		{`C:\svc.exe "a\\" b`, `C:\svc.exe`, []string{`a\`, "b"}},
		{`C:\svc.exe "unterminated arg`, `C:\svc.exe`, []string{"unterminated arg"}},
		{`C:\svc.exe """"`, `C:\svc.exe`, []string{`"`}},
		{`C:\svc.exe """a b"`, `C:\svc.exe`, []string{`"a`, "b"}},
		{`C:\svc.exe "a""b c"`, `C:\svc.exe`, []string{`a"b`, "c"}},
		{`C:\svc.exe "a\\"" b`, `C:\svc.exe`, []string{`a\"`, "b"}},
		{`C:\svc.exe \"a b\"`, `C:\svc.exe`, []string{`"a`, `b"`}},
		{`C:\Program Files\svc.exe -k x`, `C:\Program`, []string{`Files\svc.exe`, "-k", "x"}}, // unquoted: split at the first space, as Windows does
	}
	for _, tt := range tests {
		exe, args, err := SplitCommandLine(tt.cmd)
		if err != nil || exe != tt.exe || !slices.Equal(args, tt.args) {
			t.Errorf("SplitCommandLine(%s) = %q, %q, %v; want %q, %q", tt.cmd, exe, args, err, tt.exe, tt.args)
		}
	}
}

func TestSplitCommandLineUnterminatedProgram(t *testing.T) {
	exe, args, err := SplitCommandLine(`"C:\Program Files\svc.exe -k`)
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != string(FieldBinaryPath) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("error = %v; want a validation error for %s", err, FieldBinaryPath)
	}
	if exe != `C:\Program Files\svc.exe -k` || args != nil {
		t.Errorf("SplitCommandLine = %q, %q", exe, args)
	}
}

// commandLineToArgvW is an independent model of how CommandLineToArgvW reads
// the arguments after the program name (the algorithm Wine implements and
// tests against Windows): 2n backslashes and a quote give n backslashes and
// toggle quoting, 2n+1 give n backslashes and a literal quote, and in a run
// of quotes every third one is literal.
func commandLineToArgvW(s string) []string {
	var args []string
	var cur []byte
	inArg := false
	bcount, qcount := 0, 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case (c == ' ' || c == '\t') && qcount == 0:
			if inArg {
				args = append(args, string(cur))
				cur, inArg = nil, false
			}
			bcount = 0
			i++
		case c == '\\':
			cur = append(cur, c)
			bcount++
			inArg = true
			i++
		case c == '"':
			inArg = true
			if bcount%2 == 0 {
				cur = cur[:len(cur)-bcount/2]
				qcount++
			} else {
				cur = append(cur[:len(cur)-bcount/2-1], '"')
			}
			bcount = 0
			for i++; i < len(s) && s[i] == '"'; i++ {
				if qcount++; qcount == 3 {
					cur = append(cur, '"')
					qcount = 0
				}
			}
			if qcount == 2 {
				qcount = 0
			}
		default:
			cur = append(cur, c)
			bcount = 0
			inArg = true
			i++
		}
	}
	if inArg {
		args = append(args, string(cur))
	}
	return args
}

func TestArgvModelAgreesWithMicrosoft(t *testing.T) {
	for _, tt := range microsoftArgvExamples {
		if got := commandLineToArgvW(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("model(%s) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// randomCommandText returns a string made mostly of the characters that
// matter to command-line parsing.
func randomCommandText(r *rand.Rand, max int) string {
	alphabet := []string{"a", "b", " ", "\t", `"`, `"`, `\`, `\`, `\`, "é", "\n", "-", "=", "'", "^", "x y"}
	var b strings.Builder
	for n := r.Intn(max + 1); n > 0; n-- {
		b.WriteString(alphabet[r.Intn(len(alphabet))])
	}
	return b.String()
}

func TestSplitArgsMatchesArgvModel(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		s := randomCommandText(r, 16)
		_, got, err := SplitCommandLine(`C:\p.exe ` + s)
		if want := commandLineToArgvW(s); err != nil || !slices.Equal(got, want) {
			t.Fatalf("SplitCommandLine(C:\\p.exe %s) args = %q, %v; CommandLineToArgvW gives %q", s, got, err, want)
		}
	}
}

func TestCommandLineRoundTrip(t *testing.T) {
	fixed := [][]string{
		{`C:\svc.exe`},
		{`C:\Program Files\svc.exe`, "-k", "a b", ""},
		{`C:\svc.exe`, `\`, `\\`, `"`, `\"`, `a\`, `a b\`, `a b\\`, `"a"`, `""`, `\\"\\`},
		{`C:\svc.exe`, "tab\there", "new\nline", " leading", "trailing ", "  "},
		{`C:\x y\svc.exe`, "-log=C:\\x y\\l.txt", "ünïcödé", "日本"},
		{``, "arg"},
	}
	for _, c := range fixed {
		checkRoundTrip(t, c[0], c[1:])
	}
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 5000; i++ {
		exe := strings.ReplaceAll(randomCommandText(r, 10), `"`, "")
		var args []string
		for n := r.Intn(5); n > 0; n-- {
			args = append(args, randomCommandText(r, 8))
		}
		checkRoundTrip(t, exe, args)
	}
}

func checkRoundTrip(t testing.TB, exe string, args []string) {
	t.Helper()
	cmd := JoinCommandLine(exe, args...)
	gotExe, gotArgs, err := SplitCommandLine(cmd)
	if len(args) == 0 {
		args = nil
	}
	if err != nil || gotExe != exe || !slices.Equal(gotArgs, args) {
		t.Fatalf("Split(Join(%q, %q)) via %s = %q, %q, %v", exe, args, cmd, gotExe, gotArgs, err)
	}
	if want := commandLineToArgvW(strings.TrimPrefix(cmd, quotedProgram(cmd))); !slices.Equal(want, args) {
		t.Fatalf("CommandLineToArgvW reads Join(%q, %q) = %s as %q", exe, args, cmd, want)
	}
}

// quotedProgram returns the program-name part of a command line built by
// JoinCommandLine.
func quotedProgram(cmd string) string {
	if strings.HasPrefix(cmd, `"`) {
		return cmd[:strings.IndexByte(cmd[1:], '"')+2]
	}
	if i := strings.IndexAny(cmd, " \t"); i >= 0 {
		return cmd[:i]
	}
	return cmd
}

// FuzzCommandLineRoundTrip checks that any executable path (without quotes)
// and arguments survive JoinCommandLine then SplitCommandLine, and that
// CommandLineToArgvW reads the arguments the same way. The input is the
// path and the arguments separated by NUL.
func FuzzCommandLineRoundTrip(f *testing.F) {
	for _, seed := range []string{
		`C:\svc.exe`,
		"C:\\Program Files\\svc.exe\x00-k\x00a b",
		"C:\\svc.exe\x00\x00\"\x00\\\x00a\\\\\"b",
		"C:\\svc.exe\x00a b\\\x00\"\"\x00\\\\\"\"",
		"\x00only args\x00\t",
		"C:\\x y\\svc.exe\x00-log=C:\\x y\\l.txt\x00ünïcödé",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		parts := strings.Split(in, "\x00")
		exe := strings.ReplaceAll(parts[0], `"`, "")
		checkRoundTrip(t, exe, parts[1:])
	})
}

func TestNormalizeBinaryPath(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{``, ``},
		{`C:\svc.exe`, `C:\svc.exe`},
		{`C:\svc.exe -k netsvcs`, `C:\svc.exe -k netsvcs`},
		{`  C:\svc.exe  `, `C:\svc.exe`},
		{`C:\Program Files\My Svc\svc.exe`, `"C:\Program Files\My Svc\svc.exe"`},
		{`C:\Program Files\My Svc\svc.EXE`, `"C:\Program Files\My Svc\svc.EXE"`},
		{`C:\Program Files\svc.exe -k "a b" c`, `"C:\Program Files\svc.exe" -k "a b" c`},
		{"C:\\Program Files\\svc.exe\t-k", "\"C:\\Program Files\\svc.exe\"\t-k"},
		{`C:\Program Files\drv.sys`, `"C:\Program Files\drv.sys"`},
		{`C:\My Scripts\run.cmd arg`, `"C:\My Scripts\run.cmd" arg`},
		{`C:\My Scripts\run.bat`, `"C:\My Scripts\run.bat"`},
		{`C:\Old Tools\tool.com /x`, `"C:\Old Tools\tool.com" /x`},
		{`"C:\Program Files\svc.exe" -k`, `"C:\Program Files\svc.exe" -k`},
		{`"C:\Program Files\svc.exe"`, `"C:\Program Files\svc.exe"`},
		{`C:\app.exe.d\svc.exe --x`, `C:\app.exe.d\svc.exe --x`},         // ".exe" must end a path element
		{`C:\My App.exe.d\svc.exe --x`, `"C:\My App.exe.d\svc.exe" --x`}, // the first ".exe" that ends a word
		{`C:\a.exe b\c.exe`, `C:\a.exe b\c.exe`},                         // the first program wins, as in CreateProcess
		{`C:\Program Files\svc`, `C:\Program Files\svc`},                 // no program suffix: left as written
		{`%SystemRoot%\System32\svchost.exe -k LocalService`, `%SystemRoot%\System32\svchost.exe -k LocalService`},
		// Found by FuzzNormalizeBinaryPath: letters whose lower case has
		// another length (U+212A KELVIN SIGN, invalid UTF-8) shifted the
		// offsets, leaving a path with spaces unquoted, or panicking.
		{"C:\\\u212A Tools\\svc.EXE -x", "\"C:\\\u212A Tools\\svc.EXE\" -x"},
		{"C:\\\u212A\u212A\u212A\\My Svc\\svc.exe", "\"C:\\\u212A\u212A\u212A\\My Svc\\svc.exe\""},
		{"\xe2\xeb.eXe 0", "\xe2\xeb.eXe 0"},
		{"C:\\\xff dir\\svc.exe a", "\"C:\\\xff dir\\svc.exe\" a"},
		{`A"0000 .eXe`, `A"0000 .eXe`}, // a quote inside: quoting it would make the program "A"
		{`C:\My "Dir\svc.exe -x`, `C:\My "Dir\svc.exe -x`},
	}
	for _, tt := range tests {
		if got := normalizeCommandLine(tt.in); got != tt.want {
			t.Errorf("normalizeCommandLine(%s) = %s; want %s", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeBinaryPathResultSplitsAsIntended(t *testing.T) {
	exe, args, err := SplitCommandLine(normalizeCommandLine(`C:\Program Files\My Svc\svc.exe -k "a b"`))
	if err != nil || exe != `C:\Program Files\My Svc\svc.exe` || !slices.Equal(args, []string{"-k", "a b"}) {
		t.Errorf("split = %q, %q, %v", exe, args, err)
	}
}

// TestDefinitionCommandLine covers the three ways a Definition names its
// program: BinaryPath and Args, CommandLine (sc's binPath=), not both; and
// the two traps: a BinaryPath that is a command line, and an unquoted
// program path with spaces that Windows could read as a shorter one.
func TestDefinitionCommandLine(t *testing.T) {
	stored := func(d Definition) (string, error) {
		d.Name = "S"
		if err := d.Validate(); err != nil {
			return "", err
		}
		c := defaultConfig("S")
		d.applyTo(c)
		return c.BinaryPathName, c.validate(nil)
	}
	tests := []struct {
		name string
		def  Definition
		want string // the stored command line, or the error's text
		err  bool
	}{
		{"command line with a clear program is quoted", Definition{CommandLine: `C:\Program Files\App\svc.exe --port 80`},
			`"C:\Program Files\App\svc.exe" --port 80`, false},
		{"quoted command line kept", Definition{CommandLine: `"C:\My App\svc" -k x`}, `"C:\My App\svc" -k x`, false},
		{"unquoted program without spaces, arguments with a path", Definition{CommandLine: `C:\tools\svc --config C:\x\y.conf`},
			`C:\tools\svc --config C:\x\y.conf`, false},
		{"program and arguments", Definition{BinaryPath: `C:\Program Files\App\svc.exe`, Args: []string{"--port", "80"}},
			`"C:\Program Files\App\svc.exe" --port 80`, false},
		{"both ways at once", Definition{CommandLine: `C:\a.exe`, BinaryPath: `C:\a.exe`}, "excludes BinaryPath and Args", true},
		{"a BinaryPath that is a command line", Definition{BinaryPath: `C:\app\svc.exe --port 80`},
			`write BinaryPath: "C:\\app\\svc.exe", Args: ["--port" "80"], or CommandLine: "C:\\app\\svc.exe --port 80"`, true},
		{"ambiguous program path with spaces", Definition{CommandLine: `C:\Some Dir\svc arg`},
			`quote the program: "C:\Some Dir\svc" arg`, true},
		{"unterminated quote", Definition{CommandLine: `"C:\x.exe`}, "unterminated quote", true},
	}
	for _, tt := range tests {
		got, err := stored(tt.def)
		switch {
		case tt.err && (err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid)):
			t.Errorf("%s: %q, %v; want an error containing %s", tt.name, got, err, tt.want)
		case !tt.err && (err != nil || got != tt.want):
			t.Errorf("%s: %q, %v; want %s", tt.name, got, err, tt.want)
		}
	}
	// Export writes a stored command line Windows cannot split as CommandLine.
	c := defaultConfig("S")
	c.BinaryPathName = `"C:\x.exe`
	if d := c.Definition(); d.CommandLine != `"C:\x.exe` || d.BinaryPath != "" {
		t.Errorf("export of an unsplittable command line: %+v", d)
	}
}
