// Package scm is the boundary between winsvc's portable library and a
// Service Control Manager: the interfaces a platform implements (Conn,
// Service and the optional capabilities), with values as the SCM gives and
// takes them (numbers as Win32 defines them, config2 structures as bytes).
// A platform makes one SCM call per method and knows nothing of plans,
// settings or validation. It does not import the library: winscm (Windows)
// and memscm (an SCM held in memory) implement it, and the library's
// boundary file (scm.go in the root) converts its values.
package scm

import (
	"context"
	"time"
)

// Access rights, as documented for OpenSCManager and OpenService.
const (
	ManagerConnect         uint32 = 0x1
	ManagerCreateService   uint32 = 0x2
	ManagerEnumerate       uint32 = 0x4
	ManagerQueryLockStatus uint32 = 0x10

	QueryConfig          uint32 = 0x1
	ChangeConfig         uint32 = 0x2
	QueryStatus          uint32 = 0x4
	EnumerateDependents  uint32 = 0x8
	Start                uint32 = 0x10
	Stop                 uint32 = 0x20
	PauseContinue        uint32 = 0x40
	Interrogate          uint32 = 0x80
	UserDefinedControl   uint32 = 0x100
	Delete               uint32 = 0x10000
	ReadControl          uint32 = 0x20000
	WriteDAC             uint32 = 0x40000
	WriteOwner           uint32 = 0x80000
	AccessSystemSecurity uint32 = 0x01000000
)

// Security information flags (SECURITY_INFORMATION).
const (
	OwnerSecurityInformation uint32 = 0x1
	GroupSecurityInformation uint32 = 0x2
	DACLSecurityInformation  uint32 = 0x4
	SACLSecurityInformation  uint32 = 0x8
)

// Conn is one connection to a Service Control Manager.
type Conn interface {
	Close() error
	// Quirks says how this SCM departs from Windows' documented
	// behaviour. It is fixed for the connection's life.
	Quirks() Quirks
	OpenService(name string, access uint32) (Service, error)
	CreateService(c *Create, access uint32) (Service, error)
	// Enumerate is EnumServicesStatusEx: every service that f selects.
	Enumerate(f Filter) ([]Status, error)
	DisplayName(key string) (string, error)
	KeyName(display string) (string, error)
	// EnablePrivilege enables a privilege in the calling process's token,
	// as some writes require (SeShutdownPrivilege for a reboot action).
	EnablePrivilege(name string) error
}

// Service is one open service handle.
type Service interface {
	Close() error
	Status() (Status, error)
	// QueryConfig reads the core configuration (QueryServiceConfig). On an
	// SCM with the DependenciesUnreported quirk, Dependencies comes back
	// empty.
	QueryConfig() (*Config, error)
	// QueryConfig2 returns the structure QueryServiceConfig2 fills in for
	// an info level; pointers in it point into the returned buffer.
	QueryConfig2(level uint32) ([]byte, error)
	// ChangeConfig calls ChangeServiceConfig with the arguments cc sets;
	// the others are SERVICE_NO_CHANGE or NULL.
	ChangeConfig(cc *CoreChange) error
	// ChangeConfig2 calls ChangeServiceConfig2 with the structure buf,
	// whose pointers point into buf.
	ChangeConfig2(level uint32, buf []byte) error
	Delete() error
	Start(args []string) error
	Control(code uint32) (Status, error)
	// Dependents is EnumDependentServices with a SERVICE_STATE_ALL-style
	// state filter.
	Dependents(state uint32) ([]Status, error)
	// WaitFor feeds w every status it sees of the service (and what it
	// learns of its process) until w says the wait is done or has failed,
	// or ctx ends (w.Expired).
	WaitFor(ctx context.Context, w Waiter) (Status, error)
}

// ExitGrace is how long a service's status and its process may disagree:
// a wait that saw its service stop waits this long for the process to
// exit, and a process that exited while the SCM reports its service active
// ends a wait this long after.
const ExitGrace = 2 * time.Second

// Waiter is the library's wait policy, which a platform's WaitFor drives.
type Waiter interface {
	// Last is the last status observed (or the one before the wait).
	Last() Status
	// WantsStopped tells whether the awaited state is SERVICE_STOPPED.
	WantsStopped() bool
	// Observe records a status seen at now: done when it is the awaited
	// state, an error when the wait has failed.
	Observe(st Status, now time.Time) (done bool, err error)
	// Deleted records that the service was deleted (gone) or marked for
	// deletion (a notification).
	Deleted(gone bool) (done bool, err error)
	// ProcessExited records that the service's process exited.
	ProcessExited(pid, code uint32, now time.Time)
	// Expired is the error of a wait whose context ended with cause.
	Expired(cause error) error
	// PollInterval is how long to wait before the next status read.
	PollInterval() time.Duration
}

// Quirks are the ways an SCM departs from the behaviour Windows documents,
// detected once per connection. The library's workaround for each runs
// only where the quirk exists. Wine's SCM has every one of them
// (docs/wine-scm.md); Windows' has none.
type Quirks struct {
	// DependentsUntracked: EnumDependentServices never lists anything and
	// a STOP is never refused with ERROR_DEPENDENT_SERVICES_RUNNING (1051).
	DependentsUntracked bool
	// DependenciesUnreported: QueryServiceConfig always answers an empty
	// dependency list; the SCM keeps them in the service's registry key
	// (DependOnService, DependOnGroup).
	DependenciesUnreported bool
	// NullDependenciesClear: ChangeServiceConfig with lpDependencies NULL
	// (documented as "unchanged") deletes the dependencies.
	NullDependenciesClear bool
	// DeletionUnnotified: NotifyServiceStatusChange never reports
	// SERVICE_NOTIFY_DELETE_PENDING, and a service marked for deletion
	// stays while a handle to it is open.
	DeletionUnnotified bool
	// ProcessStartFlaky: creating the service's process fails now and then
	// with ERROR_INTERNAL_ERROR (1359), the process never having run.
	ProcessStartFlaky bool
	// SecurityUnstored: the SCM stores no security descriptor: it answers
	// the same empty DACL ("D:") for every service and keeps nothing a
	// write gives it.
	SecurityUnstored bool
	// StartsMarked: StartService starts a stopped service that is marked
	// for deletion (Windows refuses with 1072) until the SCM removes it.
	StartsMarked bool
}

// Manager makes a *winsvc.Manager over a connection. The root package sets
// it when it is initialised; winsvctest uses it to give a Manager over
// memscm, which the root package's public API does not name.
var Manager func(c Conn) any
