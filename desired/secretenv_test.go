package desired_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/host"
)

// hosted is a service run by the program host whose environment holds a
// secret (API_TOKEN=s3cr3t).
func hosted() installed {
	return installed{winsvc.Definition{Name: "Web", CommandLine: `C:\winsvc\winsvc.exe host Web`,
		Program: &host.Program{Path: `C:\node\node.exe`, Env: []string{"NODE_ENV=production", "API_TOKEN=s3cr3t"}}}, winsvc.Stopped}
}

// The export of a hosted service names a secret variable without its
// value, warns about it by name, and applying the document keeps the
// value the service has.
func TestExportLeavesSecretEnvOut(t *testing.T) {
	ctx := context.Background()
	m := memory(t, hosted())
	res, err := desired.Export(ctx, m, []string{"Web"}, desired.ExportOptions{Workers: serial})
	if err != nil {
		t.Fatal(err)
	}
	y, err := res.Document.YAML()
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(res.Document)
	for _, doc := range []string{string(y), string(j)} {
		if strings.Contains(doc, "s3cr3t") || !strings.Contains(doc, "API_TOKEN") || !strings.Contains(doc, "NODE_ENV=production") {
			t.Errorf("the document shows the secret or lacks the environment:\n%s", doc)
		}
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Field != winsvc.FieldProgram || !strings.Contains(res.Warnings[0].Message, "API_TOKEN") {
		t.Errorf("warnings %v; want one naming API_TOKEN", res.Warnings)
	}
	doc, err := desired.Parse("web.yaml", y)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := desired.PlanAll(ctx, m, doc, desired.PlanOptions{})
	if err != nil || !plan.Empty() {
		t.Errorf("the exported document plans %v, %v; want nothing", plan, err)
	}
	r, err := desired.ApplyAll(ctx, m, doc, desired.ApplyOptions{})
	if err != nil || r.Err() != nil {
		t.Fatalf("apply: %v, %v", err, r.Err())
	}
	if env := program(t, m, "Web").Env; !slices.Equal(env, []string{"NODE_ENV=production", "API_TOKEN=s3cr3t"}) {
		t.Errorf("after applying the export: environment %v; want the secret kept", env)
	}
}

// A plan and an apply that change a secret variable show neither value:
// text and JSON.
func TestPlanHidesSecretEnv(t *testing.T) {
	ctx := context.Background()
	m := memory(t, hosted())
	doc, err := desired.Parse("web.yaml", []byte("services:\n- name: Web\n  program:\n    path: C:\\node\\node.exe\n    environment: [NODE_ENV=production, API_TOKEN=n3wt0k3n]\n"))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := desired.PlanAll(ctx, m, doc, desired.PlanOptions{})
	if err != nil || plan.Empty() {
		t.Fatalf("plan %v, %v; want the change", plan, err)
	}
	pj, _ := json.Marshal(plan)
	if want := "  program.environment.API_TOKEN      (hidden) -> (hidden)\n"; !strings.Contains(plan.String(), want) {
		t.Errorf("the plan does not show the change field by field (%q):\n%s", want, plan)
	}
	r, err := desired.ApplyAll(ctx, m, doc, desired.ApplyOptions{})
	if err != nil || r.Err() != nil {
		t.Fatalf("apply: %v, %v", err, r.Err())
	}
	rj, _ := json.Marshal(r)
	for what, out := range map[string]string{"plan": plan.String(), "plan JSON": string(pj), "apply": r.String(), "apply JSON": string(rj)} {
		if strings.Contains(out, "s3cr3t") || strings.Contains(out, "n3wt0k3n") {
			t.Errorf("the %s shows a secret:\n%s", what, out)
		}
	}
	if env := program(t, m, "Web").Env; !slices.Equal(env, []string{"NODE_ENV=production", "API_TOKEN=n3wt0k3n"}) {
		t.Errorf("after apply: environment %v", env)
	}
}

func program(t *testing.T, m *winsvc.Manager, name string) *host.Program {
	t.Helper()
	s, err := m.Load(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	p := s.Config().Program
	if p == nil {
		t.Fatalf("%s: no program", name)
	}
	return p
}
