package desired

import "sync"

// Progress says how far Export, PlanAll or ApplyAll is, service by
// service: the step, how many services of it are done, and which one was
// done last. The options' Progress function is called after each service,
// from one goroutine at a time.
type Progress struct {
	Step    string // StepRead, then for ApplyAll StepStop, StepConfigure, StepStart
	Done    int    // services done in this step
	Total   int    // services in this step
	Service string // the service done last
}

// The steps Progress reports.
const (
	StepRead      = "read"      // Export and PlanAll read each service
	StepStop      = "stop"      // ApplyAll stops and deletes
	StepConfigure = "configure" // ApplyAll saves settings and descriptors
	StepStart     = "start"     // ApplyAll starts, continues and pauses
)

// progress counts the services done in one step and reports each to fn
// (nil: nothing is reported).
type progress struct {
	mu    sync.Mutex
	fn    func(Progress)
	p     Progress
	names func(i int) string
}

func newProgress(fn func(Progress), step string, total int, names func(i int) string) *progress {
	return &progress{fn: fn, p: Progress{Step: step, Total: total}, names: names}
}

// done reports service i done.
func (p *progress) done(i int) {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.p.Done++
	p.p.Service = p.names(i)
	p.fn(p.p)
}
