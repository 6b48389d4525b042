package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/winsvc/winsvc/desired"
)

// Progress on stderr, shown only when stderr is a terminal and the output
// is not JSON: one line, drawn again in place ("\r"), and cleared when the
// verb is done, so that what stays on the terminal is the verb's output.

// statusLine is the line drawn in place.
type statusLine struct {
	w     io.Writer
	width int // the longest line drawn, in runes: a shorter one pads to it
}

// draw replaces the line with s.
func (l *statusLine) draw(s string) {
	n := utf8.RuneCountInString(s)
	fmt.Fprintf(l.w, "\r%s%s", s, strings.Repeat(" ", max(0, l.width-n)))
	l.width = max(l.width, n)
}

// clear blanks the line and returns to its start.
func (l *statusLine) clear() {
	if l.width > 0 {
		fmt.Fprintf(l.w, "\r%s\r", strings.Repeat(" ", l.width))
	}
}

// showProgress reports whether the verb draws progress.
func (e *env) showProgress() bool { return e.io.ErrTTY && !e.json }

// progressInterval is how often progress reads the status.
var progressInterval = 200 * time.Millisecond

// progress shows the state, checkpoint and elapsed time of the verb's wait,
// polling the status of service name while the library waits. The
// returned function ends it.
func (e *env) progress(ctx context.Context, m statusReader, name string, waiting bool) (done func()) {
	if !waiting || !e.showProgress() {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		start := time.Now()
		line := &statusLine{w: e.io.ErrOut}
		tick := time.NewTicker(progressInterval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				line.clear()
				return
			case <-tick.C:
			}
			st, err := m.Status(ctx, name)
			if err != nil {
				continue
			}
			line.draw(e.redact.text(fmt.Sprintf("%s %s: %s, checkpoint %d, %s", e.verb, name, st.State, st.CheckPoint,
				time.Since(start).Round(100*time.Millisecond))))
		}
	}()
	return func() {
		cancel()
		<-finished
	}
}

// countInterval is how often the count of services done is drawn again at
// most (the last service of a step is always drawn).
var countInterval = 100 * time.Millisecond

// counter shows how far export, plan or apply is: "apply: configure
// 37/150 MySvc". It returns the function package desired reports to
// (nil when no progress is shown) and the one that ends it.
func (e *env) counter() (report func(desired.Progress), done func()) {
	if !e.showProgress() {
		return nil, func() {}
	}
	var mu sync.Mutex
	line := &statusLine{w: e.io.ErrOut}
	var last time.Time
	report = func(p desired.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if now := time.Now(); now.Sub(last) >= countInterval || p.Done == p.Total {
			last = now
			line.draw(e.redact.text(fmt.Sprintf("%s: %s %d/%d %s", e.verb, p.Step, p.Done, p.Total, p.Service)))
		}
	}
	return report, func() {
		mu.Lock()
		defer mu.Unlock()
		line.clear()
	}
}
