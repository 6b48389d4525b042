package pool

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// ForEach calls every index once, on no more goroutines than asked, and
// on as many as asked when there is work for them.
func TestForEach(t *testing.T) {
	for _, c := range []struct{ n, workers, want int }{{0, 4, 0}, {1, 4, 1}, {10, 4, 4}, {10, 1, 1}, {20, 0, 1}, {20, 8, 8}} {
		var mu sync.Mutex
		seen := map[int]int{}
		var running, most, started atomic.Int32
		ForEach(c.n, c.workers, func(i int) {
			started.Add(1)
			now := running.Add(1)
			for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
			}
			// Wait until the workers asked for are all busy, while calls
			// remain to start (or give up: fewer exist), so that each of
			// them is seen at work.
			for deadline := time.Now().Add(2 * time.Second); running.Load() < int32(c.want) && started.Load() < int32(c.n) &&
				time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			running.Add(-1)
			mu.Lock()
			seen[i]++
			mu.Unlock()
		})
		for i := range c.n {
			if seen[i] != 1 {
				t.Errorf("n=%d workers=%d: index %d called %d times", c.n, c.workers, i, seen[i])
			}
		}
		if len(seen) != c.n || int(most.Load()) != c.want {
			t.Errorf("n=%d workers=%d: %d indexes, at most %d at once; want %d", c.n, c.workers, len(seen), most.Load(), c.want)
		}
	}
}
