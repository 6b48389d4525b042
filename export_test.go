package winsvc

// ConnectMemoryWine is ConnectMemory with Wine's departures from Windows
// (wineQuirks: no security descriptor stored, dependencies untracked, ...;
// failure actions accepted and dropped, their query refused with
// ERROR_INVALID_LEVEL): for the external tests of what is built on the
// public API (package desired) that must meet them natively.
func ConnectMemoryWine() (*Manager, func() []string) {
	scm := newMemSCM(wineQuirks)
	scm.dropped[2] = true // SERVICE_CONFIG_FAILURE_ACTIONS
	return &Manager{conn: scm}, scm.ops
}
