package winsvc

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// wantInvalid checks that err is a *ValidationError for field.
func wantInvalid(t *testing.T, name string, err error, field string) {
	t.Helper()
	var ve *ValidationError
	switch {
	case err == nil:
		t.Errorf("%s: no error; want one for %s", name, field)
	case !errors.As(err, &ve):
		t.Errorf("%s: error %v (%T) is not a *ValidationError", name, err, err)
	case ve.Field != field:
		t.Errorf("%s: error names field %q; want %q (%v)", name, ve.Field, field, err)
	case !errors.Is(err, ErrInvalid):
		t.Errorf("%s: error %v does not match ErrInvalid", name, err)
	case !strings.Contains(err.Error(), field):
		t.Errorf("%s: error text %q lacks the field", name, err)
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"Foo", true},
		{"a", true},
		{"with space and-dash_underscore.dot", true},
		{strings.Repeat("n", 256), true},
		{strings.Repeat("é", 256), true}, // UTF-16 code units, not bytes
		{strings.Repeat("n", 257), false},
		{strings.Repeat("😀", 128), true}, // two code units each: 256
		{strings.Repeat("😀", 129), false},
		{strings.Repeat("😀", 200), false}, // 200 runes, 400 code units: the SCM answers 31
		{"n" + strings.Repeat("😀", 128), false},
		{"", false},
		{"a/b", false},
		{`a\b`, false},
		{"a\x00b", false},
	}
	for _, tt := range tests {
		err := validateServiceName(tt.name)
		if tt.ok {
			if err != nil {
				t.Errorf("validateServiceName(%.20q…) = %v", tt.name, err)
			}
			continue
		}
		wantInvalid(t, "validateServiceName("+truncate(tt.name)+")", err, "name")
	}
	// A long name is shortened in the message.
	err := validateServiceName(strings.Repeat("n", 300))
	if !strings.Contains(err.Error(), "300 UTF-16 code units") || strings.Contains(err.Error(), strings.Repeat("n", 41)) {
		t.Errorf("long-name error = %v", err)
	}
}

// TestNameLengthsInUTF16: every name the SCM limits to 256 UTF-16 code
// units (service, display, group and dependency names) is measured in
// them, so 200 emoji (200 runes, 400 code units) are refused before the SCM
// is asked, with a message that says which unit.
func TestNameLengthsInUTF16(t *testing.T) {
	emoji := strings.Repeat("😀", 200)
	fits := strings.Repeat("😀", 128)
	for _, tt := range []struct {
		field string
		set   func(d *Definition, v string)
	}{
		{"name", func(d *Definition, v string) { d.Name = v }},
		{"displayName", func(d *Definition, v string) { d.DisplayName = v }},
		{"loadOrderGroup", func(d *Definition, v string) { d.LoadOrderGroup = Ptr(v) }},
		{"dependencies[0]", func(d *Definition, v string) { d.Dependencies = []Dependency{ServiceDependency(v)} }},
		{"dependencies[0]", func(d *Definition, v string) { d.Dependencies = []Dependency{GroupDependency(v)} }},
	} {
		d := Definition{Name: "Svc", BinaryPath: `C:\svc.exe`}
		tt.set(&d, emoji)
		err := d.Validate()
		wantInvalid(t, tt.field+" of 200 emoji", err, tt.field)
		if msg := fmt.Sprint(err); !strings.Contains(msg, "400") || !strings.Contains(msg, "UTF-16 code units") {
			t.Errorf("%s: %v does not give the length in UTF-16 code units", tt.field, err)
		}
		d = Definition{Name: "Svc", BinaryPath: `C:\svc.exe`}
		tt.set(&d, fits)
		if err := d.Validate(); err != nil {
			t.Errorf("%s of 128 emoji (256 code units): %v", tt.field, err)
		}
	}
}

func TestDefinitionValidate(t *testing.T) {
	ok := func(d Definition) Definition {
		if d.Name == "" {
			d.Name = "Svc"
		}
		return d
	}
	tests := []struct {
		name  string
		def   Definition
		field string // "" = valid
	}{
		{"minimal", ok(Definition{}), ""},
		{"full", ok(fullConfig().Definition()), ""},
		{"partial for Apply", ok(Definition{Description: Ptr("d")}), ""},
		{"no name", Definition{BinaryPath: `C:\x.exe`}, "name"},
		{"name 257", Definition{Name: strings.Repeat("x", 257)}, "name"},
		{"name with slash", Definition{Name: "a/b"}, "name"},
		{"name with backslash", Definition{Name: `a\b`}, "name"},
		{"display name 256", ok(Definition{DisplayName: strings.Repeat("d", 256)}), ""},
		{"display name 257", ok(Definition{DisplayName: strings.Repeat("d", 257)}), "displayName"},
		{"display name NUL", ok(Definition{DisplayName: "a\x00"}), "displayName"},
		{"display name with slashes", ok(Definition{DisplayName: `a/b\c`}), ""},
		{"quoted binary path", ok(Definition{BinaryPath: `"C:\x y\a.exe"`}), "binaryPathName"},
		{"NUL in argument", ok(Definition{BinaryPath: `C:\a.exe`, Args: []string{"ok", "b\x00d"}}), "args[1]"},
		{"unknown service type", ok(Definition{ServiceType: 0x40}), "serviceType"},
		{"instance type not creatable", ok(Definition{ServiceType: 0xD0}), "serviceType"},
		{"driver", ok(Definition{ServiceType: KernelDriver}), ""},
		{"start type out of range", ok(Definition{StartType: Ptr(StartType(5))}), "startType"},
		{"error control out of range", ok(Definition{ErrorControl: Ptr(ErrorControl(4))}), "errorControl"},
		{"group with backslash", ok(Definition{LoadOrderGroup: Ptr(`a\b`)}), "loadOrderGroup"},
		{"empty dependency", ok(Definition{Dependencies: []Dependency{ServiceDependency("a"), ServiceDependency("")}}), "dependencies[1]"},
		{"dependency with slash", ok(Definition{Dependencies: []Dependency{GroupDependency("a/b")}}), "dependencies[0]"},
		{"unknown SID type", ok(Definition{SIDType: Ptr(SIDType(2))}), "sidType"},
		{"bad privilege", ok(Definition{RequiredPrivileges: []string{"SeShutdownPrivilege", "Shutdown"}}), "requiredPrivileges[1]"},
		{"negative preshutdown", ok(Definition{PreshutdownTimeout: Ptr(-time.Second)}), "preshutdownTimeout"},
		{"preshutdown too long", ok(Definition{PreshutdownTimeout: Ptr(time.Duration(math.MaxUint32+1) * time.Millisecond)}), "preshutdownTimeout"},
		{"preshutdown max", ok(Definition{PreshutdownTimeout: Ptr(time.Duration(math.MaxUint32) * time.Millisecond)}), ""},
		{"launch protection out of range", ok(Definition{LaunchProtected: Ptr(LaunchProtection(4))}), "launchProtected"},
		{"launch protection antimalware", ok(Definition{LaunchProtected: Ptr(LaunchProtectedAntimalwareLight)}), ""},
		{"failure action of the zero type is SC_ACTION_NONE", ok(Definition{FailureActions: &FailureActions{Actions: []Action{RestartAction(0), {Delay: time.Second}}}}),
			""},
		{"failure action type unknown", ok(Definition{FailureActions: &FailureActions{Actions: []Action{{Type: ActionType(4)}}}}),
			"failureActions.actions[0].type"},
		{"failure action negative delay", ok(Definition{FailureActions: &FailureActions{Actions: []Action{RestartAction(-time.Millisecond)}}}),
			"failureActions.actions[0].delay"},
		{"failure action delay too long", ok(Definition{FailureActions: &FailureActions{Actions: []Action{RestartAction(time.Duration(math.MaxUint32+1) * time.Millisecond)}}}),
			"failureActions.actions[0].delay"},
		{"failure action delay max", ok(Definition{FailureActions: &FailureActions{Actions: []Action{RestartAction(time.Duration(math.MaxUint32) * time.Millisecond)}}}), ""},
		{"reset period too long", ok(Definition{FailureActions: &FailureActions{ResetPeriod: ResetAfter(time.Duration(math.MaxUint32) * time.Second)}}),
			"failureActions.resetPeriod"},
		{"reset period just below INFINITE", ok(Definition{FailureActions: &FailureActions{ResetPeriod: ResetAfter(time.Duration(math.MaxUint32-1) * time.Second)}}), ""},
		{"reset period infinite", ok(Definition{FailureActions: &FailureActions{ResetPeriod: ResetInfinite, Actions: []Action{RebootAction(0)}}}), ""},
	}
	for _, tt := range tests {
		err := tt.def.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		wantInvalid(t, tt.name, err, tt.field)
	}
}

func TestValidateListsAllowedValues(t *testing.T) {
	tests := []struct {
		def     Definition
		allowed []string
	}{
		{Definition{Name: "x", StartType: Ptr(StartType(7))}, []string{"BOOT_START", "SYSTEM_START", "AUTO_START", "DEMAND_START", "DISABLED"}},
		{Definition{Name: "x", ErrorControl: Ptr(ErrorControl(7))}, []string{"ERROR_IGNORE", "ERROR_NORMAL", "ERROR_SEVERE", "ERROR_CRITICAL"}},
		{Definition{Name: "x", SIDType: Ptr(SIDType(7))}, []string{"SID_TYPE_NONE", "SID_TYPE_UNRESTRICTED", "SID_TYPE_RESTRICTED"}},
		{Definition{Name: "x", FailureActions: &FailureActions{Actions: []Action{{Type: 7}}}}, []string{"SC_ACTION_NONE", "SC_ACTION_RESTART", "SC_ACTION_REBOOT", "SC_ACTION_RUN_COMMAND"}},
	}
	for _, tt := range tests {
		var ve *ValidationError
		if err := tt.def.Validate(); !errors.As(err, &ve) || !slices.Equal(ve.Allowed, tt.allowed) {
			t.Errorf("%+v: error %v; want allowed %v", tt.def, err, tt.allowed)
		}
	}
	var ve *ValidationError
	if err := (&Definition{Name: "x", ServiceType: 0x40}).Validate(); !errors.As(err, &ve) ||
		!slices.Contains(ve.Allowed, "WIN32_OWN_PROCESS") || !slices.Contains(ve.Allowed, "INTERACTIVE_SHARE_PROCESS") || !slices.Contains(ve.Allowed, "KERNEL_DRIVER") {
		t.Errorf("service type error %v lacks the creatable types", err)
	}
}

// TestConfigValidate covers the whole-configuration rules Save checks.
func TestConfigValidate(t *testing.T) {
	valid := func() *Config {
		c := defaultConfig("Svc")
		c.BinaryPathName = `C:\svc.exe`
		return c
	}
	tests := []struct {
		name  string
		mod   func(c *Config)
		field string
	}{
		{"defaults with a binary path", func(*Config) {}, ""},
		{"no binary path", func(c *Config) { c.BinaryPathName = "  " }, "binaryPathName"},
		{"boot start service", func(c *Config) { c.StartType = BootStart }, "startType"},
		{"system start service", func(c *Config) { c.StartType = SystemStart }, "startType"},
		{"boot start share process", func(c *Config) { c.ServiceType, c.StartType = Win32ShareProcess, BootStart }, "startType"},
		{"boot start kernel driver", func(c *Config) { c.ServiceType, c.StartType = KernelDriver, BootStart }, ""},
		{"system start file-system driver", func(c *Config) { c.ServiceType, c.StartType = FileSystemDriver, SystemStart }, ""},
		{"delayed auto", func(c *Config) { c.StartType, c.DelayedAutoStart = AutoStart, true }, ""},
		{"delayed demand", func(c *Config) { c.DelayedAutoStart = true }, "delayedAutoStart"},
		{"delayed disabled", func(c *Config) { c.StartType, c.DelayedAutoStart = Disabled, true }, "delayedAutoStart"},
		{"delayed in a group", func(c *Config) { c.StartType, c.DelayedAutoStart, c.LoadOrderGroup = AutoStart, true, "G" }, "delayedAutoStart"},
		{"delayed driver", func(c *Config) { c.ServiceType, c.StartType, c.DelayedAutoStart = KernelDriver, AutoStart, true }, "delayedAutoStart"},
		{"auto in a group", func(c *Config) { c.StartType, c.LoadOrderGroup = AutoStart, "G" }, ""},
		{"interactive as LocalSystem", func(c *Config) { c.ServiceType = InteractiveOwnProcess }, ""},
		{"interactive share as .\\LocalSystem", func(c *Config) { c.ServiceType, c.ServiceStartName = InteractiveShareProcess, `.\LocalSystem` }, ""},
		{"interactive as SYSTEM", func(c *Config) { c.ServiceType, c.ServiceStartName = InteractiveOwnProcess, `nt authority\system` }, ""},
		{"interactive as LocalService", func(c *Config) {
			c.ServiceType, c.ServiceStartName = InteractiveOwnProcess, `NT AUTHORITY\LocalService`
		}, "serviceType"},
		{"interactive as a user", func(c *Config) { c.ServiceType, c.ServiceStartName = InteractiveShareProcess, `.\bob` }, "serviceType"},
		{"depends on itself", func(c *Config) { c.Dependencies = []Dependency{ServiceDependency("Tcpip"), ServiceDependency("svc")} }, "dependencies[1]"},
		{"depends on a group of its name", func(c *Config) { c.Dependencies = []Dependency{GroupDependency("Svc")} }, ""},
		{"bad value found too", func(c *Config) { c.ErrorControl = 9 }, "errorControl"},
		{"start type 0 is BOOT_START, for drivers only", func(c *Config) { c.StartType = 0 }, "startType"},
		{"error control 0 is ERROR_IGNORE", func(c *Config) { c.ErrorControl = 0 }, ""},
		{"service type not set", func(c *Config) { c.ServiceType = 0 }, "serviceType"},
	}
	for _, tt := range tests {
		c := valid()
		tt.mod(c)
		err := c.validate(nil)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		wantInvalid(t, tt.name, err, tt.field)
	}
}

func TestValidateBootStartListsAllowed(t *testing.T) {
	c := defaultConfig("Svc")
	c.BinaryPathName = `C:\svc.exe`
	c.StartType = BootStart
	var ve *ValidationError
	if err := c.validate(nil); !errors.As(err, &ve) || !slices.Equal(ve.Allowed, []string{"AUTO_START", "DEMAND_START", "DISABLED"}) ||
		!strings.Contains(ve.Reason, "drivers only") {
		t.Errorf("boot start error = %v", err)
	}
}

func TestClassifyAccount(t *testing.T) {
	tests := []struct {
		account string
		want    accountKind
	}{
		{"", accountBuiltin},
		{"LocalSystem", accountBuiltin},
		{"localsystem", accountBuiltin},
		{`.\LocalSystem`, accountBuiltin},
		{`NT AUTHORITY\SYSTEM`, accountBuiltin},
		{`NT AUTHORITY\LocalService`, accountBuiltin},
		{`nt authority\localservice`, accountBuiltin},
		{`NT AUTHORITY\NetworkService`, accountBuiltin},
		{`NT SERVICE\MySvc`, accountVirtual},
		{`nt service\mysvc`, accountVirtual},
		{`DOMAIN\gmsa$`, accountManaged},
		{`gmsa$`, accountManaged},
		{`.\user`, accountUser},
		{`DOMAIN\user`, accountUser},
		{`user@example.com`, accountUser},
	}
	for _, tt := range tests {
		if got := classifyAccount(tt.account); got != tt.want {
			t.Errorf("classifyAccount(%q) = %d; want %d", tt.account, got, tt.want)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		account, password string
		ok                bool
	}{
		{"LocalSystem", "", true},
		{"LocalSystem", "secret", false},
		{`NT AUTHORITY\LocalService`, "secret", false},
		{`NT AUTHORITY\NetworkService`, "", true},
		{`NT SERVICE\MySvc`, "", true},
		{`NT SERVICE\MySvc`, "secret", false},
		{`DOMAIN\gmsa$`, "", true},
		{`DOMAIN\gmsa$`, "secret", false},
		{`.\user`, "secret", true},
		{`.\user`, "", true}, // unchanged; Save decides whether one is required
	}
	for _, tt := range tests {
		err := validatePassword(tt.account, tt.password)
		if tt.ok {
			if err != nil {
				t.Errorf("validatePassword(%q, %q) = %v", tt.account, tt.password, err)
			}
			continue
		}
		wantInvalid(t, tt.account, err, "password")
		if strings.Contains(err.Error(), tt.password) {
			t.Errorf("error %q shows the password", err)
		}
	}
}

// TestCheckPassword covers the password rules Save applies, including when
// a password is required.
func TestCheckPassword(t *testing.T) {
	svc := func(loadedAccount, account string, typ ServiceType) *Service {
		s := &Service{name: "Svc", cur: defaultConfig("Svc")}
		s.cur.ServiceStartName, s.cur.ServiceType = account, typ
		if loadedAccount != "" {
			s.loaded = s.cur.Clone()
			s.loaded.ServiceStartName = loadedAccount
		}
		return s
	}
	tests := []struct {
		name     string
		s        *Service
		password string
		ok       bool
	}{
		{"create as LocalSystem", svc("", "LocalSystem", Win32OwnProcess), "", true},
		{"create as a user without a password", svc("", `.\bob`, Win32OwnProcess), "", false},
		{"create as a user with a password", svc("", `.\bob`, Win32OwnProcess), "pw", true},
		{"create as a virtual account", svc("", `NT SERVICE\Svc`, Win32OwnProcess), "", true},
		{"create as a virtual account with a password", svc("", `NT SERVICE\Svc`, Win32OwnProcess), "pw", false},
		{"create as gMSA", svc("", `DOM\gmsa$`, Win32OwnProcess), "", true},
		{"move to a user without a password", svc("LocalSystem", `.\bob`, Win32OwnProcess), "", false},
		{"keep a user, password unchanged", svc(`.\bob`, `.\bob`, Win32OwnProcess), "", true},
		{"keep a user, new password", svc(`.\bob`, `.\bob`, Win32OwnProcess), "new", true},
		{"password for LocalService", svc("LocalSystem", `NT AUTHORITY\LocalService`, Win32OwnProcess), "pw", false},
		{"drivers ignore passwords", svc("", `.\bob`, KernelDriver), "", true},
	}
	for _, tt := range tests {
		err := checkPassword(tt.s.loaded, tt.s.cur, tt.password)
		if tt.ok {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		wantInvalid(t, tt.name, err, "password")
	}
}

// TestSaveValidatesOnlyWhatChanges checks that values the SCM already holds
// and winsvc would reject (an unknown privilege, an unknown service type)
// do not block an update that leaves them alone, and do block one that
// touches them.
func TestSaveValidatesOnlyWhatChanges(t *testing.T) {
	loaded := fullConfig()
	loaded.RequiredPrivileges = []string{"SeMadeUpPrivilege"}
	loaded.ServiceType = ServiceType(0xD0)
	s := &Service{name: loaded.Name, loaded: loaded, cur: loaded.Clone()}
	s.Update(func(c *Config) { c.Description = "new text" })
	if err := s.cur.validate(changedOf(s)); err != nil {
		t.Errorf("description update blocked by untouched values: %v", err)
	}
	if err := s.cur.validate(nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("a full validation passed the unknown values: %v", err)
	}
	s.Update(func(c *Config) { c.RequiredPrivileges = append(c.RequiredPrivileges, "SeShutdownPrivilege") })
	var ve *ValidationError
	if err := s.cur.validate(changedOf(s)); !errors.As(err, &ve) || !strings.HasPrefix(ve.Field, string(FieldRequiredPrivileges)) {
		t.Errorf("changing the privileges: %v, want a requiredPrivileges validation error", err)
	}
	// A combination is checked when any field in it changes.
	s = &Service{name: loaded.Name, loaded: fullConfig(), cur: fullConfig()}
	s.Update(func(c *Config) { c.StartType = DemandStart })
	s.cur.DelayedAutoStart = true
	if err := s.cur.validate(changedOf(s)); !errors.As(err, &ve) || ve.Field != string(FieldDelayedAutoStart) {
		t.Errorf("start type change with delayed set: %v, want a delayedAutoStart error", err)
	}
}

// TestUnquotedPathWithSpacesIsRefused checks that a command line whose
// program path has spaces and no quotes cannot be saved, that the error
// shows the quoted form, and that new Args over such a stored path keep the
// whole program path (quoted).
func TestUnquotedPathWithSpacesIsRefused(t *testing.T) {
	c := defaultConfig("Q")
	c.BinaryPathName = `C:\Program Files\My App\svc.exe -port 1`
	var ve *ValidationError
	err := c.validate(nil)
	if !errors.As(err, &ve) || ve.Field != string(FieldBinaryPath) || !strings.Contains(err.Error(), `"C:\Program Files\My App\svc.exe" -port 1`) {
		t.Errorf("validate = %v, want a binaryPathName error showing the quoted form", err)
	}
	(&Definition{Args: []string{"-port", "2"}}).applyTo(c)
	if want := `"C:\Program Files\My App\svc.exe" -port 2`; c.BinaryPathName != want {
		t.Errorf("Args over an unquoted path: %q, want %q", c.BinaryPathName, want)
	}
	if err := c.validate(nil); err != nil {
		t.Errorf("after Args: %v", err)
	}
	for _, ok := range []string{`C:\svc.exe -a b`, `"C:\Program Files\svc.exe" -a`, `system32\drivers\x.sys`} {
		c.BinaryPathName = ok
		if err := c.validate(nil); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

func TestLaunchProtectionReservedLevelsRefused(t *testing.T) {
	for _, p := range []LaunchProtection{LaunchProtectedWindows, LaunchProtectedWindowsLight} {
		err := (&Definition{Name: "P", LaunchProtected: Ptr(p)}).Validate()
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != string(FieldLaunchProtected) || !slices.Contains(ve.Allowed, "SERVICE_LAUNCH_PROTECTED_ANTIMALWARE_LIGHT") {
			t.Errorf("%s: %v, want a launchProtected error allowing NONE and ANTIMALWARE_LIGHT", p, err)
		}
	}
	if err := (&Definition{Name: "P", LaunchProtected: Ptr(LaunchProtectedAntimalwareLight)}).Validate(); err != nil {
		t.Errorf("ANTIMALWARE_LIGHT: %v", err)
	}
}

// changedOf is what Save passes to validate for s's pending changes.
func changedOf(s *Service) func(Field) bool {
	return changedFields(ComputePlan(s.loaded, s.cur, s.explicit, ""), s.explicit)
}

// UnquotedPath flags the command lines Windows could resolve to another
// program, and only those; Save refuses exactly the same ones.
func TestUnquotedPathAudit(t *testing.T) {
	for cmd, want := range map[string]bool{
		`C:\Program Files\My App\svc.exe -port 1`:       true,
		`C:\Program Files\My App\svc.exe`:               true,
		`C:\Some Dir\svc arg`:                           true,
		`C:\Some Dir\tools\svc`:                         true,
		`"C:\Program Files\My App\svc.exe" -port 1`:     false,
		`C:\Windows\system32\svchost.exe -k netsvcs -p`: false,
		`C:\app\svc.exe C:\data\in C:\data\out`:         false,
		`C:\app\svc.EXE`:                                false,
		`\SystemRoot\System32\drivers\x.sys`:            false,
		`C:\tools\nssm run`:                             false,
		``:                                              false,
	} {
		c := defaultConfig("Q")
		c.BinaryPathName = cmd
		if got := c.UnquotedPath(); got != want {
			t.Errorf("UnquotedPath(%q) = %v, want %v", cmd, got, want)
		}
		err := c.validate(nil)
		if refused := err != nil && cmd != ""; refused != want {
			t.Errorf("validate(%q) = %v; refused should be %v", cmd, err, want)
		}
	}
}
