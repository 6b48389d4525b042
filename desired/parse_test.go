package desired_test

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/trigger"
)

// parse parses src as file a.yaml, failing the test on error.
func parse(t *testing.T, src string) *desired.Document {
	t.Helper()
	doc, err := desired.Parse("a.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, src)
	}
	return doc
}

// Every key of an entry is read into its field.
func TestParseEveryKey(t *testing.T) {
	doc, err := desired.ReadFile("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Services) != 3 {
		t.Fatalf("%d services, want 3", len(doc.Services))
	}
	s := doc.Services[1]
	d := s.Definition
	want := winsvc.Definition{
		Name: "MySvc", DisplayName: "My Service", ServiceType: winsvc.Win32OwnProcess, StartType: winsvc.Ptr(winsvc.AutoStart),
		DelayedAutoStart: winsvc.Ptr(true), ErrorControl: winsvc.Ptr(winsvc.ErrorSevere),
		BinaryPath: `C:\Program Files\My App\svc.exe`, Args: []string{"--port", "8080"},
		LoadOrderGroup: winsvc.Ptr(""), Dependencies: []winsvc.Dependency{winsvc.ServiceDependency("Base"), winsvc.GroupDependency("NetworkProvider")},
		ServiceStartName: `.\svcuser`, Description: winsvc.Ptr("Serves the API"),
		FailureActions: &winsvc.FailureActions{ResetPeriod: winsvc.ResetAfter(24 * time.Hour), Command: `C:\app\notify.exe`,
			Actions: []winsvc.Action{winsvc.RestartAction(5 * time.Second), winsvc.RunCommandAction(time.Second)}},
		FailureActionsOnNonCrashFailures: winsvc.Ptr(true), SIDType: winsvc.Ptr(winsvc.SIDTypeRestricted),
		RequiredPrivileges: []string{"SeChangeNotifyPrivilege"}, PreshutdownTimeout: winsvc.Ptr(time.Minute),
		Triggers:      []trigger.Trigger{{Type: trigger.TypeDomainJoin, Action: trigger.Start, Subtype: trigger.DomainJoin}},
		PreferredNode: &winsvc.PreferredNode{Node: 1, Set: true}, LaunchProtected: winsvc.Ptr(winsvc.LaunchProtectedNone),
		ManagedAccount: winsvc.Ptr(false),
	}
	got, _ := json.Marshal(d)
	exp, _ := json.Marshal(want)
	if string(got) != string(exp) {
		t.Errorf("definition\n%s\nwant\n%s", got, exp)
	}
	if s.State != desired.Paused || s.UpdatePassword != desired.Always || s.Timeout != time.Minute ||
		s.Password == nil || *s.Password != (desired.PasswordRef{Env: "MYSVC_PASSWORD"}) ||
		s.SecurityDescriptor == nil || !strings.HasPrefix(*s.SecurityDescriptor, "D:(A;;CCLC") {
		t.Errorf("entry: %+v", s)
	}
	if doc.Services[0].State != desired.Running || doc.Services[2].State != desired.Absent || doc.Services[2].Definition.Name != "Old" {
		t.Errorf("other entries: %+v", doc.Services)
	}
}

// A document written as JSON or YAML reads back to the same document, and
// JSON is read as well as YAML.
func TestDocumentRoundTrip(t *testing.T) {
	doc, err := desired.ReadFile("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	y, err := doc.YAML()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"JSON": js, "YAML": y} {
		back, err := desired.Parse(name, b)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, b)
		}
		again, _ := json.Marshal(back)
		if string(again) != string(js) {
			t.Errorf("%s reads back as\n%s\nnot\n%s", name, again, js)
		}
	}
	var viaJSON desired.Document
	if err := json.Unmarshal(js, &viaJSON); err != nil || len(viaJSON.Services) != 3 {
		t.Errorf("json.Unmarshal: %v, %d services", err, len(viaJSON.Services))
	}
	if !strings.HasPrefix(string(js), `{"services":[{"name":"Base","state":"running","binaryPathName"`) {
		t.Errorf("keys out of order: %s", js)
	}
	empty, _ := json.Marshal(desired.Document{})
	if string(empty) != `{"services":[]}` {
		t.Errorf("empty document: %s", empty)
	}
}

// Every kind of mistake is refused with the file, the line, the service
// and the field, and the allowed values where they form a list.
func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		src     string
		line    int
		service string
		field   string
		want    []string // substrings of the message
	}{
		{"services:\n  - name: A\n    startType: SOMETIMES\n", 3, "A", "startType", []string{`a.yaml:3: service "A": invalid startType "SOMETIMES"`, "AUTO_START, DEMAND_START"}},
		{"services:\n  - name: A\n    startMode: auto\n", 3, "A", "startMode", []string{`invalid key "startMode"`, "allowed: name, displayName", "state, securityDescriptor, password, updatePassword, timeout"}},
		{"services:\n  - name: A\n    state: runing\n", 3, "A", "state", []string{`invalid state "runing"; allowed: any, running, stopped, paused, absent`}},
		{"services:\n  - name: A\n    state: [running]\n", 3, "A", "state", []string{"allowed: any, running"}},
		{"services:\n  - name: A\n    updatePassword: sometimes\n", 3, "A", "updatePassword", []string{"allowed: on_create, always"}},
		{"services:\n  - name: A\n    errorControl: ERROR_SOMETIMES\n", 3, "A", "errorControl", []string{"allowed: ERROR_IGNORE, ERROR_NORMAL"}},
		{"services:\n  - name: A\n    failureActions:\n      resetPeriod: 1\n      actions: []\n      x: 1\n", 6, "A", "failureActions", []string{`unknown field "x"`}},
		{"services:\n  - name: A\n    triggers:\n      - type: domain\n        action: start\n\n        color: red\n", 7, "A", "triggers", []string{`unknown field "color"`}},
		{"services:\n  - name: A\n    preferredNode: {node: 1, set: true, numa: 2}\n", 3, "A", "preferredNode", []string{`unknown field "numa"`}},
		{"services:\n  - name: A\n    failureActions:\n      actions:\n        - delay: 5000\n", 5, "A", "failureActions.actions[0].type", []string{"every action needs a type", "allowed: SC_ACTION_NONE"}},
		{"services:\n  - name: A\n    displayName: 123\n", 3, "A", "displayName", []string{"quote it"}},
		{"services:\n  - name: A\n    delayedAutoStart: yes\n", 3, "A", "delayedAutoStart", []string{"write true or false"}},
		{"services:\n  - name: A\n    timeout: 3\n", 3, "A", "timeout", []string{"a Go duration"}},
		{"services:\n  - name: A\n    securityDescriptor: 'O:SYD:'\n", 3, "A", "securityDescriptor", []string{"only the DACL"}},
		{"services:\n  - name: A\n    securityDescriptor: nonsense\n", 3, "A", "securityDescriptor", nil},
		{"services:\n  - name: A\n    password: {env: X, file: y}\n", 3, "A", "password", []string{"exactly one of env, file or stdin"}},
		{"services:\n  - name: A\n    password: {value: x}\n", 3, "A", "password", []string{`unknown field "value"; allowed: env, file, stdin`}},
		{"services:\n  - name: A\n  - name: B\n  - name: a\n", 4, "a", "name", []string{"given twice (also at line 2)"}},
		{"services:\n  - displayName: A\n", 2, "", "name", []string{"every service needs a name"}},
		{"services:\n  - name: A\n    description: x\n    description: y\n", 4, "A", "description", []string{"given twice (also at line 3)"}},
		{"services:\n  - name: A\n    name: B\n", 3, "A", "name", []string{"given twice"}},
		{"services:\n  - name: 'A/B'\n", 2, "A/B", "name", nil},
		{"services:\n  - name: A\n    dependencies: !custom x\n", 3, "A", "dependencies", []string{"tag !custom is not supported"}},
		{"services:\n  - just a string\n", 2, "", "", []string{"a mapping that starts with name:"}},
		{"services:\n  - name: A\n    bad: [\n", 3, "", "", []string{"a.yaml:3: syntax error: did not find expected node content"}},
		{"service:\n  - name: A\n", 1, "", "service", []string{`invalid key "service": is not a key of a document; allowed: services`}},
		{"services: {A: {}}\n", 1, "", "", []string{"must be a list of services"}},
		{"services: []\n---\nservices: []\n", 2, "", "", []string{"more than one YAML document"}},
		{"", 0, "", "", []string{"a.yaml: the document is empty"}},
		{"[1, 2]", 1, "", "", []string{"a mapping whose key services:"}},
		{`{"services": [{"name": "A", "startType": "SOMETIMES"}]}`, 1, "A", "startType", []string{"allowed: BOOT_START"}},
	} {
		_, err := desired.Parse("a.yaml", []byte(c.src))
		var de *desired.Error
		if !errors.As(err, &de) || !errors.Is(err, winsvc.ErrInvalid) {
			t.Errorf("%q: %v; want a *desired.Error matching ErrInvalid", c.src, err)
			continue
		}
		if de.File != "a.yaml" || de.Line != c.line || de.Service != c.service || de.Field != c.field {
			t.Errorf("%q: file %q line %d service %q field %q; want line %d service %q field %q (%v)",
				c.src, de.File, de.Line, de.Service, de.Field, c.line, c.service, c.field, err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: %v; want it to contain %q", c.src, err, w)
			}
		}
	}
}

// Every problem of a document is reported, not only the first.
func TestParseReportsEveryError(t *testing.T) {
	_, err := desired.Parse("a.yaml", []byte("services:\n  - name: A\n    state: up\n    color: red\n  - name: B\n    startType: sometimes\n"))
	for _, want := range []string{"a.yaml:3:", "a.yaml:4:", "a.yaml:6:"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v; want an error at %s", err, want)
		}
	}
	var many strings.Builder
	many.WriteString("services:\n")
	for range 30 {
		many.WriteString("  - name: ''\n")
	}
	if _, err := desired.Parse("a.yaml", []byte(many.String())); err == nil || !strings.Contains(err.Error(), "and 10 more errors") {
		t.Errorf("30 errors: %v; want 20 and a count of the rest", err)
	}
}

// A password written in the document is refused without being repeated,
// wherever it is.
func TestParsePasswordNeverShown(t *testing.T) {
	for _, src := range []string{
		"services:\n  - name: A\n    password: hunter2-secret\n",
		"services:\n  - name: A\n    password: [hunter2-secret]\n",
		"services:\n  - name: A\n    password: {value: hunter2-secret}\n",
		"services:\n  - name: A\n    password: {env: X, value: hunter2-secret}\n",
	} {
		_, err := desired.Parse("a.yaml", []byte(src))
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: %v; want an error that does not show the password", src, err)
		}
	}
}

// A YAML anchor and alias read as the value they stand for; JSON's escapes
// read as JSON's.
func TestParseAliasesAndJSON(t *testing.T) {
	doc := parse(t, "services:\n  - name: A\n    dependencies: &deps [X, +G]\n  - name: B\n    dependencies: *deps\n")
	if !reflect.DeepEqual(doc.Services[0].Definition.Dependencies, doc.Services[1].Definition.Dependencies) {
		t.Errorf("alias: %+v", doc.Services)
	}
	doc = parse(t, `{"services":[{"name":"A","binaryPathName":"\"C:\\Program Files\\a.exe\" -x","description":"caf\u00e9"}]}`)
	d := doc.Services[0].Definition
	if d.BinaryPath != `C:\Program Files\a.exe` || *d.Description != "café" {
		t.Errorf("JSON: %+v", d)
	}
	if doc := parse(t, "services:\n"); len(doc.Services) != 0 {
		t.Errorf("services: with no list: %+v", doc)
	}
}

// The text forms of State and UpdatePassword.
func TestWords(t *testing.T) {
	for _, s := range []desired.State{desired.Any, desired.Running, desired.Stopped, desired.Paused, desired.Absent} {
		b, _ := s.MarshalText()
		var back desired.State
		if err := back.UnmarshalText([]byte(strings.ToUpper(string(b)))); err != nil || back != s {
			t.Errorf("%v: %s reads back as %v, %v", s, b, back, err)
		}
	}
	var u desired.UpdatePassword
	if err := u.UnmarshalText([]byte("ALWAYS")); err != nil || u != desired.Always || u.String() != "always" || desired.OnCreate.String() != "on_create" {
		t.Errorf("updatePassword: %v, %v", u, err)
	}
	if err := u.UnmarshalText([]byte("never")); !errors.Is(err, winsvc.ErrInvalid) {
		t.Errorf("never: %v", err)
	}
}

// The documented example of the package documentation parses.
func TestPackageExampleParses(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	in := false
	for _, l := range strings.Split(string(src), "\n") {
		switch {
		case strings.HasPrefix(l, "//\tservices:"):
			in = true
		case in && !strings.HasPrefix(l, "//\t"):
			in = false
		}
		if in {
			lines = append(lines, strings.TrimPrefix(l, "//\t"))
		}
	}
	doc := parse(t, strings.Join(lines, "\n"))
	if len(doc.Services) != 1 || doc.Services[0].State != desired.Running {
		t.Errorf("%+v", doc)
	}
}

// The example of README.md's "Desired state" section parses.
func TestReadmeExampleParses(t *testing.T) {
	src, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(src), "## Desired state")
	_, block, ok := strings.Cut(section, "```yaml\n")
	block, _, _ = strings.Cut(block, "```")
	if !ok {
		t.Fatal("README.md's Desired state section has no yaml block")
	}
	doc := parse(t, block)
	if len(doc.Services) != 2 || doc.Services[1].State != desired.Absent || doc.Services[0].Definition.FailureActions == nil {
		t.Errorf("%+v", doc.Services)
	}
}

// A document that leaves an enum out, or gives it as null or "", leaves the
// setting unset; one that names its Win32 0 (BOOT_START, SID_TYPE_NONE)
// sets that value.
func TestParseEnumUnsetAndZero(t *testing.T) {
	doc, err := desired.Parse("a.yaml", []byte(`services:
  - name: Unset
    startType:
    errorControl: ''
  - name: Zero
    serviceType: KERNEL_DRIVER
    startType: boot
    errorControl: ERROR_IGNORE
    sidType: '0'
    launchProtected: none
`))
	if err != nil {
		t.Fatal(err)
	}
	unset, zero := doc.Services[0].Definition, doc.Services[1].Definition
	if unset.StartType != nil || unset.ErrorControl != nil || unset.SIDType != nil || unset.LaunchProtected != nil {
		t.Errorf("Unset sets %v %v %v %v", unset.StartType, unset.ErrorControl, unset.SIDType, unset.LaunchProtected)
	}
	if zero.StartType == nil || *zero.StartType != winsvc.BootStart || zero.ErrorControl == nil || *zero.ErrorControl != winsvc.ErrorIgnore ||
		zero.SIDType == nil || *zero.SIDType != winsvc.SIDTypeNone || zero.LaunchProtected == nil || *zero.LaunchProtected != winsvc.LaunchProtectedNone {
		t.Errorf("Zero: %v %v %v %v; want BOOT_START, ERROR_IGNORE, SID_TYPE_NONE, SERVICE_LAUNCH_PROTECTED_NONE",
			zero.StartType, zero.ErrorControl, zero.SIDType, zero.LaunchProtected)
	}
}
