package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/winsvc/winsvc"
)

func init() {
	register(&command{name: "querylock", group: groupQuery, summary: "Show whether the service database is locked",
		usage: "querylock", examples: []string{"winsvc querylock", "winsvc querylock --json"},
		build: func(*parsed) (runner, error) { return &QueryLockOptions{}, nil }})
}

// QueryLockOptions are the Options of querylock.
type QueryLockOptions struct{}

func (o *QueryLockOptions) run(ctx context.Context, e *env) error {
	m, err := e.manager()
	if err != nil {
		return err
	}
	st, err := m.LockStatus(ctx)
	if err != nil {
		return err
	}
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
