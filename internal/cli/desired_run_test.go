package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
)

// doc names a document of testdata/desired (with slashes, which Windows
// takes too, so that the transcripts are the same everywhere).
func doc(name string) string { return "testdata/desired/" + name + ".yaml" }

// desiredRunCases are the run cases of the desired-state verbs (export,
// plan, apply), against the fake services of verbs_test.go; allRunCases
// adds them to the others.
var desiredRunCases = []runCase{
	{args: []string{"export", "MySvc"}},
	{args: []string{"export", "Top", "Base", "--json", "--no-state"}},
	{args: []string{"export", "Missing", "Base"}, code: 1060},
	{args: []string{"export"}},
	{args: []string{"export", "Missing", "--all", "--json"}, code: 1060},
	{args: []string{"export", "--all", "--format", "toml"}, code: 87},

	{args: []string{"plan", "-f", doc("change")}},
	{args: []string{"plan", "-f", doc("change"), "--detailed-exitcode", "--json"}, code: exitChanges},
	{args: []string{"plan", doc("unchanged"), "--detailed-exitcode"}},
	{args: []string{"plan", doc("unchanged"), "-f", doc("change")}, code: 87},
	{args: []string{"plan", "-f", doc("bad")}, code: 87},
	{args: []string{"plan", "-f", doc("bad"), "--json"}, code: 87},
	{args: []string{"plan", "-f", "-"}, stdin: "services:\n  - name: Top\n    state: stopped\n"},
	{args: []string{"plan"}, code: 87},

	{args: []string{"apply", "-f", doc("change")}, check: both(
		config("MySvc", func(c *winsvc.Config) bool {
			return c.StartType == winsvc.DemandStart && c.Description == "Changed by a document" && len(c.RequiredPrivileges) == 1
		}),
		both(states("Paused", winsvc.Running, "New", winsvc.Running), exists("Stopped", false)))},
	{args: []string{"apply", "-f", doc("change"), "--dry-run"}, check: both(unchanged, exists("New", false))},
	{args: []string{"apply", "-f", doc("unchanged"), "--json"}, check: unchanged},
	{args: []string{"apply", "-f", doc("conflict")}, code: 1051, check: both(unchanged, exists("New", false))},
	{args: []string{"apply", "-f", doc("conflict"), "--continue-on-error", "--json"}, code: 1051, check: both(states("Base", winsvc.Running), exists("New", true))},
	{args: []string{"apply", "-f", doc("user"), "--password-stdin"}, stdin: "s3cret\n", env: map[string]string{"SVC_PASSWORD": "fromenv"},
		check: both(config("New", func(c *winsvc.Config) bool { return c.ServiceStartName == `.\svcuser` }), exists("Other", true))},
	{args: []string{"apply", "-f", doc("user"), "--json"}, env: map[string]string{"SVC_PASSWORD": "fromenv"}, code: 1,
		check: both(exists("New", true), exists("Other", false))},
	{args: []string{"apply", "-f", "-", "--password-stdin"}, code: 87},
	{args: []string{"apply", "-f", "-", "--timeout", "1m"}, stdin: "services:\n  - name: Top\n    state: paused\n", check: states("Top", winsvc.Paused, "Base", winsvc.Running)},
}

// export -o writes the document to a file, in the format of its extension,
// and apply reads it back unchanged.
func TestExportToFile(t *testing.T) {
	for _, ext := range []string{".yaml", ".json"} {
		file := tempName(t, ext)
		m, code, stdout, stderr := runFake(t, runCase{args: []string{"export", "--all", "-o", file}})
		if code != 0 || stdout != "Exported 6 services to "+file+".\n" || stderr != "" {
			t.Errorf("export -o %s: exit %d\n%s%s", file, code, stdout, stderr)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if isJSON := strings.HasPrefix(string(b), "{"); isJSON != (ext == ".json") {
			t.Errorf("%s:\n%s", file, b)
		}
		if !strings.Contains(string(b), "MySvc") || len(loaded(t, m, "MySvc").Description) == 0 {
			t.Errorf("%s does not hold MySvc:\n%s", file, b)
		}
		_, code, stdout, stderr = runFake(t, runCase{args: []string{"plan", "-f", file, "--detailed-exitcode"}})
		if code != 0 || !strings.Contains(stdout, "0 to create, 0 to update, 0 to delete, 6 unchanged") {
			t.Errorf("plan of the export: exit %d\n%s%s", code, stdout, stderr)
		}
	}
	_, code, stdout, _ := runFake(t, runCase{args: []string{"export", "MySvc", "-o", tempName(t, ".yaml"), "--json"}})
	if code != 0 || !strings.Contains(stdout, `"services": 1`) {
		t.Errorf("export -o --json: exit %d\n%s", code, stdout)
	}
}

// tempName returns the name of a new empty file ending in ext, removed
// after the test. (t.TempDir's cleanup fails under Wine, where these tests
// run too.)
func tempName(t *testing.T, ext string) string {
	t.Helper()
	f, err := os.CreateTemp("", "winsvc-export-*"+ext)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	t.Cleanup(func() { os.Remove(f.Name()) })
	return f.Name()
}

// A document that does not exist is a bad parameter (87) naming the file (the
// operating system's words differ: no transcript).
func TestPlanMissingFile(t *testing.T) {
	_, code, stdout, stderr := runFake(t, runCase{args: []string{"plan", "-f", doc("missing")}})
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "testdata/desired/missing.yaml") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}
