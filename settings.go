package winsvc

import (
	"time"
)

// config2Setting is one optional setting read with QueryServiceConfig2 and
// written with ChangeServiceConfig2: its info level and how to decode the
// structure the SCM returns.
type config2Setting struct {
	field  Field
	level  uint32
	decode func(r *reader, b []byte, c *Config) error
}

// config2Settings lists the optional settings in the order they are read.
// Each is read on its own, so one the SCM cannot report does not stop the
// others (see Config.Unavailable).
var config2Settings = []config2Setting{
	{FieldDescription, 1, func(r *reader, _ []byte, c *Config) (err error) {
		c.Description, err = r.strPtr(0)
		return err
	}},
	{FieldFailureActions, 2, func(_ *reader, b []byte, c *Config) (err error) {
		c.FailureActions, err = decodeFailureActions(b)
		return err
	}},
	{FieldDelayedAutoStart, 3, func(r *reader, _ []byte, c *Config) error {
		v, err := r.u32(0)
		c.DelayedAutoStart = v != 0
		return err
	}},
	{FieldFailureFlag, 4, func(r *reader, _ []byte, c *Config) error {
		v, err := r.u32(0)
		c.FailureActionsOnNonCrashFailures = v != 0
		return err
	}},
	{FieldSIDType, 5, func(r *reader, _ []byte, c *Config) error {
		v, err := r.u32(0)
		c.SIDType = SIDTypeFromWin32(v)
		return err
	}},
	{FieldRequiredPrivileges, 6, func(r *reader, _ []byte, c *Config) (err error) {
		c.RequiredPrivileges, err = r.multiSzPtr(0)
		return err
	}},
	{FieldPreshutdownTimeout, 7, func(r *reader, _ []byte, c *Config) error {
		v, err := r.u32(0)
		c.PreshutdownTimeout = time.Duration(v) * time.Millisecond
		return err
	}},
	{FieldTriggers, 8, func(_ *reader, b []byte, c *Config) (err error) {
		c.Triggers, err = decodeTriggers(b)
		return err
	}},
	{FieldPreferredNode, 9, func(_ *reader, b []byte, c *Config) (err error) {
		c.PreferredNode, err = decodePreferredNode(b)
		return err
	}},
	{FieldLaunchProtected, 12, func(r *reader, _ []byte, c *Config) error {
		v, err := r.u32(0)
		c.LaunchProtected = LaunchProtectionFromWin32(v)
		return err
	}},
}

// level returns the ChangeServiceConfig2 info level of field f.
func level(f Field) uint32 {
	for _, s := range config2Settings {
		if s.field == f {
			return s.level
		}
	}
	panic("winsvc: no info level for " + string(f))
}

// decodeConfig2 decodes the buffer the SCM returned for setting s into c.
func (s config2Setting) decodeInto(b []byte, c *Config) error {
	return s.decode(newReader(b), b, c)
}

// validateLaunchProtection checks a launch protection level to be written
// (SERVICE_CONFIG_LAUNCH_PROTECTED). Microsoft's SERVICE_LAUNCH_PROTECTED_INFO
// page (learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_launch_protected_info)
// says:
//
//   - "The SERVICE_LAUNCH_PROTECTED_WINDOWS and
//     SERVICE_LAUNCH_PROTECTED_WINDOWS_LIGHT protection types are reserved
//     for internal Windows use only", so they are rejected here, naming the
//     values a caller may write: NONE and ANTIMALWARE_LIGHT;
//   - "In order to apply any protection type to a service, the service must
//     be signed with an appropriate certificate": ANTIMALWARE_LIGHT is for
//     anti-malware vendors (an ELAM-signed binary) and the SCM checks that,
//     not this package;
//   - "Once the service is launched as protected, other unprotected
//     processes will not be able to call" ChangeServiceConfig,
//     ChangeServiceConfig2, ControlService, ControlServiceEx, DeleteService
//     or SetServiceObjectSecurity on it: after a protected service has
//     started, an unprotected caller (winsvc included) can no longer change,
//     stop, delete or re-secure it, nor lower its protection.
//
// The zero value (not set) passes. Values already stored on a service are
// never re-checked unless the caller writes the field.
func validateLaunchProtection(p LaunchProtection) error {
	switch p {
	case 0, LaunchProtectedNone, LaunchProtectedAntimalwareLight:
		return nil
	case LaunchProtectedWindows, LaunchProtectedWindowsLight:
		return invalid(string(FieldLaunchProtected), p,
			"reserved for Windows' own services (SERVICE_LAUNCH_PROTECTED_INFO); a service may be given NONE, or ANTIMALWARE_LIGHT if its binary is signed for it",
			names(LaunchProtectedNone, LaunchProtectedAntimalwareLight)...)
	}
	return invalid(string(FieldLaunchProtected), p, "", names(LaunchProtectedNone, LaunchProtectedAntimalwareLight)...)
}
