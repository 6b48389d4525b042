//go:build windows

package winsvc

import (
	"context"
	"testing"

	"golang.org/x/sys/windows/registry"
)

func TestManagedAccountFromRegistry(t *testing.T) {
	ctx := context.Background()
	m := scmForTest(t)
	s := serviceForTest(t, m)
	if managed, err := s.ManagedAccount(ctx); err != nil || managed {
		t.Fatalf("ManagedAccount of a new service = %v, %v", managed, err)
	}
	// What `sc managedaccount <name> true` stores.
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+s.Name(), registry.SET_VALUE)
	if err != nil {
		t.Skipf("cannot write the service's registry key (run elevated): %v", err)
	}
	defer k.Close()
	if err := k.SetDWordValue(regServiceAccountManaged, 1); err != nil {
		t.Fatal(err)
	}
	if managed, err := s.ManagedAccount(ctx); err != nil || !managed {
		t.Errorf("ManagedAccount after setting the value = %v, %v", managed, err)
	}
	info, err := m.UserServiceInfo(ctx, s.Name())
	if err != nil || info.Template || info.Instance {
		t.Errorf("UserServiceInfo of an ordinary service = %+v, %v", info, err)
	}
}
