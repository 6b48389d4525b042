package desired_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
)

// Export writes every service with every setting, its descriptor and its
// run state; a name that cannot be read is recorded, and the others are
// exported.
func TestExport(t *testing.T) {
	ctx := context.Background()
	m := memory(t, standard()...)
	res, err := desired.Export(ctx, m, nil, desired.ExportOptions{Workers: serial, All: true})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	states := map[string]desired.State{}
	for _, s := range res.Document.Services {
		names = append(names, s.Name())
		states[s.Name()] = s.State
		if s.SecurityDescriptor == nil || !strings.HasPrefix(*s.SecurityDescriptor, "D:") {
			t.Errorf("%s: descriptor %v", s.Name(), s.SecurityDescriptor)
		}
	}
	if got := strings.Join(names, " "); got != "Base Held Idle MySvc Top" {
		t.Errorf("services %s, want every one, by name", got)
	}
	if states["MySvc"] != desired.Running || states["Idle"] != desired.Stopped || states["Held"] != desired.Paused {
		t.Errorf("states %v", states)
	}
	if len(res.Failed) != 0 || len(res.LeftOut) != 0 {
		t.Errorf("failed %v, left out %v", res.Failed, res.LeftOut)
	}
	b, _ := json.Marshal(res.Document.Services[3])
	for _, want := range []string{`"name":"MySvc","state":"running","displayName":"My Service"`, `"binaryPathName":"C:\\app\\svc.exe --port 8080"`,
		`"failureActions":{"resetPeriod":3600,`, `"requiredPrivileges":["SeChangeNotifyPrivilege"]`, `"securityDescriptor":"D:(A;;`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("MySvc's entry lacks %s:\n%s", want, b)
		}
	}

	res, err = desired.Export(ctx, m, []string{"Top", "Missing", "top"}, desired.ExportOptions{Workers: serial, NoState: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Document.Services) != 1 || res.Document.Services[0].Name() != "Top" || res.Document.Services[0].State != desired.Any {
		t.Errorf("named export: %+v", res.Document.Services)
	}
	if len(res.Failed) != 1 || res.Failed[0].Service != "Missing" || !errors.Is(res.Failed[0].Err, winsvc.ErrNotFound) {
		t.Fatalf("failures: %+v", res.Failed)
	}
	if b, _ := json.Marshal(res.Failed[0]); !strings.Contains(string(b), `"service":"Missing"`) || !strings.Contains(string(b), `"code":1060`) {
		t.Errorf("failure JSON: %s", b)
	}
}

// Export, apply, plan: nothing to do. And the export brings services that
// were changed since back to how they were.
func TestExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	m := memory(t, standard()...)
	before := snapshot(t, m)
	res, err := desired.Export(ctx, m, nil, desired.ExportOptions{Workers: serial, All: true})
	if err != nil {
		t.Fatal(err)
	}
	y, err := res.Document.YAML()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := desired.Parse("export.yaml", y)
	if err != nil {
		t.Fatalf("the export does not parse: %v\n%s", err, y)
	}
	if p := planOf(t, m, doc); !p.Empty() {
		t.Errorf("plan of the export:\n%s", p)
	}
	r, err := desired.ApplyAll(ctx, m, doc, desired.ApplyOptions{Workers: serial})
	if err != nil || r.Count(desired.Unchanged) != 5 {
		t.Errorf("apply of the export: %v\n%s", err, r)
	}

	// Someone changes things; applying the export undoes it.
	svc, _ := m.Load(ctx, "MySvc")
	svc.Update(func(c *winsvc.Config) {
		c.StartType, c.Description, c.Dependencies = winsvc.Disabled, "changed", []winsvc.Dependency{winsvc.GroupDependency("G")}
	})
	if _, err := svc.Save(ctx, winsvc.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetSecurityDescriptor(ctx, "D:(A;;GA;;;SY)(A;;GA;;;BA)", winsvc.SecurityOptions{}); err != nil {
		t.Fatal(err)
	}
	top, _ := m.Service("Top")
	if err := top.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	held, _ := m.Service("Held")
	if err := held.Continue(ctx); err != nil {
		t.Fatal(err)
	}
	p := planOf(t, m, doc)
	want := map[string]string{"MySvc": "startType dependencies description securityDescriptor", "Top": "state", "Held": "state"}
	for _, sp := range p.Services {
		var fields []string
		for _, c := range sp.Changes {
			fields = append(fields, string(c.Field))
		}
		if got := strings.Join(fields, " "); got != want[sp.Name] {
			t.Errorf("%s: plan changes %q, want %q", sp.Name, got, want[sp.Name])
		}
	}
	if r, err := desired.ApplyAll(ctx, m, doc, desired.ApplyOptions{Workers: serial}); err != nil || r.Count(desired.Changed) != 3 {
		t.Fatalf("apply: %v\n%s", err, r)
	}
	if after := snapshot(t, m); after != before {
		t.Errorf("the services are not back as exported:\n%s\nwant\n%s", after, before)
	}
	if p := planOf(t, m, doc); !p.Empty() {
		t.Errorf("plan after the apply:\n%s", p)
	}
}
