package run

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// console runs program as a console program: the first interrupt (SIGINT,
// SIGTERM; on Windows Ctrl+C, Ctrl+Break and closing the console, which Go
// delivers as those) cancels its context with ErrInterrupt, and a second one
// ends the process, as it would without Service.
func console(program func(context.Context) error) error {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan error, 1)
	go func() { done <- program(ctx) }()
	var cause error
	select {
	case err := <-done:
		return err
	case sig := <-sigs:
		signal.Stop(sigs)
		cause = fmt.Errorf("%w: %v", ErrInterrupt, sig)
		cancel(cause)
	}
	_, _, result := exitCodes(<-done, cause)
	return result
}
