package winsvc

import "github.com/winsvc/winsvc/internal/memscm"

// ConnectMemoryWine is winsvctest.Connect with Wine's departures from
// Windows (wineQuirks: no security descriptor stored, dependencies
// untracked, ...; failure actions accepted and dropped, their query
// refused with ERROR_INVALID_LEVEL): for the external tests of what is
// built on the public API (package desired) that must meet them natively.
func ConnectMemoryWine() (*Manager, func() []string) {
	f := memscm.New(wineQuirks)
	f.Dropped[2] = true // SERVICE_CONFIG_FAILURE_ACTIONS
	return memManager(f), f.Ops
}

// AddStored puts service name into m's in-memory SCM with the command line
// given, stored as it is, as another tool might store it (Save would
// refuse or quote some command lines, an unquoted program path with
// spaces among them).
func AddStored(m *Manager, name, commandLine string) {
	f := platform(m.conn).(*memscm.SCM)
	defer f.Lock()()
	s := svc(name, Stopped)
	s.Config.BinaryPathName = commandLine
	f.Add(s)
}
