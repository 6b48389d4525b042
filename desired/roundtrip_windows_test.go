//go:build windows

package desired_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/windows/registry"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/internal/testbed"
)

// These tests run against a real Service Control Manager: Wine's under
// scripts/test.sh, or Windows' (as administrator) on the CI's Windows
// runner. What they check is read back independently of winsvc: the
// registry (testbed.ServiceRegistry), the status (testbed.QueryStatus).

// hasRegistryKey reports whether service name has a key under
// HKLM\SYSTEM\CurrentControlSet\Services.
func hasRegistryKey(name string) bool {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+name, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	k.Close()
	return true
}

func connect(t testing.TB) *winsvc.Manager {
	t.Helper()
	m, err := winsvc.Connect()
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// Export every service of the machine, apply the export, plan it again:
// nothing to do, and nothing changed in the registry. Settings the SCM
// cannot read are left out of the export, not exported as zero.
func TestRoundTripEveryService(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	res, err := desired.Export(ctx, m, nil, desired.ExportOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Failed {
		if errors.Is(f.Err, winsvc.ErrMarkedForDelete) || errors.Is(f.Err, winsvc.ErrNotFound) {
			// Left over by another package's tests, on its way out.
			t.Logf("export: %s: %v", f.Service, f.Err)
			continue
		}
		t.Errorf("export: %s: %v", f.Service, f.Err)
	}
	t.Logf("%d services exported", len(res.Document.Services))
	before := map[string]map[string]string{}
	for _, s := range res.Document.Services {
		if hasRegistryKey(s.Name()) {
			before[s.Name()] = testbed.ServiceRegistry(t, s.Name())
		} else {
			t.Logf("%s has no registry key (Wine's SCM makes its winedevice services at run time): its registry is not compared", s.Name())
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var keys map[string]json.RawMessage
		json.Unmarshal(b, &keys)
		for _, f := range res.LeftOut[s.Name()] {
			if _, ok := keys[string(f)]; ok {
				t.Errorf("%s: %s could not be read but is exported: %s", s.Name(), f, keys[string(f)])
			}
		}
		if testbed.IsWine() && !slices.Contains(res.LeftOut[s.Name()], winsvc.FieldFailureActions) {
			t.Errorf("%s: Wine's SCM cannot read failure actions (docs/wine-scm.md §4), yet they were exported", s.Name())
		}
	}
	y, err := res.Document.YAML()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := desired.Parse("export.yaml", y)
	if err != nil {
		t.Fatalf("the export does not parse: %v", err)
	}
	r, err := desired.ApplyAll(ctx, m, doc, desired.ApplyOptions{})
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, r)
	}
	if n := r.Count(desired.Unchanged); n != len(doc.Services) {
		t.Errorf("apply of the export changed %d of %d services:\n%s", len(doc.Services)-n, len(doc.Services), r)
	}
	p, err := desired.PlanAll(ctx, m, doc, desired.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() {
		t.Errorf("plan after the apply:\n%s", p)
	}
	for name, reg := range before {
		if diff := testbed.RegistryDiff(reg, testbed.ServiceRegistry(t, name)); len(diff) > 0 {
			t.Errorf("%s's registry changed: %s", name, strings.Join(diff, "; "))
		}
	}
}

// Services whose command lines another tool stored with an unquoted
// program path with spaces (one where the program's end is clear, one
// where it is not): their export holds each command line exactly as the
// registry's ImagePath, with a warning naming `winsvc check`; planning the
// export plans nothing (and warns the same), and applying it changes
// nothing in the registry.
func TestRoundTripUnquotedPaths(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	exe, noExe := testbed.UniqueName(t, "ds"), testbed.UniqueName(t, "ds")
	testbed.RawCreate(t, exe, `C:\Program Files\winsvc test\svc.exe -a`)
	testbed.RawCreate(t, noExe, `C:\Program Files\winsvc test\svc -a`)
	names := []string{exe, noExe}
	before := map[string]map[string]string{}
	for _, n := range names {
		before[n] = testbed.ServiceRegistry(t, n)
	}
	res, err := desired.Export(ctx, m, names, desired.ExportOptions{})
	if err != nil || len(res.Failed) > 0 {
		t.Fatalf("export: %v, %v", err, res.Failed)
	}
	warned := func(ws []desired.Warning) []string {
		var out []string
		for _, w := range ws {
			if strings.Contains(w.Message, "'winsvc check'") {
				out = append(out, w.Service)
			}
		}
		return out
	}
	if got := warned(res.Warnings); !slices.Equal(got, names) {
		t.Errorf("export warned about %v; want %v, naming winsvc check", got, names)
	}
	y, err := res.Document.YAML()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := desired.Parse("export.yaml", y)
	if err != nil {
		t.Fatalf("the export does not parse: %v\n%s", err, y)
	}
	for _, s := range doc.Services {
		b, _ := json.Marshal(s.Definition)
		var keys map[string]string
		json.Unmarshal(b, &keys)
		if got, want := keys["binaryPathName"], before[s.Name()]["ImagePath"]; got != want {
			t.Errorf("%s: exported binaryPathName %q; the registry's ImagePath is %q", s.Name(), got, want)
		}
	}
	p, err := desired.PlanAll(ctx, m, doc, desired.PlanOptions{})
	if err != nil || !p.Empty() {
		t.Fatalf("plan of the export: %v\n%s", err, p)
	}
	if got := warned(p.Warnings); !slices.Equal(got, names) {
		t.Errorf("plan warned about %v; want %v", got, names)
	}
	r, err := desired.ApplyAll(ctx, m, doc, desired.ApplyOptions{})
	if err != nil || r.Count(desired.Unchanged) != 2 {
		t.Fatalf("apply of the export: %v\n%s", err, r)
	}
	for _, n := range names {
		if diff := testbed.RegistryDiff(before[n], testbed.ServiceRegistry(t, n)); len(diff) > 0 {
			t.Errorf("%s's registry changed: %s", n, strings.Join(diff, "; "))
		}
	}
}
