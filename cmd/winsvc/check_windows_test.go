package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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

// TestExportUnquoted: export of a service another program stored with an
// unquoted program path with spaces writes the command line as the SCM
// holds it (the registry's ImagePath), warns on stderr and in its JSON,
// naming 'winsvc check'; plan of that export plans nothing
// (--detailed-exitcode: 0) and warns the same, in text and JSON.
func TestExportUnquoted(t *testing.T) {
	name := testbed.UniqueName(t, "unq")
	testbed.RawCreate(t, name, `C:\Program Files\Legacy App\legacy.exe -x`)
	image := testbed.ServiceRegistry(t, name)["ImagePath"]
	file := filepath.Join(testbed.TempDir(t), "export.json")
	r := winsvc(t, "export", name, "-o", file, "--json")
	r.ok(t, 0)
	var res struct {
		Warnings []struct{ Service, Field, Message string }
	}
	r.decode(t, &res)
	if len(res.Warnings) != 1 || res.Warnings[0].Service != name || res.Warnings[0].Field != "binaryPathName" ||
		!strings.Contains(res.Warnings[0].Message, "'winsvc check'") || !strings.Contains(r.stderr, "'winsvc check'") {
		t.Errorf("export --json of an unquoted path: %s\nstderr: %s", r.stdout, r.stderr)
	}
	doc, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := json.Marshal(image); !strings.Contains(string(doc), `"binaryPathName": `+string(want)) {
		t.Errorf("export wrote\n%s\nwant binaryPathName %s, the registry's ImagePath", doc, want)
	}
	r = winsvc(t, "plan", "-f", file, "--detailed-exitcode")
	r.ok(t, 0, "0 to create, 0 to update, 0 to delete, 1 unchanged.")
	if !strings.Contains(r.stderr, name) || !strings.Contains(r.stderr, "'winsvc check'") {
		t.Errorf("plan of an unquoted path does not warn: %q", r.stderr)
	}
	r = winsvc(t, "plan", "-f", file, "--json")
	r.ok(t, 0, `"warnings"`, `'winsvc check'`)
	if got := testbed.ServiceRegistry(t, name)["ImagePath"]; got != image {
		t.Errorf("ImagePath after export and plan: %q, was %q", got, image)
	}
}
