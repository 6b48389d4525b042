//go:build windows

package winscm

import (
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/scm"
	"github.com/winsvc/winsvc/internal/testbed"
)

// TestNotificationWakesWaiter checks that waits are driven by the SCM's
// status-change notification, not only by polling: an armed notifier must
// interrupt an alertable wait that would otherwise run for 10 s.
func TestNotificationWakesWaiter(t *testing.T) {
	logPath := filepath.Join(testbed.TempDir(t), "svc.log")
	name := testbed.UniqueName(t, "ntf")
	testbed.RawCreate(t, name, testbed.CommandLine(testbed.ServiceExe(t), "-mode=normal", "-log="+logPath, "-lifetime=60s"))
	c, err := Connect("")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	h, err := c.OpenService(name, scm.QueryStatus|scm.Start)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	err = func() error {
		ws := h.(*winService)
		n := newNotifier(ws.h)
		defer n.release()
		n.arm(windows.SERVICE_STOPPED)
		if n.disabled {
			t.Fatal("NotifyServiceStatusChange registration failed")
		}
		started := make(chan error, 1)
		go func() {
			time.Sleep(100 * time.Millisecond)
			started <- ws.Start(nil)
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
	}()
	if err != nil {
		t.Fatal(err)
	}
}
