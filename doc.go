// Package winsvc manages Windows services: create, configure, query,
// control and delete them through the Service Control Manager (SCM), with
// everything sc.exe does and more.
//
// A Manager (Connect, ConnectRemote) is the context. A Service is an entity
// held in memory: loaded from the SCM (Manager.Load) or built from a
// Definition (Manager.New), changed (Service.Update, Service.Apply), then
// persisted with Service.Save, which validates first, executes a plan of
// exactly the calls that change what changed, and rolls back on failure.
// Every setting sc.exe manages is a field of Config (observed state) and
// Definition (desired state). Controls (Start, Stop, Pause, ...) wait for
// the target state. Every handle is opened with the least access the
// operation needs, so reads work without administrator rights. Errors are
// *Error values carrying the Win32 code (errors.Is(err, ErrNotFound)).
// Package winsvctest gives an SCM held in memory, for tests on any system.
//
// Package trigger models service triggers, and package access security
// descriptors, rights and trustees.
//
// # Enums and flags
//
// Every enum type (StartType, ErrorControl, SIDType, ActionType,
// LaunchProtection, State, and those of package trigger) follows one rule:
// its Go value is the Win32 value, in a uint32-based type, so that a number
// from any Win32 reader converts directly (StartType(2) is AutoStart,
// uint32(AutoStart) is SERVICE_AUTO_START). String, MarshalText and
// UnmarshalText use the Win32 names ("AUTO_START"), so fmt, JSON, YAML and
// flags share one spelling; UnmarshalText also accepts sc.exe's words
// ("auto") and numbers, which are Win32 values ("2" is AutoStart). A Win32
// value this package does not know is kept and printed in hex.
//
// Where Win32 has a 0 (BOOT_START, ERROR_IGNORE, SID_TYPE_NONE,
// SC_ACTION_NONE, SERVICE_LAUNCH_PROTECTED_NONE), the zero value is that
// value; a Definition says "not set" with a nil pointer
// (StartType: Ptr(AutoStart)), and UnmarshalText refuses "". Where Win32
// has none (a State, the trigger enums), the zero value means "unknown" or
// "not set", prints as "" and is what "" parses to.
//
// ServiceType, Accept, StateFilter and access.Rights are sets of flags:
// their Go values are the Win32 bits, and their zero value is the empty set
// (in a Definition, a ServiceType of 0 is "not set").
package winsvc
