package winsvc

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// Service is a service entity: a configuration held in memory, loaded from
// the SCM by Manager.Load or built by Manager.New, changed with Update or
// Apply, and persisted with Save. It holds no OS handle between calls: each
// method opens the service with the least access it needs and closes it
// before returning. A Service is not safe for concurrent mutation.
type Service struct {
	m        *Manager
	name     string
	loaded   *Config // as last read from the SCM; nil before the first Save of a new service
	cur      *Config // the configuration Save will make true
	explicit map[Field]bool
	def      *Definition // for a New entity, the definition it was built from
}

// Name returns the service's key name.
func (s *Service) Name() string { return s.name }

// Config returns a copy of the configuration as it will be after Save.
func (s *Service) Config() *Config { return s.cur.Clone() }

// Loaded returns a copy of the configuration as last read from the SCM, or
// nil if the service has not been read or saved yet.
func (s *Service) Loaded() *Config {
	if s.loaded == nil {
		return nil
	}
	return s.loaded.Clone()
}

// Update changes the in-memory configuration with fn; Save persists it. This
// is the equivalent of the seed's UpdateConfiguration:
//
//	svc.Update(func(c *winsvc.Config) { c.StartType = winsvc.AutoStart })
func (s *Service) Update(fn func(c *Config)) {
	before := s.cur.Clone()
	fn(s.cur)
	s.cur.Name = s.name
	s.markChanged(before)
}

// Apply sets every field that def sets (see Definition) on the in-memory
// configuration; Save persists it. def.Name must be empty or the service's
// name.
func (s *Service) Apply(def Definition) error {
	if def.Name == "" {
		def.Name = s.name
	}
	if def.Name != s.name {
		return invalid("name", def.Name, fmt.Sprintf("Apply to service %q cannot rename it", s.name))
	}
	if err := def.Validate(); err != nil {
		return err
	}
	before := s.cur.Clone()
	for f := range def.applyTo(s.cur) {
		s.markExplicit(f)
	}
	s.markChanged(before)
	return nil
}

func (s *Service) markExplicit(f Field) {
	if s.explicit == nil {
		s.explicit = map[Field]bool{}
	}
	s.explicit[f] = true
	delete(s.cur.Unavailable, f)
}

// markChanged records as explicit every field that differs from before.
func (s *Service) markChanged(before *Config) {
	p := ComputePlan(before, s.cur, nil, "")
	for _, f := range p.Fields() {
		s.markExplicit(f)
	}
}

// Reload discards in-memory changes and reads the configuration again.
func (s *Service) Reload(ctx context.Context) error {
	var c *Config
	err := s.m.withService("load", s.name, accessQueryConfig, func(h serviceConn) (err error) {
		c, err = h.config(true)
		return err
	})
	if err != nil {
		return err
	}
	c.Name = s.name
	s.loaded, s.cur, s.explicit, s.def = c, c.Clone(), nil, nil
	return nil
}

// SaveOptions tune SaveWith.
type SaveOptions struct {
	// Password for the account; "" leaves it unchanged (or none, for
	// built-in, virtual and managed accounts). It is never logged.
	Password string
	// Force overwrites changes other programs made since the service was
	// loaded, instead of failing with ErrConflict.
	Force bool
	// DryRun computes and returns the plan without changing anything.
	DryRun bool
	// CreateOnly makes saving a New entity fail with ErrExists (1073), as
	// sc create does, when the service is already installed, instead of
	// updating it.
	CreateOnly bool
}

// SaveResult reports what a save did.
type SaveResult struct {
	Plan    Plan
	Skipped []SkippedStep // best-effort defaults the SCM does not support
	// Unverified lists the settings Save wrote that the SCM accepted but
	// cannot report back (they read as unavailable afterwards), so whether
	// they took effect is unknown. Wine's SCM, for one, accepts failure
	// actions and stores nothing.
	Unverified []UnverifiedSetting
}

// UnverifiedSetting is a setting that was written but cannot be read back.
type UnverifiedSetting struct {
	Field  Field  `json:"field"`
	Reason string `json:"reason"` // why it cannot be read
}

// SkippedStep is a default setting that was not applied because the SCM does
// not support it.
type SkippedStep struct {
	Kind   StepKind `json:"kind"`
	Reason string   `json:"reason"`
}

// Save persists the entity: it creates the service when it does not exist,
// and otherwise applies only the settings that changed. password is the
// account's password ("" for none or unchanged). See SaveWith.
func (s *Service) Save(ctx context.Context, password string) error {
	_, err := s.SaveWith(ctx, SaveOptions{Password: password})
	return err
}

// Plan returns the SCM calls Save would make, without making them.
func (s *Service) Plan(ctx context.Context) (Plan, error) {
	r, err := s.SaveWith(ctx, SaveOptions{DryRun: true})
	if r == nil {
		return Plan{}, err
	}
	return r.Plan, err
}

// SaveWith persists the entity. It validates first and changes nothing when
// validation fails. It then computes a plan (ComputePlan) and applies it
// step by step; if a step fails, the steps already applied are undone, and
// a service it created is deleted. If the service changed in the SCM since
// it was loaded, it fails with ErrConflict unless opts.Force is set.
func (s *Service) SaveWith(ctx context.Context, opts SaveOptions) (*SaveResult, error) {
	// Values are checked before any SCM call: those Save would change, or
	// for a New entity those it sets. A New entity's completeness and
	// combinations depend on whether the service exists, which prepare
	// finds out (a read); they are checked after it, before any change.
	var plan Plan
	early := func(f Field) bool { return s.explicit[f] }
	resolved := s.loaded != nil
	if resolved {
		plan = ComputePlan(s.loaded, s.cur, s.explicit, opts.Password)
		early = s.changedFields(&plan)
	}
	if err := s.cur.runChecks(early, valueChecks); err != nil {
		return nil, &Error{Op: "save", Service: s.name, Err: err}
	}
	if err := s.prepare(ctx, opts); err != nil {
		return nil, err
	}
	if !resolved { // prepare made it a create or an update
		plan = ComputePlan(s.loaded, s.cur, s.explicit, opts.Password)
	}
	if err := s.cur.validate(s.changedFields(&plan)); err != nil {
		return nil, &Error{Op: "save", Service: s.name, Err: err}
	}
	creating := s.loaded == nil
	if err := s.checkPassword(creating, opts.Password); err != nil {
		return nil, &Error{Op: "save", Service: s.name, Err: err}
	}
	if !creating && s.loaded.ServiceType.IsDriver() != s.cur.ServiceType.IsDriver() {
		return nil, &Error{Op: "save", Service: s.name, Err: invalid(string(FieldServiceType), s.cur.ServiceType,
			fmt.Sprintf("a %s service cannot become a %s; delete it and create it again", s.loaded.ServiceType, s.cur.ServiceType))}
	}
	if creating || s.loaded.DisplayName != s.cur.DisplayName {
		if err := s.checkDisplayNameFree(ctx); err != nil {
			return nil, err
		}
	}
	res := &SaveResult{Plan: plan}
	if opts.DryRun || plan.Empty() {
		return res, nil
	}
	access := uint32(accessChangeConfig)
	if s.cur.FailureActions.hasRestart() {
		access |= accessStart // SC_ACTION_RESTART needs SERVICE_START on the handle
	}
	err := s.m.use("save", s.name, func(c scmConn) error {
		var h serviceConn
		var err error
		needs := "SC_MANAGER_CREATE_SERVICE on the service control manager"
		if creating {
			h, err = c.createService(s.cur, opts.Password, access|accessDelete)
		} else {
			h, err = c.openService(s.name, access)
			needs = ServiceRights(access).String()
		}
		if err != nil {
			return withNeeds("save", s.name, err, needs)
		}
		defer h.close()
		res.Skipped, err = execute(h, &plan, opts.Password)
		return err
	})
	if err != nil {
		return res, err
	}
	// Read back what the SCM now holds; settings it cannot report show as
	// unavailable rather than as what was asked for.
	if err := s.Reload(ctx); err != nil {
		return res, err
	}
	for _, f := range plan.Fields() {
		if why, missing := s.cur.Unavailable[f]; missing {
			res.Unverified = append(res.Unverified, UnverifiedSetting{Field: f, Reason: why})
		}
	}
	return res, nil
}

// checkDisplayNameFree fails with ErrDuplicateDisplayName (1078) when the
// display name is another service's key name or display name, as Windows'
// SCM does (some SCMs, Wine's among them, do not check). A lookup that
// fails for another reason leaves the check to the SCM.
func (s *Service) checkDisplayNameFree(ctx context.Context) error {
	dn := s.cur.DisplayName
	if dn == "" || strings.EqualFold(dn, s.name) {
		return nil
	}
	owner := ""
	if ok, err := s.m.Exists(ctx, dn); err == nil && ok {
		owner = dn
	} else if key, err := s.m.KeyName(ctx, dn); err == nil && !strings.EqualFold(key, s.name) {
		owner = key
	}
	if owner == "" {
		return nil
	}
	return &Error{Op: "save", Service: s.name, Code: ErrDuplicateDisplayName,
		Err: fmt.Errorf("%w: display name %q is already the name or display name of service %q", ErrDuplicateDisplayName, dn, owner)}
}

// changedFields says which fields Save, following plan, would change or
// must set: every field for a create (nil), otherwise the fields the plan
// changes and those set explicitly.
func (s *Service) changedFields(plan *Plan) func(Field) bool {
	if plan.Create {
		return nil
	}
	changed := map[Field]bool{}
	for _, f := range plan.Fields() {
		changed[f] = true
	}
	for f := range s.explicit {
		changed[f] = true
	}
	return func(f Field) bool { return changed[f] }
}

// prepare resolves a New entity against the SCM (create or update) and
// checks for conflicting changes made since the entity was loaded.
func (s *Service) prepare(ctx context.Context, opts SaveOptions) error {
	if s.loaded == nil {
		if s.def == nil {
			return nil
		}
		fresh, err := s.m.Load(ctx, s.name)
		switch {
		case errors.Is(err, ErrNotFound):
			return nil // create
		case err != nil:
			return err
		case opts.CreateOnly:
			return &Error{Op: "create", Service: s.name, Code: ErrExists, Err: ErrExists}
		}
		// The service exists: bring it to the entity, touching only what
		// the definition and later Update or Apply calls set.
		for f := range s.explicit {
			fresh.cur.copyField(s.cur, f)
		}
		s.loaded, s.cur = fresh.loaded, fresh.cur
		return nil
	}
	if opts.Force || opts.DryRun {
		return nil
	}
	fresh, err := s.m.Load(ctx, s.name)
	if err != nil {
		return err
	}
	if diff := ComputePlan(s.loaded, fresh.loaded, nil, ""); !diff.Empty() {
		return &Error{Op: "save", Service: s.name, Err: fmt.Errorf("%w: %v changed; reload, or save with Force", ErrConflict, diff.Fields())}
	}
	return nil
}

// checkPassword applies the password rules: none for built-in, virtual and
// managed accounts; required when a new service, or a service moving to a
// user account, runs as a user.
func (s *Service) checkPassword(creating bool, password string) error {
	if s.cur.ServiceType.IsDriver() {
		return nil
	}
	if err := validatePassword(s.cur.ServiceStartName, password); err != nil {
		return err
	}
	// As in the plan, account names compare case-insensitively.
	accountChanged := creating || !strings.EqualFold(s.loaded.ServiceStartName, s.cur.ServiceStartName)
	if password == "" && accountChanged && ClassifyAccount(s.cur.ServiceStartName) == AccountUser {
		return invalid(string(FieldPassword), "", fmt.Sprintf("a password is required to run as user %q", s.cur.ServiceStartName))
	}
	return nil
}

// execute applies a plan's steps in order and undoes them on failure.
func execute(h serviceConn, p *Plan, password string) ([]SkippedStep, error) {
	var skipped []SkippedStep
	var done []Step
	for _, st := range p.Steps {
		if st.Kind == StepCreate {
			done = append(done, st)
			continue
		}
		err := h.apply(st, p.from, p.to, password)
		if err != nil && st.BestEffort && isUnsupported(err) {
			skipped = append(skipped, SkippedStep{Kind: st.Kind, Reason: named(err).Error()})
			continue
		}
		if err != nil {
			stepErr := fmt.Errorf("%s: %w", st.Kind, named(err))
			return skipped, errors.Join(stepErr, rollback(h, p, done))
		}
		done = append(done, st)
	}
	return skipped, nil
}

// named turns a bare system error code into an Errno, whose text names the
// Win32 code; other errors are returned as they are.
func named(err error) error {
	if e, ok := err.(syscall.Errno); ok {
		return Errno(e)
	}
	return err
}

// rollback undoes applied steps in reverse order. Undoing a create deletes
// the service, which undoes every later step with it.
func rollback(h serviceConn, p *Plan, done []Step) error {
	if len(done) > 0 && done[0].Kind == StepCreate {
		done = done[:1]
	}
	var errs []error
	for i := len(done) - 1; i >= 0; i-- {
		st := done[i]
		var err error
		if st.Kind == StepCreate {
			err = h.delete()
		} else {
			err = h.apply(st, p.to, p.from, "")
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("undo %s: %w", st.Kind, named(err)))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("rollback incomplete: %w", errors.Join(errs...))
	}
	return nil
}

// isUnsupported reports whether err means the SCM does not support a
// setting at all (ERROR_INVALID_LEVEL and its relatives).
func isUnsupported(err error) bool { return codeOf(err).unsupportedLevel() }
