//go:build windows

package winsvc

import (
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// These tests compare the byte layouts of codec.go and lock.go with the
// structures golang.org/x/sys/windows (v0.49.0, service.go) defines, as the
// Go compiler lays them out for the GOARCH under test (windows/amd64 under
// Wine here). x/sys defines SERVICE_DESCRIPTION, SERVICE_FAILURE_ACTIONS,
// SC_ACTION, SERVICE_DELAYED_AUTO_START_INFO, SERVICE_FAILURE_ACTIONS_FLAG
// and QUERY_SERVICE_LOCK_STATUS; it does not define the trigger, required
// privileges, SID info, preferred node or launch protection structures
// (triggers_windows_test.go checks the trigger layout against transcriptions
// of winsvc.h instead; codec_test.go checks the others against Microsoft's
// documentation only).

func TestLayoutOffsetsMatchXSys(t *testing.T) {
	var fa windows.SERVICE_FAILURE_ACTIONS
	var act windows.SC_ACTION
	var ls windows.QUERY_SERVICE_LOCK_STATUS
	checks := []struct {
		name      string
		xsys, our uintptr
	}{
		{"pointer size (SERVICE_FAILURE_ACTIONS.RebootMsg)", unsafe.Sizeof(fa.RebootMsg), uintptr(ptrSize)},
		{"SERVICE_FAILURE_ACTIONS.ResetPeriod", unsafe.Offsetof(fa.ResetPeriod), uintptr(faResetOff)},
		{"SERVICE_FAILURE_ACTIONS.RebootMsg", unsafe.Offsetof(fa.RebootMsg), uintptr(faRebootOff)},
		{"SERVICE_FAILURE_ACTIONS.Command", unsafe.Offsetof(fa.Command), uintptr(faCommandOff)},
		{"SERVICE_FAILURE_ACTIONS.ActionsCount", unsafe.Offsetof(fa.ActionsCount), uintptr(faCountOff)},
		{"SERVICE_FAILURE_ACTIONS.Actions", unsafe.Offsetof(fa.Actions), uintptr(faActionsOff)},
		{"sizeof SERVICE_FAILURE_ACTIONS", unsafe.Sizeof(fa), uintptr(faSize)},
		{"sizeof SC_ACTION", unsafe.Sizeof(act), uintptr(scActionSize)},
		{"SC_ACTION.Delay (the codec writes it at +4)", unsafe.Offsetof(act.Delay), 4},
		{"sizeof SERVICE_DESCRIPTION (encodeString: one pointer)", unsafe.Sizeof(windows.SERVICE_DESCRIPTION{}), uintptr(ptrSize)},
		{"sizeof SERVICE_DELAYED_AUTO_START_INFO (encodeU32)", unsafe.Sizeof(windows.SERVICE_DELAYED_AUTO_START_INFO{}), 4},
		{"sizeof SERVICE_FAILURE_ACTIONS_FLAG (encodeU32)", unsafe.Sizeof(windows.SERVICE_FAILURE_ACTIONS_FLAG{}), 4},
		{"QUERY_SERVICE_LOCK_STATUS.IsLocked", unsafe.Offsetof(ls.IsLocked), uintptr(lsLockedOff)},
		{"QUERY_SERVICE_LOCK_STATUS.LockOwner", unsafe.Offsetof(ls.LockOwner), uintptr(lsOwnerOff)},
		{"QUERY_SERVICE_LOCK_STATUS.LockDuration", unsafe.Offsetof(ls.LockDuration), uintptr(lsDurationOff)},
		{"sizeof QUERY_SERVICE_LOCK_STATUS", unsafe.Sizeof(ls), uintptr(lsSize)},
	}
	for _, c := range checks {
		if c.xsys != c.our {
			t.Errorf("%s: x/sys %d, winsvc %d", c.name, c.xsys, c.our)
		}
	}
}

// TestEncodingsReadThroughXSys encodes with winsvc's codec and reads the
// buffers through the x/sys structures, as the SCM would read them.
func TestEncodingsReadThroughXSys(t *testing.T) {
	from := FailureActions{RebootMessage: "old", Command: "old command"}
	to := FailureActions{
		ResetPeriod: ResetAfter(time.Hour), RebootMessage: "Rebooting: Ünïcødé", Command: "old command",
		Actions: []Action{RestartAction(5 * time.Second), RunCommandAction(1500 * time.Millisecond), RebootAction(time.Minute), NoAction(0)},
	}
	b := encodeFailureActions(&from, to)
	fa := (*windows.SERVICE_FAILURE_ACTIONS)(unsafe.Pointer(&b[0]))
	if fa.ResetPeriod != 3600 || fa.ActionsCount != 4 {
		t.Errorf("ResetPeriod %d, ActionsCount %d; want 3600, 4", fa.ResetPeriod, fa.ActionsCount)
	}
	if got := windows.UTF16PtrToString(fa.RebootMsg); got != to.RebootMessage {
		t.Errorf("RebootMsg %q, want %q", got, to.RebootMessage)
	}
	if fa.Command != nil {
		t.Errorf("an unchanged command is not NULL: %q", windows.UTF16PtrToString(fa.Command))
	}
	want := []windows.SC_ACTION{
		{Type: windows.SC_ACTION_RESTART, Delay: 5000}, {Type: windows.SC_ACTION_RUN_COMMAND, Delay: 1500},
		{Type: windows.SC_ACTION_REBOOT, Delay: 60000}, {Type: windows.SC_ACTION_NONE, Delay: 0},
	}
	if got := unsafe.Slice(fa.Actions, fa.ActionsCount); !equalActions(got, want) {
		t.Errorf("actions %+v, want %+v", got, want)
	}
	// Clearing: a non-NULL array with a count of 0.
	cleared := (*windows.SERVICE_FAILURE_ACTIONS)(unsafe.Pointer(&encodeFailureActions(&to, *NoFailureActions())[0]))
	if cleared.ActionsCount != 0 || cleared.Actions == nil {
		t.Errorf("cleared actions: count %d, array %p; want 0 and non-NULL", cleared.ActionsCount, cleared.Actions)
	}

	if d := (*windows.SERVICE_DELAYED_AUTO_START_INFO)(unsafe.Pointer(&encodeU32(boolU32(true))[0])); d.IsDelayedAutoStartUp != 1 {
		t.Errorf("SERVICE_DELAYED_AUTO_START_INFO.IsDelayedAutoStartUp = %d", d.IsDelayedAutoStartUp)
	}
	if f := (*windows.SERVICE_FAILURE_ACTIONS_FLAG)(unsafe.Pointer(&encodeU32(boolU32(true))[0])); f.FailureActionsOnNonCrashFailures != 1 {
		t.Errorf("SERVICE_FAILURE_ACTIONS_FLAG.FailureActionsOnNonCrashFailures = %d", f.FailureActionsOnNonCrashFailures)
	}
	desc := "a description"
	if d := (*windows.SERVICE_DESCRIPTION)(unsafe.Pointer(&encodeString(&desc)[0])); windows.UTF16PtrToString(d.Description) != desc {
		t.Errorf("SERVICE_DESCRIPTION.Description = %q", windows.UTF16PtrToString(d.Description))
	}
	if d := (*windows.SERVICE_DESCRIPTION)(unsafe.Pointer(&encodeString(nil)[0])); d.Description != nil {
		t.Error("an unchanged description is not NULL")
	}
}

func equalActions(a, b []windows.SC_ACTION) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// xsysBuffer lays out a structure of type T at the start of a buffer, with
// room after it for the data its pointers refer to, as the SCM returns
// structures from QueryServiceConfig2 and QueryServiceLockStatus.
type xsysBuffer struct {
	b    []byte
	next uintptr
}

func newXSysBuffer(structSize uintptr) *xsysBuffer {
	return &xsysBuffer{b: make([]byte, 512), next: (structSize + 7) &^ 7}
}

func (x *xsysBuffer) base() unsafe.Pointer { return unsafe.Pointer(&x.b[0]) }

// str places a NUL-terminated UTF-16 string after the structure.
func (x *xsysBuffer) str(s string) *uint16 {
	u, _ := windows.UTF16FromString(s)
	p := (*uint16)(unsafe.Add(x.base(), x.next))
	copy(unsafe.Slice(p, len(u)), u)
	x.next += uintptr(2 * len(u))
	x.next = (x.next + 7) &^ 7
	return p
}

// TestDecodersReadXSysLayouts fills buffers through the x/sys structures and
// decodes them with winsvc's decoders.
func TestDecodersReadXSysLayouts(t *testing.T) {
	x := newXSysBuffer(unsafe.Sizeof(windows.SERVICE_FAILURE_ACTIONS{}))
	fa := (*windows.SERVICE_FAILURE_ACTIONS)(x.base())
	fa.ResetPeriod = windows.INFINITE
	fa.RebootMsg = x.str("bye")
	fa.Command = x.str(`C:\fix.exe /now`)
	acts := (*windows.SC_ACTION)(unsafe.Add(x.base(), x.next))
	copy(unsafe.Slice(acts, 2), []windows.SC_ACTION{{Type: windows.SC_ACTION_RESTART, Delay: 250}, {Type: windows.SC_ACTION_REBOOT, Delay: 7}})
	fa.Actions, fa.ActionsCount = acts, 2
	got, err := decodeFailureActions(x.b)
	want := FailureActions{ResetPeriod: ResetInfinite, RebootMessage: "bye", Command: `C:\fix.exe /now`,
		Actions: []Action{RestartAction(250 * time.Millisecond), RebootAction(7 * time.Millisecond)}}
	if err != nil || !got.Equal(want) {
		t.Errorf("decodeFailureActions = %+v, %v; want %+v", got, err, want)
	}

	x = newXSysBuffer(unsafe.Sizeof(windows.QUERY_SERVICE_LOCK_STATUS{}))
	ls := (*windows.QUERY_SERVICE_LOCK_STATUS)(x.base())
	ls.IsLocked, ls.LockOwner, ls.LockDuration = 1, x.str(`.\NT Service Control Manager`), 42
	st, err := decodeLockStatus(x.b)
	if wantSt := (LockStatus{Locked: true, Owner: `.\NT Service Control Manager`, Duration: 42 * time.Second}); err != nil || st != wantSt {
		t.Errorf("decodeLockStatus = %+v, %v; want %+v", st, err, wantSt)
	}

	x = newXSysBuffer(unsafe.Sizeof(windows.SERVICE_DESCRIPTION{}))
	(*windows.SERVICE_DESCRIPTION)(x.base()).Description = x.str("described")
	x2 := newXSysBuffer(unsafe.Sizeof(windows.SERVICE_DELAYED_AUTO_START_INFO{}))
	(*windows.SERVICE_DELAYED_AUTO_START_INFO)(x2.base()).IsDelayedAutoStartUp = 1
	x3 := newXSysBuffer(unsafe.Sizeof(windows.SERVICE_FAILURE_ACTIONS_FLAG{}))
	(*windows.SERVICE_FAILURE_ACTIONS_FLAG)(x3.base()).FailureActionsOnNonCrashFailures = 1
	var c Config
	for _, s := range config2Settings {
		var err error
		switch s.field {
		case FieldDescription:
			err = s.decodeInto(x.b, &c)
		case FieldDelayedAutoStart:
			err = s.decodeInto(x2.b, &c)
		case FieldFailureFlag:
			err = s.decodeInto(x3.b, &c)
		}
		if err != nil {
			t.Errorf("%s: %v", s.field, err)
		}
	}
	if c.Description != "described" || !c.DelayedAutoStart || !c.FailureActionsOnNonCrashFailures {
		t.Errorf("decoded description %q, delayed %v, flag %v", c.Description, c.DelayedAutoStart, c.FailureActionsOnNonCrashFailures)
	}
}
