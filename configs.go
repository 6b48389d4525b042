package winsvc

import (
	"context"

	"github.com/winsvc/winsvc/internal/pool"
)

// DefaultWorkers is how many services Configs reads at once when its
// options say 0. An SCM serves concurrent readers in parallel (Wine's
// too): 8 readers read 1.6 to 2.1 times faster than one on two CPUs
// (BENCHMARKS.md).
const DefaultWorkers = 8

// ConfigsOptions tune Manager.Configs.
type ConfigsOptions struct {
	// Workers is how many services are read at once; 0 is DefaultWorkers.
	Workers int
	// Core reads what CoreConfig reads (QueryServiceConfig's settings and
	// the delayed auto-start flag), what a listing needs; otherwise every
	// setting is read, as Load reads it.
	Core bool
	// Each, when set, is called once per service as soon as it is read,
	// on the goroutine that read it (so at most Workers at once, in any
	// order), with the index of its name and its result: for progress, or
	// to read more of the same service on the same pool (the export of a
	// desired-state document reads the security descriptor there). Each
	// must be safe for concurrent use.
	Each func(i int, r ConfigResult)
}

// ConfigResult is one service's configuration, or why it could not be
// read.
type ConfigResult struct {
	Name   string  // the name as given
	Config *Config // nil when Err is set
	Err    error   // as Load or CoreConfig reports it: ErrNotFound, ErrAccessDenied, ...
}

// Configs reads the configuration of every service in names, opts.Workers
// at once, and returns them in the order of names: result i is names[i]'s,
// with its own error, so that a service that cannot be read (deleted since
// it was listed, access denied) fails alone. It is what Load (or, with
// opts.Core, CoreConfig) reads for each name, with the same rights, on a
// bounded pool: no more than Workers reads and goroutines at once whatever
// the number of names. After ctx is done, the reads not yet started fail
// with its error.
func (m *Manager) Configs(ctx context.Context, names []string, opts ConfigsOptions) []ConfigResult {
	workers := opts.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	out := make([]ConfigResult, len(names))
	pool.ForEach(len(names), workers, func(i int) {
		r := ConfigResult{Name: names[i]}
		if opts.Core {
			r.Config, r.Err = m.CoreConfig(ctx, names[i])
		} else {
			r.Config, r.Err = m.readConfig(ctx, "load", names[i], true)
		}
		out[i] = r
		if opts.Each != nil {
			opts.Each(i, r)
		}
	})
	return out
}
