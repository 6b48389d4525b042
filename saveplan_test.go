package winsvc

import (
	"context"
	"errors"
	"fmt"
	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/trigger"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// The tests of this file check that Save executes the plan it shows: the
// SCM calls the in-memory SCM records are exactly the plan's steps, value
// for value, for every row of the setting table; and that nothing else
// changes, on an SCM with Wine's quirks too.

// sampleValues holds, for every setting, a valid value that differs from
// what baseService has. A setting added to the table without one fails
// TestEverySettingHasASample.
var sampleValues = map[Field]any{
	FieldDisplayName:        "Shown Name",
	FieldServiceType:        Win32ShareProcess,
	FieldStartType:          Disabled,
	FieldDelayedAutoStart:   true,
	FieldErrorControl:       ErrorSevere,
	FieldBinaryPath:         `"C:\Program Files\New\svc.exe" -x`,
	FieldLoadOrderGroup:     "NewGroup",
	FieldTagID:              nil, // requested with Definition.RequestTag
	FieldDependencies:       []Dependency{ServiceDependency("Other"), GroupDependency("G2")},
	FieldServiceStartName:   `NT AUTHORITY\NetworkService`,
	FieldDescription:        "new description",
	FieldFailureActions:     FailureActions{ResetPeriod: ResetAfter(time.Hour), RebootMessage: "m", Command: "c", Actions: []Action{RestartAction(5 * time.Second)}},
	FieldFailureFlag:        true,
	FieldSIDType:            SIDTypeRestricted,
	FieldRequiredPrivileges: []string{"SeChangeNotifyPrivilege"},
	FieldPreshutdownTimeout: time.Minute,
	FieldTriggers:           []trigger.Trigger{{Type: trigger.TypeDomainJoin, Action: trigger.Start, Subtype: trigger.DomainJoin}},
	FieldPreferredNode:      PreferredNode{Node: 1, Set: true},
	FieldLaunchProtected:    LaunchProtectedAntimalwareLight,
	FieldManagedAccount:     true,
	FieldProgram:            &host.Program{Path: `C:\Program Files\nodejs\node.exe`, Args: []string{"server.js"}},
}

// baseService is an AUTO_START service with dependencies on a service and
// a group and every other setting at its default.
func baseService() *memService {
	s := svc("S", Stopped, "RpcSs", "+Grp")
	setCfg(s, func(c *Config) { c.StartType = AutoStart })
	setCfg(s, func(c *Config) { c.DisplayName = "S display" })
	return s
}

func TestEverySettingHasASample(t *testing.T) {
	for _, r := range settings {
		if _, ok := sampleValues[r.field]; !ok {
			t.Errorf("setting %s has no sample value in sampleValues", r.field)
		}
	}
}

// changeOne changes setting f of s to its sample value, as a caller would.
func changeOne(t *testing.T, s *Service, f Field) {
	t.Helper()
	if f == FieldTagID {
		if err := s.Apply(Definition{RequestTag: true, LoadOrderGroup: Ptr("G")}); err != nil {
			t.Fatal(err)
		}
		return
	}
	r, _ := settingFor(f)
	s.Update(func(c *Config) { r.put(c, sampleValues[f]) })
}

// snapshot is every setting of a service as the in-memory SCM holds it.
func snapshot(s *memService) map[Field]any {
	out := map[Field]any{}
	for _, r := range settings {
		out[r.field] = r.get(cfgOf(s))
	}
	out[FieldTagID] = cfgOf(s).TagID
	return out
}

// checkWritesMatchPlan checks that the writes the SCM recorded are the
// plan's steps: one call per step (CreateService for the create step), each
// writing exactly the step's changes and resent settings, with the step's
// new values.
func checkWritesMatchPlan(t *testing.T, what string, p Plan, writes []memCall) {
	t.Helper()
	if len(writes) != len(p.Steps) {
		t.Fatalf("%s: %d writes for %d steps:\nplan %s\nwrites %+v", what, len(writes), len(p.Steps), p.String(), writes)
	}
	for i, st := range p.Steps {
		w := writes[i]
		wantOp := map[bool]string{true: "changeConfig", false: "changeConfig2"}[st.Kind == StepConfig]
		if st.Kind == StepCreate {
			wantOp = "createService"
		}
		if _, stored := storedSettings[Field(st.Kind)]; stored {
			wantOp = "writeParameters"
		}
		if w.Op != wantOp {
			t.Errorf("%s: step %s made %s; want %s", what, st.Kind, w.Op, wantOp)
			continue
		}
		if st.Kind == StepCreate {
			checkCreateStep(t, what, st, w)
			continue
		}
		want := map[Field]any{}
		for _, c := range slices.Concat(st.Changes, st.Resend) {
			want[c.Field] = c.New
		}
		if got, wantKeys := slices.Sorted(maps.Keys(written(w))), slices.Sorted(maps.Keys(want)); !slices.Equal(got, wantKeys) {
			t.Errorf("%s: step %s wrote %v; the plan shows %v", what, st.Kind, got, wantKeys)
			continue
		}
		for f, v := range want {
			if f == FieldPassword || f == FieldTagID {
				continue // never kept in a plan; a tag is the SCM's to choose
			}
			r, _ := settingFor(f)
			if got := written(w)[f]; !r.equal(got, v) {
				t.Errorf("%s: step %s wrote %s = %s; the plan shows %s", what, st.Kind, f, r.text(got), r.text(v))
			}
		}
	}
}

// checkCreateStep checks that the create step lists what CreateService was
// given: each value the step shows, the password when it shows one, the tag
// request when it shows one, and for every other core setting the value a
// service has when CreateService is not given it (no group, no
// dependencies).
func checkCreateStep(t *testing.T, what string, st Step, w memCall) {
	t.Helper()
	listed := map[Field]bool{}
	for _, c := range st.Changes {
		listed[c.Field] = true
		r, ok := settingFor(c.Field)
		switch {
		case c.Field == "name":
			if c.New != w.Service {
				t.Errorf("%s: the create step names %v; CreateService got %s", what, c.New, w.Service)
			}
		case c.Field == FieldPassword:
			if _, ok := written(w)[FieldPassword]; !ok || c.To != hiddenPassword || c.New != nil {
				t.Errorf("%s: the create step shows the password as %+v; CreateService got one: %v", what, c, ok)
			}
		case !ok:
			t.Errorf("%s: the create step lists %s, which is not a setting", what, c.Field)
		case c.Field == FieldTagID:
			if _, asked := written(w)[FieldTagID]; !asked || c.To != newTag {
				t.Errorf("%s: the create step shows a tag request %+v; CreateService asked for one: %v", what, c, asked)
			}
		default:
			if v, ok := written(w)[c.Field]; !ok || !r.equal(v, c.New) {
				t.Errorf("%s: the create step shows %s = %s; CreateService got %s", what, c.Field, c.To, r.text(v))
			}
		}
	}
	for f, v := range written(w) {
		if listed[f] {
			continue
		}
		r, _ := settingFor(f)
		if f == FieldPassword || f == FieldTagID || r.created == nil || !r.equal(v, r.created) {
			t.Errorf("%s: CreateService got %s = %v, which the create step does not list", what, f, v)
		}
	}
}

// TestSaveWritesWhatPlanShows changes each setting alone on a loaded
// service and checks that Save makes exactly the SCM calls Plan showed,
// that the setting now has its new value, and that no other setting
// changed; on an SCM that behaves as Windows documents and on one with
// Wine's quirks (where every ChangeServiceConfig must resend the
// dependencies, or lose them).
func TestSaveWritesWhatPlanShows(t *testing.T) {
	ctx := context.Background()
	for _, q := range []quirks{{}, wineQuirks} {
		for _, r := range settings {
			what := fmt.Sprintf("%s (quirks %+v)", r.field, q)
			scm := newMemSCM(q, baseService())
			m := memManager(scm)
			s := mustLoad(t, m, "S")
			before := snapshot(scm.Service("S"))
			changeOne(t, s, r.field)
			plan, err := planOf(ctx, s)
			if err != nil {
				t.Fatalf("%s: Plan: %v", what, err)
			}
			if plan.Empty() {
				t.Fatalf("%s: the sample value makes no change", what)
			}
			scm.Reset()
			res, err := s.Save(ctx, SaveOptions{})
			if err != nil {
				t.Fatalf("%s: Save: %v", what, err)
			}
			if !slices.EqualFunc(res.Plan.Steps, plan.Steps, stepEqual) {
				t.Errorf("%s: Save executed\n%s\nPlan showed\n%s", what, res.Plan.String(), plan.String())
			}
			checkWritesMatchPlan(t, what, plan, scm.Writes())
			after := snapshot(scm.Service("S"))
			for _, o := range settings {
				changed := !o.equal(before[o.field], after[o.field])
				if o.field == FieldTagID {
					changed = before[o.field] != after[o.field]
				}
				inPlan := slices.Contains(plan.Fields(), o.field)
				if changed != inPlan {
					t.Errorf("%s: %s changed %v (%s -> %s), in the plan %v", what, o.field, changed,
						o.text(before[o.field]), o.text(after[o.field]), inPlan)
				}
			}
			if q.NullDependenciesClear && plan.Steps[0].Kind == StepConfig && r.field != FieldDependencies &&
				!slices.ContainsFunc(plan.Steps[0].Resend, func(c Change) bool { return c.Field == FieldDependencies }) {
				t.Errorf("%s: a ChangeServiceConfig on an SCM that clears dependencies does not resend them", what)
			}
		}
	}
}

// TestCreateWritesWhatPlanShows creates a service with every setting set
// and checks that CreateService received the core settings and each
// config2 step its value.
func TestCreateWritesWhatPlanShows(t *testing.T) {
	ctx := context.Background()
	def := Definition{Name: "New", CommandLine: `C:\new.exe -a`, DisplayName: "New one", StartType: Ptr(AutoStart),
		DelayedAutoStart: Ptr(true), ErrorControl: Ptr(ErrorSevere), Dependencies: []Dependency{ServiceDependency("RpcSs")},
		ServiceStartName: `NT AUTHORITY\LocalService`}
	for f, v := range sampleValues {
		r, _ := settingFor(f)
		if r.level != 0 {
			r.defSet(&def, v)
		}
	}
	scm := newMemSCM(wineQuirks)
	s, err := memManager(scm).New(def)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := planOf(ctx, s)
	if err != nil || !plan.Create {
		t.Fatalf("Plan = %s, %v", plan.String(), err)
	}
	scm.Reset()
	if _, err := s.Save(ctx, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	writes := scm.Writes()
	checkWritesMatchPlan(t, "create", plan, writes)
	target := s.Config()
	for f, v := range written(writes[0]) {
		r, _ := settingFor(f)
		if !r.equal(v, r.get(target)) {
			t.Errorf("CreateService got %s = %s; the definition sets %s", f, r.text(v), r.text(r.get(target)))
		}
	}
	got := cfgOf(scm.Service("New"))
	for f, v := range sampleValues {
		if r, _ := settingFor(f); r.level != 0 && !r.equal(r.get(got), v) {
			t.Errorf("created %s = %s; want %s", f, r.text(r.get(got)), r.text(v))
		}
	}
}

// TestSavePasswordGoesWithTheAccount checks the one value a plan never
// holds: the password reaches ChangeServiceConfig with the account (resent
// when only the password changes), and never an undo.
func TestSavePasswordGoesWithTheAccount(t *testing.T) {
	ctx := context.Background()
	for _, accountChanges := range []bool{true, false} {
		base := baseService()
		setCfg(base, func(c *Config) { c.ServiceStartName = `.\olduser` })
		scm := newMemSCM(quirks{}, base)
		s := mustLoad(t, memManager(scm), "S")
		if accountChanges {
			s.Update(func(c *Config) { c.ServiceStartName = `.\bob` })
		}
		scm.Reset()
		res, err := s.Save(ctx, SaveOptions{Password: "s3cret"})
		if err != nil {
			t.Fatal(err)
		}
		w := scm.Writes()
		if len(w) != 1 || written(w[0])[FieldPassword] != "s3cret" || written(w[0])[FieldServiceStartName] == nil {
			t.Errorf("account changes %v: writes %+v; want one ChangeServiceConfig with the account and the password", accountChanges, w)
		}
		if strings.Contains(fmt.Sprintf("%+v", res.Plan), "s3cret") {
			t.Errorf("the plan holds the password: %+v", res.Plan)
		}
	}
}

// TestRollbackRestoresEverything fails the last step of a save and checks
// that every setting is back as it was, on both kinds of SCM, and that the
// undo steps were the inverses of the steps made.
func TestRollbackRestoresEverything(t *testing.T) {
	ctx := context.Background()
	for _, q := range []quirks{{}, wineQuirks} {
		scm := newMemSCM(q, baseService())
		s := mustLoad(t, memManager(scm), "S")
		before := snapshot(scm.Service("S"))
		s.Update(func(c *Config) {
			c.DisplayName, c.Description, c.PreshutdownTimeout = "Renamed", "changed", time.Minute
		})
		scm.Fail["changeConfig2 7"] = Errno(87)
		scm.Reset()
		_, err := s.Save(ctx, SaveOptions{})
		if !errors.Is(err, ErrInvalidParameter) || strings.Contains(err.Error(), "rollback incomplete") {
			t.Fatalf("quirks %+v: Save = %v; want the step's error, and a complete rollback", q, err)
		}
		var e *Error
		if !errors.As(err, &e) || e.Op != "save" || e.Service != "S" {
			t.Errorf("quirks %+v: error %#v; want a *Error for save of S", q, err)
		}
		after := snapshot(scm.Service("S"))
		for _, r := range settings {
			if !r.equal(before[r.field], after[r.field]) {
				t.Errorf("quirks %+v: %s is %s after the rollback; was %s", q, r.field, r.text(after[r.field]), r.text(before[r.field]))
			}
		}
		// config, description, preshutdown (fails), then undo description,
		// undo config.
		var ops []string
		for _, w := range scm.Writes() {
			ops = append(ops, fmt.Sprintf("%s %d", w.Op, w.Level))
		}
		want := []string{"changeConfig 0", "changeConfig2 1", "changeConfig2 7", "changeConfig2 1", "changeConfig 0"}
		if !slices.Equal(ops, want) {
			t.Errorf("quirks %+v: writes %v; want %v", q, ops, want)
		}
	}
}

// TestPlanChangesNothing checks that Plan is pure: it changes neither the
// entity nor the SCM, and for a loaded entity reads nothing.
func TestPlanChangesNothing(t *testing.T) {
	ctx := context.Background()
	scm := newMemSCM(quirks{}, baseService())
	m := memManager(scm)
	n, err := m.New(Definition{Name: "S", Description: Ptr("from a definition")})
	if err != nil {
		t.Fatal(err)
	}
	cfg := n.Config()
	p, err := planOf(ctx, n)
	if err != nil || p.Create || len(p.Steps) != 1 {
		t.Fatalf("Plan of a New entity for an installed service = %s, %v; want one description step", p.String(), err)
	}
	if n.Loaded() != nil || diffFields(cfg, n.Config(), nil) != nil {
		t.Errorf("Plan changed the entity: Loaded() = %v", n.Loaded())
	}
	s := mustLoad(t, m, "S")
	s.Update(func(c *Config) { c.Description = "x" })
	scm.Reset()
	if _, err := planOf(ctx, s); err != nil || len(scm.Calls()) != 0 {
		t.Errorf("Plan of a loaded entity: %v, calls %v; want no SCM call", err, scm.Ops())
	}
	for _, w := range scm.Writes() {
		t.Errorf("Plan wrote %+v", w)
	}
}

// TestSkippedIsNotUnverified checks that a best-effort default the SCM does
// not support is reported as skipped, and not also as unverified.
func TestSkippedIsNotUnverified(t *testing.T) {
	scm := newMemSCM(wineQuirks)
	scm.Unsupported[5] = true // SID type, as under Wine
	s, _ := memManager(scm).New(Definition{Name: "N", BinaryPath: `C:\n.exe`})
	res, err := s.Save(context.Background(), SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Kind != StepKind(FieldSIDType) {
		t.Errorf("skipped %+v; want the SID type", res.Skipped)
	}
	for _, u := range res.Unverified {
		if u.Field == FieldSIDType {
			t.Errorf("sidType is both skipped and unverified: %+v", res.Unverified)
		}
	}
	if s.Config().Available(FieldSIDType) {
		t.Error("the SID type reads as available after the save")
	}
}

// TestSaveErrorsAreErrors checks that every failure of Save, validation
// included, comes back as an *Error for "save" naming the service, and that
// an out-of-range enum is named as it prints: its Win32 value in
// hexadecimal (ErrorControl(9) is 0x9), the number text and JSON give.
func TestSaveErrorsAreErrors(t *testing.T) {
	scm := newMemSCM(quirks{}, baseService())
	s := mustLoad(t, memManager(scm), "S")
	s.Update(func(c *Config) { c.ErrorControl = ErrorControl(9) })
	_, err := s.Save(context.Background(), SaveOptions{})
	var e *Error
	var ve *ValidationError
	if !errors.As(err, &e) || e.Op != "save" || e.Service != "S" || !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("Save = %#v; want a *Error for save of S wrapping a *ValidationError", err)
	}
	if ve.Field != string(FieldErrorControl) || !strings.Contains(err.Error(), `"0x9"`) || !slices.Contains(ve.Allowed, "ERROR_SEVERE") {
		t.Errorf("error %q; want it to name errorControl, the value as it prints (0x9), and the allowed names", err)
	}
	if len(scm.Writes()) != 0 {
		t.Errorf("a refused save wrote %+v", scm.Writes())
	}
}

// TestCreatePlanListsWhatCreateServiceGets checks that the plan of a new
// service lists every value CreateService is given (a dry run shows the
// program and the start type), with the group, the tag request and the
// password (hidden) when there are, and that the save gives exactly those.
func TestCreatePlanListsWhatCreateServiceGets(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		def      Definition
		password string
		want     []Field
	}{
		{Definition{Name: "New", BinaryPath: `C:\new.exe`},
			"", []Field{"name", FieldDisplayName, FieldServiceType, FieldStartType, FieldErrorControl, FieldBinaryPath, FieldServiceStartName}},
		{Definition{Name: "New", BinaryPath: `C:\new.exe`, StartType: Ptr(AutoStart), LoadOrderGroup: Ptr("G"), RequestTag: true,
			ServiceStartName: `.\bob`, Dependencies: []Dependency{GroupDependency("H")}},
			"pw", []Field{"name", FieldDisplayName, FieldServiceType, FieldStartType, FieldErrorControl, FieldBinaryPath,
				FieldLoadOrderGroup, FieldTagID, FieldDependencies, FieldServiceStartName, FieldPassword}},
	} {
		scm := newMemSCM(quirks{})
		s, err := memManager(scm).New(tc.def)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Save(ctx, SaveOptions{DryRun: true, Password: tc.password})
		if err != nil || !res.Plan.Create {
			t.Fatalf("dry run: %v, %+v", err, res)
		}
		var got []Field
		for _, c := range res.Plan.Steps[0].Changes {
			got = append(got, c.Field)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("the create step lists %v; want %v", got, tc.want)
		}
		if text := res.Plan.String(); !strings.Contains(text, `binaryPathName                      -> "C:\\new.exe"`) ||
			!strings.Contains(text, "startType                           -> ") || strings.Contains(text, tc.password+"\n") && tc.password != "" {
			t.Errorf("the dry run shows\n%s\nwant the program and the start type, and no password", text)
		}
		scm.Reset()
		res, err = s.Save(ctx, SaveOptions{Password: tc.password})
		if err != nil {
			t.Fatal(err)
		}
		checkWritesMatchPlan(t, tc.def.Name, res.Plan, scm.Writes())
	}
}
