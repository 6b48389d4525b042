package cli

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/trigger"
)

// spellings returns the ways an option can be written: sc syntax (two
// arguments, and one), a flag (two arguments, and one), and sc syntax in
// another case.
func spellings(key, value string) [][]string {
	return [][]string{
		{key + "=", value},
		{key + "=" + value},
		{"--" + strings.ToLower(key), value},
		{"--" + strings.ToLower(key) + "=" + value},
		{strings.ToUpper(key) + "=", value},
	}
}

// parseLine parses a command line against the verb table.
func parseLine(args []string) (*invocation, error) { return parseCommandLine(commands, args) }

// lookup finds a verb of the table.
func lookup(verb string) *command { return commands.lookup(verb) }

// sortedCommands returns the verbs of the table in name order.
func sortedCommands() []*command { return commands.list() }

// parseOK parses args and returns the Options.
func parseOK(t *testing.T, args ...string) any {
	t.Helper()
	inv, err := parseLine(args)
	if err != nil {
		t.Fatalf("parse %q: %v", args, err)
	}
	return inv.opts
}

func wantOptions(t *testing.T, args []string, want any) {
	t.Helper()
	got := parseOK(t, args...)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parse %q:\n got %#v\nwant %#v", args, got, want)
	}
}

var defaultWait = WaitOptions{Timeout: defaultTimeout}

func TestParseCreateOptions(t *testing.T) {
	def := func(mod func(d *winsvc.Definition)) *ConfigOptions {
		o := &ConfigOptions{Create: true, Def: winsvc.Definition{Name: "Foo", CommandLine: `C:\x\y.exe`}}
		mod(&o.Def)
		return o
	}
	tests := []struct {
		key, value string
		want       *ConfigOptions
	}{
		{"binPath", `C:\Program Files\App\svc.exe --port 8080`, def(func(d *winsvc.Definition) {
			d.CommandLine = `C:\Program Files\App\svc.exe --port 8080`
		})},
		{"binPath", `"C:\Program Files\App\svc.exe" -k "a b"`, def(func(d *winsvc.Definition) {
			d.CommandLine = `"C:\Program Files\App\svc.exe" -k "a b"`
		})},
		{"type", "share", def(func(d *winsvc.Definition) { d.ServiceType = winsvc.Win32ShareProcess })},
		{"type", "kernel", def(func(d *winsvc.Definition) { d.ServiceType = winsvc.KernelDriver })},
		{"type", "filesys", def(func(d *winsvc.Definition) { d.ServiceType = winsvc.FileSystemDriver })},
		{"type", "rec", def(func(d *winsvc.Definition) { d.ServiceType = winsvc.RecognizerDriver })},
		{"type", "userown", def(func(d *winsvc.Definition) { d.ServiceType = winsvc.UserOwnProcess })},
		{"type", "usershare", def(func(d *winsvc.Definition) { d.ServiceType = winsvc.UserShareProcess })},
		{"type", "interact", def(func(d *winsvc.Definition) { d.ServiceType = winsvc.InteractiveOwnProcess })},
		{"start", "auto", def(func(d *winsvc.Definition) {
			d.StartType, d.DelayedAutoStart = winsvc.Ptr(winsvc.AutoStart), winsvc.Ptr(false)
		})},
		{"start", "delayed-auto", def(func(d *winsvc.Definition) {
			d.StartType, d.DelayedAutoStart = winsvc.Ptr(winsvc.AutoStart), winsvc.Ptr(true)
		})},
		{"start", "demand", def(func(d *winsvc.Definition) {
			d.StartType, d.DelayedAutoStart = winsvc.Ptr(winsvc.DemandStart), winsvc.Ptr(false)
		})},
		{"start", "disabled", def(func(d *winsvc.Definition) {
			d.StartType, d.DelayedAutoStart = winsvc.Ptr(winsvc.Disabled), winsvc.Ptr(false)
		})},
		{"start", "boot", def(func(d *winsvc.Definition) {
			d.StartType, d.DelayedAutoStart = winsvc.Ptr(winsvc.BootStart), winsvc.Ptr(false)
		})},
		{"start", "system", def(func(d *winsvc.Definition) {
			d.StartType, d.DelayedAutoStart = winsvc.Ptr(winsvc.SystemStart), winsvc.Ptr(false)
		})},
		{"error", "severe", def(func(d *winsvc.Definition) { d.ErrorControl = winsvc.Ptr(winsvc.ErrorSevere) })},
		{"error", "ignore", def(func(d *winsvc.Definition) { d.ErrorControl = winsvc.Ptr(winsvc.ErrorIgnore) })},
		{"error", "critical", def(func(d *winsvc.Definition) { d.ErrorControl = winsvc.Ptr(winsvc.ErrorCritical) })},
		{"group", "MyGroup", def(func(d *winsvc.Definition) { d.LoadOrderGroup = winsvc.Ptr("MyGroup") })},
		{"depend", "Tcpip/+NetworkProvider", def(func(d *winsvc.Definition) {
			d.Dependencies = []winsvc.Dependency{winsvc.ServiceDependency("Tcpip"), winsvc.GroupDependency("NetworkProvider")}
		})},
		{"depend", "/", def(func(d *winsvc.Definition) { d.Dependencies = []winsvc.Dependency{} })},
		{"obj", `NT AUTHORITY\LocalService`, def(func(d *winsvc.Definition) { d.ServiceStartName = `NT AUTHORITY\LocalService` })},
		{"DisplayName", "Foo Svc", def(func(d *winsvc.Definition) { d.DisplayName = "Foo Svc" })},
	}
	for _, tt := range tests {
		for _, sp := range spellings(tt.key, tt.value) {
			args := []string{"create", "Foo"}
			if tt.key != "binPath" {
				args = append(args, "binPath=", `C:\x\y.exe`)
			}
			wantOptions(t, append(args, sp...), tt.want)
		}
	}
}

func TestParseCreateExample(t *testing.T) {
	// The example of the issue, verbatim.
	args := []string{"create", "Foo", "binPath=", `C:\x\y.exe`, "start=", "delayed-auto", "DisplayName=", "Foo Svc",
		"depend=", "Tcpip/+NetworkProvider", "obj=", "LocalSystem"}
	want := &ConfigOptions{Create: true, Def: winsvc.Definition{
		Name: "Foo", CommandLine: `C:\x\y.exe`, StartType: winsvc.Ptr(winsvc.AutoStart), DelayedAutoStart: winsvc.Ptr(true),
		DisplayName: "Foo Svc", ServiceStartName: "LocalSystem",
		Dependencies: []winsvc.Dependency{winsvc.ServiceDependency("Tcpip"), winsvc.GroupDependency("NetworkProvider")},
	}}
	wantOptions(t, args, want)
	// The same with flags, and with the verb in another case.
	wantOptions(t, []string{"CREATE", "Foo", "--binpath", `C:\x\y.exe`, "--start=delayed-auto", "--display-name", "Foo Svc",
		"--depend", "Tcpip/+NetworkProvider", "--account", "LocalSystem"}, want)
}

func TestParseCreateMisc(t *testing.T) {
	base := func() *ConfigOptions {
		return &ConfigOptions{Create: true, Def: winsvc.Definition{Name: "Foo", CommandLine: `C:\x.exe`}}
	}
	o := base()
	o.Def.ServiceType = winsvc.InteractiveOwnProcess
	wantOptions(t, []string{"create", "Foo", "binPath=", `C:\x.exe`, "type=", "interact", "type=", "own"}, o)
	o = base()
	o.Def.ServiceType = winsvc.InteractiveShareProcess
	wantOptions(t, []string{"create", "Foo", "binPath=", `C:\x.exe`, "type=", "share", "type=", "interact"}, o)
	o = base()
	o.Def.LoadOrderGroup = winsvc.Ptr("")
	wantOptions(t, []string{"create", "Foo", "binPath=", `C:\x.exe`, "group=", ""}, o)
	o = base()
	o.Def.RequestTag = true
	wantOptions(t, []string{"create", "Foo", "binPath=", `C:\x.exe`, "tag=", "yes"}, o)
	o = base()
	wantOptions(t, []string{"create", "Foo", "binPath=", `C:\x.exe`, "tag=", "no"}, o)
	o = base()
	o.Password = PasswordOptions{Arg: "s3cret", ArgGiven: true}
	wantOptions(t, []string{"create", "Foo", "binPath=", `C:\x.exe`, "password=", "s3cret"}, o)
	o = base()
	o.Password = PasswordOptions{Stdin: true}
	o.DryRun = true
	wantOptions(t, []string{"create", "Foo", "binPath=", `C:\x.exe`, "--password-stdin", "--dry-run"}, o)
}

// TestParseConfigOptions: every config option, in every spelling (sc
// syntax in two arguments and one, flags in two arguments and one, and the
// sc name in another case), sets exactly its setting.
func TestParseConfigOptions(t *testing.T) {
	def := func(mod func(o *ConfigOptions)) *ConfigOptions {
		o := &ConfigOptions{Def: winsvc.Definition{Name: "Foo"}}
		mod(o)
		return o
	}
	tests := []struct {
		key, value string
		want       *ConfigOptions
	}{
		{"binPath", `C:\x\y.exe -k "a b"`, def(func(o *ConfigOptions) { o.Def.CommandLine = `C:\x\y.exe -k "a b"` })},
		{"type", "share", def(func(o *ConfigOptions) { o.Def.ServiceType = winsvc.Win32ShareProcess })},
		{"type", "interact", def(func(o *ConfigOptions) { o.Def.ServiceType = winsvc.InteractiveOwnProcess })},
		{"start", "delayed-auto", def(func(o *ConfigOptions) {
			o.Def.StartType, o.Def.DelayedAutoStart = winsvc.Ptr(winsvc.AutoStart), winsvc.Ptr(true)
		})},
		{"start", "disabled", def(func(o *ConfigOptions) {
			o.Def.StartType, o.Def.DelayedAutoStart = winsvc.Ptr(winsvc.Disabled), winsvc.Ptr(false)
		})},
		{"error", "critical", def(func(o *ConfigOptions) { o.Def.ErrorControl = winsvc.Ptr(winsvc.ErrorCritical) })},
		{"group", "MyGroup", def(func(o *ConfigOptions) { o.Def.LoadOrderGroup = winsvc.Ptr("MyGroup") })},
		{"group", "", def(func(o *ConfigOptions) { o.Def.LoadOrderGroup = winsvc.Ptr("") })},
		{"tag", "yes", def(func(o *ConfigOptions) { o.Def.RequestTag = true })},
		{"tag", "YES", def(func(o *ConfigOptions) { o.Def.RequestTag = true })},
		{"depend", "A/+G", def(func(o *ConfigOptions) {
			o.Def.Dependencies = []winsvc.Dependency{winsvc.ServiceDependency("A"), winsvc.GroupDependency("G")}
		})},
		{"depend", "/", def(func(o *ConfigOptions) { o.Def.Dependencies = []winsvc.Dependency{} })},
		{"obj", `.\svcuser`, def(func(o *ConfigOptions) { o.Def.ServiceStartName = `.\svcuser` })},
		{"DisplayName", "Foo Svc", def(func(o *ConfigOptions) { o.Def.DisplayName = "Foo Svc" })},
		{"password", "s3cret", def(func(o *ConfigOptions) { o.Password = PasswordOptions{Arg: "s3cret", ArgGiven: true} })},
	}
	for _, tt := range tests {
		for _, sp := range spellings(tt.key, tt.value) {
			if tt.value == "" && len(sp) == 1 && !strings.HasPrefix(sp[0], "-") {
				continue // "group=" alone takes the next argument as its value
			}
			wantOptions(t, append([]string{"config", "Foo"}, sp...), tt.want)
		}
	}
	// The flag aliases.
	for _, tt := range []struct {
		flag, value string
		want        *ConfigOptions
	}{
		{"--binary-path", `C:\x.exe`, def(func(o *ConfigOptions) { o.Def.CommandLine = `C:\x.exe` })},
		{"--display-name", "D", def(func(o *ConfigOptions) { o.Def.DisplayName = "D" })},
		{"--account", "LocalSystem", def(func(o *ConfigOptions) { o.Def.ServiceStartName = "LocalSystem" })},
	} {
		wantOptions(t, []string{"config", "Foo", tt.flag, tt.value}, tt.want)
		wantOptions(t, []string{"config", "Foo", tt.flag + "=" + tt.value}, tt.want)
	}
	// tag= no asks for nothing: alone, there is nothing to change.
	for _, sp := range spellings("tag", "no") {
		if _, err := parseLine(append([]string{"config", "Foo"}, sp...)); err == nil || !strings.Contains(err.Error(), "nothing to change") {
			t.Errorf("config Foo %q: %v, want nothing to change", sp, err)
		}
	}
}

// TestParseFlagForms: the options the sc-syntax tables do not reach as
// flags.
func TestParseFlagForms(t *testing.T) {
	create := func(mod func(o *ConfigOptions)) *ConfigOptions {
		o := &ConfigOptions{Create: true, Def: winsvc.Definition{Name: "Foo", CommandLine: `C:\x.exe`}}
		mod(o)
		return o
	}
	tests := []struct {
		args []string
		want any
	}{
		{[]string{"create", "Foo", "--binary-path", `C:\x.exe`}, create(func(o *ConfigOptions) {})},
		{[]string{"create", "Foo", "--binary-path=C:\\x.exe"}, create(func(o *ConfigOptions) {})},
		{[]string{"create", "Foo", "--binpath", `C:\x.exe`, "--password", "pw"}, create(func(o *ConfigOptions) { o.Password = PasswordOptions{Arg: "pw", ArgGiven: true} })},
		{[]string{"create", "Foo", "--binpath", `C:\x.exe`, "--password=pw"}, create(func(o *ConfigOptions) { o.Password = PasswordOptions{Arg: "pw", ArgGiven: true} })},
		{[]string{"create", "Foo", "--binpath", `C:\x.exe`, "--group", "G", "--tag", "yes"}, create(func(o *ConfigOptions) {
			o.Def.LoadOrderGroup, o.Def.RequestTag = winsvc.Ptr("G"), true
		})},
		{[]string{"create", "Foo", "--binpath", `C:\x.exe`, "--tag=no"}, create(func(o *ConfigOptions) {})},
		{[]string{"create", "Foo", "--binpath", `C:\x.exe`, "--type", "share", "--type", "interact"}, create(func(o *ConfigOptions) {
			o.Def.ServiceType = winsvc.InteractiveShareProcess
		})},
		{[]string{"create", "Foo", "--binpath", `C:\x.exe`, "--type=interact", "--type=own"}, create(func(o *ConfigOptions) {
			o.Def.ServiceType = winsvc.InteractiveOwnProcess
		})},
		{[]string{"create", "Foo", "--binpath", `C:\x.exe`, "type=", "interact", "--type", "share"}, create(func(o *ConfigOptions) {
			o.Def.ServiceType = winsvc.InteractiveShareProcess
		})},
		{[]string{"config", "Foo", "--type", "share", "--type", "interact"}, &ConfigOptions{Def: winsvc.Definition{Name: "Foo", ServiceType: winsvc.InteractiveShareProcess}}},
		{[]string{"config", "Foo", "--tag", "yes"}, &ConfigOptions{Def: winsvc.Definition{Name: "Foo", RequestTag: true}}},
		{[]string{"config", "Foo", "--password", "pw"}, &ConfigOptions{Def: winsvc.Definition{Name: "Foo"}, Password: PasswordOptions{Arg: "pw", ArgGiven: true}}},
	}
	for _, tt := range tests {
		wantOptions(t, tt.args, tt.want)
	}
	for _, key := range []string{"reboot", "command"} {
		for _, sp := range spellings(key, "x y") {
			want := &FailureOptions{Name: "Foo"}
			if key == "reboot" {
				want.Reboot = winsvc.Ptr("x y")
			} else {
				want.Command = winsvc.Ptr("x y")
			}
			wantOptions(t, append([]string{"failure", "Foo"}, sp...), want)
		}
	}
	wantOptions(t, []string{"failure", "Foo", "--reboot", "", "--command", ""}, &FailureOptions{Name: "Foo", Reboot: winsvc.Ptr(""), Command: winsvc.Ptr("")})
}

func TestParseConfig(t *testing.T) {
	want := &ConfigOptions{Def: winsvc.Definition{Name: "Foo", StartType: winsvc.Ptr(winsvc.AutoStart), DelayedAutoStart: winsvc.Ptr(false)}}
	for _, sp := range spellings("start", "auto") {
		wantOptions(t, append([]string{"config", "Foo"}, sp...), want)
	}
	want = &ConfigOptions{Def: winsvc.Definition{Name: "Foo", Dependencies: []winsvc.Dependency{}, DisplayName: "X"}, DryRun: true}
	wantOptions(t, []string{"config", "Foo", "depend=", "/", "displayname=", "X", "--dry-run"}, want)
	want = &ConfigOptions{Def: winsvc.Definition{Name: "Foo"}, Password: PasswordOptions{Stdin: true}}
	wantOptions(t, []string{"config", "Foo", "--password-stdin"}, want)
}

func TestParseTransitions(t *testing.T) {
	for _, op := range []string{"start", "stop", "pause", "continue"} {
		wantOptions(t, []string{op, "Foo"}, &TransitionOptions{Name: "Foo", Wait: defaultWait})
		wantOptions(t, []string{strings.ToUpper(op), "Foo", "--no-wait", "--timeout", "2m", "--ensure"},
			&TransitionOptions{Name: "Foo", Wait: WaitOptions{NoWait: true, Timeout: 2 * time.Minute, Ensure: true}})
		wantOptions(t, []string{op, "Foo", "--timeout=1500ms"},
			&TransitionOptions{Name: "Foo", Wait: WaitOptions{Timeout: 1500 * time.Millisecond}})
	}
	wantOptions(t, []string{"start", "Foo", "a", "b c", "-x", "k=v", "--no-wait", "--", "--json"},
		&TransitionOptions{Name: "Foo", Args: []string{"a", "b c", "-x", "k=v", "--json"}, Wait: WaitOptions{NoWait: true, Timeout: defaultTimeout}})
	wantOptions(t, []string{"stop", "Foo", "--with-dependents"},
		&TransitionOptions{Name: "Foo", WithDependents: true, Wait: defaultWait})
	wantOptions(t, []string{"restart", "Foo", "--timeout", "1m"}, &RestartOptions{Name: "Foo", Timeout: time.Minute})
	wantOptions(t, []string{"restart", "Foo", "--no-wait"}, &RestartOptions{Name: "Foo", Timeout: defaultTimeout, NoWait: true})
}

func TestParseControl(t *testing.T) {
	wantOptions(t, []string{"interrogate", "Foo"}, &ControlOptions{Name: "Foo", Code: winsvc.ControlInterrogate})
	for arg, code := range map[string]uint32{"200": 200, "0x80": 128, "stop": 1, "PAUSE": 2, "continue": 3, "interrogate": 4, "paramchange": 6, "netbindadd": 7} {
		wantOptions(t, []string{"control", "Foo", arg}, &ControlOptions{Name: "Foo", Code: code})
	}
}

func TestParseQuery(t *testing.T) {
	active := winsvc.QueryFilter{States: winsvc.ActiveServices}
	wantOptions(t, []string{"query"}, &QueryOptions{Filter: active})
	wantOptions(t, []string{"query", "Foo"}, &QueryOptions{Name: "Foo", Filter: active})
	wantOptions(t, []string{"queryex", "Foo"}, &QueryOptions{Name: "Foo", Filter: active})
	for _, tt := range []struct {
		key, value string
		want       *QueryOptions
	}{
		{"type", "driver", &QueryOptions{Filter: winsvc.QueryFilter{Types: winsvc.TypesDrivers, States: winsvc.ActiveServices}}},
		{"type", "service", &QueryOptions{Filter: winsvc.QueryFilter{Types: winsvc.TypesWin32, States: winsvc.ActiveServices}}},
		{"type", "all", &QueryOptions{Filter: winsvc.QueryFilter{Types: winsvc.TypesAll, States: winsvc.ActiveServices}}},
		{"type", "own", &QueryOptions{Filter: winsvc.QueryFilter{Types: winsvc.Win32OwnProcess, States: winsvc.ActiveServices}}},
		{"type", "interact", &QueryOptions{Filter: active, Interactive: true}},
		{"state", "all", &QueryOptions{Filter: winsvc.QueryFilter{States: winsvc.AllServices}}},
		{"state", "inactive", &QueryOptions{Filter: winsvc.QueryFilter{States: winsvc.InactiveServices}}},
		{"state", "active", &QueryOptions{Filter: active}},
		{"group", "NDIS", &QueryOptions{Filter: winsvc.QueryFilter{States: winsvc.ActiveServices, Group: winsvc.Ptr("NDIS")}}},
		{"bufsize", "50", &QueryOptions{Filter: active}},
		{"ri", "14", &QueryOptions{Filter: active}},
	} {
		for _, sp := range spellings(tt.key, tt.value) {
			wantOptions(t, append([]string{"query"}, sp...), tt.want)
		}
	}
	wantOptions(t, []string{"query", "type=", "service", "type=", "interact", "group=", ""},
		&QueryOptions{Filter: winsvc.QueryFilter{Types: winsvc.TypesWin32, States: winsvc.ActiveServices, Group: winsvc.Ptr("")}, Interactive: true})
}

func TestParseQuerySettings(t *testing.T) {
	for _, verb := range querySettingVerbs {
		wantOptions(t, []string{verb, "Foo"}, &NameOptions{Name: "Foo"})
		wantOptions(t, []string{strings.ToUpper(verb), "Foo"}, &NameOptions{Name: "Foo"})
	}
}

func TestParseSetSettings(t *testing.T) {
	set := func(verb string, mod func(d *winsvc.Definition)) *SetSettingOptions {
		o := &SetSettingOptions{Def: winsvc.Definition{Name: "Foo"}}
		mod(&o.Def)
		return o
	}
	tests := []struct {
		args []string
		want *SetSettingOptions
	}{
		{[]string{"description", "Foo", "Serves the API"}, set("description", func(d *winsvc.Definition) { d.Description = winsvc.Ptr("Serves the API") })},
		{[]string{"description", "Foo", "two", "words"}, set("description", func(d *winsvc.Definition) { d.Description = winsvc.Ptr("two words") })},
		{[]string{"description", "Foo", ""}, set("description", func(d *winsvc.Definition) { d.Description = winsvc.Ptr("") })},
		{[]string{"description", "Foo"}, set("description", func(d *winsvc.Definition) { d.Description = winsvc.Ptr("") })},
		// Text that looks like an option is text (as in sc), unless it is one
		// of winsvc's own options; "--" makes even those text.
		{[]string{"description", "Foo", "ratio="}, set("description", func(d *winsvc.Definition) { d.Description = winsvc.Ptr("ratio=") })},
		{[]string{"description", "Foo", "-x rated"}, set("description", func(d *winsvc.Definition) { d.Description = winsvc.Ptr("-x rated") })},
		{[]string{"description", "Foo", "-x", "rated"}, set("description", func(d *winsvc.Definition) { d.Description = winsvc.Ptr("-x rated") })},
		{[]string{"description", "Foo", "a=b", "--c=d", "-5", "start="}, set("description", func(d *winsvc.Definition) { d.Description = winsvc.Ptr("a=b --c=d -5 start=") })},
		{[]string{"description", "Foo", "json="}, set("description", func(d *winsvc.Definition) { d.Description = winsvc.Ptr("json=") })},
		{[]string{"description", "Foo", "--", "--json", "-h"}, set("description", func(d *winsvc.Definition) { d.Description = winsvc.Ptr("--json -h") })},
		{[]string{"failureflag", "Foo", "1"}, set("failureflag", func(d *winsvc.Definition) { d.FailureActionsOnNonCrashFailures = winsvc.Ptr(true) })},
		{[]string{"failureflag", "Foo", "false"}, set("failureflag", func(d *winsvc.Definition) { d.FailureActionsOnNonCrashFailures = winsvc.Ptr(false) })},
		{[]string{"sidtype", "Foo", "restricted"}, set("sidtype", func(d *winsvc.Definition) { d.SIDType = winsvc.Ptr(winsvc.SIDTypeRestricted) })},
		{[]string{"sidtype", "Foo", "NONE"}, set("sidtype", func(d *winsvc.Definition) { d.SIDType = winsvc.Ptr(winsvc.SIDTypeNone) })},
		{[]string{"privs", "Foo", "SeChangeNotifyPrivilege/SeImpersonatePrivilege"}, set("privs", func(d *winsvc.Definition) {
			d.RequiredPrivileges = []string{"SeChangeNotifyPrivilege", "SeImpersonatePrivilege"}
		})},
		{[]string{"privs", "Foo", "/"}, set("privs", func(d *winsvc.Definition) { d.RequiredPrivileges = []string{} })},
		{[]string{"preferrednode", "Foo", "2"}, set("preferrednode", func(d *winsvc.Definition) { d.PreferredNode = &winsvc.PreferredNode{Node: 2, Set: true} })},
		{[]string{"preferrednode", "Foo", "delete"}, set("preferrednode", func(d *winsvc.Definition) { d.PreferredNode = &winsvc.PreferredNode{} })},
		{[]string{"preferrednode", "Foo", "-1"}, set("preferrednode", func(d *winsvc.Definition) { d.PreferredNode = &winsvc.PreferredNode{} })},
		{[]string{"triggerinfo", "Foo", "delete"}, set("triggerinfo", func(d *winsvc.Definition) { d.Triggers = []trigger.Trigger{} })},
		{[]string{"managedaccount", "Foo", "TRUE"}, set("managedaccount", func(d *winsvc.Definition) { d.ManagedAccount = winsvc.Ptr(true) })},
		{[]string{"managedaccount", "Foo", "0"}, set("managedaccount", func(d *winsvc.Definition) { d.ManagedAccount = winsvc.Ptr(false) })},
		{[]string{"triggerinfo", "Foo", "start/networkon", "stop/networkoff"}, set("triggerinfo", func(d *winsvc.Definition) {
			d.Triggers = []trigger.Trigger{
				{Type: trigger.TypeIPAddressAvailability, Action: trigger.Start, Subtype: trigger.NetworkFirstIPAddressArrival},
				{Type: trigger.TypeIPAddressAvailability, Action: trigger.Stop, Subtype: trigger.NetworkLastIPAddressRemoval},
			}
		})},
	}
	for _, tt := range tests {
		wantOptions(t, tt.args, tt.want)
	}
}

func TestParseTriggers(t *testing.T) {
	guid := "{53f56307-b6bf-11d0-94f2-00a0c91efb8b}"
	g, _ := trigger.ParseGUID(guid)
	str := func(s string) trigger.Data { return trigger.Data{Type: trigger.DataString, Text: s} }
	tests := []struct {
		arg  string
		want trigger.Trigger
	}{
		{"start/device/" + guid + `/USBSTOR\GenDisk/x`, trigger.Trigger{Type: trigger.TypeDeviceInterfaceArrival, Action: trigger.Start, Subtype: g,
			Data: []trigger.Data{str(`USBSTOR\GenDisk`), str("x")}}},
		{"stop/custom/" + strings.Trim(guid, "{}") + "/ABCDABCD", trigger.Trigger{Type: trigger.TypeCustom, Action: trigger.Stop, Subtype: g,
			Data: []trigger.Data{{Type: trigger.DataBinary, Binary: []byte{0xab, 0xcd, 0xab, 0xcd}}}}},
		{"start/strcustom/" + guid + "/hello", trigger.Trigger{Type: trigger.TypeCustom, Action: trigger.Start, Subtype: g, Data: []trigger.Data{str("hello")}}},
		{"start/domainjoin", trigger.Trigger{Type: trigger.TypeDomainJoin, Action: trigger.Start, Subtype: trigger.DomainJoin}},
		{"stop/domainleave", trigger.Trigger{Type: trigger.TypeDomainJoin, Action: trigger.Stop, Subtype: trigger.DomainLeave}},
		{"start/portopen/8080;tcp;C:\\x.exe;Foo", trigger.Trigger{Type: trigger.TypeFirewallPortEvent, Action: trigger.Start, Subtype: trigger.FirewallPortOpen,
			Data: []trigger.Data{{Type: trigger.DataString, MultiText: []string{"8080", "tcp", `C:\x.exe`, "Foo"}}}}},
		{"stop/portclose/8080;tcp;C:\\x.exe;Foo", trigger.Trigger{Type: trigger.TypeFirewallPortEvent, Action: trigger.Stop, Subtype: trigger.FirewallPortClose,
			Data: []trigger.Data{{Type: trigger.DataString, MultiText: []string{"8080", "tcp", `C:\x.exe`, "Foo"}}}}},
		{"start/machinepolicy", trigger.Trigger{Type: trigger.TypeGroupPolicy, Action: trigger.Start, Subtype: trigger.MachinePolicyPresent}},
		{"start/userpolicy", trigger.Trigger{Type: trigger.TypeGroupPolicy, Action: trigger.Start, Subtype: trigger.UserPolicyPresent}},
		{"start/rpcinterface/" + guid, trigger.Trigger{Type: trigger.TypeNetworkEndpoint, Action: trigger.Start, Subtype: trigger.RPCInterfaceEvent, Data: []trigger.Data{str(guid)}}},
		{"start/namedpipe/mypipe", trigger.Trigger{Type: trigger.TypeNetworkEndpoint, Action: trigger.Start, Subtype: trigger.NamedPipeEvent, Data: []trigger.Data{str("mypipe")}}},
	}
	for _, tt := range tests {
		got, err := parseTrigger(tt.arg)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseTrigger(%q) = %+v, %v; want %+v", tt.arg, got, err, tt.want)
		}
	}
	for _, bad := range []string{"start", "go/networkon", "start/bogus", "start/device", "start/device/notaguid", "start/custom/" + guid + "/XYZ", "start/portopen", "start/networkon/x", "0/portopen/80;TCP;;", "3/networkon", "0x0/networkon"} {
		if _, err := parseTrigger(bad); err == nil {
			t.Errorf("parseTrigger(%q): no error", bad)
		}
	}
}

func TestParseFailure(t *testing.T) {
	infinite := winsvc.ResetInfinite
	day := winsvc.ResetAfter(86400 * time.Second)
	actions := []winsvc.Action{winsvc.RestartAction(5 * time.Second), winsvc.RunCommandAction(time.Second), winsvc.RebootAction(0)}
	for i, sp := range spellings("reset", "86400") {
		args := append([]string{"failure", "Foo"}, sp...)
		args = append(args, spellings("actions", "restart/5000/run/1000/reboot/0")[i]...)
		wantOptions(t, args, &FailureOptions{Name: "Foo", Reset: &day, Actions: actions})
	}
	wantOptions(t, []string{"failure", "Foo", "reset=", "INFINITE", "actions=", "restart/5000/restart/10000//0"},
		&FailureOptions{Name: "Foo", Reset: &infinite, Actions: []winsvc.Action{winsvc.RestartAction(5 * time.Second),
			winsvc.RestartAction(10 * time.Second), winsvc.NoAction(0)}})
	wantOptions(t, []string{"failure", "Foo", "reset=", "0", "actions=", ""},
		&FailureOptions{Name: "Foo", Reset: winsvc.Ptr(winsvc.ResetAfter(0 * time.Second)), Actions: []winsvc.Action{}})
	wantOptions(t, []string{"failure", "Foo", "reboot=", "bye", "command=", ""},
		&FailureOptions{Name: "Foo", Reboot: winsvc.Ptr("bye"), Command: winsvc.Ptr("")})
	wantOptions(t, []string{"failure", "Foo", "actions=", "restart", "reset=", "60"},
		&FailureOptions{Name: "Foo", Reset: winsvc.Ptr(winsvc.ResetAfter(60 * time.Second)), Actions: []winsvc.Action{winsvc.RestartAction(0)}})
}

func TestParseExtraVerbs(t *testing.T) {
	for _, verb := range []string{"status", "exists", "get", "quserservice", "showsid"} {
		wantOptions(t, []string{verb, "Foo"}, &NameOptions{Name: "Foo"})
	}
	wantOptions(t, []string{"wait", "Foo", "running"}, &WaitStateOptions{Name: "Foo", State: winsvc.Running, Timeout: defaultTimeout})
	wantOptions(t, []string{"wait", "Foo", "STOP_PENDING", "--timeout", "5s"}, &WaitStateOptions{Name: "Foo", State: winsvc.StopPending, Timeout: 5 * time.Second})
	wantOptions(t, []string{"watch"}, &WatchOptions{Interval: 500 * time.Millisecond})
	wantOptions(t, []string{"watch", "Foo", "--interval", "100ms", "--timeout", "1m"}, &WatchOptions{Name: "Foo", Interval: 100 * time.Millisecond, For: time.Minute})
	wantOptions(t, []string{"delete", "Foo"}, &DeleteOptions{Name: "Foo", Timeout: defaultTimeout})
	wantOptions(t, []string{"delete", "Foo", "--stop", "--wait", "--timeout", "10s"}, &DeleteOptions{Name: "Foo", Stop: true, Wait: true, Timeout: 10 * time.Second})
	wantOptions(t, []string{"GetDisplayName", "Foo"}, &LookupOptions{Arg: "Foo"})
	wantOptions(t, []string{"getkeyname", "Foo Svc"}, &LookupOptions{Arg: "Foo Svc"})
	wantOptions(t, []string{"getkeyname", "-Foo- =Svc="}, &LookupOptions{Arg: "-Foo- =Svc="})
	wantOptions(t, []string{"EnumDepend", "Foo"}, &EnumDependOptions{Name: "Foo"})
	wantOptions(t, []string{"enumdepend", "Foo", "--tree"}, &EnumDependOptions{Name: "Foo", Tree: true})
	wantOptions(t, []string{"sdshow", "Foo", "--explain"}, &SDShowOptions{Name: "Foo", Explain: true})
	wantOptions(t, []string{"sdset", "Foo", "D:(A;;GA;;;SY)", "--force"}, &SDSetOptions{Name: "Foo", SDDL: "D:(A;;GA;;;SY)", Force: true})
	wantOptions(t, []string{"querylock"}, struct{}{})
	wantOptions(t, []string{"completion", "bash"}, &CompletionOptions{Shell: "bash"})
	wantOptions(t, []string{"completion", "pwsh"}, &CompletionOptions{Shell: "powershell"})
	wantOptions(t, []string{"help", "create"}, &HelpOptions{Topic: "create"})
	wantOptions(t, []string{}, &HelpOptions{})
	wantOptions(t, []string{"create", "--help"}, &HelpOptions{Topic: "create"})
	wantOptions(t, []string{"create", "/?"}, &HelpOptions{Topic: "create"})
	wantOptions(t, []string{"-?", "stop"}, &HelpOptions{Topic: "stop"})
}

func TestParseList(t *testing.T) {
	wantOptions(t, []string{"list"}, &ListOptions{})
	wantOptions(t, []string{"list", "--state", "running", "--start", "delayed-auto", "--name", "Win*", "--type", "driver", "--group", "G", "--names"},
		&ListOptions{State: "running", Start: "delayed-auto", Pattern: "win*", NamesOnly: true,
			Filter: winsvc.QueryFilter{Types: winsvc.TypesDrivers, Group: winsvc.Ptr("G")}})
	wantOptions(t, []string{"list", "--state=inactive"}, &ListOptions{Filter: winsvc.QueryFilter{States: winsvc.InactiveServices}})
}

func TestParseGlobal(t *testing.T) {
	inv, err := parseLine([]string{`\\server`, "--json", "QueryEx", "Foo"})
	if err != nil || inv.machine != `\\server` || !inv.json || inv.cmd.name != "queryex" {
		t.Fatalf("got %+v, %v", inv, err)
	}
	inv, err = parseLine([]string{"qc", "Foo", "--json"})
	if err != nil || !inv.json {
		t.Fatalf("--json after the verb: got %+v, %v", inv, err)
	}
	inv, _ = parseLine([]string{"qc", "--json", "--bogus"})
	if inv == nil || !inv.json {
		t.Fatalf("--json must count even when parsing fails, so the error is JSON")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"bogus"}, `unknown verb "bogus"`},
		{[]string{"create", "Foo"}, "binPath= is required"},
		{[]string{"create", "Foo", "binPath="}, "binPath= needs a value"},
		{[]string{"create", "Foo", "binPath=", `"C:\x`}, "unterminated quote"},
		{[]string{"create", "Foo", "binPath=", `C:\x`, "start=", "sometimes"}, `start= "sometimes"`},
		{[]string{"create", "Foo", "binPath=", `C:\x`, "type=", "bogus"}, `type= "bogus"`},
		{[]string{"create", "Foo", "binPath=", `C:\x`, "error=", "loud"}, `error= "loud"`},
		{[]string{"create", "Foo", "binPath=", `C:\x`, "tag=", "maybe"}, `tag= "maybe"`},
		{[]string{"create", "Foo", "binPath=", `C:\x`, "bogus=", "1"}, "unknown option bogus="},
		{[]string{"create", "Foo", "binPath=", `C:\x`, "--bogus"}, "unknown option --bogus"},
		{[]string{"create", "Foo", "binPath=", `C:\x`, "password=", "x", "--password-stdin"}, "not both"},
		{[]string{"create"}, "missing argument"},
		{[]string{"config", "Foo"}, "nothing to change"},
		{[]string{"qc", "Foo", "Bar"}, `unexpected argument "Bar"`},
		{[]string{"stop", "Foo", "--timeout", "soon"}, "not a duration"},
		{[]string{"stop", "Foo", "--no-wait=maybe"}, "takes true or false"},
		{[]string{"control", "Foo", "lots"}, `control code "lots"`},
		{[]string{"query", "type=", "nonsense"}, `type= "nonsense"`},
		{[]string{"query", "state=", "sleepy"}, `state= "sleepy"`},
		{[]string{"failure", "Foo", "reset=", "10"}, "go together"},
		{[]string{"failure", "Foo"}, "failure needs"},
		{[]string{"failure", "Foo", "reset=", "x", "actions=", ""}, `reset= "x"`},
		{[]string{"failure", "Foo", "reset=", "1", "actions=", "explode/1"}, `actions= "explode"`},
		{[]string{"failure", "Foo", "reset=", "1", "actions=", "restart/soon"}, `delay "soon"`},
		{[]string{"failureflag", "Foo", "maybe"}, `flag "maybe"`},
		{[]string{"sidtype", "Foo", "weird"}, `SID type "weird"`},
		{[]string{"preferrednode", "Foo", "x"}, `node "x"`},
		{[]string{"triggerinfo", "Foo", "start/bogus"}, "unknown event"},
		{[]string{"wait", "Foo", "sleeping"}, `state "sleeping"`},
		{[]string{"watch", "--interval", "0s"}, "must be positive"},
		{[]string{"list", "--state", "odd"}, `--state "odd"`},
		{[]string{"list", "--start", "odd"}, `--start`},
		{[]string{"list", "--type", "interact"}, `--type "interact"`},
		{[]string{"list", "--name", "["}, `--name "["`},
		{[]string{"completion", "fish"}, `shell "fish"`},
		{[]string{"managedaccount", "Foo", "perhaps"}, `flag "perhaps"`},
		{[]string{"sdset", "Foo", "X:bad"}, "securityDescriptor"},
		{[]string{"sdset", "Foo", "D:(A;;RP;;;S-1-5-x)"}, `trustee "S-1-5-x" is not a valid SID`},
	}
	for _, tt := range tests {
		_, err := parseLine(tt.args)
		if err == nil {
			t.Errorf("parse %q: no error", tt.args)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parse %q: error %q does not contain %q", tt.args, err, tt.want)
		}
		if code := exitCode(err); code != exitUsage {
			t.Errorf("parse %q: exit code %d, want %d", tt.args, code, exitUsage)
		}
	}
}

// validArgs returns arguments that parse for verb c.
func validArgs(c *command) []string {
	args := map[string][]string{
		"create": {"Foo", "binPath=", `C:\x.exe`}, "config": {"Foo", "start=", "auto"}, "failure": {"Foo", "reboot=", "x"},
		"control": {"Foo", "200"}, "failureflag": {"Foo", "1"}, "sidtype": {"Foo", "none"}, "privs": {"Foo", "/"},
		"preferrednode": {"Foo", "1"}, "triggerinfo": {"Foo", "delete"}, "sdset": {"Foo", "D:"}, "wait": {"Foo", "running"},
		"completion": {"bash"}, "help": {}, "query": {}, "queryex": {}, "list": {}, "watch": {}, "querylock": {},
		"managedaccount": {"Foo", "true"},
	}
	if a, ok := args[c.name]; ok {
		return a
	}
	return []string{"Foo"}
}

// switchArgs are the arguments a verb parses with beside one of its
// switches, where validArgs' are refused with it (doctor --all takes no
// NAME).
var switchArgs = map[string][]string{"doctor --all": {}}

// TestEveryVerbParses makes sure the table above covers every verb: each
// registered verb must be listed here with arguments that parse.
func TestEveryVerbParses(t *testing.T) {
	for _, c := range sortedCommands() {
		a := validArgs(c)
		if _, err := parseLine(append([]string{c.name}, a...)); err != nil {
			t.Errorf("%s %q: %v", c.name, a, err)
		}
		if len(c.examples) == 0 {
			t.Errorf("%s has no examples", c.name)
		}
		if !strings.HasPrefix(c.usage, c.name) {
			t.Errorf("%s: usage %q does not start with the verb", c.name, c.usage)
		}
	}
	for _, want := range []string{"create", "config", "delete", "start", "stop", "pause", "continue", "interrogate", "control",
		"query", "queryex", "qc", "qdescription", "description", "qfailure", "failure", "qfailureflag", "failureflag",
		"qsidtype", "sidtype", "qprivs", "privs", "qtriggerinfo", "triggerinfo", "qpreferrednode", "preferrednode",
		"qprotection", "qmanagedaccount", "managedaccount", "quserservice", "sdshow", "sdset", "showsid", "GetDisplayName", "GetKeyName",
		"EnumDepend", "querylock", "list", "status", "exists", "get", "restart", "wait", "watch", "completion", "help"} {
		if lookup(want) == nil {
			t.Errorf("verb %s is missing", want)
		}
	}
}

// TestDuplicateOptions: for every option of every verb in the table, a
// second occurrence (in the same or the other spelling) is a usage error
// naming the option, unless the option repeats (type=); a switch given
// twice the same way is accepted, with two different values refused.
func TestDuplicateOptions(t *testing.T) {
	repeats := 0
	for _, c := range sortedCommands() {
		for _, o := range c.allOptions() {
			if o == optHelp {
				continue // any help option asks for help
			}
			base := slices.Clip(append([]string{c.name}, validArgs(c)...))
			flag := "--" + strings.ToLower(o.name)
			if o.bool {
				if a, ok := switchArgs[c.name+" "+flag]; ok {
					base = append([]string{c.name}, a...)
				}
				if _, err := parseLine(append(base, flag, flag)); err != nil {
					t.Errorf("%s %s %s: %v", c.name, flag, flag, err)
				}
				wantDuplicate(t, append(base, flag, flag+"=false"), o)
				continue
			}
			v1, v2 := "1", "2"
			if len(o.values) > 0 {
				v1, v2 = o.values[0], o.values[len(o.values)-1]
			}
			if o.repeat {
				repeats++
				if slices.Contains(o.values, "interact") {
					v2 = "interact"
				}
				args := append(base, flag, v1, flag, v2)
				if o.sc {
					args = append(base, o.name+"=", v1, flag, v2)
				}
				inv, err := parseLine(args)
				if err != nil {
					t.Errorf("%q: %v (%s repeats)", args, err, o.display())
					continue
				}
				if p, _ := parseArgs(c, args[1:]); len(p.all(o)) != 2 || inv.opts == nil {
					t.Errorf("%q: values %q, want both", args, p.all(o))
				}
				continue
			}
			wantDuplicate(t, append(base, flag, v1, flag, v1), o)
			if o.sc {
				wantDuplicate(t, append(base, o.name+"=", v1, strings.ToUpper(o.name)+"="+v2), o)
				wantDuplicate(t, append(base, o.name+"=", v1, flag, v2), o)
			}
		}
	}
	if repeats != 8 { // type= of create, config, query and queryex; --arg and --env of create and config
		t.Errorf("%d repeatable options, want 8", repeats)
	}
	_, err := parseLine([]string{"config", "Foo", "start=", "auto", "start=", "disabled"})
	if err == nil || !strings.Contains(err.Error(), "start= is given more than once") {
		t.Errorf("start= auto start= disabled: %v", err)
	}
}

func wantDuplicate(t *testing.T, args []string, o *option) {
	t.Helper()
	_, err := parseLine(args)
	if err == nil || exitCode(err) != exitUsage || !strings.Contains(err.Error(), o.display()+" is given more than once") {
		t.Errorf("%q: error %v, want %s given more than once (exit %d)", args, err, o.display(), exitUsage)
	}
}

func TestPasswordSources(t *testing.T) {
	env := func(stdin string, vars map[string]string) (*env, *strings.Builder) {
		var errOut strings.Builder
		return &env{io: &IOStreams{In: strings.NewReader(stdin), Out: &strings.Builder{}, ErrOut: &errOut},
			f: &Factory{Getenv: func(k string) string { return vars[k] }}}, &errOut
	}
	vars := map[string]string{envPassword: "from-env"}
	tests := []struct {
		opts    PasswordOptions
		account string
		stdin   string
		want    string
		warned  bool
	}{
		{PasswordOptions{Arg: "p1", ArgGiven: true}, `.\u`, "", "p1", true},
		{PasswordOptions{Stdin: true}, `.\u`, "p2\r\nrest", "p2", false},
		{PasswordOptions{}, `.\u`, "", "from-env", false},
		{PasswordOptions{}, "LocalSystem", "", "", false},
		{PasswordOptions{}, `NT SERVICE\Foo`, "", "", false},
	}
	for _, tt := range tests {
		e, errOut := env(tt.stdin, vars)
		got, err := tt.opts.password(e, tt.account)
		if err != nil || got != tt.want {
			t.Errorf("%+v/%s: got %q, %v; want %q", tt.opts, tt.account, got, err, tt.want)
		}
		if warned := strings.Contains(errOut.String(), "process lists"); warned != tt.warned {
			t.Errorf("%+v: warning %q", tt.opts, errOut.String())
		}
		if strings.Contains(errOut.String(), tt.want) && tt.want != "" {
			t.Errorf("the password was echoed: %q", errOut.String())
		}
	}
	e, _ := env("", nil)
	if _, err := (PasswordOptions{Stdin: true}).password(e, `.\u`); err == nil || exitCode(err) != exitUsage {
		t.Errorf("empty stdin: %v", err)
	}
}
