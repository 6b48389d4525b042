package run

import (
	"context"
	"slices"
	"time"
)

// What the program tells the service, through the context that Service
// gave it. On any other context, and in a console, these do nothing.

type runnerKey struct{}

func runnerFrom(ctx context.Context) *runner {
	r, _ := ctx.Value(runnerKey{}).(*runner)
	return r
}

// Ready says that the program has started: with Options.WaitReady the
// service is RUNNING from now on. Later calls do nothing.
func Ready(ctx context.Context) {
	if r := runnerFrom(ctx); r != nil {
		r.ready()
	}
}

// Progress says that the program is still busy starting, stopping, pausing
// or continuing: it reports the next checkpoint, with waitHint, the time
// until the next Progress or the end of the pending state. Call it before
// each step that may take longer than the wait hint reported last (the
// first is Options.WaitHint), so that the SCM and those who wait on the
// service can tell a slow program from a hung one. Outside a pending state
// it does nothing.
func Progress(ctx context.Context, waitHint time.Duration) {
	if r := runnerFrom(ctx); r != nil {
		r.progress(millis(waitHint))
	}
}

// Args returns the service's name followed by the arguments of the request
// that started it (`sc start NAME a b`: NAME, a, b). It returns nil in a
// console.
func Args(ctx context.Context) []string {
	if r := runnerFrom(ctx); r != nil {
		return slices.Clone(r.args)
	}
	return nil
}
