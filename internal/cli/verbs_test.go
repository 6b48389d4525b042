package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/trigger"
	"github.com/winsvc/winsvc/winsvctest"
)

// Every verb runs here end to end, in-process: parse, run and render,
// against winsvctest.Connect (an SCM in memory that behaves as Windows
// documents), with in-memory streams. Each case checks the exit status; its
// stdout and stderr go to a transcript per verb, compared with
// testdata/run/VERB.txt (go test -update rewrites them); a case of a verb
// that changes something checks the SCM afterwards, through the library's
// API. What the in-memory SCM does not model (waits that take time, Wine's
// quirks) is covered by cmd/winsvc's tests under Wine.

// fakeServices are the services every case starts with.
var fakeServices = []struct {
	def   winsvc.Definition
	state winsvc.State
}{
	{winsvc.Definition{Name: "MySvc", DisplayName: "My Service", CommandLine: `C:\app\svc.exe --port 8080`, StartType: winsvc.Ptr(winsvc.AutoStart),
		Description: winsvc.Ptr("Serves the API"), SIDType: winsvc.Ptr(winsvc.SIDTypeUnrestricted),
		FailureActions:     &winsvc.FailureActions{ResetPeriod: winsvc.ResetAfter(time.Hour), Actions: []winsvc.Action{winsvc.RestartAction(time.Second)}},
		RequiredPrivileges: []string{"SeChangeNotifyPrivilege"}, PreferredNode: &winsvc.PreferredNode{Set: true},
		Triggers: []trigger.Trigger{{Type: trigger.TypeDomainJoin, Action: trigger.Start, Subtype: trigger.DomainJoin}}}, winsvc.Running},
	{winsvc.Definition{Name: "Stopped", DisplayName: "Stopped Service", CommandLine: `C:\app\stopped.exe`}, winsvc.Stopped},
	{winsvc.Definition{Name: "Paused", CommandLine: `C:\app\paused.exe`}, winsvc.Paused},
	{winsvc.Definition{Name: "Base", CommandLine: `C:\app\base.exe`}, winsvc.Running},
	{winsvc.Definition{Name: "Top", CommandLine: `C:\app\top.exe`, Dependencies: []winsvc.Dependency{winsvc.ServiceDependency("Base")}}, winsvc.Running},
	{winsvc.Definition{Name: "Template", CommandLine: `C:\app\template.exe`, ServiceType: winsvc.UserOwnProcess}, winsvc.Stopped},
}

// newFake returns an in-memory SCM holding fakeServices.
func newFake(t *testing.T) *winsvc.Manager {
	t.Helper()
	ctx := context.Background()
	m := winsvctest.Connect()
	for _, f := range fakeServices {
		svc, err := m.New(f.def)
		if err == nil {
			_, err = svc.Save(ctx, winsvc.SaveOptions{})
		}
		if err == nil && f.state != winsvc.Stopped {
			err = svc.Start(ctx)
		}
		if err == nil && f.state == winsvc.Paused {
			err = svc.Pause(ctx)
		}
		if err != nil {
			t.Fatalf("fake service %s: %v", f.def.Name, err)
		}
	}
	return m
}

// keepOpen is the connection the factory hands out: Run closes it, and the
// test still reads the SCM afterwards.
type keepOpen struct {
	*winsvc.Manager
	closed *int
}

func (k keepOpen) Close() error {
	*k.closed++
	return nil
}

// runCase is one command line run against a fresh fake.
type runCase struct {
	args  []string
	stdin string
	env   map[string]string // the environment; nothing else is set
	code  int
	// sameAs names a golden file of testdata that stdout must equal
	// (output pinned there already); the transcript then names the file.
	sameAs string
	// interrupt cancels the run's context, as Ctrl-C does, once it has
	// printed something (watch runs until then).
	interrupt bool
	tty       bool // stderr is a terminal
	// check looks at the SCM after the run. Every successful run of a verb
	// that changes something has one (TestEveryVerbRuns).
	check func(t *testing.T, m *winsvc.Manager)
	// conn, when set, stands between the verb and the fake: it shows what
	// the in-memory SCM cannot hold (a command line winsvc refuses to store),
	// or brings the fake to a state for the case first.
	conn func(SCM) SCM
}

// The checks.

// loaded reads service name's configuration.
func loaded(t *testing.T, m *winsvc.Manager, name string) *winsvc.Config {
	t.Helper()
	svc, err := m.Load(context.Background(), name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return svc.Config()
}

// states wants each service in a state: name, state, name, state, ...
func states(pairs ...any) func(t *testing.T, m *winsvc.Manager) {
	return func(t *testing.T, m *winsvc.Manager) {
		t.Helper()
		for i := 0; i < len(pairs); i += 2 {
			name, want := pairs[i].(string), pairs[i+1].(winsvc.State)
			svc, _ := m.Service(name)
			st, err := svc.Status(context.Background())
			if err != nil || st.State != want {
				t.Errorf("%s: %v, %v; want %v", name, st.State, err, want)
			}
		}
	}
}

// config wants ok to hold for service name's configuration.
func config(name string, ok func(c *winsvc.Config) bool) func(t *testing.T, m *winsvc.Manager) {
	return func(t *testing.T, m *winsvc.Manager) {
		t.Helper()
		if c := loaded(t, m, name); !ok(c) {
			t.Errorf("%s: configuration not as wanted: %+v", name, c)
		}
	}
}

// exists wants service name installed, or not.
func exists(name string, want bool) func(t *testing.T, m *winsvc.Manager) {
	return func(t *testing.T, m *winsvc.Manager) {
		t.Helper()
		svc, _ := m.Service(name)
		if ok, err := svc.Exists(context.Background()); err != nil || ok != want {
			t.Errorf("%s exists: %v, %v; want %v", name, ok, err, want)
		}
	}
}

// both runs two checks.
func both(a, b func(t *testing.T, m *winsvc.Manager)) func(t *testing.T, m *winsvc.Manager) {
	return func(t *testing.T, m *winsvc.Manager) {
		t.Helper()
		a(t, m)
		b(t, m)
	}
}

// markedForDeletion deletes MySvc, which runs, before the case: the SCM
// only marks it for deletion, and removes it once it stops.
func markedForDeletion(conn SCM) SCM {
	svc, _ := conn.Service("MySvc")
	if err := svc.Delete(context.Background(), winsvc.DeleteOptions{}); err != nil {
		panic(err)
	}
	return conn
}

// hostedLog is the host's event log that hosted gives MySvc, written by
// the test: %WINSVC_TEST_HOST_LOG% names it.
var hostedLog = filepath.Join(os.TempDir(), "winsvc-cli-test-host.log")

// hosted makes MySvc a hosted service whose event log holds three lines.
func hosted(conn SCM) SCM {
	if err := os.WriteFile(hostedLog, []byte("started\nexited with code 3\nrestarting in 1s\n"), 0o644); err != nil {
		panic(err)
	}
	os.Setenv("WINSVC_TEST_HOST_LOG", hostedLog)
	svc, err := conn.Load(context.Background(), "MySvc")
	if err == nil {
		svc.Update(func(c *winsvc.Config) {
			c.Program = &host.Program{Path: `C:\app\node.exe`, Log: "%WINSVC_TEST_HOST_LOG%"}
		})
		_, err = svc.Save(context.Background(), winsvc.SaveOptions{})
	}
	if err != nil {
		panic(err)
	}
	return conn
}

// unchanged wants the fake services as newFake made them.
func unchanged(t *testing.T, m *winsvc.Manager) {
	t.Helper()
	for _, f := range fakeServices {
		states(f.def.Name, f.state)(t, m)
	}
	if c := loaded(t, m, "MySvc"); c.StartType != winsvc.AutoStart || c.Description != "Serves the API" {
		t.Errorf("MySvc changed: %+v", c)
	}
}

const testSDDL = "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)"

var runCases = []runCase{
	// Control
	{args: []string{"start", "Stopped"}, check: states("Stopped", winsvc.Running)},
	{args: []string{"start", "Stopped", "--no-wait", "-x", "--", "--json"}, check: states("Stopped", winsvc.Running)},
	{args: []string{"start", "Stopped", "--json"}, check: states("Stopped", winsvc.Running)},
	{args: []string{"start", "MySvc"}, code: 1056},
	{args: []string{"start", "MySvc", "--ensure"}, check: unchanged},
	{args: []string{"start", "Missing", "--json"}, code: 1060},
	{args: []string{"stop", "MySvc"}, check: states("MySvc", winsvc.Stopped)},
	{args: []string{"stop", "Stopped"}, code: 1062},
	{args: []string{"stop", "MySvc"}, conn: markedForDeletion, check: exists("MySvc", false)},
	{args: []string{"stop", "MySvc", "--json"}, conn: markedForDeletion, check: exists("MySvc", false)},
	{args: []string{"control", "MySvc", "stop"}, conn: markedForDeletion, check: exists("MySvc", false)},
	{args: []string{"stop", "Base"}, code: 1051},
	{args: []string{"stop", "Base", "--with-dependents"}, check: states("Base", winsvc.Stopped, "Top", winsvc.Stopped)},
	{args: []string{"stop", "Base", "--with-dependents", "--json"}, check: states("Base", winsvc.Stopped, "Top", winsvc.Stopped)},
	{args: []string{"pause", "MySvc"}, check: states("MySvc", winsvc.Paused)},
	{args: []string{"pause", "Stopped"}, code: 1062},
	{args: []string{"continue", "Paused"}, check: states("Paused", winsvc.Running)},
	{args: []string{"continue", "MySvc"}, code: 1061},
	{args: []string{"continue", "MySvc", "--ensure", "--json"}, check: unchanged},
	{args: []string{"interrogate", "MySvc"}, check: unchanged},
	{args: []string{"interrogate", "MySvc", "--json"}, check: unchanged},
	{args: []string{"interrogate", "Stopped"}, code: 1062},
	{args: []string{"control", "MySvc", "200"}, check: unchanged},
	{args: []string{"control", "MySvc", "paramchange", "--json"}, check: unchanged},
	{args: []string{"control", "MySvc", "pause"}, check: states("MySvc", winsvc.Paused)},
	{args: []string{"control", "MySvc", "stop"}, check: states("MySvc", winsvc.Stopped)},
	{args: []string{"control", "MySvc", "5"}, code: 87},
	{args: []string{"restart", "Base"}, check: states("Base", winsvc.Running, "Top", winsvc.Running)},
	{args: []string{"restart", "Stopped", "--json"}, check: states("Stopped", winsvc.Running)},
	{args: []string{"wait", "MySvc", "running"}},
	{args: []string{"wait", "Paused", "PAUSED", "--json"}},
	{args: []string{"wait", "Missing", "running"}, code: 1060},

	// Query
	{args: []string{"query", "MySvc"}},
	{args: []string{"query", "MySvc", "--json"}},
	{args: []string{"query"}},
	{args: []string{"query", "state=", "inactive", "--json"}},
	{args: []string{"query", "type=", "driver"}},
	{args: []string{"query", "Missing"}, code: 1060},
	{args: []string{"queryex", "MySvc"}},
	{args: []string{"queryex", "state=", "all"}},
	// (and every q-verb on MySvc, in text and JSON: allRunCases)
	{args: []string{"qc", "Top"}},
	{args: []string{"qc", "Missing", "--json"}, code: 1060},
	{args: []string{"quserservice", "MySvc"}},
	{args: []string{"quserservice", "Template", "--json"}},
	{args: []string{"GetDisplayName", "MySvc"}},
	{args: []string{"GetDisplayName", "Missing", "--json"}, code: 1060},
	{args: []string{"GetKeyName", "My Service"}},
	{args: []string{"GetKeyName", "Stopped Service", "--json"}},
	{args: []string{"showsid", "MySvc"}},
	{args: []string{"showsid", "Missing", "--json"}},
	{args: []string{"EnumDepend", "Base"}},
	{args: []string{"EnumDepend", "Base", "--tree"}},
	{args: []string{"EnumDepend", "Base", "--json"}},
	{args: []string{"EnumDepend", "Base", "--graph", "dot"}},
	{args: []string{"EnumDepend", "A", "--graph", "mermaid"}, conn: cyclic, code: exitCycle},
	{args: []string{"sdshow", "MySvc"}},
	{args: []string{"sdshow", "MySvc", "--explain"}},
	{args: []string{"sdshow", "MySvc", "--json"}},
	{args: []string{"querylock"}},
	{args: []string{"querylock", "--json"}},

	// Configure
	{args: []string{"create", "New", "binPath=", `C:\Program Files\New\new.exe --x`, "start=", "delayed-auto", "DisplayName=", "New Service", "depend=", "Base"},
		check: config("New", func(c *winsvc.Config) bool {
			return c.BinaryPathName == `"C:\Program Files\New\new.exe" --x` && c.StartType == winsvc.AutoStart && c.DelayedAutoStart &&
				c.DisplayName == "New Service" && slices.Equal(c.Dependencies, []winsvc.Dependency{winsvc.ServiceDependency("Base")})
		})},
	{args: []string{"create", "New", "--binpath", `C:\new.exe`, "--dry-run"}, check: exists("New", false)},
	{args: []string{"create", "New", "--program", `C:\Program Files\nodejs\node.exe`, "--arg", "server.js", "--arg", "--port=80", "--env", "MODE=prod", "--restart", "always"},
		check: config("New", func(c *winsvc.Config) bool {
			p := c.Program
			return p != nil && p.Path == `C:\Program Files\nodejs\node.exe` && slices.Equal(p.Args, []string{"server.js", "--port=80"}) &&
				slices.Equal(p.Env, []string{"MODE=prod"}) && p.Restart.When == host.Always && strings.HasSuffix(c.BinaryPathName, " host New")
		})},
	{args: []string{"config", "MySvc", "--program", `C:\app\node.exe`, "--stdout", `C:\logs\out.log`}, conn: hosted,
		check: config("MySvc", func(c *winsvc.Config) bool {
			p := c.Program // the event log hosted set is kept: config changes only what it names
			return p != nil && p.Path == `C:\app\node.exe` && p.Stdout == `C:\logs\out.log` && p.Log == "%WINSVC_TEST_HOST_LOG%"
		})},
	{args: []string{"create", "New", "binPath=", `C:\new.exe`, "obj=", `.\svcuser`, "--password-stdin", "--json"}, stdin: "s3cret\n",
		check: config("New", func(c *winsvc.Config) bool { return c.ServiceStartName == `.\svcuser` })},
	{args: []string{"create", "MySvc", "binPath=", `C:\x.exe`}, code: 1073},
	{args: []string{"create", "New"}, code: 87},
	{args: []string{"config", "MySvc", "start=", "disabled", "depend=", "Base/+Group"},
		check: config("MySvc", func(c *winsvc.Config) bool {
			return c.StartType == winsvc.Disabled && len(c.Dependencies) == 2 && c.Dependencies[1] == winsvc.GroupDependency("Group")
		})},
	{args: []string{"config", "MySvc", "--start", "demand", "--dry-run"}, check: unchanged},
	{args: []string{"config", "MySvc", "obj=", `.\svcuser`, "--json"}, env: map[string]string{envPassword: "fromenv"},
		check: config("MySvc", func(c *winsvc.Config) bool { return c.ServiceStartName == `.\svcuser` })},
	{args: []string{"config", "MySvc", "obj=", `.\svcuser`, "password=", "s3cret"},
		check: config("MySvc", func(c *winsvc.Config) bool { return c.ServiceStartName == `.\svcuser` })},
	{args: []string{"config", "Missing", "start=", "auto"}, code: 1060},
	{args: []string{"delete", "Stopped"}, check: exists("Stopped", false)},
	{args: []string{"delete", "MySvc", "--stop", "--wait", "--json"}, check: exists("MySvc", false)},
	{args: []string{"delete", "MySvc"}, check: both(exists("MySvc", true), states("MySvc", winsvc.Running))}, // marked for deletion
	{args: []string{"delete", "Missing"}, code: 1060},
	{args: []string{"description", "MySvc", "two", "words"}, check: config("MySvc", func(c *winsvc.Config) bool { return c.Description == "two words" })},
	{args: []string{"description", "MySvc", "--json"}, check: config("MySvc", func(c *winsvc.Config) bool { return c.Description == "" })},
	{args: []string{"failure", "MySvc", "reset=", "60", "actions=", "restart/5000//0", "command=", `C:\notify.exe`},
		check: config("MySvc", func(c *winsvc.Config) bool {
			fa := c.FailureActions
			return fa.ResetPeriod == winsvc.ResetAfter(time.Minute) && fa.Command == `C:\notify.exe` &&
				slices.Equal(fa.Actions, []winsvc.Action{winsvc.RestartAction(5 * time.Second), winsvc.NoAction(0)})
		})},
	{args: []string{"failure", "MySvc", "reboot=", "bye", "--json"}, check: config("MySvc", func(c *winsvc.Config) bool { return c.FailureActions.RebootMessage == "bye" })},
	{args: []string{"failureflag", "MySvc", "1"}, check: config("MySvc", func(c *winsvc.Config) bool { return c.FailureActionsOnNonCrashFailures })},
	{args: []string{"sidtype", "MySvc", "restricted"}, check: config("MySvc", func(c *winsvc.Config) bool { return c.SIDType == winsvc.SIDTypeRestricted })},
	{args: []string{"privs", "MySvc", "SeChangeNotifyPrivilege/SeImpersonatePrivilege"},
		check: config("MySvc", func(c *winsvc.Config) bool {
			return slices.Equal(c.RequiredPrivileges, []string{"SeChangeNotifyPrivilege", "SeImpersonatePrivilege"})
		})},
	{args: []string{"privs", "MySvc", "NotAPrivilege"}, code: 87},
	{args: []string{"preferrednode", "MySvc", "1"}, check: config("MySvc", func(c *winsvc.Config) bool { return c.PreferredNode == winsvc.PreferredNode{Node: 1, Set: true} })},
	{args: []string{"preferrednode", "MySvc", "delete"}, check: config("MySvc", func(c *winsvc.Config) bool { return !c.PreferredNode.Set })},
	{args: []string{"triggerinfo", "MySvc", "delete"}, check: config("MySvc", func(c *winsvc.Config) bool { return len(c.Triggers) == 0 })},
	{args: []string{"triggerinfo", "MySvc", "start/networkon", "stop/networkoff"},
		check: config("MySvc", func(c *winsvc.Config) bool {
			return len(c.Triggers) == 2 && c.Triggers[0].Subtype == trigger.NetworkFirstIPAddressArrival && c.Triggers[1].Action == trigger.Stop
		})},
	{args: []string{"managedaccount", "MySvc", "true"}, check: config("MySvc", func(c *winsvc.Config) bool { return c.ManagedAccount })},
	{args: []string{"managedaccount", "MySvc", "1", "--json"}, check: config("MySvc", func(c *winsvc.Config) bool { return c.ManagedAccount })},
	{args: []string{"managedaccount", "MySvc", "perhaps"}, code: 87},
	{args: []string{"sdset", "MySvc", testSDDL},
		check: func(t *testing.T, m *winsvc.Manager) {
			svc, _ := m.Service("MySvc")
			if sd, err := svc.SecurityDescriptor(context.Background()); err != nil || sd != testSDDL {
				t.Errorf("descriptor %q, %v; want %q", sd, err, testSDDL)
			}
		}},
	{args: []string{"sdset", "MySvc", "D:(A;;GA;;;SY)"}, code: 87}, // takes full control away from the Administrators
	{args: []string{"sdset", "MySvc", "D:(A;;GA;;;SY)", "--force", "--json"},
		check: func(t *testing.T, m *winsvc.Manager) {
			svc, _ := m.Service("MySvc")
			if sd, err := svc.SecurityDescriptor(context.Background()); err != nil || sd != "D:(A;;GA;;;SY)" {
				t.Errorf("descriptor %q, %v", sd, err)
			}
		}},

	// Beyond sc
	{args: []string{"list"}},
	{args: []string{"list", "--state", "stopped", "--json"}},
	{args: []string{"list", "--names", "--name", "*top*"}},
	{args: []string{"list", "--start", "auto"}},
	{args: []string{"list", "--name", "MySvc", "--json"}, conn: delayedUnreported}, // delayedAutoStart: null, as get shows it there
	{args: []string{"check"}},
	{args: []string{"check", "--json"}, conn: storedUnquoted, code: exitUnquoted},
	{args: []string{"check"}, conn: storedUnquoted, code: exitUnquoted},
	{args: []string{"check", "Stopped"}, conn: storedUnquoted, code: exitUnquoted},
	{args: []string{"check", "Base", "--json"}, conn: storedUnquoted},
	{args: []string{"check", "Missing"}, code: 1060},
	{args: []string{"doctor", "MySvc"}},
	{args: []string{"logs", "MySvc", "--lines", "2"}, conn: hosted},
	{args: []string{"logs", "MySvc"}, code: 1},
	{args: []string{"doctor", "Top", "--json"}, code: exitFindings},
	{args: []string{"doctor", "MySvc"}, conn: markedForDeletion, code: exitFindings},
	{args: []string{"doctor", "App"}, conn: dependencyChain, code: exitFindings},
	{args: []string{"doctor", "--all"}, code: exitFindings},
	{args: []string{"doctor", "Stopped", "--try-start"}, code: exitFindings, check: unchanged},
	{args: []string{"doctor", "Missing"}, code: 1060},
	{args: []string{"graph", "Top"}},
	{args: []string{"graph", "Base", "--format", "mermaid", "--direction", "dependents"}},
	{args: []string{"graph", "--json"}},
	{args: []string{"graph", "App", "--depth", "1"}, conn: dependencyChain},
	{args: []string{"graph", "App", "--format", "mermaid"}, conn: dependencyChain},
	{args: []string{"graph", "Db", "--direction", "dependents", "--json"}, conn: dependencyChain},
	{args: []string{"graph", "A"}, conn: cyclic, code: exitCycle},
	{args: []string{"graph", "A", "--json"}, conn: cyclic, code: exitCycle},
	{args: []string{"graph", "Top", "--format", "svg"}, code: 50},
	{args: []string{"graph", "Missing"}, code: 1060},
	{args: []string{"graph", "Top", "--format", "svg", "--json"}, code: 87},
	{args: []string{"EnumDepend", "Top", "--graph", "dot", "--json"}, code: 87},
	{args: []string{"status", "MySvc"}},
	{args: []string{"status", "Stopped", "--json"}, code: 3},
	{args: []string{"status", "Missing"}, code: 1060},
	{args: []string{"exists", "MySvc", "--json"}},
	{args: []string{"exists", "Missing"}, code: 1060},
	{args: []string{"get", "MySvc"}},
	{args: []string{"get", "Top", "--json"}},
	{args: []string{"watch", "MySvc", "--interval", "10ms"}, interrupt: true},
	{args: []string{"watch", "MySvc", "--json"}, interrupt: true},
	{args: []string{"watch", "--timeout", "30ms", "--interval", "10ms"}}, // no change, nothing printed
	{args: []string{"watch", "Missing", "--timeout", "1s"}, code: 1060},

	// Other
	{args: []string{"help"}},
	{args: []string{"help", "start"}},
	{args: []string{"help", "exit-codes"}, sameAs: "help-exit-codes.txt"},
	{args: []string{"help", "nonsense", "--json"}, code: 87},
	{args: []string{"completion", "bash"}, sameAs: "completion.bash"},
	{args: []string{"completion", "fish"}, code: 87},
}

// allRunCases are runCases, and every q-verb of querySettingVerbs run on
// MySvc, in text and in JSON.
func allRunCases() []runCase {
	cases := slices.Concat(runCases, desiredRunCases)
	for _, verb := range querySettingVerbs {
		cases = append(cases, runCase{args: []string{verb, "MySvc"}}, runCase{args: []string{verb, "MySvc", "--json"}})
	}
	return cases
}

// runFake runs c against a fresh fake and returns the fake and what the
// run printed. The factory's connections are all closed by the end.
func runFake(t *testing.T, c runCase) (m *winsvc.Manager, code int, stdout, stderr string) {
	t.Helper()
	m = newFake(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut bytes.Buffer
	var w io.Writer = &out
	if c.interrupt {
		w = cancelOnWrite{&out, cancel}
	}
	connected, closed := 0, 0
	f := &Factory{
		IO: &IOStreams{In: strings.NewReader(c.stdin), Out: w, ErrOut: &errOut, ErrTTY: c.tty},
		Connect: func(machine string) (SCM, error) {
			connected++
			var conn SCM = keepOpen{m, &closed}
			if c.conn != nil {
				conn = c.conn(conn)
			}
			return conn, nil
		},
		Getenv:   func(key string) string { return c.env[key] },
		LookPath: func(file string) (string, error) { return "", exec.ErrNotFound }, // no program is run
	}
	code = Run(ctx, f, c.args)
	if connected > 1 || closed != connected {
		t.Errorf("%q: %d connections, %d closed", c.args, connected, closed)
	}
	return m, code, out.String(), errOut.String()
}

// cancelOnWrite cancels a context once something is written.
type cancelOnWrite struct {
	w      io.Writer
	cancel context.CancelFunc
}

func (c cancelOnWrite) Write(p []byte) (int, error) {
	defer c.cancel()
	return c.w.Write(p)
}

// Times vary from run to run: the transcripts show them as zeros.
var (
	clockTime = regexp.MustCompile(`\b\d\d:\d\d:\d\d\.\d\d\d\b`)
	jsonTime  = regexp.MustCompile(`"time":"[^"]*"`)
)

func TestRunEveryVerb(t *testing.T) {
	transcripts := map[string]*bytes.Buffer{}
	var order []string
	for _, c := range allRunCases() {
		inv, _ := parseLine(c.args)
		verb := strings.ToLower(inv.cmd.name)
		m, code, stdout, stderr := runFake(t, c)
		if code != c.code {
			t.Errorf("%q: exit %d, want %d\nstdout %s\nstderr %s", c.args, code, c.code, stdout, stderr)
		}
		if c.check != nil {
			t.Run(strings.Join(c.args, " "), func(t *testing.T) { c.check(t, m) })
		}
		if strings.Contains(stdout+stderr, "s3cret") || strings.Contains(stdout+stderr, "fromenv") {
			t.Errorf("%q: a password is shown:\n%s\n%s", c.args, stdout, stderr)
		}
		if c.sameAs != "" {
			want, err := os.ReadFile(filepath.Join("testdata", c.sameAs))
			if err != nil || stdout != string(want) {
				t.Errorf("%q: stdout differs from testdata/%s (%v):\n%s", c.args, c.sameAs, err, stdout)
			}
			stdout = "(testdata/" + c.sameAs + ")\n"
		}
		b := transcripts[verb]
		if b == nil {
			b = &bytes.Buffer{}
			transcripts[verb] = b
			order = append(order, verb)
		}
		stdout = jsonTime.ReplaceAllString(clockTime.ReplaceAllString(stdout, "00:00:00.000"), `"time":"T"`)
		fmt.Fprintf(b, "$ winsvc %s\nexit %d\n--- stdout\n%s--- stderr\n%s\n", quoteArgs(c.args), code, stdout, stderr)
	}
	for _, verb := range order {
		golden(t, filepath.Join("run", verb+".txt"), transcripts[verb].String())
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "run", "*"))
	for _, f := range files {
		if transcripts[strings.TrimSuffix(filepath.Base(f), ".txt")] == nil {
			t.Errorf("%s is the transcript of no verb's cases; remove it", f)
		}
	}
}

// quoteArgs writes a command line as a POSIX shell would take it back.
func quoteArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "" || strings.ContainsAny(a, " \"'*;()\\") {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}

// changes reports whether verb c changes services: its successful runs
// must check the SCM afterwards.
func changes(c *command) bool {
	return c.group == groupControl || c.group == groupConfig || c == restartCmd
}

// TestEveryVerbRuns: every verb of the table has a run case that succeeds,
// and every successful run of a verb that changes something checks the SCM
// afterwards. A new verb fails here until it has its cases.
func TestEveryVerbRuns(t *testing.T) {
	succeeds := map[*command]bool{}
	for _, c := range allRunCases() {
		inv, err := parseLine(c.args)
		if inv.cmd == lookup("help") && c.args[0] != "help" {
			t.Errorf("%q does not name a verb", c.args)
		}
		if c.code != 0 {
			continue
		}
		if err != nil {
			t.Errorf("%q: %v, but exit 0 expected", c.args, err)
		}
		succeeds[inv.cmd] = true
		if changes(inv.cmd) && c.check == nil {
			t.Errorf("%q changes services, but its case checks nothing afterwards", c.args)
		}
	}
	for _, c := range sortedCommands() {
		if c == hostCmd {
			// The SCM runs it, as a service: package run would take this
			// test process for a console program and wait for Ctrl+C. Its
			// successful runs are the Wine tests of package host.
			continue
		}
		if !succeeds[c] {
			t.Errorf("verb %s has no successful run case in runCases", c.name)
		}
	}
}
