package winsvc

import (
	"encoding/binary"
	"slices"
	"time"

	"github.com/winsvc/winsvc/internal/memscm"
	"github.com/winsvc/winsvc/internal/scm"
	"github.com/winsvc/winsvc/trigger"
)

// The tests' reading of the in-memory SCM (internal/memscm), which holds
// what an SCM holds, as the SCM's own values: here they become the
// library's types, by the documented meaning of each value, without the
// library's codec, so that a test that checks what the SCM holds does not
// read it back through the code under test.

type (
	platformConn    = scm.Conn
	platformService = scm.Service
	memSCM          = memscm.SCM
	memService      = memscm.Service
	memCall         = memscm.Call
)

func newMemSCM(q quirks, services ...*memService) *memSCM { return memscm.New(q, services...) }

// memManager returns a Manager over c: the in-memory SCM, or a test's
// wrapper of it.
func memManager(c scm.Conn) *Manager { return &Manager{conn: bind(c)} }

// cfgOf is what s holds, as a Config.
func cfgOf(s *memService) *Config {
	q, set := s.Config, s.Settings
	c := &Config{
		Name:             s.Name,
		ServiceType:      ServiceType(q.ServiceType),
		StartType:        StartType(q.StartType),
		ErrorControl:     ErrorControl(q.ErrorControl),
		BinaryPathName:   q.BinaryPathName,
		LoadOrderGroup:   q.LoadOrderGroup,
		TagID:            q.TagID,
		Dependencies:     memDependencies(q.Dependencies),
		ServiceStartName: q.ServiceStartName,
		DisplayName:      q.DisplayName,

		Description:                      set.Description,
		FailureActions:                   memFailureActions(set.FailureActions),
		DelayedAutoStart:                 set.DelayedAutoStart,
		FailureActionsOnNonCrashFailures: set.FailureActionsOnNonCrashFailures,
		SIDType:                          SIDType(set.SIDType),
		RequiredPrivileges:               slices.Clone(set.RequiredPrivileges),
		PreshutdownTimeout:               time.Duration(set.PreshutdownTimeout) * time.Millisecond,
		Triggers:                         memTriggers(set.Triggers),
		PreferredNode:                    PreferredNode{Node: set.PreferredNode.Node, Set: set.PreferredNode.Set},
		LaunchProtected:                  LaunchProtection(set.LaunchProtected),
		ManagedAccount:                   set.ManagedAccount,
	}
	if s.Params != nil {
		c.Program, _ = decodeProgram(s.Params)
	}
	return c
}

// putCfg makes s hold c (its core and config2 settings).
func putCfg(s *memService, c *Config) {
	s.Config.ServiceType, s.Config.StartType, s.Config.ErrorControl = uint32(c.ServiceType), uint32(c.StartType), uint32(c.ErrorControl)
	s.Config.BinaryPathName, s.Config.LoadOrderGroup, s.Config.TagID = c.BinaryPathName, c.LoadOrderGroup, c.TagID
	s.Config.Dependencies = rawDependencies(c.Dependencies)
	s.Config.ServiceStartName, s.Config.DisplayName = c.ServiceStartName, c.DisplayName
	fa := memscm.FailureActions{ResetPeriod: c.FailureActions.ResetPeriod.seconds(), RebootMessage: c.FailureActions.RebootMessage,
		Command: c.FailureActions.Command, Actions: []memscm.Action{}}
	for _, a := range c.FailureActions.Actions {
		fa.Actions = append(fa.Actions, memscm.Action{Type: uint32(a.Type), Delay: uint32(a.Delay / time.Millisecond)})
	}
	var triggers []memscm.Trigger
	for _, t := range c.Triggers {
		g := new([16]byte)
		binary.LittleEndian.PutUint32(g[0:], t.Subtype.Data1)
		binary.LittleEndian.PutUint16(g[4:], t.Subtype.Data2)
		binary.LittleEndian.PutUint16(g[6:], t.Subtype.Data3)
		copy(g[8:], t.Subtype.Data4[:])
		mt := memscm.Trigger{Type: uint32(t.Type), Action: uint32(t.Action), Subtype: g}
		for _, d := range t.Data {
			mt.Data = append(mt.Data, memscm.DataItem{Type: uint32(d.Type), Data: d.Bytes()})
		}
		triggers = append(triggers, mt)
	}
	s.Settings = memscm.Settings{
		Description: c.Description, FailureActions: fa, DelayedAutoStart: c.DelayedAutoStart,
		FailureActionsOnNonCrashFailures: c.FailureActionsOnNonCrashFailures, SIDType: uint32(c.SIDType),
		RequiredPrivileges: slices.Clone(c.RequiredPrivileges), PreshutdownTimeout: uint32(c.PreshutdownTimeout / time.Millisecond),
		Triggers: triggers, PreferredNode: memscm.PreferredNode{Node: c.PreferredNode.Node, Set: c.PreferredNode.Set},
		LaunchProtected: uint32(c.LaunchProtected), ManagedAccount: c.ManagedAccount,
	}
}

// setCfg changes what s holds with fn.
func setCfg(s *memService, fn func(c *Config)) {
	c := cfgOf(s)
	fn(c)
	putCfg(s, c)
}

func memDependencies(raw []string) []Dependency {
	out := []Dependency{}
	for _, d := range raw {
		out = append(out, ParseDependency(d))
	}
	return out
}

func memFailureActions(fa memscm.FailureActions) FailureActions {
	out := FailureActions{ResetPeriod: resetPeriodFromSeconds(fa.ResetPeriod), RebootMessage: fa.RebootMessage, Command: fa.Command}
	for _, a := range fa.Actions {
		out.Actions = append(out.Actions, Action{Type: ActionType(a.Type), Delay: time.Duration(a.Delay) * time.Millisecond})
	}
	return out
}

func memTriggers(list []memscm.Trigger) []trigger.Trigger {
	out := []trigger.Trigger{}
	for _, t := range list {
		tr := trigger.Trigger{Type: trigger.Type(t.Type), Action: trigger.Action(t.Action), Data: []trigger.Data{}}
		if g := t.Subtype; g != nil {
			tr.Subtype = trigger.GUID{Data1: binary.LittleEndian.Uint32(g[0:]), Data2: binary.LittleEndian.Uint16(g[4:]),
				Data3: binary.LittleEndian.Uint16(g[6:])}
			copy(tr.Subtype.Data4[:], g[8:])
		}
		for _, d := range t.Data {
			v, err := trigger.DataFromBytes(trigger.DataType(d.Type), d.Data)
			if err != nil {
				panic(err) // the tests write only valid items
			}
			tr.Data = append(tr.Data, v)
		}
		out = append(out, tr)
	}
	return out
}

// written lists the settings call c wrote, by Field, typed as Config's
// fields (the password under FieldPassword, a tag request under FieldTagID
// with a nil value).
func written(c memCall) map[Field]any {
	out := map[Field]any{}
	switch {
	case c.Create != nil:
		cfg := &Config{Name: c.Create.Name, ServiceType: ServiceType(c.Create.ServiceType), StartType: StartType(c.Create.StartType),
			ErrorControl: ErrorControl(c.Create.ErrorControl), BinaryPathName: c.Create.BinaryPathName,
			LoadOrderGroup: c.Create.LoadOrderGroup, Dependencies: memDependencies(c.Create.Dependencies),
			ServiceStartName: c.Create.ServiceStartName, DisplayName: c.Create.DisplayName}
		for _, r := range settings {
			if r.level == 0 && r.field != FieldTagID {
				out[r.field] = r.get(cfg)
			}
		}
		if c.Create.RequestTag {
			out[FieldTagID] = nil
		}
		if c.Create.Password != "" {
			out[FieldPassword] = c.Create.Password
		}
	case c.Core != nil:
		cc := c.Core
		if cc.ServiceType != nil {
			out[FieldServiceType] = ServiceType(*cc.ServiceType)
		}
		if cc.StartType != nil {
			out[FieldStartType] = StartType(*cc.StartType)
		}
		if cc.ErrorControl != nil {
			out[FieldErrorControl] = ErrorControl(*cc.ErrorControl)
		}
		for f, v := range map[Field]*string{FieldBinaryPath: cc.BinaryPathName, FieldLoadOrderGroup: cc.LoadOrderGroup,
			FieldServiceStartName: cc.Account, FieldDisplayName: cc.DisplayName, FieldPassword: cc.Password} {
			if v != nil {
				out[f] = *v
			}
		}
		if cc.Dependencies != nil {
			out[FieldDependencies] = memDependencies(cc.Dependencies)
		}
		if cc.RequestTag {
			out[FieldTagID] = nil
		}
	case c.Params != nil:
		p, err := decodeProgram(c.Params)
		if out[FieldProgram] = p; err != nil {
			out[FieldProgram] = err
		}
	case c.Level != 0:
		s := &memService{}
		putCfg(s, defaultConfig(""))
		var f Field
		for _, r := range config2Settings {
			if r.level == c.Level {
				f = r.field
			}
		}
		switch v := c.Value.(type) {
		case string:
			s.Settings.Description = v
		case memscm.FailureActions:
			s.Settings.FailureActions = v
		case bool:
			s.Settings.DelayedAutoStart, s.Settings.FailureActionsOnNonCrashFailures, s.Settings.ManagedAccount = v, v, v
		case uint32:
			s.Settings.SIDType, s.Settings.PreshutdownTimeout, s.Settings.LaunchProtected = v, v, v
		case []string:
			s.Settings.RequiredPrivileges = v
		case []memscm.Trigger:
			s.Settings.Triggers = v
		case memscm.PreferredNode:
			s.Settings.PreferredNode = v
		}
		if r, ok := settingFor(f); ok {
			out[f] = r.get(cfgOf(s))
		}
	}
	return out
}
