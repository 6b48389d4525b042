//go:build !windows

package run

import (
	"context"
	"errors"
)

// detectService: only Windows has services of the SCM.
func detectService() bool { return false }

// serve is never called where detectService is always false.
func serve(func(context.Context) error, *Options, error) error {
	return errors.New("run: not a Windows service")
}
