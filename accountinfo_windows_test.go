//go:build windows

package winsvc

import (
	"context"
	"testing"

	"github.com/winsvc/winsvc/internal/testbed"
	"golang.org/x/sys/windows/registry"
)

// registryManagedFlag reads the ServiceAccountManaged value the SCM keeps
// for service name (false when absent).
func registryManagedFlag(t *testing.T, name string) bool {
	t.Helper()
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+name, registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	v, _, err := k.GetIntegerValue(regServiceAccountManaged)
	if err == registry.ErrNotExist {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return v != 0
}

// TestManagedAccount sets and clears the managed-account flag through the
// SCM (info level 11) and reads it back through the SCM and from the
// registry value the SCM keeps it in. Wine's SCM has no level 11: there the
// set must fail with the SCM's own code and change nothing, and the read
// falls back to the registry value.
func TestManagedAccount(t *testing.T) {
	ctx := context.Background()
	m := scmForTest(t)
	s := serviceForTest(t, m)
	if managed, err := s.ManagedAccount(ctx); err != nil || managed {
		t.Fatalf("ManagedAccount of a new service = %v, %v", managed, err)
	}
	info, err := m.UserServiceInfo(ctx, s.Name())
	if err != nil || info.Template || info.Instance {
		t.Errorf("UserServiceInfo of an ordinary service = %+v, %v", info, err)
	}

	// Clearing first: the SCM takes 0 from any service, so this proves the
	// call and SERVICE_MANAGEDACCOUNT_INFO's encoding.
	setErr := s.SetManagedAccount(ctx, false)
	if testbed.IsWine() {
		// Wine's RPC union has no arm 11: the call fails before reaching its SCM.
		if code := codeOf(setErr); code != 1733 {
			t.Fatalf("Wine: SetManagedAccount = %v; want RPC_X_ENUM_VALUE_OUT_OF_RANGE (1733)", setErr)
		}
		if registryManagedFlag(t, s.Name()) {
			t.Fatal("Wine: the refused SetManagedAccount wrote the registry value")
		}
		// The registry fallback: what Windows' SCM stores for `sc managedaccount <name> true`.
		k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+s.Name(), registry.SET_VALUE)
		if err != nil {
			t.Fatalf("cannot write the service's registry key: %v", err)
		}
		defer k.Close()
		if err := k.SetDWordValue(regServiceAccountManaged, 1); err != nil {
			t.Fatal(err)
		}
		if managed, err := s.ManagedAccount(ctx); err != nil || !managed {
			t.Errorf("Wine: ManagedAccount after setting the registry value = %v, %v; want true from the registry", managed, err)
		}
		t.Skipf("Wine's SCM does not support the managed-account level (SetManagedAccount failed with %s); the registry fallback of ManagedAccount was checked, the SCM round trip was not",
			codeOf(setErr).Name())
	}
	check := func(want bool) {
		t.Helper()
		if managed, err := s.ManagedAccount(ctx); err != nil || managed != want {
			t.Errorf("ManagedAccount after SetManagedAccount(%v) = %v, %v", want, managed, err)
		}
		if got := registryManagedFlag(t, s.Name()); got != want {
			t.Errorf("the SCM stored ServiceAccountManaged = %v after SetManagedAccount(%v)", got, want)
		}
	}
	if setErr != nil {
		t.Fatalf("SetManagedAccount(false): %v", setErr)
	}
	check(false)
	// Marking is refused with ERROR_INVALID_PARAMETER for services the SCM
	// cannot apply it to; the test service runs as LocalSystem.
	if err := s.SetManagedAccount(ctx, true); codeOf(err) == ErrInvalidParameter {
		check(false)
		t.Skipf("the SCM refused to mark a LocalSystem service's account as managed (%v); clearing was checked", err)
	} else if err != nil {
		t.Fatalf("SetManagedAccount(true): %v", err)
	}
	check(true)
	if err := s.SetManagedAccount(ctx, false); err != nil {
		t.Fatalf("SetManagedAccount(false): %v", err)
	}
	check(false)
}
