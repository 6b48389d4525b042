package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
)

// The run cases of the desired-state verbs (export, plan, apply), against
// the fake services of verbs_test.go; TestRunEveryVerb runs them with the
// others.
func init() { runCases = append(runCases, desiredRunCases...) }

// doc names a document of testdata/desired.
func doc(name string) string { return filepath.Join("testdata", "desired", name+".yaml") }

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
	{args: []string{"plan", "-f", doc("missing")}, code: 1},
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
	dir := t.TempDir()
	for _, name := range []string{"all.yaml", "all.json"} {
		file := filepath.Join(dir, name)
		m, code, stdout, stderr := runFake(t, runCase{args: []string{"export", "--all", "-o", file}})
		if code != 0 || stdout != "Exported 6 services to "+file+".\n" || stderr != "" {
			t.Errorf("export -o %s: exit %d\n%s%s", name, code, stdout, stderr)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if isJSON := strings.HasPrefix(string(b), "{"); isJSON != strings.HasSuffix(name, ".json") {
			t.Errorf("%s:\n%s", name, b)
		}
		_ = m
		_, code, stdout, stderr = runFake(t, runCase{args: []string{"plan", "-f", file, "--detailed-exitcode"}})
		if code != 0 || !strings.Contains(stdout, "0 to create, 0 to update, 0 to delete, 6 unchanged") {
			t.Errorf("plan of the export: exit %d\n%s%s", code, stdout, stderr)
		}
	}
	_, code, stdout, _ := runFake(t, runCase{args: []string{"export", "MySvc", "-o", filepath.Join(dir, "one.yaml"), "--json"}})
	if code != 0 || !strings.Contains(stdout, `"services": 1`) {
		t.Errorf("export -o --json: exit %d\n%s", code, stdout)
	}
}
