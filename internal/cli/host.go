package cli

import (
	"context"
	"fmt"

	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/run"
)

var hostCmd = &command{name: "host", group: groupOther, summary: "Run a service's program (the service control manager runs this)",
	usage: "host NAME",
	details: "The binary path of a service made with create --program: winsvc reads the\n" +
		"service's program settings (its Parameters registry key) and runs the program\n" +
		"as the service, as package host says: output to files with rotation, restarts\n" +
		"with back-off, stop by Ctrl+C, Ctrl+Break, WM_CLOSE, then the end of its process\n" +
		"tree. Started from a console, it runs the program in the foreground until\n" +
		"Ctrl+C. `winsvc logs NAME` shows what it did.",
	examples: []string{"winsvc host Web"},
	minArgs:  1, maxArgs: 1, nameArg: true,
	action: newAction(parseHost, runHost, nil)}

// HostOptions are the Options of host.
type HostOptions struct{ Name string }

func parseHost(p *parsed) (*HostOptions, error) { return &HostOptions{Name: p.arg(0)}, nil }

// runHost runs the service's program through run.Service: the service is
// RUNNING once the program runs, and stops with its exit code.
func runHost(_ context.Context, e *env, o *HostOptions) (struct{}, error) {
	err := run.Service(func(ctx context.Context) error {
		p, err := loadProgram(ctx, e, o.Name)
		if err != nil {
			return err
		}
		return host.Run(ctx, o.Name, *p)
	}, run.Options{WaitReady: true})
	return struct{}{}, err
}

// loadProgram reads the program settings of service name.
func loadProgram(ctx context.Context, e *env, name string) (*host.Program, error) {
	_, svc, err := e.load(ctx, name)
	if err != nil {
		return nil, err
	}
	p := svc.Config().Program
	if p == nil || p.Path == "" {
		return nil, fmt.Errorf("service %q has no program to host: give it one in a document's program: block (winsvc apply)", name)
	}
	return p, nil
}
