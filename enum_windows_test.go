package winsvc_test

import (
	"testing"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc"
)

// TestEnumsAreXSysValues: every enum's Go value is the Win32 value, as
// golang.org/x/sys/windows defines it, so that a number from any Win32
// reader converts directly (StartType(windows.SERVICE_AUTO_START) is
// AutoStart). x/sys defines no SERVICE_LAUNCH_PROTECTED_* nor
// SERVICE_TRIGGER_* constants: those are checked natively against winsvc.h's
// numbers (TestEnumValueIsWin32Value, trigger's TestWin32Values).
func TestEnumsAreXSysValues(t *testing.T) {
	for _, tt := range []struct {
		name      string
		converted any // the x/sys constant converted to the enum type
		want      any // winsvc's constant
	}{
		{"SERVICE_BOOT_START", winsvc.StartType(windows.SERVICE_BOOT_START), winsvc.BootStart},
		{"SERVICE_SYSTEM_START", winsvc.StartType(windows.SERVICE_SYSTEM_START), winsvc.SystemStart},
		{"SERVICE_AUTO_START", winsvc.StartType(windows.SERVICE_AUTO_START), winsvc.AutoStart},
		{"SERVICE_DEMAND_START", winsvc.StartType(windows.SERVICE_DEMAND_START), winsvc.DemandStart},
		{"SERVICE_DISABLED", winsvc.StartType(windows.SERVICE_DISABLED), winsvc.Disabled},
		{"SERVICE_ERROR_IGNORE", winsvc.ErrorControl(windows.SERVICE_ERROR_IGNORE), winsvc.ErrorIgnore},
		{"SERVICE_ERROR_NORMAL", winsvc.ErrorControl(windows.SERVICE_ERROR_NORMAL), winsvc.ErrorNormal},
		{"SERVICE_ERROR_SEVERE", winsvc.ErrorControl(windows.SERVICE_ERROR_SEVERE), winsvc.ErrorSevere},
		{"SERVICE_ERROR_CRITICAL", winsvc.ErrorControl(windows.SERVICE_ERROR_CRITICAL), winsvc.ErrorCritical},
		{"SERVICE_STOPPED", winsvc.State(windows.SERVICE_STOPPED), winsvc.Stopped},
		{"SERVICE_START_PENDING", winsvc.State(windows.SERVICE_START_PENDING), winsvc.StartPending},
		{"SERVICE_STOP_PENDING", winsvc.State(windows.SERVICE_STOP_PENDING), winsvc.StopPending},
		{"SERVICE_RUNNING", winsvc.State(windows.SERVICE_RUNNING), winsvc.Running},
		{"SERVICE_CONTINUE_PENDING", winsvc.State(windows.SERVICE_CONTINUE_PENDING), winsvc.ContinuePending},
		{"SERVICE_PAUSE_PENDING", winsvc.State(windows.SERVICE_PAUSE_PENDING), winsvc.PausePending},
		{"SERVICE_PAUSED", winsvc.State(windows.SERVICE_PAUSED), winsvc.Paused},
		{"SERVICE_SID_TYPE_NONE", winsvc.SIDType(windows.SERVICE_SID_TYPE_NONE), winsvc.SIDTypeNone},
		{"SERVICE_SID_TYPE_UNRESTRICTED", winsvc.SIDType(windows.SERVICE_SID_TYPE_UNRESTRICTED), winsvc.SIDTypeUnrestricted},
		{"SERVICE_SID_TYPE_RESTRICTED", winsvc.SIDType(windows.SERVICE_SID_TYPE_RESTRICTED), winsvc.SIDTypeRestricted},
		{"SC_ACTION_NONE", winsvc.ActionType(windows.SC_ACTION_NONE), winsvc.ActionNone},
		{"SC_ACTION_RESTART", winsvc.ActionType(windows.SC_ACTION_RESTART), winsvc.ActionRestart},
		{"SC_ACTION_REBOOT", winsvc.ActionType(windows.SC_ACTION_REBOOT), winsvc.ActionReboot},
		{"SC_ACTION_RUN_COMMAND", winsvc.ActionType(windows.SC_ACTION_RUN_COMMAND), winsvc.ActionRunCommand},
		{"SERVICE_KERNEL_DRIVER", winsvc.ServiceType(windows.SERVICE_KERNEL_DRIVER), winsvc.KernelDriver},
		{"SERVICE_FILE_SYSTEM_DRIVER", winsvc.ServiceType(windows.SERVICE_FILE_SYSTEM_DRIVER), winsvc.FileSystemDriver},
		{"SERVICE_ADAPTER", winsvc.ServiceType(windows.SERVICE_ADAPTER), winsvc.Adapter},
		{"SERVICE_RECOGNIZER_DRIVER", winsvc.ServiceType(windows.SERVICE_RECOGNIZER_DRIVER), winsvc.RecognizerDriver},
		{"SERVICE_WIN32_OWN_PROCESS", winsvc.ServiceType(windows.SERVICE_WIN32_OWN_PROCESS), winsvc.Win32OwnProcess},
		{"SERVICE_WIN32_SHARE_PROCESS", winsvc.ServiceType(windows.SERVICE_WIN32_SHARE_PROCESS), winsvc.Win32ShareProcess},
		{"SERVICE_INTERACTIVE_PROCESS", winsvc.ServiceType(windows.SERVICE_INTERACTIVE_PROCESS), winsvc.InteractiveProcess},
	} {
		if tt.converted != tt.want {
			t.Errorf("%s converts to %v (%d); want %v", tt.name, tt.converted, tt.converted, tt.want)
		}
	}
}
