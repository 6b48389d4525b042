//go:build !windows

package winsvc

import (
	"errors"
	"fmt"
)

// connect fails everywhere but Windows: there is no Service Control Manager.
func connect(machine string) (scmConn, error) {
	return nil, fmt.Errorf("the Service Control Manager exists only on Windows: %w", errors.ErrUnsupported)
}
