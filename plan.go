package winsvc

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"time"
)

// StepKind is the SCM call a Step makes: StepCreate (CreateService),
// StepConfig (ChangeServiceConfig), or, for a setting written with
// ChangeServiceConfig2, the name of that setting (its Field).
type StepKind string

// The step kinds that are not a setting's name.
const (
	StepCreate StepKind = "create" // CreateService
	StepConfig StepKind = "config" // ChangeServiceConfig
)

// Change is one setting's change in a step: its value before (Old; nil when
// it could not be read) and after (New), typed as the setting's Config
// field, and both rendered as text for reports (From, To). A password's
// values are never kept: both read "(hidden)". A requested tag has a nil
// New: the SCM assigns it.
type Change struct {
	Field Field
	From  string
	To    string
	Old   any
	New   any
	// Parts are the change of a setting made of many fields (the program
	// block) field by field: program.path, program.args[1],
	// program.environment.PORT, ... (From or To "(none)" for a field not
	// set; a secret environment value "(hidden)"). Reports show them in
	// place of the whole values; the step writes the whole setting.
	Parts []Change
}

// MarshalJSON writes {field, from, to, old, new} and parts when there are,
// old and new in the form Config's JSON gives the setting (a part's
// durations in milliseconds).
func (c Change) MarshalJSON() ([]byte, error) {
	j := struct {
		Field Field    `json:"field"`
		From  string   `json:"from"`
		To    string   `json:"to"`
		Old   any      `json:"old"`
		New   any      `json:"new"`
		Parts []Change `json:"parts,omitempty"`
	}{Field: c.Field, From: c.From, To: c.To, Old: c.Old, New: c.New, Parts: c.Parts}
	if r, ok := settingFor(c.Field); ok {
		if c.Old != nil {
			j.Old = r.json(c.Old)
		}
		if c.New != nil {
			j.New = r.json(c.New)
		}
	} else {
		j.Old, j.New = msIfDuration(c.Old), msIfDuration(c.New)
	}
	return json.Marshal(j)
}

func msIfDuration(v any) any {
	if d, ok := v.(time.Duration); ok {
		return d.Milliseconds()
	}
	return v
}

// writeChange writes c as a line of a plan's text, "  field  from -> to",
// or one line per part, with values as values(c) gives them.
func writeChange(b *strings.Builder, c Change, values func(Change) (from, to string)) {
	if len(c.Parts) > 0 {
		for _, p := range c.Parts {
			writeChange(b, p, values)
		}
		return
	}
	from, to := values(c)
	fmt.Fprintf(b, "  %-34s %s -> %s\n", c.Field, from, to)
}

// Step is one SCM call of a plan: the settings it changes and, for a
// ChangeServiceConfig on an SCM that would lose them otherwise, the
// settings it writes again unchanged (Resend; Wine's SCM deletes the
// dependencies of a service when the call leaves them NULL). Its inverse
// writes the Old values back.
type Step struct {
	Kind    StepKind `json:"kind"`
	Changes []Change `json:"changes"`
	Resend  []Change `json:"resend,omitempty"`
	// BestEffort: a default, not asked for, skipped where the SCM lacks it.
	BestEffort bool `json:"bestEffort,omitempty"`

	undo bool // this is the inverse of a step that was applied
}

// inverse returns the step that undoes st: the same call with the old
// values. A value that could not be read cannot be written back: such a
// change is left out and listed in lost. A password is never kept, and a
// tag the SCM assigned stays: both are left out.
func (st Step) inverse() (inv Step, lost []Field) {
	inv = Step{Kind: st.Kind, Resend: st.Resend, undo: true}
	for _, c := range st.Changes {
		switch {
		case c.Field == FieldPassword || c.Field == FieldTagID:
			continue
		case c.Old == nil:
			lost = append(lost, c.Field)
			continue
		}
		inv.Changes = append(inv.Changes, Change{Field: c.Field, From: c.To, To: c.From, Old: c.New, New: c.Old})
	}
	return inv, lost
}

// Plan is the ordered list of SCM calls that takes a service from one
// configuration to another. It is computed without touching the system,
// and Save executes exactly its steps, so it serves dry runs and change
// reports as well as Save.
type Plan struct {
	Service string `json:"service"`
	Create  bool   `json:"create"`
	Steps   []Step `json:"steps"`
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Steps) == 0 }

// Fields lists the fields the plan changes, in step order.
func (p *Plan) Fields() []Field {
	var out []Field
	for _, st := range p.Steps {
		for _, c := range st.Changes {
			out = append(out, c.Field)
		}
	}
	return out
}

func (p *Plan) String() string {
	if p.Empty() {
		return fmt.Sprintf("%s: no changes", p.Service)
	}
	var b strings.Builder
	verb := "update"
	if p.Create {
		verb = "create"
	}
	fmt.Fprintf(&b, "%s %s:\n", verb, p.Service)
	for _, s := range p.Steps {
		for _, c := range s.Changes {
			writeChange(&b, c, func(c Change) (string, string) { return c.From, c.To })
		}
	}
	return b.String()
}

// hiddenPassword is how a plan shows a password.
const hiddenPassword = "(hidden)"

// ComputePlan returns the steps that take a service from loaded to desired.
// A nil loaded means the service does not exist and is created: the first
// step is then CreateService's, listing every value it is given (the
// password as "(hidden)"), and the config2 steps follow. explicit
// names the fields the caller set on purpose: when creating, settings not in
// it are defaults and their steps are best effort; when updating, a setting
// that could not be read is written only if it is explicit or differs from
// the zero value. password, when not empty, is set with the account.
func ComputePlan(loaded, desired *Config, explicit map[Field]bool, password string) Plan {
	return computePlan(loaded, desired, explicit, password, quirks{})
}

// plansComputed counts the plans computed (a test checks that Save
// computes one).
var plansComputed atomic.Int64

// computePlan is ComputePlan for an SCM with quirks q.
func computePlan(loaded, desired *Config, explicit map[Field]bool, password string, q quirks) Plan {
	plansComputed.Add(1)
	p := Plan{Service: desired.Name, Create: loaded == nil}
	// Level 0: CreateService's values, or one ChangeServiceConfig.
	if p.Create {
		p.Steps = append(p.Steps, Step{Kind: StepCreate, Changes: createChanges(desired, password)})
	} else if core := coreChanges(loaded, desired, explicit, password); len(core) > 0 {
		p.Steps = append(p.Steps, Step{Kind: StepConfig, Changes: core, Resend: resend(core, loaded, password, q)})
	}
	for _, r := range config2Settings {
		from := loaded
		if p.Create {
			if r.created == nil {
				from = nil // always written
			} else {
				from = &Config{}
				r.put(from, r.created)
			}
		}
		c, ok := changeOf(r, from, desired, explicit)
		if !ok {
			continue
		}
		if from == nil {
			c.From = "(default)"
		}
		p.Steps = append(p.Steps, Step{Kind: r.kind, Changes: []Change{c}, BestEffort: p.Create && !explicit[r.field]})
	}
	return p
}

// createChanges lists what CreateService is given: the name, then each
// core setting in the order of the table, except those given as NULL
// because the service has them anyway (no group, no dependencies; no tag
// asked for), and the password, hidden, after the account.
func createChanges(desired *Config, password string) []Change {
	out := []Change{{Field: "name", To: desired.Name, New: desired.Name}}
	none := &Config{}
	for i := range settings {
		r := &settings[i]
		if r.level != 0 {
			continue
		}
		v := r.get(desired)
		if rule := planRules[r.field]; rule != nil {
			_, n, ok := rule(none, desired)
			if !ok {
				continue
			}
			v = n
		} else if r.created != nil && r.equal(r.created, v) {
			continue
		}
		out = append(out, Change{Field: r.field, To: r.text(v), New: v})
		if r.field == FieldServiceStartName && password != "" {
			out = append(out, Change{Field: FieldPassword, To: hiddenPassword})
		}
	}
	return out
}

// coreChanges lists the changes of a ChangeServiceConfig from loaded to
// desired, in the order of the table, the password after the account.
func coreChanges(loaded, desired *Config, explicit map[Field]bool, password string) []Change {
	var core []Change
	for i := range settings {
		r := &settings[i]
		if r.level != 0 {
			continue
		}
		c, ok := changeOf(r, loaded, desired, explicit)
		if ok {
			core = append(core, c)
		}
		if r.field != FieldServiceStartName {
			continue
		}
		switch {
		case password != "":
			core = append(core, Change{Field: FieldPassword, From: hiddenPassword, To: hiddenPassword})
		case ok && classifyAccount(desired.ServiceStartName) == accountBuiltin:
			// Built-in accounts take an empty password.
			core = append(core, Change{Field: FieldPassword, From: hiddenPassword, To: `""`, New: ""})
		}
	}
	return core
}

// changeOf compares row r between from and to. from nil means the value
// is unknown and always written.
func changeOf(r *setting, from, to *Config, explicit map[Field]bool) (Change, bool) {
	if rule := planRules[r.field]; rule != nil {
		old, new, ok := rule(from, to)
		return Change{Field: r.field, Old: old, New: new, From: r.text(old), To: r.text(new)}, ok
	}
	newV := r.get(to)
	var oldV any
	changed := true
	if from != nil {
		oldV = r.get(from)
		same := r.equal(oldV, newV)
		if !from.Available(r.field) {
			// Unknown: write it when asked to, or when it is not the zero
			// value (which is what an unreadable setting holds).
			changed, oldV = explicit[r.field] || !same, nil
		} else {
			changed = !same
		}
	}
	if !changed {
		return Change{}, false
	}
	c := Change{Field: r.field, Old: oldV, New: newV, From: r.text(oldV), To: r.text(newV)}
	if parts := partRules[r.field]; parts != nil {
		c.Parts = parts(oldV, newV)
	}
	return c, true
}

// resend lists what a ChangeServiceConfig must write again unchanged: the
// dependencies, on an SCM that deletes them when they are left NULL; and
// the account, when only the password changes (the SCM takes them
// together).
func resend(core []Change, loaded *Config, password string, q quirks) []Change {
	changes := map[Field]bool{}
	for _, c := range core {
		changes[c.Field] = true
	}
	var out []Change
	again := func(f Field) {
		r, _ := settingFor(f)
		v := r.get(loaded)
		if !loaded.Available(f) {
			v = nil // unknown: the executor refuses to send it
		}
		out = append(out, Change{Field: f, Old: v, New: v, From: r.text(v), To: r.text(v)})
	}
	if password != "" && !changes[FieldServiceStartName] {
		again(FieldServiceStartName)
	}
	if q.NullDependenciesClear && !changes[FieldDependencies] {
		again(FieldDependencies)
	}
	return out
}

// render formats a setting's value for a plan report.
func render(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case time.Duration:
		return x.String()
	case []Dependency:
		s := make([]string, len(x))
		for i, d := range x {
			s[i] = d.String()
		}
		return "[" + strings.Join(s, " ") + "]"
	case []string:
		return "[" + strings.Join(x, " ") + "]"
	case PreferredNode:
		if !x.Set {
			return "(none)"
		}
		return fmt.Sprint(x.Node)
	}
	return fmt.Sprint(v)
}
