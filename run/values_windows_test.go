//go:build windows

package run

import (
	"testing"

	"golang.org/x/sys/windows"
)

// TestValuesAreWin32s checks the values the portable status logic declares
// against golang.org/x/sys/windows.
func TestValuesAreWin32s(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want uint32
	}{
		{"SERVICE_STOPPED", uint32(stopped), windows.SERVICE_STOPPED},
		{"SERVICE_START_PENDING", uint32(startPending), windows.SERVICE_START_PENDING},
		{"SERVICE_STOP_PENDING", uint32(stopPending), windows.SERVICE_STOP_PENDING},
		{"SERVICE_RUNNING", uint32(running), windows.SERVICE_RUNNING},
		{"SERVICE_CONTINUE_PENDING", uint32(continuePending), windows.SERVICE_CONTINUE_PENDING},
		{"SERVICE_PAUSE_PENDING", uint32(pausePending), windows.SERVICE_PAUSE_PENDING},
		{"SERVICE_PAUSED", uint32(paused), windows.SERVICE_PAUSED},
		{"SERVICE_ACCEPT_STOP", uint32(acceptStop), windows.SERVICE_ACCEPT_STOP},
		{"SERVICE_ACCEPT_PAUSE_CONTINUE", uint32(acceptPauseContinue), windows.SERVICE_ACCEPT_PAUSE_CONTINUE},
		{"SERVICE_ACCEPT_SHUTDOWN", uint32(acceptShutdown), windows.SERVICE_ACCEPT_SHUTDOWN},
		{"SERVICE_ACCEPT_PARAMCHANGE", uint32(acceptParamChange), windows.SERVICE_ACCEPT_PARAMCHANGE},
		{"SERVICE_ACCEPT_PRESHUTDOWN", uint32(acceptPreshutdown), windows.SERVICE_ACCEPT_PRESHUTDOWN},
		{"SERVICE_CONTROL_STOP", controlStop, windows.SERVICE_CONTROL_STOP},
		{"SERVICE_CONTROL_PAUSE", controlPause, windows.SERVICE_CONTROL_PAUSE},
		{"SERVICE_CONTROL_CONTINUE", controlContinue, windows.SERVICE_CONTROL_CONTINUE},
		{"SERVICE_CONTROL_INTERROGATE", controlInterrogate, windows.SERVICE_CONTROL_INTERROGATE},
		{"SERVICE_CONTROL_SHUTDOWN", controlShutdown, windows.SERVICE_CONTROL_SHUTDOWN},
		{"SERVICE_CONTROL_PARAMCHANGE", controlParamChange, windows.SERVICE_CONTROL_PARAMCHANGE},
		{"SERVICE_CONTROL_PRESHUTDOWN", controlPreshutdown, windows.SERVICE_CONTROL_PRESHUTDOWN},
	} {
		if c.got != c.want {
			t.Errorf("%s = %#x, want %#x", c.name, c.got, c.want)
		}
	}
}
