package desired_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
)

// apply applies src to m and returns the result and the error.
func apply(t *testing.T, m desired.Manager, src string, opts desired.ApplyOptions) (*desired.Result, error) {
	t.Helper()
	return desired.ApplyAll(context.Background(), m, parse(t, src), opts)
}

// outcomes renders a result as "name outcome" pairs, in its order.
func outcomes(r *desired.Result) string {
	var out []string
	for _, s := range r.Services {
		out = append(out, s.Name+" "+string(s.Outcome))
	}
	return strings.Join(out, ", ")
}

// Creations, changes, deletions and run states, end to end; a second apply
// changes nothing.
func TestApplyAll(t *testing.T) {
	m := memory(t, standard()...)
	src := `services:
  - name: Top
    state: absent
  - name: New
    binaryPathName: '"C:\Program Files\New\new.exe" -x'
    dependencies: [Base]
    description: new
    state: running
    securityDescriptor: D:(A;;GA;;;SY)(A;;GA;;;BA)
  - name: MySvc
    startType: demand
    state: stopped
  - name: Idle
    state: paused
  - name: Held
    state: running
  - name: Base
    displayName: Base Service
`
	r, err := apply(t, m, src, desired.ApplyOptions{Workers: serial})
	if err != nil {
		t.Fatalf("%v\n%s", err, r)
	}
	if got := outcomes(r); got != "MySvc changed, Idle changed, Held changed, Base changed, Top changed, New changed" {
		t.Errorf("outcomes: %s", got)
	}
	if installedNow(t, m, "Top") {
		t.Error("Top is still installed")
	}
	for name, want := range map[string]winsvc.State{"New": winsvc.Running, "MySvc": winsvc.Stopped, "Idle": winsvc.Paused, "Held": winsvc.Running, "Base": winsvc.Running} {
		if got := stateOf(t, m, name); got != want {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	svc, err := m.Load(context.Background(), "New")
	if err != nil {
		t.Fatal(err)
	}
	c := svc.Config()
	sd, _ := svc.SecurityDescriptor(context.Background())
	if c.BinaryPathName != `"C:\Program Files\New\new.exe" -x` || c.Description != "new" || len(c.Dependencies) != 1 || sd != "D:(A;;GA;;;SY)(A;;GA;;;BA)" {
		t.Errorf("New: %+v, %s", c, sd)
	}
	if c := loadConfig(t, m, "MySvc"); c.StartType != winsvc.DemandStart || c.Description != "Serves the API" || len(c.RequiredPrivileges) != 1 {
		t.Errorf("MySvc lost or missed a setting: %+v", c)
	}
	if c := loadConfig(t, m, "Base"); c.DisplayName != "Base Service" {
		t.Errorf("Base: %+v", c)
	}
	if s := r.String(); !strings.Contains(s, "Apply: 6 changed, 0 unchanged, 0 failed.") || !strings.Contains(s, "delete Top:") {
		t.Errorf("text:\n%s", s)
	}

	again, err := apply(t, m, src, desired.ApplyOptions{Workers: serial})
	if err != nil || again.Count(desired.Unchanged) != 6 {
		t.Errorf("second apply: %v\n%s", err, again)
	}
}

func loadConfig(t *testing.T, m *winsvc.Manager, name string) *winsvc.Config {
	t.Helper()
	svc, err := m.Load(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return svc.Config()
}

// Services are stopped dependents first, and started dependencies first:
// stopping Base before Top would be refused (1051).
func TestApplyOrder(t *testing.T) {
	m := memory(t, standard()...)
	r, err := apply(t, m, "services:\n  - name: Base\n    state: stopped\n  - name: Top\n    state: stopped\n", desired.ApplyOptions{Workers: serial})
	if err != nil || stateOf(t, m, "Base") != winsvc.Stopped || stateOf(t, m, "Top") != winsvc.Stopped {
		t.Fatalf("stop: %v\n%s", err, r)
	}
	if got := outcomes(r); got != "Base changed, Top changed" {
		t.Errorf("order: %s (the result is in dependency order)", got)
	}
	r, err = apply(t, m, "services:\n  - name: Top\n    state: running\n  - name: Base\n    state: running\n", desired.ApplyOptions{Workers: serial})
	if err != nil || stateOf(t, m, "Top") != winsvc.Running {
		t.Fatalf("start: %v\n%s", err, r)
	}
}

// Without ContinueOnError, the apply stops at the first failure; with it,
// the other services are applied.
func TestApplyFailures(t *testing.T) {
	// Stopping Base is refused while Top, outside the document, runs.
	src := "services:\n  - name: A\n    binaryPathName: C:\\a.exe\n  - name: Base\n    state: stopped\n  - name: C\n    binaryPathName: C:\\c.exe\n"
	m := memory(t, standard()...)
	r, err := apply(t, m, src, desired.ApplyOptions{Workers: serial})
	if !errors.Is(err, winsvc.ErrDependentServicesRunning) || outcomes(r) != "A skipped, Base failed, C skipped" || installedNow(t, m, "A") {
		t.Errorf("stop at the first failure: %v\n%s", err, outcomes(r))
	}
	m = memory(t, standard()...)
	r, err = apply(t, m, src, desired.ApplyOptions{Workers: serial, ContinueOnError: true})
	if !errors.Is(err, winsvc.ErrDependentServicesRunning) || outcomes(r) != "A changed, Base failed, C changed" || !installedNow(t, m, "C") {
		t.Errorf("continue on error: %v\n%s", err, outcomes(r))
	}
	if len(r.Failures()) != 1 || r.Failures()[0].Service != "Base" {
		t.Errorf("failures: %+v", r.Failures())
	}

	// A service that cannot be planned: nothing changes, or the others do.
	src = "services:\n  - name: A\n    binaryPathName: C:\\a.exe\n  - name: U\n    binaryPathName: C:\\u.exe\n    serviceStartName: .\\svcuser\n"
	m = memory(t)
	r, err = apply(t, m, src, desired.ApplyOptions{Workers: serial})
	if !errors.Is(err, winsvc.ErrInvalid) || outcomes(r) != "A skipped, U failed" || installedNow(t, m, "A") {
		t.Errorf("a plan failure: %v\n%s", err, outcomes(r))
	}
	r, err = apply(t, m, src, desired.ApplyOptions{Workers: serial, ContinueOnError: true})
	if !errors.Is(err, winsvc.ErrInvalid) || outcomes(r) != "A changed, U failed" {
		t.Errorf("a plan failure, continuing: %v\n%s", err, outcomes(r))
	}
	b, _ := json.Marshal(r.Services[1])
	if !strings.Contains(string(b), `"outcome":"failed"`) || !strings.Contains(string(b), `"error":"a.yaml:4: service \"U\"`) {
		t.Errorf("JSON: %s", b)
	}
}

// Passwords come from the resolver, are set on create (or when the account
// changes) unless updatePassword is always, and never show.
func TestApplyPasswords(t *testing.T) {
	const secret = "s3cret-Pa55"
	m := memory(t)
	resolver := desired.Passwords(func(k string) string { return map[string]string{"PW": secret}[k] }, nil)
	opts := desired.ApplyOptions{Workers: serial, Passwords: resolver}
	src := "services:\n  - name: U\n    binaryPathName: C:\\u.exe\n    serviceStartName: .\\svcuser\n    password: {env: PW}\n"
	var shown strings.Builder
	show := func(r *desired.Result, err error) {
		b, _ := json.Marshal(r.Services)
		shown.WriteString(r.String() + string(b) + errText(err))
	}

	r, err := apply(t, m, src, opts)
	show(r, err)
	if err != nil || r.Count(desired.Changed) != 1 || !strings.Contains(changesOf(r.Services[0].Changes), "password:  -> (hidden)") {
		t.Fatalf("create: %v\n%s", err, r)
	}
	r, err = apply(t, m, src, opts)
	show(r, err)
	if err != nil || r.Count(desired.Unchanged) != 1 {
		t.Errorf("again, on_create: %v\n%s", err, r)
	}
	always := src + "    updatePassword: always\n"
	p := planOf(t, m, parse(t, always))
	if changesOf(p.Services[0].Changes) != "password: (hidden) -> (hidden)" {
		t.Errorf("plan with always: %s", changesOf(p.Services[0].Changes))
	}
	r, err = apply(t, m, always, opts)
	show(r, err)
	if err != nil || r.Count(desired.Changed) != 1 {
		t.Errorf("always: %v\n%s", err, r)
	}
	r, err = apply(t, m, always, desired.ApplyOptions{Workers: serial})
	show(r, err)
	if err == nil || !strings.Contains(err.Error(), "environment variable PW") {
		t.Errorf("no resolver: %v", err)
	}
	r, err = apply(t, m, strings.Replace(always, "{env: PW}", "{env: UNSET}", 1), opts)
	show(r, err)
	if err == nil || r.Count(desired.Failed) != 1 {
		t.Errorf("unset variable: %v\n%s", err, r)
	}
	if strings.Contains(shown.String(), secret) {
		t.Errorf("the password shows:\n%s", shown.String())
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// A descriptor that would lock the administrators out is refused and
// changes nothing; on a new service, the service is deleted again.
func TestApplySecurityDescriptorFailure(t *testing.T) {
	m := memory(t, standard()...)
	before := snapshot(t, m)
	lockout := "D:(A;;GA;;;SY)"
	r, err := apply(t, m, "services:\n  - name: MySvc\n    description: other\n    securityDescriptor: "+lockout+"\n", desired.ApplyOptions{Workers: serial})
	if err == nil || r.Count(desired.Failed) != 1 {
		t.Errorf("lockout: %v\n%s", err, r)
	}
	if after := snapshot(t, m); after != before {
		t.Errorf("a failed apply changed the SCM:\n%s", after)
	}
	r, err = apply(t, m, "services:\n  - name: New\n    binaryPathName: C:\\new.exe\n    securityDescriptor: "+lockout+"\n", desired.ApplyOptions{Workers: serial})
	if err == nil || r.Count(desired.Failed) != 1 || installedNow(t, m, "New") {
		t.Errorf("lockout on create: %v\n%s", err, r)
	}
}

// changedBehind is a Manager under which another program changes a
// service's start type once it has been loaded: the save of that service,
// which changes the start type too, then fails (winsvc.ErrConflict).
type changedBehind struct {
	*winsvc.Manager
	name string
}

func (c changedBehind) Load(ctx context.Context, name string) (*winsvc.Service, error) {
	svc, err := c.Manager.Load(ctx, name)
	if err == nil && name == c.name {
		other, _ := c.Manager.Load(ctx, name)
		other.Update(func(cfg *winsvc.Config) { cfg.StartType = winsvc.Disabled })
		_, err = other.Save(ctx, winsvc.SaveOptions{})
	}
	return svc, err
}

// When Save fails, the descriptor set before it is set back.
func TestApplyUndoesDescriptorWhenSaveFails(t *testing.T) {
	ctx := context.Background()
	m := memory(t, standard()...)
	svc, _ := m.Service("MySvc")
	old, err := svc.SecurityDescriptor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, err := desired.ApplyAll(ctx, changedBehind{m, "MySvc"},
		parse(t, "services:\n  - name: MySvc\n    startType: demand\n    securityDescriptor: D:(A;;GA;;;SY)(A;;GA;;;BA)\n"), desired.ApplyOptions{Workers: serial})
	if !errors.Is(err, winsvc.ErrConflict) || r.Count(desired.Failed) != 1 {
		t.Fatalf("%v\n%s", err, r)
	}
	if now, _ := svc.SecurityDescriptor(ctx); now != old {
		t.Errorf("descriptor %s, want it set back to %s", now, old)
	}
	if c := loadConfig(t, m, "MySvc"); c.StartType != winsvc.Disabled {
		t.Errorf("start type %v: the failed save wrote it; want the other program's DISABLED", c.StartType)
	}
}

// A running service's new settings that it reads at start are reported as
// taking effect at its next start (in the result, its text and its JSON);
// a stopped one's are not.
func TestApplyRestartNeeded(t *testing.T) {
	m := memory(t, standard()...)
	r, err := apply(t, m, `services:
  - name: MySvc
    binaryPathName: C:\app\svc.exe --port 9090
    description: changed
  - name: Idle
    binaryPathName: C:\app\idle.exe -v
`, desired.ApplyOptions{Workers: serial})
	if err != nil {
		t.Fatal(err)
	}
	var mine, idle desired.ServiceResult
	for _, s := range r.Services {
		switch s.Name {
		case "MySvc":
			mine = s
		case "Idle":
			idle = s
		}
	}
	if len(mine.RestartNeeded) != 1 || mine.RestartNeeded[0] != winsvc.FieldBinaryPath || len(idle.RestartNeeded) != 0 {
		t.Errorf("restart needed: MySvc %v, Idle %v; want binaryPathName for MySvc (running) only", mine.RestartNeeded, idle.RestartNeeded)
	}
	if text := r.String(); !strings.Contains(text, "\nbinaryPathName takes effect at the next start of MySvc\n") || strings.Contains(text, "start of Idle") {
		t.Errorf("text:\n%s", text)
	}
	if b, _ := json.Marshal(mine); !strings.Contains(string(b), `"restartNeeded":["binaryPathName"]`) {
		t.Errorf("JSON: %s", b)
	}
}
