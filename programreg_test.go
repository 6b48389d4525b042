package winsvc

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/winsvc/winsvc/host"
)

// fullProgram sets every field of Program.
func fullProgram() *host.Program {
	return &host.Program{
		Path: `C:\Program Files\nodejs\node.exe`, Args: []string{"server.js", "--port", "8080"},
		Dir: `C:\srv\web`, Env: []string{"NODE_ENV=production", "API_TOKEN=s3cr3t"},
		Stdout: `C:\logs\web.out`, Stderr: `C:\logs\web.err`,
		Rotate:  host.Rotation{Bytes: 5 << 30, Age: 24 * time.Hour, Keep: 7},
		Restart: host.RestartPolicy{When: host.Always, SuccessCodes: []uint32{0, 4294967295}, Delay: 2 * time.Second, MaxDelay: time.Minute, Throttle: 3 * time.Second, ResetAfter: 10 * time.Minute},
		Log:     `%ProgramData%\web\host.log`, StopTimeout: 7500 * time.Millisecond,
	}
}

// utf16z is s as UTF-16LE, NUL-terminated: written here by hand, apart
// from the encoder.
func utf16z(parts ...string) []byte {
	var b []byte
	for _, p := range parts {
		for _, c := range utf16.Encode([]rune(p)) {
			b = binary.LittleEndian.AppendUint16(b, c)
		}
		b = append(b, 0, 0)
	}
	return b
}

// TestProgramRegistryLayout checks the bytes of each value against the
// registry's documented layouts: REG_EXPAND_SZ and REG_SZ NUL-terminated
// UTF-16LE, REG_MULTI_SZ each string NUL-terminated then one more NUL,
// REG_DWORD and REG_QWORD little-endian.
func TestProgramRegistryLayout(t *testing.T) {
	got := encodeProgram(fullProgram())
	dw := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	want := map[string]regValue{
		host.ValuePath:            regVal(2, utf16z(`C:\Program Files\nodejs\node.exe`)),
		host.ValueArgs:            regVal(7, append(utf16z("server.js", "--port", "8080"), 0, 0)),
		host.ValueDir:             regVal(2, utf16z(`C:\srv\web`)),
		host.ValueEnv:             regVal(7, append(utf16z("NODE_ENV=production", "API_TOKEN=s3cr3t"), 0, 0)),
		host.ValueStdout:          regVal(2, utf16z(`C:\logs\web.out`)),
		host.ValueStderr:          regVal(2, utf16z(`C:\logs\web.err`)),
		host.ValueRotateBytes:     regVal(11, binary.LittleEndian.AppendUint64(nil, 5<<30)),
		host.ValueRotateAge:       regVal(4, dw(86400)),
		host.ValueRotateKeep:      regVal(4, dw(7)),
		host.ValueRestart:         regVal(1, utf16z("always")),
		host.ValueSuccessCodes:    regVal(7, append(utf16z("0", "4294967295"), 0, 0)),
		host.ValueRestartDelay:    regVal(4, dw(2000)),
		host.ValueRestartDelayMax: regVal(4, dw(60000)),
		host.ValueThrottle:        regVal(4, dw(3000)),
		host.ValueResetAfter:      regVal(4, dw(600000)),
		host.ValueStopTimeout:     regVal(4, dw(7500)),
		host.ValueLog:             regVal(2, utf16z(`%ProgramData%\web\host.log`)),
	}
	if len(got) != len(want) {
		t.Errorf("%d values; want %d", len(got), len(want))
	}
	for name, w := range want {
		if g, ok := got[name]; !ok || !regEqual(g, w) {
			t.Errorf("%s = %v %x; want %v %x", name, g.Type, g.Data, w.Type, w.Data)
		}
	}
	back, err := decodeProgram(got)
	if err != nil || !programEqual(back, fullProgram()) {
		t.Errorf("decode(encode) = %s, %v; want %s", programText(back), err, programText(fullProgram()))
	}
	// The zero fields have no value; a program path alone is one value.
	if got := encodeProgram(&host.Program{Path: `C:\a.exe`}); len(got) != 1 {
		t.Errorf("a path alone: %d values; want 1", len(got))
	}
	if got := encodeProgram(nil); len(got) != 0 {
		t.Errorf("nil: %d values; want none", len(got))
	}
}

// TestProgramRegistryDecodeRefusesWhatItDoesNotWrite checks values of
// another type or that do not parse: an error naming the value; no path
// is no program.
func TestProgramRegistryDecodeRefusesWhatItDoesNotWrite(t *testing.T) {
	if p, err := decodeProgram(map[string]regValue{host.ValueStdout: regVal(2, utf16z(`C:\x`))}); p != nil || err != nil {
		t.Errorf("no path: %v, %v; want nil, nil", p, err)
	}
	path := regVal(1, utf16z(`C:\a.exe`)) // REG_SZ is taken as well
	for name, v := range map[string]regValue{
		host.ValueArgs:         regVal(1, utf16z("x")),
		host.ValueRotateBytes:  regVal(4, []byte{1, 0, 0, 0}),
		host.ValueRestartDelay: regVal(4, []byte{1, 0}),
		host.ValueSuccessCodes: regVal(7, append(utf16z("-1"), 0, 0)),
	} {
		_, err := decodeProgram(map[string]regValue{host.ValuePath: path, name: v})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s = %v %x: error %v; want one naming it", name, v.Type, v.Data, err)
		}
	}
}

// TestProgramSaveLoadRoundTrip creates a hosted service, reads its
// Parameters key raw, loads it, changes and clears the program, and
// checks that a value of the key winsvc does not own is never touched.
func TestProgramSaveLoadRoundTrip(t *testing.T) {
	ctx := context.Background()
	scm := newMemSCM(quirks{})
	m := memManager(scm)
	s, err := m.New(Definition{Name: "Web", CommandLine: host.CommandLine(`C:\winsvc\winsvc.exe`, "Web"), Program: fullProgram()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	raw := maps.Clone(scm.Service("Web").Params)
	if v := raw[host.ValueRotateBytes]; v.Type != 11 || binary.LittleEndian.Uint64(v.Data) != 5<<30 {
		t.Errorf("raw %s = %v %x", host.ValueRotateBytes, v.Type, v.Data)
	}
	loaded := mustLoad(t, m, "Web")
	if got := loaded.Config().Program; !programEqual(got, fullProgram()) {
		t.Errorf("loaded %s; want %s", programText(got), programText(fullProgram()))
	}
	// A value of the key that is not the host's (a DLL's, say) stays.
	scm.Service("Web").Params["ServiceDll"] = regVal(2, utf16z(`C:\x.dll`))
	loaded.Update(func(c *Config) { c.Program = &host.Program{Path: `C:\other.exe`} })
	if _, err := loaded.Save(ctx, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(maps.Clone(scm.Service("Web").Params))); !slices.Equal(got, []string{host.ValuePath, "ServiceDll"}) {
		t.Errorf("after the change: values %v; want Application and ServiceDll", got)
	}
	loaded.Update(func(c *Config) { c.Program = nil })
	if _, err := loaded.Save(ctx, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(maps.Clone(scm.Service("Web").Params))); !slices.Equal(got, []string{"ServiceDll"}) {
		t.Errorf("after clearing: values %v; want ServiceDll alone", got)
	}
	if p := mustLoad(t, m, "Web").Config().Program; p != nil {
		t.Errorf("after clearing: Program %s; want nil", programText(p))
	}
}

// TestProgramWriteAllOrNone makes each write of the key fail in turn and
// checks that the values already changed are restored and Save reports
// the failure.
func TestProgramWriteAllOrNone(t *testing.T) {
	ctx := context.Background()
	old := &host.Program{Path: `C:\old.exe`, Args: []string{"a"}, Stdout: `C:\old.log`, StopTimeout: time.Second}
	for _, failing := range []string{"setParameter " + host.ValuePath, "setParameter " + host.ValueDir,
		"deleteParameter " + host.ValueStopTimeout, "setParameter " + host.ValueLog} {
		scm := newMemSCM(quirks{}, baseService())
		scm.Service("S").Params = encodeProgram(old)
		s := mustLoad(t, memManager(scm), "S")
		before := maps.Clone(scm.Service("S").Params)
		s.Update(func(c *Config) {
			c.Program = &host.Program{Path: `C:\new.exe`, Dir: `C:\d`, Stdout: `C:\old.log`, Log: `C:\h.log`}
		})
		scm.Fail = map[string]error{failing: ErrAccessDenied}
		_, err := s.Save(ctx, SaveOptions{})
		if !errors.Is(err, ErrAccessDenied) {
			t.Errorf("%s failing: Save error %v; want access denied", failing, err)
		}
		after := maps.Clone(scm.Service("S").Params)
		if len(after) != len(before) {
			t.Errorf("%s failing: values %v; want %v", failing, slices.Sorted(maps.Keys(after)), slices.Sorted(maps.Keys(before)))
		}
		for k, v := range before {
			if !regEqual(after[k], v) {
				t.Errorf("%s failing: %s not restored", failing, k)
			}
		}
	}
}

// TestProgramChangeNeedsARestart: the host reads its settings when the
// service starts.
func TestProgramChangeNeedsARestart(t *testing.T) {
	scm := newMemSCM(quirks{}, svc("S", Running))
	s := mustLoad(t, memManager(scm), "S")
	s.Update(func(c *Config) { c.Program = &host.Program{Path: `C:\a.exe`} })
	res, err := s.Save(context.Background(), SaveOptions{})
	if err != nil || !slices.Equal(res.RestartNeeded, []Field{FieldProgram}) {
		t.Errorf("Save = %+v, %v; want RestartNeeded [program]", res, err)
	}
}

// TestProgramValidation refuses, before any call, each bad value, naming
// its field.
func TestProgramValidation(t *testing.T) {
	for field, p := range map[string]*host.Program{
		"program.path":               {},
		"program.path ":              {Path: `node.exe`},
		"program.path  ":             {Path: `"C:\Program Files\node.exe"`},
		"program.workingDirectory":   {Path: `C:\a.exe`, Dir: `rel\dir`},
		"program.stdout":             {Path: `C:\a.exe`, Stdout: `out.log`},
		"program.args[1]":            {Path: `C:\a.exe`, Args: []string{"a", ""}},
		"program.environment[0]":     {Path: `C:\a.exe`, Env: []string{"NOEQUALS"}},
		"program.environment[1]":     {Path: `C:\a.exe`, Env: []string{"A=1", "=x"}},
		"program.restart.when":       {Path: `C:\a.exe`, Restart: host.RestartPolicy{When: "sometimes"}},
		"program.restart.delay":      {Path: `C:\a.exe`, Restart: host.RestartPolicy{Delay: -time.Second}},
		"program.rotate.age":         {Path: `C:\a.exe`, Rotate: host.Rotation{Age: 1500 * time.Millisecond}},
		"program.rotate.bytes":       {Path: `C:\a.exe`, Rotate: host.Rotation{Bytes: -1}},
		"program.stopTimeout":        {Path: `C:\a.exe`, StopTimeout: 5000 * time.Hour},
		"program.restart.resetAfter": {Path: `C:\a.exe`, Restart: host.RestartPolicy{ResetAfter: time.Microsecond}},
		"program.restart.maxDelay":   {Path: `C:\a.exe`, Restart: host.RestartPolicy{MaxDelay: -1}},
		"program.restart.throttle":   {Path: `C:\a.exe`, Restart: host.RestartPolicy{Throttle: -1}},
		"program.log":                {Path: `C:\a.exe`, Log: `"C:\x"`},
		"program.stderr":             {Path: `C:\a.exe`, Stderr: "a\x00b"},
		"program.environment[0] ":    {Path: `C:\a.exe`, Env: []string{"DB_PASSWORD=hunter2\x00"}},
	} {
		field = strings.TrimSpace(field)
		scm := newMemSCM(quirks{}, baseService())
		s := mustLoad(t, memManager(scm), "S")
		s.Update(func(c *Config) { c.Program = p })
		scm.Reset()
		_, err := s.Save(context.Background(), SaveOptions{})
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != field {
			t.Errorf("%+v: error %v; want a validation error of %s", p, err, field)
		}
		if strings.Contains(errText(err), "hunter2") {
			t.Errorf("%+v: the error shows a secret: %v", p, err)
		}
		if w := scm.Writes(); len(w) != 0 {
			t.Errorf("%s: %d writes; want none", field, len(w))
		}
	}
	if err := checkProgram(&host.Program{Path: `C:\a.exe`, Restart: host.RestartPolicy{When: "x"}}); err == nil ||
		!strings.Contains(err.Error(), "on-failure") {
		t.Errorf("bad restart word: %v; want the allowed words", err)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestRedactEnv hides the values of variables named like secrets.
func TestRedactEnv(t *testing.T) {
	got := RedactEnv([]string{"PATH=C:\\x", "DB_PASSWORD=a", "api_token=b", "AWS_SECRET_ACCESS_KEY=c", "Credentials=d", "HOME=e"})
	want := []string{"PATH=C:\\x", "DB_PASSWORD=(hidden)", "api_token=(hidden)", "AWS_SECRET_ACCESS_KEY=(hidden)", "Credentials=(hidden)", "HOME=e"}
	if !slices.Equal(got, want) {
		t.Errorf("RedactEnv = %v; want %v", got, want)
	}
	if s := programText(fullProgram()); strings.Contains(s, "s3cr3t") || !strings.Contains(s, "API_TOKEN=(hidden)") {
		t.Errorf("programText shows %s", s)
	}
}

// TestProgramJSON reads the program block of a Definition's JSON: errors
// name the path of the key, null clears, durations are milliseconds.
func TestProgramJSON(t *testing.T) {
	for doc, field := range map[string]string{
		`{"name":"W","program":{"path":"C:\\a.exe","restart":{"delay":"1s"}}}`: "program.restart.delay",
		`{"name":"W","program":{"path":"C:\\a.exe","bogus":1}}`:                "program.bogus",
		`{"name":"W","program":{"path":"C:\\a.exe","rotate":{"keep":"x"}}}`:    "program.rotate.keep",
	} {
		var d Definition
		err := json.Unmarshal([]byte(doc), &d)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != field {
			t.Errorf("%s: error %v; want one of %s", doc, err, field)
		}
	}
	var d Definition
	if err := json.Unmarshal([]byte(`{"name":"W","program":{"path":"C:\\a.exe","rotate":{"age":60000},"stopTimeout":3000}}`), &d); err != nil {
		t.Fatal(err)
	}
	if p := d.Program; p == nil || p.Rotate.Age != time.Minute || p.StopTimeout != 3*time.Second {
		t.Errorf("durations: %+v; want a minute and 3 s", p)
	}
	if err := json.Unmarshal([]byte(`{"name":"W","program":null}`), &d); err != nil || d.Program == nil || d.Program.Path != "" {
		t.Errorf("null: %+v, %v; want an empty Program (clear)", d.Program, err)
	}
	c := defaultConfig("W")
	c.Program = &host.Program{Path: `C:\a.exe`}
	d.Program = &host.Program{}
	if v, ok := programSettingRow().defGet(&d, c); !ok || v.(*host.Program) != nil {
		t.Errorf("an empty Program sets %v, %v; want nil (not run by the host)", v, ok)
	}
}

func programSettingRow() *setting {
	r, _ := settingFor(FieldProgram)
	return r
}
