package winsvc

import (
	"context"

	"github.com/winsvc/winsvc/access"
)

// LookupTrustee resolves a trustee as GrantAccess and RevokeAccess do:
// everything access.ParseTrustee accepts and, beyond it, account names (`.\bob`,
// `bob`, `CONTOSO\Helpdesk`), looked up with LookupAccountName on the
// manager's machine (`.\` names an account of that machine). SCM
// connections that cannot look names up (only Windows can) fail for such
// names with an error matching errors.ErrUnsupported.
func (m *Manager) LookupTrustee(ctx context.Context, s string) (access.Trustee, error) {
	return m.resolveTrustee(ctx, "lookup", "", s)
}

func (m *Manager) resolveTrustee(ctx context.Context, op, service, s string) (access.Trustee, error) {
	var t access.Trustee
	err := m.use(ctx, op, service, func(c scmConn) (err error) {
		var lookup access.LookupFunc
		if l, ok := platform(c).(accountLookup); ok {
			lookup = l.LookupAccount
		}
		t, err = access.Resolve(s, lookup)
		return err
	})
	return t, err
}
