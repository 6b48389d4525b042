package winsvc

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateLaunchProtection(t *testing.T) {
	for _, ok := range []LaunchProtection{0, LaunchProtectedNone, LaunchProtectedAntimalwareLight} {
		if err := validateLaunchProtection(ok); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
	for _, bad := range []LaunchProtection{LaunchProtectedWindows, LaunchProtectedWindowsLight, LaunchProtectedAntimalwareLight + 1} {
		err := validateLaunchProtection(bad)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field != string(FieldLaunchProtected) {
			t.Errorf("%v: %v, want a launchProtected validation error", bad, err)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "SERVICE_LAUNCH_PROTECTED_NONE") || !strings.Contains(msg, "SERVICE_LAUNCH_PROTECTED_ANTIMALWARE_LIGHT") ||
			strings.Contains(msg, "allowed: SERVICE_LAUNCH_PROTECTED_NONE, SERVICE_LAUNCH_PROTECTED_WINDOWS") {
			t.Errorf("%v: %q does not name exactly the allowed values NONE and ANTIMALWARE_LIGHT", bad, msg)
		}
	}
	if err := validateLaunchProtection(LaunchProtectedWindowsLight); !strings.Contains(err.Error(), "reserved for Windows") {
		t.Errorf("WINDOWS_LIGHT: %v, want the reason", err)
	}
}
