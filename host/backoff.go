package host

import (
	"slices"
	"time"
)

// backoff is the restart schedule of a RestartPolicy: whether the program
// is started again after an exit, and after what delay.
type backoff struct {
	p    RestartPolicy // defaults resolved
	next time.Duration // the delay of the next back-off restart
}

// decision is what the host does after the program exited.
type decision struct {
	Restart   bool
	Delay     time.Duration
	Throttled bool // the program exited within Throttle of its start
	Success   bool // the exit code is one of SuccessCodes
}

func newBackoff(p RestartPolicy) *backoff {
	p = p.resolved()
	return &backoff{p: p, next: p.Delay}
}

// resolved is p with each zero value replaced by its default.
func (p RestartPolicy) resolved() RestartPolicy {
	if p.When == "" {
		p.When = OnFailure
	}
	if p.SuccessCodes == nil {
		p.SuccessCodes = []uint32{0}
	}
	if p.Delay == 0 {
		p.Delay = DefaultDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	if p.MaxDelay < p.Delay {
		p.MaxDelay = p.Delay
	}
	if p.Throttle == 0 {
		p.Throttle = DefaultThrottle
	}
	if p.ResetAfter == 0 {
		p.ResetAfter = DefaultResetAfter
	}
	return p
}

// exited says what follows an exit with code after a run of ran:
//   - Never, or OnFailure with a success code: no restart.
//   - A run of at least ResetAfter resets the back-off: the delay is Delay.
//   - Always with a success code after a run of at least Throttle: Delay,
//     without growing the back-off (a program that exits to be restarted).
//   - Otherwise (a failure, or an exit within Throttle of the start): the
//     current back-off, which then doubles up to MaxDelay.
func (b *backoff) exited(code uint32, ran time.Duration) decision {
	d := decision{
		Success:   slices.Contains(b.p.SuccessCodes, code),
		Throttled: ran < b.p.Throttle,
	}
	switch b.p.When {
	case Never:
		return d
	case OnFailure:
		if d.Success {
			return d
		}
	}
	d.Restart = true
	if ran >= b.p.ResetAfter {
		b.next = b.p.Delay
	}
	if d.Success && !d.Throttled {
		d.Delay = b.p.Delay
		return d
	}
	d.Delay = b.next
	b.next = min(2*b.next, b.p.MaxDelay)
	return d
}
