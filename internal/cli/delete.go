package cli

import (
	"context"
	"time"

	"github.com/winsvc/winsvc"
)

var deleteCmd = &command{name: "delete", group: groupConfig, summary: "Delete a service",
	usage: "delete NAME [--stop] [--wait] [--timeout D]",
	details: "Without --stop, a running service is only marked for deletion and disappears\n" +
		"once it stops and every handle to it is closed (until then, creating it again\n" +
		"fails with 1072; stopping it succeeds, and removes it). --stop stops it first;\n" +
		"--wait waits until it is really gone, also for a service already marked.",
	examples: []string{"winsvc delete MySvc", "winsvc delete MySvc --stop --wait"},
	options:  []*option{optStop, optWait, optTimeout}, minArgs: 1, maxArgs: 1, nameArg: true,
	action: newAction(parseDelete, runDelete, renderDelete)}

var (
	optStop = &option{name: "stop", bool: true, help: "stop the service first"}
	optWait = &option{name: "wait", bool: true, help: "wait until the service is really gone"}
)

// DeleteOptions are the Options of delete.
type DeleteOptions struct {
	Name    string
	Stop    bool
	Wait    bool
	Timeout time.Duration
}

func parseDelete(p *parsed) (*DeleteOptions, error) {
	d, err := p.duration(optTimeout, defaultTimeout)
	return &DeleteOptions{Name: p.arg(0), Stop: p.on(optStop), Wait: p.on(optWait), Timeout: d}, err
}

// deleteJSON is delete's result, and its JSON document.
type deleteJSON struct {
	Name    string `json:"name"`
	Deleted bool   `json:"deleted"`
	Gone    bool   `json:"gone"` // true when --wait saw it disappear
}

func runDelete(ctx context.Context, e *env, o *DeleteOptions) (deleteJSON, error) {
	m, svc, err := e.service(o.Name)
	if err != nil {
		return deleteJSON{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	done := e.progress(ctx, byName{m}, o.Name, o.Stop)
	err = svc.Delete(ctx, winsvc.DeleteOptions{Stop: o.Stop, Wait: o.Wait})
	done()
	return deleteJSON{Name: o.Name, Deleted: err == nil, Gone: err == nil && o.Wait}, err
}

func renderDelete(e *env, r deleteJSON) error {
	if e.json {
		return e.writeJSON(r)
	}
	scSuccess(e.io.Out, "DeleteService")
	return nil
}
