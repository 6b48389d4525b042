package winsvc

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// enumCase is one accepted spelling of an enum value.
type enumCase struct {
	in   string
	want uint32 // the value, which is the Win32 value
}

// enumUnderTest gives the table-driven tests uniform access to each enum type.
type enumUnderTest struct {
	kind   string // the field name used in validation errors
	parse  func(string) (uint32, error)
	str    func(uint32) string
	size   uintptr          // unsafe.Sizeof a value
	newPtr func(uint32) any // a pointer to a value, for text and JSON round trips
	names  []enumCase       // every Win32 name
	tokens []enumCase       // every sc.exe token and alias
}

// enumOf describes enum type T for the table-driven tests.
func enumOf[T interface {
	~uint32
	fmt.Stringer
}](kind string, parse func(string) (T, error), names, tokens []enumCase) enumUnderTest {
	var zero T
	return enumUnderTest{
		kind:   kind,
		parse:  func(s string) (uint32, error) { v, err := parse(s); return uint32(v), err },
		str:    func(v uint32) string { return T(v).String() },
		size:   unsafe.Sizeof(zero),
		newPtr: func(v uint32) any { x := T(v); return &x },
		names:  names,
		tokens: tokens,
	}
}

// zeroIsValue reports whether the Win32 value 0 has a name (BOOT_START,
// ...): then the zero value is that value, and there is no "not set".
func (e enumUnderTest) zeroIsValue() bool {
	return slices.ContainsFunc(e.names, func(c enumCase) bool { return c.want == 0 })
}

// enumsUnderTest lists every enum with its Win32 values as winsvc.h
// defines them.
func enumsUnderTest() []enumUnderTest {
	return []enumUnderTest{
		enumOf("serviceType", parseText[ServiceType],
			[]enumCase{
				{"KERNEL_DRIVER", 0x1}, {"FILE_SYSTEM_DRIVER", 0x2}, {"ADAPTER", 0x4},
				{"RECOGNIZER_DRIVER", 0x8}, {"WIN32_OWN_PROCESS", 0x10},
				{"WIN32_SHARE_PROCESS", 0x20}, {"USER_OWN_PROCESS", 0x50},
				{"USER_SHARE_PROCESS", 0x60}, {"USER_OWN_PROCESS_INSTANCE", 0xD0},
				{"USER_SHARE_PROCESS_INSTANCE", 0xE0},
				{"INTERACTIVE_OWN_PROCESS", 0x110}, {"INTERACTIVE_SHARE_PROCESS", 0x120},
			},
			[]enumCase{
				{"kernel", 0x1}, {"filesys", 0x2}, {"adapt", 0x4}, {"rec", 0x8},
				{"own", 0x10}, {"share", 0x20}, {"userown", 0x50},
				{"usershare", 0x60}, {"interact", 0x110}, {"driver", 0x1},
				{"WIN32_OWN_PROCESS|INTERACTIVE_PROCESS", 0x110},
				{"WIN32_SHARE_PROCESS|INTERACTIVE_PROCESS", 0x120},
			}),
		enumOf("startType", parseText[StartType],
			[]enumCase{{"BOOT_START", 0}, {"SYSTEM_START", 1}, {"AUTO_START", 2}, {"DEMAND_START", 3}, {"DISABLED", 4}},
			[]enumCase{
				{"boot", 0}, {"system", 1}, {"auto", 2}, {"demand", 3}, {"disabled", 4},
				{"manual", 3}, {"automatic", 2},
			}),
		enumOf("errorControl", parseText[ErrorControl],
			[]enumCase{{"ERROR_IGNORE", 0}, {"ERROR_NORMAL", 1}, {"ERROR_SEVERE", 2}, {"ERROR_CRITICAL", 3}},
			[]enumCase{{"ignore", 0}, {"normal", 1}, {"severe", 2}, {"critical", 3}}),
		enumOf("state", parseText[State],
			[]enumCase{
				{"STOPPED", 1}, {"START_PENDING", 2}, {"STOP_PENDING", 3}, {"RUNNING", 4},
				{"CONTINUE_PENDING", 5}, {"PAUSE_PENDING", 6}, {"PAUSED", 7},
			},
			[]enumCase{
				{"stopped", 1}, {"start-pending", 2}, {"stop-pending", 3}, {"running", 4},
				{"continue-pending", 5}, {"pause-pending", 6}, {"paused", 7}, {"started", 4},
			}),
		enumOf("sidType", parseText[SIDType],
			[]enumCase{{"SID_TYPE_NONE", 0}, {"SID_TYPE_UNRESTRICTED", 1}, {"SID_TYPE_RESTRICTED", 3}},
			[]enumCase{{"none", 0}, {"unrestricted", 1}, {"restricted", 3}}),
		enumOf("failureActions.actions.type", parseText[ActionType],
			[]enumCase{{"SC_ACTION_NONE", 0}, {"SC_ACTION_RESTART", 1}, {"SC_ACTION_REBOOT", 2}, {"SC_ACTION_RUN_COMMAND", 3}},
			[]enumCase{{"none", 0}, {"restart", 1}, {"reboot", 2}, {"run", 3}}),
		enumOf("launchProtected", parseText[LaunchProtection],
			[]enumCase{
				{"SERVICE_LAUNCH_PROTECTED_NONE", 0}, {"SERVICE_LAUNCH_PROTECTED_WINDOWS", 1},
				{"SERVICE_LAUNCH_PROTECTED_WINDOWS_LIGHT", 2}, {"SERVICE_LAUNCH_PROTECTED_ANTIMALWARE_LIGHT", 3},
			},
			[]enumCase{
				{"none", 0}, {"windows", 1}, {"windows_light", 2}, {"windows-light", 2},
				{"antimalware_light", 3}, {"antimalware-light", 3},
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
		}
	}
}

func TestEnumStringIsWin32Name(t *testing.T) {
	for _, e := range enumsUnderTest() {
		for _, c := range e.names {
			if got := e.str(c.want); got != c.in {
				t.Errorf("%s: String(%d) = %q; want %q", e.kind, c.want, got, c.in)
			}
		}
	}
}

// TestEnumValueIsWin32Value: every enum's Go value is its Win32 value, so
// a number converts directly both ways and parses as the same value
// (UnmarshalText("2") == StartType(2)), and every enum is 32 bits wide.
func TestEnumValueIsWin32Value(t *testing.T) {
	for _, e := range enumsUnderTest() {
		if e.size != 4 {
			t.Errorf("%s: unsafe.Sizeof = %d; want 4", e.kind, e.size)
		}
		for _, c := range e.names {
			for _, num := range []string{strconv.FormatUint(uint64(c.want), 10), fmt.Sprintf("%#x", c.want)} {
				if got, err := e.parse(num); err != nil || got != c.want || e.str(got) != c.in {
					t.Errorf("%s: parse(%q) = %d (%s), %v; want %d (%s)", e.kind, num, got, e.str(got), err, c.want, c.in)
				}
			}
		}
	}
	// The constants, against winsvc.h's numbers.
	for _, tt := range []struct {
		got  uint32
		want uint32
	}{
		{uint32(BootStart), 0}, {uint32(SystemStart), 1}, {uint32(AutoStart), 2}, {uint32(DemandStart), 3}, {uint32(Disabled), 4},
		{uint32(ErrorIgnore), 0}, {uint32(ErrorNormal), 1}, {uint32(ErrorSevere), 2}, {uint32(ErrorCritical), 3},
		{uint32(Stopped), 1}, {uint32(StartPending), 2}, {uint32(StopPending), 3}, {uint32(Running), 4},
		{uint32(ContinuePending), 5}, {uint32(PausePending), 6}, {uint32(Paused), 7},
		{uint32(SIDTypeNone), 0}, {uint32(SIDTypeUnrestricted), 1}, {uint32(SIDTypeRestricted), 3},
		{uint32(ActionNone), 0}, {uint32(ActionRestart), 1}, {uint32(ActionReboot), 2}, {uint32(ActionRunCommand), 3},
		{uint32(LaunchProtectedNone), 0}, {uint32(LaunchProtectedWindows), 1}, {uint32(LaunchProtectedWindowsLight), 2},
		{uint32(LaunchProtectedAntimalwareLight), 3},
		{uint32(KernelDriver), 0x1}, {uint32(FileSystemDriver), 0x2}, {uint32(Adapter), 0x4}, {uint32(RecognizerDriver), 0x8},
		{uint32(Win32OwnProcess), 0x10}, {uint32(Win32ShareProcess), 0x20}, {uint32(UserOwnProcess), 0x50},
		{uint32(UserShareProcess), 0x60}, {uint32(InteractiveProcess), 0x100},
	} {
		if tt.got != tt.want {
			t.Errorf("constant %d; want the Win32 value %d", tt.got, tt.want)
		}
	}
	if StartType(2) != AutoStart || SIDType(0) != SIDTypeNone || State(4) != Running || ActionType(1) != ActionRestart {
		t.Error("a conversion from a Win32 number is not the constant of that number")
	}
}

// TestEnumZeroValue: where Win32 has a 0 (BOOT_START, ERROR_IGNORE,
// SID_TYPE_NONE, SC_ACTION_NONE, SERVICE_LAUNCH_PROTECTED_NONE) the zero
// value is that value, and "" is refused rather than silently meaning it;
// elsewhere (a service type, a state) the zero value is "not set" or
// "unknown", prints as "" and is what "" parses to.
func TestEnumZeroValue(t *testing.T) {
	for _, e := range enumsUnderTest() {
		if !e.zeroIsValue() {
			if s := e.str(0); s != "" {
				t.Errorf("%s: zero value String() = %q; want \"\"", e.kind, s)
			}
			for _, in := range []string{"", "  "} {
				if v, err := e.parse(in); v != 0 || err != nil {
					t.Errorf("%s: parse(%q) = %d, %v; want 0, nil", e.kind, in, v, err)
				}
			}
			continue
		}
		if s := e.str(0); s != e.names[0].in {
			t.Errorf("%s: zero value String() = %q; want %q", e.kind, s, e.names[0].in)
		}
		for _, in := range []string{"", "  "} {
			_, err := e.parse(in)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != e.kind || !slices.Contains(ve.Allowed, e.names[0].in) {
				t.Errorf("%s: parse(%q) = %v; want an error naming the field and the allowed values", e.kind, in, err)
			}
		}
	}
}

func TestEnumUnknownWin32ValueIsKept(t *testing.T) {
	for _, e := range enumsUnderTest() {
		for _, unknown := range []uint32{9, 0xFFFFFFFF} {
			want := fmt.Sprintf("0x%X", unknown)
			if got := e.str(unknown); got != want {
				t.Errorf("%s: String(%d) = %q; want %q", e.kind, unknown, got, want)
			}
			back, err := e.parse(want)
			if err != nil || back != unknown {
				t.Errorf("%s: parse(%q) = %d, %v; want %d", e.kind, want, back, err, unknown)
			}
		}
	}
	if st := StartType(9); st == AutoStart || st == DemandStart || st == Disabled {
		t.Errorf("StartType(9) is %s", st)
	}
}

func TestEnumParseNumbers(t *testing.T) {
	tests := []struct {
		in   string
		want StartType
	}{
		{"0", BootStart}, {"2", AutoStart}, {"3", DemandStart}, {"0x4", Disabled}, {"0X2", AutoStart}, {"7", 7},
		{"4294967295", 0xFFFFFFFF},
	}
	for _, tt := range tests {
		got, err := parseText[StartType](tt.in)
		if err != nil || got != tt.want {
			t.Errorf("parseText[StartType](%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if got, err := parseText[ServiceType]("4294967295"); err != nil || got != 0xFFFFFFFF {
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
		values := []uint32{0, 9, 0xFFFFFFFF}
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
			p := e.newPtr(12345)
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
// value).
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
		t.Errorf("interactive combinations = %#x, %#x; want 0x110, 0x120", uint32(InteractiveOwnProcess), uint32(InteractiveShareProcess))
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
		if !errors.As(err, &ve) || ve.Field != "startType" || !strings.Contains(ve.Reason, fmt.Sprintf("%#x", uint32(want))) {
			t.Errorf("parseText[StartType](%s) = %v; want a startType error naming service type %#x", name, err, uint32(want))
		}
		if got, err := parseText[ServiceType](name); err != nil || got != want {
			t.Errorf("parseText[ServiceType](%s) = %v, %v; want %s", name, got, err, want)
		}
	}
}
