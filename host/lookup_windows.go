package host

import (
	"os"
	"strings"

	"golang.org/x/sys/windows"
)

// lookupVar is the value of the variable name for the host's paths: the
// process's environment, but for ProgramData, the machine's ProgramData
// folder (FOLDERID_ProgramData), which a service's environment and a
// console's may give differently (Wine gives its services C:\users\Public,
// docs/wine-scm.md).
func lookupVar(name string) (string, bool) {
	if strings.EqualFold(name, "ProgramData") {
		if dir, err := windows.KnownFolderPath(windows.FOLDERID_ProgramData, 0); err == nil && dir != "" {
			return dir, true
		}
	}
	return os.LookupEnv(name)
}
