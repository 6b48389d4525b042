package winsvc

import (
	"context"
	"maps"
	"time"
)

// This file is the boundary between the portable library and the platform
// layer (the _windows.go files, and the in-memory SCM of the tests). The
// platform layer makes one SCM call per method and knows nothing of plans,
// settings or validation: encoding and decoding the config2 structures, the
// setting table and the executor are portable code.

// Access rights, as documented for OpenSCManager and OpenService. winsvc
// asks for exactly the rights each operation needs, so reads work without
// administrator rights.
const (
	scManagerConnect       uint32 = 0x1
	scManagerCreateService uint32 = 0x2
	scManagerEnumerate     uint32 = 0x4

	accessQueryConfig    uint32 = 0x1
	accessChangeConfig   uint32 = 0x2
	accessQueryStatus    uint32 = 0x4
	accessEnumDependents uint32 = 0x8
	accessStart          uint32 = 0x10
	accessStop           uint32 = 0x20
	accessPauseContinue  uint32 = 0x40
	accessInterrogate    uint32 = 0x80
	accessUserControl    uint32 = 0x100
	accessDelete         uint32 = 0x10000
	accessReadControl    uint32 = 0x20000
	accessWriteDAC       uint32 = 0x40000
)

// scmConn is one connection to a Service Control Manager.
type scmConn interface {
	close() error
	// quirks says how this SCM departs from Windows' documented behaviour.
	// It is fixed for the connection's life (see quirks).
	quirks() quirks
	openService(name string, access uint32) (serviceConn, error)
	createService(c *Config, password string, access uint32) (serviceConn, error)
	enumerate(f QueryFilter) ([]Status, error)
	displayName(key string) (string, error)
	keyName(display string) (string, error)
	// enablePrivilege enables a privilege in the calling process's token,
	// as some writes require (SeShutdownPrivilege for a reboot action).
	enablePrivilege(name string) error
}

// serviceConn is one open service handle.
type serviceConn interface {
	close() error
	status() (Status, error)
	// queryConfig reads the core configuration (QueryServiceConfig): the
	// settings of the setting table whose level is 0. On an SCM with the
	// dependenciesUnreported quirk, Dependencies comes back empty.
	queryConfig() (*Config, error)
	// queryConfig2 returns the structure QueryServiceConfig2 fills in for
	// an info level; pointers in it point into the returned buffer.
	queryConfig2(level uint32) ([]byte, error)
	// changeConfig calls ChangeServiceConfig with the arguments cc sets;
	// the others are SERVICE_NO_CHANGE or NULL.
	changeConfig(cc *coreChange) error
	// changeConfig2 calls ChangeServiceConfig2 with a structure laid out by
	// the setting's codec.
	changeConfig2(level uint32, buf []byte) error
	delete() error
	start(args []string) error
	control(code uint32) (Status, error)
	dependents(state StateFilter) ([]Status, error)
	waitFor(ctx context.Context, t *waitTracker) (Status, error)
}

// quirks are the ways an SCM departs from the behaviour Windows documents,
// detected once per connection. The workaround for each runs only where
// the quirk exists. Wine's SCM has every one of them (docs/wine-scm.md);
// Windows' has none.
type quirks struct {
	// dependentsUntracked: EnumDependentServices never lists anything and a
	// STOP is never refused with ERROR_DEPENDENT_SERVICES_RUNNING (1051).
	// Dependents are computed from the dependencies of the services
	// involved, and Stop refuses with 1051 itself.
	dependentsUntracked bool
	// dependenciesUnreported: QueryServiceConfig always answers an empty
	// dependency list; the dependencies are read from the service's
	// registry key (DependOnService, DependOnGroup), where the SCM keeps
	// them.
	dependenciesUnreported bool
	// nullDependenciesClear: ChangeServiceConfig with lpDependencies NULL
	// (documented as "unchanged") deletes the dependencies. Every
	// ChangeServiceConfig then sends the dependencies it read (Step.Resend).
	nullDependenciesClear bool
	// deletionUnnotified: NotifyServiceStatusChange never reports
	// SERVICE_NOTIFY_DELETE_PENDING, and a service marked for deletion
	// stays while a handle to it is open. A wait then reopens its handle
	// at each poll, so that a deleted service shows as gone.
	deletionUnnotified bool
	// processStartFlaky: creating the service's process fails now and
	// then with ERROR_INTERNAL_ERROR (1359), the process never having run
	// (docs/wine-scm.md §6). StartService is then called again, twice at
	// most.
	processStartFlaky bool
	// securityUnstored: the SCM stores no security descriptor.
	// QueryServiceObjectSecurity answers the same empty DACL ("D:") for
	// every service, which would deny everyone, and SetServiceObjectSecurity
	// succeeds and keeps nothing (docs/wine-scm.md §10). A read of a
	// service's descriptor fails with ErrNotStored instead of reporting
	// that DACL, and a write reports that it was not stored.
	securityUnstored bool
	// startsMarked: StartService starts a stopped service that is marked
	// for deletion, which Windows refuses with
	// ERROR_SERVICE_MARKED_FOR_DELETE (1072), until the SCM removes it (a
	// few milliseconds after its process has exited and its last handle
	// closed; docs/wine-scm.md §8). Restart, which stops the service and
	// then starts it, asks first whether it is marked (probeMarked).
	startsMarked bool
}

// coreChange holds the arguments of one ChangeServiceConfig call; a nil
// field is SERVICE_NO_CHANGE (numbers) or NULL (strings), "unchanged".
// The setting table's core column fills it (setting.go), which also
// records each setting it puts here: nothing else maps a Field to an
// argument.
type coreChange struct {
	ServiceType    *ServiceType
	StartType      *StartType
	ErrorControl   *ErrorControl
	BinaryPathName *string
	LoadOrderGroup *string
	RequestTag     bool         // pass lpdwTagId: the SCM assigns a tag
	Dependencies   []Dependency // nil: NULL; empty: "\0\0", which clears
	Account        *string
	Password       *string
	DisplayName    *string

	set map[Field]any // what put recorded, by setting
}

// put records that cc writes setting f with value v.
func (cc *coreChange) put(f Field, v any) {
	if cc.set == nil {
		cc.set = map[Field]any{}
	}
	cc.set[f] = v
}

// setPassword gives the call a password (never a setting of the table:
// it is listed under FieldPassword).
func (cc *coreChange) setPassword(pw string) {
	cc.Password = &pw
	cc.put(FieldPassword, pw)
}

// written lists the settings cc writes, as the table's rows recorded them
// (the password under FieldPassword, a tag request under FieldTagID with a
// nil value).
func (cc *coreChange) written() map[Field]any {
	out := make(map[Field]any, len(cc.set))
	maps.Copy(out, cc.set)
	return out
}

func msDuration(ms uint32) time.Duration { return time.Duration(ms) * time.Millisecond }
