package main

import (
	"context"
	"encoding/json"
	"os"

	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/run"
)

// serve runs host.Run as the service that the SCM started, with the
// Program of programJSON.
func serve(programJSON string) int {
	var p host.Program
	if err := json.Unmarshal([]byte(programJSON), &p); err != nil {
		os.Stderr.WriteString("testhost: program: " + err.Error() + "\n")
		return 2
	}
	err := run.Service(func(ctx context.Context) error {
		name := "testhost"
		if a := run.Args(ctx); len(a) > 0 {
			name = a[0]
		}
		return host.Run(ctx, name, p)
	}, run.Options{WaitReady: true})
	if err != nil {
		return 1
	}
	return 0
}
