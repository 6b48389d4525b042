package run

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"sync"
	"time"

	"github.com/winsvc/winsvc/internal/valerr"
)

// Why the program's context was cancelled: context.Cause(ctx) is one of
// these. ErrPreshutdown matches ErrShutdown (errors.Is), and a console's
// cause matches ErrInterrupt.
var (
	ErrStop        = errors.New("service stop requested")
	ErrShutdown    = errors.New("system shutdown")
	ErrPreshutdown = fmt.Errorf("%w (preshutdown)", ErrShutdown)
	ErrInterrupt   = errors.New("interrupted")
)

// Shutdown says which of the system's shutdown notifications the service
// accepts, and so stops the program.
type Shutdown uint8

const (
	// StopOnShutdown: SHUTDOWN stops the program (the default). Windows
	// gives all such services about 20 s in all.
	StopOnShutdown Shutdown = iota
	// StopOnPreshutdown: PRESHUTDOWN stops the program, before SHUTDOWN is
	// sent to anyone, within the service's preshutdown timeout (180 s by
	// default); SHUTDOWN is accepted too, for a system that never sends
	// PRESHUTDOWN.
	StopOnPreshutdown
	// IgnoreShutdown: neither; the process ends with the system.
	IgnoreShutdown
)

// Options are what a service does besides running. The zero value is a
// service that is RUNNING at once and that STOP and SHUTDOWN stop. The
// controls the service accepts follow from the hooks given: no flag to keep
// in step with them. The hooks run one at a time, in the order of the
// controls, beside the program and with its context: a slow hook delays the
// next hooks, never a stop.
type Options struct {
	// WaitReady keeps the service START_PENDING until the program calls
	// Ready. Without it, the service is RUNNING as the program starts.
	WaitReady bool

	// WaitHint is the wait hint of the first report of every pending state
	// (START_PENDING, STOP_PENDING, PAUSE_PENDING, CONTINUE_PENDING): how
	// long the program may take before it reports Progress or settles.
	// Zero means 10 s.
	WaitHint time.Duration

	// Shutdown: which shutdown notification stops the program.
	Shutdown Shutdown

	// NoStop makes the service refuse STOP: only a system shutdown stops
	// it (so Shutdown must not be IgnoreShutdown).
	NoStop bool

	// Pause and Continue, given together, make the service pausable. Each
	// is called with the program's context while the service is
	// PAUSE_PENDING or CONTINUE_PENDING; it returns nil to be PAUSED or
	// RUNNING, and an error to stay as it was (the error goes to the log).
	Pause, Continue func(ctx context.Context) error

	// ParamChange, given, makes the service accept PARAMCHANGE (the
	// service's parameters changed: reload them) and is called for each.
	ParamChange func(ctx context.Context)

	// Control, given, is called for each custom control (128 to 255).
	Control func(ctx context.Context, code uint32)
}

// Service runs program as the Windows service that the SCM started this
// process for, and returns once it has returned; call it once, from main.
// The program's context is cancelled when the service is asked to stop;
// Service reports the service's status around it, and STOPPED with the
// exit code that its error carries (see ExitError).
//
// When the process was not started by the SCM (from a console, a test, on
// another system), Service runs program as a console program: Ctrl+C,
// Ctrl+Break, closing the console, SIGINT and SIGTERM cancel the context,
// and a second one ends the process.
//
// Service returns the program's error, after writing it to the standard
// logger (stderr, unless the program sent the log elsewhere). A program that
// returns ctx.Err() or context.Cause(ctx) once asked to stop stopped
// cleanly: Service returns nil. Invalid options are a *winsvc.ValidationError
// (the program does not run; the service stops with exit code 87).
func Service(program func(ctx context.Context) error, opts Options) error {
	err := opts.validate(program)
	if IsService() {
		err = serve(program, &opts, err)
	} else if err == nil {
		err = console(program)
	}
	if err != nil {
		log.Print(err)
	}
	return err
}

// IsService reports whether this process was started by the SCM as a
// service. It is false on systems other than Windows.
func IsService() bool { return isService() }

var isService = sync.OnceValue(detectService)

// defaultWaitHint is the wait hint when Options.WaitHint is zero.
const defaultWaitHint = 10 * time.Second

// maxWaitHint is the largest wait hint SERVICE_STATUS holds (milliseconds in
// a DWORD, about 49.7 days).
const maxWaitHint = time.Duration(math.MaxUint32) * time.Millisecond

func (o *Options) validate(program func(context.Context) error) error {
	switch {
	case program == nil:
		return valerr.New("program", "nil", "Service needs a function to run")
	case o.WaitHint < 0 || o.WaitHint > maxWaitHint:
		return valerr.New("Options.WaitHint", o.WaitHint, "out of range", "0 (10 s)", "up to "+maxWaitHint.String())
	case o.Shutdown > IgnoreShutdown:
		return valerr.New("Options.Shutdown", o.Shutdown, "", "StopOnShutdown", "StopOnPreshutdown", "IgnoreShutdown")
	case o.NoStop && o.Shutdown == IgnoreShutdown:
		return valerr.New("Options.NoStop", true, "with Shutdown IgnoreShutdown nothing could stop the service")
	case o.Pause == nil && o.Continue != nil:
		return valerr.New("Options.Pause", "nil", "a pausable service needs both Pause and Continue")
	case o.Pause != nil && o.Continue == nil:
		return valerr.New("Options.Continue", "nil", "a pausable service needs both Pause and Continue")
	}
	return nil
}

// accepts derives the controls the service accepts from the options.
func (o *Options) accepts() accepted {
	var a accepted
	if !o.NoStop {
		a |= acceptStop
	}
	switch o.Shutdown {
	case StopOnShutdown:
		a |= acceptShutdown
	case StopOnPreshutdown:
		a |= acceptShutdown | acceptPreshutdown
	}
	if o.Pause != nil && o.Continue != nil {
		a |= acceptPauseContinue
	}
	if o.ParamChange != nil {
		a |= acceptParamChange
	}
	return a
}

func (o *Options) waitHint() time.Duration {
	if o.WaitHint == 0 {
		return defaultWaitHint
	}
	return o.WaitHint
}

// millis converts d to a wait hint: milliseconds, clamped to what
// SERVICE_STATUS holds.
func millis(d time.Duration) uint32 {
	switch {
	case d <= 0:
		return 0
	case d >= maxWaitHint:
		return math.MaxUint32
	}
	return uint32(d.Milliseconds())
}
