package winsvc

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/host"
)

// TestSecretEnvNotShown: the value of a secret variable of the program's
// environment is in none of the forms output takes: Config's JSON (get
// --json), a plan's text and JSON, a Definition's JSON (export); Config's
// JSON and the plan say "(hidden)".
func TestSecretEnvNotShown(t *testing.T) {
	c := defaultConfig("Web")
	c.Program = fullProgram() // API_TOKEN=s3cr3t
	cj, _ := json.Marshal(c)
	want := defaultConfig("Web")
	want.Program = fullProgram()
	want.Program.Env = append(want.Program.Env, "DB_PASSWORD=hunter2")
	plan := ComputePlan(c, want, nil, "")
	pj, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	dj, _ := json.Marshal(c.Definition())
	d := Definition{Name: "Web", Program: want.Program}
	uj, _ := json.Marshal(d)
	for what, out := range map[string]string{
		"Config's JSON": string(cj), "the plan's JSON": string(pj), "the plan's text": plan.String(),
		"the exported Definition's JSON": string(dj), "a Definition's JSON": string(uj),
	} {
		if strings.Contains(out, "s3cr3t") || strings.Contains(out, "hunter2") {
			t.Errorf("%s shows a secret: %s", what, out)
		}
	}
	if !strings.Contains(plan.String(), "program.environment.DB_PASSWORD    (none) -> (hidden)") {
		t.Errorf("the plan's text does not say the value is hidden: %s", plan.String())
	}
	for what, out := range map[string]string{"Config's JSON": string(cj), "the plan's JSON": string(pj)} {
		if !strings.Contains(out, "API_TOKEN=(hidden)") {
			t.Errorf("%s does not say the value is hidden: %s", what, out)
		}
	}
	if !strings.Contains(string(dj), `"API_TOKEN"`) || !strings.Contains(string(uj), `"DB_PASSWORD"`) {
		t.Errorf("a Definition's JSON does not name the secret variables: %s, %s", dj, uj)
	}
	if got := SecretEnvNames(want.Program.Env); !slices.Equal(got, []string{"API_TOKEN", "DB_PASSWORD"}) {
		t.Errorf("SecretEnvNames = %v", got)
	}
}

// TestSecretEnvKeptOnApply: a Definition that names a variable alone (as
// an export writes a secret one) keeps the value the service has, in any
// case of the name; a name the service has no value for is refused,
// naming the entry, before anything is written.
func TestSecretEnvKeptOnApply(t *testing.T) {
	ctx := context.Background()
	scm := newMemSCM(quirks{}, baseService())
	scm.Service("S").Params = encodeProgram(fullProgram())
	m := memManager(scm)
	s := mustLoad(t, m, "S")
	exported := s.Config().Definition()
	if !slices.Contains(exported.Program.Env, "API_TOKEN") || slices.Contains(exported.Program.Env, "API_TOKEN=s3cr3t") {
		t.Fatalf("exported environment %v; want API_TOKEN named alone", exported.Program.Env)
	}
	b, err := json.Marshal(exported)
	if err != nil {
		t.Fatal(err)
	}
	var back Definition
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	back.Program.Env = []string{"api_token", "NODE_ENV=test"}
	if err := s.Apply(back); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	raw, err := decodeProgram(maps.Clone(scm.Service("S").Params)) // the key as stored
	if err != nil || !slices.Equal(raw.Env, []string{"API_TOKEN=s3cr3t", "NODE_ENV=test"}) {
		t.Errorf("stored environment %v, %v; want the secret kept and NODE_ENV changed", raw, err)
	}

	s = mustLoad(t, m, "S")
	before := maps.Clone(scm.Service("S").Params)
	scm.Reset()
	back.Program.Env = []string{"API_TOKEN", "OTHER_SECRET"}
	err = s.Apply(back)
	if err == nil {
		_, err = s.Save(ctx, SaveOptions{})
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "program.environment[1]" || !strings.Contains(err.Error(), "keeps the value") {
		t.Errorf("a name without a value to keep: %v; want a validation error of program.environment[1]", err)
	}
	if w := scm.Writes(); len(w) != 0 || len(maps.Clone(scm.Service("S").Params)) != len(before) {
		t.Errorf("%d writes; want none", len(w))
	}
}

// TestKeepStoredEnvLeavesOthers: entries with a value are taken as
// given, and the Definition itself is not changed.
func TestKeepStoredEnvLeavesOthers(t *testing.T) {
	want := &host.Program{Path: `C:\a.exe`, Env: []string{"A=1", "TOKEN", "B="}}
	have := &host.Program{Path: `C:\a.exe`, Env: []string{"TOKEN=t", "A=0"}}
	got := keepStoredEnv(want, have)
	if !slices.Equal(got.Env, []string{"A=1", "TOKEN=t", "B="}) || want.Env[1] != "TOKEN" {
		t.Errorf("keepStoredEnv = %v (asked %v)", got.Env, want.Env)
	}
	if got := keepStoredEnv(want, nil); !slices.Equal(got.Env, want.Env) {
		t.Errorf("without a stored program: %v", got.Env)
	}
}
