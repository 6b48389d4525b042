//go:build !windows

package host

import (
	"context"
	"errors"
	"io"
)

func supervise(context.Context, *Program, *events, io.Writer, io.Writer) error {
	return errors.New("host: the program host runs on Windows only")
}
