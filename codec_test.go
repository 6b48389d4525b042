package winsvc

import (
	"errors"
	"runtime"
	"slices"
	"testing"
	"time"
	"unicode/utf16"
	"unsafe"
)

// utf16At reads the NUL-terminated UTF-16 string at offset off of b.
func utf16At(t *testing.T, b []byte, off int) string {
	t.Helper()
	var u []uint16
	for i := off; ; i += 2 {
		if i+2 > len(b) {
			t.Fatalf("string at %d is not terminated", off)
		}
		c := le.Uint16(b[i:])
		if c == 0 {
			return string(utf16.Decode(u))
		}
		u = append(u, c)
	}
}

func TestFailureActionsLayoutOffsets(t *testing.T) {
	// SERVICE_FAILURE_ACTIONSW: DWORD dwResetPeriod; LPWSTR lpRebootMsg;
	// LPWSTR lpCommand; DWORD cActions; SC_ACTION *lpsaActions.
	want := map[int][6]int{
		8: {0, 8, 16, 24, 32, 40}, // amd64, arm64: pointers 8-aligned
		4: {0, 4, 8, 12, 16, 20},  // 386, arm
	}[ptrSize]
	got := [6]int{faResetOff, faRebootOff, faCommandOff, faCountOff, faActionsOff, faSize}
	if got != want {
		t.Errorf("SERVICE_FAILURE_ACTIONSW offsets (reset, reboot, command, count, actions, size) = %v; want %v", got, want)
	}
	if scActionSize != 8 {
		t.Errorf("SC_ACTION size = %d; want 8 (Type, Delay)", scActionSize)
	}
	// ptrSize comes from unsafe.Sizeof(uintptr(0)); check it against the
	// pointer size each Windows architecture is known to have, so a wrong
	// definition cannot pass by comparing with itself.
	if want, ok := map[string]int{"amd64": 8, "arm64": 8, "386": 4, "arm": 4}[runtime.GOARCH]; ok && ptrSize != want {
		t.Errorf("ptrSize = %d on %s, want %d", ptrSize, runtime.GOARCH, want)
	}
}

func TestEncodeFailureActions(t *testing.T) {
	from := FailureActions{
		ResetPeriod: ResetAfter(time.Hour), RebootMessage: "old message", Command: "old command",
		Actions: []Action{RestartAction(time.Second)},
	}
	tests := []struct {
		name      string
		to        FailureActions
		fromKnown bool
		reboot    *string // nil = NULL pointer
		command   *string
	}{
		{"unchanged message and command are NULL", func() FailureActions { f := from; f.Actions = nil; return f }(), true, nil, nil},
		{"changed to empty is a pointer to an empty string", FailureActions{ResetPeriod: ResetAfter(time.Hour)}, true, Ptr(""), Ptr("")},
		{"changed to a value", FailureActions{RebootMessage: "new", Command: "old command", Actions: []Action{RebootAction(time.Minute), RunCommandAction(1500 * time.Millisecond)}}, true, Ptr("new"), nil},
		{"unknown old value is always written", from, false, Ptr("old message"), Ptr("old command")},
		{"unknown old value, empty", FailureActions{}, false, Ptr(""), Ptr("")},
		{"infinite reset", FailureActions{ResetPeriod: ResetInfinite, RebootMessage: "old message", Command: "old command", Actions: []Action{NoAction(0)}}, true, nil, nil},
	}
	for _, tt := range tests {
		var old *FailureActions
		if tt.fromKnown {
			old = &from
		}
		b := encodeFailureActions(old, tt.to)
		if len(b) < faSize {
			t.Fatalf("%s: buffer of %d bytes", tt.name, len(b))
		}
		if got := le.Uint32(b[faResetOff:]); got != tt.to.ResetPeriod.seconds() {
			t.Errorf("%s: dwResetPeriod = %#x; want %#x", tt.name, got, tt.to.ResetPeriod.seconds())
		}
		for _, s := range []struct {
			what string
			at   int
			want *string
		}{{"lpRebootMsg", faRebootOff, tt.reboot}, {"lpCommand", faCommandOff, tt.command}} {
			off := ptrOffset(t, b, s.at)
			switch {
			case s.want == nil && off >= 0:
				t.Errorf("%s: %s = %q; want NULL", tt.name, s.what, utf16At(t, b, off))
			case s.want != nil && off < 0:
				t.Errorf("%s: %s is NULL; want %q", tt.name, s.what, *s.want)
			case s.want != nil && utf16At(t, b, off) != *s.want:
				t.Errorf("%s: %s = %q; want %q", tt.name, s.what, utf16At(t, b, off), *s.want)
			}
		}
		if got := le.Uint32(b[faCountOff:]); int(got) != len(tt.to.Actions) {
			t.Errorf("%s: cActions = %d; want %d", tt.name, got, len(tt.to.Actions))
		}
		arr := ptrOffset(t, b, faActionsOff)
		if arr < 0 {
			t.Errorf("%s: lpsaActions is NULL (that would leave the actions unchanged)", tt.name)
			continue
		}
		if arr%4 != 0 {
			t.Errorf("%s: SC_ACTION array at %d is not 4-aligned", tt.name, arr)
		}
		for i, a := range tt.to.Actions {
			typ, delay := le.Uint32(b[arr+i*scActionSize:]), le.Uint32(b[arr+i*scActionSize+4:])
			if typ != uint32(a.Type) || delay != uint32(a.Delay.Milliseconds()) {
				t.Errorf("%s: SC_ACTION[%d] = {%d, %d}; want {%d, %d}", tt.name, i, typ, delay, uint32(a.Type), a.Delay.Milliseconds())
			}
		}

		got, err := decodeFailureActions(b)
		if err != nil {
			t.Fatalf("%s: decode: %v", tt.name, err)
		}
		want := tt.to
		if tt.reboot == nil {
			want.RebootMessage = "" // NULL reads back as empty
		}
		if tt.command == nil {
			want.Command = ""
		}
		if !got.Equal(want) || got.ResetPeriod.seconds() != want.ResetPeriod.seconds() || got.Actions == nil {
			t.Errorf("%s: decode = %+v; want %+v", tt.name, got, want)
		}
	}
}

func TestEncodeFailureActionsZeroActions(t *testing.T) {
	b := encodeFailureActions(&FailureActions{Actions: []Action{RestartAction(0)}}, FailureActions{})
	if n := le.Uint32(b[faCountOff:]); n != 0 {
		t.Errorf("cActions = %d; want 0", n)
	}
	if ptrOffset(t, b, faActionsOff) < 0 {
		t.Error("lpsaActions is NULL; deleting all actions needs a non-NULL array with count 0")
	}
	fa, err := decodeFailureActions(b)
	if err != nil || fa.Actions == nil || len(fa.Actions) != 0 {
		t.Errorf("decode = %+v, %v", fa, err)
	}
}

func TestDecodeFailureActionsNullArray(t *testing.T) {
	// A service without actions comes back with a NULL array and count 0.
	var w layout
	base := w.reserve(faSize, ptrSize)
	w.putU32(base+faResetOff, 0xFFFFFFFF)
	w.putU32(base+faCountOff, 0)
	b := w.finish()
	fa, err := decodeFailureActions(b)
	if err != nil || !fa.ResetPeriod.Infinite() || len(fa.Actions) != 0 || fa.RebootMessage != "" || fa.Command != "" {
		t.Errorf("decode = %+v, %v", fa, err)
	}
}

func TestEncodeString(t *testing.T) {
	if off := ptrOffset(t, encodeString(nil), 0); off != -1 {
		t.Errorf("encodeString(nil) points to offset %d; want NULL", off)
	}
	for _, s := range []string{"", "hello", "ünïcödé 日本 😀"} {
		b := encodeString(&s)
		off := ptrOffset(t, b, 0)
		if off < 0 {
			t.Fatalf("encodeString(%q) is NULL", s)
		}
		if off%2 != 0 {
			t.Errorf("string at odd offset %d", off)
		}
		if got := utf16At(t, b, off); got != s {
			t.Errorf("encodeString(%q) holds %q", s, got)
		}
		var c Config
		if err := config2SettingFor(t, FieldDescription).decodeInto(b, &c); err != nil || c.Description != s {
			t.Errorf("description decode of %q = %q, %v", s, c.Description, err)
		}
	}
}

func TestMultiSz(t *testing.T) {
	tests := [][]string{
		nil,
		{},
		{"SeShutdownPrivilege"},
		{"SeChangeNotifyPrivilege", "SeCreateGlobalPrivilege", "Sé"},
	}
	for _, list := range tests {
		b := encodeMultiSz(list)
		off := ptrOffset(t, b, 0)
		if off < 0 {
			t.Fatalf("encodeMultiSz(%q) is NULL", list)
		}
		// The bytes: each string NUL-terminated, then one more NUL; an
		// empty list is two NULs.
		var want []uint16
		for _, s := range list {
			want = append(want, utf16.Encode([]rune(s))...)
			want = append(want, 0)
		}
		want = append(want, 0)
		if len(list) == 0 {
			want = append(want, 0)
		}
		for i, u := range want {
			if got := le.Uint16(b[off+2*i:]); got != u {
				t.Fatalf("encodeMultiSz(%q) unit %d = %#x; want %#x", list, i, got, u)
			}
		}
		got, err := newReader(b).multiSzPtr(0)
		if err != nil || got == nil || !slices.Equal(got, list) {
			t.Errorf("multiSzPtr = %q, %v; want %q", got, err, list)
		}
	}
	// A NULL pointer reads as an empty list.
	got, err := newReader(encodeString(nil)).multiSzPtr(0)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("NULL multi-sz = %q, %v", got, err)
	}
}

func TestEncodeU32(t *testing.T) {
	for _, v := range []uint32{0, 1, 180000, 0xFFFFFFFF} {
		b := encodeU32(v)
		if len(b) < 4 || le.Uint32(b) != v {
			t.Errorf("encodeU32(%d) = % x", v, b)
		}
	}
	if boolU32(true) != 1 || boolU32(false) != 0 {
		t.Error("boolU32")
	}
}

func TestPreferredNodeLayout(t *testing.T) {
	// SERVICE_PREFERRED_NODE_INFO: USHORT usPreferredNode; BOOLEAN fDelete.
	tests := []struct {
		n    PreferredNode
		want []byte
	}{
		{PreferredNode{Node: 3, Set: true}, []byte{3, 0, 0}},
		{PreferredNode{Node: 0x102, Set: true}, []byte{2, 1, 0}},
		{PreferredNode{}, []byte{0, 0, 1}}, // not set: delete it
	}
	for _, tt := range tests {
		b := encodePreferredNode(tt.n)
		if len(b) < 4 || !slices.Equal(b[:3], tt.want) {
			t.Errorf("encodePreferredNode(%+v) = % x; want % x", tt.n, b, tt.want)
		}
		got, err := decodePreferredNode(b)
		if err != nil || got != tt.n {
			t.Errorf("decodePreferredNode(% x) = %+v, %v; want %+v", b, got, err, tt.n)
		}
	}
	for _, short := range [][]byte{nil, {1}, {1, 0}} {
		if _, err := decodePreferredNode(short); !errors.Is(err, errBadPointer) {
			t.Errorf("decodePreferredNode(% x) error = %v", short, err)
		}
	}
}

func TestLayoutAlignment(t *testing.T) {
	var w layout
	if off := w.reserve(1, 1); off != 0 {
		t.Errorf("first reserve at %d", off)
	}
	if off := w.reserve(4, 4); off != 4 {
		t.Errorf("4-aligned reserve at %d; want 4", off)
	}
	if off := w.reserve(ptrSize, ptrSize); off != align(8, ptrSize) {
		t.Errorf("pointer reserve at %d", off)
	}
	if off := w.str("a"); off%2 != 0 {
		t.Errorf("string at %d", off)
	}
	raw := w.bytes([]byte{1, 2, 3}, 8)
	if raw%8 != 0 || !slices.Equal(w.b[raw:raw+3], []byte{1, 2, 3}) {
		t.Errorf("bytes at %d = % x", raw, w.b[raw:])
	}
	if got := align(13, 8); got != 16 {
		t.Errorf("align(13, 8) = %d", got)
	}
	var empty layout
	if b := empty.finish(); len(b) == 0 {
		t.Error("finish of an empty layout gave no buffer to point at")
	}
}

func TestReaderRejectsBadPointers(t *testing.T) {
	s := "hello"
	good := encodeString(&s)

	// A copy keeps the original's addresses, which point outside it.
	moved := slices.Clone(good)
	if _, err := newReader(moved).strPtr(0); !errors.Is(err, errBadPointer) {
		t.Errorf("pointer into another buffer: error %v", err)
	}
	runtime.KeepAlive(good)

	// One past the end.
	past := slices.Clone(good)
	base := uint64(uintptr(unsafe.Pointer(&past[0])))
	setPtr := func(b []byte, at int, v uint64) {
		if ptrSize == 8 {
			le.PutUint64(b[at:], v)
		} else {
			le.PutUint32(b[at:], uint32(v))
		}
	}
	setPtr(past, 0, base+uint64(len(past)))
	if _, err := newReader(past).strPtr(0); !errors.Is(err, errBadPointer) {
		t.Errorf("pointer one past the end: error %v", err)
	}
	// Below the start.
	setPtr(past, 0, base-2)
	if _, err := newReader(past).strPtr(0); !errors.Is(err, errBadPointer) {
		t.Errorf("pointer below the start: error %v", err)
	}
	// Into the buffer but to a string that is not terminated before its end.
	unterminated := make([]byte, ptrSize+4)
	base = uint64(uintptr(unsafe.Pointer(&unterminated[0])))
	setPtr(unterminated, 0, base+uint64(ptrSize))
	le.PutUint16(unterminated[ptrSize:], 'a')
	le.PutUint16(unterminated[ptrSize+2:], 'b')
	if _, err := newReader(unterminated).strPtr(0); !errors.Is(err, errBadPointer) {
		t.Errorf("unterminated string: error %v", err)
	}
	if _, err := newReader(unterminated).multiSzPtr(0); !errors.Is(err, errBadPointer) {
		t.Errorf("unterminated multi-sz: error %v", err)
	}

	// Reads past the end or before the start.
	r := newReader(make([]byte, 6))
	if _, err := r.u32(4); !errors.Is(err, errBadPointer) {
		t.Errorf("u32 past the end: %v", err)
	}
	if _, err := r.u32(-1); !errors.Is(err, errBadPointer) {
		t.Errorf("u32 at -1: %v", err)
	}
	if _, err := r.u16(5); !errors.Is(err, errBadPointer) {
		t.Errorf("u16 past the end: %v", err)
	}
	if _, err := r.ptr(6 - ptrSize + 1); !errors.Is(err, errBadPointer) {
		t.Errorf("ptr past the end: %v", err)
	}
	if _, err := newReader(nil).u32(0); !errors.Is(err, errBadPointer) {
		t.Errorf("u32 of an empty buffer: %v", err)
	}

	// A failure-actions structure whose action array runs off the end.
	fa := encodeFailureActions(nil, FailureActions{Actions: []Action{RestartAction(0)}})
	le.PutUint32(fa[faCountOff:], 1000)
	if _, err := decodeFailureActions(fa); !errors.Is(err, errBadPointer) {
		t.Errorf("action count beyond the buffer: error %v", err)
	}
	if _, err := decodeFailureActions(make([]byte, 2)); !errors.Is(err, errBadPointer) {
		t.Errorf("truncated failure actions: error %v", err)
	}
}

func TestConfig2SettingsLevels(t *testing.T) {
	want := map[Field]uint32{
		FieldDescription: 1, FieldFailureActions: 2, FieldDelayedAutoStart: 3, FieldFailureFlag: 4,
		FieldSIDType: 5, FieldRequiredPrivileges: 6, FieldPreshutdownTimeout: 7, FieldTriggers: 8,
		FieldPreferredNode: 9, FieldManagedAccount: 11, FieldLaunchProtected: 12,
		FieldProgram: levelParameters, // no SCM level: the Parameters key, last
	}
	if len(config2Settings) != len(want) {
		t.Errorf("%d config2 settings; want %d", len(config2Settings), len(want))
	}
	for f, lvl := range want {
		if got := config2SettingFor(t, f).level; got != lvl {
			t.Errorf("level of %s = %d; want %d", f, got, lvl)
		}
	}
	for i, r := range config2Settings[1:] {
		if r.level <= config2Settings[i].level {
			t.Errorf("config2Settings out of level order: %s (%d) after %s (%d)", r.field, r.level, config2Settings[i].field, config2Settings[i].level)
		}
	}
	if r, _ := settingFor(FieldStartType); r.level != 0 {
		t.Errorf("startType has level %d; want 0 (ChangeServiceConfig)", r.level)
	}
}

// TestConfig2SettingsDecode builds each structure the SCM returns and
// decodes it with the setting's decoder.
func TestConfig2SettingsDecode(t *testing.T) {
	desc := "A description"
	fa := FailureActions{ResetPeriod: ResetAfter(time.Minute), RebootMessage: "m", Command: "c",
		Actions: []Action{RestartAction(time.Second), RebootAction(2 * time.Second)}}
	tests := []struct {
		field Field
		buf   []byte
		check func(c *Config) bool
	}{
		{FieldDescription, encodeString(&desc), func(c *Config) bool { return c.Description == desc }},
		{FieldDescription, encodeString(nil), func(c *Config) bool { return c.Description == "" }},
		{FieldFailureActions, encodeFailureActions(nil, fa), func(c *Config) bool {
			return c.FailureActions.Equal(fa) && c.FailureActions.ResetPeriod == fa.ResetPeriod
		}},
		{FieldDelayedAutoStart, encodeU32(1), func(c *Config) bool { return c.DelayedAutoStart }},
		{FieldDelayedAutoStart, encodeU32(0), func(c *Config) bool { return !c.DelayedAutoStart }},
		{FieldFailureFlag, encodeU32(1), func(c *Config) bool { return c.FailureActionsOnNonCrashFailures }},
		{FieldSIDType, encodeU32(0), func(c *Config) bool { return c.SIDType == SIDTypeNone }},
		{FieldSIDType, encodeU32(1), func(c *Config) bool { return c.SIDType == SIDTypeUnrestricted }},
		{FieldSIDType, encodeU32(3), func(c *Config) bool { return c.SIDType == SIDTypeRestricted }},
		{FieldSIDType, encodeU32(2), func(c *Config) bool { return c.SIDType == 2 && c.SIDType.String() == "0x2" }},
		{FieldRequiredPrivileges, encodeMultiSz([]string{"SeA" + "Privilege", "SeBPrivilege"}), func(c *Config) bool {
			return slices.Equal(c.RequiredPrivileges, []string{"SeAPrivilege", "SeBPrivilege"})
		}},
		{FieldRequiredPrivileges, encodeMultiSz(nil), func(c *Config) bool { return c.RequiredPrivileges != nil && len(c.RequiredPrivileges) == 0 }},
		{FieldPreshutdownTimeout, encodeU32(180000), func(c *Config) bool { return c.PreshutdownTimeout == 3*time.Minute }},
		{FieldPreferredNode, encodePreferredNode(PreferredNode{Node: 1, Set: true}), func(c *Config) bool { return c.PreferredNode == PreferredNode{Node: 1, Set: true} }},
		{FieldLaunchProtected, encodeU32(0), func(c *Config) bool { return c.LaunchProtected == LaunchProtectedNone }},
		{FieldLaunchProtected, encodeU32(3), func(c *Config) bool { return c.LaunchProtected == LaunchProtectedAntimalwareLight }},
	}
	for _, tt := range tests {
		set := config2SettingFor(t, tt.field)
		var c Config
		if err := set.decodeInto(tt.buf, &c); err != nil {
			t.Errorf("%s: decode: %v", tt.field, err)
			continue
		}
		if !tt.check(&c) {
			t.Errorf("%s: decoded %+v", tt.field, c)
		}
	}
	// A truncated buffer is an error, not a zero value.
	for _, f := range []Field{FieldDelayedAutoStart, FieldFailureFlag, FieldSIDType, FieldPreshutdownTimeout, FieldLaunchProtected, FieldDescription, FieldRequiredPrivileges} {
		var c Config
		if err := config2SettingFor(t, f).decodeInto(make([]byte, 2), &c); !errors.Is(err, errBadPointer) {
			t.Errorf("%s: truncated buffer error = %v", f, err)
		}
	}
}

func config2SettingFor(t *testing.T, f Field) *setting {
	t.Helper()
	r, ok := settingFor(f)
	if !ok || r.level == 0 {
		t.Fatalf("no config2 setting for %s", f)
	}
	return r
}
