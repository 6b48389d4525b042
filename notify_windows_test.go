//go:build windows

package winsvc

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/testbed"
)

// TestNotificationWakesWaiter checks that waits are driven by the SCM's
// status-change notification, not only by polling: an armed notifier must
// interrupt an alertable wait that would otherwise run for 10 s.
func TestNotificationWakesWaiter(t *testing.T) {
	ctx := context.Background()
	m, err := Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	logPath := filepath.Join(testbed.TempDir(t), "svc.log")
	s, err := m.New(Definition{Name: testbed.UniqueName(t, "ntf"), BinaryPath: testbed.ServiceExe(t),
		Args: []string{"-mode=normal", "-log=" + logPath, "-lifetime=60s"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	defer s.Delete(ctx, DeleteOptions{Stop: true})

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	err = m.withService(ctx, "test", s.Name(), accessQueryStatus, func(h serviceConn) error {
		ws := h.(*winService)
		n := newNotifier(ws.h)
		defer n.release()
		n.arm(Stopped)
		if n.disabled {
			t.Fatal("NotifyServiceStatusChange registration failed")
		}
		started := make(chan error, 1)
		go func() {
			time.Sleep(100 * time.Millisecond)
			started <- s.Start(ctx, NoWait())
		}()
		// The start must finish before the test ends (and deletes the
		// service), whatever the wait below observes.
		defer func() {
			if err := <-started; err != nil {
				t.Errorf("Start: %v", err)
			}
		}()
		ev, err := windows.CreateEvent(nil, 1, 0, nil)
		if err != nil {
			return err
		}
		defer windows.CloseHandle(ev)
		start := time.Now()
		r := waitAlertable([]windows.Handle{ev}, 10*time.Second)
		if r != windows.WAIT_IO_COMPLETION {
			t.Fatalf("alertable wait returned %#x after %s, want WAIT_IO_COMPLETION from the notification", r, time.Since(start))
		}
		n.fired()
		t.Logf("notified %s after the wait began", time.Since(start).Round(time.Millisecond))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestManagerConcurrentUseAndClose runs reads from many goroutines, then
// checks that Close is idempotent and later calls fail with ErrClosed.
func TestManagerConcurrentUseAndClose(t *testing.T) {
	ctx := context.Background()
	m, err := Connect()
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			for j := 0; j < 20; j++ {
				all, err := m.QueryAll(ctx, QueryFilter{})
				if err == nil && len(all) > 0 {
					_, err = m.status(ctx, all[j%len(all)].Name)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := m.status(ctx, "RpcSs"); !errors.Is(err, ErrClosed) {
		t.Errorf("Status after Close = %v, want ErrClosed", err)
	}
}

func TestConnectRemoteByName(t *testing.T) {
	host, err := windows.ComputerName()
	if err != nil {
		t.Fatal(err)
	}
	m, err := ConnectRemote(`\\` + host)
	if err != nil {
		t.Fatalf("ConnectRemote(%q): %v", host, err)
	}
	defer m.Close()
	if _, err := m.QueryAll(context.Background(), QueryFilter{}); err != nil {
		t.Errorf("QueryAll on %s: %v", host, err)
	}
	if testbed.IsWine() {
		t.Log("Wine ignores the machine name; this checks only that the name is passed and accepted")
	}
}
