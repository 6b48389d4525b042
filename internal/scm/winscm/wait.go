//go:build windows

package winscm

import (
	"context"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/scm"
)

var (
	kernel32                     = windows.NewLazySystemDLL("kernel32.dll")
	procWaitForMultipleObjectsEx = kernel32.NewProc("WaitForMultipleObjectsEx")
	notifyCallbackOnce           sync.Once
	notifyCallback               uintptr
	notifyAllStates              uint32 = 0x7F // SERVICE_NOTIFY_STOPPED ... SERVICE_NOTIFY_PAUSED
)

// isGone reports whether err says the service no longer exists, or is
// marked for deletion.
func isGone(err error) bool {
	return err == windows.ERROR_SERVICE_DOES_NOT_EXIST || err == windows.ERROR_SERVICE_MARKED_FOR_DELETE
}

// waitFor waits until the tracker is satisfied or fails. Three sources wake
// it: the SCM's status-change notification (NotifyServiceStatusChange,
// delivered as an APC to this locked thread), the exit of the service's
// process (watched directly, because some SCMs, Wine's among them, never
// notice a process that dies while START_PENDING), and a poll timer that
// catches checkpoint progress and works when notifications do not (and
// alone for the first few milliseconds: see quickPolls). A
// deletion ends it too: through SERVICE_NOTIFY_DELETE_PENDING, or, on an
// SCM that does not report it, by reopening the handle at each poll (a
// deleted service stays while a handle is open).
func (s *winService) WaitFor(ctx context.Context, t scm.Waiter) (scm.Status, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	cancelEv, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		return scm.Status{}, err
	}
	defer windows.CloseHandle(cancelEv)
	stop := context.AfterFunc(ctx, func() { windows.SetEvent(cancelEv) })
	defer stop()

	n := newNotifier(s.h)
	defer func() { n.release() }()
	var proc processWatch
	defer proc.close()
	quick := time.Millisecond       // the next quick poll (see quickPolls)
	proc.follow(t.Last().ProcessID) // the process before the control, if any (from)

	for {
		st, err := s.Status()
		if isGone(err) {
			_, err := t.Deleted(true)
			return t.Last(), err
		}
		if err != nil {
			return st, err
		}
		proc.follow(st.ProcessID)
		if code, ok := proc.exited(); ok {
			t.ProcessExited(proc.pid, code, time.Now())
		}
		if done, err := t.Observe(st, time.Now()); done || err != nil {
			if done {
				proc.awaitExit(cancelEv, st)
			}
			return st, err
		}
		// On an SCM that does not report deletions, a stopped service that
		// is waited for in another state is watched by polling alone, so
		// that its handle can be reopened at each poll with no
		// notification pending (closing a handle with one pending breaks
		// Wine's RPC pipe now and then).
		watchDeletion := s.scm.q.DeletionUnnotified && st.CurrentState == windows.SERVICE_STOPPED && !t.WantsStopped()
		delay := t.PollInterval()
		switch {
		case quick <= quickPolls:
			delay, quick = min(delay, quick), 2*quick
		case !watchDeletion:
			n.arm(st.CurrentState)
		}
		handles := []windows.Handle{cancelEv}
		if proc.h != 0 {
			handles = append(handles, proc.h)
		}
		switch r := waitAlertable(handles, delay); r {
		case windows.WAIT_IO_COMPLETION:
			if n.fired() {
				if done, err := t.Deleted(false); done || err != nil {
					if done {
						proc.awaitExit(cancelEv, t.Last())
					}
					return t.Last(), err
				}
				n.deleting = true // marked: wait on for the state
			}
		case windows.WAIT_OBJECT_0:
			return t.Last(), t.Expired(context.Cause(ctx))
		case windows.WAIT_OBJECT_0 + 1:
			// The process is gone. The SCM's view, read now, says what that
			// means: a stop with its exit code, or nothing noticed yet.
			t.ProcessExited(proc.pid, proc.exitCode(), time.Now())
			if st, err := s.Status(); err == nil {
				if done, err := t.Observe(st, time.Now()); done || err != nil {
					return st, err
				}
			}
			proc.ignore()
		case uint32(windows.WAIT_TIMEOUT):
			if watchDeletion && !n.pending {
				if err := s.reopen(); isGone(err) {
					_, err := t.Deleted(true)
					return t.Last(), err
				} else if err != nil {
					return t.Last(), err
				}
				n = newNotifier(s.h)
			}
		default: // WAIT_FAILED: fall back to sleeping between polls
			time.Sleep(t.PollInterval())
		}
	}
}

// quickPolls: a wait first polls the status after 1, 2, 4, 8 and 16 ms, and
// only then registers for the SCM's notification. Most stops, pauses and
// continues end within those polls, and a registration costs more than
// they do (under Wine, a thread and an RPC, and more RPCs to cancel it).
const quickPolls = 16 * time.Millisecond

func waitAlertable(handles []windows.Handle, d time.Duration) uint32 {
	r, _, _ := procWaitForMultipleObjectsEx.Call(uintptr(len(handles)), uintptr(unsafe.Pointer(&handles[0])),
		0, uintptr(d.Milliseconds()), 1)
	return uint32(r)
}

// notifier keeps one NotifyServiceStatusChange registration armed.
type notifier struct {
	h        windows.Handle
	sn       *windows.SERVICE_NOTIFY
	pending  bool
	disabled bool
	deleting bool // the service is marked for deletion: not asked again
}

// abandoned keeps alive the SERVICE_NOTIFY of registrations still pending
// when their wait ended: the SCM may write to one until its handle closes.
var abandoned struct {
	sync.Mutex
	list []*windows.SERVICE_NOTIFY
}

func newNotifier(h windows.Handle) *notifier {
	notifyCallbackOnce.Do(func() {
		// The APC only needs to interrupt the alertable wait; the status
		// is read afresh afterwards.
		notifyCallback = windows.NewCallback(func(uintptr) uintptr { return 0 })
	})
	return &notifier{h: h, sn: new(windows.SERVICE_NOTIFY)}
}

// arm registers for any state other than the current one (so that a
// registration never fires at once for the state just seen).
func (n *notifier) arm(current uint32) {
	if n.pending || n.disabled {
		return
	}
	sn := n.sn
	*sn = windows.SERVICE_NOTIFY{Version: windows.SERVICE_NOTIFY_STATUS_CHANGE, NotifyCallback: notifyCallback}
	mask := notifyAllStates
	if !n.deleting {
		mask |= windows.SERVICE_NOTIFY_DELETE_PENDING
	}
	if w := current; w >= 1 && w <= 7 {
		mask &^= 1 << (w - 1)
	}
	if err := windows.NotifyServiceStatusChange(n.h, mask, sn); err != nil {
		n.disabled = true // e.g. a service marked for delete: poll instead
		return
	}
	n.pending = true
}

// fired records that the registration fired, and reports whether it was
// for the service's deletion.
func (n *notifier) fired() (deleted bool) {
	n.pending = false
	return n.sn.NotificationTriggered&windows.SERVICE_NOTIFY_DELETE_PENDING != 0
}

// release lets the SERVICE_NOTIFY go, unless a registration is still
// pending: then the few bytes are kept for the life of the process.
func (n *notifier) release() {
	if n.pending {
		n.pending = false
		abandoned.Lock()
		abandoned.list = append(abandoned.list, n.sn)
		abandoned.Unlock()
	}
}

// processWatch holds a handle to the service's process, to notice its exit.
type processWatch struct {
	pid     uint32
	h       windows.Handle
	ignored uint32
	gone    bool
}

// follow watches process pid. A process that cannot be opened for lack of
// rights is not watched; one that no longer exists counts as exited. A
// status without a process (0: stopped) leaves the last one watched, so
// that a stop can wait for it to exit.
func (p *processWatch) follow(pid uint32) {
	if pid == 0 || pid == p.pid || pid == p.ignored {
		return
	}
	p.close()
	p.pid = pid
	h, err := windows.OpenProcess(windows.SYNCHRONIZE|windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	switch {
	case err == nil:
		p.h = h
	case err == windows.ERROR_INVALID_PARAMETER: // no such process: it has exited
		p.gone = true
		ev, _ := windows.CreateEvent(nil, 1, 1, nil) // signalled: reported as an exit
		p.h = ev
	}
}

// exited reports whether the watched process has exited, and its exit
// code.
func (p *processWatch) exited() (code uint32, ok bool) {
	if p.h == 0 {
		return 0, false
	}
	if r, _ := windows.WaitForSingleObject(p.h, 0); r != windows.WAIT_OBJECT_0 {
		return 0, false
	}
	return p.exitCode(), true
}

func (p *processWatch) exitCode() uint32 {
	var code uint32
	if p.gone || windows.GetExitCodeProcess(p.h, &code) != nil {
		return 0
	}
	return code
}

// awaitExit waits, up to exitGrace or until cancel is set, for the watched
// process to exit once its service reported STOPPED, when the process is
// the service's own: only then is the service really stopped (its program
// file can be replaced; a service marked for deletion is gone, which the
// SCM does once the process is gone and no handle is open; until then
// Wine's SCM would even start it again). A process that lingers longer is
// left alone: the SCM said STOPPED.
func (p *processWatch) awaitExit(cancel windows.Handle, st scm.Status) {
	if st.CurrentState != windows.SERVICE_STOPPED || p.h == 0 || p.gone || st.ServiceType&windows.SERVICE_WIN32_SHARE_PROCESS != 0 {
		return
	}
	windows.WaitForMultipleObjects([]windows.Handle{cancel, p.h}, false, uint32(scm.ExitGrace.Milliseconds()))
}

// ignore stops watching the current process (its exit has been handled).
func (p *processWatch) ignore() {
	p.ignored = p.pid
	p.close()
}

func (p *processWatch) close() {
	if p.h != 0 {
		windows.CloseHandle(p.h)
	}
	p.h, p.pid, p.gone = 0, 0, false
}
