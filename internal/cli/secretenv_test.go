package cli

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/host"
)

// withSecretEnv makes MySvc a hosted service whose program's environment
// holds a secret, API_TOKEN=s3cr3tv4lue.
func withSecretEnv(conn SCM) SCM {
	svc, err := conn.Load(context.Background(), "MySvc")
	if err == nil {
		svc.Update(func(c *winsvc.Config) {
			c.Program = &host.Program{Path: `C:\app\node.exe`, Env: []string{"MODE=prod", "API_TOKEN=s3cr3tv4lue"}}
		})
		_, err = svc.Save(context.Background(), winsvc.SaveOptions{})
	}
	if err != nil {
		panic(err)
	}
	return conn
}

// TestSecretEnvNeverShown: the value of a secret variable of a hosted
// program's environment is in no output of the verbs that show the
// program (get, get --json, export in YAML and JSON, a dry run of config
// that changes it); export warns that it leaves it out, and a config
// that sets it keeps it out of its output too.
func TestSecretEnvNeverShown(t *testing.T) {
	quiet := map[string]bool{"get MySvc": true, "config MySvc --env API_TOKEN=n3wv4lue": true} // outputs that do not list the program
	for _, c := range []runCase{
		{args: []string{"get", "MySvc"}},
		{args: []string{"get", "MySvc", "--json"}},
		{args: []string{"export", "MySvc"}},
		{args: []string{"export", "MySvc", "--format", "json"}},
		{args: []string{"config", "MySvc", "--env", "API_TOKEN=n3wv4lue", "--dry-run"}},
		{args: []string{"config", "MySvc", "--env", "API_TOKEN=n3wv4lue", "--json"}},
		{args: []string{"config", "MySvc", "--env", "API_TOKEN=n3wv4lue"}},
	} {
		c.conn = withSecretEnv
		m, code, stdout, stderr := runFake(t, c)
		if code != 0 {
			t.Errorf("%q: exit %d: %s", c.args, code, stderr)
		}
		for _, secret := range []string{"s3cr3tv4lue", "n3wv4lue"} {
			if strings.Contains(stdout+stderr, secret) {
				t.Errorf("%q shows a secret:\nstdout %s\nstderr %s", c.args, stdout, stderr)
			}
		}
		if !quiet[strings.Join(c.args, " ")] && !strings.Contains(stdout+stderr, "API_TOKEN") {
			t.Errorf("%q does not name API_TOKEN:\nstdout %s\nstderr %s", c.args, stdout, stderr)
		}
		if slices.Contains(c.args, "--dry-run") && !strings.Contains(stdout, "  program.environment.API_TOKEN      (hidden) -> (hidden)\n") ||
			slices.Contains(c.args, "--json") && c.args[0] == "config" && !strings.Contains(stdout, `"field": "program.environment.MODE"`) {
			t.Errorf("%q: the plan does not show the environment's changes field by field:\n%s", c.args, stdout)
		}
		if c.args[0] == "export" && !strings.Contains(stderr, "API_TOKEN holds a secret") {
			t.Errorf("%q: no warning about API_TOKEN: %s", c.args, stderr)
		}
		if len(c.args) == 4 && c.args[3] == "API_TOKEN=n3wv4lue" {
			s, err := m.Load(context.Background(), "MySvc")
			if err != nil || !slices.Equal(s.Config().Program.Env, []string{"API_TOKEN=n3wv4lue"}) {
				t.Errorf("%q: environment %v, %v", c.args, s.Config().Program, err)
			}
		}
	}
}
