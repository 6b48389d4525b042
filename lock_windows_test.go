//go:build windows

package winsvc

import (
	"context"
	"errors"
	"testing"

	"github.com/winsvc/winsvc/internal/testbed"
)

func TestLockStatusThroughSCM(t *testing.T) {
	st, err := scmForTest(t).LockStatus(context.Background())
	if testbed.IsWine() && errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("Wine's QueryServiceLockStatus is a stub that fails without an error code (docs/wine-scm.md §10): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if st.Locked != (st.Owner != "") {
		t.Errorf("inconsistent lock status %+v", st)
	}
}
