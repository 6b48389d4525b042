package host

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The host's event log is bounded: rotated at eventLogBytes, keeping
// eventLogKeep rotated files.
const (
	eventLogBytes = 1 << 20
	eventLogKeep  = 3
)

// maxEventLen bounds one event line (a long command line is cut).
const maxEventLen = 4096

// events writes the host's own events, one line each: the time (UTC,
// RFC 3339 with milliseconds), a space, the event.
//
//	2026-12-05T13:04:05.123Z started process 1234: C:\app\app.exe --port 80
type events struct {
	mu  sync.Mutex
	w   io.Writer
	now func() time.Time
}

// eventLine is one event's line, newline included: control characters in
// msg become spaces, so that one event is one line, and a byte that is not
// UTF-8 becomes U+FFFD; an event longer than maxEventLen bytes is cut at a
// character's start (after the replacements, which may lengthen it).
func eventLine(t time.Time, msg string) string {
	if len(msg) > maxEventLen {
		msg = msg[:maxEventLen+1] // enough to tell that it is cut
	}
	msg = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, msg)
	if len(msg) > maxEventLen {
		cut := maxEventLen
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "..."
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") + " " + msg + "\n"
}

// printf writes one event. A failure to write is not the program's
// failure: it is dropped.
func (e *events) printf(format string, args ...any) {
	if e == nil || e.w == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	io.WriteString(e.w, eventLine(e.now(), fmt.Sprintf(format, args...)))
}
