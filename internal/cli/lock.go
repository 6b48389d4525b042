package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/winsvc/winsvc"
)

var querylockCmd = &command{name: "querylock", group: groupQuery, summary: "Show whether the service database is locked",
	usage: "querylock", examples: []string{"winsvc querylock", "winsvc querylock --json"},
	action: newAction(parseNothing, runQueryLock, renderQueryLock)}

// parseNothing is the parse of a verb without arguments or options of its
// own.
func parseNothing(*parsed) (struct{}, error) { return struct{}{}, nil }

func runQueryLock(ctx context.Context, e *env, _ struct{}) (winsvc.LockStatus, error) {
	m, err := e.manager()
	if err != nil {
		return winsvc.LockStatus{}, err
	}
	return m.LockStatus(ctx)
}

func renderQueryLock(e *env, st winsvc.LockStatus) error {
	if e.json {
		return e.writeJSON(st)
	}
	scSuccess(e.io.Out, "QueryServiceLockStatus")
	renderLock(e.io.Out, st)
	return nil
}

// renderLock prints sc querylock's fields.
func renderLock(w io.Writer, st winsvc.LockStatus) {
	f := newFields(w, 14)
	f.line("IsLocked", boolLabel(st.Locked))
	f.line("LockOwner", st.Owner)
	f.line("LockDuration", fmt.Sprintf("%d (seconds since acquired)", int64(st.Duration.Seconds())))
}
