package module

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/testbed"
	"github.com/winsvc/winsvc/winsvctest"
)

const (
	hostExe     = `C:\Program Files\winsvc\winsvc.exe`
	envSecret   = "env-Secret-never-shown-7731"
	hostedNode  = `C:\Program Files\nodejs\node.exe`
	hostedLog   = `C:\logs\web.log`
	hostedLogIn = `C:\logs`
)

// withHostFile makes winsvc_path's check find exactly the files named.
func withHostFile(t *testing.T, files ...string) {
	t.Helper()
	old := hostFile
	hostFile = func(p string) error {
		if slices.Contains(files, p) {
			return nil
		}
		return errors.New(p + " does not exist on this host")
	}
	t.Cleanup(func() { hostFile = old })
}

// hostedTask is a task that creates the hosted service Web.
func hostedTask() map[string]any {
	return map[string]any{"name": "Web", "winsvc_path": hostExe, "start_mode": "manual", "state": "started",
		"program": map[string]any{
			"path": hostedNode, "args": []string{"server.js", "--port=8080"}, "working_directory": `C:\web`,
			"environment": []string{"NODE_ENV=production", "DB_PASSWORD=" + envSecret},
			"stdout":      hostedLog, "stderr": hostedLog,
			"rotate":      map[string]any{"bytes": "10485760", "keep": 5},
			"restart":     map[string]any{"when": "always", "success_codes": []any{0, "3"}, "delay": 2000, "max_delay": 30000},
			"stopTimeout": 10000,
		}}
}

func TestProgramCreatesAHostedService(t *testing.T) {
	withHostFile(t, hostExe)
	m := winsvctest.Connect()
	r, out := runTask(t, m, Service, task{args: hostedTask(), diff: true})
	if r["failed"] == true || r["changed"] != true {
		t.Fatalf("first run: %s", out)
	}
	c := loaded(t, m, "Web")
	if want := host.CommandLine(hostExe, "Web"); c.BinaryPathName != want {
		t.Errorf("command line %q, want the host's %q", c.BinaryPathName, want)
	}
	want := &host.Program{Path: hostedNode, Args: []string{"server.js", "--port=8080"}, Dir: `C:\web`,
		Env: []string{"NODE_ENV=production", "DB_PASSWORD=" + envSecret}, Stdout: hostedLog, Stderr: hostedLog,
		Rotate:      host.Rotation{Bytes: 10 << 20, Keep: 5},
		Restart:     host.RestartPolicy{When: host.Always, SuccessCodes: []uint32{0, 3}, Delay: 2 * time.Second, MaxDelay: 30 * time.Second},
		StopTimeout: 10 * time.Second}
	if got, _ := c.ValueJSON(winsvc.FieldProgram); !reflect.DeepEqual(c.Program, want) {
		t.Errorf("stored program %s, want %+v", got, want)
	}
	if strings.Contains(out, envSecret) {
		t.Errorf("the secret environment value appears in the result: %s", out)
	}
	prog, _ := r["program"].(map[string]any)
	if prog == nil || prog["path"] != hostedNode || !slices.Equal(anyStrings(prog["environment"]), []string{"NODE_ENV=production", "DB_PASSWORD=(hidden)"}) {
		t.Errorf("program returned: %v", r["program"])
	}
	after := r["diff"].(map[string]any)["after"].(map[string]any)
	if after["program"] == nil || !strings.Contains(out, `"DB_PASSWORD=(hidden)"`) {
		t.Errorf("diff after lacks the program: %v", after)
	}

	// Again: nothing to change, in check mode with diff and for real.
	for _, check := range []bool{true, false} {
		r, out = runTask(t, m, Service, task{args: hostedTask(), check: check, diff: true})
		if r["failed"] == true || r["changed"] != false {
			t.Errorf("run again (check %v): %s", check, out)
		}
		if strings.Contains(out, envSecret) {
			t.Errorf("the secret environment value appears in the result: %s", out)
		}
	}
}

func TestProgramChangeInCheckModeShowsItHidden(t *testing.T) {
	withHostFile(t, hostExe)
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: hostedTask()}, true)
	before := configJSON(t, m, "Web")
	args := hostedTask()
	p := args["program"].(map[string]any)
	p["environment"] = []string{"NODE_ENV=staging", "DB_PASSWORD=" + envSecret + "-new"}
	p["args"] = []string{"server.js"}
	r, out := runTask(t, m, Service, task{args: args, check: true, diff: true})
	if r["failed"] == true || r["changed"] != true {
		t.Fatalf("check run: %s", out)
	}
	if configJSON(t, m, "Web") != before {
		t.Error("check mode changed the service")
	}
	if strings.Contains(out, envSecret) {
		t.Errorf("a secret environment value appears in the check run's result: %s", out)
	}
	d := r["diff"].(map[string]any)
	b, a := d["before"].(map[string]any)["program"].(map[string]any), d["after"].(map[string]any)["program"].(map[string]any)
	if !slices.Equal(anyStrings(b["args"]), []string{"server.js", "--port=8080"}) || !slices.Equal(anyStrings(a["args"]), []string{"server.js"}) ||
		!slices.Equal(anyStrings(a["environment"]), []string{"NODE_ENV=staging", "DB_PASSWORD=(hidden)"}) {
		t.Errorf("diff: before %v, after %v", b, a)
	}
	changes := r["changes"].([]any)
	if len(changes) == 0 || !strings.Contains(out, `"field":"program"`) {
		t.Errorf("changes do not list the program: %v", changes)
	}
}

func TestProgramNeedsTheHostToCreate(t *testing.T) {
	withHostFile(t, hostExe)
	m := winsvctest.Connect()
	args := hostedTask()
	delete(args, "winsvc_path")
	r := mustFail(t, m, Service, task{args: args}, "Service 'Web' is not installed", "winsvc_path")
	if r["changed"] != false || r["win32_code"] != float64(87) {
		t.Errorf("result: %v", r)
	}
	args["winsvc_path"], args["path"] = hostExe, `C:\other.exe`
	mustFail(t, m, Service, task{args: args}, "mutually exclusive: path|winsvc_path")
	delete(args, "path")
	args["winsvc_path"] = `C:\missing\winsvc.exe`
	mustFail(t, m, Service, task{args: args}, "option winsvc_path", `C:\missing\winsvc.exe does not exist on this host`)
	if _, err := m.Load(context.Background(), "Web"); !errors.Is(err, winsvc.ErrNotFound) {
		t.Errorf("a refused task created the service: %v", err)
	}
}

// TestHostFileChecksTheFile: winsvc_path's default check, on this machine.
func TestHostFileChecksTheFile(t *testing.T) {
	dir := testbed.TempDir(t) // t.TempDir's cleanup fails under Wine
	if err := hostFile(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("a directory: %v", err)
	}
	if err := hostFile(dir + "/none.exe"); err == nil || !strings.Contains(err.Error(), "does not exist on this host") {
		t.Errorf("a missing file: %v", err)
	}
}

func TestProgramOnAServiceTheHostDoesNotRun(t *testing.T) {
	m := winsvctest.Connect()
	mustSucceed(t, m, task{args: map[string]any{"name": "Plain", "path": `C:\svc.exe`}}, true)
	r := mustSucceed(t, m, task{args: map[string]any{"name": "Plain", "program": map[string]any{"path": hostedNode}}}, true)
	// The in-memory SCM reads no files: the module says the program was
	// not checked.
	w, _ := r["warnings"].([]any)
	if len(w) != 2 || !strings.Contains(w[0].(string), "does not run winsvc.exe host Plain") ||
		w[1] != `program.path (C:\Program Files\nodejs\node.exe) was not checked before the save: this SCM connection reads no files` {
		t.Errorf("warnings: %v", r["warnings"])
	}
	if c := loaded(t, m, "Plain"); c.BinaryPathName != `C:\svc.exe` || c.Program == nil || c.Program.Path != hostedNode {
		t.Errorf("stored: %q %+v", c.BinaryPathName, c.Program)
	}
	// An empty program removes the settings, with no warning.
	r = mustSucceed(t, m, task{args: map[string]any{"name": "Plain", "program": map[string]any{}}}, true)
	if r["warnings"] != nil {
		t.Errorf("warnings of a removal: %v", r["warnings"])
	}
	if c := loaded(t, m, "Plain"); c.Program != nil {
		t.Errorf("program after {}: %+v", c.Program)
	}
}

func TestProgramBadOptionsNameTheField(t *testing.T) {
	withHostFile(t, hostExe)
	m := winsvctest.Connect()
	for _, c := range []struct {
		program map[string]any
		wants   []string
	}{
		{map[string]any{"path": hostedNode, "restart": map[string]any{"when": "sometimes"}},
			[]string{"program.restart.when", "always, on-failure, never"}},
		{map[string]any{"path": hostedNode, "restart": map[string]any{"successCodes": []any{"x"}}},
			[]string{"program.restart.successCodes[0]"}},
		{map[string]any{"path": `app.exe`}, []string{"program.path", "full path"}},
		{map[string]any{"path": hostedNode, "colour": "red"}, []string{"program.colour"}},
		{map[string]any{"path": hostedNode, "rotate": map[string]any{"age": 1500}}, []string{"program.rotate.age"}},
		{map[string]any{"path": hostedNode, "environment": []any{"API_TOKEN"}}, []string{"program.environment[0]", "NAME=VALUE"}},
		{map[string]any{"path": hostedNode, "environment": []any{map[string]any{"DB_PASSWORD": envSecret}}}, []string{"program.environment"}},
		{map[string]any{"path": hostedNode, "environment": map[string]any{"DB_PASSWORD": envSecret}}, []string{"program.environment"}},
	} {
		args := map[string]any{"name": "Bad", "winsvc_path": hostExe, "program": c.program}
		r := mustFail(t, m, Service, task{args: args}, c.wants...)
		if r["win32_code"] != float64(87) {
			t.Errorf("%v: win32_code %v", c.program, r["win32_code"])
		}
		_, out := runTask(t, m, Service, task{args: args})
		if strings.Contains(out, envSecret) {
			t.Errorf("%v: the secret appears: %s", c.program, out)
		}
	}
	if _, err := m.Load(context.Background(), "Bad"); !errors.Is(err, winsvc.ErrNotFound) {
		t.Errorf("a refused task created the service: %v", err)
	}
}

// TestDefinitionProgramHidden: a program block given in the definition
// option shows its secret environment values hidden too.
func TestDefinitionProgramHidden(t *testing.T) {
	withHostFile(t, hostExe)
	m := winsvctest.Connect()
	args := map[string]any{"name": "Def", "winsvc_path": hostExe,
		"definition": map[string]any{"program": map[string]any{"path": hostedNode, "environment": []string{"AUTH_KEY=" + envSecret}}}}
	r, out := runTask(t, m, Service, task{args: args, diff: true})
	if r["failed"] == true || strings.Contains(out, envSecret) {
		t.Errorf("result: %s", out)
	}
	if c := loaded(t, m, "Def"); c.Program == nil || !slices.Equal(c.Program.Env, []string{"AUTH_KEY=" + envSecret}) {
		t.Errorf("stored: %+v", c.Program)
	}
}

func anyStrings(v any) []string {
	list, _ := v.([]any)
	out := []string{}
	for _, e := range list {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}
