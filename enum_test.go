package winsvc

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// enumCase is one accepted spelling of an enum value.
type enumCase struct {
	in    string
	want  uint64 // the stored value
	win32 uint32
}

// enumUnderTest gives the table-driven tests uniform access to each enum type.
type enumUnderTest struct {
	kind      string // the field name used in validation errors
	parse     func(string) (uint64, error)
	str       func(uint64) string
	win32     func(uint64) uint32
	fromWin32 func(uint32) uint64
	newPtr    func(uint64) any // a pointer to a value, for text and JSON round trips
	names     []enumCase       // every Win32 name
	tokens    []enumCase       // every sc.exe token and alias
}

// enumType is what every enum of this package provides.
type enumType interface {
	~uint32 | ~uint64
	fmt.Stringer
	Win32() uint32
}

// enumOf describes enum type T for the table-driven tests.
func enumOf[T enumType](kind string, parse func(string) (T, error), fromWin32 func(uint32) T, names, tokens []enumCase) enumUnderTest {
	return enumUnderTest{
		kind:      kind,
		parse:     func(s string) (uint64, error) { v, err := parse(s); return uint64(v), err },
		str:       func(v uint64) string { return T(v).String() },
		win32:     func(v uint64) uint32 { return T(v).Win32() },
		fromWin32: func(w uint32) uint64 { return uint64(fromWin32(w)) },
		newPtr:    func(v uint64) any { x := T(v); return &x },
		names:     names,
		tokens:    tokens,
	}
}

func enumsUnderTest() []enumUnderTest {
	return []enumUnderTest{
		enumOf("serviceType", parseText[ServiceType], serviceTypeFromWin32,
			[]enumCase{
				{"KERNEL_DRIVER", 0x1, 0x1}, {"FILE_SYSTEM_DRIVER", 0x2, 0x2}, {"ADAPTER", 0x4, 0x4},
				{"RECOGNIZER_DRIVER", 0x8, 0x8}, {"WIN32_OWN_PROCESS", 0x10, 0x10},
				{"WIN32_SHARE_PROCESS", 0x20, 0x20}, {"USER_OWN_PROCESS", 0x50, 0x50},
				{"USER_SHARE_PROCESS", 0x60, 0x60}, {"USER_OWN_PROCESS_INSTANCE", 0xD0, 0xD0},
				{"USER_SHARE_PROCESS_INSTANCE", 0xE0, 0xE0},
				{"INTERACTIVE_OWN_PROCESS", 0x110, 0x110}, {"INTERACTIVE_SHARE_PROCESS", 0x120, 0x120},
			},
			[]enumCase{
				{"kernel", 0x1, 0x1}, {"filesys", 0x2, 0x2}, {"adapt", 0x4, 0x4}, {"rec", 0x8, 0x8},
				{"own", 0x10, 0x10}, {"share", 0x20, 0x20}, {"userown", 0x50, 0x50},
				{"usershare", 0x60, 0x60}, {"interact", 0x110, 0x110}, {"driver", 0x1, 0x1},
				{"WIN32_OWN_PROCESS|INTERACTIVE_PROCESS", 0x110, 0x110},
				{"WIN32_SHARE_PROCESS|INTERACTIVE_PROCESS", 0x120, 0x120},
			}),
		enumOf("startType", parseText[StartType], startTypeFromWin32,
			[]enumCase{
				{"BOOT_START", uint64(BootStart), 0}, {"SYSTEM_START", uint64(SystemStart), 1},
				{"AUTO_START", uint64(AutoStart), 2}, {"DEMAND_START", uint64(DemandStart), 3},
				{"DISABLED", uint64(Disabled), 4},
			},
			[]enumCase{
				{"boot", uint64(BootStart), 0}, {"system", uint64(SystemStart), 1}, {"auto", uint64(AutoStart), 2},
				{"demand", uint64(DemandStart), 3}, {"disabled", uint64(Disabled), 4},
				{"manual", uint64(DemandStart), 3}, {"automatic", uint64(AutoStart), 2},
			}),
		enumOf("errorControl", parseText[ErrorControl], errorControlFromWin32,
			[]enumCase{
				{"ERROR_IGNORE", uint64(ErrorIgnore), 0}, {"ERROR_NORMAL", uint64(ErrorNormal), 1},
				{"ERROR_SEVERE", uint64(ErrorSevere), 2}, {"ERROR_CRITICAL", uint64(ErrorCritical), 3},
			},
			[]enumCase{
				{"ignore", uint64(ErrorIgnore), 0}, {"normal", uint64(ErrorNormal), 1},
				{"severe", uint64(ErrorSevere), 2}, {"critical", uint64(ErrorCritical), 3},
			}),
		enumOf("state", parseText[State], stateFromWin32,
			[]enumCase{
				{"STOPPED", uint64(Stopped), 1}, {"START_PENDING", uint64(StartPending), 2}, {"STOP_PENDING", uint64(StopPending), 3},
				{"RUNNING", uint64(Running), 4}, {"CONTINUE_PENDING", uint64(ContinuePending), 5},
				{"PAUSE_PENDING", uint64(PausePending), 6}, {"PAUSED", uint64(Paused), 7},
			},
			[]enumCase{
				{"stopped", uint64(Stopped), 1}, {"start-pending", uint64(StartPending), 2}, {"stop-pending", uint64(StopPending), 3},
				{"running", uint64(Running), 4}, {"continue-pending", uint64(ContinuePending), 5},
				{"pause-pending", uint64(PausePending), 6}, {"paused", uint64(Paused), 7}, {"started", uint64(Running), 4},
			}),
		enumOf("sidType", parseText[SIDType], sIDTypeFromWin32,
			[]enumCase{
				{"SID_TYPE_NONE", uint64(SIDTypeNone), 0}, {"SID_TYPE_UNRESTRICTED", uint64(SIDTypeUnrestricted), 1},
				{"SID_TYPE_RESTRICTED", uint64(SIDTypeRestricted), 3},
			},
			[]enumCase{
				{"none", uint64(SIDTypeNone), 0}, {"unrestricted", uint64(SIDTypeUnrestricted), 1},
				{"restricted", uint64(SIDTypeRestricted), 3},
			}),
		enumOf("failureActions.actions.type", parseText[ActionType], actionTypeFromWin32,
			[]enumCase{
				{"SC_ACTION_NONE", uint64(ActionNone), 0}, {"SC_ACTION_RESTART", uint64(ActionRestart), 1},
				{"SC_ACTION_REBOOT", uint64(ActionReboot), 2}, {"SC_ACTION_RUN_COMMAND", uint64(ActionRunCommand), 3},
			},
			[]enumCase{
				{"none", uint64(ActionNone), 0}, {"restart", uint64(ActionRestart), 1},
				{"reboot", uint64(ActionReboot), 2}, {"run", uint64(ActionRunCommand), 3},
			}),
		enumOf("launchProtected", parseText[LaunchProtection], launchProtectionFromWin32,
			[]enumCase{
				{"SERVICE_LAUNCH_PROTECTED_NONE", uint64(LaunchProtectedNone), 0},
				{"SERVICE_LAUNCH_PROTECTED_WINDOWS", uint64(LaunchProtectedWindows), 1},
				{"SERVICE_LAUNCH_PROTECTED_WINDOWS_LIGHT", uint64(LaunchProtectedWindowsLight), 2},
				{"SERVICE_LAUNCH_PROTECTED_ANTIMALWARE_LIGHT", uint64(LaunchProtectedAntimalwareLight), 3},
			},
			[]enumCase{
				{"none", uint64(LaunchProtectedNone), 0}, {"windows", uint64(LaunchProtectedWindows), 1},
				{"windows_light", uint64(LaunchProtectedWindowsLight), 2},
				{"windows-light", uint64(LaunchProtectedWindowsLight), 2},
				{"antimalware_light", uint64(LaunchProtectedAntimalwareLight), 3},
				{"antimalware-light", uint64(LaunchProtectedAntimalwareLight), 3},
			}),
	}
}

// spellings returns s as given, lower case, upper case and with mixed case
// and surrounding blanks.
func spellings(s string) []string {
	mixed := []rune(strings.ToLower(s))
	for i := 0; i < len(mixed); i += 2 {
		mixed[i] = []rune(strings.ToUpper(string(mixed[i])))[0]
	}
	return []string{s, strings.ToLower(s), strings.ToUpper(s), string(mixed), "  " + s + "\t"}
}

func TestEnumParseNamesAndTokens(t *testing.T) {
	for _, e := range enumsUnderTest() {
		for _, c := range append(slices.Clone(e.names), e.tokens...) {
			for _, in := range spellings(c.in) {
				got, err := e.parse(in)
				if err != nil || got != c.want {
					t.Errorf("%s: parse(%q) = %d, %v; want %d", e.kind, in, got, err, c.want)
				}
			}
			if w := e.win32(c.want); w != c.win32 {
				t.Errorf("%s: %s.Win32() = %#x; want %#x", e.kind, c.in, w, c.win32)
			}
			if v := e.fromWin32(c.win32); v != c.want {
				t.Errorf("%s: FromWin32(%#x) = %d; want %d", e.kind, c.win32, v, c.want)
			}
		}
	}
}

func TestEnumStringIsWin32Name(t *testing.T) {
	for _, e := range enumsUnderTest() {
		for _, c := range e.names {
			if got := e.str(c.want); got != c.in {
				t.Errorf("%s: String(%d) = %q; want %q", e.kind, c.want, got, c.in)
			}
			if got := e.str(e.fromWin32(c.win32)); got != c.in {
				t.Errorf("%s: String(FromWin32(%#x)) = %q; want %q", e.kind, c.win32, got, c.in)
			}
		}
	}
}

func TestEnumZeroValueIsNotSet(t *testing.T) {
	for _, e := range enumsUnderTest() {
		if s := e.str(0); s != "" {
			t.Errorf("%s: zero value String() = %q; want \"\"", e.kind, s)
		}
		if w := e.win32(0); w != 0 {
			t.Errorf("%s: zero value Win32() = %d; want 0", e.kind, w)
		}
		for _, in := range []string{"", "  "} {
			if v, err := e.parse(in); v != 0 || err != nil {
				t.Errorf("%s: parse(%q) = %d, %v; want 0, nil", e.kind, in, v, err)
			}
		}
	}
}

// TestEnumWin32Offset checks the enums whose Win32 range starts at 0: the
// Win32 value 0 is a real value, distinct from "not set".
func TestEnumWin32Offset(t *testing.T) {
	tests := []struct {
		name  string
		value interface {
			fmt.Stringer
			Win32() uint32
		}
		want string
	}{
		{"startTypeFromWin32(0)", startTypeFromWin32(0), "BOOT_START"},
		{"errorControlFromWin32(0)", errorControlFromWin32(0), "ERROR_IGNORE"},
		{"sIDTypeFromWin32(0)", sIDTypeFromWin32(0), "SID_TYPE_NONE"},
		{"actionTypeFromWin32(0)", actionTypeFromWin32(0), "SC_ACTION_NONE"},
		{"launchProtectionFromWin32(0)", launchProtectionFromWin32(0), "SERVICE_LAUNCH_PROTECTED_NONE"},
	}
	for _, tt := range tests {
		if got := tt.value.String(); got != tt.want {
			t.Errorf("%s = %q; want %q", tt.name, got, tt.want)
		}
		if got := tt.value.Win32(); got != 0 {
			t.Errorf("%s.Win32() = %d; want 0", tt.name, got)
		}
	}
	if BootStart == 0 || ErrorIgnore == 0 || SIDTypeNone == 0 || ActionNone == 0 || LaunchProtectedNone == 0 {
		t.Error("a Win32 0 value has the Go zero value, which means not set")
	}
	if DemandStart.Win32() != 3 || ErrorNormal.Win32() != 1 || SIDTypeRestricted.Win32() != 3 || ActionRunCommand.Win32() != 3 {
		t.Error("Win32 values of the offset enums are wrong")
	}
}

func TestEnumUnknownWin32ValueIsKept(t *testing.T) {
	for _, e := range enumsUnderTest() {
		const unknown = 9
		v := e.fromWin32(unknown)
		if v == 0 {
			t.Errorf("%s: FromWin32(9) is the zero value", e.kind)
			continue
		}
		if got := e.str(v); got != "0x9" {
			t.Errorf("%s: String(FromWin32(9)) = %q; want %q", e.kind, got, "0x9")
		}
		if got := e.win32(v); got != unknown {
			t.Errorf("%s: Win32(FromWin32(9)) = %d; want 9", e.kind, got)
		}
		back, err := e.parse(e.str(v))
		if err != nil || back != v {
			t.Errorf("%s: parse(%q) = %d, %v; want %d", e.kind, e.str(v), back, err, v)
		}
	}
	st := startTypeFromWin32(9)
	if st.String() != "0x9" || st.Win32() != 9 {
		t.Errorf("startTypeFromWin32(9) = %q (Win32 %d); want 0x9 (9)", st, st.Win32())
	}
	if st == AutoStart || st == DemandStart || st == Disabled {
		t.Errorf("startTypeFromWin32(9) was mapped to %s", st)
	}
}

func TestEnumParseNumbers(t *testing.T) {
	tests := []struct {
		in   string
		want StartType
	}{
		{"0", BootStart}, {"2", AutoStart}, {"3", DemandStart}, {"0x4", Disabled}, {"0X2", AutoStart}, {"7", startTypeFromWin32(7)},
	}
	for _, tt := range tests {
		got, err := parseText[StartType](tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseText[StartType](%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	// The largest Win32 value, stored with the +1 offset, must not wrap to
	// the zero value, which means "not set": it is kept and shown.
	if got, err := parseText[StartType]("4294967295"); err != nil || got == 0 || got.Win32() != 0xFFFFFFFF || got.String() != "0xFFFFFFFF" {
		t.Errorf("parseText[StartType](4294967295) = %d (%s), %v; want the value kept", got, got, err)
	}
	if got := sIDTypeFromWin32(0xFFFFFFFF); got == 0 || got.Win32() != 0xFFFFFFFF {
		t.Errorf("sIDTypeFromWin32(0xFFFFFFFF) = %d, want kept (not zero)", got)
	}
	if got, err := parseText[ServiceType]("4294967295"); err != nil || got.Win32() != 0xFFFFFFFF {
		t.Errorf("parseText[ServiceType](4294967295) = %#x, %v", uint32(got), err)
	}
	if got, err := parseText[ServiceType]("0x10"); err != nil || got != Win32OwnProcess {
		t.Errorf("parseText[ServiceType](0x10) = %v, %v", got, err)
	}
	if got, err := parseText[ServiceType]("272"); err != nil || got != InteractiveOwnProcess {
		t.Errorf("parseText[ServiceType](272) = %v, %v", got, err)
	}
}

func TestEnumTextAndJSONRoundTrip(t *testing.T) {
	for _, e := range enumsUnderTest() {
		values := []uint64{0, e.fromWin32(9), e.fromWin32(0xFFFFFFFF)}
		for _, c := range e.names {
			values = append(values, c.want)
		}
		for _, v := range values {
			p := e.newPtr(v)
			m := p.(encoding.TextMarshaler)
			text, err := m.MarshalText()
			if err != nil || string(text) != e.str(v) {
				t.Errorf("%s: MarshalText(%d) = %q, %v; want %q", e.kind, v, text, err, e.str(v))
			}
			back := e.newPtr(12345)
			if err := back.(encoding.TextUnmarshaler).UnmarshalText(text); err != nil {
				t.Errorf("%s: UnmarshalText(%q): %v", e.kind, text, err)
			}
			if got, want := back.(fmt.Stringer).String(), e.str(v); got != want {
				t.Errorf("%s: text round trip of %d gives %q; want %q", e.kind, v, got, want)
			}

			js, err := json.Marshal(p)
			if err != nil || string(js) != fmt.Sprintf("%q", e.str(v)) {
				t.Errorf("%s: json.Marshal(%d) = %s, %v; want %q", e.kind, v, js, err, e.str(v))
			}
			jback := e.newPtr(12345)
			if err := json.Unmarshal(js, jback); err != nil {
				t.Errorf("%s: json.Unmarshal(%s): %v", e.kind, js, err)
			}
			if got, want := jback.(fmt.Stringer).String(), e.str(v); got != want {
				t.Errorf("%s: JSON round trip of %d gives %q; want %q", e.kind, v, got, want)
			}
		}
		// JSON input also takes the sc.exe tokens, case-insensitively.
		for _, c := range e.tokens {
			p := e.newPtr(0)
			if err := json.Unmarshal([]byte(fmt.Sprintf("%q", strings.ToUpper(c.in))), p); err != nil {
				t.Errorf("%s: json.Unmarshal(%q): %v", e.kind, c.in, err)
			}
			if got, want := p.(fmt.Stringer).String(), e.str(c.want); got != want {
				t.Errorf("%s: json.Unmarshal(%q) = %s; want %s", e.kind, c.in, got, want)
			}
		}
	}
}

func TestEnumInStructJSON(t *testing.T) {
	type doc struct {
		Start StartType    `json:"start"`
		Type  ServiceType  `json:"type"`
		Err   ErrorControl `json:"err"`
		SID   SIDType      `json:"sid"`
	}
	in := doc{AutoStart, Win32ShareProcess, ErrorSevere, SIDTypeRestricted}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"start":"AUTO_START","type":"WIN32_SHARE_PROCESS","err":"ERROR_SEVERE","sid":"SID_TYPE_RESTRICTED"}`
	if string(b) != want {
		t.Errorf("json = %s; want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal([]byte(`{"start":"delayed","type":"own"}`), &out); err == nil {
		t.Error(`json.Unmarshal of start "delayed" succeeded; want an error`)
	}
	if err := json.Unmarshal([]byte(`{"start":"auto","type":"own","err":"critical","sid":"unrestricted"}`), &out); err != nil {
		t.Fatal(err)
	}
	if out != (doc{AutoStart, Win32OwnProcess, ErrorCritical, SIDTypeUnrestricted}) {
		t.Errorf("json.Unmarshal of sc tokens = %+v", out)
	}
}

func TestEnumParseErrors(t *testing.T) {
	for _, e := range enumsUnderTest() {
		for _, bad := range []string{"bogus", "-1", "AUTO START", "0xZZ", "4294967296"} {
			_, err := e.parse(bad)
			if err == nil {
				t.Errorf("%s: parse(%q) succeeded; want an error", e.kind, bad)
				continue
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: parse(%q) error %v does not match ErrInvalid", e.kind, bad, err)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("%s: parse(%q) error %T is not a *ValidationError", e.kind, bad, err)
			}
			if ve.Field != e.kind || ve.Value != bad {
				t.Errorf("%s: parse(%q) error names field %q, value %v", e.kind, bad, ve.Field, ve.Value)
			}
			for _, c := range append(slices.Clone(e.names), e.tokens...) {
				if !slices.Contains(ve.Allowed, strings.ToLower(c.in)) && !slices.Contains(ve.Allowed, c.in) {
					t.Errorf("%s: allowed values %v lack %q", e.kind, ve.Allowed, c.in)
				}
			}
			if !strings.Contains(err.Error(), e.kind) || !strings.Contains(err.Error(), e.names[0].in) {
				t.Errorf("%s: error text %q names neither the field nor the allowed values", e.kind, err)
			}
		}
	}
}

func TestParseStartTypeErrorText(t *testing.T) {
	_, err := parseText[StartType]("delayed")
	const want = `invalid startType "delayed"; allowed: BOOT_START, SYSTEM_START, AUTO_START, DEMAND_START, DISABLED, auto, automatic, boot, demand, disabled, manual, system`
	if err == nil || err.Error() != want {
		t.Errorf("parseText[StartType](delayed) error = %v; want %s", err, want)
	}
}

// TestUnknownEnumValueNamedByWin32Value: a number that is no known value
// of an enum is refused naming the number as it was given (its Win32
// value), not the Go value, which is one more.
func TestUnknownEnumValueNamedByWin32Value(t *testing.T) {
	st, _ := parseText[StartType]("5")
	ec, _ := parseText[ErrorControl]("4")
	sid, _ := parseText[SIDType]("2")
	for _, tt := range []struct {
		def  Definition
		want string
	}{
		{Definition{Name: "E", CommandLine: `C:\x.exe`, StartType: Ptr(st)}, `invalid startType "0x5"`},
		{Definition{Name: "E", CommandLine: `C:\x.exe`, ErrorControl: Ptr(ec)}, `invalid errorControl "0x4"`},
		{Definition{Name: "E", CommandLine: `C:\x.exe`, SIDType: Ptr(sid)}, `invalid sidType "0x2"`},
	} {
		if err := tt.def.Validate(); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%v; want %s", err, tt.want)
		}
	}
}

func TestServiceTypePredicates(t *testing.T) {
	tests := []struct {
		t                          ServiceType
		driver, win32, interactive bool
	}{
		{0, false, false, false},
		{KernelDriver, true, false, false},
		{FileSystemDriver, true, false, false},
		{RecognizerDriver, true, false, false},
		{KernelDriver | FileSystemDriver, true, false, false},
		{Adapter, false, false, false},
		{Win32OwnProcess, false, true, false},
		{Win32ShareProcess, false, true, false},
		{InteractiveOwnProcess, false, true, true},
		{InteractiveShareProcess, false, true, true},
		{UserOwnProcess, false, false, false},
		{UserShareProcess, false, false, false},
		{KernelDriver | Win32OwnProcess, false, false, false},
		{InteractiveProcess, false, false, true},
	}
	for _, tt := range tests {
		if got := tt.t.IsDriver(); got != tt.driver {
			t.Errorf("%v.IsDriver() = %v; want %v", tt.t, got, tt.driver)
		}
		if got := tt.t.IsWin32(); got != tt.win32 {
			t.Errorf("%v.IsWin32() = %v; want %v", tt.t, got, tt.win32)
		}
		if got := tt.t.Interactive(); got != tt.interactive {
			t.Errorf("%v.Interactive() = %v; want %v", tt.t, got, tt.interactive)
		}
	}
	if InteractiveOwnProcess != 0x110 || InteractiveShareProcess != 0x120 {
		t.Errorf("interactive combinations = %#x, %#x; want 0x110, 0x120", uint64(InteractiveOwnProcess), uint64(InteractiveShareProcess))
	}
}

func TestStatePending(t *testing.T) {
	pending := map[State]bool{StartPending: true, StopPending: true, ContinuePending: true, PausePending: true}
	for s := State(0); s <= 8; s++ {
		if got := s.Pending(); got != pending[s] {
			t.Errorf("%v.Pending() = %v; want %v", s, got, pending[s])
		}
	}
}

// TestPywinservicemanagerInteractiveStartTypes checks pywinservicemanager's INTERACTIVE_*_PROCESS
// "start types": refused as start types with an error that names them as
// the service types 0x110 and 0x120, which parse as such.
func TestPywinservicemanagerInteractiveStartTypes(t *testing.T) {
	for name, want := range map[string]ServiceType{"INTERACTIVE_OWN_PROCESS": InteractiveOwnProcess, "interactive_share_process": InteractiveShareProcess} {
		_, err := parseText[StartType](name)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != "startType" || !strings.Contains(ve.Reason, fmt.Sprintf("%#x", want.Win32())) {
			t.Errorf("parseText[StartType](%s) = %v; want a startType error naming service type %#x", name, err, want.Win32())
		}
		if got, err := parseText[ServiceType](name); err != nil || got != want {
			t.Errorf("parseText[ServiceType](%s) = %v, %v; want %s", name, got, err, want)
		}
	}
}
