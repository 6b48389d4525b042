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

// AddStored puts service name into m's in-memory SCM with the command line
// given, stored as it is, as another tool might store it (Save would
// refuse or quote some command lines, an unquoted program path with
// spaces among them).
func AddStored(m *Manager, name, commandLine string) {
	scm := m.conn.(*memSCM)
	defer scm.lock()()
	s := svc(name, Stopped)
	s.cfg.BinaryPathName = commandLine
	scm.add(s)
}
