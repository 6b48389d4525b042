package winsvc

import (
	"context"
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
	// Force saves over others' changes, since the load, to the settings
	// this entity changes (instead of ErrConflict): its changes win.
	// Others' changes to other settings are no conflict, and stay.
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
	// RestartNeeded lists the settings Save wrote that the service reads
	// when it starts (its program, account and password, type, SID type,
	// privileges, launch protection, preferred node, managed account),
	// when the service is running, paused or starting: they take effect at
	// its next start. Empty when the service is stopped.
	RestartNeeded []Field
	// Unchecked lists the files a changed setting names that Save could
	// not check before writing it: a hosted program's files (Config.Program)
	// are checked on the local machine only (the program exists, the
	// working directory exists, the output and event log files can be
	// written), and not on a remote machine or with an SCM that reads no
	// files. On the local machine a file that fails the check is refused
	// (a *ValidationError naming the field) and nothing is changed.
	Unchecked []UncheckedFile
}

// RestartNote says which settings take effect at the service's next start:
// "binaryPathName takes effect at the next start of MySvc"; "" when none.
func (r *SaveResult) RestartNote() string {
	if len(r.RestartNeeded) == 0 {
		return ""
	}
	verb := "take"
	if len(r.RestartNeeded) == 1 {
		verb = "takes"
	}
	return fmt.Sprintf("%s %s effect at the next start of %s", strings.Join(names(r.RestartNeeded...), ", "), verb, r.Plan.Service)
}

// UnverifiedSetting is a setting that was written but cannot be read back.
type UnverifiedSetting struct {
	Field  Field  `json:"field"`
	Reason string `json:"reason"` // why it cannot be read
}

// Save persists the entity: it creates the service when it does not exist,
// and otherwise writes only the settings that changed. It validates first
// and changes nothing when validation fails. It opens the service once,
// with the rights to read and to write it, reads what the change concerns
// (for a loaded entity: the settings it sets to another value than the
// load read, and those the rules that check them combine them with; for
// a New one, every setting), which is what the plan starts from and the
// check for changes others made since the load, computes a plan once
// (ComputePlan) and executes exactly its steps; if a
// step fails, the steps already made are undone, and a service it created
// is deleted. It then reads back, through the same handle, the settings
// whose write the SCM's success does not prove (an assigned tag; every
// setting it could not read before the write, and all of a service it
// created), and lists the changes that take effect at the service's next
// start, when it runs. With DryRun it returns the plan and changes
// nothing, neither the service nor the entity. If a setting it changes
// changed in the SCM since the load, Save fails with ErrConflict unless
// opts.Force is set; others' changes to other settings stay. A setting
// set to the value the load read is not written. Afterwards the entity
// holds what Save read and wrote, and the load's values of the settings
// it did not read. Every error it returns is an *Error for the operation
// "save".
func (s *Service) Save(ctx context.Context, opts SaveOptions) (*SaveResult, error) {
	sv := &saving{s: s, opts: opts, explicit: maps.Clone(s.explicit)}
	if s.loaded != nil {
		sv.explicit = changedSinceLoad(s.loaded, s.cur, s.explicit)
	}
	res, err := sv.run(ctx)
	if err != nil {
		return res, wrapErr("save", s.name, err)
	}
	if !opts.DryRun {
		s.loaded, s.cur, s.explicit = sv.base, sv.base.Clone(), nil
	}
	return res, nil
}

// saving is one save under way: what it starts from and aims for, its
// plan, and the service handles it works through.
type saving struct {
	s        *Service
	opts     SaveOptions
	explicit map[Field]bool // the fields this entity sets (Update, Apply, its Definition)
	base     *Config        // what the SCM holds, the plan's start; nil to create
	target   *Config
	plan     Plan
	// reader (SERVICE_QUERY_CONFIG) and writer (writeAccess) are one handle
	// when the caller may do both, which is the rule.
	reader, writer serviceConn
}

// run makes the save: read, plan, write, read back.
func (sv *saving) run(ctx context.Context) (*SaveResult, error) {
	s := sv.s
	// Values are checked before any SCM call: for a New entity those it
	// sets; for a loaded one those it sets to another value than the load
	// read (no plan yet: an empty one).
	early := sv.isExplicit
	if s.loaded != nil {
		early = checkedFields(Plan{}, sv.explicit, s.loaded, s.cur)
	}
	if err := s.cur.runChecks(early, valueChecks); err != nil {
		return nil, err
	}
	if sv.opts.DryRun && s.loaded != nil {
		// A loaded entity's dry run reads nothing: it plans from the load.
		return sv.resolve(ctx, s.loaded, s.m.quirks())
	}
	var res *SaveResult
	err := s.m.use(ctx, "save", s.name, func(c scmConn) error {
		defer sv.close()
		base, err := sv.read(ctx, c)
		if err != nil {
			return err
		}
		if res, err = sv.resolve(ctx, base, c.quirks()); err != nil || sv.opts.DryRun || sv.plan.Empty() {
			return err
		}
		if res.Skipped, err = sv.write(ctx, c); err != nil {
			return err
		}
		if err := sv.readBack(ctx, c, res); err != nil {
			return fmt.Errorf("reading back what was saved: %w", err)
		}
		return nil
	})
	return res, err
}

func (sv *saving) isExplicit(f Field) bool { return sv.explicit[f] }

// read opens the service and reads what the plan starts from: for a New
// entity every setting, for a loaded one what the save concerns (reads),
// over the load's values of the others; nil (and no handle) when a New
// entity's service is not installed, or when it is to be created whatever
// is installed (CreateOnly: CreateService answers 1073 for an installed
// service, 1072 for one marked for deletion). A loaded entity fails with
// ErrConflict when a setting it writes changed since the load, unless
// Force is set.
func (sv *saving) read(ctx context.Context, c scmConn) (*Config, error) {
	s := sv.s
	if s.loaded == nil && sv.opts.CreateOnly {
		return nil, nil
	}
	err := sv.open(c)
	if codeOf(err) == ErrNotFound && s.loaded == nil {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if s.loaded == nil {
		return readAll(ctx, c, sv.reader, s.name)
	}
	base := s.loaded.Clone()
	core, rows := sv.reads()
	if err := reread(ctx, c, sv.reader, base, core, rows); err != nil {
		return nil, err
	}
	if !sv.opts.Force {
		if changed := diffFields(s.loaded, base, sv.isExplicit); len(changed) > 0 {
			return nil, fmt.Errorf("%w: %v changed; reload, or save with Force", ErrConflict, changed)
		}
	}
	return base, nil
}

// changedSinceLoad narrows explicit to the fields a loaded entity sets to
// another value than its load read, or whose value the load could not read
// (a tag: when one is asked for and the service had none): what the plan
// from the load writes, and so all that a Save of the entity concerns. A
// field set to the value the load read is left as the SCM holds it.
func changedSinceLoad(loaded, cur *Config, explicit map[Field]bool) map[Field]bool {
	out := map[Field]bool{}
	for f := range explicit {
		if r, ok := settingFor(f); !ok {
			out[f] = true
		} else if _, ok := changeOf(r, loaded, cur, explicit); ok {
			out[f] = true
		}
	}
	return out
}

// reads says what a loaded entity's Save reads through its handle: the
// settings it writes, those the rules that check them combine them with
// (combinationChecks), and the account when a password is given (it goes
// with the account). The row's level says which call reads a setting:
// the one QueryServiceConfig of every core setting (level 0; core), or its
// own read (rows: a QueryServiceConfig2 level, or the registry for a
// setting winsvc keeps there). A setting the load could not read because
// the SCM lacks its level is not asked for again: it stays unavailable.
func (sv *saving) reads() (core bool, rows []*setting) {
	need := maps.Clone(sv.explicit)
	for _, fc := range combinationChecks {
		if slices.ContainsFunc(fc.fields, sv.isExplicit) {
			for _, f := range fc.fields {
				need[f] = true
			}
		}
	}
	if sv.opts.Password != "" {
		need[FieldServiceStartName] = true
	}
	for _, r := range settings {
		core = core || (need[r.field] && r.level == 0)
	}
	for _, r := range config2Settings {
		if need[r.field] && !isUnsupported(sv.s.loaded.Unavailable[r.field]) {
			rows = append(rows, r)
		}
	}
	return core, rows
}

// open opens the service with the rights to read it and, unless this is a
// dry run, to write it. A caller who may read but not write gets a handle
// to read, and the write opens its own (refused then, naming the rights,
// if there is anything to write).
func (sv *saving) open(c scmConn) error {
	mask := accessQueryConfig
	if !sv.opts.DryRun {
		mask |= sv.writeAccess()
	}
	h, err := c.openService(sv.s.name, mask)
	if codeOf(err) == ErrAccessDenied && mask != accessQueryConfig {
		h, err = c.openService(sv.s.name, accessQueryConfig)
		mask = accessQueryConfig
	}
	if err != nil {
		return withNeeds("save", sv.s.name, err, access.Rights(mask).String())
	}
	sv.reader = h
	if mask != accessQueryConfig {
		sv.writer = h
	}
	return nil
}

// writeAccess is what the writes need: SERVICE_CHANGE_CONFIG; with a
// failure action that restarts the service, SERVICE_START
// (SC_ACTION_RESTART needs it on the handle); to tell whether a change
// takes effect only at the next start, SERVICE_QUERY_STATUS.
func (sv *saving) writeAccess() uint32 {
	mask := accessChangeConfig
	if sv.explicit[FieldFailureActions] && sv.s.cur.FailureActions.hasRestart() {
		mask |= accessStart
	}
	if sv.opts.Password != "" || slices.ContainsFunc(settings, func(r setting) bool { return r.restart && sv.explicit[r.field] }) {
		mask |= accessQueryStatus
	}
	return mask
}

func (sv *saving) close() {
	if sv.writer != nil && sv.writer != sv.reader {
		sv.writer.close()
	}
	if sv.reader != nil {
		sv.reader.close()
	}
}

// resolve computes the target and the plan from base (nil to create) and
// checks them. It changes nothing, in the SCM or in the entity.
func (sv *saving) resolve(ctx context.Context, base *Config, q quirks) (*SaveResult, error) {
	s := sv.s
	sv.base, sv.target = base, s.cur.Clone()
	if base != nil {
		// This entity's changes, applied to what the SCM holds: with Force,
		// others' changes to other settings stay, and a New entity over an
		// installed service touches only what it sets.
		sv.target = base.Clone()
		for f := range sv.explicit {
			sv.target.copyField(s.cur, f)
		}
	}
	sv.plan = computePlan(base, sv.target, sv.explicit, sv.opts.Password, q)
	if err := sv.check(ctx); err != nil {
		return nil, err
	}
	unchecked, err := sv.checkFiles(ctx)
	if err != nil {
		return nil, err
	}
	return &SaveResult{Plan: sv.plan, Unchecked: unchecked}, nil
}

// checkFiles checks the files of the hosted program, when the save sets
// it (programfiles.go), on the SCM's machine.
func (sv *saving) checkFiles(ctx context.Context) ([]UncheckedFile, error) {
	checked := checkedFields(sv.plan, sv.explicit, sv.base, sv.target)
	if sv.target.Program == nil || (checked != nil && !checked(FieldProgram)) {
		return nil, nil
	}
	return checkProgramFiles(sv.s.m.files(), sv.target.Program)
}

// check validates the target where the plan changes it, and applies the
// rules that need the SCM: a display name that is free, dependencies
// without a cycle.
func (sv *saving) check(ctx context.Context) error {
	base, target, m := sv.base, sv.target, sv.s.m
	if err := target.validate(checkedFields(sv.plan, sv.explicit, base, target)); err != nil {
		return err
	}
	if err := checkPassword(base, target, sv.opts.Password); err != nil {
		return err
	}
	creating := base == nil
	if !creating && base.ServiceType.IsDriver() != target.ServiceType.IsDriver() {
		return invalid(string(FieldServiceType), target.ServiceType,
			fmt.Sprintf("a %s service cannot become a %s; delete it and create it again", base.ServiceType, target.ServiceType))
	}
	if creating || base.DisplayName != target.DisplayName {
		if err := m.checkDisplayNameFree(ctx, sv.s.name, target.DisplayName); err != nil {
			return err
		}
	}
	if creating || !slices.Equal(base.Dependencies, target.Dependencies) {
		if err := m.checkNoCycle(ctx, sv.s.name, target.Dependencies); err != nil {
			return err
		}
	}
	return nil
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

// diffFields lists the settings of which (nil: every setting) readable in
// both a and b whose values differ (the tag, assigned by the SCM, aside).
func diffFields(a, b *Config, which func(Field) bool) []Field {
	var out []Field
	for _, r := range settings {
		if which != nil && !which(r.field) {
			continue
		}
		if a.Available(r.field) && b.Available(r.field) && !r.equal(r.get(a), r.get(b)) && planRules[r.field] == nil {
			out = append(out, r.field)
		}
	}
	return out
}

// write creates the service, or opens it for writing when the handle read
// cannot write, and runs the plan.
func (sv *saving) write(ctx context.Context, c scmConn) ([]SkippedStep, error) {
	name := sv.s.name
	var err error
	switch {
	case sv.plan.Create:
		// The handle reads back what was created, and deletes the service
		// if a step fails.
		mask := accessChangeConfig | accessDelete | accessQueryConfig
		if sv.writeAccess()&accessStart != 0 {
			mask |= accessStart
		}
		var h serviceConn
		h, err = c.createService(sv.target, sv.opts.Password, mask)
		err = withNeeds("save", name, err, "SC_MANAGER_CREATE_SERVICE on the service control manager")
		sv.reader, sv.writer = h, h
	case sv.writer == nil:
		mask := sv.writeAccess()
		sv.writer, err = c.openService(name, mask)
		err = withNeeds("save", name, err, access.Rights(mask).String())
	}
	if err != nil {
		return nil, err
	}
	return execute(ctx, &scmRunner{c: c, h: sv.writer, name: sv.s.name, password: sv.opts.Password}, &sv.plan)
}

// readBack makes sv.base what the SCM now holds, reading again what the
// write does not prove: the settings whose row says readBack, those that
// could not be read before the write (an SCM that cannot report them
// accepts them and may store nothing), and, for a service just created,
// everything. A written setting the SCM cannot report is listed in
// res.Unverified; one it takes at the service's next start, in
// res.RestartNeeded when the service runs.
func (sv *saving) readBack(ctx context.Context, c scmConn, res *SaveResult) error {
	written := map[Field]bool{}
	for _, step := range sv.plan.Steps {
		if !slices.ContainsFunc(res.Skipped, func(sk SkippedStep) bool { return sk.Kind == step.Kind }) {
			for _, ch := range step.Changes {
				written[ch.Field] = true
			}
		}
	}
	var now *Config
	var err error
	if sv.plan.Create {
		now, err = readAll(ctx, c, sv.reader, sv.s.name)
	} else {
		now = sv.base.Clone()
		core, rows := false, []*setting{}
		for _, r := range config2Settings {
			if written[r.field] && (r.readBack || !sv.base.Available(r.field)) {
				rows = append(rows, r)
			}
		}
		for i := range settings {
			r := &settings[i]
			switch {
			case !written[r.field]:
			case r.readBack || !sv.base.Available(r.field):
				core = core || r.level == 0
			default:
				now.copyField(sv.target, r.field) // the SCM's success is proof
			}
		}
		err = reread(ctx, c, sv.reader, now, core, rows)
	}
	if err != nil {
		return err
	}
	for _, f := range sv.plan.Fields() {
		if err, missing := now.Unavailable[f]; missing && written[f] {
			res.Unverified = append(res.Unverified, UnverifiedSetting{Field: f, Reason: err.Error()})
		}
	}
	sv.base = now
	if sv.plan.Create {
		return nil // a new service is not running
	}
	return sv.restartNeeded(res, written)
}

// restartNeeded lists in res the written settings that the service reads
// when it starts, if it is running (or paused, or starting) now.
func (sv *saving) restartNeeded(res *SaveResult, written map[Field]bool) error {
	var fields []Field
	for _, f := range sv.plan.Fields() {
		if written[f] && readAtStart(f) {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	st, err := sv.writer.status()
	if err != nil {
		return fmt.Errorf("reading the status, to tell whether the change needs a restart: %w", err)
	}
	if st.State != Stopped && st.State != StopPending {
		res.RestartNeeded = fields
	}
	return nil
}

// readAtStart reports whether the service reads setting f when it starts
// (the table's restart column; the password goes with the account, with
// which the service logs on).
func readAtStart(f Field) bool {
	if f == FieldPassword {
		f = FieldServiceStartName
	}
	r, ok := settingFor(f)
	return ok && r.restart
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
