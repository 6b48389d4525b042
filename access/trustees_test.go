package access

import (
	"errors"
	"testing"

	"github.com/winsvc/winsvc/internal/valerr"
)

// errNoneMapped stands for ERROR_NONE_MAPPED, what LookupAccountName
// answers for an unknown name.
var errNoneMapped = errors.New("no mapping between account names and security IDs was done")

// fakeLookup resolves the names in accounts and fails the test for any
// other name.
func fakeLookup(t *testing.T, accounts map[string][2]string) (LookupFunc, *[]string) {
	var asked []string
	return func(name string) (string, string, error) {
		asked = append(asked, name)
		a, ok := accounts[name]
		if !ok {
			return "", "", errNoneMapped // as LookupAccountName fails
		}
		return a[0], a[1], nil
	}, &asked
}

func TestResolveTrusteeLooksUpAccountNames(t *testing.T) {
	lookup, asked := fakeLookup(t, map[string][2]string{
		`.\bob`:            {"S-1-5-21-1-2-3-1001", `HOST\bob`},
		"bob":              {"S-1-5-21-1-2-3-1001", `HOST\bob`},
		`CONTOSO\Helpdesk`: {"S-1-5-21-7-8-9-1104", `CONTOSO\Helpdesk`},
		"bob@contoso.com":  {"S-1-5-21-7-8-9-1105", `CONTOSO\bob`},
		"Administrators":   {"S-1-5-32-544", `BUILTIN\Administrators`},
		"Operators":        {"s-1-5-21-7-8-9-1106", `CONTOSO\Operators`},
	})
	tests := map[string]Trustee{
		` .\bob `:            {SID: "S-1-5-21-1-2-3-1001", Name: `HOST\bob`},
		"bob":                {SID: "S-1-5-21-1-2-3-1001", Name: `HOST\bob`},
		`CONTOSO\Helpdesk`:   {SID: "S-1-5-21-7-8-9-1104", Name: `CONTOSO\Helpdesk`},
		"bob@contoso.com":    {SID: "S-1-5-21-7-8-9-1105", Name: `CONTOSO\bob`},
		"Administrators":     {SID: "S-1-5-32-544", Alias: "BA", Name: `BUILTIN\Administrators`}, // a well-known SID keeps its alias
		"Operators":          {SID: "S-1-5-21-7-8-9-1106", Name: `CONTOSO\Operators`},
		"SY":                 {SID: "S-1-5-18", Alias: "SY", Name: `NT AUTHORITY\SYSTEM`},
		`NT SERVICE\MySvc`:   {SID: ServiceSID("MySvc"), Name: `NT SERVICE\MySvc`},
		"S-1-5-21-4-5-6-500": {SID: "S-1-5-21-4-5-6-500"},
		`BUILTIN\Users`:      {SID: "S-1-5-32-545", Alias: "BU", Name: `BUILTIN\Users`},
	}
	for in, want := range tests {
		if got, err := Resolve(in, lookup); err != nil || got != want {
			t.Errorf("Resolve(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	// SIDs, aliases, well-known names and NT SERVICE accounts need no lookup.
	want := []string{`.\bob`, "bob", `CONTOSO\Helpdesk`, "bob@contoso.com", "Administrators", "Operators"}
	if len(*asked) != len(want) {
		t.Errorf("looked up %q, want only the account names %q", *asked, want)
	}

	if _, err := Resolve("nobody", lookup); !errors.Is(err, errNoneMapped) {
		t.Errorf("an unknown account: %v, want the lookup's ERROR_NONE_MAPPED", err)
	}
	// Not account names: no lookup, the ParseTrustee error.
	*asked = nil
	for _, bad := range []string{"", "S-1-5-x", `NT SERVICE\`, `\bob`, `a\b\c`, "bob;evil", "x)(A;;GA;;;WD"} {
		var ve *valerr.Error
		if _, err := Resolve(bad, lookup); !errors.As(err, &ve) || ve.Field != "trustee" {
			t.Errorf("Resolve(%q) = %v, want a trustee validation error", bad, err)
		}
	}
	if len(*asked) != 0 {
		t.Errorf("looked up %q", *asked)
	}
}

func TestResolveTrusteeWithoutLookup(t *testing.T) {
	for _, name := range []string{`.\bob`, `CONTOSO\Helpdesk`, "bob"} {
		_, err := Resolve(name, nil)
		var ve *valerr.Error
		if !errors.As(err, &ve) || ve.Field != "trustee" || !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("%q without a lookup: %v; want a trustee validation error matching ErrUnsupported", name, err)
		}
	}
	if got, err := Resolve("BU", nil); err != nil || got.SID != "S-1-5-32-545" {
		t.Errorf("an alias without a lookup: %+v, %v", got, err)
	}
}
