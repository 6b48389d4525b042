package winsvc

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/strictjson"
	"github.com/winsvc/winsvc/internal/valerr"
)

// The row of the program host's settings (Config.Program): kept in the
// service's Parameters key (programreg.go), not by the SCM, and read by
// the host when the service starts. Its JSON form gives every duration in
// milliseconds, as preshutdownTimeout is given.

// levelParameters places the program row among the config2 rows (after
// all of them): it is no ChangeServiceConfig2 level, as no SCM call reads
// or writes the setting (see storedSettings).
const levelParameters uint32 = 1 << 16

// noProgram is what a new service has: no Parameters values.
var noProgram *host.Program

func programSetting() setting {
	return spec[*host.Program]{field: FieldProgram, level: levelParameters, restart: true, created: &noProgram,
		cfg: func(c *Config) **host.Program { return &c.Program },
		def: defField[*host.Program]{
			get: func(d *Definition, c *Config) (*host.Program, bool) {
				if d.Program == nil {
					return nil, false
				}
				if d.Program.Path == "" && programEqual(d.Program, &host.Program{}) {
					return nil, true // an empty Program clears
				}
				return keepStoredEnv(d.Program, c.Program), true
			},
			// A service the host does not run is exported without a
			// program block (applying that leaves the setting as it is);
			// in JSON, null or {} clears it.
			set: func(d *Definition, v *host.Program) { d.Program = v },
		},
		eq: programEqual, clone: cloneProgram, check: checkProgram,
		text: programText, json: programJSON,
		unjson: func(b []byte) (*host.Program, error) {
			if blank(b) {
				return &host.Program{}, nil // clears
			}
			var doc programDoc
			if err := strictjson.Decode(b, &doc); err != nil {
				return nil, err
			}
			return doc.program(), nil
		},
		words: "a program block (path, args, workingDirectory, environment, stdout, stderr, rotate, restart, log, stopTimeout)",
	}.row()
}

// storedSettings are the settings winsvc keeps itself, in the registry:
// read and written there instead of with QueryServiceConfig2 and
// ChangeServiceConfig2.
var storedSettings = map[Field]struct {
	read  func(c scmConn, service string) (any, error)
	write func(c scmConn, service string, v any) error
}{
	FieldProgram: {
		read: func(c scmConn, service string) (any, error) { return readProgram(c, service) },
		write: func(c scmConn, service string, v any) error {
			return writeProgram(c, service, typed[*host.Program](v))
		},
	},
}

func programEqual(a, b *host.Program) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	return slices.Equal(x.Args, y.Args) && slices.Equal(x.Env, y.Env) &&
		slices.Equal(x.Restart.SuccessCodes, y.Restart.SuccessCodes) &&
		withoutLists(x) == withoutLists(y)
}

// programScalars are a Program's fields but its lists: comparable.
type programScalars struct {
	path, dir, stdout, stderr, log string
	rotate                         host.Rotation
	when                           host.RestartWhen
	delay, maxDelay, throttle      time.Duration
	resetAfter, stopTimeout        time.Duration
}

func withoutLists(p host.Program) programScalars {
	r := p.Restart
	return programScalars{p.Path, p.Dir, p.Stdout, p.Stderr, p.Log, p.Rotate, r.When,
		r.Delay, r.MaxDelay, r.Throttle, r.ResetAfter, p.StopTimeout}
}

func cloneProgram(p *host.Program) *host.Program {
	if p == nil {
		return nil
	}
	n := *p
	n.Args = slices.Clone(p.Args)
	n.Env = slices.Clone(p.Env)
	n.Restart.SuccessCodes = slices.Clone(p.Restart.SuccessCodes)
	return &n
}

// programDoc is Program's JSON form: durations in milliseconds (the
// rotation age in whole seconds' worth of milliseconds).
type programDoc struct {
	Path        string      `json:"path"`
	Args        []string    `json:"args,omitempty"`
	Dir         string      `json:"workingDirectory,omitempty"`
	Env         []string    `json:"environment,omitempty"`
	Stdout      string      `json:"stdout,omitempty"`
	Stderr      string      `json:"stderr,omitempty"`
	Rotate      *rotateDoc  `json:"rotate,omitempty"`
	Restart     *restartDoc `json:"restart,omitempty"`
	Log         string      `json:"log,omitempty"`
	StopTimeout int64       `json:"stopTimeout,omitempty"`
}

type rotateDoc struct {
	Bytes int64 `json:"bytes,omitempty"`
	Age   int64 `json:"age,omitempty"` // ms
	Keep  int   `json:"keep,omitempty"`
}

type restartDoc struct {
	When         host.RestartWhen `json:"when,omitempty"`
	SuccessCodes []uint32         `json:"successCodes,omitempty"`
	Delay        int64            `json:"delay,omitempty"`
	MaxDelay     int64            `json:"maxDelay,omitempty"`
	Throttle     int64            `json:"throttle,omitempty"`
	ResetAfter   int64            `json:"resetAfter,omitempty"`
}

func ms(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

// programJSON is p's JSON form; nil is null (not run by the host). The
// value of a secret variable is "(hidden)" (Config's JSON, a plan's): a
// Definition's JSON writes its name alone (documentForms).
func programJSON(p *host.Program) any {
	if p == nil {
		return nil
	}
	d := programDoc{Path: p.Path, Args: p.Args, Dir: p.Dir, Env: RedactEnv(p.Env), Stdout: p.Stdout, Stderr: p.Stderr,
		Log: p.Log, StopTimeout: p.StopTimeout.Milliseconds()}
	if p.Rotate != (host.Rotation{}) {
		d.Rotate = &rotateDoc{Bytes: p.Rotate.Bytes, Age: p.Rotate.Age.Milliseconds(), Keep: p.Rotate.Keep}
	}
	r := p.Restart
	if r.When != "" || r.SuccessCodes != nil || r.Delay != 0 || r.MaxDelay != 0 || r.Throttle != 0 || r.ResetAfter != 0 {
		d.Restart = &restartDoc{When: r.When, SuccessCodes: r.SuccessCodes, Delay: r.Delay.Milliseconds(),
			MaxDelay: r.MaxDelay.Milliseconds(), Throttle: r.Throttle.Milliseconds(), ResetAfter: r.ResetAfter.Milliseconds()}
	}
	return d
}

func (d programDoc) program() *host.Program {
	p := &host.Program{Path: d.Path, Args: d.Args, Dir: d.Dir, Env: d.Env, Stdout: d.Stdout, Stderr: d.Stderr,
		Log: d.Log, StopTimeout: ms(d.StopTimeout)}
	if d.Rotate != nil {
		p.Rotate = host.Rotation{Bytes: d.Rotate.Bytes, Age: ms(d.Rotate.Age), Keep: d.Rotate.Keep}
	}
	if r := d.Restart; r != nil {
		p.Restart = host.RestartPolicy{When: r.When, SuccessCodes: r.SuccessCodes, Delay: ms(r.Delay),
			MaxDelay: ms(r.MaxDelay), Throttle: ms(r.Throttle), ResetAfter: ms(r.ResetAfter)}
	}
	return p
}

// programText is how a plan and `get` show p: each field set, a secret
// environment value hidden.
func programText(p *host.Program) string {
	if p == nil {
		return "(none)"
	}
	var parts []string
	add := func(k string, v any) { parts = append(parts, k+"="+render(v)) }
	add("path", p.Path)
	if p.Args != nil {
		add("args", p.Args)
	}
	if p.Dir != "" {
		add("workingDirectory", p.Dir)
	}
	if p.Env != nil {
		add("environment", RedactEnv(p.Env))
	}
	for _, f := range []struct {
		k, v string
	}{{"stdout", p.Stdout}, {"stderr", p.Stderr}, {"log", p.Log}} {
		if f.v != "" {
			add(f.k, f.v)
		}
	}
	if p.Rotate != (host.Rotation{}) {
		parts = append(parts, fmt.Sprintf("rotate={bytes=%d age=%s keep=%d}", p.Rotate.Bytes, p.Rotate.Age, p.Rotate.Keep))
	}
	r := p.Restart
	if r.When != "" || r.SuccessCodes != nil || r.Delay != 0 || r.MaxDelay != 0 || r.Throttle != 0 || r.ResetAfter != 0 {
		parts = append(parts, fmt.Sprintf("restart={when=%s successCodes=%v delay=%s maxDelay=%s throttle=%s resetAfter=%s}",
			orDefault(string(r.When), string(host.OnFailure)), r.SuccessCodes, r.Delay, r.MaxDelay, r.Throttle, r.ResetAfter))
	}
	if p.StopTimeout != 0 {
		add("stopTimeout", p.StopTimeout)
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// secretWords mark an environment variable whose value is a secret.
var secretWords = []string{"password", "passwd", "pwd", "secret", "token", "key", "credential", "auth", "cookie", "private"}

// SecretEnvName reports whether an environment variable named name holds
// a secret by its name (PASSWORD, DB_PASSWD, API_TOKEN, AWS_SECRET_KEY,
// ...): winsvc shows its value as "(hidden)".
func SecretEnvName(name string) bool {
	n := strings.ToLower(name)
	return slices.ContainsFunc(secretWords, func(w string) bool { return strings.Contains(n, w) })
}

// HiddenValue is what output shows in place of a secret.
const HiddenValue = "(hidden)"

// RedactEnv returns env ("NAME=VALUE" entries) with the value of each
// secret variable (SecretEnvName) replaced by "(hidden)".
func RedactEnv(env []string) []string {
	if env == nil {
		return nil
	}
	out := make([]string, len(env))
	for i, e := range env {
		name, _, ok := strings.Cut(e, "=")
		if ok && SecretEnvName(name) {
			e = name + "=" + HiddenValue
		}
		out[i] = e
	}
	return out
}

// checkProgram refuses what the host could not run or the registry could
// not hold, naming the field (program.restart.when) and what it takes.
// What is on disk (the program, the directories) is checked by Save, on
// the machine that runs it (programfiles.go).
func checkProgram(p *host.Program) error {
	if p == nil {
		return nil
	}
	f := func(sub string) string { return string(FieldProgram) + "." + sub }
	if err := checkProgramPath(f("path"), p.Path, true); err != nil {
		return err
	}
	if exe, args, ok := commandLineInPath(p.Path); ok {
		return invalid(f("path"), p.Path, fmt.Sprintf("is the program's path, but this looks like a command line; write path: %s, args: %s",
			valerr.Quote(exe), quoteList(args)))
	}
	for _, x := range []struct{ field, v string }{
		{f("workingDirectory"), p.Dir}, {f("stdout"), p.Stdout}, {f("stderr"), p.Stderr}, {f("log"), p.Log},
	} {
		if x.v != "" {
			if err := checkProgramPath(x.field, x.v, false); err != nil {
				return err
			}
		}
	}
	for i, a := range p.Args {
		field := fmt.Sprintf("%s[%d]", f("args"), i)
		if a == "" {
			return invalid(field, a, "must not be empty (the registry's REG_MULTI_SZ cannot hold an empty string)")
		}
		if err := checkText(field)(a); err != nil {
			return err
		}
	}
	for i, e := range p.Env {
		field := fmt.Sprintf("%s[%d]", f("environment"), i)
		name, _, ok := strings.Cut(e, "=")
		shown := e
		if ok && SecretEnvName(name) {
			shown = name + "=" + HiddenValue
		}
		switch {
		case !ok:
			return invalid(field, shown, "must be NAME=VALUE (a name alone keeps the value of the variable the service has, and it has none of that name)")
		case name == "":
			return invalid(field, shown, "the variable's name must not be empty (NAME=VALUE)")
		case strings.ContainsRune(e, 0):
			return invalid(field, shown, "must not contain NUL")
		}
	}
	switch p.Restart.When {
	case "", host.Always, host.OnFailure, host.Never:
	default:
		return invalid(f("restart.when"), string(p.Restart.When), "", string(host.Always), string(host.OnFailure), string(host.Never))
	}
	if p.Rotate.Bytes < 0 {
		return invalid(f("rotate.bytes"), p.Rotate.Bytes, "must not be negative (0: no rotation for size)")
	}
	if p.Rotate.Keep < 0 || int64(p.Rotate.Keep) > math.MaxUint32 {
		return invalid(f("rotate.keep"), p.Rotate.Keep, "must be between 0 (keep every one) and 4294967295")
	}
	if a := p.Rotate.Age; a < 0 || a%time.Second != 0 || a/time.Second > math.MaxUint32 {
		return invalid(f("rotate.age"), a.Milliseconds(), "must be a whole number of seconds, in milliseconds (0: no rotation for age), at most 4294967295 s")
	}
	for _, d := range []struct {
		field string
		v     time.Duration
	}{
		{f("restart.delay"), p.Restart.Delay}, {f("restart.maxDelay"), p.Restart.MaxDelay},
		{f("restart.throttle"), p.Restart.Throttle}, {f("restart.resetAfter"), p.Restart.ResetAfter},
		{f("stopTimeout"), p.StopTimeout},
	} {
		if d.v < 0 || d.v%time.Millisecond != 0 || d.v.Milliseconds() > math.MaxUint32 {
			return invalid(d.field, d.v.Milliseconds(), "must be a whole number of milliseconds between 0 (the default) and 4294967295")
		}
	}
	return nil
}

// checkProgramPath refuses a path that is not absolute (relative paths
// would be the SCM's directory, System32), that holds a quote or NUL, or,
// for the program, that is empty.
func checkProgramPath(field, p string, required bool) error {
	switch {
	case p == "" && required:
		return invalid(field, p, `required: the full path of the program to run (C:\app\app.exe)`)
	case strings.ContainsRune(p, '"'):
		return invalid(field, p, `must not hold quotes: give the path as it is, spaces and all (winsvc quotes it where needed)`)
	case strings.ContainsRune(p, 0):
		return invalid(field, p, "must not contain NUL")
	case !windowsAbs(p):
		return invalid(field, p, `must be a full path (C:\dir\file, \\server\share\file or one starting with an %VARIABLE%)`)
	}
	return nil
}

// windowsAbs reports whether p is a full Windows path, or starts with an
// environment variable the host expands (%ProgramData%\...).
func windowsAbs(p string) bool {
	if strings.HasPrefix(p, "%") && strings.Count(p, "%") >= 2 {
		return true
	}
	if strings.HasPrefix(p, `\\`) {
		return true
	}
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		('a' <= p[0]|0x20 && p[0]|0x20 <= 'z')
}

// readStored reads stored setting r into c with read, or marks it
// unavailable.
func readStored(conn scmConn, c *Config, r *setting, read func(scmConn, string) (any, error)) {
	v, err := read(conn, c.Name)
	if err != nil {
		c.markUnavailable(r.field, named(err))
		return
	}
	r.put(c, v)
	delete(c.Unavailable, r.field)
}
