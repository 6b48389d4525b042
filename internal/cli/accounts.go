package cli

import (
	"context"
	"strings"

	"github.com/winsvc/winsvc"
)

var quserserviceCmd = &command{name: "quserservice", group: groupQuery, summary: "Show whether a service is a per-user service template or instance",
	usage:    "quserservice NAME",
	examples: []string{"winsvc quserservice OneSyncSvc"}, minArgs: 1, maxArgs: 1, nameArg: true,
	action: newAction(parseName, runUserService, renderUserService)}

// userServiceJSON is quserservice's result, and its JSON document.
type userServiceJSON struct {
	Name string `json:"name"`
	winsvc.UserServiceInfo
}

func runUserService(ctx context.Context, e *env, o *NameOptions) (userServiceJSON, error) {
	m, err := e.manager()
	if err != nil {
		return userServiceJSON{}, err
	}
	info, err := m.UserServiceInfo(ctx, o.Name)
	return userServiceJSON{o.Name, info}, err
}

func renderUserService(e *env, r userServiceJSON) error {
	if e.json {
		return e.writeJSON(r)
	}
	serviceHeader(e.io.Out, r.Name)
	f := newFields(e.io.Out, 19)
	switch info := r.UserServiceInfo; {
	case info.Template:
		f.line("USER_SERVICE", "TEMPLATE")
		f.line("INSTANCES", info.Instances...)
		if info.InstancesDisabled {
			f.line("INSTANCES_DISABLED", "TRUE")
		}
	case info.Instance:
		f.line("USER_SERVICE", "INSTANCE")
		f.line("TEMPLATE", info.TemplateName)
		f.line("LUID", strings.ToLower(info.LUID))
	default:
		f.line("USER_SERVICE", "NONE")
	}
	return nil
}
