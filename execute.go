package winsvc

import (
	"context"
	"errors"
	"fmt"
	"syscall"
)

// The executor makes a plan's SCM calls, exactly the plan's steps, each
// encoded from the step's own values through the setting table, and on a
// failure the inverse steps of those already made, newest first.

// stepRunner makes one step's SCM call; the executor's loop and rollback
// are tested with a scripted one.
type stepRunner interface {
	run(st Step) error
	deleteService() error
}

// scmRunner runs steps on an open service handle.
type scmRunner struct {
	c        scmConn
	h        serviceConn
	name     string // the service's, for the settings winsvc keeps in its registry key
	password string // for the step that changes it; never for an undo
}

func (x *scmRunner) deleteService() error { return x.h.delete() }

func (x *scmRunner) run(st Step) error {
	if st.Kind == StepConfig {
		cc, err := x.coreChange(st)
		if err != nil {
			return err
		}
		return x.h.changeConfig(cc)
	}
	if len(st.Changes) != 1 {
		return fmt.Errorf("step %s: %d changes; a ChangeServiceConfig2 step writes one setting", st.Kind, len(st.Changes))
	}
	ch := st.Changes[0]
	r, ok := settingFor(ch.Field)
	if !ok || r.level == 0 {
		return fmt.Errorf("step %s: %s is not written with ChangeServiceConfig2", st.Kind, ch.Field)
	}
	if before := beforeWrite[r.field]; before != nil {
		if err := before(x.c, ch.New); err != nil {
			return err
		}
	}
	if st, ok := storedSettings[r.field]; ok {
		return st.write(x.c, x.name, ch.New)
	}
	return x.h.changeConfig2(r.level, r.encode(ch.Old, ch.New))
}

// coreChange builds ChangeServiceConfig's arguments from a config step.
func (x *scmRunner) coreChange(st Step) (*coreChange, error) {
	cc := &coreChange{}
	if !st.undo && x.password != "" {
		cc.Password = &x.password
	}
	for _, list := range [][]Change{st.Changes, st.Resend} {
		for _, ch := range list {
			if ch.Field == FieldPassword {
				if pw, ok := ch.New.(string); ok {
					cc.Password = &pw // the empty password of a built-in account
				}
				continue // otherwise set above: the plan never holds it
			}
			r, ok := settingFor(ch.Field)
			if !ok || r.core == nil {
				return nil, fmt.Errorf("step %s: %s is not a ChangeServiceConfig parameter", st.Kind, ch.Field)
			}
			if ch.New == nil && ch.Field != FieldTagID {
				return nil, fmt.Errorf("%s must be sent again with this change, as this SCM deletes what it is not sent, but it could not be read: %w",
					ch.Field, errors.ErrUnsupported)
			}
			r.core(cc, ch.New)
		}
	}
	return cc, nil
}

// SkippedStep is a default setting that was not applied because the SCM does
// not support it.
type SkippedStep struct {
	Kind   StepKind `json:"kind"`
	Reason string   `json:"reason"`
}

// execute runs a plan's steps in order and undoes them on failure. The
// create step is CreateService's, already made by the caller; undoing it
// deletes the service, which undoes every later step with it.
// A context cancelled between two steps stops the plan there, and what was
// done is undone; the undo itself is not cancelled.
func execute(ctx context.Context, x stepRunner, p *Plan) ([]SkippedStep, error) {
	var skipped []SkippedStep
	var done []Step
	for _, st := range p.Steps {
		if st.Kind == StepCreate {
			done = append(done, st)
			continue
		}
		err := ctx.Err()
		if err == nil {
			err = x.run(st)
		}
		if err != nil && st.BestEffort && isUnsupported(err) {
			skipped = append(skipped, SkippedStep{Kind: st.Kind, Reason: named(err).Error()})
			continue
		}
		if err != nil {
			stepErr := fmt.Errorf("%s: %w", st.Kind, named(err))
			return skipped, errors.Join(stepErr, rollback(x, done))
		}
		done = append(done, st)
	}
	return skipped, nil
}

// rollback undoes applied steps in reverse order.
func rollback(x stepRunner, done []Step) error {
	if len(done) > 0 && done[0].Kind == StepCreate {
		done = done[:1]
	}
	var errs []error
	for i := len(done) - 1; i >= 0; i-- {
		st := done[i]
		if st.Kind == StepCreate {
			if err := x.deleteService(); err != nil {
				errs = append(errs, fmt.Errorf("undo create: %w", named(err)))
			}
			continue
		}
		inv, lost := st.inverse()
		if len(lost) > 0 {
			errs = append(errs, fmt.Errorf("undo %s: %v could not be read before the change, so it cannot be restored", st.Kind, lost))
		}
		if len(inv.Changes) == 0 {
			continue
		}
		if err := x.run(inv); err != nil {
			errs = append(errs, fmt.Errorf("undo %s: %w", st.Kind, named(err)))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("rollback incomplete: %w", errors.Join(errs...))
	}
	return nil
}

// named turns a bare system error code into an Errno, whose text names the
// Win32 code; other errors are returned as they are.
func named(err error) error {
	if e, ok := err.(syscall.Errno); ok {
		return Errno(e)
	}
	return err
}

// isUnsupported reports whether err means the SCM does not support a
// setting at all (ERROR_INVALID_LEVEL and its relatives).
func isUnsupported(err error) bool { return codeOf(err).unsupportedLevel() }
