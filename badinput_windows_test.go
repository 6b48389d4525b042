//go:build windows

package winsvc_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/testbed"
	"github.com/winsvc/winsvc/internal/testbed/badinput"
)

// TestBadDefinitionsUnderWine saves every invalid definition of
// badDefinitions against the real SCM: each fails as it should, and every
// service's configuration (the registry) and status (a raw enumeration),
// read without winsvc before and after each, are the same.
func TestBadDefinitionsUnderWine(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	e := badEnv{svc: testbed.UniqueName(t, "bad"), base: testbed.UniqueName(t, "bad"), top: testbed.UniqueName(t, "bad"),
		new: testbed.UniqueName(t, "bad"), exe: testbed.ServiceExe(t), dir: testbed.TempDir(t)}
	if err := os.WriteFile(filepath.Join(e.dir, "a file"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.display = "Bad Definitions " + e.svc
	testbed.CleanupService(t, e.new) // in case one is created after all
	for _, d := range []winsvc.Definition{
		{Name: e.svc, DisplayName: e.display, BinaryPath: e.exe}, {Name: e.base, BinaryPath: e.exe},
		{Name: e.top, BinaryPath: e.exe, Dependencies: []winsvc.Dependency{winsvc.ServiceDependency(e.base)}},
	} {
		testbed.CleanupService(t, d.Name)
		s, err := m.New(d)
		if err == nil {
			_, err = s.Save(ctx, winsvc.SaveOptions{})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	before := testbed.TakeSnapshot(t)
	for _, b := range badDefinitions(e) {
		checkBad(t, b, saveBad(ctx, m, b))
		if after := testbed.TakeSnapshot(t); after != before {
			t.Errorf("%s changed the services:\n%s", b.name, badinput.DiffLines(before, after))
			before = after
		}
	}
}
