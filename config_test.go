package winsvc

import (
	"encoding/json"
	"errors"
	"github.com/winsvc/winsvc/trigger"
	"maps"
	"slices"
	"sort"
	"testing"
	"time"
)

// fullConfig returns a configuration with every setting set to a value other
// than its default.
func fullConfig() *Config {
	return &Config{
		Name:             "MySvc",
		DisplayName:      "My Service",
		ServiceType:      Win32ShareProcess,
		StartType:        AutoStart,
		DelayedAutoStart: true,
		ErrorControl:     ErrorSevere,
		BinaryPathName:   `"C:\Program Files\My Svc\svc.exe" -k "a b"`,
		LoadOrderGroup:   "",
		TagID:            7,
		Dependencies:     []Dependency{ServiceDependency("Tcpip"), GroupDependency("NetworkProvider")},
		ServiceStartName: `NT AUTHORITY\LocalService`,
		Description:      "Does things.",
		FailureActions: FailureActions{
			ResetPeriod: ResetAfter(24 * time.Hour), RebootMessage: "rebooting", Command: `C:\fix.cmd`,
			Actions: []Action{RestartAction(5 * time.Second), RunCommandAction(10 * time.Second), RebootAction(time.Minute)},
		},
		FailureActionsOnNonCrashFailures: true,
		SIDType:                          SIDTypeRestricted,
		RequiredPrivileges:               []string{"SeChangeNotifyPrivilege", "SeCreateGlobalPrivilege"},
		PreshutdownTimeout:               3 * time.Minute,
		LaunchProtected:                  LaunchProtectedNone,
	}
}

// issue4ConfigJSON is the JSON of fullConfig for the fields issue 4 names.
var issue4ConfigJSON = map[string]string{
	"name":             `"MySvc"`,
	"displayName":      `"My Service"`,
	"serviceType":      `"WIN32_SHARE_PROCESS"`,
	"startType":        `"AUTO_START"`,
	"delayedAutoStart": `true`,
	"errorControl":     `"ERROR_SEVERE"`,
	"binaryPathName":   `"\"C:\\Program Files\\My Svc\\svc.exe\" -k \"a b\""`,
	"loadOrderGroup":   `""`,
	"tagId":            `7`,
	"dependencies":     `["Tcpip","+NetworkProvider"]`,
	"serviceStartName": `"NT AUTHORITY\\LocalService"`,
	"description":      `"Does things."`,
	"failureActions": `{"resetPeriod":86400,"rebootMessage":"rebooting","command":"C:\\fix.cmd","actions":[` +
		`{"type":"SC_ACTION_RESTART","delay":5000},{"type":"SC_ACTION_RUN_COMMAND","delay":10000},` +
		`{"type":"SC_ACTION_REBOOT","delay":60000}]}`,
	"failureActionsOnNonCrashFailures": `true`,
	"sidType":                          `"SID_TYPE_RESTRICTED"`,
	"requiredPrivileges":               `["SeChangeNotifyPrivilege","SeCreateGlobalPrivilege"]`,
	"preshutdownTimeout":               `180000`,
}

// configJSONFields decodes the top level of a Config's JSON.
func configJSONFields(t *testing.T, c Config) map[string]json.RawMessage {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("Config JSON %s: %v", b, err)
	}
	return m
}

func TestConfigJSONFields(t *testing.T) {
	got := configJSONFields(t, *fullConfig())
	for k, want := range issue4ConfigJSON {
		if string(got[k]) != want {
			t.Errorf("%s = %s; want %s", k, got[k], want)
		}
	}
	for k, want := range map[string]string{
		"triggers":        `[]`,
		"launchProtected": `"SERVICE_LAUNCH_PROTECTED_NONE"`,
		"managedAccount":  `false`,
		"unavailable":     `{}`,
	} {
		if string(got[k]) != want {
			t.Errorf("%s = %s; want %s", k, got[k], want)
		}
	}
	wantKeys := append(slices.Collect(maps.Keys(issue4ConfigJSON)), "triggers", "preferredNode", "launchProtected", "managedAccount", "program", "unavailable")
	sort.Strings(wantKeys)
	gotKeys := slices.Sorted(maps.Keys(got))
	if !slices.Equal(gotKeys, wantKeys) {
		t.Errorf("JSON fields = %v; want %v", gotKeys, wantKeys)
	}
}

func TestConfigJSONUnavailable(t *testing.T) {
	c := fullConfig()
	c.markUnavailable(FieldDescription, errors.New("ERROR_ACCESS_DENIED (5): access is denied"))
	c.markUnavailable(FieldSIDType, errors.New("ERROR_INVALID_LEVEL (124): not supported"))
	c.markUnavailable(FieldPreshutdownTimeout, errors.New("unsupported"))
	c.markUnavailable(FieldFailureActions, errors.New("denied"))
	got := configJSONFields(t, *c)
	for _, f := range []string{"description", "sidType", "preshutdownTimeout", "failureActions"} {
		if string(got[f]) != "null" {
			t.Errorf("unavailable %s = %s; want null", f, got[f])
		}
	}
	const wantUnavailable = `{"description":"ERROR_ACCESS_DENIED (5): access is denied","failureActions":"denied",` +
		`"preshutdownTimeout":"unsupported","sidType":"ERROR_INVALID_LEVEL (124): not supported"}`
	if string(got["unavailable"]) != wantUnavailable {
		t.Errorf("unavailable = %s; want %s", got["unavailable"], wantUnavailable)
	}
	// The other settings are still there.
	for _, f := range []string{"name", "startType", "dependencies", "requiredPrivileges", "failureActionsOnNonCrashFailures"} {
		if string(got[f]) != issue4ConfigJSON[f] {
			t.Errorf("%s = %s; want %s", f, got[f], issue4ConfigJSON[f])
		}
	}
}

func TestConfigJSONEmptyLists(t *testing.T) {
	got := configJSONFields(t, Config{Name: "x"})
	for k, want := range map[string]string{
		"dependencies": `[]`, "requiredPrivileges": `[]`, "triggers": `[]`, "unavailable": `{}`,
		// A service type of 0 is none; the enums' zero values are Win32 values.
		"serviceType": `""`, "startType": `"BOOT_START"`, "errorControl": `"ERROR_IGNORE"`, "sidType": `"SID_TYPE_NONE"`,
		"launchProtected": `"SERVICE_LAUNCH_PROTECTED_NONE"`, "preshutdownTimeout": `0`,
		"failureActions": `{"resetPeriod":0,"rebootMessage":"","command":"","actions":[]}`,
	} {
		if string(got[k]) != want {
			t.Errorf("%s = %s; want %s", k, got[k], want)
		}
	}
}

func TestConfigAvailable(t *testing.T) {
	var c Config
	if !c.Available(FieldDescription) {
		t.Error("a zero Config reports description unavailable")
	}
	c.markUnavailable(FieldDescription, errors.New("denied"))
	if c.Available(FieldDescription) || !c.Available(FieldSIDType) {
		t.Errorf("Available after markUnavailable(description): description %v, sidType %v",
			c.Available(FieldDescription), c.Available(FieldSIDType))
	}
	if c.Unavailable[FieldDescription].Error() != "denied" {
		t.Errorf("reason = %v", c.Unavailable[FieldDescription])
	}
}

func TestConfigClone(t *testing.T) {
	c := fullConfig()
	c.Triggers = []trigger.Trigger{{Type: 1, Action: 1}}
	c.markUnavailable(FieldPreferredNode, errors.New("no"))
	n := c.Clone()
	if p := ComputePlan(c, n, nil, ""); !p.Empty() {
		t.Fatalf("clone differs: %v", p.String())
	}
	n.Dependencies[0].Name = "changed"
	n.RequiredPrivileges[0] = "changed"
	n.FailureActions.Actions[0].Delay = 0
	n.Triggers[0].Type = 9
	n.Unavailable[FieldDescription] = errors.New("x")
	if c.Dependencies[0].Name != "Tcpip" || c.RequiredPrivileges[0] != "SeChangeNotifyPrivilege" ||
		c.FailureActions.Actions[0].Delay != 5*time.Second || c.Triggers[0].Type != 1 || !c.Available(FieldDescription) {
		t.Error("Clone shares memory with the original")
	}
	if (&Config{}).Clone().Unavailable != nil {
		t.Error("Clone of a config without unavailable settings made a map")
	}
}

func TestConfigExecutable(t *testing.T) {
	tests := []struct {
		cmd  string
		exe  string
		args []string
	}{
		{`C:\svc.exe`, `C:\svc.exe`, nil},
		{`"C:\Program Files\svc.exe" -k "a b" c`, `C:\Program Files\svc.exe`, []string{"-k", "a b", "c"}},
		{`C:\Windows\system32\svchost.exe -k netsvcs -p`, `C:\Windows\system32\svchost.exe`, []string{"-k", "netsvcs", "-p"}},
		// Unquoted with spaces: the program up to ".exe", as Windows ends
		// up starting it when C:\Program.exe does not exist.
		{`C:\Program Files\svc.exe`, `C:\Program Files\svc.exe`, nil},
		{`C:\Program Files\My App\svc.exe -port 1`, `C:\Program Files\My App\svc.exe`, []string{"-port", "1"}},
	}
	for _, tt := range tests {
		exe, args := (&Config{BinaryPathName: tt.cmd}).Executable()
		if exe != tt.exe || !slices.Equal(args, tt.args) {
			t.Errorf("Executable(%s) = %q, %q; want %q, %q", tt.cmd, exe, args, tt.exe, tt.args)
		}
	}
}

func TestDependency(t *testing.T) {
	tests := []struct {
		text string
		dep  Dependency
	}{
		{"Tcpip", Dependency{Name: "Tcpip"}},
		{"+NetworkProvider", Dependency{Name: "NetworkProvider", Group: true}},
		{"+", Dependency{Name: "", Group: true}},
	}
	for _, tt := range tests {
		if got := ParseDependency(tt.text); got != tt.dep {
			t.Errorf("ParseDependency(%q) = %+v; want %+v", tt.text, got, tt.dep)
		}
		if got := tt.dep.String(); got != tt.text {
			t.Errorf("%+v.String() = %q; want %q", tt.dep, got, tt.text)
		}
		b, err := json.Marshal(tt.dep)
		if err != nil {
			t.Fatal(err)
		}
		var back Dependency
		if err := json.Unmarshal(b, &back); err != nil || back != tt.dep {
			t.Errorf("JSON round trip of %+v via %s = %+v, %v", tt.dep, b, back, err)
		}
	}
	if ServiceDependency("a") != (Dependency{Name: "a"}) || GroupDependency("g") != (Dependency{Name: "g", Group: true}) {
		t.Error("dependency constructors")
	}
}
