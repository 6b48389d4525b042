//go:build windows

package winsvc

import "github.com/winsvc/winsvc/internal/scm/winscm"

// connect connects to machine's Service Control Manager through the
// Windows layer (internal/scm/winscm).
func connect(machine string) (scmConn, error) {
	c, err := winscm.Connect(machine)
	if err != nil {
		return nil, err
	}
	return bind(c), nil
}
