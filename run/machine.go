package run

// The Win32 values that the status logic speaks (winsvc.h), declared here so
// that the logic builds and is tested on every platform;
// values_windows_test.go checks them against golang.org/x/sys/windows.
type (
	state    uint32 // SERVICE_STOPPED ... SERVICE_PAUSED
	accepted uint32 // SERVICE_ACCEPT_* bits
)

const (
	stopped         state = 1
	startPending    state = 2
	stopPending     state = 3
	running         state = 4
	continuePending state = 5
	pausePending    state = 6
	paused          state = 7
)

const (
	acceptStop          accepted = 0x1
	acceptPauseContinue accepted = 0x2
	acceptShutdown      accepted = 0x4
	acceptParamChange   accepted = 0x8
	acceptPreshutdown   accepted = 0x100
)

// SERVICE_CONTROL_* codes; 128 to 255 are the program's own.
const (
	controlStop        uint32 = 1
	controlPause       uint32 = 2
	controlContinue    uint32 = 3
	controlInterrogate uint32 = 4
	controlShutdown    uint32 = 5
	controlParamChange uint32 = 6
	controlPreshutdown uint32 = 15
	controlUserFirst   uint32 = 128
	controlUserLast    uint32 = 255
)

// status is what a service reports to the SCM (SERVICE_STATUS without the
// service type and the exit codes, which golang.org/x/sys/windows/svc adds).
type status struct {
	State      state
	Accepts    accepted
	CheckPoint uint32
	WaitHint   uint32 // milliseconds
}

// hook names a hook of Options to call.
type hook uint8

const (
	noHook hook = iota
	pauseHook
	continueHook
	paramChangeHook
	controlHook
)

// machine is the status logic of a service: it turns what happens during a
// run (the program starts, says it is ready, reports progress; a control
// arrives; a hook returns) into the statuses to report and the causes with
// which to stop the program. It has no clock, no goroutine and no SCM:
// runner drives it, and the tests feed it events and read what it reports.
type machine struct {
	accepts accepted // the controls accepted when RUNNING or PAUSED
	user    bool     // custom controls (128-255) go to Options.Control
	hint    uint32   // the wait hint of the first report of a pending state
	cur     status   // the last status reported
	cause   error    // why the program was asked to stop; nil until then
}

func newMachine(o *Options) *machine {
	return &machine{
		accepts: o.accepts(),
		user:    o.Control != nil,
		hint:    millis(o.waitHint()),
	}
}

// start returns the first status: START_PENDING until the program is ready
// when it waits for that, RUNNING otherwise.
func (m *machine) start(waitReady bool) status {
	if waitReady {
		return m.pending(startPending)
	}
	return m.settle(running)
}

// ready is the program saying it has started.
func (m *machine) ready() (status, bool) {
	if m.cur.State != startPending {
		return status{}, false
	}
	return m.settle(running), true
}

// progress reports the next checkpoint of the pending state, with wait hint
// hint; outside a pending state there is nothing to report.
func (m *machine) progress(hint uint32) (status, bool) {
	switch m.cur.State {
	case startPending, stopPending, pausePending, continuePending:
		m.cur.CheckPoint++
		m.cur.WaitHint = hint
		return m.cur, true
	}
	return status{}, false
}

// control handles a control from the SCM. It returns the status to report
// (ok false: none), the hook to call (noHook: none) and the cause to stop
// the program with (nil: none). A control the service does not accept in its
// state changes nothing: the SCM does not send those, but a program must not
// depend on that.
func (m *machine) control(c uint32) (st status, ok bool, call hook, cause error) {
	if m.cur.State == stopped || m.cur.State == startPending || m.cause != nil {
		return status{}, false, noHook, nil
	}
	switch {
	case c == controlStop && m.accepts&acceptStop != 0:
		cause = ErrStop
	case c == controlShutdown && m.accepts&acceptShutdown != 0:
		cause = ErrShutdown
	case c == controlPreshutdown && m.accepts&acceptPreshutdown != 0:
		cause = ErrPreshutdown
	case c == controlPause && m.accepts&acceptPauseContinue != 0 && m.cur.State == running:
		return m.pending(pausePending), true, pauseHook, nil
	case c == controlContinue && m.accepts&acceptPauseContinue != 0 && m.cur.State == paused:
		return m.pending(continuePending), true, continueHook, nil
	case c == controlParamChange && m.accepts&acceptParamChange != 0:
		return status{}, false, paramChangeHook, nil
	case c >= controlUserFirst && c <= controlUserLast && m.user:
		return status{}, false, controlHook, nil
	default:
		return status{}, false, noHook, nil
	}
	m.cause = cause
	return m.pending(stopPending), true, noHook, cause
}

// shouldCall reports whether a hook that control queued is still due: a
// pause or continue is not once the program was asked to stop.
func (m *machine) shouldCall(h hook) bool {
	switch h {
	case pauseHook:
		return m.cur.State == pausePending
	case continueHook:
		return m.cur.State == continuePending
	}
	return m.cur.State != stopped
}

// hookDone is a Pause or Continue hook returning err: the service is PAUSED
// or RUNNING as the hook succeeded or failed.
func (m *machine) hookDone(h hook, err error) (status, bool) {
	switch {
	case h == pauseHook && m.cur.State == pausePending && err == nil,
		h == continueHook && m.cur.State == continuePending && err != nil:
		return m.settle(paused), true
	case h == pauseHook && m.cur.State == pausePending,
		h == continueHook && m.cur.State == continuePending:
		return m.settle(running), true
	}
	return status{}, false
}

// exited is the program returning: the SCM hears STOPPED from
// golang.org/x/sys/windows/svc, with the exit codes, once Execute returns.
func (m *machine) exited() {
	m.cur = status{State: stopped}
}

// pending enters pending state s at checkpoint 1. While pending, a service
// accepts no control but STOP and the shutdown controls, and none while it
// starts or stops (as Microsoft's SetServiceStatus documentation advises).
func (m *machine) pending(s state) status {
	var acc accepted
	if s == pausePending || s == continuePending {
		acc = m.accepts &^ (acceptPauseContinue | acceptParamChange)
	}
	m.cur = status{State: s, Accepts: acc, CheckPoint: 1, WaitHint: m.hint}
	return m.cur
}

// settle enters the steady state s (RUNNING or PAUSED).
func (m *machine) settle(s state) status {
	m.cur = status{State: s, Accepts: m.accepts}
	return m.cur
}
