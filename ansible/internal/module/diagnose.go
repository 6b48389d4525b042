package module

import (
	"context"
	"errors"
	"strings"

	"github.com/winsvc/winsvc"
)

// The findings service_info returns with diagnose: true: winsvc doctor's
// (Manager.Diagnose), without a try-start (service_info changes nothing).

// diagnoses diagnoses the services listed: every Win32 service at once
// (DiagnoseAll, which reads the dependency graph once) when every one is
// listed, else each selected one. They are keyed by upper-case name.
func diagnoses(ctx context.Context, m *winsvc.Manager, every bool, names []string) (map[string]*winsvc.Diagnosis, error) {
	out := map[string]*winsvc.Diagnosis{}
	if every {
		all, err := m.DiagnoseAll(ctx, winsvc.DiagnoseOptions{})
		if err != nil {
			return nil, err
		}
		for _, d := range all {
			out[strings.ToUpper(d.Name)] = d
		}
		return out, nil
	}
	for _, name := range names {
		d, err := m.Diagnose(ctx, name, winsvc.DiagnoseOptions{})
		switch {
		case errors.Is(err, winsvc.ErrNotFound):
			continue // deleted since it was listed
		case err != nil && ctx.Err() != nil:
			return nil, err
		case err != nil:
			d = &winsvc.Diagnosis{Name: name, Findings: []winsvc.Finding{},
				NotReadable: []winsvc.NotReadable{{Reason: "cannot be read here: " + err.Error()}}}
		}
		out[strings.ToUpper(name)] = d
	}
	return out, nil
}

// diagnosisView is a service's findings and the checks that could not be
// read, under the keys findings and not_readable.
func diagnosisView(d *winsvc.Diagnosis) Result {
	findings, unread := []Result{}, []Result{}
	if d == nil { // a service that went between the listing and its diagnosis
		unread = append(unread, Result{"check": "", "reason": "cannot be read here: the service could not be diagnosed"})
		return Result{"findings": findings, "not_readable": unread}
	}
	for _, f := range d.Findings {
		findings = append(findings, Result{"check": string(f.Check), "severity": string(f.Severity), "message": f.Message,
			"evidence": f.Evidence, "fix": f.Fix})
	}
	for _, n := range d.NotReadable {
		unread = append(unread, Result{"check": string(n.Check), "reason": n.Reason})
	}
	return Result{"findings": findings, "not_readable": unread}
}
