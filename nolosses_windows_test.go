//go:build windows

package winsvc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/testbed"
)

// TestNoUpdateLosesData changes each setting alone and checks, through the
// registry (an independent reader: winsvc's own read-back is not trusted
// here), that only that setting's values changed: each through a fresh
// load, then each back through one entity saved after each change. Wine's SCM deletes the
// dependencies of a service on any ChangeServiceConfig that leaves them
// NULL; winsvc must send them again, so the service is created with a
// service and a group dependency.
func TestNoUpdateLosesData(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	name := testbed.UniqueName(t, "nl")
	testbed.CleanupService(t, name)
	s, err := m.New(winsvc.Definition{Name: name, BinaryPath: testbed.ServiceExe(t), Args: []string{"-mode=normal"},
		DisplayName: name + " shown", LoadOrderGroup: winsvc.Ptr("NlGroup"), Description: winsvc.Ptr("kept"),
		Dependencies: []winsvc.Dependency{winsvc.ServiceDependency("RpcSs"), winsvc.GroupDependency("NlDepGroup")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if reg := testbed.ServiceRegistry(t, name); reg["DependOnService"] != "[RpcSs]" || reg["DependOnGroup"] != "[NlDepGroup]" {
		t.Fatalf("created with dependencies %s %s; want [RpcSs] [NlDepGroup]", reg["DependOnService"], reg["DependOnGroup"])
	}
	first := testbed.ServiceRegistry(t, name)
	tests := []struct {
		field  winsvc.Field
		change func(c *winsvc.Config)
		values []string // the registry values the change may touch
	}{
		{winsvc.FieldDisplayName, func(c *winsvc.Config) { c.DisplayName = name + " renamed" }, []string{"DisplayName"}},
		{winsvc.FieldServiceType, func(c *winsvc.Config) { c.ServiceType = winsvc.Win32ShareProcess }, []string{"Type"}},
		{winsvc.FieldStartType, func(c *winsvc.Config) { c.StartType = winsvc.Disabled }, []string{"Start"}},
		{winsvc.FieldErrorControl, func(c *winsvc.Config) { c.ErrorControl = winsvc.ErrorSevere }, []string{"ErrorControl"}},
		{winsvc.FieldBinaryPath, func(c *winsvc.Config) { c.BinaryPathName += " -x" }, []string{"ImagePath"}},
		{winsvc.FieldLoadOrderGroup, func(c *winsvc.Config) { c.LoadOrderGroup = "NlOther" }, []string{"Group"}},
		{winsvc.FieldServiceStartName, func(c *winsvc.Config) { c.ServiceStartName = `NT AUTHORITY\LocalService` }, []string{"ObjectName"}},
		{winsvc.FieldDependencies, func(c *winsvc.Config) {
			c.Dependencies = []winsvc.Dependency{winsvc.ServiceDependency("RpcSs")}
		}, []string{"DependOnService", "DependOnGroup"}},
		{winsvc.FieldDescription, func(c *winsvc.Config) { c.Description = "changed" }, []string{"Description"}},
		{winsvc.FieldPreshutdownTimeout, func(c *winsvc.Config) { c.PreshutdownTimeout = time.Minute }, []string{"PreshutdownTimeout"}},
	}
	orig, err := m.Load(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	// Each change through a fresh load.
	for _, tc := range tests {
		s, err := m.Load(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		saveAlone(t, s, tc.field, func(s *winsvc.Service) { s.Update(tc.change) }, tc.values)
	}
	// Then each setting back to its first value, through one entity loaded
	// once and saved after each change: what a save does not read is the
	// load's, or an earlier save's.
	one, err := m.Load(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		saveAlone(t, one, tc.field, func(s *winsvc.Service) {
			v, err := orig.Config().ValueJSON(tc.field)
			if err != nil {
				t.Fatal(err)
			}
			var def winsvc.Definition
			if err := json.Unmarshal([]byte(fmt.Sprintf(`{"name":%q,%q:%s}`, name, tc.field, v)), &def); err != nil {
				t.Fatal(err)
			}
			if err := s.Apply(def); err != nil {
				t.Fatal(err)
			}
		}, tc.values)
	}
	if diff := testbed.RegistryDiff(testbed.ServiceRegistry(t, name), first); len(diff) > 0 {
		t.Errorf("every setting changed back, the registry still differs from the first: %v", diff)
	}
}

// saveAlone changes service s's setting field (with change) and saves it,
// checking through the registry that the save changed some of values and
// nothing else.
func saveAlone(t *testing.T, s *winsvc.Service, field winsvc.Field, change func(s *winsvc.Service), values []string) {
	t.Helper()
	before := testbed.ServiceRegistry(t, s.Name())
	change(s)
	if _, err := s.Save(context.Background(), winsvc.SaveOptions{}); err != nil {
		t.Fatalf("%s: %v", field, err)
	}
	diff := testbed.RegistryDiff(before, testbed.ServiceRegistry(t, s.Name()))
	if len(diff) == 0 {
		t.Errorf("%s: the save changed nothing in the registry", field)
	}
	for _, d := range diff {
		if !slices.ContainsFunc(values, func(v string) bool { return len(d) > len(v) && d[:len(v)+1] == v+":" }) {
			t.Errorf("changing %s alone also changed %s", field, d)
		}
	}
}

// TestRolledBackSaveLosesNothing makes a save fail after its
// ChangeServiceConfig step (launch protection for an unsigned program:
// Wine's SCM does not support it, Windows' refuses the binary) and checks,
// through the registry, that the rollback left every value as it was.
func TestRolledBackSaveLosesNothing(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	name := testbed.UniqueName(t, "rb")
	testbed.CleanupService(t, name)
	s, err := m.New(winsvc.Definition{Name: name, BinaryPath: testbed.ServiceExe(t), LoadOrderGroup: winsvc.Ptr("RbGroup"),
		Dependencies: []winsvc.Dependency{winsvc.ServiceDependency("RpcSs"), winsvc.GroupDependency("RbDepGroup")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, winsvc.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	before := testbed.ServiceRegistry(t, name)
	s.Update(func(c *winsvc.Config) {
		c.DisplayName = name + " renamed"
		c.LaunchProtected = winsvc.LaunchProtectedAntimalwareLight
	})
	res, err := s.Save(ctx, winsvc.SaveOptions{})
	if err == nil {
		t.Skipf("this SCM accepted ANTIMALWARE_LIGHT for an unsigned program, so no rollback could be caused (plan %s)", res.Plan.String())
	}
	var e *winsvc.Error
	if !errors.As(err, &e) || e.Op != "save" {
		t.Errorf("Save = %v; want a save error", err)
	}
	if res == nil || len(res.Plan.Steps) < 2 || res.Plan.Steps[0].Kind != winsvc.StepConfig {
		t.Fatalf("plan %+v; want a config step, then launch protection", res)
	}
	if diff := testbed.RegistryDiff(before, testbed.ServiceRegistry(t, name)); len(diff) > 0 {
		t.Errorf("the rolled-back save left changes: %v (error %v)", diff, err)
	}
}
