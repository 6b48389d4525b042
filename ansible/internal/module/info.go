package module

import (
	"context"
	"errors"
	"maps"
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
// services come sorted by key name. With diagnose, each service has winsvc
// doctor's findings too (diagnose.go).
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
	keys := make([]string, len(all))
	for i, st := range all {
		keys[i] = st.Name
	}
	// The configurations, and what depends on each service, are read on
	// the library's pool; the views are made in order afterwards.
	dependencyOf := make([][]string, len(all))
	configs := m.Configs(ctx, keys, winsvc.ConfigsOptions{Each: func(i int, c winsvc.ConfigResult) {
		if c.Err == nil {
			dependencyOf[i] = dependents(ctx, m, c.Name)
		}
	}})
	var found map[string]*winsvc.Diagnosis
	if diagnose, _ := p.Bool("diagnose"); diagnose {
		if found, err = diagnoses(ctx, m, !named, keys); err != nil {
			return nil, err
		}
	}
	names := newAccountNames(ctx, m)
	for i, c := range configs {
		if errors.Is(c.Err, winsvc.ErrAccessDenied) {
			r.Warn("Failed to access service '%s' to get more info, ignoring: %v", c.Name, c.Err)
			continue
		}
		if errors.Is(c.Err, winsvc.ErrNotFound) {
			continue // deleted since it was listed
		}
		if c.Err != nil {
			return nil, c.Err
		}
		v := serviceInfo(c.Config, names, all[i], dependencyOf[i])
		if found != nil {
			maps.Copy(v, diagnosisView(found[strings.ToUpper(c.Name)]))
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

// serviceInfo is one service's view: its settings c (a setting the SCM
// cannot report is null), its status st and the services that depend on
// it.
func serviceInfo(c *winsvc.Config, names *accountNames, st winsvc.Status, dependencyOf []string) Result {
	v := settingsView(c, names)
	for k, x := range statusView(st) {
		v[k] = x
	}
	v["dependency_of"] = dependencyOf
	return v
}
