package winsvc

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc/host"
)

// partFields lists the fields of c's parts.
func partFields(c Change) []string {
	var out []string
	for _, p := range c.Parts {
		out = append(out, string(p.Field))
	}
	return out
}

// programChange plans old to new and returns the program's change.
func programChange(t *testing.T, old, new *host.Program) (Plan, Change) {
	t.Helper()
	from, to := defaultConfig("Web"), defaultConfig("Web")
	from.Program, to.Program = old, new
	p := ComputePlan(from, to, nil, "")
	if len(p.Steps) != 1 || len(p.Steps[0].Changes) != 1 || p.Steps[0].Changes[0].Field != FieldProgram {
		t.Fatalf("plan %+v; want one step changing the program", p)
	}
	return p, p.Steps[0].Changes[0]
}

// TestProgramPlanFieldByField: a plan shows a change of the program block
// field by field, in text and JSON: each argument, each variable by name
// (a secret's values hidden), the rotation, the restart policy.
func TestProgramPlanFieldByField(t *testing.T) {
	old := fullProgram()
	new := cloneProgram(old)
	new.Path = `C:\node\node.exe`
	new.Args = []string{"server.js", "--port", "9090", "--verbose"}
	new.Env = []string{"API_TOKEN=n3w", "PORT=9090"} // NODE_ENV removed
	new.Stdout = `C:\logs\new.out`
	new.Rotate.Bytes = 1 << 20
	new.Restart.When = host.OnFailure
	new.Restart.Delay = 0
	new.StopTimeout = 3 * time.Second
	plan, c := programChange(t, old, new)
	want := []string{"program.path", "program.args[2]", "program.args[3]", "program.environment.API_TOKEN",
		"program.environment.PORT", "program.environment.NODE_ENV", "program.stdout", "program.rotate.bytes",
		"program.restart.when", "program.restart.delay", "program.stopTimeout"}
	if got := partFields(c); !slices.Equal(got, want) {
		t.Errorf("parts %v;\nwant %v", got, want)
	}
	text := plan.String()
	for _, line := range []string{
		`  program.args[2]                    "8080" -> "9090"`,
		`  program.args[3]                    (none) -> "--verbose"`,
		`  program.environment.API_TOKEN      (hidden) -> (hidden)`,
		`  program.environment.PORT           (none) -> "9090"`,
		`  program.environment.NODE_ENV       "production" -> (none)`,
		`  program.restart.delay              2s -> (none)`,
		`  program.stopTimeout                7.5s -> 3s`,
	} {
		if !strings.Contains(text, line+"\n") {
			t.Errorf("the plan's text lacks %q:\n%s", line, text)
		}
	}
	if strings.Contains(text, "s3cr3t") || strings.Contains(text, "n3w") || strings.Contains(text, "  program    ") {
		t.Errorf("the plan's text shows a secret or the whole block:\n%s", text)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Parts []struct {
			Field    string
			Old, New any
		}
	}
	if err := json.Unmarshal(b, &j); err != nil || len(j.Parts) != len(want) {
		t.Fatalf("JSON %s: %v", b, err)
	}
	for _, p := range j.Parts {
		switch p.Field {
		case "program.stopTimeout":
			if p.Old != 7500.0 || p.New != 3000.0 {
				t.Errorf("stopTimeout %v -> %v; want milliseconds 7500 -> 3000", p.Old, p.New)
			}
		case "program.environment.NODE_ENV":
			if p.Old != "production" || p.New != nil {
				t.Errorf("NODE_ENV %v -> %v; want production -> null", p.Old, p.New)
			}
		}
	}
	if strings.Contains(string(b), "s3cr3t") || strings.Contains(string(b), `"n3w"`) {
		t.Errorf("the JSON shows a secret: %s", b)
	}
}

// TestProgramPlanNewAndCleared: a program given to a service lists each
// field it sets; one taken away, each field it had.
func TestProgramPlanNewAndCleared(t *testing.T) {
	p := &host.Program{Path: `C:\a.exe`, Args: []string{"-x"}, Restart: host.RestartPolicy{When: host.Always}}
	_, c := programChange(t, nil, p)
	if got := partFields(c); !slices.Equal(got, []string{"program.path", "program.args[0]", "program.restart.when"}) {
		t.Errorf("a new program: parts %v", got)
	}
	_, c = programChange(t, p, nil)
	if got := partFields(c); len(got) != 3 || c.Parts[0].To != "(none)" || c.Parts[0].From != `"C:\\a.exe"` {
		t.Errorf("a cleared program: parts %+v", c.Parts)
	}
	// Variables compare by name without case, as Windows compares them.
	_, c = programChange(t, &host.Program{Path: `C:\a.exe`, Env: []string{"Path=x"}}, &host.Program{Path: `C:\a.exe`, Env: []string{"PATH=y"}})
	if got := partFields(c); !slices.Equal(got, []string{"program.environment.PATH"}) {
		t.Errorf("a variable renamed in case and changed: parts %v", got)
	}
}
