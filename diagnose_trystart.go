package winsvc

import (
	"context"
	"errors"
	"fmt"

	"github.com/winsvc/winsvc/internal/cmdline"
)

// tryStart starts a stopped service and reports how the start ended. A
// service that reached RUNNING is stopped again, as it was found.
func (d *diagnosis) tryStart(ctx context.Context, svc *Service, before Status, o DiagnoseOptions) error {
	if before.State != Stopped {
		d.TryStart = &TryStartResult{Outcome: "already running", Status: before}
		return nil
	}
	wait := o.TryStartWait
	if wait <= 0 {
		wait = defaultTryStartWait
	}
	startCtx, cancel := context.WithTimeout(ctx, wait)
	startErr := svc.Start(startCtx)
	cancel()
	if err := ctx.Err(); err != nil {
		return err
	}
	st, err := svc.Status(ctx)
	if err != nil {
		return err
	}
	r := &TryStartResult{Status: st}
	d.TryStart = r
	if startErr != nil {
		r.Error = startErr.Error()
	}
	name := cmdline.QuoteArg(svc.Name())
	switch {
	case startErr == nil:
		r.Outcome = "running"
		if err := svc.Stop(ctx); err != nil {
			r.Error = "stopping it again: " + err.Error()
		}
	case errors.Is(startErr, ErrStoppedUnexpectedly), errors.Is(startErr, ErrProcessExited):
		r.Outcome = "stopped"
		d.found(CheckTryStart, SeverityError, "started, the service stopped at once: its exit code says why",
			"state: "+st.State.String()+"; "+exitEvidence(st), "")
	case errors.Is(startErr, ErrWaitTimeout), errors.Is(startErr, ErrStalled):
		r.Outcome = "still starting"
		d.found(CheckTryStart, SeverityError, fmt.Sprintf("started, the service did not reach RUNNING within %s", wait),
			"state: "+st.State.String()+"; "+startErr.Error(), fmt.Sprintf("winsvc stop %s", name))
	default:
		r.Outcome = "start failed"
		d.found(CheckTryStart, SeverityError, "the service could not be started", startErr.Error(), "")
	}
	return nil
}
