package winsvc

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/winsvc/winsvc/trigger"
)

// Fuzz targets for every parser and every decoder of SCM replies. Each
// checks that its input never causes a panic and, where an encoder exists,
// that decode(encode(x)) == x and that whatever decodes re-encodes and
// decodes to the same value. scripts/test.sh runs each for a few seconds;
// the seed corpora are in testdata/fuzz/<target>.
//
// The SCM's buffers hold pointers that are addresses inside the buffer
// itself, which a fuzzer cannot guess. In a fuzz input, a pointer is
// therefore written as relTag<<32 | offset (8-byte words at 8-byte aligned
// offsets); relocate turns those into addresses before decoding, and
// unrelocate turns an encoder's buffer into that form (the seeds).

const relTag = 0x5EED5EED

// relocate returns a copy of in whose tagged words are addresses in the
// copy.
func relocate(in []byte) []byte {
	b := bytes.Clone(in)
	if len(b) == 0 || ptrSize != 8 {
		return b
	}
	base := uint64(uintptr(unsafe.Pointer(&b[0])))
	for at := 0; at+8 <= len(b); at += 8 {
		if w := le.Uint64(b[at:]); w>>32 == relTag {
			le.PutUint64(b[at:], base+w&0xFFFFFFFF)
		}
	}
	return b
}

// unrelocate returns a copy of b whose pointers into b are tagged offsets.
func unrelocate(b []byte) []byte {
	out := bytes.Clone(b)
	if len(b) == 0 || ptrSize != 8 {
		return out
	}
	base := uint64(uintptr(unsafe.Pointer(&b[0])))
	for at := 0; at+8 <= len(b); at += 8 {
		if w := le.Uint64(b[at:]); w >= base && w < base+uint64(len(b)) {
			le.PutUint64(out[at:], relTag<<32|(w-base))
		}
	}
	return out
}

// encodable reports whether s survives a NUL-terminated UTF-16 string.
func encodable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// enumText checks that String of a value parses back to that value, for a
// value parsed from s and for one read from the SCM as w.
func enumText[T interface {
	~uint32
	String() string
}](t *testing.T, parse func(string) (T, error), s string, w uint32) {
	t.Helper()
	check := func(v T) {
		if back, err := parse(v.String()); err != nil || back != v {
			t.Fatalf("%T %v: String %q parses to %v, %v", v, v, v.String(), back, err)
		}
	}
	if v, err := parse(s); err == nil {
		check(v)
	}
	check(T(w))
}

func FuzzEnumText(f *testing.F) {
	for _, s := range []string{"auto", "WIN32_OWN_PROCESS", "interact", "0x110", "4294967295", "delayed-auto", " Running ", "SC_ACTION_RUN_COMMAND", "", "windows-light"} {
		f.Add(s, uint32(0x10))
	}
	f.Add("0x0", uint32(0xFFFFFFFF))
	f.Fuzz(func(t *testing.T, s string, w uint32) {
		enumText(t, parseText[ServiceType], s, w)
		enumText(t, parseText[StartType], s, w)
		enumText(t, parseText[ErrorControl], s, w)
		enumText(t, parseText[State], s, w)
		enumText(t, parseText[SIDType], s, w)
		enumText(t, parseText[ActionType], s, w)
		enumText(t, parseText[LaunchProtection], s, w)
		enumText(t, parseText[trigger.Type], s, w)
		enumText(t, parseText[trigger.Action], s, w)
		enumText(t, parseText[trigger.DataType], s, w)
		b, err := json.Marshal(Accept(w))
		var back Accept
		if err != nil || json.Unmarshal(b, &back) != nil || back != Accept(w) {
			t.Fatalf("Accept(%#x) = %s reads back as %#x", w, b, uint32(back))
		}
	})
}

// FuzzSplitCommandLine: any stored command line splits without a panic,
// and what it splits into joins into a command line that splits the same
// way (FuzzCommandLineRoundTrip checks join then split).
func FuzzSplitCommandLine(f *testing.F) {
	for _, s := range []string{`C:\svc.exe`, `"C:\Program Files\svc.exe" -k "a b" c\\"d`, `C:\a.exe b\c.exe`, `"unterminated`, "\t x  \"\" \\\\\" y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		exe, args, err := SplitCommandLine(cmd)
		if err != nil {
			return
		}
		joined := JoinCommandLine(exe, args...)
		exe2, args2, err := SplitCommandLine(joined)
		if err != nil || exe2 != exe || !slices.Equal(args2, args) {
			t.Fatalf("Split(%q) = %q %q; joined %q splits to %q %q, %v", cmd, exe, args, joined, exe2, args2, err)
		}
	})
}

// FuzzNormalizeBinaryPath: normalizing never panics, is idempotent, and
// changes nothing but quotes added around the program path, which then
// contains a space or a tab (testdata/fuzz/FuzzNormalizeBinaryPath holds
// the input that made it panic).
func FuzzNormalizeBinaryPath(f *testing.F) {
	for _, s := range []string{`C:\Program Files\My App\svc.exe --port 8080`, `"C:\x y\a.exe" b`, `C:\a.exe b\c.exe`,
		"C:\\u212A Tools\\svc.EXE -x", `%SystemRoot%\System32\svchost.exe -k netsvcs`, " \tC:\\My Scripts\\run.cmd\targ "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		out := normalizeCommandLine(cmd)
		if again := normalizeCommandLine(out); again != out {
			t.Fatalf("normalizeCommandLine(%q) = %q, then %q", cmd, out, again)
		}
		s := strings.TrimSpace(cmd)
		if out == s {
			return
		}
		exe, rest, ok := strings.Cut(strings.TrimPrefix(out, `"`), `"`)
		if !strings.HasPrefix(out, `"`) || !ok || exe+rest != s || !strings.ContainsAny(exe, " \t") {
			t.Fatalf("normalizeCommandLine(%q) = %q: not %q with its program path quoted", cmd, out, s)
		}
		if err := checkCommandLine("", out); err != nil {
			t.Fatalf("normalizeCommandLine(%q) = %q, still refused: %v", cmd, out, err)
		}
	})
}

func sampleFailureActions() FailureActions {
	return FailureActions{ResetPeriod: ResetAfter(24 * time.Hour), RebootMessage: "rebooting ☃", Command: `C:\tools\notify.exe "a b"`,
		Actions: []Action{RestartAction(5 * time.Second), RunCommandAction(time.Second), NoAction(0), RebootAction(time.Minute)}}
}

func FuzzDecodeFailureActions(f *testing.F) {
	f.Add(unrelocate(encodeFailureActions(nil, sampleFailureActions())))
	f.Add(unrelocate(encodeFailureActions(Ptr(sampleFailureActions()), sampleFailureActions())))
	f.Add(unrelocate(encodeFailureActions(nil, FailureActions{ResetPeriod: ResetInfinite})))
	f.Fuzz(func(t *testing.T, b []byte) {
		fa, err := decodeFailureActions(relocate(b))
		if err != nil {
			return
		}
		again, err := decodeFailureActions(encodeFailureActions(nil, fa))
		if err != nil || !reflect.DeepEqual(again, fa) {
			t.Fatalf("decoded %+v; re-encoded, it decodes to %+v, %v", fa, again, err)
		}
	})
}

// FuzzFailureActionsRoundTrip: decode(encode(x)) == x for failure actions
// built from the input (actions: 8 bytes each, type and delay), and an
// encoding from a known value to itself leaves the strings unchanged (NULL).
func FuzzFailureActionsRoundTrip(f *testing.F) {
	f.Add(uint32(86400), "msg", `C:\x.exe`, []byte{1, 0, 0, 0, 0x88, 0x13, 0, 0, 3, 0, 0, 0, 0xe8, 3, 0, 0})
	f.Add(uint32(0xFFFFFFFF), "", "", []byte{})
	f.Add(uint32(0), "ünï", "", []byte{9, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, reset uint32, reboot, command string, actions []byte) {
		if !encodable(reboot) || !encodable(command) {
			return
		}
		x := FailureActions{ResetPeriod: resetPeriodFromSeconds(reset), RebootMessage: reboot, Command: command, Actions: []Action{}}
		for i := 0; i+8 <= len(actions); i += 8 {
			x.Actions = append(x.Actions, Action{ActionType(le.Uint32(actions[i:])),
				time.Duration(le.Uint32(actions[i+4:])) * time.Millisecond})
		}
		got, err := decodeFailureActions(encodeFailureActions(nil, x))
		if err != nil || !reflect.DeepEqual(got, x) {
			t.Fatalf("decode(encode(%+v)) = %+v, %v", x, got, err)
		}
		same, err := decodeFailureActions(encodeFailureActions(&x, x))
		want := x
		want.RebootMessage, want.Command = "", "" // NULL: unchanged
		if err != nil || !reflect.DeepEqual(same, want) {
			t.Fatalf("decode(encode(%+v to itself)) = %+v, %v; want %+v", x, same, err, want)
		}
	})
}

func FuzzDecodeTriggers(f *testing.F) {
	f.Add(unrelocate(encodeTriggers(sampleTriggers())))
	f.Add(unrelocate(encodeTriggers(sampleTriggers()[:1])))
	f.Add(unrelocate(encodeTriggers(nil)))
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, err := decodeTriggers(relocate(b))
		if err != nil {
			return
		}
		again, err := decodeTriggers(encodeTriggers(ts))
		if err != nil || !reflect.DeepEqual(again, ts) {
			t.Fatalf("decoded %+v; re-encoded, it decodes to %+v, %v", ts, again, err)
		}
		for _, tr := range ts {
			_ = tr.String()
			if _, err := json.Marshal(tr); err != nil {
				t.Fatalf("%+v: %v", tr, err)
			}
		}
	})
}

func FuzzDecodePreferredNode(f *testing.F) {
	f.Add(unrelocate(encodePreferredNode(PreferredNode{Node: 1, Set: true})), uint16(3), true)
	f.Add(unrelocate(encodePreferredNode(PreferredNode{})), uint16(0), false)
	f.Add([]byte{1, 0}, uint16(0xFFFF), false)
	f.Fuzz(func(t *testing.T, b []byte, node uint16, set bool) {
		x := PreferredNode{Node: node, Set: set}
		if got, err := decodePreferredNode(encodePreferredNode(x)); err != nil || got != x {
			t.Fatalf("decode(encode(%+v)) = %+v, %v", x, got, err)
		}
		n, err := decodePreferredNode(b)
		if err != nil {
			return
		}
		if again, err := decodePreferredNode(encodePreferredNode(n)); err != nil || again != n {
			t.Fatalf("decoded %+v; re-encoded, it decodes to %+v, %v", n, again, err)
		}
	})
}

// encodeLockStatus lays out QUERY_SERVICE_LOCK_STATUSW as the SCM returns
// it (winsvc writes none, so the encoder lives here, from the layout
// TestLockStatusLayout checks).
func encodeLockStatus(st LockStatus) []byte {
	var w layout
	at := w.reserve(lsSize, ptrSize)
	w.putU32(at+lsLockedOff, boolU32(st.Locked))
	w.putPtr(at+lsOwnerOff, w.str(st.Owner))
	w.putU32(at+lsDurationOff, uint32(st.Duration/time.Second))
	return w.finish()
}

func FuzzDecodeLockStatus(f *testing.F) {
	f.Add(unrelocate(encodeLockStatus(LockStatus{Locked: true, Owner: `.\NT Service Control Manager`, Duration: 42 * time.Second})), true, "owner", uint32(7))
	f.Add(unrelocate(encodeLockStatus(LockStatus{})), false, "", uint32(0))
	f.Add(make([]byte, 4), true, "ünï", uint32(0xFFFFFFFF))
	f.Fuzz(func(t *testing.T, b []byte, locked bool, owner string, secs uint32) {
		if encodable(owner) {
			x := LockStatus{Locked: locked, Owner: owner, Duration: time.Duration(secs) * time.Second}
			if got, err := decodeLockStatus(encodeLockStatus(x)); err != nil || got != x {
				t.Fatalf("decode(encode(%+v)) = %+v, %v", x, got, err)
			}
		}
		st, err := decodeLockStatus(relocate(b))
		if err != nil {
			return
		}
		if again, err := decodeLockStatus(encodeLockStatus(st)); err != nil || again != st {
			t.Fatalf("decoded %+v; re-encoded, it decodes to %+v, %v", st, again, err)
		}
	})
}

// FuzzMultiSz: the multi-string reader (REQUIRED_PRIVILEGES_INFO and every
// other double-NUL-terminated list) never panics, wherever the list starts;
// what it reads re-encodes to the same list; and a list built from the
// input (NUL-separated, empty strings left out, as they would end it)
// survives encodeMultiSz.
func FuzzMultiSz(f *testing.F) {
	f.Add(unrelocate(encodeMultiSz([]string{"SeChangeNotifyPrivilege", "SeImpersonatePrivilege"})), uint16(8), "a\x00b")
	f.Add(unrelocate(encodeMultiSz([]string{})), uint16(0), "")
	f.Add([]byte{'a', 0, 0, 0xd8, 0, 0, 0, 0}, uint16(2), "ünï\x00☃")
	f.Fuzz(func(t *testing.T, b []byte, off uint16, list string) {
		r := newReader(relocate(b))
		for _, read := range []func() ([]string, error){
			func() ([]string, error) { return r.multiSzPtr(0) },
			func() ([]string, error) { return r.multiSzAt(int(off)) },
		} {
			l, err := read()
			if err != nil {
				continue
			}
			if again, err := newReader(encodeMultiSz(l)).multiSzPtr(0); err != nil || !slices.Equal(again, l) {
				t.Fatalf("read %q; re-encoded, it reads %q, %v", l, again, err)
			}
		}
		if !utf8.ValidString(list) {
			return
		}
		x := slices.DeleteFunc(strings.Split(list, "\x00"), func(s string) bool { return s == "" })
		if got, err := newReader(encodeMultiSz(x)).multiSzPtr(0); err != nil || !slices.Equal(got, x) {
			t.Fatalf("decode(encode(%q)) = %q, %v", x, got, err)
		}
	})
}

// TestFuzzRelocation: the fuzz seeds decode to what was encoded, so the
// fuzzers start from inputs that reach past the pointer checks.
func TestFuzzRelocation(t *testing.T) {
	if ptrSize != 8 {
		t.Skipf("tagged pointers are 8-byte words; pointers are %d bytes here", ptrSize)
	}
	fa := sampleFailureActions()
	if got, err := decodeFailureActions(relocate(unrelocate(encodeFailureActions(nil, fa)))); err != nil || !reflect.DeepEqual(got, fa) {
		t.Errorf("failure actions: %+v, %v", got, err)
	}
	ts := sampleTriggers()
	if got, err := decodeTriggers(relocate(unrelocate(encodeTriggers(ts)))); err != nil || !trigger.Equal(got, ts) {
		t.Errorf("triggers: %+v, %v", got, err)
	}
	st := LockStatus{Locked: true, Owner: "me", Duration: time.Second}
	if got, err := decodeLockStatus(relocate(unrelocate(encodeLockStatus(st)))); err != nil || got != st {
		t.Errorf("lock status: %+v, %v", got, err)
	}
	if got, err := newReader(relocate(unrelocate(encodeMultiSz([]string{"a", "b"})))).multiSzPtr(0); err != nil || !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("multi-string: %q, %v", got, err)
	}
	if b := unrelocate(encodeMultiSz([]string{"a"})); le.Uint64(b)>>32 != relTag {
		t.Errorf("unrelocate left the pointer untagged: % x", b)
	}
}

// FuzzDefinitionJSON: any JSON decodes into a Definition (or fails) without
// a panic, validates and applies to a configuration without one, and a
// valid Definition encodes to JSON that decodes and encodes to the same.
func FuzzDefinitionJSON(f *testing.F) {
	full, err := json.Marshal(fullConfig().Definition())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	f.Add([]byte(`{"name":"S","binaryPath":"C:\\s.exe","startType":"AUTO_START","delayedAutoStart":true,"dependencies":["+G","Tcpip"]}`))
	f.Add([]byte(`{"name":"S","commandLine":"C:\\Program Files\\s.exe -x","failureActions":{"resetPeriod":"INFINITE","actions":[{"type":"RESTART","delay":5000}]}}`))
	f.Add([]byte(`{"name":"S","triggers":[{"type":"DOMAIN_JOIN","action":"START","subtype":"{1ce20aba-9851-4421-9430-1ddeb766e809}"}],"preferredNode":3}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Definition
		if json.Unmarshal(b, &d) != nil {
			return
		}
		valid := d.Validate() == nil
		c := defaultConfig("S")
		d.applyTo(c)
		_ = c.validate(nil)
		_ = c.UnquotedPath()
		if !valid {
			return
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("valid %+v does not encode: %v", d, err)
		}
		var back Definition
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%s does not decode: %v", out, err)
		}
		if again, err := json.Marshal(back); err != nil || !bytes.Equal(again, out) {
			t.Fatalf("%s decodes and encodes to %s, %v", out, again, err)
		}
	})
}

// FuzzStatusJSON checks that Status.MarshalJSON and Accept.MarshalJSON,
// which append without reflection, write byte for byte what encoding/json
// writes for statusJSON and for the list of names.
func FuzzStatusJSON(f *testing.F) {
	f.Add("Spooler", "Print Spooler", uint32(0x110), uint32(4), uint32(0x3), uint32(0), int64(2500), uint32(1))
	f.Add("a<b>&\"c\\", "é\u2028\x01\xff", uint32(0x10), uint32(1), uint32(0x80000), uint32(1066), int64(-1), uint32(0))
	for _, c := range []string{"<", ">", "&", "\x7f", "\t", "\u2028", "\xff", "é"} {
		f.Add("a"+c, "b", uint32(0x10), uint32(1), uint32(1), uint32(0), int64(0), uint32(0))
	}
	f.Fuzz(func(t *testing.T, name, display string, typ, state, accept, code uint32, waitMS int64, pid uint32) {
		s := Status{Name: name, DisplayName: display, ServiceType: ServiceType(typ), State: State(state),
			ControlsAccepted: Accept(accept), Win32ExitCode: code, ServiceSpecificExitCode: code >> 1,
			CheckPoint: code >> 2, WaitHint: time.Duration(waitMS) * time.Millisecond, ProcessID: pid, ServiceFlags: pid >> 3}
		a, _ := s.ControlsAccepted.MarshalJSON()
		if want, _ := json.Marshal(s.ControlsAccepted.names()); !bytes.Equal(a, want) {
			t.Fatalf("Accept.MarshalJSON = %s\nencoding/json = %s", a, want)
		}
		got, _ := s.MarshalJSON()
		want, err := json.Marshal(statusJSON{s.Name, s.DisplayName, s.ServiceType, s.State, s.ControlsAccepted,
			s.Win32ExitCode, s.ServiceSpecificExitCode, s.CheckPoint, s.WaitHint.Milliseconds(), s.ProcessID, s.ServiceFlags})
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("Status.MarshalJSON = %s\nencoding/json = %s (%v)", got, want, err)
		}
	})
}
