package module

import (
	"context"
	"errors"
	"path"
	"slices"
	"strings"

	"github.com/winsvc/winsvc"
)

// Info is the winsvc.windows.service_info module: win_service_info's
// option and return values. name selects, as win_service_info does, the
// service of that key name; when none has it, the services whose display
// name it is or whose key name matches it as a wildcard pattern (*, ?,
// [...]), compared case-insensitively (so a key name holding wildcard
// characters, "Svc [x]", finds that service alone). Without it, every
// Win32 service is listed. Drivers are listed when name selects them. The
// services come sorted by key name.
var Info = &Module{Name: "winsvc.windows.service_info", Options: infoOptions, Run: runInfo}

func runInfo(ctx context.Context, m *winsvc.Manager, p Params, _ *Args) (Result, error) {
	name, named := p.Str("name")
	filter := winsvc.QueryFilter{States: winsvc.AllServices}
	if named {
		filter.Types = winsvc.TypesAll
	}
	all, err := m.QueryAll(ctx, filter)
	if err != nil {
		return nil, err
	}
	if named {
		all = selected(name, all)
	}
	slices.SortFunc(all, func(a, b winsvc.Status) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	r := Result{"changed": false}
	services := []Result{}
	names := newAccountNames(ctx, m)
	for _, st := range all {
		v, err := serviceInfo(ctx, m, names, st)
		if errors.Is(err, winsvc.ErrAccessDenied) {
			r.Warn("Failed to access service '%s' to get more info, ignoring: %v", st.Name, err)
			continue
		}
		if errors.Is(err, winsvc.ErrNotFound) {
			continue // deleted since it was listed
		}
		if err != nil {
			return nil, err
		}
		services = append(services, v)
	}
	r["exists"] = len(services) > 0
	r["services"] = services
	return r, nil
}

// selected returns the services name selects: the one with that key name,
// else those with that display name or a key name the pattern matches.
func selected(name string, all []winsvc.Status) []winsvc.Status {
	var exact, matched []winsvc.Status
	for _, st := range all {
		switch {
		case strings.EqualFold(name, st.Name):
			exact = append(exact, st)
		case strings.EqualFold(name, st.DisplayName):
			matched = append(matched, st)
		default:
			if ok, err := path.Match(strings.ToLower(name), strings.ToLower(st.Name)); err == nil && ok {
				matched = append(matched, st)
			}
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return matched
}

// serviceInfo reads one service's settings (a setting the SCM cannot
// report is null) and pairs them with its status.
func serviceInfo(ctx context.Context, m *winsvc.Manager, names *accountNames, st winsvc.Status) (Result, error) {
	svc, err := m.Load(ctx, st.Name)
	if err != nil {
		return nil, err
	}
	v := settingsView(svc.Loaded(), names)
	for k, x := range statusView(st) {
		v[k] = x
	}
	v["dependency_of"] = dependents(ctx, m, st.Name)
	return v, nil
}
