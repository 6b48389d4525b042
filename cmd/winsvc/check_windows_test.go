package main

import (
	"testing"

	"github.com/winsvc/winsvc/internal/testbed"
)

// TestCheckUnquoted: check reports the services another program stored with
// an unquoted program path with spaces (created here with raw CreateService
// calls, since winsvc refuses to store one), and not the services winsvc
// created; the fix it shows, given to config, makes the service pass.
func TestCheckUnquoted(t *testing.T) {
	clear := testbed.UniqueName(t, "unq")
	testbed.RawCreate(t, clear, `C:\Program Files\Legacy App\legacy.exe -x`)
	unclear := testbed.UniqueName(t, "unq")
	testbed.RawCreate(t, unclear, `C:\Some Dir\tool arg`)
	quoted, _ := newService(t, "normal")
	for _, name := range []string{clear, unclear} { // what the SCM stored, read independently
		t.Logf("%s: ImagePath %s", name, testbed.ServiceRegistry(t, name)["ImagePath"])
	}

	winsvc(t, "check", clear).ok(t, 2, "SERVICE_NAME: "+clear, `BINARY_PATH_NAME   : C:\Program Files\Legacy App\legacy.exe -x`,
		`QUOTED             : "C:\Program Files\Legacy App\legacy.exe" -x`, "SERVICE_START_NAME : LocalSystem")
	winsvc(t, "check", unclear).ok(t, 2, `C:\Some Dir\tool arg`, "quote it by hand")
	winsvc(t, "check", quoted).ok(t, 0, "No service has an unquoted program path with spaces (1 checked).")

	type finding struct{ Name, BinaryPathName, Quoted string }
	var doc struct {
		Checked  int
		Unquoted []finding
	}
	r := winsvc(t, "check", "--json")
	r.ok(t, 2)
	r.decode(t, &doc)
	found := map[string]finding{}
	for _, f := range doc.Unquoted {
		found[f.Name] = f
	}
	want := map[string]finding{
		clear:   {clear, `C:\Program Files\Legacy App\legacy.exe -x`, `"C:\Program Files\Legacy App\legacy.exe" -x`},
		unclear: {unclear, `C:\Some Dir\tool arg`, ""},
	}
	for name, w := range want {
		if found[name] != w {
			t.Errorf("check --json: %s is %+v, want %+v", name, found[name], w)
		}
	}
	if _, ok := found[quoted]; ok || doc.Checked < 3 {
		t.Errorf("check --json: checked %d, reports %+v", doc.Checked, found)
	}

	// The fix: config with the quoted form; then the service passes.
	winsvc(t, "config", clear, "binPath=", want[clear].Quoted).ok(t, 0)
	if got := testbed.ServiceRegistry(t, clear)["ImagePath"]; got != want[clear].Quoted {
		t.Errorf("ImagePath after the fix: %q", got)
	}
	winsvc(t, "check", clear, "--json").ok(t, 0, `"unquoted": []`)
}
