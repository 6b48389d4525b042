package winsvc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A Definition's JSON uses Config's names and value forms, and reads back
// to a Definition that recreates the service.
func TestDefinitionJSONRoundTrip(t *testing.T) {
	c := fullConfig()
	c.Triggers = sampleTriggers()
	c.PreferredNode = PreferredNode{Node: 2, Set: true}
	c.LoadOrderGroup = "G"
	c.DelayedAutoStart = false
	c.Program = fullProgram()
	b, err := json.Marshal(c.Definition())
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]json.RawMessage
	cb, _ := json.Marshal(c)
	if err := json.Unmarshal(cb, &cfg); err != nil {
		t.Fatal(err)
	}
	var def map[string]json.RawMessage
	if err := json.Unmarshal(b, &def); err != nil {
		t.Fatal(err)
	}
	for k, v := range def {
		switch {
		case k == string(FieldTagID):
			if string(v) != "true" {
				t.Errorf("tagId = %s, want true (a tag is asked for)", v)
			}
		case cfg[k] == nil:
			t.Errorf("%s: not a name of Config's JSON", k)
		case k == string(FieldProgram):
			// A secret variable: Config's JSON hides its value, the
			// Definition names it alone.
			if want := bytes.Replace(cfg[k], []byte(`"API_TOKEN=(hidden)"`), []byte(`"API_TOKEN"`), 1); !bytes.Equal(v, want) {
				t.Errorf("%s = %s; want %s", k, v, want)
			}
		case !bytes.Equal(v, cfg[k]):
			t.Errorf("%s = %s; Config's JSON has %s", k, v, cfg[k])
		}
	}
	if len(def) != len(settings)+1 {
		t.Errorf("%d keys, want name and every setting (%d): %s", len(def), len(settings)+1, b)
	}

	var d Definition
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	back := defaultConfig(d.Name)
	back.Program = cloneProgram(c.Program) // the service holds the secret the JSON names alone
	d.applyTo(back)
	back.TagID = c.TagID
	if p := ComputePlan(c, back, nil, ""); !p.Empty() {
		t.Errorf("the JSON does not recreate the service:\n%s", p.String())
	}
	again, err := json.Marshal(d)
	if err != nil || !bytes.Equal(again, b) {
		t.Errorf("encodes again as\n%s\nnot\n%s (%v)", again, b, err)
	}
}

// Only what is set is written, and only what is written is set.
func TestDefinitionJSONPartial(t *testing.T) {
	d := Definition{Name: "S", StartType: Ptr(Disabled), Description: Ptr(""), PreshutdownTimeout: Ptr(5 * time.Second)}
	b, err := json.Marshal(d)
	if want := `{"name":"S","startType":"DISABLED","description":"","preshutdownTimeout":5000}`; err != nil || string(b) != want {
		t.Errorf("= %s, %v; want %s", b, err, want)
	}
	var back Definition
	if err := json.Unmarshal(b, &back); err != nil || back.StartType == nil || *back.StartType != Disabled || back.Description == nil || *back.Description != "" ||
		*back.PreshutdownTimeout != 5*time.Second || back.DisplayName != "" || back.Dependencies != nil || back.FailureActions != nil {
		t.Errorf("reads back as %+v, %v", back, err)
	}
	if _, err := json.Marshal(Definition{Name: "S", Args: []string{"-x"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Args alone: %v, want an invalid args error", err)
	}
	var tag Definition
	if err := json.Unmarshal([]byte(`{"name":"S","tagId":3}`), &tag); err != nil || !tag.RequestTag {
		t.Errorf("tagId 3: %+v, %v; want a tag asked for", tag, err)
	}
	if err := tag.Validate(); err != nil {
		t.Errorf("Validate (a tag for a service whose group is left as is): %v", err)
	}
	c := defaultConfig("S")
	c.BinaryPathName = `C:\s.exe`
	tag.applyTo(c)
	if err := c.validate(nil); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "tagId") {
		t.Errorf("a tag for a service in no group: %v, want a tagId error", err)
	}
}

// Unknown names, at the top or inside a setting, and values a setting
// cannot take are errors naming the field with its path, in the
// document's words: what the field takes (the allowed values) and what
// it got; never Go's.
func TestDefinitionJSONErrors(t *testing.T) {
	for _, c := range []struct{ in, field, msg string }{
		{`{"name":"S","startMode":"auto"}`, "startMode", "invalid startMode: unknown key: not a setting of a service; allowed: name, displayName,"},
		{`{"name":"S","unavailable":{}}`, "unavailable", "invalid unavailable: unknown key"},
		{`{"name":"S","startType":"SOMETIMES"}`, "startType", `invalid startType "SOMETIMES"; allowed: BOOT_START, SYSTEM_START, AUTO_START`},
		{`{"name":"S","startType":3}`, "startType", "invalid startType: expected one of the allowed names, got a number; allowed: BOOT_START, SYSTEM_START, AUTO_START"},
		{`{"name":"S","failureActions":{"actions":[],"resetPeriod":1,"x":1}}`, "failureActions.x", "invalid failureActions.x: unknown key; allowed: resetPeriod, rebootMessage, command, actions"},
		{`{"name":"S","failureActions":{"actions":[{"type":"restart","delay":1},{"type":"restart","delay":"5s"}]}}`, "failureActions.actions[1].delay", "invalid failureActions.actions[1].delay: expected a whole number, got a text"},
		{`{"name":"S","failureActions":"restart"}`, "failureActions", "invalid failureActions: expected a mapping, got a text"},
		{`{"name":"S","triggers":[{"type":"domain","action":"start","color":"red"}]}`, "triggers[0].color", "invalid triggers[0].color: unknown key; allowed: type, action, subtype, subtypeName, dataItems"},
		{`{"name":"S","triggers":[{"type":"domain","action":"start"},{"type":"domain","action":"start","dataItems":[{"type":"level","level":"high"}]}]}`, "triggers[1].dataItems[0].level", "invalid triggers[1].dataItems[0].level: expected a whole number from 0 to 255, got a text"},
		{`{"name":"S","preferredNode":{"node":1,"set":true,"numa":2}}`, "preferredNode.numa", "invalid preferredNode.numa: unknown key; allowed: node, set"},
		{`{"name":"S","preshutdownTimeout":"3m"}`, "preshutdownTimeout", "invalid preshutdownTimeout: expected a whole number of milliseconds, got a text"},
		{`{"name":"S","dependencies":"Tcpip"}`, "dependencies", "invalid dependencies: expected a list of service names (+NAME for a group), got a text"},
		{`{"name":"S","dependencies":["Tcpip",5]}`, "dependencies[1]", "invalid dependencies[1]: expected a text, got a number"},
		{`{"name":"S","delayedAutoStart":"yes"}`, "delayedAutoStart", "invalid delayedAutoStart: expected true or false, got a text"},
		{`{"name":"S","tagId":"x"}`, "tagId", "invalid tagId: expected true (to ask for a tag) or a tag number, got a text"},
		{`{"name":3}`, "name", "invalid name: expected a text, got a number"},
	} {
		var d Definition
		err := json.Unmarshal([]byte(c.in), &d)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != c.field || !strings.HasPrefix(err.Error(), c.msg) {
			t.Errorf("%s: %v; want a validation error for %s: %s", c.in, err, c.field, c.msg)
		}
		if err != nil && (strings.Contains(err.Error(), "Go ") || strings.Contains(err.Error(), "json:")) {
			t.Errorf("%s: %v: in Go's words", c.in, err)
		}
	}
}

// Every problem of a definition is reported, not only the first: three
// bad fields, three errors.
func TestDefinitionJSONReportsEveryError(t *testing.T) {
	var d Definition
	err := json.Unmarshal([]byte(`{"name":"S","startType":5,"color":"red","errorControl":"sometimes","delayedAutoStart":"yes"}`), &d)
	var many interface{ Unwrap() []error }
	if !errors.As(err, &many) || len(many.Unwrap()) != 4 {
		t.Fatalf("%v; want 4 errors", err)
	}
	for _, f := range []string{"startType", "color", "errorControl", "delayedAutoStart"} {
		if !strings.Contains(err.Error(), "invalid "+f) {
			t.Errorf("%v; want an error for %s", err, f)
		}
	}
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("%v does not match ErrInvalid", err)
	}
}

// JSON beyond the limits of a document is refused, naming the limit.
func TestDefinitionJSONBounds(t *testing.T) {
	for in, want := range map[string]string{
		`{"name":"S","description":"` + strings.Repeat("x", 2<<20) + `"}`:                     "a text of 2097152 bytes is longer than 1 MiB, the limit",
		`{"name":"S","triggers":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`: "values nest deeper than 64 levels, the limit",
		`{"name":"S","description":"` + strings.Repeat("x", 17<<20) + `"}`:                    "larger than 16 MiB, the limit",
	} {
		var d Definition
		err := d.UnmarshalJSON([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, ErrInvalid) || len(err.Error()) > 200 {
			t.Errorf("%.40s…: %.300v; want %q", in, err, want)
		}
	}
}

// Every setting of a Definition's JSON, given a huge value of every kind,
// is refused (or read) with an error that is short and names the setting;
// with a list of names when the setting takes one of them. The Definition
// that reads is validated too, with the same bound.
func TestDefinitionJSONHugeValues(t *testing.T) {
	huge := strings.Repeat("x", 100_000)
	for _, key := range definitionKeys() {
		for _, form := range []string{`"%s"`, `9%s`, `["%s", 1]`, `{"%s": 1}`, `{"node": "%s", "actions": [{"type": "%s"}], "command": "%s"}`,
			`[{"type": "%s", "action": "start", "dataItems": [{"type": "string", "string": "%s"}]}]`} {
			text := huge
			if form == `9%s` {
				text = strings.Repeat("9", len(huge))
			}
			in := fmt.Sprintf(`{"name": "S", %q: %s}`, key, strings.ReplaceAll(form, "%s", text))
			var d Definition
			err := d.UnmarshalJSON([]byte(in))
			if err == nil {
				err = d.Validate()
			}
			if err == nil {
				continue
			}
			if len(err.Error()) > 1024 || !strings.Contains(err.Error(), key) || !errors.Is(err, ErrInvalid) {
				t.Errorf("%s as %.20s: %d bytes: %.300v", key, form, len(err.Error()), err)
			}
		}
	}
}

// TestDefinitionJSONEnumUnsetAndZero: the enum settings whose Win32 zero is
// a value (BOOT_START, ERROR_IGNORE, SID_TYPE_NONE,
// SERVICE_LAUNCH_PROTECTED_NONE) tell an absent key, null and "" (unset)
// from that value, by name or by number, which is set.
func TestDefinitionJSONEnumUnsetAndZero(t *testing.T) {
	type fields struct {
		start *StartType
		ec    *ErrorControl
		sid   *SIDType
		lp    *LaunchProtection
	}
	of := func(d Definition) fields { return fields{d.StartType, d.ErrorControl, d.SIDType, d.LaunchProtected} }
	for _, in := range []string{
		`{"name":"S"}`,
		`{"name":"S","startType":null,"errorControl":null,"sidType":null,"launchProtected":null}`,
		`{"name":"S","startType":"","errorControl":"","sidType":" ","launchProtected":""}`,
	} {
		var d Definition
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if f := of(d); f != (fields{}) {
			t.Errorf("%s: sets %+v; want all unset", in, f)
		}
		if b, err := json.Marshal(d); err != nil || string(b) != `{"name":"S"}` {
			t.Errorf("%s: written back as %s, %v", in, b, err)
		}
	}
	for _, in := range []string{
		`{"name":"S","startType":"BOOT_START","errorControl":"ERROR_IGNORE","sidType":"SID_TYPE_NONE","launchProtected":"SERVICE_LAUNCH_PROTECTED_NONE"}`,
		`{"name":"S","startType":"boot","errorControl":"ignore","sidType":"none","launchProtected":"none"}`,
		`{"name":"S","startType":"0","errorControl":"0","sidType":"0","launchProtected":"0"}`,
	} {
		var d Definition
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if d.StartType == nil || *d.StartType != BootStart || d.ErrorControl == nil || *d.ErrorControl != ErrorIgnore ||
			d.SIDType == nil || *d.SIDType != SIDTypeNone || d.LaunchProtected == nil || *d.LaunchProtected != LaunchProtectedNone {
			t.Errorf("%s: reads as %+v; want each set to its Win32 0", in, of(d))
		}
		const want = `{"name":"S","startType":"BOOT_START","errorControl":"ERROR_IGNORE","sidType":"SID_TYPE_NONE","launchProtected":"SERVICE_LAUNCH_PROTECTED_NONE"}`
		if b, err := json.Marshal(d); err != nil || string(b) != want {
			t.Errorf("%s: written back as %s, %v; want %s", in, b, err, want)
		}
	}
}
