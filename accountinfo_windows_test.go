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

// TestManagedAccount sets and clears the managed-account flag, a setting
// written through the SCM (info level 11), and reads it back through the
// SCM and from the registry value the SCM keeps it in. Wine's SCM has no
// level 11: there the save must fail with the SCM's own code and change
// nothing, and a load falls back to the registry value.
func TestManagedAccount(t *testing.T) {
	ctx := context.Background()
	m := scmForTest(t)
	s := serviceForTest(t, m)
	managed := func() bool {
		t.Helper()
		fresh, err := m.Load(ctx, s.Name())
		if err != nil {
			t.Fatal(err)
		}
		c := fresh.Config()
		if err := c.Unavailable[FieldManagedAccount]; err != nil {
			t.Fatalf("managed account unavailable: %v", err)
		}
		return c.ManagedAccount
	}
	set := func(v bool) error {
		t.Helper()
		if err := s.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(Definition{ManagedAccount: Ptr(v)}); err != nil {
			t.Fatal(err)
		}
		_, err := s.Save(ctx, SaveOptions{})
		return err
	}
	if managed() {
		t.Fatal("a new service's account is marked as managed")
	}
	info, err := m.UserServiceInfo(ctx, s.Name())
	if err != nil || info.Template || info.Instance {
		t.Errorf("UserServiceInfo of an ordinary service = %+v, %v", info, err)
	}

	setErr := set(true)
	if testbed.IsWine() {
		// Wine's RPC union has no arm 11: the call fails before reaching its SCM.
		if code := codeOf(setErr); code != 1733 {
			t.Fatalf("Wine: saving managedAccount = %v; want RPC_X_ENUM_VALUE_OUT_OF_RANGE (1733)", setErr)
		}
		if registryManagedFlag(t, s.Name()) {
			t.Fatal("Wine: the refused save wrote the registry value")
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
		if !managed() {
			t.Error("Wine: a load after setting the registry value reads false; want true from the registry")
		}
		t.Skipf("Wine's SCM does not support the managed-account level (the save failed with %s); the registry fallback was checked, the SCM round trip was not",
			codeOf(setErr).Name())
	}
	check := func(want bool) {
		t.Helper()
		if got := managed(); got != want {
			t.Errorf("managed account reads %v after saving %v", got, want)
		}
		if got := registryManagedFlag(t, s.Name()); got != want {
			t.Errorf("the SCM stored ServiceAccountManaged = %v after saving %v", got, want)
		}
	}
	// Marking is refused with ERROR_INVALID_PARAMETER for services the SCM
	// cannot apply it to; the test service runs as LocalSystem.
	if codeOf(setErr) == ErrInvalidParameter {
		check(false)
		t.Skipf("the SCM refused to mark a LocalSystem service's account as managed (%v); the refusal changed nothing", setErr)
	} else if setErr != nil {
		t.Fatalf("saving managedAccount true: %v", setErr)
	}
	check(true)
	if err := set(false); err != nil {
		t.Fatalf("saving managedAccount false: %v", err)
	}
	check(false)
}
