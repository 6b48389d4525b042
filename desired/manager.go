package desired

import (
	"context"

	"github.com/winsvc/winsvc"
)

// Manager is what this package uses of a connection to a Service Control
// Manager. *winsvc.Manager implements it (winsvctest.Connect's too, for
// tests); so does any interface that has these methods, such as the one
// the winsvc command's verbs use.
type Manager interface {
	Load(ctx context.Context, name string) (*winsvc.Service, error)
	Configs(ctx context.Context, names []string, opts winsvc.ConfigsOptions) []winsvc.ConfigResult
	New(def winsvc.Definition) (*winsvc.Service, error)
	Service(name string) (*winsvc.Service, error)
	QueryAll(ctx context.Context, f winsvc.QueryFilter) ([]winsvc.Status, error)
}

var _ Manager = (*winsvc.Manager)(nil)

// everyService selects every service, programs and drivers, in any state.
var everyService = winsvc.QueryFilter{Types: winsvc.TypesAll, States: winsvc.AllServices}
