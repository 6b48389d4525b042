package desired

import "sync"

// DefaultWorkers is how many services Export and PlanAll read at once when
// their options say 0.
const DefaultWorkers = 8

// forEach calls fn(0) ... fn(n-1) on at most workers goroutines (at least
// one) and returns when every call has.
func forEach(n, workers int, fn func(i int)) {
	if workers <= 0 {
		workers = DefaultWorkers
	}
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
