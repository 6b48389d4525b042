package host

import (
	"strings"
	"testing"
	"time"
)

func TestEventLine(t *testing.T) {
	at := time.Date(2026, 12, 5, 13, 4, 5, 123e6, time.FixedZone("X", 3600))
	if got, want := eventLine(at, "exited with code 3\r\nfake line"), "2026-12-05T12:04:05.123Z exited with code 3  fake line\n"; got != want {
		t.Errorf("eventLine = %q; want %q", got, want)
	}
	long := eventLine(at, strings.Repeat("x", 10*maxEventLen))
	if len(long) > maxEventLen+64 || !strings.HasSuffix(long, "...\n") {
		t.Errorf("a long event is %d bytes; want it cut near %d", len(long), maxEventLen)
	}
	var b strings.Builder
	e := &events{w: &b, now: func() time.Time { return at }}
	e.printf("restarting in %v", 2*time.Second)
	if b.String() != "2026-12-05T12:04:05.123Z restarting in 2s\n" {
		t.Errorf("printf wrote %q", b.String())
	}
	var nilEvents *events
	nilEvents.printf("dropped") // no log: no panic
}
