// Command winsvc manages Windows services: every sc.exe verb in sc syntax,
// plus list, status, get, restart, wait and watch, with --json everywhere.
// Run "winsvc help" for the verbs and "winsvc help exit-codes" for the exit
// status.
package main

import (
	"os"

	"github.com/winsvc/winsvc/internal/cli"
)

func main() { os.Exit(cli.Main()) }
