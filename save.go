package winsvc

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/winsvc/winsvc/access"
	"github.com/winsvc/winsvc/internal/valerr"
)

// SaveOptions tune Save.
type SaveOptions struct {
	Password string // the account's password; "" for none or unchanged; never logged
	// Force saves over changes others made since the load (instead of
	// ErrConflict): this entity's changes win, others' other changes stay.
	Force bool
	// DryRun returns the plan and changes nothing (a loaded entity reads
	// nothing; a New one reads whether the service exists).
	DryRun     bool
	CreateOnly bool // a New entity fails with ErrExists (1073), as sc create does, instead of updating

}

// SaveResult reports what a save did.
type SaveResult struct {
	// Plan is what Save executed (or, for a dry run, would execute).
	Plan    Plan
	Skipped []SkippedStep // best-effort defaults the SCM does not support
	// Unverified lists the settings Save wrote that the SCM accepted but
	// cannot report back (they read as unavailable afterwards), so whether
	// they took effect is unknown. Wine's SCM, for one, accepts failure
	// actions and stores nothing. A skipped step is not listed here.
	Unverified []UnverifiedSetting
}

// UnverifiedSetting is a setting that was written but cannot be read back.
type UnverifiedSetting struct {
	Field  Field  `json:"field"`
	Reason string `json:"reason"` // why it cannot be read
}

// Save persists the entity: it creates the service when it does not exist,
// and otherwise writes only the settings that changed. It validates first
// and changes nothing when validation fails. It reads the service once,
// computes a plan once (ComputePlan) and executes exactly its steps; if a
// step fails, the steps already made are undone, and a service it created
// is deleted. It then reads back the settings it wrote. With DryRun it
// returns the plan and changes nothing, neither the service nor the
// entity. If the service changed in the SCM since it was loaded, Save fails
// with ErrConflict unless opts.Force is set. Every error it returns is an
// *Error for the operation "save".
func (s *Service) Save(ctx context.Context, opts SaveOptions) (*SaveResult, error) {
	st, err := s.resolve(ctx, opts)
	if err != nil {
		return nil, wrapErr("save", s.name, err)
	}
	res := &SaveResult{Plan: st.plan}
	if opts.DryRun {
		return res, nil
	}
	if !st.plan.Empty() {
		if res.Skipped, err = s.execute(ctx, st, opts); err != nil {
			return res, wrapErr("save", s.name, err)
		}
		if err := s.readBack(ctx, st, res); err != nil {
			return res, wrapErr("save", s.name, err)
		}
	}
	s.loaded, s.cur, s.explicit, s.def = st.base, st.base.Clone(), nil, nil
	return res, nil
}

// saveState is what a save starts from and aims for.
type saveState struct {
	base     *Config // the SCM's configuration the plan starts from; nil to create
	target   *Config
	explicit map[Field]bool
	plan     Plan
}

// resolve reads the service (for a New entity: whether it exists; for a
// loaded one being saved: whether it changed since), validates, and
// computes the plan. It changes nothing, in the SCM or in s.
func (s *Service) resolve(ctx context.Context, opts SaveOptions) (*saveState, error) {
	st := &saveState{base: s.loaded, target: s.cur.Clone(), explicit: maps.Clone(s.explicit)}
	// Values are checked before any SCM call: those Save would change, or
	// for a New entity those it sets.
	early := func(f Field) bool { return st.explicit[f] }
	if s.loaded != nil {
		early = checkedFields(computePlan(s.loaded, st.target, st.explicit, "", quirks{}), st.explicit, s.loaded, st.target)
	}
	if err := st.target.runChecks(early, valueChecks); err != nil {
		return nil, err
	}
	q := s.m.quirks()
	switch {
	case s.loaded == nil && opts.CreateOnly:
		// A create, whatever is installed: CreateService answers 1073 for
		// an installed service and 1072 for one marked for deletion.
	case s.loaded == nil: // New: create or update?
		fresh, err := s.m.readConfig(ctx, "save", s.name, true)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return nil, err
		default:
			// The service exists: bring it to the entity, touching only
			// what the definition and later Update or Apply calls set.
			st.base, st.target = fresh, fresh.Clone()
			for f := range st.explicit {
				st.target.copyField(s.cur, f)
			}
		}
	case s.loaded != nil && !opts.DryRun:
		fresh, err := s.m.readConfig(ctx, "save", s.name, true)
		if err != nil {
			return nil, err
		}
		if changed := diffFields(s.loaded, fresh); len(changed) > 0 && !opts.Force {
			return nil, fmt.Errorf("%w: %v changed; reload, or save with Force", ErrConflict, changed)
		}
		// Apply this entity's changes to what the SCM holds now: with
		// Force, changes others made to other settings are kept.
		mine := changedFields(computePlan(s.loaded, s.cur, st.explicit, "", quirks{}), st.explicit)
		st.base, st.target = fresh, fresh.Clone()
		for _, r := range settings {
			if mine(r.field) {
				st.target.copyField(s.cur, r.field)
			}
		}
	}
	st.plan = computePlan(st.base, st.target, st.explicit, opts.Password, q)
	if err := st.target.validate(checkedFields(st.plan, st.explicit, st.base, st.target)); err != nil {
		return nil, err
	}
	creating := st.base == nil
	if err := checkPassword(st.base, st.target, opts.Password); err != nil {
		return nil, err
	}
	if !creating && st.base.ServiceType.IsDriver() != st.target.ServiceType.IsDriver() {
		return nil, invalid(string(FieldServiceType), st.target.ServiceType,
			fmt.Sprintf("a %s service cannot become a %s; delete it and create it again", st.base.ServiceType, st.target.ServiceType))
	}
	if creating || st.base.DisplayName != st.target.DisplayName {
		if err := s.m.checkDisplayNameFree(ctx, s.name, st.target.DisplayName); err != nil {
			return nil, err
		}
	}
	if creating || !slices.Equal(st.base.Dependencies, st.target.Dependencies) {
		if err := s.m.checkNoCycle(ctx, s.name, st.target.Dependencies); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// changedFields says which fields a save following plan changes or must
// set: every field for a create (nil), otherwise the fields the plan
// changes and those set explicitly.
func changedFields(plan Plan, explicit map[Field]bool) func(Field) bool {
	if plan.Create {
		return nil
	}
	changed := maps.Clone(explicit)
	if changed == nil {
		changed = map[Field]bool{}
	}
	for _, f := range plan.Fields() {
		changed[f] = true
	}
	return func(f Field) bool { return changed[f] }
}

// checkedFields says which fields validation checks for a save following
// plan from base to target: every field for a create (nil); otherwise the
// fields the plan changes, and those set explicitly unless base holds the
// same value. A value the SCM holds (an unquoted program path another tool
// stored, a definition exported from the service) never blocks a save
// that does not change it.
func checkedFields(plan Plan, explicit map[Field]bool, base, target *Config) func(Field) bool {
	if plan.Create || base == nil {
		return nil
	}
	changed := map[Field]bool{}
	for f := range explicit {
		if r, ok := settingFor(f); !ok || !base.Available(f) || !r.equal(r.get(base), r.get(target)) {
			changed[f] = true
		}
	}
	for _, f := range plan.Fields() {
		changed[f] = true
	}
	return func(f Field) bool { return changed[f] }
}

// diffFields lists the settings readable in both a and b whose values
// differ.
func diffFields(a, b *Config) []Field {
	var out []Field
	for _, r := range settings {
		if a.Available(r.field) && b.Available(r.field) && !r.equal(r.get(a), r.get(b)) && r.diff == nil {
			out = append(out, r.field)
		}
	}
	return out
}

// execute opens the service (or creates it) with the access the plan needs
// and runs the plan.
func (s *Service) execute(ctx context.Context, st *saveState, opts SaveOptions) ([]SkippedStep, error) {
	mask := accessChangeConfig
	if st.target.FailureActions.hasRestart() {
		mask |= accessStart // SC_ACTION_RESTART needs SERVICE_START on the handle
	}
	var skipped []SkippedStep
	err := s.m.use(ctx, "save", s.name, func(c scmConn) error {
		var h serviceConn
		var err error
		if st.plan.Create {
			h, err = c.createService(st.target, opts.Password, mask|accessDelete)
			err = withNeeds("save", s.name, err, "SC_MANAGER_CREATE_SERVICE on the service control manager")
		} else {
			h, err = c.openService(s.name, mask)
			err = withNeeds("save", s.name, err, access.Rights(mask).String())
		}
		if err != nil {
			return err
		}
		defer h.close()
		skipped, err = execute(ctx, &scmRunner{c: c, h: h, password: opts.Password}, &st.plan)
		return err
	})
	return skipped, err
}

// readBack reads what the SCM now holds for the settings the plan wrote
// (everything, for a create) into st.base, so that settings the SCM cannot
// report show as unavailable rather than as what was asked for, and lists
// those in res.Unverified.
func (s *Service) readBack(ctx context.Context, st *saveState, res *SaveResult) error {
	written := map[Field]bool{}
	core := st.plan.Create
	for _, step := range st.plan.Steps {
		if step.Kind == StepConfig {
			core = true
		}
		if !slices.ContainsFunc(res.Skipped, func(sk SkippedStep) bool { return sk.Kind == step.Kind }) {
			for _, c := range step.Changes {
				written[c.Field] = true
			}
		}
	}
	var now *Config
	var err error
	if st.plan.Create {
		now, err = s.m.readConfig(ctx, "save", s.name, true)
	} else {
		now, err = s.m.readSettings(ctx, s.name, st.base, core, func(r *setting) bool { return written[r.field] })
	}
	if err != nil {
		return fmt.Errorf("reading back what was saved: %w", err)
	}
	for _, f := range st.plan.Fields() {
		if err, missing := now.Unavailable[f]; missing && written[f] {
			res.Unverified = append(res.Unverified, UnverifiedSetting{Field: f, Reason: err.Error()})
		}
	}
	st.base = now
	return nil
}

// checkDisplayNameFree fails with ErrDuplicateDisplayName (1078) when the
// display name is another service's key name or display name, as Windows'
// SCM does (some SCMs, Wine's among them, do not check). A lookup that
// fails for another reason leaves the check to the SCM.
func (m *Manager) checkDisplayNameFree(ctx context.Context, name, display string) error {
	if display == "" || strings.EqualFold(display, name) {
		return nil
	}
	owner := ""
	if ok, err := m.exists(ctx, display); err == nil && ok {
		owner = display
	} else if key, err := m.KeyName(ctx, display); err == nil && !strings.EqualFold(key, name) {
		owner = key
	}
	if owner == "" {
		return nil
	}
	return &Error{Op: "save", Service: name, Code: ErrDuplicateDisplayName,
		Err: fmt.Errorf("%w: display name %s is already the name or display name of service %s", ErrDuplicateDisplayName, valerr.Quote(display), valerr.Quote(owner))}
}

// checkPassword applies the password rules: none for built-in, virtual and
// managed accounts; required when a new service, or a service moving to a
// user account, runs as a user. base is nil for a create.
func checkPassword(base, target *Config, password string) error {
	if target.ServiceType.IsDriver() {
		return nil
	}
	if err := validatePassword(target.ServiceStartName, password); err != nil {
		return err
	}
	// As in the plan, account names compare case-insensitively.
	accountChanged := base == nil || !strings.EqualFold(base.ServiceStartName, target.ServiceStartName)
	if password == "" && accountChanged && classifyAccount(target.ServiceStartName) == accountUser {
		return invalid(string(FieldPassword), "", fmt.Sprintf("a password is required to run as user %s", valerr.Quote(target.ServiceStartName)))
	}
	return nil
}
