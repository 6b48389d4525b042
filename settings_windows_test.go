//go:build windows

package winsvc

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/winsvc/winsvc/internal/testbed"
	"github.com/winsvc/winsvc/trigger"
)

// These tests write each optional setting through the SCM with the library
// (Manager.New + Save, and Update + Save on an existing service) and read it
// back with Manager.Load. Windows must store and report every one. Wine's
// SCM (docs/wine-scm.md §4) rejects most levels; there the tests assert the
// exact code it returns and that nothing was left changed, then skip.

// settingCase is one optional setting written through the SCM.
type settingCase struct {
	name  string
	field Field
	set   func(d *Definition)
	// check compares what Load read back with what was set (Windows).
	check func(c *Config) bool
	// wine is the code Wine's SCM fails the set with (docs/wine-scm.md §4), or
	// 0 when Wine returns success without storing anything (level 2).
	wine Errno
	// created: the value set is the one CreateService gives a service, so
	// a create does not write it (the setting's created value in the
	// setting table); an update of a service whose value could not be read
	// does.
	created bool
}

var settingCases = []settingCase{
	{"requiredPrivileges", FieldRequiredPrivileges,
		func(d *Definition) { d.RequiredPrivileges = []string{"SeChangeNotifyPrivilege", "SeShutdownPrivilege"} },
		func(c *Config) bool {
			return reflect.DeepEqual(c.RequiredPrivileges, []string{"SeChangeNotifyPrivilege", "SeShutdownPrivilege"})
		},
		ErrInvalidLevel, false}, // level 6
	{"sidType", FieldSIDType,
		func(d *Definition) { d.SIDType = Ptr(SIDTypeRestricted) },
		func(c *Config) bool { return c.SIDType == SIDTypeRestricted },
		ErrInvalidLevel, false}, // level 5
	{"preferredNode", FieldPreferredNode,
		func(d *Definition) { d.PreferredNode = &PreferredNode{Node: 0, Set: true} },
		func(c *Config) bool { return c.PreferredNode == PreferredNode{Node: 0, Set: true} },
		1733, false}, // level 9: RPC_X_ENUM_VALUE_OUT_OF_RANGE
	{"launchProtected", FieldLaunchProtected,
		// NONE is the only level an unsigned service may be given
		// (SERVICE_LAUNCH_PROTECTED_INFO: any protection needs a special
		// signature). It is what CreateService gives, so a create does not
		// write it; an update where it could not be read (Wine) is a
		// level-12 call.
		func(d *Definition) { d.LaunchProtected = Ptr(LaunchProtectedNone) },
		func(c *Config) bool { return c.LaunchProtected == LaunchProtectedNone },
		1733, true}, // level 12
	{"failureActions", FieldFailureActions,
		func(d *Definition) {
			d.FailureActions = &FailureActions{ResetPeriod: ResetAfter(time.Hour), Command: `C:\Windows\System32\cmd.exe /c exit 0`,
				Actions: []Action{RestartAction(5 * time.Second), RunCommandAction(10 * time.Second), NoAction(0)}}
		},
		func(c *Config) bool {
			return c.FailureActions.Equal(FailureActions{ResetPeriod: ResetAfter(time.Hour), Command: `C:\Windows\System32\cmd.exe /c exit 0`,
				Actions: []Action{RestartAction(5 * time.Second), RunCommandAction(10 * time.Second), NoAction(0)}})
		},
		0, false}, // level 2: Wine returns success and stores nothing; the query fails with 124
	{"failureActionsOnNonCrashFailures", FieldFailureFlag,
		func(d *Definition) { d.FailureActionsOnNonCrashFailures = Ptr(true) },
		func(c *Config) bool { return c.FailureActionsOnNonCrashFailures },
		ErrInvalidLevel, false}, // level 4
	{"delayedAutoStart", FieldDelayedAutoStart,
		func(d *Definition) { d.StartType, d.DelayedAutoStart = Ptr(AutoStart), Ptr(true) },
		func(c *Config) bool { return c.StartType == AutoStart && c.DelayedAutoStart },
		ErrInvalidLevel, false}, // level 3
	{"triggers", FieldTriggers,
		func(d *Definition) {
			d.Triggers = []trigger.Trigger{{Type: trigger.TypeIPAddressAvailability, Action: trigger.Start, Subtype: trigger.NetworkFirstIPAddressArrival}}
		},
		func(c *Config) bool {
			return trigger.Equal(c.Triggers, []trigger.Trigger{{Type: trigger.TypeIPAddressAvailability, Action: trigger.Start, Subtype: trigger.NetworkFirstIPAddressArrival}})
		},
		1733, false}, // level 8
}

// settingsService returns a definition of a new, uniquely named service
// running internal/testsvc, and deletes the service after the test.
func settingsService(t *testing.T, m *Manager) Definition {
	t.Helper()
	name := testbed.UniqueName(t, "i3s")
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		s, _ := m.Service(name)
		if err := s.Delete(ctx, DeleteOptions{Stop: true}); err != nil && !errors.Is(err, ErrNotFound) {
			t.Logf("cleanup %s: %v", name, err)
		}
	})
	return Definition{Name: name, BinaryPath: testbed.ServiceExe(t), Args: []string{"-mode=normal"}}
}

// gone waits briefly until service name no longer exists (Wine removes a
// deleted service within milliseconds of its last handle closing).
func gone(ctx context.Context, m *Manager, name string) bool {
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ok, err := m.exists(ctx, name)
		if err == nil && !ok {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

func TestSettingsCreatedThroughSCM(t *testing.T) {
	m := scmForTest(t)
	for _, tc := range settingCases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			def := settingsService(t, m)
			tc.set(&def)
			s, err := m.New(def)
			if err != nil {
				t.Fatal(err)
			}
			var res *SaveResult
			res, err = s.Save(ctx, SaveOptions{})
			if tc.created {
				if err != nil || slices.Contains(res.Plan.Fields(), tc.field) {
					t.Fatalf("creating with %s, the value CreateService gives: %v, plan %v; want it saved without writing %s",
						tc.field, err, res.Plan.Fields(), tc.field)
				}
				if testbed.IsWine() {
					t.Skipf("Wine's SCM cannot report %s (docs/wine-scm.md §4): created without writing it; read-back not checked", tc.field)
				}
				checkCreated(t, m, def.Name, tc)
				return
			}
			if testbed.IsWine() && tc.wine != 0 {
				if code := codeOf(err); code != tc.wine {
					t.Fatalf("Wine: creating with %s gave %v, want %s", tc.field, err, tc.wine.Name())
				}
				if !gone(ctx, m, def.Name) {
					t.Errorf("Wine: the failed create left service %s behind (no rollback)", def.Name)
				}
				t.Skipf("Wine's SCM does not support %s (docs/wine-scm.md §4): Save failed with %s and the create was rolled back; read-back not checked",
					tc.field, tc.wine.Name())
			}
			if err != nil {
				t.Fatalf("Save with %s: %v", tc.field, err)
			}
			checkReadBack(t, m, def.Name, tc, res)
		})
	}
}

func TestSettingsUpdatedThroughSCM(t *testing.T) {
	m := scmForTest(t)
	for _, tc := range settingCases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			def := settingsService(t, m)
			created, err := m.New(def)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := created.Save(ctx, SaveOptions{}); err != nil {
				t.Fatalf("creating the plain service: %v", err)
			}
			s, err := m.Load(ctx, def.Name)
			if err != nil {
				t.Fatal(err)
			}
			before := s.Loaded()
			var change Definition
			tc.set(&change)
			if err := s.Apply(change); err != nil {
				t.Fatal(err)
			}
			var res *SaveResult
			res, err = s.Save(ctx, SaveOptions{})
			if testbed.IsWine() && tc.wine != 0 {
				if code := codeOf(err); code != tc.wine {
					t.Fatalf("Wine: updating %s gave %v, want %s", tc.field, err, tc.wine.Name())
				}
				now, lerr := m.Load(ctx, def.Name)
				if lerr != nil {
					t.Fatal(lerr)
				}
				if diff := ComputePlan(before, now.Loaded(), nil, ""); !diff.Empty() {
					t.Errorf("Wine: the failed update left changes: %s", diff.String())
				}
				t.Skipf("Wine's SCM does not support %s (docs/wine-scm.md §4): Save failed with %s and changed nothing; read-back not checked",
					tc.field, tc.wine.Name())
			}
			if err != nil {
				t.Fatalf("Save with %s: %v", tc.field, err)
			}
			checkReadBack(t, m, def.Name, tc, res)
		})
	}
}

// checkCreated loads a service created with a setting it was not written
// for (CreateService gave it) and checks the setting.
func checkCreated(t *testing.T, m *Manager, name string, tc settingCase) {
	t.Helper()
	got, err := m.Load(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	if c := got.Config(); !c.Available(tc.field) || !tc.check(c) {
		t.Errorf("%s after the create: %+v (unavailable: %v)", tc.field, c, c.Unavailable[tc.field])
	}
}

// checkReadBack loads the service and checks the setting. Under Wine, only
// failure actions get here (set accepted, nothing stored): they must read as
// unavailable with ERROR_INVALID_LEVEL, never as what was asked for.
//
// res is the save's result: a setting that cannot be read back must be in
// res.Unverified, and one that reads back must not.
func checkReadBack(t *testing.T, m *Manager, name string, tc settingCase, res *SaveResult) {
	t.Helper()
	got, err := m.Load(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	c := got.Config()
	unverified := slices.ContainsFunc(res.Unverified, func(u UnverifiedSetting) bool { return u.Field == tc.field })
	if unverified == c.Available(tc.field) {
		t.Errorf("%s: in SaveResult.Unverified = %v, but available after the save = %v", tc.field, unverified, c.Available(tc.field))
	}
	if testbed.IsWine() {
		reason, missing := c.Unavailable[tc.field]
		if !missing || !errors.Is(reason, ErrInvalidLevel) {
			t.Fatalf("Wine: %s after a save Wine accepted: unavailable=%v (%q), value %+v; want unavailable with ERROR_INVALID_LEVEL",
				tc.field, missing, reason, c.FailureActions)
		}
		t.Skipf("Wine's SCM returns success for %s (level 2) but stores nothing, and its query fails with ERROR_INVALID_LEVEL (docs/wine-scm.md §4): read-back not possible (%s)",
			tc.field, reason)
	}
	if !c.Available(tc.field) {
		t.Fatalf("%s unavailable after saving it: %s", tc.field, c.Unavailable[tc.field])
	}
	if !tc.check(c) {
		t.Errorf("%s read back wrong: %+v", tc.field, c)
	}
}

// TestClearVersusUnchangedThroughSCM saves a setting as unchanged (nil) and
// then as cleared (empty), and reads each back: the description under Wine
// and Windows; required privileges and failure actions where the SCM
// supports them.
func TestClearVersusUnchangedThroughSCM(t *testing.T) {
	ctx := context.Background()
	m := scmForTest(t)
	def := settingsService(t, m)
	def.Description = Ptr("kept")
	s, err := m.New(def)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	load := func() *Config {
		t.Helper()
		l, err := m.Load(ctx, def.Name)
		if err != nil {
			t.Fatal(err)
		}
		return l.Config()
	}
	apply := func(d Definition) {
		t.Helper()
		l, err := m.Load(ctx, def.Name)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Apply(d); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Save(ctx, SaveOptions{}); err != nil {
			t.Fatalf("Save %+v: %v", d, err)
		}
	}
	// Unchanged: a Definition with Description nil (another field set).
	apply(Definition{DisplayName: "winsvc clear test " + def.Name})
	if c := load(); c.Description != "kept" || c.DisplayName != "winsvc clear test "+def.Name {
		t.Errorf("description nil: %q (display %q), want it unchanged", c.Description, c.DisplayName)
	}
	// Cleared: Ptr("").
	apply(Definition{Description: Ptr("")})
	if c := load(); c.Description != "" || !c.Available(FieldDescription) {
		t.Errorf("description \"\": %q (%v), want cleared", c.Description, c.Unavailable[FieldDescription])
	}

	// Required privileges and failure actions: set, then nil (unchanged),
	// then empty / NoFailureActions (cleared).
	l, err := m.Load(ctx, def.Name)
	if err != nil {
		t.Fatal(err)
	}
	err = l.Apply(Definition{RequiredPrivileges: []string{"SeChangeNotifyPrivilege"}})
	if err == nil {
		_, err = l.Save(ctx, SaveOptions{})
	}
	if testbed.IsWine() {
		if codeOf(err) != ErrInvalidLevel {
			t.Fatalf("Wine: setting required privileges gave %v, want ERROR_INVALID_LEVEL", err)
		}
		t.Skipf("description: unchanged and cleared read back under Wine; required privileges (level 6, %s) and failure actions (level 2, not stored) cannot be read back under Wine (docs/wine-scm.md §4)",
			ErrInvalidLevel.Name())
	}
	if err != nil {
		t.Fatal(err)
	}
	apply(Definition{FailureActions: &FailureActions{ResetPeriod: ResetAfter(time.Minute), Actions: []Action{RestartAction(time.Second)}}})
	apply(Definition{RequiredPrivileges: nil, FailureActions: nil, DisplayName: "winsvc clear test 2 " + def.Name})
	c := load()
	if !reflect.DeepEqual(c.RequiredPrivileges, []string{"SeChangeNotifyPrivilege"}) || len(c.FailureActions.Actions) != 1 {
		t.Errorf("nil privileges and failure actions: %v, %+v; want both unchanged", c.RequiredPrivileges, c.FailureActions)
	}
	apply(Definition{RequiredPrivileges: []string{}, FailureActions: NoFailureActions()})
	c = load()
	if len(c.RequiredPrivileges) != 0 || len(c.FailureActions.Actions) != 0 || !c.Available(FieldRequiredPrivileges) || !c.Available(FieldFailureActions) {
		t.Errorf("cleared privileges and failure actions read back %v, %+v (unavailable: %v)", c.RequiredPrivileges, c.FailureActions, c.Unavailable)
	}
}
