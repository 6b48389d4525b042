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
	depSCM
	values map[string][]byte // "service\\value"
}

func (r *regSCM) serviceValue(service, value string) ([]byte, bool, error) {
	v, ok := r.values[service+`\`+value]
	return v, ok, nil
}

func TestManagedAccountAndUserServiceFlags(t *testing.T) {
	tmpl, inst := svc("Tmpl", Stopped), svc("Tmpl_1f", Running)
	tmpl.typ, inst.typ = UserOwnProcess, UserOwnProcess|serviceUserServiceInstance
	scm := &regSCM{depSCM: *newDepSCM(false, svc("Managed", Stopped), svc("Plain", Stopped), tmpl, inst)}
	scm.values = map[string][]byte{
		`Managed\ServiceAccountManaged`: {1, 0, 0, 0},
		`Plain\ServiceAccountManaged`:   {0, 0, 0, 0},
		`Tmpl\UserServiceFlags`:         {0, 0, 0, 0},
	}
	for _, s := range scm.services {
		s.scm = &scm.depSCM
	}
	m := &Manager{conn: scm}
	ctx := context.Background()
	for name, want := range map[string]bool{"Managed": true, "Plain": false, "Tmpl": false} {
		got, err := (&Service{m: m, name: name}).ManagedAccount(ctx)
		if err != nil || got != want {
			t.Errorf("ManagedAccount(%s) = %v, %v; want %v", name, got, err, want)
		}
	}
	if _, err := (&Service{m: &Manager{conn: &depSCM{}}, name: "x"}).ManagedAccount(ctx); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("without registry access: %v, want ErrUnsupported", err)
	}
	info, err := m.UserServiceInfo(ctx, "Tmpl")
	want := UserServiceInfo{Template: true, Instances: []string{"Tmpl_1f"}, InstancesDisabled: true}
	if err != nil || !reflect.DeepEqual(info, want) {
		t.Errorf("UserServiceInfo(Tmpl) = %+v, %v; want %+v", info, err, want)
	}
	if info, err := m.UserServiceInfo(ctx, "Plain"); err != nil || !reflect.DeepEqual(info, UserServiceInfo{}) {
		t.Errorf("UserServiceInfo(Plain) = %+v, %v", info, err)
	}
	if !registryFlag([]byte{0, 0, 0, 1}) || registryFlag(nil) || registryFlag([]byte{0}) {
		t.Error("registryFlag")
	}
}
