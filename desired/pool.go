package desired

import (
	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/pool"
)

// DefaultWorkers is how many services Export, PlanAll and ApplyAll read or
// save at once when their options say 0: winsvc.DefaultWorkers, the pool
// of Manager.Configs.
const DefaultWorkers = winsvc.DefaultWorkers

// forEach calls fn(0) ... fn(n-1) on the library's pool, workers at a
// time (0 is DefaultWorkers).
func forEach(n, workers int, fn func(i int)) {
	if workers <= 0 {
		workers = DefaultWorkers
	}
	pool.ForEach(n, workers, fn)
}
