// Command testhost is the program host's test bed, in one executable:
//
//	testhost.exe host PROGRAM-JSON   a service that runs host.Run with the
//	                                 host.Program decoded from its argument
//	testhost.exe prog MODE [FLAGS]   a small console program for the host to run
//
// The modes of prog: run (prints a line every -every and runs; Ctrl+C ends
// it with exit code 0), exit (exits at once with -code), crash (runs -after,
// then exits with -code), ignore (runs, ignoring Ctrl+C and Ctrl+Break),
// children (starts -n copies of itself in mode ignore, which keep running),
// flood (writes -bytes of numbered lines, then runs). Every mode first
// prints its working directory and the variable HOSTTEST, and appends its
// process id to -pids when given.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: testhost host PROGRAM-JSON | testhost prog MODE [FLAGS]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "host":
		os.Exit(serve(os.Args[2]))
	case "prog":
		os.Exit(program(os.Args[2], os.Args[3:]))
	}
	fmt.Fprintf(os.Stderr, "testhost: unknown role %q (host, prog)\n", os.Args[1])
	os.Exit(2)
}
