package winsvc

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestSplitUserServiceName(t *testing.T) {
	tests := map[string][2]string{
		"CDPUserSvc_3d8f1":    {"CDPUserSvc", "3d8f1"},
		"OneSyncSvc_1A2B3C4D": {"OneSyncSvc", "1A2B3C4D"},
		"a_b_c_ff":            {"a_b_c", "ff"},
		"NoSuffix":            {"", ""},
		"Trailing_":           {"", ""},
		"_abc":                {"", ""},
		"Not_hex_xyz":         {"", ""},
	}
	for name, want := range tests {
		tmpl, luid, ok := splitUserServiceName(name)
		if tmpl != want[0] || luid != want[1] || ok != (want[0] != "") {
			t.Errorf("splitUserServiceName(%q) = %q, %q, %v; want %q, %q", name, tmpl, luid, ok, want[0], want[1])
		}
	}
}

func TestUserServiceInfo(t *testing.T) {
	all := []Status{
		{Name: "CDPUserSvc", ServiceType: UserShareProcess},
		{Name: "CDPUserSvc_3d8f1", ServiceType: UserShareProcess | serviceUserServiceInstance},
		{Name: "cdpusersvc_a0", ServiceType: UserShareProcess | serviceUserServiceInstance},
		{Name: "CDPUserSvc_ab", ServiceType: Win32OwnProcess}, // not an instance
		{Name: "Spooler", ServiceType: Win32OwnProcess},
	}
	tests := []struct {
		name string
		typ  ServiceType
		want UserServiceInfo
	}{
		{"CDPUserSvc", UserShareProcess, UserServiceInfo{Template: true, Instances: []string{"CDPUserSvc_3d8f1", "cdpusersvc_a0"}}},
		{"CDPUserSvc_3d8f1", UserShareProcess | serviceUserServiceInstance,
			UserServiceInfo{Instance: true, TemplateName: "CDPUserSvc", LUID: "3d8f1"}},
		{"Spooler", Win32OwnProcess, UserServiceInfo{}},
	}
	for _, tc := range tests {
		if got := userServiceInfo(tc.name, tc.typ, all); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// regSCM serves registry values and statuses from memory.
type regSCM struct {
	*memSCM
	values map[string][]byte // "service\\value"
}

func (r *regSCM) ServiceValues(service string, names ...string) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, n := range names {
		if v, ok := r.values[service+`\`+n]; ok {
			out[n] = v
		}
	}
	return out, nil
}

func TestManagedAccountAndUserServiceFlags(t *testing.T) {
	tmpl, inst := svc("Tmpl", Stopped), svc("Tmpl_1f", Running)
	setCfg(tmpl, func(c *Config) { c.ServiceType = UserOwnProcess })
	setCfg(inst, func(c *Config) { c.ServiceType = UserOwnProcess | serviceUserServiceInstance })
	scm := &regSCM{memSCM: newMemSCM(wineQuirks, svc("Managed", Stopped), svc("Plain", Stopped), tmpl, inst)}
	scm.values = map[string][]byte{
		`Managed\ServiceAccountManaged`: {1, 0, 0, 0},
		`Plain\ServiceAccountManaged`:   {0, 0, 0, 0},
		`Tmpl\UserServiceFlags`:         {0, 0, 0, 0},
	}
	scm.Unsupported[levelManagedAccount] = true // as Wine's SCM
	m := memManager(scm)
	ctx := context.Background()
	// The SCM lacks the level: the flag is read from the registry value the
	// SCM keeps (false when absent).
	for name, want := range map[string]bool{"Managed": true, "Plain": false, "Tmpl": false} {
		s, err := m.Load(ctx, name)
		if err != nil || s.Config().ManagedAccount != want || !s.Config().Available(FieldManagedAccount) {
			t.Errorf("%s: managed account %v, %v; want %v, read from the registry", name, s.Config().ManagedAccount, err, want)
		}
	}
	// Without registry access either, the setting is unavailable with the
	// SCM's error, and the load succeeds.
	bare := newMemSCM(wineQuirks, svc("x", Stopped))
	bare.Unsupported[levelManagedAccount] = true
	noRegistry := memManager(struct{ platformConn }{bare})
	if s, err := noRegistry.Load(ctx, "x"); err != nil || !errors.Is(s.Config().Unavailable[FieldManagedAccount], ErrInvalidLevel) {
		t.Errorf("without the SCM level or registry access: %v; want the setting unavailable with ERROR_INVALID_LEVEL", err)
	}
	info, err := m.UserServiceInfo(ctx, "Tmpl")
	want := UserServiceInfo{Template: true, Instances: []string{"Tmpl_1f"}, InstancesDisabled: true}
	if err != nil || !reflect.DeepEqual(info, want) {
		t.Errorf("UserServiceInfo(Tmpl) = %+v, %v; want %+v", info, err, want)
	}
	if info, err := m.UserServiceInfo(ctx, "Plain"); err != nil || !reflect.DeepEqual(info, UserServiceInfo{}) {
		t.Errorf("UserServiceInfo(Plain) = %+v, %v", info, err)
	}
	if !flagSet([]byte{0, 0, 0, 1}) || flagSet(nil) || flagSet([]byte{0}) {
		t.Error("flagSet")
	}
}

// TestManagedAccountThroughTheSCM: where the SCM has the level, the flag
// is read and written through it, the registry is not consulted, and a
// refused write changes nothing.
func TestManagedAccountThroughTheSCM(t *testing.T) {
	scm := &regSCM{memSCM: newMemSCM(quirks{}, svc("Level", Stopped))}
	setCfg(scm.Service("Level"), func(c *Config) { c.ManagedAccount = true })
	// The registry disagrees with the SCM: the SCM's answer wins.
	scm.values = map[string][]byte{`Level\ServiceAccountManaged`: {0}}
	m := memManager(scm)
	ctx := context.Background()
	s := mustLoad(t, m, "Level")
	if !s.Config().ManagedAccount {
		t.Error("the registry's value was read although the SCM reports the flag")
	}
	for _, want := range []bool{false, true} {
		if err := s.Apply(Definition{ManagedAccount: Ptr(want)}); err != nil {
			t.Fatal(err)
		}
		scm.Reset()
		if _, err := s.Save(ctx, SaveOptions{}); err != nil {
			t.Fatalf("Save(managedAccount %v): %v", want, err)
		}
		w := scm.Writes()
		if len(w) != 1 || w[0].Level != levelManagedAccount || written(w[0])[FieldManagedAccount] != want {
			t.Errorf("writes %+v; want one ChangeServiceConfig2 level 11 setting %v", w, want)
		}
		if s.Config().ManagedAccount != want || cfgOf(scm.Service("Level")).ManagedAccount != want {
			t.Errorf("after saving %v: entity %v, SCM %v", want, s.Config().ManagedAccount, cfgOf(scm.Service("Level")).ManagedAccount)
		}
	}
	scm.Fail["changeConfig2 11"] = ErrInvalidParameter
	s.Update(func(c *Config) { c.ManagedAccount = false })
	if _, err := s.Save(ctx, SaveOptions{}); !errors.Is(err, ErrInvalidParameter) || !cfgOf(scm.Service("Level")).ManagedAccount {
		t.Errorf("refused write: %v, flag %v; want ERROR_INVALID_PARAMETER and the flag kept", err, cfgOf(scm.Service("Level")).ManagedAccount)
	}
}
