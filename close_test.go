package winsvc

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestCloseDoesNotStall closes a Manager while another goroutine waits for
// a service that never finishes starting: Close returns at once, the wait
// ends with ErrClosed, and every later call fails with ErrClosed at once.
func TestCloseDoesNotStall(t *testing.T) {
	hung := svc("Hung", Stopped)
	hung.Hang = true
	m := memManager(newMemSCM(quirks{}, hung, svc("Other", Stopped)))
	s, _ := m.Service("Hung")
	done := make(chan error, 1)
	go func() { done <- s.Start(context.Background()) }() // waits up to DefaultTimeout
	time.Sleep(50 * time.Millisecond)

	start := time.Now()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("Close took %s", d)
	}
	select {
	case err := <-done:
		var we *WaitError
		if !errors.Is(err, ErrClosed) || !errors.As(err, &we) || we.Last.State != StartPending {
			t.Errorf("the wait ended with %v; want a WaitError matching ErrClosed, last seen START_PENDING", err)
		}
	case <-time.After(time.Second):
		t.Fatal("the wait did not end when the Manager closed")
	}
	start = time.Now()
	other, _ := m.Service("Other")
	if _, err := other.Status(context.Background()); !errors.Is(err, ErrClosed) || time.Since(start) > 50*time.Millisecond {
		t.Errorf("a call after Close: %v after %s; want ErrClosed at once", err, time.Since(start))
	}
	if err := m.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}
