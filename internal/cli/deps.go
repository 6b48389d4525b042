package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/winsvc/winsvc"
)

func init() {
	register(
		&command{name: "EnumDepend", group: groupQuery, summary: "List the services that depend on a service",
			usage:    "EnumDepend NAME",
			examples: []string{"winsvc EnumDepend Tcpip", "winsvc EnumDepend RpcSs --json"},
			minArgs:  1, maxArgs: 1, nameArg: true,
			build: buildName(func(n string) runner { return &EnumDependOptions{Name: n} })},
		&command{name: "restart", group: groupExtra, summary: "Stop and start a service, and bring back the dependents that were running",
			usage: "restart NAME [--timeout D]",
			details: "Stops the running services that depend on NAME (dependents first), stops\n" +
				"NAME, starts it, then starts again exactly the dependents that were running.\n" +
				"A stopped service is just started. --timeout bounds the whole restart.",
			examples: []string{"winsvc restart MySvc", "winsvc restart MySvc --timeout 2m --json"},
			options:  []*option{optTimeout}, minArgs: 1, maxArgs: 1, nameArg: true, build: buildRestart},
	)
}

// EnumDependOptions are the Options of EnumDepend.
type EnumDependOptions struct{ Name string }

func (o *EnumDependOptions) run(ctx context.Context, e *env) error {
	m, err := e.manager()
	if err != nil {
		return err
	}
	deps, err := m.Dependents(ctx, o.Name, winsvc.AllServices)
	if err != nil {
		return err
	}
	if e.json {
		return e.writeJSON(nonNil(deps))
	}
	e.printf("Enum: entriesRead  = %d\n", len(deps))
	for _, st := range deps {
		renderStatus(e.io.Out, st, statusLayout{displayName: true})
	}
	return nil
}

// activeDependents returns the running (or otherwise active) services that
// depend on name, directly or not, in the order they must stop: every
// service before the services it depends on.
func activeDependents(ctx context.Context, m *winsvc.Manager, name string) ([]string, error) {
	var order []string
	seen := map[string]bool{strings.ToLower(name): true}
	var visit func(n string) error
	visit = func(n string) error {
		deps, err := m.Dependents(ctx, n, winsvc.ActiveServices)
		if err != nil {
			return err
		}
		for _, d := range deps {
			if seen[strings.ToLower(d.Name)] {
				continue
			}
			seen[strings.ToLower(d.Name)] = true
			if err := visit(d.Name); err != nil {
				return err
			}
			order = append(order, d.Name)
		}
		return nil
	}
	return order, visit(name)
}

// stopAll stops the services in order, each waiting for STOPPED.
func stopAll(ctx context.Context, m *winsvc.Manager, names []string) error {
	for _, n := range names {
		svc, err := handle(m, n)
		if err != nil {
			return err
		}
		if err := svc.Stop(ctx, winsvc.Ensure()); err != nil {
			return err
		}
	}
	return nil
}

// stopWithDependents is stop --with-dependents.
func stopWithDependents(ctx context.Context, e *env, m *winsvc.Manager, o *TransitionOptions) error {
	ctx, cancel := context.WithTimeout(ctx, o.Wait.Timeout)
	defer cancel()
	deps, err := activeDependents(ctx, m, o.Name)
	if err != nil {
		return err
	}
	if err := stopAll(ctx, m, deps); err != nil {
		return err
	}
	svc, err := handle(m, o.Name)
	if err != nil {
		return err
	}
	done := e.progress(ctx, m, "stop", o.Name, !o.Wait.NoWait)
	err = svc.Stop(ctx, o.Wait.controlOptions()...)
	done()
	if err != nil {
		return err
	}
	if len(deps) > 0 && !e.json {
		fmt.Fprintf(e.io.ErrOut, "winsvc: stopped the dependents first: %s\n", strings.Join(deps, ", "))
	}
	return e.showStatus(ctx, m, o.Name, false)
}

// RestartOptions are the Options of restart.
type RestartOptions struct {
	Name    string
	Timeout time.Duration
}

func buildRestart(p *parsed) (runner, error) {
	d, err := p.duration(optTimeout, defaultTimeout)
	return &RestartOptions{Name: p.arg(0), Timeout: d}, err
}

// restartJSON is restart's JSON document.
type restartJSON struct {
	Status     winsvc.Status `json:"status"`
	Dependents []string      `json:"restartedDependents"`
}

func (o *RestartOptions) run(ctx context.Context, e *env) error {
	m, err := e.manager()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	svc, err := handle(m, o.Name)
	if err != nil {
		return err
	}
	deps, err := activeDependents(ctx, m, o.Name)
	if err != nil {
		return err
	}
	done := e.progress(ctx, m, "restart", o.Name, true)
	err = stopAll(ctx, m, append(append([]string{}, deps...), o.Name))
	if err == nil {
		err = svc.Start(ctx, winsvc.Ensure())
	}
	for i := len(deps) - 1; i >= 0 && err == nil; i-- {
		var d *winsvc.Service
		if d, err = handle(m, deps[i]); err == nil {
			err = d.Start(ctx, winsvc.Ensure())
		}
	}
	done()
	if err != nil {
		return err
	}
	st, err := m.Status(ctx, o.Name)
	if err != nil {
		return err
	}
	if e.json {
		return e.writeJSON(restartJSON{Status: st, Dependents: nonNil(deps)})
	}
	renderStatus(e.io.Out, st, statusLayout{ex: true})
	if len(deps) > 0 {
		e.printf("\nRESTARTED DEPENDENTS: %s\n", strings.Join(deps, ", "))
	}
	return nil
}
