//go:build windows

// Command idlesvc makes and removes the idle services of the scale
// benchmarks (scripts/bench.sh), with raw golang.org/x/sys calls:
//
//	idlesvc create -n 5000 [-workers 4]   # idle services 0..n-1 exist afterwards
//	idlesvc delete [-workers 4]           # every service named winsvcbench-*
//	idlesvc count                         # "idle=N total=M"
//
// The services are Win32 own-process services that are never started: one
// in ten AUTO_START, the others DEMAND_START (testbed.IdleStartType), with
// a display name and a program path that does not exist.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/sys/windows"

	"github.com/winsvc/winsvc/internal/testbed"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	n := fs.Int("n", 0, "create: how many idle services must exist")
	workers := fs.Int("workers", 4, "concurrent SCM clients")
	fs.Parse(os.Args[2:])
	start := time.Now()
	switch os.Args[1] {
	case "create":
		have, _, err := count()
		check(err)
		missing := 0
		if have < *n {
			// Usually 0..have-1 exist and have..n-1 are missing; CreateIdle
			// keeps any that exist, so a gap left by an aborted run is filled.
			from := have
			if !contiguous(have) {
				from = 0
			}
			missing = *n - have
			check(testbed.CreateIdle(from, *n, *workers))
		}
		idle, total, err := count()
		check(err)
		if idle < *n {
			check(fmt.Errorf("%d idle services after creating, want at least %d", idle, *n))
		}
		fmt.Fprintf(os.Stderr, "idlesvc: created %d in %v (%.2f ms each, %d workers); idle=%d total=%d\n",
			missing, time.Since(start).Round(time.Millisecond), perItem(time.Since(start), missing), *workers, idle, total)
	case "delete":
		deleted, err := testbed.DeleteByPrefix(testbed.ScalePrefix, *workers)
		check(err)
		idle, total, err := count()
		check(err)
		fmt.Fprintf(os.Stderr, "idlesvc: deleted %d in %v (%.2f ms each, %d workers); idle=%d total=%d\n",
			deleted, time.Since(start).Round(time.Millisecond), perItem(time.Since(start), deleted), *workers, idle, total)
		if idle != 0 {
			os.Exit(1)
		}
	case "count":
		idle, total, err := count()
		check(err)
		fmt.Printf("idle=%d total=%d\n", idle, total)
	default:
		usage()
	}
}

// count returns how many idle services and how many services in all exist.
func count() (idle, total int, err error) {
	names, err := testbed.EnumNames(windows.SERVICE_TYPE_ALL)
	for _, n := range names {
		if strings.HasPrefix(n, testbed.ScalePrefix) {
			idle++
		}
	}
	return idle, len(names), err
}

// contiguous reports whether idle services 0..n-1 are the ones that exist
// (checked by the last one's presence).
func contiguous(n int) bool {
	if n == 0 {
		return true
	}
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		return false
	}
	defer windows.CloseServiceHandle(m)
	h, err := windows.OpenService(m, windows.StringToUTF16Ptr(testbed.IdleName(n-1)), windows.SERVICE_QUERY_STATUS)
	if err != nil {
		return false
	}
	windows.CloseServiceHandle(h)
	return true
}

func perItem(d time.Duration, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(d.Microseconds()) / 1000 / float64(n)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "idlesvc:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: idlesvc create -n N [-workers W] | delete [-workers W] | count")
	os.Exit(2)
}
