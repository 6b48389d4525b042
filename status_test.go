package winsvc

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestAcceptNames(t *testing.T) {
	tests := []struct {
		a    Accept
		want []string
	}{
		{0, []string{}},
		{AcceptStop, []string{"STOP"}},
		{AcceptStop | AcceptPauseContinue, []string{"STOP", "PAUSE_CONTINUE"}},
		{AcceptPreshutdown | AcceptStop | AcceptShutdown, []string{"STOP", "SHUTDOWN", "PRESHUTDOWN"}},
		{AcceptParamChange | AcceptNetBindChange | AcceptHardwareProfileChange | AcceptPowerEvent | AcceptSessionChange,
			[]string{"PARAMCHANGE", "NETBINDCHANGE", "HARDWAREPROFILECHANGE", "POWEREVENT", "SESSIONCHANGE"}},
		{AcceptTimeChange | AcceptTriggerEvent | AcceptUserModeReboot, []string{"TIMECHANGE", "TRIGGEREVENT", "USERMODEREBOOT"}},
		{AcceptStop | 0x3000, []string{"STOP", "0x3000"}},
	}
	for _, tt := range tests {
		got := tt.a.names()
		if got == nil || !slices.Equal(got, tt.want) {
			t.Errorf("Accept(%#x).Names() = %#v; want %#v", uint32(tt.a), got, tt.want)
		}
	}
	if s := (AcceptStop | AcceptPauseContinue).String(); s != "STOP|PAUSE_CONTINUE" {
		t.Errorf("String() = %q", s)
	}
}

func TestAcceptFlagValues(t *testing.T) {
	want := map[Accept]uint32{
		AcceptStop: 0x1, AcceptPauseContinue: 0x2, AcceptShutdown: 0x4, AcceptParamChange: 0x8,
		AcceptNetBindChange: 0x10, AcceptHardwareProfileChange: 0x20, AcceptPowerEvent: 0x40,
		AcceptSessionChange: 0x80, AcceptPreshutdown: 0x100,
	}
	for a, v := range want {
		if uint32(a) != v {
			t.Errorf("%s = %#x; want %#x", a, uint32(a), v)
		}
	}
}

func TestAcceptJSON(t *testing.T) {
	for _, a := range []Accept{0, AcceptStop, AcceptStop | AcceptPauseContinue | AcceptPreshutdown, AcceptSessionChange | 0x8000} {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var back Accept
		if err := json.Unmarshal(b, &back); err != nil || back != a {
			t.Errorf("round trip of %#x via %s = %#x, %v", uint32(a), b, uint32(back), err)
		}
	}
	var a Accept
	if err := json.Unmarshal([]byte(`["stop","Pause_Continue"]`), &a); err != nil || a != AcceptStop|AcceptPauseContinue {
		t.Errorf("case-insensitive names = %#x, %v", uint32(a), err)
	}
	err := json.Unmarshal([]byte(`["STOP","FLY"]`), &a)
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "controlsAccepted" || !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown control name error = %v", err)
	}
	if err := json.Unmarshal([]byte(`"STOP"`), &a); err == nil {
		t.Error("a string instead of a list was accepted")
	}
	for _, bad := range []string{`["0x1zz"]`, `["12"]`, `["0x"]`, `["0x100000000"]`} {
		if err := json.Unmarshal([]byte(bad), &a); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s accepted (%v)", bad, err)
		}
	}
	if err := json.Unmarshal([]byte(`["0X8000"]`), &a); err != nil || a != 0x8000 {
		t.Errorf(`["0X8000"] = %#x, %v`, uint32(a), err)
	}
}

func TestStatusAccepts(t *testing.T) {
	st := Status{ControlsAccepted: AcceptStop | AcceptShutdown}
	if !st.Accepts(AcceptStop) || !st.Accepts(AcceptStop|AcceptShutdown) {
		t.Error("Accepts lacks an accepted control")
	}
	if st.Accepts(AcceptPauseContinue) || st.Accepts(AcceptStop|AcceptPauseContinue) {
		t.Error("Accepts reports a control that is not accepted")
	}
}

func TestStatusJSON(t *testing.T) {
	tests := []struct {
		name string
		st   Status
		want string
	}{
		{
			"running",
			Status{
				Name: "Spooler", DisplayName: "Print Spooler", ServiceType: Win32OwnProcess | InteractiveProcess,
				State: Running, ControlsAccepted: AcceptStop | AcceptPauseContinue,
				Win32ExitCode: 0, ServiceSpecificExitCode: 0, CheckPoint: 0, WaitHint: 0,
				ProcessID: 1234, ServiceFlags: ServiceRunsInSystemProcess,
			},
			`{"name":"Spooler","displayName":"Print Spooler","serviceType":"INTERACTIVE_OWN_PROCESS","state":"RUNNING",` +
				`"controlsAccepted":["STOP","PAUSE_CONTINUE"],"win32ExitCode":0,"serviceSpecificExitCode":0,` +
				`"checkPoint":0,"waitHint":0,"processId":1234,"serviceFlags":1}`,
		},
		{
			"start pending",
			Status{Name: "x", ServiceType: Win32ShareProcess, State: StartPending, CheckPoint: 7, WaitHint: 2500 * time.Millisecond, ProcessID: 9},
			`{"name":"x","displayName":"","serviceType":"WIN32_SHARE_PROCESS","state":"START_PENDING",` +
				`"controlsAccepted":[],"win32ExitCode":0,"serviceSpecificExitCode":0,` +
				`"checkPoint":7,"waitHint":2500,"processId":9,"serviceFlags":0}`,
		},
		{
			"stopped with a service-specific code",
			Status{Name: "y", ServiceType: KernelDriver, State: Stopped, Win32ExitCode: 1066, ServiceSpecificExitCode: 42},
			`{"name":"y","displayName":"","serviceType":"KERNEL_DRIVER","state":"STOPPED",` +
				`"controlsAccepted":[],"win32ExitCode":1066,"serviceSpecificExitCode":42,` +
				`"checkPoint":0,"waitHint":0,"processId":0,"serviceFlags":0}`,
		},
		{
			"zero",
			Status{},
			`{"name":"","displayName":"","serviceType":"","state":"",` +
				`"controlsAccepted":[],"win32ExitCode":0,"serviceSpecificExitCode":0,` +
				`"checkPoint":0,"waitHint":0,"processId":0,"serviceFlags":0}`,
		},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.st)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if string(b) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, b, tt.want)
		}
		var back Status
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: unmarshal: %v", tt.name, err)
		}
		if back != tt.st {
			t.Errorf("%s: round trip = %+v; want %+v", tt.name, back, tt.st)
		}
	}
}

func TestStatusJSONInList(t *testing.T) {
	// A []Status (query --json) encodes each element with MarshalJSON.
	b, err := json.Marshal([]Status{{Name: "a", State: Stopped}})
	if err != nil {
		t.Fatal(err)
	}
	var back []map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back[0]["state"] != "STOPPED" || back[0]["name"] != "a" {
		t.Errorf("list element = %v", back[0])
	}
}

func TestControlConstants(t *testing.T) {
	if ControlStop != 1 || ControlPause != 2 || ControlContinue != 3 || ControlInterrogate != 4 || ControlParamChange != 6 {
		t.Error("control codes differ from the Win32 values")
	}
	if CustomControlMin != 128 || CustomControlMax != 255 {
		t.Errorf("custom control range = %d..%d", CustomControlMin, CustomControlMax)
	}
}
