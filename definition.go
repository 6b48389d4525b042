package winsvc

import (
	"slices"
	"time"
)

// Definition is the desired state of a service. A field left at its zero
// value (nil for pointers and slices) is "not set": Manager.New fills it
// with the default below, and Service.Apply leaves it unchanged. For the
// pointer and slice fields, a non-nil empty value means "clear".
//
// Defaults for a new service: WIN32_OWN_PROCESS, DEMAND_START, ERROR_NORMAL,
// LocalSystem, display name = Name, no description, no dependencies, no
// failure actions, failure flag false, SID_TYPE_UNRESTRICTED, preshutdown
// timeout 180 s, delayed auto-start false.
type Definition struct {
	Name        string // key name; required
	DisplayName string // "" = not set (defaults to Name)

	// BinaryPath is the executable's path, without quotes or arguments;
	// required to create. Args are its launch arguments. winsvc quotes both
	// as needed, so a path with spaces is never stored unquoted. Setting
	// BinaryPath sets the whole command line: the path and Args (none when
	// Args is nil). Setting only Args keeps the program and replaces its
	// arguments. A command line that starts the same program with the same
	// arguments as the stored one counts as unchanged, whatever its quoting.
	BinaryPath string
	Args       []string

	ServiceType      ServiceType
	StartType        StartType
	DelayedAutoStart *bool // only with AUTO_START
	ErrorControl     ErrorControl
	LoadOrderGroup   *string // "" = remove from its group
	// RequestTag asks the SCM to assign a tag, unique in the load-order
	// group, when the service is created, or at the next save if it has
	// none (sc's tag= yes); Config.TagID shows it. Tags order the boot- and
	// system-start drivers of a group. It needs a load-order group.
	RequestTag       bool
	Dependencies     []Dependency
	ServiceStartName string // the account; "" = not set (defaults to LocalSystem)
	Description      *string

	// FailureActions: nil = unchanged, NoFailureActions() = cleared.
	FailureActions                   *FailureActions
	FailureActionsOnNonCrashFailures *bool
	SIDType                          SIDType
	RequiredPrivileges               []string
	PreshutdownTimeout               *time.Duration
	Triggers                         []Trigger
	PreferredNode                    *PreferredNode
	LaunchProtected                  LaunchProtection
}

// Ptr returns a pointer to v; handy for the optional Definition fields:
//
//	winsvc.Definition{Description: winsvc.Ptr("My service")}
func Ptr[T any](v T) *T { return &v }

// The defaults applied by Manager.New to settings a Definition leaves unset.
const (
	DefaultServiceType        = Win32OwnProcess
	DefaultStartType          = DemandStart
	DefaultErrorControl       = ErrorNormal
	DefaultServiceStartName   = "LocalSystem"
	DefaultSIDType            = SIDTypeUnrestricted
	DefaultPreshutdownTimeout = 180 * time.Second
)

// defaultConfig returns the configuration a new service gets before its
// Definition is applied.
func defaultConfig(name string) *Config {
	return &Config{
		Name:               name,
		DisplayName:        name,
		ServiceType:        DefaultServiceType,
		StartType:          DefaultStartType,
		ErrorControl:       DefaultErrorControl,
		ServiceStartName:   DefaultServiceStartName,
		SIDType:            DefaultSIDType,
		PreshutdownTimeout: DefaultPreshutdownTimeout,
		FailureActions:     FailureActions{},
	}
}

// applyTo sets every field of d that is set onto c, and reports which
// fields it set.
func (d *Definition) applyTo(c *Config) map[Field]bool {
	set := map[Field]bool{}
	mark := func(f Field, ok bool) bool {
		if ok {
			set[f] = true
			delete(c.Unavailable, f)
		}
		return ok
	}
	if mark(FieldDisplayName, d.DisplayName != "") {
		c.DisplayName = d.DisplayName
	}
	if mark(FieldBinaryPath, d.BinaryPath != "" || d.Args != nil) {
		exe, args := d.BinaryPath, d.Args
		if exe == "" { // Args alone: new arguments for the current program
			exe, _ = c.Executable()
		}
		if cmd := JoinCommandLine(exe, args...); !sameCommandLine(cmd, c.BinaryPathName) {
			c.BinaryPathName = cmd
		}
	}
	if mark(FieldServiceType, d.ServiceType != 0) {
		c.ServiceType = d.ServiceType
	}
	if mark(FieldStartType, d.StartType != 0) {
		c.StartType = d.StartType
	}
	if mark(FieldDelayedAutoStart, d.DelayedAutoStart != nil) {
		c.DelayedAutoStart = *d.DelayedAutoStart
	}
	if mark(FieldErrorControl, d.ErrorControl != 0) {
		c.ErrorControl = d.ErrorControl
	}
	if mark(FieldLoadOrderGroup, d.LoadOrderGroup != nil) {
		c.LoadOrderGroup = *d.LoadOrderGroup
	}
	if mark(FieldTagID, d.RequestTag) {
		c.requestTag = true
	}
	if mark(FieldDependencies, d.Dependencies != nil) {
		c.Dependencies = slices.Clone(d.Dependencies)
	}
	if mark(FieldServiceStartName, d.ServiceStartName != "") {
		c.ServiceStartName = d.ServiceStartName
	}
	if mark(FieldDescription, d.Description != nil) {
		c.Description = *d.Description
	}
	if mark(FieldFailureActions, d.FailureActions != nil) {
		c.FailureActions = *d.FailureActions
		c.FailureActions.Actions = slices.Clone(d.FailureActions.Actions)
	}
	if mark(FieldFailureFlag, d.FailureActionsOnNonCrashFailures != nil) {
		c.FailureActionsOnNonCrashFailures = *d.FailureActionsOnNonCrashFailures
	}
	if mark(FieldSIDType, d.SIDType != 0) {
		c.SIDType = d.SIDType
	}
	if mark(FieldRequiredPrivileges, d.RequiredPrivileges != nil) {
		c.RequiredPrivileges = slices.Clone(d.RequiredPrivileges)
	}
	if mark(FieldPreshutdownTimeout, d.PreshutdownTimeout != nil) {
		c.PreshutdownTimeout = *d.PreshutdownTimeout
	}
	if mark(FieldTriggers, d.Triggers != nil) {
		c.Triggers = cloneTriggers(d.Triggers)
	}
	if mark(FieldPreferredNode, d.PreferredNode != nil) {
		c.PreferredNode = *d.PreferredNode
	}
	if mark(FieldLaunchProtected, d.LaunchProtected != 0) {
		c.LaunchProtected = d.LaunchProtected
	}
	return set
}

// Definition returns the Definition that recreates c exactly (every field
// set). It is what desired-state export writes.
func (c *Config) Definition() Definition {
	exe, args := c.Executable()
	d := Definition{
		Name: c.Name, DisplayName: c.DisplayName, BinaryPath: exe, Args: args,
		ServiceType: c.ServiceType, StartType: c.StartType, ErrorControl: c.ErrorControl,
		ServiceStartName: c.ServiceStartName, SIDType: c.SIDType, LaunchProtected: c.LaunchProtected,
		LoadOrderGroup: Ptr(c.LoadOrderGroup), RequestTag: c.TagID != 0 && c.LoadOrderGroup != "", Description: Ptr(c.Description),
		DelayedAutoStart:                 Ptr(c.DelayedAutoStart),
		FailureActionsOnNonCrashFailures: Ptr(c.FailureActionsOnNonCrashFailures),
		PreshutdownTimeout:               Ptr(c.PreshutdownTimeout),
		Dependencies:                     append([]Dependency{}, c.Dependencies...),
		RequiredPrivileges:               append([]string{}, c.RequiredPrivileges...),
		Triggers:                         append([]Trigger{}, cloneTriggers(c.Triggers)...),
		PreferredNode:                    Ptr(c.PreferredNode),
	}
	fa := c.FailureActions
	fa.Actions = append([]Action{}, fa.Actions...)
	d.FailureActions = &fa
	for f := range c.Unavailable {
		d.clear(f)
	}
	return d
}

// clear unsets field f of d.
func (d *Definition) clear(f Field) {
	switch f {
	case FieldDelayedAutoStart:
		d.DelayedAutoStart = nil
	case FieldDescription:
		d.Description = nil
	case FieldFailureActions:
		d.FailureActions = nil
	case FieldFailureFlag:
		d.FailureActionsOnNonCrashFailures = nil
	case FieldSIDType:
		d.SIDType = 0
	case FieldRequiredPrivileges:
		d.RequiredPrivileges = nil
	case FieldPreshutdownTimeout:
		d.PreshutdownTimeout = nil
	case FieldTriggers:
		d.Triggers = nil
	case FieldPreferredNode:
		d.PreferredNode = nil
	case FieldLaunchProtected:
		d.LaunchProtected = 0
	case FieldDependencies:
		d.Dependencies = nil
	}
}
