package winsvc

import (
	"context"
	"errors"
	"testing"
)

// TestLookupTrusteeWithoutLookup: a Manager whose connection cannot look
// names up (every non-Windows connection) says so.
func TestLookupTrusteeWithoutLookup(t *testing.T) {
	m := &Manager{conn: struct{ scmConn }{}}
	if _, err := m.LookupTrustee(context.Background(), `.\bob`); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("LookupTrustee without a lookup: %v, want ErrUnsupported", err)
	}
	if got, err := m.LookupTrustee(context.Background(), "BU"); err != nil || got.SID != "S-1-5-32-545" {
		t.Errorf("an alias without a lookup: %+v, %v", got, err)
	}
}
