package cli

import "sync"

// parallelReads bounds how many reads a verb has under way at once.
const parallelReads = 8

// parallel calls f(0) ... f(n-1), a few at a time, and returns when all
// have returned. Each f writes only its own index's results.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, parallelReads)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			f(i)
		}()
	}
	wg.Wait()
}
