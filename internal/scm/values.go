package scm

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// Config is QUERY_SERVICE_CONFIG: the core configuration as the SCM
// reports it, and as CreateService takes it.
type Config struct {
	ServiceType    uint32
	StartType      uint32
	ErrorControl   uint32
	BinaryPathName string
	LoadOrderGroup string
	TagID          uint32
	// Dependencies as the SCM lists them: a group's name prefixed with
	// SC_GROUP_IDENTIFIER ('+').
	Dependencies     []string
	ServiceStartName string
	DisplayName      string
}

// Create holds the arguments of CreateService.
type Create struct {
	Name string
	Config
	RequestTag bool   // pass lpdwTagId: the SCM assigns a tag
	Password   string // "" is NULL
}

// CoreChange holds the arguments of one ChangeServiceConfig call; a nil
// field is SERVICE_NO_CHANGE (numbers) or NULL (strings), "unchanged".
type CoreChange struct {
	ServiceType    *uint32
	StartType      *uint32
	ErrorControl   *uint32
	BinaryPathName *string
	LoadOrderGroup *string
	RequestTag     bool     // pass lpdwTagId: the SCM assigns a tag
	Dependencies   []string // nil: NULL; empty: "\0\0", which clears
	Account        *string
	Password       *string
	DisplayName    *string
}

// Status is SERVICE_STATUS_PROCESS, with the service's names where the
// call reports them. WaitHint is in milliseconds.
type Status struct {
	Name, DisplayName       string
	ServiceType             uint32
	CurrentState            uint32
	ControlsAccepted        uint32
	Win32ExitCode           uint32
	ServiceSpecificExitCode uint32
	CheckPoint              uint32
	WaitHint                uint32
	ProcessID               uint32
	ServiceFlags            uint32
}

// Filter selects services for Conn.Enumerate, as EnumServicesStatusEx's
// dwServiceType, dwServiceState and pszGroupName do.
type Filter struct {
	Types  uint32
	States uint32
	Group  *string // nil: every service; "": those in no group
}

// ArgError is a string argument that cannot be passed to the SCM: it holds
// a NUL, so the SCM would take only what comes before it. The call is not
// made. Arg names the argument (CoreChange's and Create's field names,
// "Dependencies[i]", "Name", "args[i]"); Value is the argument, or ""
// for a password.
type ArgError struct {
	Arg   string
	Value string
}

func (e *ArgError) Error() string {
	return fmt.Sprintf("%s must not contain NUL (the SCM would take only what comes before it)", e.Arg)
}

// Security is implemented by service handles that can read and write the
// service's security descriptor (QueryServiceObjectSecurity,
// SetServiceObjectSecurity), in SDDL, for the parts info names.
type Security interface {
	SecurityDescriptor(info uint32) (string, error)
	SetSecurityDescriptor(sddl string, info uint32) error
}

// AccountLookup is implemented by connections that can resolve account
// names on their machine (LookupAccountName).
type AccountLookup interface {
	// LookupAccount returns the SID of account name and its canonical
	// domain\name.
	LookupAccount(name string) (sid, canonical string, err error)
}

// Registry is implemented by connections that can read values of a
// service's registry key (HKLM\SYSTEM\CurrentControlSet\Services\<name>)
// on the SCM's machine.
type Registry interface {
	// ServiceValues returns the raw data of the named values, the key
	// opened once; a value that does not exist is absent from the map. A
	// key that does not exist is ERROR_SERVICE_DOES_NOT_EXIST.
	ServiceValues(service string, names ...string) (map[string][]byte, error)
}

// RegValue is a registry value: its type (REG_SZ, ...) and raw data.
type RegValue struct {
	Type uint32
	Data []byte
}

// Parameters is implemented by connections that can read and write values
// of a service's Parameters key on the SCM's machine.
type Parameters interface {
	// ParametersKey opens service's Parameters key: for reading only, or
	// for writing (creating it when it does not exist). A read of a key
	// that does not exist gives a key without values; a service that does
	// not exist is ERROR_SERVICE_DOES_NOT_EXIST.
	ParametersKey(service string, write bool) (ParamKey, error)
}

// ParamKey is an open Parameters key.
type ParamKey interface {
	// Get returns a value; found is false when it does not exist.
	Get(name string) (v RegValue, found bool, err error)
	Set(name string, v RegValue) error
	Delete(name string) error // deleting a value that does not exist is no error
	Close() error
}

// Lock is implemented by connections that can report the service database
// lock: the QUERY_SERVICE_LOCK_STATUSW that QueryServiceLockStatus fills
// in, its pointer into the returned buffer.
type Lock interface {
	LockStatus() ([]byte, error)
}

// Prober is implemented by connections that can read their machine's
// files and accounts (Windows').
type Prober interface{ HostProbe() HostProbe }

// HostProbe reads what a diagnosis checks beyond the SCM, on the SCM's
// machine. Each method fails with an error wrapping ErrNotHere when it
// cannot read on this machine or connection.
type HostProbe interface {
	// OpenProgram opens a program file by its path as stored (environment
	// variables not yet expanded).
	OpenProgram(path string) (ProgramFile, error)
	// LookupAccount resolves an account name: its SID, and whether it is
	// a user account. A name with no account fails with ErrNoAccount.
	LookupAccount(name string) (sid string, user bool, err error)
	// AccountRights lists the rights and privileges held by the SID itself
	// (LsaEnumerateAccountRights; not those of its groups).
	AccountRights(sid string) ([]string, error)
	// Stat describes a file or directory by its path as stored
	// (environment variables not yet expanded); one that does not exist
	// fails with an error matching fs.ErrNotExist.
	Stat(path string) (fs.FileInfo, error)
}

// DirWriter is implemented by host probes that can tell whether a file
// can be created in a directory of their machine.
type DirWriter interface {
	// Writable fails when no file can be created in dir (a path as
	// stored); with an error wrapping ErrNotHere when it cannot tell here.
	Writable(dir string) error
}

// ProgramFile is an open program file.
type ProgramFile interface {
	io.ReaderAt
	io.Closer
}

var (
	// ErrNotHere: what a HostProbe cannot read on this machine.
	ErrNotHere = errors.New("cannot be read here")
	// ErrNoAccount: a HostProbe found no account of the name.
	ErrNoAccount = errors.New("no such account")
)
