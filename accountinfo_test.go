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

func (r *regSCM) serviceValues(service string, names ...string) (map[string][]byte, error) {
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
	tmpl.cfg.ServiceType, inst.cfg.ServiceType = UserOwnProcess, UserOwnProcess|serviceUserServiceInstance
	scm := &regSCM{memSCM: newMemSCM(wineQuirks, svc("Managed", Stopped), svc("Plain", Stopped), tmpl, inst)}
	scm.values = map[string][]byte{
		`Managed\ServiceAccountManaged`: {1, 0, 0, 0},
		`Plain\ServiceAccountManaged`:   {0, 0, 0, 0},
		`Tmpl\UserServiceFlags`:         {0, 0, 0, 0},
	}
	m := &Manager{conn: scm}
	ctx := context.Background()
	for name, want := range map[string]bool{"Managed": true, "Plain": false, "Tmpl": false} {
		got, err := (&Service{m: m, name: name}).ManagedAccount(ctx)
		if err != nil || got != want {
			t.Errorf("ManagedAccount(%s) = %v, %v; want %v", name, got, err, want)
		}
	}
	noRegistry := &Manager{conn: struct{ scmConn }{newMemSCM(wineQuirks, svc("x", Stopped))}}
	if _, err := (&Service{m: noRegistry, name: "x"}).ManagedAccount(ctx); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("without the SCM level or registry access: %v, want ErrUnsupported", err)
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

// maSCM serves services whose handles answer the managed-account level
// (managedAccountConn), and registry values, from memory.
type maSCM struct {
	regSCM
	flags   map[string]bool  // the SCM's flag, by service
	readErr map[string]error // what reading the level fails with
	setErr  error            // what writing the level fails with
	access  []uint32         // the access each open asked for
}

type maService struct {
	*memHandle
	scm *maSCM
}

func (f *maSCM) openService(name string, access uint32) (serviceConn, error) {
	f.access = append(f.access, access)
	h, err := f.memSCM.openService(name, access)
	if err != nil {
		return nil, err
	}
	return &maService{memHandle: h.(*memHandle), scm: f}, nil
}

func (s *maService) managedAccount() (bool, error) {
	if err := s.scm.readErr[s.name]; err != nil {
		return false, err
	}
	return s.scm.flags[s.name], nil
}

func (s *maService) setManagedAccount(managed bool) error {
	if s.scm.setErr != nil {
		return s.scm.setErr
	}
	s.scm.flags[s.name] = managed
	return nil
}

func TestManagedAccountThroughTheSCM(t *testing.T) {
	scm := &maSCM{
		regSCM: regSCM{memSCM: newMemSCM(wineQuirks, svc("Level", Stopped), svc("Old", Stopped), svc("Unmarshalled", Stopped), svc("Denied", Stopped))},
		flags:  map[string]bool{"Level": true},
		readErr: map[string]error{
			"Old":          ErrInvalidLevel, // an SCM without level 11
			"Unmarshalled": Errno(1733),     // an RPC client without arm 11
			"Denied":       ErrAccessDenied,
		},
	}
	// The registry disagrees with the SCM for Level: the SCM's answer wins.
	scm.values = map[string][]byte{`Level\ServiceAccountManaged`: {0}, `Old\ServiceAccountManaged`: {1, 0, 0, 0}}
	m := &Manager{conn: scm}
	ctx := context.Background()
	for name, want := range map[string]bool{"Level": true, "Old": true, "Unmarshalled": false} {
		if got, err := (&Service{m: m, name: name}).ManagedAccount(ctx); err != nil || got != want {
			t.Errorf("ManagedAccount(%s) = %v, %v; want %v", name, got, err, want)
		}
	}
	if _, err := (&Service{m: m, name: "Denied"}).ManagedAccount(ctx); codeOf(err) != ErrAccessDenied {
		t.Errorf("ManagedAccount(Denied) = %v; want ERROR_ACCESS_DENIED, not a registry fallback", err)
	}
	for _, a := range scm.access {
		if a != accessQueryConfig {
			t.Errorf("reading opened with access %#x; want SERVICE_QUERY_CONFIG only", a)
		}
	}

	scm.access = nil
	level := &Service{m: m, name: "Level"}
	for _, want := range []bool{false, true} {
		if err := level.SetManagedAccount(ctx, want); err != nil {
			t.Fatalf("SetManagedAccount(%v): %v", want, err)
		}
		if got, err := level.ManagedAccount(ctx); err != nil || got != want {
			t.Errorf("after SetManagedAccount(%v): %v, %v", want, got, err)
		}
	}
	if scm.access[0] != accessChangeConfig {
		t.Errorf("SetManagedAccount opened with access %#x; want SERVICE_CHANGE_CONFIG only", scm.access[0])
	}
	scm.setErr = ErrInvalidLevel
	err := level.SetManagedAccount(ctx, true)
	var e *Error
	if !errors.As(err, &e) || e.Op != "managedaccount" || e.Code != ErrInvalidLevel || e.Service != "Level" {
		t.Errorf("SetManagedAccount on an SCM without the level = %#v; want a *Error with ERROR_INVALID_LEVEL", err)
	}
	if !scm.flags["Level"] {
		t.Error("a refused SetManagedAccount changed the flag")
	}
	if err := (&Service{m: m, name: "Missing"}).SetManagedAccount(ctx, true); codeOf(err) != ErrNotFound {
		t.Errorf("SetManagedAccount(Missing) = %v; want ERROR_SERVICE_DOES_NOT_EXIST", err)
	}
	plain := &Manager{conn: newMemSCM(wineQuirks, svc("x", Stopped))}
	if err := (&Service{m: plain, name: "x"}).SetManagedAccount(ctx, true); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("SetManagedAccount without the level = %v; want ErrUnsupported", err)
	}
}
