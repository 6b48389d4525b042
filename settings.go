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
