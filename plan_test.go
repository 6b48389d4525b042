package winsvc

import (
	"encoding/json"
	"errors"
	"github.com/winsvc/winsvc/trigger"
	"slices"
	"strings"
	"testing"
	"time"
)

// stepSummary is a step reduced to what the tests compare.
type stepSummary struct {
	kind       StepKind
	fields     []Field
	bestEffort bool
}

func summarize(p Plan) []stepSummary {
	var out []stepSummary
	for _, s := range p.Steps {
		var fs []Field
		for _, c := range s.Changes {
			fs = append(fs, c.Field)
		}
		out = append(out, stepSummary{s.Kind, fs, s.BestEffort})
	}
	return out
}

func equalSummaries(a, b []stepSummary) bool {
	return slices.EqualFunc(a, b, func(x, y stepSummary) bool {
		return x.kind == y.kind && x.bestEffort == y.bestEffort && slices.Equal(x.fields, y.fields)
	})
}

// newPlan computes the plan Save makes for a new service built from def,
// with the defaults Manager.New fills in.
func newPlan(def Definition) Plan {
	c := defaultConfig(def.Name)
	explicit := def.applyTo(c)
	return ComputePlan(nil, c, explicit, "")
}

// createFields are the fields the create step of a service with no group,
// dependency or tag lists: what CreateService is given.
var createFields = []Field{"name", FieldDisplayName, FieldServiceType, FieldStartType, FieldErrorControl, FieldBinaryPath, FieldServiceStartName}

func TestComputePlanCreate(t *testing.T) {
	bin := `C:\svc.exe`
	tests := []struct {
		name string
		def  Definition
		want []stepSummary
	}{
		{
			"defaults: only the SID type and preshutdown differ from what CreateService leaves, best effort",
			Definition{Name: "Svc", BinaryPath: bin},
			[]stepSummary{
				{StepCreate, createFields, false},
				{StepKind(FieldSIDType), []Field{FieldSIDType}, true},
				{StepKind(FieldPreshutdownTimeout), []Field{FieldPreshutdownTimeout}, true},
			},
		},
		{
			"explicit defaults are not best effort",
			Definition{Name: "Svc", BinaryPath: bin, SIDType: Ptr(SIDTypeUnrestricted), PreshutdownTimeout: Ptr(defaultPreshutdownTimeout)},
			[]stepSummary{
				{StepCreate, createFields, false},
				{StepKind(FieldSIDType), []Field{FieldSIDType}, false},
				{StepKind(FieldPreshutdownTimeout), []Field{FieldPreshutdownTimeout}, false},
			},
		},
		{
			"SID type none is what CreateService leaves",
			Definition{Name: "Svc", BinaryPath: bin, SIDType: Ptr(SIDTypeNone)},
			[]stepSummary{
				{StepCreate, createFields, false},
				{StepKind(FieldPreshutdownTimeout), []Field{FieldPreshutdownTimeout}, true},
			},
		},
		{
			// SERVICE_LAUNCH_PROTECTED_NONE is 0, CreateService's own value:
			// asking for it explicitly writes nothing (an SCM without level
			// 12, Wine's, creates the service).
			"launch protection none is what CreateService leaves",
			Definition{Name: "Svc", BinaryPath: bin, LaunchProtected: Ptr(LaunchProtectedNone), SIDType: Ptr(SIDTypeNone)},
			[]stepSummary{
				{StepCreate, createFields, false},
				{StepKind(FieldPreshutdownTimeout), []Field{FieldPreshutdownTimeout}, true},
			},
		},
		{
			"empty description, no failure actions and flag false need no step",
			Definition{Name: "Svc", BinaryPath: bin, Description: Ptr(""), FailureActions: NoFailureActions(),
				FailureActionsOnNonCrashFailures: Ptr(false), DelayedAutoStart: Ptr(false), RequiredPrivileges: []string{}},
			[]stepSummary{
				{StepCreate, createFields, false},
				{StepKind(FieldSIDType), []Field{FieldSIDType}, true},
				{StepKind(FieldPreshutdownTimeout), []Field{FieldPreshutdownTimeout}, true},
			},
		},
		{
			"every config2 setting, in level order",
			Definition{
				Name: "Svc", BinaryPath: bin, StartType: Ptr(AutoStart), DelayedAutoStart: Ptr(true),
				Description:                      Ptr("hello"),
				FailureActions:                   &FailureActions{ResetPeriod: ResetAfter(time.Hour), Actions: []Action{RestartAction(time.Second)}},
				FailureActionsOnNonCrashFailures: Ptr(true),
				SIDType:                          Ptr(SIDTypeRestricted),
				RequiredPrivileges:               []string{"SeChangeNotifyPrivilege"},
				PreshutdownTimeout:               Ptr(time.Minute),
				Triggers:                         []trigger.Trigger{{Type: 1, Action: 1}},
				PreferredNode:                    &PreferredNode{Node: 1, Set: true},
				LaunchProtected:                  Ptr(LaunchProtectedWindows),
			},
			[]stepSummary{
				{StepCreate, createFields, false},
				{StepKind(FieldDescription), []Field{FieldDescription}, false},
				{StepKind(FieldFailureActions), []Field{FieldFailureActions}, false},
				{StepKind(FieldDelayedAutoStart), []Field{FieldDelayedAutoStart}, false},
				{StepKind(FieldFailureFlag), []Field{FieldFailureFlag}, false},
				{StepKind(FieldSIDType), []Field{FieldSIDType}, false},
				{StepKind(FieldRequiredPrivileges), []Field{FieldRequiredPrivileges}, false},
				{StepKind(FieldPreshutdownTimeout), []Field{FieldPreshutdownTimeout}, false},
				{StepKind(FieldTriggers), []Field{FieldTriggers}, false},
				{StepKind(FieldPreferredNode), []Field{FieldPreferredNode}, false},
				{StepKind(FieldLaunchProtected), []Field{FieldLaunchProtected}, false},
			},
		},
	}
	for _, tt := range tests {
		p := newPlan(tt.def)
		if !p.Create || p.Service != "Svc" || p.Empty() {
			t.Errorf("%s: plan header %+v", tt.name, p)
		}
		if got := summarize(p); !equalSummaries(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestComputePlanCreateChanges(t *testing.T) {
	p := newPlan(Definition{Name: "Svc", BinaryPath: `C:\svc.exe`, Description: Ptr("hi")})
	want := []Step{
		{Kind: StepCreate, Changes: []Change{{Field: "name", To: "Svc"}, {Field: FieldDisplayName, To: `"Svc"`},
			{Field: FieldServiceType, To: "WIN32_OWN_PROCESS"}, {Field: FieldStartType, To: "DEMAND_START"},
			{Field: FieldErrorControl, To: "ERROR_NORMAL"}, {Field: FieldBinaryPath, To: `"C:\\svc.exe"`},
			{Field: FieldServiceStartName, To: `"LocalSystem"`}}},
		{Kind: StepKind(FieldDescription), Changes: []Change{{Field: FieldDescription, From: `""`, To: `"hi"`}}},
		{Kind: StepKind(FieldSIDType), Changes: []Change{{Field: FieldSIDType, From: "SID_TYPE_NONE", To: "SID_TYPE_UNRESTRICTED"}}, BestEffort: true},
		{Kind: StepKind(FieldPreshutdownTimeout), Changes: []Change{{Field: FieldPreshutdownTimeout, From: "(default)", To: "3m0s"}}, BestEffort: true},
	}
	if !slices.EqualFunc(p.Steps, want, stepEqual) {
		t.Errorf("steps:\n got %+v\nwant %+v", p.Steps, want)
	}
	// A create with a password gives it to CreateService, after the
	// account, hidden; no config step.
	c := defaultConfig("Svc")
	c.BinaryPathName, c.ServiceStartName = `C:\svc.exe`, `.\bob`
	c.LoadOrderGroup, c.Dependencies = "G", []Dependency{GroupDependency("H")}
	p = ComputePlan(nil, c, nil, "pw")
	var fields []Field
	for _, ch := range p.Steps[0].Changes {
		fields = append(fields, ch.Field)
		if ch.Field == FieldPassword && (ch.To != hiddenPassword || ch.New != nil) {
			t.Errorf("password change %+v; want it hidden", ch)
		}
	}
	if want := []Field{"name", FieldDisplayName, FieldServiceType, FieldStartType, FieldErrorControl, FieldBinaryPath,
		FieldLoadOrderGroup, FieldDependencies, FieldServiceStartName, FieldPassword}; !slices.Equal(fields, want) {
		t.Errorf("create step of a service with a group, dependencies and a password: %v; want %v", fields, want)
	}
	for _, s := range p.Steps {
		if s.Kind == StepConfig {
			t.Errorf("create with a password has a config step: %+v", s)
		}
	}
}

// stepEqual compares steps as reports show them: kinds, fields and texts.
func stepEqual(a, b Step) bool {
	return a.Kind == b.Kind && a.BestEffort == b.BestEffort && slices.EqualFunc(a.Changes, b.Changes, func(x, y Change) bool {
		return x.Field == y.Field && x.From == y.From && x.To == y.To
	})
}

func TestComputePlanUpdate(t *testing.T) {
	tests := []struct {
		name     string
		mod      func(c *Config)
		explicit []Field
		password string
		want     []Step
	}{
		{"nothing", func(*Config) {}, nil, "", nil},
		{
			"auto delayed to demand: start type and the delayed flag",
			func(c *Config) { c.StartType, c.DelayedAutoStart = DemandStart, false }, nil, "",
			[]Step{
				{Kind: StepConfig, Changes: []Change{{Field: FieldStartType, From: "AUTO_START", To: "DEMAND_START"}}},
				{Kind: StepKind(FieldDelayedAutoStart), Changes: []Change{{Field: FieldDelayedAutoStart, From: "true", To: "false"}}},
			},
		},
		{
			"delayed to plain auto clears the flag only",
			func(c *Config) { c.DelayedAutoStart = false }, nil, "",
			[]Step{{Kind: StepKind(FieldDelayedAutoStart), Changes: []Change{{Field: FieldDelayedAutoStart, From: "true", To: "false"}}}},
		},
		{
			"description deleted",
			func(c *Config) { c.Description = "" }, nil, "",
			[]Step{{Kind: StepKind(FieldDescription), Changes: []Change{{Field: FieldDescription, From: `"Does things."`, To: `""`}}}},
		},
		{
			"core fields in the table's order, one step",
			func(c *Config) {
				c.DisplayName = "Renamed"
				c.ServiceType = Win32OwnProcess
				c.ErrorControl = ErrorNormal
				c.BinaryPathName = `C:\new.exe`
				c.LoadOrderGroup = "G"
				c.DelayedAutoStart = false
				c.Dependencies = []Dependency{}
			}, nil, "",
			[]Step{
				{Kind: StepConfig, Changes: []Change{
					{Field: FieldDisplayName, From: `"My Service"`, To: `"Renamed"`},
					{Field: FieldServiceType, From: "WIN32_SHARE_PROCESS", To: "WIN32_OWN_PROCESS"},
					{Field: FieldErrorControl, From: "ERROR_SEVERE", To: "ERROR_NORMAL"},
					{Field: FieldBinaryPath, From: `"\"C:\\Program Files\\My Svc\\svc.exe\" -k \"a b\""`, To: `"C:\\new.exe"`},
					{Field: FieldLoadOrderGroup, From: `""`, To: `"G"`},
					{Field: FieldDependencies, From: "[Tcpip +NetworkProvider]", To: "[]"},
				}},
				{Kind: StepKind(FieldDelayedAutoStart), Changes: []Change{{Field: FieldDelayedAutoStart, From: "true", To: "false"}}},
			},
		},
		{
			"account with password",
			func(c *Config) { c.ServiceStartName = `.\bob` }, nil, "secret",
			[]Step{{Kind: StepConfig, Changes: []Change{
				{Field: FieldServiceStartName, From: `"NT AUTHORITY\\LocalService"`, To: `".\\bob"`},
				{Field: FieldPassword, From: "(hidden)", To: "(hidden)"},
			}}},
		},
		{
			"password only",
			func(*Config) {}, nil, "secret",
			[]Step{{Kind: StepConfig, Changes: []Change{{Field: FieldPassword, From: "(hidden)", To: "(hidden)"}}}},
		},
		{
			"account differing only in case is unchanged",
			func(c *Config) { c.ServiceStartName = `nt authority\localservice` }, nil, "", nil,
		},
		{
			// A Config holds Win32 values: 0 is SID_TYPE_NONE, not "unset".
			"SID type 0 is SID_TYPE_NONE",
			func(c *Config) { c.SIDType = 0 }, nil, "",
			[]Step{{Kind: StepKind(FieldSIDType), Changes: []Change{{Field: FieldSIDType, From: "SID_TYPE_RESTRICTED", To: "SID_TYPE_NONE"}}}},
		},
		{
			"launch protection 0 is SERVICE_LAUNCH_PROTECTED_NONE, as loaded",
			func(c *Config) { c.LaunchProtected = 0 }, nil, "", nil,
		},
		{
			"SID type and preshutdown",
			func(c *Config) { c.SIDType, c.PreshutdownTimeout = SIDTypeNone, 5*time.Second }, nil, "",
			[]Step{
				{Kind: StepKind(FieldSIDType), Changes: []Change{{Field: FieldSIDType, From: "SID_TYPE_RESTRICTED", To: "SID_TYPE_NONE"}}},
				{Kind: StepKind(FieldPreshutdownTimeout), Changes: []Change{{Field: FieldPreshutdownTimeout, From: "3m0s", To: "5s"}}},
			},
		},
		{
			"failure actions cleared",
			func(c *Config) { c.FailureActions = FailureActions{} }, nil, "",
			[]Step{{Kind: StepKind(FieldFailureActions), Changes: []Change{{Field: FieldFailureActions, From: `reset=24h0m0s reboot="rebooting" command="C:\\fix.cmd" actions=[SC_ACTION_RESTART/5s SC_ACTION_RUN_COMMAND/10s SC_ACTION_REBOOT/1m0s]`, To: "(none)"}}}},
		},
		{
			"failure flag and privileges",
			func(c *Config) { c.FailureActionsOnNonCrashFailures, c.RequiredPrivileges = false, nil }, nil, "",
			[]Step{
				{Kind: StepKind(FieldFailureFlag), Changes: []Change{{Field: FieldFailureFlag, From: "true", To: "false"}}},
				{Kind: StepKind(FieldRequiredPrivileges), Changes: []Change{{Field: FieldRequiredPrivileges, From: "[SeChangeNotifyPrivilege SeCreateGlobalPrivilege]", To: "[]"}}},
			},
		},
		{
			"preferred node set",
			func(c *Config) { c.PreferredNode = PreferredNode{Node: 2, Set: true} }, nil, "",
			[]Step{{Kind: StepKind(FieldPreferredNode), Changes: []Change{{Field: FieldPreferredNode, From: "(none)", To: "2"}}}},
		},
		{
			"explicit but equal is no step",
			func(*Config) {}, []Field{FieldDescription, FieldStartType}, "", nil,
		},
	}
	for _, tt := range tests {
		loaded := fullConfig()
		desired := loaded.Clone()
		tt.mod(desired)
		explicit := map[Field]bool{}
		for _, f := range tt.explicit {
			explicit[f] = true
		}
		before, beforeDesired := loaded.Clone(), desired.Clone()
		p := ComputePlan(loaded, desired, explicit, tt.password)
		if p.Create || p.Service != "MySvc" {
			t.Errorf("%s: plan header %+v", tt.name, p)
		}
		if !slices.EqualFunc(p.Steps, tt.want, stepEqual) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, p.Steps, tt.want)
		}
		if p.Empty() != (len(tt.want) == 0) {
			t.Errorf("%s: Empty() = %v", tt.name, p.Empty())
		}
		if q := ComputePlan(before, loaded, nil, ""); !q.Empty() {
			t.Errorf("%s: ComputePlan changed loaded", tt.name)
		}
		if q := ComputePlan(beforeDesired, desired, nil, ""); !q.Empty() {
			t.Errorf("%s: ComputePlan changed desired", tt.name)
		}
	}
}

// TestComputePlanUnavailable covers a setting that could not be read: it is
// written only when the caller set it on purpose or it differs from the zero
// value (the field's value when unreadable).
func TestComputePlanUnavailable(t *testing.T) {
	tests := []struct {
		name     string
		field    Field
		mod      func(c *Config)
		explicit bool
		want     []StepKind
	}{
		{"description left alone", FieldDescription, func(*Config) {}, false, nil},
		{"description explicitly empty", FieldDescription, func(*Config) {}, true, []StepKind{StepKind(FieldDescription)}},
		{"description set", FieldDescription, func(c *Config) { c.Description = "new" }, false, []StepKind{StepKind(FieldDescription)}},
		{"SID type left alone", FieldSIDType, func(*Config) {}, false, nil},
		{"SID type set", FieldSIDType, func(c *Config) { c.SIDType = SIDTypeRestricted }, true, []StepKind{StepKind(FieldSIDType)}},
		{"preshutdown left alone", FieldPreshutdownTimeout, func(*Config) {}, false, nil},
		{"preshutdown explicitly zero", FieldPreshutdownTimeout, func(*Config) {}, true, []StepKind{StepKind(FieldPreshutdownTimeout)}},
		{"failure actions left alone", FieldFailureActions, func(*Config) {}, false, nil},
		{"failure actions explicitly cleared", FieldFailureActions, func(*Config) {}, true, []StepKind{StepKind(FieldFailureActions)}},
		{"dependencies explicitly cleared", FieldDependencies, func(*Config) {}, true, []StepKind{StepConfig}},
		{"privileges left alone", FieldRequiredPrivileges, func(*Config) {}, false, nil},
		{"triggers set", FieldTriggers, func(c *Config) { c.Triggers = []trigger.Trigger{{Type: 1, Action: 1}} }, false, []StepKind{StepKind(FieldTriggers)}},
	}
	for _, tt := range tests {
		loaded := fullConfig()
		zeroField(loaded, tt.field)
		loaded.markUnavailable(tt.field, errors.New("unsupported"))
		desired := loaded.Clone()
		tt.mod(desired)
		explicit := map[Field]bool{tt.field: tt.explicit}
		p := ComputePlan(loaded, desired, explicit, "")
		var kinds []StepKind
		for _, s := range p.Steps {
			kinds = append(kinds, s.Kind)
		}
		if !slices.Equal(kinds, tt.want) {
			t.Errorf("%s: steps %v; want %v", tt.name, kinds, tt.want)
		}
	}
}

// zeroField gives field f of c the value a setting that cannot be read has.
func zeroField(c *Config, f Field) {
	switch f {
	case FieldDescription:
		c.Description = ""
	case FieldSIDType:
		c.SIDType = 0
	case FieldPreshutdownTimeout:
		c.PreshutdownTimeout = 0
	case FieldFailureActions:
		c.FailureActions = FailureActions{}
	case FieldDependencies:
		c.Dependencies = nil
	case FieldRequiredPrivileges:
		c.RequiredPrivileges = nil
	case FieldTriggers:
		c.Triggers = nil
	default:
		panic("zeroField: " + string(f))
	}
}

func TestPlanString(t *testing.T) {
	loaded := fullConfig()
	desired := loaded.Clone()
	desired.StartType, desired.DelayedAutoStart = DemandStart, false
	desired.Description = ""
	p := ComputePlan(loaded, desired, nil, "pw")
	const want = "update MySvc:\n" +
		"  startType                          AUTO_START -> DEMAND_START\n" +
		"  password                           (hidden) -> (hidden)\n" +
		"  description                        \"Does things.\" -> \"\"\n" +
		"  delayedAutoStart                   true -> false\n"
	if got := p.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
	if strings.Contains(p.String(), "pw") {
		t.Error("the plan shows the password")
	}

	empty := ComputePlan(loaded, loaded.Clone(), nil, "")
	if got := empty.String(); got != "MySvc: no changes" {
		t.Errorf("empty plan String() = %q", got)
	}

	create := newPlan(Definition{Name: "New", BinaryPath: `C:\n.exe`})
	const wantCreate = "create New:\n" +
		"  name                                -> New\n" +
		"  displayName                         -> \"New\"\n" +
		"  serviceType                         -> WIN32_OWN_PROCESS\n" +
		"  startType                           -> DEMAND_START\n" +
		"  errorControl                        -> ERROR_NORMAL\n" +
		"  binaryPathName                      -> \"C:\\\\n.exe\"\n" +
		"  serviceStartName                    -> \"LocalSystem\"\n" +
		"  sidType                            SID_TYPE_NONE -> SID_TYPE_UNRESTRICTED\n" +
		"  preshutdownTimeout                 (default) -> 3m0s\n"
	if got := create.String(); got != wantCreate {
		t.Errorf("create String() =\n%s\nwant\n%s", got, wantCreate)
	}
}

func TestPlanJSON(t *testing.T) {
	p := newPlan(Definition{Name: "New", BinaryPath: `C:\n.exe`, Description: Ptr("d")})
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	// old and new are in the form of Config's JSON (milliseconds here).
	const want = `{"service":"New","create":true,"steps":[` +
		`{"kind":"create","changes":[{"field":"name","from":"","to":"New","old":null,"new":"New"},` +
		`{"field":"displayName","from":"","to":"\"New\"","old":null,"new":"New"},` +
		`{"field":"serviceType","from":"","to":"WIN32_OWN_PROCESS","old":null,"new":"WIN32_OWN_PROCESS"},` +
		`{"field":"startType","from":"","to":"DEMAND_START","old":null,"new":"DEMAND_START"},` +
		`{"field":"errorControl","from":"","to":"ERROR_NORMAL","old":null,"new":"ERROR_NORMAL"},` +
		`{"field":"binaryPathName","from":"","to":"\"C:\\\\n.exe\"","old":null,"new":"C:\\n.exe"},` +
		`{"field":"serviceStartName","from":"","to":"\"LocalSystem\"","old":null,"new":"LocalSystem"}]},` +
		`{"kind":"description","changes":[{"field":"description","from":"\"\"","to":"\"d\"","old":"","new":"d"}]},` +
		`{"kind":"sidType","changes":[{"field":"sidType","from":"SID_TYPE_NONE","to":"SID_TYPE_UNRESTRICTED","old":"SID_TYPE_NONE","new":"SID_TYPE_UNRESTRICTED"}],"bestEffort":true},` +
		`{"kind":"preshutdownTimeout","changes":[{"field":"preshutdownTimeout","from":"(default)","to":"3m0s","old":null,"new":180000}],"bestEffort":true}]}`
	if string(b) != want {
		t.Errorf("JSON =\n%s\nwant\n%s", b, want)
	}
}

func TestRender(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{"a b", `"a b"`},
		{AutoStart, "AUTO_START"},
		{true, "true"},
		{uint32(7), "7"},
		{1500 * time.Millisecond, "1.5s"},
		{[]Dependency{ServiceDependency("a"), GroupDependency("g")}, "[a +g]"},
		{[]Dependency(nil), "[]"},
		{[]string{"x", "y"}, "[x y]"},
		{PreferredNode{}, "(none)"},
		{PreferredNode{Node: 0, Set: true}, "0"},
	}
	for _, tt := range tests {
		if got := render(tt.v); got != tt.want {
			t.Errorf("render(%#v) = %s; want %s", tt.v, got, tt.want)
		}
	}
	// Failure actions render through their row.
	r, _ := settingFor(FieldFailureActions)
	for fa, want := range map[*FailureActions]string{
		{}: "(none)",
		{ResetPeriod: ResetInfinite, Actions: []Action{NoAction(0)}}: `reset=INFINITE reboot="" command="" actions=[SC_ACTION_NONE/0s]`,
	} {
		if got := r.text(*fa); got != want {
			t.Errorf("text(%+v) = %s; want %s", *fa, got, want)
		}
	}
}

// TestCreatedValues checks the table's "created" column: a new service
// whose config2 settings are what CreateService leaves needs no step for
// them, except the preshutdown timeout, which is always written; and every
// other value is written.
func TestCreatedValues(t *testing.T) {
	c := defaultConfig("Svc")
	c.BinaryPathName = `C:\svc.exe`
	for _, r := range config2Settings {
		if r.created != nil {
			r.put(c, r.created)
		}
	}
	p := ComputePlan(nil, c, nil, "")
	if got := kinds(&p); !slices.Equal(got, []StepKind{StepCreate, StepKind(FieldPreshutdownTimeout)}) {
		t.Errorf("steps %v; want create and preshutdownTimeout", got)
	}
	if ch := p.Steps[1].Changes[0]; ch.Old != nil || ch.From != "(default)" {
		t.Errorf("preshutdown change %+v; want an unknown old value shown as (default)", ch)
	}
}

// TestPlanRequestTag checks that a tag request shows in the create step,
// becomes a core change for a service without a tag, is nothing for one
// that has a tag, and needs a load-order group.
func TestPlanRequestTag(t *testing.T) {
	c := defaultConfig("T")
	c.BinaryPathName = `C:\t.sys`
	(&Definition{RequestTag: true, LoadOrderGroup: Ptr("G")}).applyTo(c)
	p := ComputePlan(nil, c, nil, "")
	if got := p.Steps[0].Changes; !slices.ContainsFunc(got, func(c Change) bool { return c.Field == FieldTagID && c.To == newTag && c.New == nil }) {
		t.Errorf("create step changes %+v, want a tag request", got)
	}
	loaded := c.Clone()
	loaded.requestTag = false
	p = ComputePlan(loaded, c, nil, "")
	if len(p.Steps) != 1 || p.Steps[0].Kind != StepConfig || p.Steps[0].Changes[0].Field != FieldTagID {
		t.Errorf("update of an untagged service: %s, want one config step requesting a tag", p.String())
	}
	loaded.TagID = 4
	c.TagID = 4
	if p = ComputePlan(loaded, c, nil, ""); !p.Empty() {
		t.Errorf("a tagged service gets a new tag: %s", p.String())
	}
	noGroup := defaultConfig("T")
	noGroup.BinaryPathName = `C:\t.sys`
	(&Definition{RequestTag: true}).applyTo(noGroup)
	var ve *ValidationError
	if err := noGroup.validate(nil); !errors.As(err, &ve) || ve.Field != string(FieldTagID) {
		t.Errorf("a tag without a group: %v, want a tagId validation error", err)
	}
}
