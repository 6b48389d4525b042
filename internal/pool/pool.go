// Package pool runs calls on a bounded number of goroutines: the one pool
// through which the library reads many services (winsvc.Manager.Configs)
// and package desired saves them.
package pool

import "sync"

// ForEach calls fn(0) ... fn(n-1) on at most workers goroutines (at least
// one; workers <= 0 is an error of the caller's, who gives its default)
// and returns when every call has. Indexes are handed out in order; no
// more than workers calls are under way at once, and nothing is allocated
// per index.
func ForEach(n, workers int, fn func(i int)) {
	workers = max(workers, 1)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
