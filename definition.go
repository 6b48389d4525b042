package winsvc

import (
	"time"

	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/trigger"
)

// Definition is the desired state of a service. A field left at its zero
// value (nil for pointers and slices) is "not set": Manager.New fills it
// with the default below, and Service.Apply leaves it unchanged. For the
// pointer and slice fields, a non-nil empty value means "clear". The enum
// fields whose Win32 zero is a value (BOOT_START, ERROR_IGNORE,
// SID_TYPE_NONE, SERVICE_LAUNCH_PROTECTED_NONE) are pointers, so that
// Ptr(BootStart) is that value and nil is "not set"; ServiceType is a value,
// because no service type is 0.
//
// Defaults for a new service: WIN32_OWN_PROCESS, DEMAND_START, ERROR_NORMAL,
// LocalSystem, display name = Name, no description, no dependencies, no
// failure actions, failure flag false, SID_TYPE_UNRESTRICTED, preshutdown
// timeout 180 s, delayed auto-start false.
type Definition struct {
	Name        string // key name; required
	DisplayName string // "" = not set (defaults to Name)

	// The program: BinaryPath (the path alone) and Args, quoted for you;
	// or CommandLine, the whole command line as sc's binPath= takes it
	// (an unquoted program path with spaces is quoted when its end is
	// clear, refused otherwise; a CommandLine equal to the one the service
	// holds is kept as it is, so that Config.Definition changes nothing).
	// One of them is required to create. Args alone replaces the
	// arguments of the current program.
	BinaryPath  string
	Args        []string
	CommandLine string

	ServiceType      ServiceType   // 0 = not set
	StartType        *StartType    // e.g. Ptr(AutoStart)
	DelayedAutoStart *bool         // only with AUTO_START
	ErrorControl     *ErrorControl // e.g. Ptr(ErrorNormal)
	LoadOrderGroup   *string       // "" = remove from its group
	RequestTag       bool          // sc's tag= yes: the SCM assigns a tag in the group (Config.TagID)
	Dependencies     []Dependency
	ServiceStartName string // the account; "" = not set (defaults to LocalSystem)
	Description      *string

	// FailureActions: nil = unchanged, NoFailureActions() = cleared.
	FailureActions                   *FailureActions
	FailureActionsOnNonCrashFailures *bool
	SIDType                          *SIDType
	RequiredPrivileges               []string
	PreshutdownTimeout               *time.Duration
	Triggers                         []trigger.Trigger
	PreferredNode                    *PreferredNode
	LaunchProtected                  *LaunchProtection
	ManagedAccount                   *bool // the account's password is managed by Windows (a gMSA, DOMAIN\name$)
	// Program: what the program host runs (nil = unchanged; an empty
	// &host.Program{} = no longer run by the host: its values are deleted).
	Program *host.Program
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
// setting that could be read is set): applied to the service c was read
// from, it changes nothing. The command line is BinaryPath and Args when
// they give it back exactly, and CommandLine otherwise (an unquoted
// program path with spaces is kept as it is). A secret variable of the
// program's environment (SecretEnvName) is named without its value, which
// keeps the value the service has. It is what desired-state export writes.
func (c *Config) Definition() Definition {
	d := Definition{Name: c.Name}
	for _, r := range settings {
		if c.Available(r.field) {
			r.defSet(&d, documentForm(&r, r.get(c)))
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
	case d.CommandLine != "" && d.CommandLine == c.BinaryPathName:
		return d.CommandLine, true // what the SCM holds, kept as it is (even unquoted)
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
// line: BinaryPath and Args when they say where the program ends without
// doubt and joining them gives the command line back exactly; otherwise
// CommandLine, the command line as it is (an unquoted program path with
// spaces, say), so that d applied to the service that holds it changes
// nothing.
func setCommandLine(d *Definition, cmd string) {
	exe, args, err := SplitCommandLine(cmd)
	if err != nil || exe == "" || JoinCommandLine(exe, args...) != cmd || checkCommandLine("", cmd) != nil {
		d.BinaryPath, d.Args, d.CommandLine = "", nil, cmd
		return
	}
	d.BinaryPath, d.Args, d.CommandLine = exe, args, ""
}
