package module

import (
	"context"
	"strings"

	"github.com/winsvc/winsvc"
)

// Service accounts: the name the SCM stores for each spelling a playbook
// may use, and the name Windows shows for an account (its SID translated
// back to a name), which win_service and win_service_info return.

// localSystem is the name the SCM stores for the LocalSystem account.
const localSystem = "LocalSystem"

// builtinAccounts maps the names Windows accepts for its built-in service
// accounts to the one the SCM stores.
var builtinAccounts = map[string]string{
	"localsystem": localSystem, `.\localsystem`: localSystem, "system": localSystem,
	`nt authority\system`: localSystem,
	"localservice":        `NT AUTHORITY\LocalService`, `nt authority\localservice`: `NT AUTHORITY\LocalService`,
	`nt authority\local service`: `NT AUTHORITY\LocalService`,
	"networkservice":             `NT AUTHORITY\NetworkService`, `nt authority\networkservice`: `NT AUTHORITY\NetworkService`,
	`nt authority\network service`: `NT AUTHORITY\NetworkService`,
}

// canonicalAccount returns the SCM's name for a built-in account ("" is
// LocalSystem, as CreateService takes it), and other names as they are.
func canonicalAccount(name string) string {
	if c, ok := builtinAccounts[strings.ToLower(name)]; ok {
		return c
	}
	if name == "" {
		return localSystem
	}
	return name
}

// shownBuiltin is the name Windows gives the SID of each built-in account
// the SCM stores (English Windows' names, as access.ParseTrustee knows
// them).
var shownBuiltin = map[string]string{
	localSystem:                   `NT AUTHORITY\SYSTEM`,
	`NT AUTHORITY\LocalService`:   `NT AUTHORITY\LOCAL SERVICE`,
	`NT AUTHORITY\NetworkService`: `NT AUTHORITY\NETWORK SERVICE`,
}

// accountNames shows stored account names as Windows names their SIDs:
// `NT AUTHORITY\NETWORK SERVICE` for `NT AUTHORITY\NetworkService`,
// `HOST\bob` for `.\bob` (where accounts can be looked up: on Windows). A
// name that cannot be looked up is shown as stored. Lookups are made once
// per name.
type accountNames struct {
	ctx   context.Context
	m     *winsvc.Manager
	known map[string]string
}

func newAccountNames(ctx context.Context, m *winsvc.Manager) *accountNames {
	return &accountNames{ctx: ctx, m: m, known: map[string]string{}}
}

// shown returns the name Windows shows for the account of c (a driver's
// is its driver object name, shown as it is).
func (a *accountNames) shown(c *winsvc.Config) string {
	stored := c.ServiceStartName
	if c.ServiceType.IsDriver() {
		return stored
	}
	if n, ok := shownBuiltin[canonicalAccount(stored)]; ok {
		return n
	}
	if n, ok := a.known[stored]; ok {
		return n
	}
	n := stored
	if t, err := a.m.LookupTrustee(a.ctx, stored); err == nil && t.Name != "" {
		n = t.Name
	}
	a.known[stored] = n
	return n
}

// resultAccount is win_service's username return value: the name shown,
// LocalSystem for SYSTEM.
func resultAccount(shown string) string {
	if shown == shownBuiltin[localSystem] {
		return localSystem
	}
	return shown
}
