package cli

import (
	"context"

	"github.com/winsvc/winsvc"
)

// unquotedPaths shows two of the fake's services with the command lines
// another program stored for them, which winsvc refuses to store (and so
// the in-memory SCM never holds): an unquoted program path with spaces that
// ends in .exe, and one whose end is unclear.
var unquotedPaths = map[string]string{
	"MySvc":   `C:\Program Files\My App\svc.exe --port 8080`,
	"Stopped": `C:\Some Dir\stopped arg`,
}

// unreadable is a service whose configuration the check cases' connection
// may not read.
const unreadable = "Template"

// storedUnquoted is the connection of the check cases: the fake, with
// unquotedPaths in place of those services' command lines, and unreadable
// refused.
func storedUnquoted(conn SCM) SCM { return unquotedConn{conn} }

type unquotedConn struct{ SCM }

func (u unquotedConn) CoreConfig(ctx context.Context, name string) (*winsvc.Config, error) {
	c, err := u.SCM.CoreConfig(ctx, name)
	return storedAs(name, c, err)
}

func (u unquotedConn) Configs(ctx context.Context, names []string, o winsvc.ConfigsOptions) []winsvc.ConfigResult {
	return changedConfigs(u.SCM.Configs(ctx, names, o), storedAs)
}

// storedAs is service name's configuration c as the check cases'
// connection reads it.
func storedAs(name string, c *winsvc.Config, err error) (*winsvc.Config, error) {
	if name == unreadable {
		return nil, &winsvc.Error{Op: "qc", Service: name, Code: winsvc.ErrAccessDenied, Err: winsvc.ErrAccessDenied}
	}
	if p, ok := unquotedPaths[name]; ok && err == nil {
		c.BinaryPathName = p
	}
	return c, err
}
