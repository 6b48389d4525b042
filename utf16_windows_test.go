//go:build windows

package winsvc

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/testbed"
)

// TestSCMCallsRefuseNUL calls the SCM layer itself, below validation, with
// a NUL in each string argument of CreateService and ChangeServiceConfig.
// A string that cannot be converted to UTF-16 must fail the call with an
// error naming its field, never be passed as NULL: a create would then
// fail with ERROR_INVALID_ADDRESS (487), and a change would read NULL as
// "unchanged" and report success having written nothing. The registry,
// read without winsvc, shows that nothing was created or changed.
func TestSCMCallsRefuseNUL(t *testing.T) {
	m := scmForTest(t)
	exe := testbed.ServiceExe(t)
	conn := m.conn
	refused := func(t *testing.T, what, field string, err error) {
		t.Helper()
		var ve *ValidationError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), field) {
			t.Errorf("%s with a NUL in %s = %v; want a *ValidationError naming %s", what, field, err, field)
			return
		}
		if strings.Contains(err.Error(), "sec") {
			t.Errorf("%s: the error shows the password: %v", what, err)
		}
	}

	creates := map[string]func(c *Config) (password string){
		"name":                      func(c *Config) string { c.Name += "\x00x"; return "" },
		string(FieldDisplayName):    func(c *Config) string { c.DisplayName = "a\x00b"; return "" },
		string(FieldBinaryPath):     func(c *Config) string { c.BinaryPathName = exe + "\x00x"; return "" },
		string(FieldLoadOrderGroup): func(c *Config) string { c.LoadOrderGroup = "a\x00b"; return "" },
		string(FieldDependencies): func(c *Config) string {
			c.Dependencies = []Dependency{ServiceDependency("a\x00b")}
			return ""
		},
		string(FieldServiceStartName): func(c *Config) string { c.ServiceStartName = ".\\u\x00x"; return "pw" },
		string(FieldPassword):         func(c *Config) string { c.ServiceStartName = `.\u`; return "sec\x00ret" },
	}
	for field, set := range creates {
		t.Run("create/"+field, func(t *testing.T) {
			name := testbed.UniqueName(t, "nul")
			testbed.CleanupService(t, name)
			c := defaultConfig(name)
			c.BinaryPathName = exe
			pw := set(c)
			h, err := conn.createService(c, pw, accessQueryStatus)
			if err == nil {
				h.close()
			}
			refused(t, "CreateService", field, err)
			if _, err := testbed.QueryStatusErr(name); !errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) {
				t.Errorf("after a refused CreateService, a raw open of %s says %v; want ERROR_SERVICE_DOES_NOT_EXIST", name, err)
			}
		})
	}

	s := serviceForTest(t, m)
	before := testbed.ServiceRegistry(t, s.Name())
	h, err := conn.openService(s.Name(), accessChangeConfig)
	if err != nil {
		t.Fatal(err)
	}
	defer h.close()
	nul := Ptr("a\x00b")
	for field, cc := range map[string]*coreChange{
		string(FieldDisplayName):      {DisplayName: nul},
		string(FieldBinaryPath):       {BinaryPathName: Ptr(exe + "\x00x")},
		string(FieldLoadOrderGroup):   {LoadOrderGroup: nul},
		string(FieldDependencies):     {Dependencies: []Dependency{ServiceDependency("a\x00b")}},
		string(FieldServiceStartName): {Account: nul},
		string(FieldPassword):         {Account: Ptr(`.\u`), Password: Ptr("sec\x00ret")},
	} {
		refused(t, "ChangeServiceConfig", field, h.changeConfig(cc))
	}
	if d := testbed.RegistryDiff(before, testbed.ServiceRegistry(t, s.Name())); len(d) != 0 {
		t.Errorf("refused ChangeServiceConfig calls changed the service's registry key: %v", d)
	}
}
