package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/windows/registry"

	"github.com/winsvc/winsvc/internal/testbed"
)

// TestHostedSettingsRoundTrip: the program settings of a hosted service
// round-trip through get --json, export and apply, and a secret variable
// of its environment is in none of their outputs: export names it alone
// (with a warning on stderr), applying the export changes nothing and
// keeps the secret, and a document that changes an argument and adds a
// variable is planned field by field and applied, the secret kept. The
// Parameters key is read raw from the registry.
func TestHostedSettingsRoundTrip(t *testing.T) {
	if os.Getenv(envExe) == "" {
		t.Skipf("%s is not set: the service's program must be a built winsvc.exe (scripts/test.sh builds one)", envExe)
	}
	dir := testbed.TempDir(t)
	name := testbed.UniqueName(t, "hostset")
	testbed.CleanupService(t, name)
	const secret = "Tok3n-hostset-s3cret"
	prog := `C:\windows\system32\cmd.exe` // never started here
	winsvc(t, "create", name, "--program", prog, "--arg", "/c", "--arg", "exit", "--env", "MODE=prod",
		"--env", "API_TOKEN="+secret, "--restart", "never").ok(t, 0)
	env := func() []string {
		t.Helper()
		k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+name+`\Parameters`, registry.QUERY_VALUE)
		if err != nil {
			t.Fatalf("the Parameters key: %v", err)
		}
		defer k.Close()
		v, _, err := k.GetStringsValue("AppEnvironmentExtra")
		if err != nil {
			t.Fatalf("AppEnvironmentExtra: %v", err)
		}
		return v
	}
	if got := env(); !slices.Equal(got, []string{"MODE=prod", "API_TOKEN=" + secret}) {
		t.Fatalf("registry: AppEnvironmentExtra %q", got)
	}
	noSecret := func(r result) {
		t.Helper()
		if strings.Contains(r.stdout+r.stderr, secret) {
			t.Errorf("winsvc %q shows the secret:\n%s\n%s", r.args, r.stdout, r.stderr)
		}
	}

	r := winsvc(t, "get", name, "--json")
	r.ok(t, 0, `"program": {`, `"path": "C:\\windows\\system32\\cmd.exe"`, `"API_TOKEN=(hidden)"`, `"when": "never"`)
	noSecret(r)

	exported := filepath.Join(dir, "export.yaml")
	r = winsvc(t, "export", name, "-o", exported)
	r.ok(t, 0, "Exported 1 service")
	noSecret(r)
	if !strings.Contains(r.stderr, "API_TOKEN holds a secret") {
		t.Errorf("export: no warning about API_TOKEN:\n%s", r.stderr)
	}
	doc, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), secret) || !strings.Contains(string(doc), "API_TOKEN") || strings.Contains(string(doc), "API_TOKEN=") {
		t.Errorf("the export shows the secret or does not name API_TOKEN:\n%s", doc)
	}
	noSecret(winsvc(t, "plan", "-f", exported, "--detailed-exitcode"))
	winsvc(t, "plan", "-f", exported, "--detailed-exitcode").ok(t, 0, "1 unchanged")
	noSecret(winsvc(t, "apply", "-f", exported))
	if got := env(); !slices.Equal(got, []string{"MODE=prod", "API_TOKEN=" + secret}) {
		t.Errorf("after applying the export: AppEnvironmentExtra %q; want the secret kept", got)
	}

	// The program block is whole in a document: every setting it keeps.
	changed := "services:\n- name: " + name + "\n  program:\n    path: 'C:\\windows\\system32\\cmd.exe'\n" +
		"    args: [/c, echo]\n    environment: [MODE=prod, API_TOKEN, PORT=8080]\n    restart: {when: never}\n"
	file := filepath.Join(dir, "changed.yaml")
	if err := os.WriteFile(file, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	r = winsvc(t, "plan", "-f", file)
	r.ok(t, 0, "program.args[1]", "program.environment.PORT")
	noSecret(r)
	r = winsvc(t, "apply", "-f", file)
	r.ok(t, 0, "program.args[1]")
	noSecret(r)
	if got := env(); !slices.Equal(got, []string{"MODE=prod", "API_TOKEN=" + secret, "PORT=8080"}) {
		t.Errorf("after the change: AppEnvironmentExtra %q; want the secret kept and PORT added", got)
	}
	k, _ := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+name+`\Parameters`, registry.QUERY_VALUE)
	args, _, err := k.GetStringsValue("AppArguments")
	k.Close()
	if err != nil || !slices.Equal(args, []string{"/c", "echo"}) {
		t.Errorf("after the change: AppArguments %q, %v", args, err)
	}
}
