// Package testbed holds helpers for winsvc's integration tests, which run
// against a real service control manager: Wine's on Linux (scripts/test.sh)
// and Windows' own in CI. The helpers are Windows-only (testbed.go); this
// file only carries the package documentation.
//
// The test service is internal/testsvc. scripts/test.sh builds it and exports
// its Windows path in WINSVC_TESTSVC; ServiceExe skips a test when it is unset.
package testbed
