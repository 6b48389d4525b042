//go:build windows

package main

import (
	"fmt"

	"golang.org/x/sys/windows/svc"

	"github.com/winsvc/winsvc/internal/testbed/svclog"
)

// refuseStop is -mode=refusestop, the one mode not built on package run:
// it accepts STOP and ignores it, staying RUNNING. That breaks the service
// protocol (a service that accepts STOP answers it with STOP_PENDING; one
// that may not be stopped does not accept STOP, as -mode=nostop does), so
// run, by design, has no way to do it. The tests need it to see what a
// caller does with a service that does not stop.
type refuseStop struct{ s *service }

func (h refuseStop) Execute(args []string, r <-chan svc.ChangeRequest, changes chan<- svc.Status) (bool, uint32) {
	h.s.log(svclog.Entry{Event: svclog.EventStart, Args: args})
	h.report(changes, svc.Status{State: svc.StartPending, CheckPoint: 1, WaitHint: 2000})
	h.report(changes, svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown})
	for c := range r {
		h.s.logControl(svclog.EventControl, uint32(c.Cmd))
		switch c.Cmd {
		case svc.Stop:
			h.s.logControl(svclog.EventIgnored, uint32(c.Cmd))
			changes <- c.CurrentStatus
		case svc.Shutdown:
			h.report(changes, svc.Status{State: svc.StopPending, CheckPoint: 1, WaitHint: 2000})
			h.s.log(svclog.Entry{Event: svclog.EventExit})
			return false, 0
		}
	}
	return false, 0
}

func (h refuseStop) report(changes chan<- svc.Status, st svc.Status) {
	changes <- st
	h.s.log(svclog.Entry{Event: svclog.EventState, State: stateName(st.State),
		CheckPoint: st.CheckPoint, WaitHint: st.WaitHint, Accepts: uint32(st.Accepts)})
}

func stateName(s svc.State) string {
	switch s {
	case svc.StartPending:
		return "START_PENDING"
	case svc.StopPending:
		return "STOP_PENDING"
	case svc.Running:
		return "RUNNING"
	}
	return fmt.Sprintf("STATE(%d)", s)
}
