package winsvc_test

// Package desired on the in-memory SCM where its tests need what only this
// package's tests can make (export_test.go): an SCM with Wine's
// departures, and services stored as other tools store them.

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/winsvctest"
)

// A document that sets what an SCM accepts but cannot report back (on an
// in-memory SCM with Wine's departures: failure actions, dropped; a
// security descriptor, not stored) plans it as "cannot be compared on this
// SCM", apart from the changes: the plan is empty (plan
// --detailed-exitcode exits 0). Each apply writes it once and reports it
// as written, not verifiable, never as changed, so that applying again
// changes nothing.
func TestUncomparableSettings(t *testing.T) {
	ctx := context.Background()
	m, ops := winsvc.ConnectMemoryWine()
	svc, err := m.New(winsvc.Definition{Name: "W", BinaryPath: `C:\w.exe`})
	if err == nil {
		_, err = svc.Save(ctx, winsvc.SaveOptions{})
	}
	if err != nil {
		t.Fatal(err)
	}
	doc, err := desired.Parse("w.yaml", []byte("services:\n  - name: W\n    failureActions: {resetPeriod: 60, actions: [{type: restart, delay: 1000}]}\n"+
		"    securityDescriptor: D:(A;;GA;;;SY)(A;;GA;;;BA)\n"))
	if err != nil {
		t.Fatal(err)
	}
	fields := func(cs []winsvc.Change) []winsvc.Field {
		var out []winsvc.Field
		for _, c := range cs {
			out = append(out, c.Field)
		}
		return out
	}
	want := []winsvc.Field{winsvc.FieldFailureActions, winsvc.FieldSecurityDescriptor}
	p, err := desired.PlanAll(ctx, m, doc, desired.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sp := p.Services[0]
	if sp.Err != nil || sp.Action != desired.ActionNone || len(sp.Changes) != 0 || !slices.Equal(fields(sp.Uncomparable), want) || !p.Empty() {
		t.Errorf("plan: %+v; want no change, and %v that cannot be compared", sp, want)
	}
	if text := p.String(); !strings.Contains(text, "W: cannot be compared on this SCM") ||
		!strings.Contains(text, "1 unchanged; 2 settings of 1 service cannot be compared on this SCM.") {
		t.Errorf("plan text:\n%s", text)
	}
	if n, _ := p.Uncomparable(); n != 2 {
		t.Errorf("Uncomparable() = %d; want 2", n)
	}
	for i := 1; i <= 2; i++ {
		before := len(ops())
		r, err := desired.ApplyAll(ctx, m, doc, desired.ApplyOptions{})
		if err != nil {
			t.Fatalf("apply %d: %v", i, err)
		}
		s := r.Services[0]
		unverified := []winsvc.Field{}
		for _, u := range s.Unverified {
			unverified = append(unverified, u.Field)
		}
		if s.Outcome != desired.Unchanged || len(s.Changes) != 0 || !slices.Equal(unverified, want) {
			t.Errorf("apply %d: %+v; want unchanged, %v written and not verifiable", i, s, want)
		}
		if text := r.String(); !strings.Contains(text, "W: written, not verifiable on this SCM") ||
			!strings.Contains(text, "Apply: 0 changed, 1 unchanged, 0 failed; 2 settings of 1 service written, not verifiable on this SCM.") {
			t.Errorf("apply %d text:\n%s", i, text)
		}
		calls := strings.Join(ops()[before:], "\n")
		if !strings.Contains(calls, "changeConfig2 W") || !strings.Contains(calls, "setSecurityDescriptor W") {
			t.Errorf("apply %d did not write the settings once: %s", i, calls)
		}
	}
	exp, err := desired.Export(ctx, m, []string{"W"}, desired.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if e := exp.Document.Services[0]; e.SecurityDescriptor != nil || e.Definition.FailureActions != nil ||
		!slices.Contains(exp.LeftOut["W"], winsvc.FieldSecurityDescriptor) || !slices.Contains(exp.LeftOut["W"], winsvc.FieldFailureActions) {
		t.Errorf("export: %+v, left out %v; want neither the descriptor this SCM answers for every service nor the failure actions", e, exp.LeftOut)
	}
}

// An export writes every command line as the SCM holds it, an unquoted
// program path with spaces too (it used to be quoted by the export, so
// that its plan rewrote it, or written so that its plan refused it), and
// warns about those, naming `winsvc check`. Planning and applying the
// export at once change nothing, and warn the same.
func TestExportKeepsUnquotedPaths(t *testing.T) {
	ctx := context.Background()
	m := winsvctest.Connect()
	stored := map[string]string{
		"Exe":   `C:\Program Files\x\svc.exe -a`, // where the program ends is clear: winsvc would quote it
		"NoExe": `C:\Program Files\x\svc -a`,     // unclear: winsvc would refuse it
		"Fine":  `C:\app\svc.exe -a "b c"`,
	}
	for name, cmd := range stored {
		winsvc.AddStored(m, name, cmd)
	}
	res, err := desired.Export(ctx, m, []string{"Exe", "NoExe", "Fine"}, desired.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	warned := func(ws []desired.Warning) []string {
		var out []string
		for _, w := range ws {
			if w.Field == winsvc.FieldBinaryPath && strings.Contains(w.Message, "'winsvc check'") {
				out = append(out, w.Service)
			}
		}
		slices.Sort(out)
		return out
	}
	if got := warned(res.Warnings); !slices.Equal(got, []string{"Exe", "NoExe"}) {
		t.Errorf("export warned about %v (%v); want Exe and NoExe, naming winsvc check", got, res.Warnings)
	}
	y, err := res.Document.YAML()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := desired.Parse("export.yaml", y)
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	for _, s := range doc.Services {
		if got, _ := json.Marshal(s.Definition); !strings.Contains(string(got), mustJSON(t, stored[s.Name()])) {
			t.Errorf("%s exported as %s; want the stored command line %s", s.Name(), got, stored[s.Name()])
		}
	}
	p, err := desired.PlanAll(ctx, m, doc, desired.PlanOptions{})
	if err != nil || !p.Empty() || len(p.Failures()) > 0 {
		t.Fatalf("plan of the export: %v\n%s", err, p)
	}
	if got := warned(p.Warnings); !slices.Equal(got, []string{"Exe", "NoExe"}) {
		t.Errorf("plan warned about %v; want Exe and NoExe", got)
	}
	r, err := desired.ApplyAll(ctx, m, doc, desired.ApplyOptions{})
	if err != nil || r.Count(desired.Unchanged) != 3 {
		t.Fatalf("apply of the export: %v\n%s", err, r)
	}
	for name, cmd := range stored {
		s, err := m.Load(ctx, name)
		if err != nil || s.Config().BinaryPathName != cmd {
			t.Errorf("%s after the apply: %v; want the command line %s", name, err, cmd)
		}
		// The library's own round trip: Config.Definition applied to the
		// service it came from changes nothing.
		if err := s.Apply(s.Config().Definition()); err != nil {
			t.Fatalf("%s: Apply(Definition()): %v", name, err)
		}
		if res, err := s.Save(ctx, winsvc.SaveOptions{DryRun: true}); err != nil || !res.Plan.Empty() {
			t.Errorf("%s: Save of its own Definition: %v, %v", name, err, res)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
