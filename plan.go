package winsvc

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// StepKind is one SCM call a Plan makes.
type StepKind string

// The steps, in the order a plan runs them.
const (
	StepCreate             StepKind = "create"             // CreateService
	StepConfig             StepKind = "config"             // ChangeServiceConfig
	StepDescription        StepKind = "description"        // ChangeServiceConfig2 level 1
	StepFailureActions     StepKind = "failureActions"     // level 2
	StepFailureFlag        StepKind = "failureFlag"        // level 4
	StepDelayedAutoStart   StepKind = "delayedAutoStart"   // level 3
	StepSIDType            StepKind = "sidType"            // level 5
	StepRequiredPrivileges StepKind = "requiredPrivileges" // level 6
	StepPreshutdown        StepKind = "preshutdownTimeout" // level 7
	StepTriggers           StepKind = "triggers"           // level 8
	StepPreferredNode      StepKind = "preferredNode"      // level 9
	StepLaunchProtected    StepKind = "launchProtected"    // level 12
)

// Change is one field's change in a step, rendered as text for reports.
type Change struct {
	Field Field  `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// Step is one SCM call of a plan. It can be undone by applying From.
type Step struct {
	Kind    StepKind `json:"kind"`
	Changes []Change `json:"changes"`
	// BestEffort is set for a setting a new service gets by default rather
	// than by request: when the SCM does not support the setting at all
	// (ERROR_INVALID_LEVEL), the step is skipped instead of failing.
	BestEffort bool `json:"bestEffort,omitempty"`
}

// Plan is the ordered list of SCM calls that takes a service from one
// configuration to another. It is computed by ComputePlan without touching
// the system, so it serves dry runs and change reports as well as Save.
type Plan struct {
	Service string  `json:"service"`
	Create  bool    `json:"create"`
	Steps   []Step  `json:"steps"`
	from    *Config // nil when creating
	to      *Config
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
			fmt.Fprintf(&b, "  %-34s %s -> %s\n", c.Field, c.From, c.To)
		}
	}
	return b.String()
}

// createBaseline is what CreateService leaves in the settings it does not
// take: a new service's config2 settings are written only when they differ.
// The preshutdown timeout is always written (-1 never matches).
func createBaseline(c *Config) *Config {
	b := c.Clone()
	b.Description = ""
	b.FailureActions = FailureActions{}
	b.FailureActionsOnNonCrashFailures = false
	b.DelayedAutoStart = false
	b.SIDType = SIDTypeNone
	b.RequiredPrivileges = nil
	b.PreshutdownTimeout = -1
	b.Triggers = nil
	b.PreferredNode = PreferredNode{}
	b.LaunchProtected = 0
	b.Unavailable = nil
	return b
}

// newTag is how a plan shows a tag the SCM is asked to assign.
const newTag = "(assigned by the SCM)"

// wantsTag reports whether saving desired over from requests a tag: asked
// for, and the service has none yet.
func wantsTag(from, desired *Config) bool { return desired.requestTag && from.TagID == 0 }

// ComputePlan returns the steps that take a service from loaded to desired.
// A nil loaded means the service does not exist and is created. explicit
// names the fields the caller set on purpose: when creating, settings not in
// it are defaults and their steps are best effort; when updating, a setting
// that could not be read is written only if it is explicit or differs from
// the zero value. password, when not empty, is set with the account.
func ComputePlan(loaded, desired *Config, explicit map[Field]bool, password string) Plan {
	p := Plan{Service: desired.Name, Create: loaded == nil, to: desired}
	from := loaded
	if p.Create {
		from = createBaseline(desired)
		create := []Change{{Field: "name", From: "", To: desired.Name}}
		if desired.requestTag {
			create = append(create, Change{Field: FieldTagID, From: "", To: newTag})
		}
		p.Steps = append(p.Steps, Step{Kind: StepCreate, Changes: create})
	}
	p.from = from
	changed := func(f Field, same bool) bool {
		if !from.Available(f) {
			return explicit[f] || !same
		}
		return !same
	}
	var core []Change
	add := func(list *[]Change, f Field, same bool, old, new any) {
		if changed(f, same) {
			*list = append(*list, Change{Field: f, From: render(old), To: render(new)})
		}
	}
	if !p.Create {
		add(&core, FieldServiceType, from.ServiceType == desired.ServiceType, from.ServiceType, desired.ServiceType)
		add(&core, FieldStartType, from.StartType == desired.StartType, from.StartType, desired.StartType)
		add(&core, FieldErrorControl, from.ErrorControl == desired.ErrorControl, from.ErrorControl, desired.ErrorControl)
		add(&core, FieldBinaryPath, from.BinaryPathName == desired.BinaryPathName, from.BinaryPathName, desired.BinaryPathName)
		add(&core, FieldLoadOrderGroup, from.LoadOrderGroup == desired.LoadOrderGroup, from.LoadOrderGroup, desired.LoadOrderGroup)
		if wantsTag(from, desired) {
			core = append(core, Change{Field: FieldTagID, From: render(from.TagID), To: newTag})
		}
		add(&core, FieldDependencies, slices.Equal(from.Dependencies, desired.Dependencies), from.Dependencies, desired.Dependencies)
		add(&core, FieldServiceStartName, strings.EqualFold(from.ServiceStartName, desired.ServiceStartName), from.ServiceStartName, desired.ServiceStartName)
		if password != "" {
			core = append(core, Change{Field: FieldPassword, From: "(hidden)", To: "(hidden)"})
		}
		add(&core, FieldDisplayName, from.DisplayName == desired.DisplayName, from.DisplayName, desired.DisplayName)
		if len(core) > 0 {
			p.Steps = append(p.Steps, Step{Kind: StepConfig, Changes: core})
		}
	}
	config2 := []struct {
		kind StepKind
		f    Field
		same bool
		old  any
		new  any
	}{
		{StepDescription, FieldDescription, from.Description == desired.Description, from.Description, desired.Description},
		{StepFailureActions, FieldFailureActions, from.FailureActions.Equal(desired.FailureActions), from.FailureActions, desired.FailureActions},
		{StepFailureFlag, FieldFailureFlag, from.FailureActionsOnNonCrashFailures == desired.FailureActionsOnNonCrashFailures, from.FailureActionsOnNonCrashFailures, desired.FailureActionsOnNonCrashFailures},
		{StepDelayedAutoStart, FieldDelayedAutoStart, from.DelayedAutoStart == desired.DelayedAutoStart, from.DelayedAutoStart, desired.DelayedAutoStart},
		{StepSIDType, FieldSIDType, from.SIDType == desired.SIDType || desired.SIDType == 0, from.SIDType, desired.SIDType},
		{StepRequiredPrivileges, FieldRequiredPrivileges, slices.Equal(from.RequiredPrivileges, desired.RequiredPrivileges), from.RequiredPrivileges, desired.RequiredPrivileges},
		{StepPreshutdown, FieldPreshutdownTimeout, from.PreshutdownTimeout == desired.PreshutdownTimeout, from.PreshutdownTimeout, desired.PreshutdownTimeout},
		{StepTriggers, FieldTriggers, triggersEqual(from.Triggers, desired.Triggers), from.Triggers, desired.Triggers},
		{StepPreferredNode, FieldPreferredNode, from.PreferredNode == desired.PreferredNode, from.PreferredNode, desired.PreferredNode},
		{StepLaunchProtected, FieldLaunchProtected, from.LaunchProtected == desired.LaunchProtected || desired.LaunchProtected == 0, from.LaunchProtected, desired.LaunchProtected},
	}
	for _, s := range config2 {
		var ch []Change
		add(&ch, s.f, s.same, s.old, s.new)
		if len(ch) > 0 {
			p.Steps = append(p.Steps, Step{Kind: s.kind, Changes: ch, BestEffort: p.Create && !explicit[s.f]})
		}
	}
	return p
}

// render formats a setting's value for a plan report.
func render(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case time.Duration:
		if x < 0 {
			return "(default)"
		}
		return x.String()
	case []Dependency:
		s := make([]string, len(x))
		for i, d := range x {
			s[i] = d.String()
		}
		return "[" + strings.Join(s, " ") + "]"
	case []string:
		return "[" + strings.Join(x, " ") + "]"
	case FailureActions:
		if x.Empty() {
			return "(none)"
		}
		var parts []string
		for _, a := range x.Actions {
			parts = append(parts, fmt.Sprintf("%s/%s", a.Type, a.Delay))
		}
		reset := "INFINITE"
		if !x.ResetPeriod.Infinite() {
			reset = time.Duration(x.ResetPeriod).String()
		}
		return fmt.Sprintf("reset=%s reboot=%q command=%q actions=[%s]", reset, x.RebootMessage, x.Command, strings.Join(parts, " "))
	case PreferredNode:
		if !x.Set {
			return "(none)"
		}
		return fmt.Sprint(x.Node)
	}
	return fmt.Sprint(v)
}
