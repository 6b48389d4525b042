package winsvc

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestLockStatusLayout(t *testing.T) {
	// QUERY_SERVICE_LOCK_STATUSW as Microsoft documents it (DWORD fIsLocked;
	// LPWSTR lpLockOwner; DWORD dwLockDuration), offsets transcribed by hand
	// for 4- and 8-byte pointers. layout_windows_test.go compares them with
	// x/sys/windows.QUERY_SERVICE_LOCK_STATUS.
	want := map[int][3]int{8: {8, 16, 24}, 4: {4, 8, 12}} // pointer size: owner, duration, size
	if got := [3]int{lsOwnerOff, lsDurationOff, lsSize}; got != want[ptrSize] {
		t.Errorf("offsets %v, want %v", got, want[ptrSize])
	}
	var w layout
	at := w.reserve(lsSize, ptrSize)
	w.putU32(at+lsLockedOff, 1)
	w.putPtr(at+lsOwnerOff, w.str(`.\NT Service Control Manager`))
	w.putU32(at+lsDurationOff, 42)
	got, err := decodeLockStatus(w.finish())
	wantStatus := LockStatus{Locked: true, Owner: `.\NT Service Control Manager`, Duration: 42 * time.Second}
	if err != nil || got != wantStatus {
		t.Errorf("decode = %+v, %v; want %+v", got, err, wantStatus)
	}
	var unlocked layout
	unlocked.reserve(lsSize, ptrSize)
	if got, err := decodeLockStatus(unlocked.finish()); err != nil || got != (LockStatus{}) {
		t.Errorf("unlocked = %+v, %v", got, err)
	}
	if _, err := decodeLockStatus(make([]byte, 4)); err == nil {
		t.Error("a short buffer decoded")
	}
}

func TestLockStatusJSON(t *testing.T) {
	b, _ := json.Marshal(LockStatus{Locked: true, Owner: "x", Duration: 90 * time.Second})
	if string(b) != `{"locked":true,"owner":"x","duration":90}` {
		t.Errorf("JSON %s", b)
	}
}

func TestLockStatusUnsupported(t *testing.T) {
	m := &Manager{conn: &fakeSCM{}}
	_, err := m.LockStatus(context.Background())
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("a connection without lockConn: %v, want ErrUnsupported", err)
	}
}
