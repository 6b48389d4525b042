package winsvc

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
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
// cannot take are errors naming the field (and the allowed values).
func TestDefinitionJSONErrors(t *testing.T) {
	for in, field := range map[string]string{
		`{"name":"S","startMode":"auto"}`:                                            "startMode",
		`{"name":"S","unavailable":{}}`:                                              "unavailable",
		`{"name":"S","startType":"SOMETIMES"}`:                                       "startType",
		`{"name":"S","startType":3}`:                                                 "startType",
		`{"name":"S","failureActions":{"actions":[],"resetPeriod":1,"x":1}}`:         "failureActions",
		`{"name":"S","triggers":[{"type":"domain","action":"start","color":"red"}]}`: "triggers",
		`{"name":"S","preferredNode":{"node":1,"set":true,"numa":2}}`:                "preferredNode",
		`{"name":"S","preshutdownTimeout":"3m"}`:                                     "preshutdownTimeout",
		`{"name":"S","dependencies":"Tcpip"}`:                                        "dependencies",
		`{"name":3}`:                                                                 "name",
	} {
		var d Definition
		err := json.Unmarshal([]byte(in), &d)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != field {
			t.Errorf("%s: %v; want a validation error for %s", in, err, field)
		}
	}
	var d Definition
	err := json.Unmarshal([]byte(`{"name":"S","startMode":"auto"}`), &d)
	var ve *ValidationError
	if errors.As(err, &ve) && !slices.Contains(ve.Allowed, "startType") {
		t.Errorf("unknown name: allowed %v, want the setting names", ve.Allowed)
	}
	err = json.Unmarshal([]byte(`{"name":"S","startType":"SOMETIMES"}`), &d)
	if err == nil || !strings.Contains(err.Error(), "AUTO_START") {
		t.Errorf("bad start type: %v; want the allowed values listed", err)
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
