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
// ConnectMemory gives an SCM held in memory, for tests on any system.
//
// Package trigger models service triggers, and package access security
// descriptors, rights and trustees.
//
// # Enums and flags
//
// Every enum type (StartType, ErrorControl, SIDType, ActionType,
// LaunchProtection, State, and those of package trigger) follows one rule:
// its zero value means "not set" (for a State, "unknown"); its Go value is
// the Win32 value plus one, so that Win32's own 0 (BOOT_START,
// ERROR_IGNORE, ...) is a value like any other, and Win32 returns the
// Win32 value; String, MarshalText and UnmarshalText use the Win32 names
// ("AUTO_START"), so fmt, JSON, YAML and flags share one spelling, and
// UnmarshalText also accepts sc.exe's words ("auto") and numbers;
// a Win32 value this package does not know is kept and printed in hex.
//
// ServiceType, Accept, StateFilter and access.Rights are sets of flags:
// their Go values are the Win32 bits, and their zero value is the empty set.
package winsvc
