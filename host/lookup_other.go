//go:build !windows

package host

import "os"

// lookupVar is the value of the variable name for the host's paths: the
// process's environment (Windows gives ProgramData its own answer).
func lookupVar(name string) (string, bool) { return os.LookupEnv(name) }
