package winsvc

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Accept is the set of controls a service accepts (SERVICE_ACCEPT_* flags).
type Accept uint32

// Accepted-control flags (the Win32 values).
const (
	AcceptStop                  Accept = 0x1
	AcceptPauseContinue         Accept = 0x2
	AcceptShutdown              Accept = 0x4
	AcceptParamChange           Accept = 0x8
	AcceptNetBindChange         Accept = 0x10
	AcceptHardwareProfileChange Accept = 0x20
	AcceptPowerEvent            Accept = 0x40
	AcceptSessionChange         Accept = 0x80
	AcceptPreshutdown           Accept = 0x100
	AcceptTimeChange            Accept = 0x200
	AcceptTriggerEvent          Accept = 0x400
	AcceptUserModeReboot        Accept = 0x800
)

var acceptNames = []struct {
	flag Accept
	name string
}{
	{AcceptStop, "STOP"}, {AcceptPauseContinue, "PAUSE_CONTINUE"}, {AcceptShutdown, "SHUTDOWN"},
	{AcceptParamChange, "PARAMCHANGE"}, {AcceptNetBindChange, "NETBINDCHANGE"},
	{AcceptHardwareProfileChange, "HARDWAREPROFILECHANGE"}, {AcceptPowerEvent, "POWEREVENT"},
	{AcceptSessionChange, "SESSIONCHANGE"}, {AcceptPreshutdown, "PRESHUTDOWN"},
	{AcceptTimeChange, "TIMECHANGE"}, {AcceptTriggerEvent, "TRIGGEREVENT"},
	{AcceptUserModeReboot, "USERMODEREBOOT"},
}

// names lists the accepted controls by name ("STOP", "PAUSE_CONTINUE", ...);
// unknown bits appear as hex numbers.
func (a Accept) names() []string {
	names := []string{}
	rest := a
	for _, n := range acceptNames {
		if a&n.flag != 0 {
			names = append(names, n.name)
			rest &^= n.flag
		}
	}
	if rest != 0 {
		names = append(names, fmt.Sprintf("0x%X", uint32(rest)))
	}
	return names
}

func (a Accept) String() string { return strings.Join(a.names(), "|") }

// MarshalJSON writes the accepted controls as a list of names.
func (a Accept) MarshalJSON() ([]byte, error) { return a.appendJSON(make([]byte, 0, 64)), nil }

func (a Accept) appendJSON(b []byte) []byte {
	b = append(b, '[')
	for i, n := range a.names() {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, n)
	}
	return append(b, ']')
}

// UnmarshalJSON reads a list of names as written by MarshalJSON.
func (a *Accept) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return err
	}
	var v Accept
next:
	for _, s := range names {
		for _, n := range acceptNames {
			if strings.EqualFold(n.name, s) {
				v |= n.flag
				continue next
			}
		}
		bits, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(s), "0x"), 16, 32)
		if err != nil || !strings.HasPrefix(strings.ToLower(s), "0x") {
			return invalid("controlsAccepted", s, "unknown control name; use a name or a hex number such as 0x100")
		}
		v |= Accept(bits)
	}
	*a = v
	return nil
}

// Control codes. Service.Control sends ControlParamChange, the
// ControlNetBind* codes and the custom controls, 128 to 255; the others have
// their own methods (Stop, Pause, Continue, Interrogate).
const (
	ControlStop           uint32 = 1
	ControlPause          uint32 = 2
	ControlContinue       uint32 = 3
	ControlInterrogate    uint32 = 4
	ControlParamChange    uint32 = 6
	ControlNetBindAdd     uint32 = 7
	ControlNetBindRemove  uint32 = 8
	ControlNetBindEnable  uint32 = 9
	ControlNetBindDisable uint32 = 10
	// CustomControlMin and CustomControlMax bound the user-defined controls.
	CustomControlMin uint32 = 128
	CustomControlMax uint32 = 255
)

// ServiceRunsInSystemProcess is the Status.ServiceFlags bit set when the
// service runs in a system process that must always be running.
const ServiceRunsInSystemProcess uint32 = 0x1

// Status is a service's current status (SERVICE_STATUS_PROCESS), as read by
// Manager.Status, Service.Status or Manager.QueryAll.
type Status struct {
	Name                    string        // key name
	DisplayName             string        // set by QueryAll; empty from Status
	ServiceType             ServiceType   // as reported with the status
	State                   State         // current state
	ControlsAccepted        Accept        // controls the service accepts now
	Win32ExitCode           uint32        // ERROR_SERVICE_SPECIFIC_ERROR (1066) means see ServiceSpecificExitCode
	ServiceSpecificExitCode uint32        // meaningful when Win32ExitCode is 1066
	CheckPoint              uint32        // progress counter during pending states
	WaitHint                time.Duration // expected time to the next checkpoint
	ProcessID               uint32        // 0 when not running
	ServiceFlags            uint32        // ServiceRunsInSystemProcess
}

// Accepts reports whether the service accepts all controls in a now.
func (s Status) Accepts(a Accept) bool { return s.ControlsAccepted&a == a }

// statusJSON is the stable JSON form of a Status: camelCase names, Win32
// enum names, the wait hint in milliseconds.
type statusJSON struct {
	Name                    string      `json:"name"`
	DisplayName             string      `json:"displayName"`
	ServiceType             ServiceType `json:"serviceType"`
	State                   State       `json:"state"`
	ControlsAccepted        Accept      `json:"controlsAccepted"`
	Win32ExitCode           uint32      `json:"win32ExitCode"`
	ServiceSpecificExitCode uint32      `json:"serviceSpecificExitCode"`
	CheckPoint              uint32      `json:"checkPoint"`
	WaitHint                int64       `json:"waitHint"` // milliseconds
	ProcessID               uint32      `json:"processId"`
	ServiceFlags            uint32      `json:"serviceFlags"`
}

// MarshalJSON writes the status with camelCase field names, Win32 enum
// names and the wait hint in milliseconds: the fields of statusJSON, in its
// order, appended without reflection (query state= all prints thousands).
func (s Status) MarshalJSON() ([]byte, error) {
	b := append(make([]byte, 0, 320), `{"name":`...)
	b = appendJSONString(b, s.Name)
	b = appendJSONString(append(b, `,"displayName":`...), s.DisplayName)
	b = appendJSONString(append(b, `,"serviceType":`...), s.ServiceType.String())
	b = appendJSONString(append(b, `,"state":`...), s.State.String())
	b = s.ControlsAccepted.appendJSON(append(b, `,"controlsAccepted":`...))
	b = strconv.AppendUint(append(b, `,"win32ExitCode":`...), uint64(s.Win32ExitCode), 10)
	b = strconv.AppendUint(append(b, `,"serviceSpecificExitCode":`...), uint64(s.ServiceSpecificExitCode), 10)
	b = strconv.AppendUint(append(b, `,"checkPoint":`...), uint64(s.CheckPoint), 10)
	b = strconv.AppendInt(append(b, `,"waitHint":`...), s.WaitHint.Milliseconds(), 10)
	b = strconv.AppendUint(append(b, `,"processId":`...), uint64(s.ProcessID), 10)
	b = strconv.AppendUint(append(b, `,"serviceFlags":`...), uint64(s.ServiceFlags), 10)
	return append(b, '}'), nil
}

// appendJSONString appends s as json.Marshal writes it. Names are nearly
// always printable ASCII with nothing to escape, copied as they are;
// anything else is left to json.Marshal.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	return append(append(append(b, '"'), s...), '"')
}

// UnmarshalJSON reads the form written by MarshalJSON.
func (s *Status) UnmarshalJSON(b []byte) error {
	var j statusJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = Status{j.Name, j.DisplayName, j.ServiceType, j.State, j.ControlsAccepted, j.Win32ExitCode,
		j.ServiceSpecificExitCode, j.CheckPoint, time.Duration(j.WaitHint) * time.Millisecond,
		j.ProcessID, j.ServiceFlags}
	return nil
}
