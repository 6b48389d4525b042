package desired

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/winsvc/winsvc"
)

// ExportOptions tune Export.
type ExportOptions struct {
	All      bool           // every service (programs and drivers), besides the names given
	Workers  int            // how many services are read at once; 0 is DefaultWorkers
	NoState  bool           // leave the run state out (every service then reads state: any)
	Progress func(Progress) // told after each service is read (StepRead); may be nil
}

// ExportResult is what Export read.
type ExportResult struct {
	// Document holds every service that could be read, in the order asked
	// for (by name for all services).
	Document *Document
	// LeftOut names, by service, the settings that could not be read and
	// are therefore not in the document (Config.Unavailable, and the
	// security descriptor when it could not be read): applying the
	// document leaves them as they are.
	LeftOut map[string][]winsvc.Field
	// Failed lists the services that could not be read at all.
	Failed []Failure
	// Warnings name what the document keeps as the SCM holds it but needs
	// attention: a program path unquoted with spaces, which Windows could
	// resolve to another program (`winsvc check` finds them all); and each
	// secret variable of a hosted program's environment, whose value the
	// document leaves out (it names the variable alone, which keeps the
	// service's value when applied).
	Warnings []Warning
}

// Failure is a service that could not be read, or planned, or changed.
type Failure struct {
	Service string
	Err     error
}

// MarshalJSON writes {service, error, code}: the code is the Win32 code
// when there is one, 0 otherwise.
func (f Failure) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Service string `json:"service"`
		Error   string `json:"error"`
		Code    int    `json:"code"`
	}{f.Service, f.Err.Error(), code(f.Err)})
}

// code is err's Win32 code, or 0.
func code(err error) int {
	var we *winsvc.Error
	if errors.As(err, &we) {
		return int(we.Code)
	}
	return 0
}

// Export reads services into a document that brings them back to how they
// are now: the services names lists and, with opts.All, every service (by
// name, then the names given that are not installed). Each entry holds every setting that could be
// read, the security descriptor's DACL and the run state (STOPPED and
// STOP_PENDING are stopped; PAUSED and PAUSE_PENDING paused; the others
// running). Services are read by Manager.Configs, opts.Workers at once,
// each with its security descriptor; one
// that cannot be read is listed in Failed and left out, and the others are
// exported. Applying the document at once plans nothing. The error is for
// a failure to list the services.
func Export(ctx context.Context, m Manager, names []string, opts ExportOptions) (*ExportResult, error) {
	all, err := m.QueryAll(ctx, everyService)
	if err != nil {
		return nil, err
	}
	statuses := make(map[string]winsvc.Status, len(all))
	for _, st := range all {
		statuses[strings.ToLower(st.Name)] = st
	}
	if opts.All {
		every := make([]string, 0, len(all)+len(names))
		for _, st := range all {
			every = append(every, st.Name)
		}
		slices.SortFunc(every, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
		names = append(every, names...)
	}
	names = uniqueFold(names)
	entries := make([]Service, len(names))
	leftOut := make([][]winsvc.Field, len(names))
	warnings := make([][]Warning, len(names))
	errs := make([]error, len(names))
	pr := newProgress(opts.Progress, StepRead, len(names), func(i int) string { return names[i] })
	m.Configs(ctx, names, winsvc.ConfigsOptions{Workers: opts.Workers, Each: func(i int, r winsvc.ConfigResult) {
		if errs[i] = r.Err; r.Err == nil {
			st, known := statuses[strings.ToLower(names[i])]
			entries[i], leftOut[i], warnings[i], errs[i] = exportService(ctx, m, r.Config, st, known && !opts.NoState)
		}
		pr.done(i)
	}})
	res := &ExportResult{Document: &Document{Services: []Service{}}, LeftOut: map[string][]winsvc.Field{}}
	for i, name := range names {
		if errs[i] != nil {
			res.Failed = append(res.Failed, Failure{Service: name, Err: errs[i]})
			continue
		}
		res.Document.Services = append(res.Document.Services, entries[i])
		res.Warnings = append(res.Warnings, warnings[i]...)
		if len(leftOut[i]) > 0 {
			res.LeftOut[entries[i].Name()] = leftOut[i]
		}
	}
	return res, nil
}

// exportService makes the entry of the service whose configuration is cfg
// and reads its security descriptor; withState includes the run state of
// st.
func exportService(ctx context.Context, m Manager, cfg *winsvc.Config, st winsvc.Status, withState bool) (Service, []winsvc.Field, []Warning, error) {
	svc, err := m.Service(cfg.Name)
	if err != nil {
		return Service{}, nil, nil, err
	}
	entry := Service{Definition: cfg.Definition()}
	var leftOut []winsvc.Field
	for _, f := range winsvc.Fields() {
		if !cfg.Available(f) {
			leftOut = append(leftOut, f)
		}
	}
	if sd, err := svc.SecurityDescriptor(ctx); err == nil && checkDACL(sd) == nil {
		entry.SecurityDescriptor = &sd
	} else {
		leftOut = append(leftOut, winsvc.FieldSecurityDescriptor)
	}
	if withState {
		entry.State = runState(st.State)
	}
	return entry, leftOut, append(unquotedWarning(cfg.Name, cfg), secretEnvWarnings(cfg)...), nil
}

// runState is the run state a service in state s is in, or moving to (a
// plan asks for no change when it is the one asked for).
func runState(s winsvc.State) State {
	switch s {
	case winsvc.Stopped, winsvc.StopPending:
		return Stopped
	case winsvc.Paused, winsvc.PausePending:
		return Paused
	case winsvc.Running, winsvc.StartPending, winsvc.ContinuePending:
		return Running
	}
	return Any
}

// uniqueFold drops the names given again, in any case.
func uniqueFold(names []string) []string {
	seen := map[string]bool{}
	out := names[:0:0]
	for _, n := range names {
		if !seen[strings.ToLower(n)] {
			seen[strings.ToLower(n)] = true
			out = append(out, n)
		}
	}
	return out
}
