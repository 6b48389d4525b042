//go:build windows

package testbed

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// ServiceRegistry returns every value of service name's registry key
// (HKLM\SYSTEM\CurrentControlSet\Services\<name>), rendered as text, read
// with the registry API alone: an independent check of what the SCM
// stored, dependencies included (which Wine's SCM never reports).
func ServiceRegistry(t testing.TB, name string) map[string]string {
	t.Helper()
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+name, registry.QUERY_VALUE)
	if err != nil {
		t.Fatalf("open the registry key of %s: %v", name, err)
	}
	defer k.Close()
	names, err := k.ReadValueNames(-1)
	if err != nil {
		t.Fatalf("list the registry values of %s: %v", name, err)
	}
	out := map[string]string{}
	for _, n := range names {
		var v string
		_, typ, err := k.GetValue(n, nil)
		if err != nil {
			t.Fatalf("read %s\\%s: %v", name, n, err)
		}
		switch typ {
		case registry.SZ, registry.EXPAND_SZ:
			v, _, err = k.GetStringValue(n)
		case registry.MULTI_SZ:
			var list []string
			list, _, err = k.GetStringsValue(n)
			v = "[" + strings.Join(list, "|") + "]"
		case registry.DWORD, registry.QWORD:
			var u uint64
			u, _, err = k.GetIntegerValue(n)
			v = fmt.Sprint(u)
		default:
			var b []byte
			b, _, err = k.GetBinaryValue(n)
			v = fmt.Sprintf("%x", b)
		}
		if err != nil {
			t.Fatalf("read %s\\%s: %v", name, n, err)
		}
		out[n] = v
	}
	return out
}

// RegistryDiff lists the values that differ between two snapshots of
// ServiceRegistry, as "Name: before -> after".
func RegistryDiff(before, after map[string]string) []string {
	var out []string
	for n, v := range before {
		if w, ok := after[n]; !ok || w != v {
			out = append(out, fmt.Sprintf("%s: %q -> %q", n, v, after[n]))
		}
	}
	for n, w := range after {
		if _, ok := before[n]; !ok {
			out = append(out, fmt.Sprintf("%s: (none) -> %q", n, w))
		}
	}
	slices.Sort(out)
	return out
}
