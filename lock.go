package winsvc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// LockStatus is the state of the service database lock (sc querylock).
type LockStatus struct {
	Locked   bool          // whether some process holds the lock
	Owner    string        // the account that holds it ("" when unlocked)
	Duration time.Duration // how long it has been held (second resolution)
}

// MarshalJSON writes {"locked", "owner", "duration"}, the duration in
// seconds.
func (l LockStatus) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Locked   bool   `json:"locked"`
		Owner    string `json:"owner"`
		Duration int64  `json:"duration"` // seconds
	}{l.Locked, l.Owner, int64(l.Duration / time.Second)})
}

// LockStatus reports whether the service database is locked, by whom and
// for how long. It needs SC_MANAGER_QUERY_LOCK_STATUS, which ordinary users
// have. An SCM that does not implement the call (Wine's) gives an error
// wrapping errors.ErrUnsupported.
func (m *Manager) LockStatus(ctx context.Context) (LockStatus, error) {
	var st LockStatus
	err := m.use(ctx, "querylock", "", func(c scmConn) error {
		lc, ok := platform(c).(lockConn)
		if !ok {
			return fmt.Errorf("lock status: %w", errors.ErrUnsupported)
		}
		buf, err := lc.LockStatus()
		if err != nil {
			return err
		}
		st, err = decodeLockStatus(buf)
		return err
	})
	return st, err
}

// QUERY_SERVICE_LOCK_STATUSW: DWORD fIsLocked; LPWSTR lpLockOwner;
// DWORD dwLockDuration (seconds).
var (
	lsLockedOff   = 0
	lsOwnerOff    = ptrSize
	lsDurationOff = 2 * ptrSize
	lsSize        = 3 * ptrSize
)

// decodeLockStatus reads the QUERY_SERVICE_LOCK_STATUSW the SCM returned.
func decodeLockStatus(b []byte) (LockStatus, error) {
	r := newReader(b)
	locked, err1 := r.u32(lsLockedOff)
	owner, err2 := r.strPtr(lsOwnerOff)
	secs, err3 := r.u32(lsDurationOff)
	if err := errors.Join(err1, err2, err3); err != nil {
		return LockStatus{}, err
	}
	return LockStatus{Locked: locked != 0, Owner: owner, Duration: time.Duration(secs) * time.Second}, nil
}
