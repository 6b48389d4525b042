// Package winsvctest gives the tests of programs built on winsvc a Service
// Control Manager held in memory, on any system: Connect returns a
// *winsvc.Manager over it, which behaves as Windows' SCM documents
// (controls take effect at once; dependents, security descriptors,
// account lookups and the lock status included).
package winsvctest

import (
	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/memscm"
	"github.com/winsvc/winsvc/internal/scm"
)

// Connect returns a Manager over a new, empty SCM held in memory.
func Connect() *winsvc.Manager {
	return scm.Manager(memscm.New(scm.Quirks{})).(*winsvc.Manager)
}
