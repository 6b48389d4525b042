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

// changesOf renders a service's changes as "field: from -> to" lines.
func changesOf(changes []winsvc.Change) string {
	var out []string
	for _, c := range changes {
		out = append(out, string(c.Field)+": "+c.From+" -> "+c.To)
	}
	return strings.Join(out, "\n")
}

// A plan lists every change, field by field, old -> new: creations,
// updates, the descriptor, run states and deletions; it changes nothing.
func TestPlanAll(t *testing.T) {
	m := memory(t, standard()...)
	before := snapshot(t, m)
	doc := parse(t, `services:
  - name: New
    binaryPathName: C:\app\new.exe
    dependencies: [Base]
    state: running
  - name: MySvc
    startType: demand
    description: Serves the API
    securityDescriptor: D:(A;;GA;;;SY)(A;;GA;;;BA)
  - name: Idle
    state: paused
  - name: Held
    state: running
  - name: Top
    state: absent
  - name: Gone
    state: absent
  - name: Base
    state: stopped
`)
	p := planOf(t, m, doc)
	if after := snapshot(t, m); after != before {
		t.Errorf("PlanAll changed the SCM:\n%s\nwas\n%s", after, before)
	}
	if installedNow(t, m, "New") {
		t.Error("PlanAll created New")
	}
	want := map[string]struct {
		action  desired.Action
		changes string
	}{
		"New": {desired.ActionCreate, "name:  -> New\ndisplayName:  -> \"New\"\nserviceType:  -> WIN32_OWN_PROCESS\nstartType:  -> DEMAND_START\n" +
			"errorControl:  -> ERROR_NORMAL\nbinaryPathName:  -> \"C:\\\\app\\\\new.exe\"\ndependencies:  -> [Base]\nserviceStartName:  -> \"LocalSystem\"\n" +
			"sidType: SID_TYPE_NONE -> SID_TYPE_UNRESTRICTED\npreshutdownTimeout: (default) -> 3m0s\nstate: (none) -> RUNNING"},
		"MySvc": {desired.ActionUpdate, "startType: AUTO_START -> DEMAND_START\nsecurityDescriptor: " +
			"D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU) -> D:(A;;GA;;;SY)(A;;GA;;;BA)"},
		"Idle": {desired.ActionUpdate, "state: STOPPED -> PAUSED"},
		"Held": {desired.ActionUpdate, "state: PAUSED -> RUNNING"},
		"Top":  {desired.ActionDelete, "state: RUNNING -> (deleted)"},
		"Gone": {desired.ActionNone, ""},
		"Base": {desired.ActionUpdate, "state: RUNNING -> STOPPED"},
	}
	var order []string
	for _, sp := range p.Services {
		order = append(order, sp.Name)
		w := want[sp.Name]
		if sp.Err != nil || sp.Action != w.action || changesOf(sp.Changes) != w.changes {
			t.Errorf("%s: %s, %v\n%s\nwant %s\n%s", sp.Name, sp.Action, sp.Err, changesOf(sp.Changes), w.action, w.changes)
		}
	}
	// Base before what depends on it (New, and Top until it is deleted).
	if got := strings.Join(order, " "); got != "MySvc Idle Held Gone Base New Top" {
		t.Errorf("order %s", got)
	}
	if p.Empty() || p.Count(desired.ActionUpdate) != 4 || p.Count(desired.ActionNone) != 1 {
		t.Errorf("counts: %s", p)
	}
	if s := p.String(); !strings.Contains(s, "create New:\n") || !strings.Contains(s, "Plan: 1 to create, 4 to update, 1 to delete, 1 unchanged.") {
		t.Errorf("text:\n%s", s)
	}
	b, _ := json.Marshal(p.Services[0])
	if !strings.HasPrefix(string(b), `{"name":"MySvc","action":"update","changes":[{"field":"startType","from":"AUTO_START","to":"DEMAND_START","old":"AUTO_START","new":"DEMAND_START"}`) {
		t.Errorf("JSON: %s", b)
	}
}

// A plan's text shows each value as the document writes it: durations
// in milliseconds, strings and command lines as YAML writes them, lists and
// failure actions in flow style, run states as their words.
func TestPlanTextInDocumentUnits(t *testing.T) {
	m := memory(t, standard()...)
	doc := parse(t, `services:
  - name: New
    binaryPathName: '"C:\Program Files\New\new.exe" --port 8080'
    preshutdownTimeout: 60000
    failureActions: {resetPeriod: 86400, actions: [{type: restart, delay: 5000}]}
    dependencies: [Base]
    state: running
  - name: MySvc
    preshutdownTimeout: 60000
    description: Serves the API, and more
  - name: Top
    state: absent
`)
	text := planOf(t, m, doc).String()
	for _, want := range []string{
		`  binaryPathName                      -> '"C:\Program Files\New\new.exe" --port 8080'` + "\n",
		`  preshutdownTimeout                 (default) -> 60000` + "\n",
		`  failureActions                     {resetPeriod: 0, rebootMessage: "", command: "", actions: []} -> {resetPeriod: 86400, rebootMessage: "", command: "", actions: [{type: SC_ACTION_RESTART, delay: 5000}]}` + "\n",
		`  dependencies                        -> [Base]` + "\n",
		`  state                              absent -> running` + "\n",
		`  preshutdownTimeout                 180000 -> 60000` + "\n",
		`  description                        Serves the API -> Serves the API, and more` + "\n",
		`  displayName                         -> New` + "\n",
		`  state                              running -> absent` + "\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the plan lacks %q:\n%s", want, text)
		}
	}
}

// A service that cannot be planned has its error, with the line of its
// entry when the document is at fault; the others are planned.
func TestPlanErrors(t *testing.T) {
	m := memory(t, standard()...)
	doc := parse(t, `services:
  - name: MySvc
    startType: demand
    delayedAutoStart: true
  - name: User
    binaryPathName: C:\app\user.exe
    serviceStartName: .\svcuser
  - name: Base
    dependencies: [Top]
  - name: Idle
    description: fine
`)
	p := planOf(t, m, doc)
	want := map[string]string{
		"MySvc": `a.yaml:4:23: service "MySvc": invalid delayedAutoStart "true": delayed start needs AUTO_START, not DEMAND_START`,
		"User":  `a.yaml:5: service "User": invalid password "": a password is required to run as user ".\\svcuser"`,
		"Base":  "ERROR_CIRCULAR_DEPENDENCY",
	}
	for _, sp := range p.Services {
		switch w := want[sp.Name]; {
		case w == "" && sp.Err != nil:
			t.Errorf("%s: %v", sp.Name, sp.Err)
		case w != "" && (sp.Err == nil || !strings.Contains(sp.Err.Error(), w) && !strings.Contains(errCode(sp.Err), w)):
			t.Errorf("%s: %v; want %s", sp.Name, sp.Err, w)
		}
	}
	if len(p.Failures()) != 3 || !errors.Is(p.Err(), winsvc.ErrInvalid) || !errors.Is(p.Err(), winsvc.ErrCircularDependency) {
		t.Errorf("failures: %v", p.Err())
	}
	if !strings.Contains(p.String(), "Idle") || !strings.Contains(p.String(), "3 failed") {
		t.Errorf("text:\n%s", p)
	}
	for _, bad := range []desired.Document{
		{Services: []desired.Service{{}}},
		{Services: []desired.Service{{Definition: winsvc.Definition{Name: "A"}}, {Definition: winsvc.Definition{Name: "a"}}}},
	} {
		if _, err := desired.PlanAll(context.Background(), m, &bad, desired.PlanOptions{Workers: serial}); !errors.Is(err, winsvc.ErrInvalid) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func errCode(err error) string {
	var we *winsvc.Error
	if errors.As(err, &we) {
		return we.Code.Name()
	}
	return ""
}

// A creation lists every setting CreateService writes, a Win32 0 included:
// a driver's BOOT_START and ERROR_IGNORE are values, not "nothing".
func TestPlanCreateListsWin32Zeros(t *testing.T) {
	m := memory(t, standard()...)
	p := planOf(t, m, parse(t, `services:
  - name: Drv
    serviceType: KERNEL_DRIVER
    startType: BOOT_START
    errorControl: ERROR_IGNORE
    binaryPathName: C:\Windows\System32\drivers\drv.sys
`))
	var sp *desired.ServicePlan
	for i := range p.Services {
		if p.Services[i].Name == "Drv" {
			sp = &p.Services[i]
		}
	}
	if sp == nil || sp.Err != nil || sp.Action != desired.ActionCreate {
		t.Fatalf("Drv: %+v", sp)
	}
	got := changesOf(sp.Changes)
	for _, want := range []string{"serviceType:  -> KERNEL_DRIVER\n", "startType:  -> BOOT_START\n", "errorControl:  -> ERROR_IGNORE\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("changes lack %q:\n%s", want, got)
		}
	}
}

// A creation lists each setting once, as CreateService is given it: the
// group and a tag request too (the tag was listed twice, by Save's plan and
// by a second plan that filled in the core settings).
func TestPlanCreateListsEachSettingOnce(t *testing.T) {
	m := memory(t, standard()...)
	p := planOf(t, m, parse(t, `services:
  - name: Drv
    serviceType: KERNEL_DRIVER
    startType: SYSTEM_START
    binaryPathName: C:\Windows\System32\drivers\drv.sys
    loadOrderGroup: Filters
    tagId: true
`))
	sp := p.Services[0]
	if sp.Name != "Drv" || sp.Err != nil || sp.Action != desired.ActionCreate {
		t.Fatalf("Drv: %+v", sp)
	}
	const want = "name:  -> Drv\n" +
		"displayName:  -> \"Drv\"\n" +
		"serviceType:  -> KERNEL_DRIVER\n" +
		"startType:  -> SYSTEM_START\n" +
		"errorControl:  -> ERROR_NORMAL\n" +
		"binaryPathName:  -> \"C:\\\\Windows\\\\System32\\\\drivers\\\\drv.sys\"\n" +
		"loadOrderGroup:  -> \"Filters\"\n" +
		"tagId:  -> (assigned by the SCM)\n" +
		"serviceStartName:  -> \"LocalSystem\"\n"
	if got := changesOf(sp.Changes); !strings.HasPrefix(got, want) || strings.Count(got, "tagId") != 1 {
		t.Errorf("changes:\n%s\nwant them to begin with\n%s", got, want)
	}
}
