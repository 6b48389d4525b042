// Package host describes and runs a program as a service: winsvc.exe,
// registered as the service's binary ("winsvc.exe host NAME"), starts the
// program, keeps its output in files, restarts it as asked, and stops it
// and every process it started when the service stops.
//
// Program is the host's settings. They are stored with the service, as
// values of the registry key
// HKLM\SYSTEM\CurrentControlSet\Services\NAME\Parameters (as NSSM stores
// its own), so that they are read and written through winsvc's setting
// model like any other setting of the service: winsvc.Config.Program,
// Definition.Program, the "program:" block of a desired-state document.
// The names of the registry values are the constants Value*.
package host

import (
	"time"

	"github.com/winsvc/winsvc/internal/cmdline"
)

// Program is what the host runs and how. The zero value of a field is its
// default (see each field).
type Program struct {
	// Path is the program to run: a full path to an executable.
	Path string `json:"path"`
	// Args are its arguments, each one argument (quoted for it as the
	// Windows C runtime reads a command line).
	Args []string `json:"args,omitempty"`
	// Dir is its working directory; "" is the directory of Path.
	Dir string `json:"workingDirectory,omitempty"`
	// Env are variables added to (or replacing those of) the host's
	// environment, each "NAME=VALUE".
	Env []string `json:"environment,omitempty"`

	// Stdout and Stderr are files the program's output is appended to;
	// "" discards it. The same path for both interleaves them in one file.
	Stdout string `json:"stdout,omitempty"`
	Stderr string `json:"stderr,omitempty"`
	// Rotate says when an output file is renamed aside and a new one
	// started. Without rotation the program is given the output file
	// itself and appends to it at the speed of a file of its own; with
	// rotation its output goes through a pipe that the host copies to the
	// file, so that the host can rotate it between two writes.
	Rotate Rotation `json:"rotate,omitzero"`

	// Restart says when the program is started again after it exits
	// while the service is running.
	Restart RestartPolicy `json:"restart,omitzero"`

	// Log is the file the host writes its own events to, one line each
	// (started, exited with code N, restarting in D, stop escalated to
	// ...); "" is DefaultLog(service). `winsvc logs NAME` shows it.
	Log string `json:"log,omitempty"`

	// StopTimeout is how long each step of a stop waits for the program to
	// exit (Ctrl+C to its console group, then Ctrl+Break, then WM_CLOSE to
	// its windows), before the host ends its whole process tree; 0 is
	// DefaultStopTimeout.
	StopTimeout time.Duration `json:"stopTimeout,omitzero"`
}

// Rotation is when an output file is rotated. The rotated file is named
// after the original with the time it was rotated (out.log ->
// out-20261205T130405.log); the oldest beyond Keep are deleted.
type Rotation struct {
	Bytes int64         `json:"bytes,omitzero"` // rotate once the file reaches this size; 0: never for size
	Age   time.Duration `json:"age,omitzero"`   // rotate once the file is this old; 0: never for age
	Keep  int           `json:"keep,omitzero"`  // rotated files kept; 0 keeps every one
}

// RestartPolicy is when and how soon the program is started again.
type RestartPolicy struct {
	// When is Always, OnFailure (the default) or Never.
	When RestartWhen `json:"when,omitempty"`
	// SuccessCodes are the exit codes that count as success for
	// OnFailure (and end the service without error); nil is {0}.
	SuccessCodes []uint32 `json:"successCodes,omitempty"`
	// Delay is the wait before the first restart; 0 is DefaultDelay. Each
	// restart after a run shorter than ResetAfter doubles it, up to
	// MaxDelay.
	Delay    time.Duration `json:"delay,omitzero"`
	MaxDelay time.Duration `json:"maxDelay,omitzero"` // 0 is DefaultMaxDelay
	// Throttle: a program that exits within this time of its start has
	// failed to start (NSSM's AppThrottle); its restarts are delayed by the
	// back-off even with Always. 0 is DefaultThrottle.
	Throttle time.Duration `json:"throttle,omitzero"`
	// ResetAfter is how long a run must last for the delay to go back to
	// Delay; 0 is DefaultResetAfter.
	ResetAfter time.Duration `json:"resetAfter,omitzero"`
}

// RestartWhen is a restart policy's condition.
type RestartWhen string

// The restart conditions.
const (
	OnFailure RestartWhen = "on-failure" // the default: an exit code not in SuccessCodes
	Always    RestartWhen = "always"     // any exit, success included
	Never     RestartWhen = "never"      // the service stops with the program
)

// Defaults of the zero values.
const (
	DefaultStopTimeout = 5 * time.Second
	DefaultDelay       = 1 * time.Second
	DefaultMaxDelay    = 1 * time.Minute
	DefaultThrottle    = 1500 * time.Millisecond
	DefaultResetAfter  = 1 * time.Minute
)

// DefaultLog is the host's event log of service when Program.Log is "":
// %ProgramData%\winsvc\SERVICE\host.log.
func DefaultLog(service string) string {
	return `%ProgramData%\winsvc\` + service + `\host.log`
}

// CommandLine is the binary path of a service that the host runs: exe
// (the path of winsvc.exe) with the verb host and the service's name,
// each quoted as the Windows C runtime reads a command line.
func CommandLine(exe, service string) string {
	return cmdline.Join(exe, "host", service)
}

// ParametersKey is the registry key, under the service's key, that holds
// the host's settings.
const ParametersKey = "Parameters"

// The registry values of the Parameters key, one per setting. A value
// absent is the setting's zero value (its default).
const (
	ValuePath            = "Application"         // REG_EXPAND_SZ: Path
	ValueArgs            = "AppArguments"        // REG_MULTI_SZ: Args
	ValueDir             = "AppDirectory"        // REG_EXPAND_SZ: Dir
	ValueEnv             = "AppEnvironmentExtra" // REG_MULTI_SZ: Env
	ValueStdout          = "AppStdout"           // REG_EXPAND_SZ
	ValueStderr          = "AppStderr"           // REG_EXPAND_SZ
	ValueRotateBytes     = "AppRotateBytes"      // REG_QWORD
	ValueRotateAge       = "AppRotateSeconds"    // REG_DWORD, seconds
	ValueRotateKeep      = "AppRotateKeep"       // REG_DWORD
	ValueRestart         = "AppRestart"          // REG_SZ: always, on-failure, never
	ValueSuccessCodes    = "AppSuccessCodes"     // REG_MULTI_SZ of decimal codes
	ValueRestartDelay    = "AppRestartDelay"     // REG_DWORD, milliseconds
	ValueRestartDelayMax = "AppRestartDelayMax"  // REG_DWORD, milliseconds
	ValueThrottle        = "AppThrottle"         // REG_DWORD, milliseconds
	ValueResetAfter      = "AppResetAfter"       // REG_DWORD, milliseconds
	ValueStopTimeout     = "AppStopTimeout"      // REG_DWORD, milliseconds
	ValueLog             = "AppEventsLog"        // REG_EXPAND_SZ: Log
)
