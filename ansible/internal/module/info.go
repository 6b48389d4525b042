package module

import (
	"context"
	"errors"
	"path"
	"strings"

	"github.com/winsvc/winsvc"
)

// Info is the winsvc.windows.service_info module: win_service_info's
// option and return values. name matches a service's key name or display
// name, or is a wildcard pattern (*, ?, [...]) on the key name, compared
// case-insensitively; without it, every Win32 service is listed. Drivers
// are listed when name selects them.
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
	r := Result{"changed": false}
	services := []Result{}
	for _, st := range all {
		if named && !matches(name, st) {
			continue
		}
		v, err := serviceInfo(ctx, m, st)
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

// matches reports whether a service is selected by name: its key name or
// display name, or a pattern matching its key name.
func matches(name string, st winsvc.Status) bool {
	if strings.EqualFold(name, st.Name) || strings.EqualFold(name, st.DisplayName) {
		return true
	}
	ok, err := path.Match(strings.ToLower(name), strings.ToLower(st.Name))
	return err == nil && ok
}

// serviceInfo reads one service's settings (a setting the SCM cannot
// report is null) and pairs them with its status.
func serviceInfo(ctx context.Context, m *winsvc.Manager, st winsvc.Status) (Result, error) {
	svc, err := m.Load(ctx, st.Name)
	if err != nil {
		return nil, err
	}
	v := settingsView(svc.Loaded())
	for k, x := range statusView(st) {
		v[k] = x
	}
	v["dependency_of"] = dependents(ctx, m, st.Name)
	return v, nil
}
