//go:build windows

package main

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/windows/svc"

	"github.com/winsvc/winsvc/internal/testbed/svclog"
)

var validModes = map[string]bool{
	"normal": true, "slowstart": true, "hang": true, "crash": true,
	"refusestop": true, "nostop": true, "exitcode": true, "failstart": true,
	"crashlater": true, "stophang": true, "nopause": true,
}

type service struct {
	mode    string
	logPath string
	delay   time.Duration
	code    uint32

	changes chan<- svc.Status
}

func (s *service) log(e svclog.Entry) {
	e.Mode = s.mode
	if err := svclog.Append(s.logPath, e); err != nil {
		fmt.Fprintf(os.Stderr, "testsvc: log: %v\n", err)
	}
}

// report sends st to the SCM and logs it. svc hands the status to
// SetServiceStatus asynchronously; when it must be on record before the next
// step (crash), call report twice: the second send completes only after the
// first SetServiceStatus has returned.
func (s *service) report(st svc.Status) {
	s.changes <- st
	s.log(svclog.Entry{Event: svclog.EventState, State: stateName(st.State),
		CheckPoint: st.CheckPoint, WaitHint: st.WaitHint, Accepts: uint32(st.Accepts)})
}

func (s *service) Execute(args []string, r <-chan svc.ChangeRequest, changes chan<- svc.Status) (bool, uint32) {
	s.changes = changes
	s.log(svclog.Entry{Event: svclog.EventStart, Args: args, CmdLine: os.Args})

	accepts := svc.AcceptStop | svc.AcceptPauseAndContinue | svc.AcceptShutdown | svc.AcceptParamChange
	switch s.mode {
	case "hang":
		s.report(svc.Status{State: svc.StartPending, CheckPoint: 1, WaitHint: 2000})
		for c := range r { // the SCM rejects most controls while START_PENDING
			s.logControl(svclog.EventIgnored, c.Cmd)
		}
		return false, 0 // not reached: svc never closes r
	case "crash":
		st := svc.Status{State: svc.StartPending, CheckPoint: 1, WaitHint: 2000}
		s.report(st)
		s.report(st)
		time.Sleep(s.delay)
		s.log(svclog.Entry{Event: svclog.EventExit, Code: 7, Message: "crash: os.Exit(7) during start"})
		os.Exit(7)
	case "slowstart":
		s.report(svc.Status{State: svc.StartPending, CheckPoint: 1, WaitHint: 3000})
		deadline := time.Now().Add(s.delay)
		for cp := uint32(2); time.Now().Before(deadline); cp++ {
			time.Sleep(100 * time.Millisecond)
			s.report(svc.Status{State: svc.StartPending, CheckPoint: cp, WaitHint: 3000})
		}
	case "failstart":
		s.report(svc.Status{State: svc.StartPending, CheckPoint: 1, WaitHint: 2000})
		time.Sleep(s.delay)
		s.log(svclog.Entry{Event: svclog.EventExit, Code: s.code, Specific: true, Message: "failstart: stopped during start"})
		return true, s.code
	case "nostop":
		accepts = svc.AcceptShutdown
		s.report(svc.Status{State: svc.StartPending, CheckPoint: 1, WaitHint: 2000})
	case "nopause":
		accepts = svc.AcceptStop | svc.AcceptShutdown
		s.report(svc.Status{State: svc.StartPending, CheckPoint: 1, WaitHint: 2000})
	default:
		s.report(svc.Status{State: svc.StartPending, CheckPoint: 1, WaitHint: 2000})
	}
	s.report(svc.Status{State: svc.Running, Accepts: accepts})
	if s.mode == "crashlater" {
		s.report(svc.Status{State: svc.Running, Accepts: accepts}) // the first is on record
		time.AfterFunc(s.delay, func() {
			s.log(svclog.Entry{Event: svclog.EventExit, Code: 7, Message: "crashlater: os.Exit(7) while running"})
			os.Exit(7)
		})
	}

	for c := range r {
		s.logControl(svclog.EventControl, c.Cmd)
		switch {
		case c.Cmd == svc.Interrogate:
			changes <- c.CurrentStatus
		case c.Cmd == svc.Stop && s.mode == "refusestop":
			s.logControl(svclog.EventIgnored, c.Cmd)
			changes <- c.CurrentStatus
		case c.Cmd == svc.Stop && s.mode == "stophang":
			s.report(svc.Status{State: svc.StopPending, CheckPoint: 1, WaitHint: 2000}) // and no more
		case c.Cmd == svc.Stop || c.Cmd == svc.Shutdown:
			s.report(svc.Status{State: svc.StopPending, CheckPoint: 1, WaitHint: 2000})
			if s.mode == "exitcode" {
				s.log(svclog.Entry{Event: svclog.EventExit, Code: s.code, Specific: true})
				return true, s.code
			}
			s.log(svclog.Entry{Event: svclog.EventExit})
			return false, 0
		case c.Cmd == svc.Pause:
			s.report(svc.Status{State: svc.Paused, Accepts: accepts})
		case c.Cmd == svc.Continue:
			s.report(svc.Status{State: svc.Running, Accepts: accepts})
		case c.Cmd == svc.ParamChange, c.Cmd >= 128 && c.Cmd <= 255:
			// parameter change or user-defined control: logged above
		default:
			s.log(svclog.Entry{Event: svclog.EventError, Control: uint32(c.Cmd), Message: "unexpected control"})
		}
	}
	return false, 0
}

func (s *service) logControl(event string, c svc.Cmd) {
	s.log(svclog.Entry{Event: event, Control: uint32(c), ControlName: controlName(c)})
}

func controlName(c svc.Cmd) string {
	switch c {
	case svc.Stop:
		return "stop"
	case svc.Pause:
		return "pause"
	case svc.Continue:
		return "continue"
	case svc.Interrogate:
		return "interrogate"
	case svc.Shutdown:
		return "shutdown"
	case svc.ParamChange:
		return "paramchange"
	}
	if c >= 128 && c <= 255 {
		return fmt.Sprintf("user(%d)", c)
	}
	return fmt.Sprintf("control(%d)", c)
}

func stateName(s svc.State) string {
	switch s {
	case svc.Stopped:
		return "STOPPED"
	case svc.StartPending:
		return "START_PENDING"
	case svc.StopPending:
		return "STOP_PENDING"
	case svc.Running:
		return "RUNNING"
	case svc.ContinuePending:
		return "CONTINUE_PENDING"
	case svc.PausePending:
		return "PAUSE_PENDING"
	case svc.Paused:
		return "PAUSED"
	}
	return fmt.Sprintf("STATE(%d)", s)
}
