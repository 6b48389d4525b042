package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"time"
)

// program runs the console program in mode with args, and returns its
// exit code.
func program(mode string, args []string) int {
	fs := flag.NewFlagSet(mode, flag.ContinueOnError)
	every := fs.Duration("every", 200*time.Millisecond, "interval of the lines printed")
	code := fs.Int("code", 0, "exit code of exit and crash")
	after := fs.Duration("after", time.Second, "run time of crash")
	n := fs.Int("n", 2, "children started by children")
	size := fs.Int("bytes", 0, "bytes written by flood")
	pids := fs.String("pids", "", "file that the process id is appended to")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cwd, _ := os.Getwd()
	fmt.Printf("cwd=%s\nHOSTTEST=%s\n", cwd, os.Getenv("HOSTTEST"))
	fmt.Fprintf(os.Stderr, "stderr of %s %d\n", mode, os.Getpid())
	if *pids != "" {
		f, err := os.OpenFile(*pids, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err == nil {
			fmt.Fprintln(f, os.Getpid())
			f.Close()
		}
	}
	interrupt := make(chan os.Signal, 1)
	switch mode {
	case "exit":
		return *code
	case "crash":
		time.Sleep(*after)
		fmt.Println("crashing")
		return *code
	case "ignore":
		// Taken and dropped: on Windows, signal.Ignore lets the default
		// handler end the process.
		signal.Notify(make(chan os.Signal, 8), os.Interrupt)
		interrupt = nil
	case "children":
		self, _ := os.Executable()
		for range *n {
			c := exec.Command(self, "prog", "ignore", "-pids", *pids)
			c.Stdout = os.Stdout
			if err := c.Start(); err != nil {
				fmt.Fprintln(os.Stderr, "child:", err)
				return 3
			}
		}
	case "flood":
		var b strings.Builder
		for i := 0; b.Len() < *size; i++ {
			b.WriteString("line " + strconv.Itoa(i) + " of the flood\n")
		}
		os.Stdout.WriteString(b.String())
	case "run":
	default:
		fmt.Fprintf(os.Stderr, "unknown mode %q\n", mode)
		return 2
	}
	if interrupt != nil {
		signal.Notify(interrupt, os.Interrupt)
	}
	t := time.NewTicker(*every)
	for i := 0; ; i++ {
		select {
		case s := <-interrupt:
			fmt.Println("got", s)
			return 0
		case <-t.C:
			fmt.Println("tick", i)
		}
	}
}
