package winsvc

import (
	"time"

	"github.com/winsvc/winsvc/trigger"
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
	// it (or CommandLine) is required to create. Args are its launch
	// arguments. winsvc quotes both as needed, so a path with spaces is
	// never stored unquoted. Setting BinaryPath sets the whole command
	// line: the path and Args (none when Args is nil). Setting only Args
	// keeps the program and replaces its arguments. A command line that
	// starts the same program with the same arguments as the stored one
	// counts as unchanged, whatever its quoting.
	BinaryPath string
	Args       []string
	// CommandLine is the whole command line as the SCM stores it (sc's
	// binPath=, the Config's BinaryPathName), for when it is easier to
	// write than BinaryPath and Args. It excludes them. An unquoted
	// program path with spaces is quoted when the program part is clear
	// (it ends in .exe, .sys, .com, .bat or .cmd), and refused otherwise.
	CommandLine string

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
	Triggers                         []trigger.Trigger
	PreferredNode                    *PreferredNode
	LaunchProtected                  LaunchProtection
	// ManagedAccount marks the account as one whose password Windows
	// manages, such as a group managed service account (DOMAIN\name$).
	ManagedAccount *bool
}

// Ptr returns a pointer to v; handy for the optional Definition fields:
//
//	winsvc.Definition{Description: winsvc.Ptr("My service")}
func Ptr[T any](v T) *T { return &v }

// The defaults applied by Manager.New to settings a Definition leaves unset.
const (
	defaultServiceType        = Win32OwnProcess
	defaultStartType          = DemandStart
	defaultErrorControl       = ErrorNormal
	defaultServiceStartName   = "LocalSystem"
	defaultSIDType            = SIDTypeUnrestricted
	defaultPreshutdownTimeout = 180 * time.Second
)

// defaultConfig returns the configuration a new service gets before its
// Definition is applied.
func defaultConfig(name string) *Config {
	return &Config{
		Name:               name,
		DisplayName:        name,
		ServiceType:        defaultServiceType,
		StartType:          defaultStartType,
		ErrorControl:       defaultErrorControl,
		ServiceStartName:   defaultServiceStartName,
		SIDType:            defaultSIDType,
		PreshutdownTimeout: defaultPreshutdownTimeout,
		FailureActions:     FailureActions{},
	}
}

// applyTo sets every field of d that is set onto c, and reports which
// fields it set.
func (d *Definition) applyTo(c *Config) map[Field]bool {
	set := map[Field]bool{}
	for _, r := range settings {
		if v, ok := r.defGet(d, c); ok {
			r.put(c, v)
			set[r.field] = true
			delete(c.Unavailable, r.field)
		}
	}
	return set
}

// Definition returns the Definition that recreates c exactly (every
// setting that could be read is set). It is what desired-state export
// writes.
func (c *Config) Definition() Definition {
	d := Definition{Name: c.Name}
	for _, r := range settings {
		if c.Available(r.field) {
			r.defSet(&d, r.get(c))
		}
	}
	return d
}

// commandLineOf is the command line d sets, if any: CommandLine, or
// BinaryPath and Args quoted, or c's program with new Args. A command line
// that runs the same program with the same arguments as c's is c's own, so
// that it counts as unchanged.
func commandLineOf(d *Definition, c *Config) (string, bool) {
	var cmd string
	switch {
	case d.CommandLine != "":
		cmd = normalizeCommandLine(d.CommandLine)
	case d.BinaryPath != "" || d.Args != nil:
		exe := d.BinaryPath
		if exe == "" { // Args alone: new arguments for the current program
			exe, _ = c.Executable()
		}
		cmd = JoinCommandLine(exe, d.Args...)
	default:
		return "", false
	}
	if sameCommandLine(cmd, c.BinaryPathName) {
		cmd = c.BinaryPathName
	}
	return cmd, true
}

// setCommandLine sets d's program and arguments from a stored command
// line.
func setCommandLine(d *Definition, cmd string) {
	d.CommandLine = ""
	exe, args, err := SplitCommandLine(normalizeCommandLine(cmd))
	if err != nil || exe == "" {
		d.BinaryPath, d.Args, d.CommandLine = "", nil, cmd
		return
	}
	d.BinaryPath, d.Args = exe, args
}
