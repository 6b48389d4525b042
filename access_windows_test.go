//go:build windows

package winsvc

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/scm"
	"github.com/winsvc/winsvc/internal/scm/winscm"
	"github.com/winsvc/winsvc/internal/testbed"
)

// recordingSCM records the access mask of every service handle opened.
type recordingSCM struct {
	scmConn
	opened []uint32
}

func (r *recordingSCM) openService(name string, access uint32) (serviceConn, error) {
	r.opened = append(r.opened, access)
	return r.scmConn.openService(name, access)
}

// ServiceValues passes registry reads through (the managed-account
// fallback, and the dependencies on an SCM that does not report them).
func (r *recordingSCM) ServiceValues(service string, names ...string) (map[string][]byte, error) {
	return platform(r.scmConn).(registryConn).ServiceValues(service, names...)
}

// accessStep is an operation of TestLeastPrivilege and the access masks of
// the handles it must open, in order.
type accessStep struct {
	op   string
	run  func() error
	want []uint32
}

// TestLeastPrivilege checks that each operation opens its handles with only
// the rights it needs; the SCM enforces the mask (see
// TestSCMEnforcesAccessMask), so each operation succeeding proves the rights
// are enough, and the recorded masks prove they are no more.
func TestLeastPrivilege(t *testing.T) {
	ctx := context.Background()
	m, err := Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	name := testbed.UniqueName(t, "acc")
	logPath := filepath.Join(testbed.TempDir(t), "svc.log")
	s, err := m.New(Definition{Name: name, BinaryPath: testbed.ServiceExe(t),
		Args: []string{"-mode=normal", "-log=" + logPath, "-lifetime=60s"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	defer s.Delete(ctx, DeleteOptions{Stop: true})

	rec := &recordingSCM{scmConn: m.conn}
	m.conn = rec
	stopAccess := []uint32{accessStop | accessQueryStatus}
	steps := []accessStep{
		{"Status", func() error { _, err := m.status(ctx, name); return err }, []uint32{accessQueryStatus}},
		{"Exists", func() error { _, err := m.exists(ctx, name); return err }, []uint32{accessQueryStatus}},
		{"Load", func() error { _, err := m.Load(ctx, name); return err }, []uint32{accessQueryConfig}},
		{"Dependents", func() error { _, err := m.dependents(ctx, name, AllServices); return err }, []uint32{accessEnumDependents}},
		{"Start", func() error { return s.Start(ctx) }, []uint32{accessStart | accessQueryStatus}},
		{"Pause", func() error { return s.Pause(ctx) }, []uint32{accessPauseContinue | accessQueryStatus}},
		{"Continue", func() error { return s.Continue(ctx) }, []uint32{accessPauseContinue | accessQueryStatus}},
		{"Interrogate", func() error { _, err := s.Interrogate(ctx); return err }, []uint32{accessInterrogate | accessQueryStatus}},
		{"Control", func() error { _, err := s.Control(ctx, 130); return err }, []uint32{accessUserControl | accessQueryStatus}},
		{"Control(PARAMCHANGE)", func() error { _, err := s.Control(ctx, ControlParamChange); return err }, []uint32{accessPauseContinue | accessQueryStatus}},
		// Stop sends the control with the one handle it needs; where the
		// SCM does not track dependents (Wine's), it computes the
		// dependents of the service from the registry before sending it,
		// which opens no service handle.
		{"Stop", func() error { return s.Stop(ctx) }, stopAccess},
		// Save reads (to plan, and to check for others' changes), writes and
		// reads back through one handle, which needs both rights; it asks
		// for the status only when a change takes effect at the next start
		// (the program's path here), to say so.
		{"Save", func() error {
			s.Update(func(c *Config) { c.Description = "least privilege" })
			_, err := s.Save(ctx, SaveOptions{})
			return err
		}, []uint32{accessQueryConfig | accessChangeConfig}},
		{"Save (read at start)", func() error {
			s.Update(func(c *Config) { c.BinaryPathName += " -x" })
			_, err := s.Save(ctx, SaveOptions{})
			return err
		}, []uint32{accessQueryConfig | accessChangeConfig | accessQueryStatus}},
		{"Save (dry run)", func() error {
			s.Update(func(c *Config) { c.Description = "not saved" })
			_, err := s.Save(ctx, SaveOptions{DryRun: true})
			return err
		}, nil},
		{"Delete", func() error { return s.Delete(ctx, DeleteOptions{}) }, []uint32{accessDelete}},
	}
	for _, st := range steps {
		rec.opened = nil
		if err := st.run(); err != nil {
			t.Fatalf("%s: %v", st.op, err)
		}
		// A run of handles with the same mask (one per service read)
		// counts once.
		if got := slices.Compact(slices.Clone(rec.opened)); !slices.Equal(got, st.want) {
			t.Errorf("%s opened handles with %#x, want %#x", st.op, got, st.want)
		}
	}
	rec.opened = nil
	if _, err := m.QueryAll(ctx, QueryFilter{}); err != nil {
		t.Fatal(err)
	}
	if len(rec.opened) != 0 {
		t.Errorf("QueryAll opened %d services; it must enumerate in one call", len(rec.opened))
	}
	for _, access := range winscm.ManagerAccess(platform(rec.scmConn).(scm.Conn)) {
		if access&^(scManagerConnect|scManagerEnumerate|scManagerCreateService) != 0 {
			t.Errorf("manager handle with access %#x", access)
		}
	}
}

// TestSCMEnforcesAccessMask shows that the SCM refuses an operation through
// a handle opened with too little access, which is what makes
// TestLeastPrivilege meaningful.
func TestSCMEnforcesAccessMask(t *testing.T) {
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		t.Fatal(err)
	}
	defer windows.CloseServiceHandle(m)
	if _, err := windows.CreateService(m, windows.StringToUTF16Ptr(testbed.UniqueName(t, "acc")), nil, windows.SERVICE_ALL_ACCESS,
		windows.SERVICE_WIN32_OWN_PROCESS, windows.SERVICE_DEMAND_START, windows.SERVICE_ERROR_NORMAL,
		windows.StringToUTF16Ptr(`C:\x.exe`), nil, nil, nil, nil, nil); !errors.Is(err, windows.ERROR_ACCESS_DENIED) {
		t.Errorf("CreateService through a CONNECT-only manager handle = %v, want ERROR_ACCESS_DENIED", err)
	}
	h, err := windows.OpenService(m, windows.StringToUTF16Ptr("RpcSs"), windows.SERVICE_QUERY_STATUS)
	if err != nil {
		t.Skipf("no RpcSs service to probe: %v", err)
	}
	defer windows.CloseServiceHandle(h)
	var buf [1024]byte
	var needed uint32
	err = windows.QueryServiceConfig(h, (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&buf[0])), uint32(len(buf)), &needed)
	if !errors.Is(err, windows.ERROR_ACCESS_DENIED) {
		t.Errorf("QueryServiceConfig through a QUERY_STATUS-only handle = %v, want ERROR_ACCESS_DENIED", err)
	}
}
