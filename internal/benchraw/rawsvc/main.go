//go:build windows

// Command rawsvc is the yardstick of scripts/bench.sh: the least a Go
// program does, with golang.org/x/sys alone, to print what winsvc prints.
//
//	rawsvc none             exit at once (the cost of starting a process)
//	rawsvc names            winsvc list --names
//	rawsvc query-json       winsvc query state= all --json (encoding/json)
//	rawsvc query-json-hand  the same bytes, written by hand
//	rawsvc list             winsvc list
//	rawsvc list-json        winsvc list --json
//
// Every mode but none enumerates the Win32 services in any state with one
// EnumServicesStatusEx (SC_ENUM_PROCESS_INFO) after a size probe; list and
// list-json then read each service's start type (QueryServiceConfig, and
// QueryServiceConfig2 level 3 for automatic ones) from 8 goroutines, as
// winsvc list does. The code is in package benchraw (benchraw.Run).
package main

import (
	"fmt"
	"os"

	"github.com/winsvc/winsvc/internal/benchraw"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: rawsvc none|names|query-json|query-json-hand|list|list-json")
		os.Exit(2)
	}
	if err := benchraw.Run(os.Stdout, os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "rawsvc:", err)
		os.Exit(1)
	}
}
