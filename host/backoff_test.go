package host

import (
	"testing"
	"time"
)

func TestBackoffSchedule(t *testing.T) {
	b := newBackoff(RestartPolicy{Delay: time.Second, MaxDelay: 5 * time.Second})
	// A program that dies at once: 1, 2, 4, 5, 5 s, throttled each time.
	for i, want := range []time.Duration{1, 2, 4, 5, 5} {
		d := b.exited(3, 10*time.Millisecond)
		if !d.Restart || !d.Throttled || d.Success || d.Delay != want*time.Second {
			t.Fatalf("exit %d: %+v; want a throttled restart after %v", i, d, want*time.Second)
		}
	}
	// A healthy run (DefaultResetAfter) resets the back-off.
	if d := b.exited(3, DefaultResetAfter); d.Delay != time.Second || d.Throttled {
		t.Fatalf("after a healthy run: %+v; want 1s, not throttled", d)
	}
	if d := b.exited(3, 2*time.Second); d.Delay != 2*time.Second {
		t.Fatalf("short run after the reset: %+v; want 2s", d)
	}
}

func TestBackoffWhen(t *testing.T) {
	tests := []struct {
		p       RestartPolicy
		code    uint32
		ran     time.Duration
		restart bool
		delay   time.Duration
	}{
		{RestartPolicy{}, 0, time.Hour, false, 0},                                  // on-failure, success
		{RestartPolicy{}, 1, time.Hour, true, DefaultDelay},                        // on-failure, failure
		{RestartPolicy{SuccessCodes: []uint32{0, 3}}, 3, time.Hour, false, 0},      // a listed success code
		{RestartPolicy{When: Never}, 1, time.Hour, false, 0},                       // never
		{RestartPolicy{When: Always}, 0, 10 * time.Second, true, DefaultDelay},     // planned exit: Delay
		{RestartPolicy{When: Always, Delay: time.Second}, 0, 0, true, time.Second}, // throttled: back-off
	}
	for i, tt := range tests {
		d := newBackoff(tt.p).exited(tt.code, tt.ran)
		if d.Restart != tt.restart || d.Delay != tt.delay {
			t.Errorf("%d: %+v exited(%d, %v) = %+v; want restart %v after %v", i, tt.p, tt.code, tt.ran, d, tt.restart, tt.delay)
		}
	}
	// Always with success codes after a healthy run does not grow the back-off.
	b := newBackoff(RestartPolicy{When: Always, Delay: time.Second})
	for range 3 {
		if d := b.exited(0, 10*time.Second); d.Delay != time.Second {
			t.Fatalf("planned exits: %+v; want 1s each", d)
		}
	}
	// A MaxDelay below Delay is Delay.
	if d := newBackoff(RestartPolicy{Delay: 3 * time.Second, MaxDelay: time.Second}); d.p.MaxDelay != 3*time.Second {
		t.Fatalf("MaxDelay %v; want 3s", d.p.MaxDelay)
	}
}
