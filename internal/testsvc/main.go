//go:build windows

// Command testsvc is a Windows service whose behaviour is chosen on its
// command line (the service's ImagePath), for example
//
//	"C:\winsvc\testsvc.exe" -mode=normal -log=C:\tmp\svc.log
//
// It exists so that winsvc's integration tests have a real service process to
// start, control and stop, under Wine and on Windows. It is built on package
// run (github.com/winsvc/winsvc/run), all but one mode.
//
// Modes:
//
//	normal      RUNNING at once; accepts STOP, PAUSE_CONTINUE, SHUTDOWN and
//	            PARAMCHANGE; pause, continue, PARAMCHANGE and custom controls
//	            128-255 are logged (custom ones change nothing)
//	plain       like normal without hooks: accepts STOP and SHUTDOWN only
//	slowstart   like normal, but START_PENDING for -delay (default 1500ms)
//	            with the next checkpoint every 100ms and wait hint 3000
//	hang        START_PENDING (checkpoint 1, wait hint 2000) for good
//	crash       START_PENDING, then after -delay (default 300ms) os.Exit(7)
//	refusestop  accepts STOP and SHUTDOWN, ignores STOP (stays RUNNING); the
//	            one mode on raw golang.org/x/sys/windows/svc (refusestop.go)
//	nostop      accepts neither STOP nor PAUSE_CONTINUE: only SHUTDOWN
//	exitcode    like normal, but a stop ends with exit code -code=N
//	failstart   START_PENDING, then after -delay (default 300ms) it stops
//	            itself with exit code -code=N: the SCM sees STOPPED during
//	            the start
//	crashlater  like normal, but -delay (default 500ms) after RUNNING the
//	            process exits with code 7, reporting nothing: a crash while
//	            running
//	stophang    like normal, but a STOP leaves it STOP_PENDING (checkpoint 1,
//	            wait hint 2000) for good; SHUTDOWN still stops it
//	invalid     gives package run invalid options (Pause without Continue):
//	            the service stops at once with Win32 exit code 87
//
// -exit says how exitcode and failstart end: specific (default: Win32 exit
// code 1066 with service-specific code -code), win32 (Win32 exit code
// -code), error (an error without a code: service-specific code 1).
// -shutdown says what stops the service at system shutdown: shutdown
// (default), preshutdown, ignore. -hookdelay=D makes pause and continue
// take D (PAUSE_PENDING, CONTINUE_PENDING), -stopdelay=D makes a stop take
// D (STOP_PENDING), each reporting the next checkpoint every 100ms with
// wait hint 1000.
//
// Every mode appends JSON lines (see internal/testbed/svclog) to the -log
// file: the args the service received, every control that reached the
// program (a stop as the control that caused it) and how it exits.
//
// -lifetime=D makes the process exit (code 3) after D whatever its state, as a
// safety net against leftover processes. -linger=D keeps the process alive for
// D after it reported STOPPED (in any mode), as a service whose process is
// slow to exit. -probe prints "testsvc ok" and exits 0
// without contacting the SCM; it checks that Go programs run at all. -port=N
// is accepted and only logged, with the command line: scripts/winsvc installs
// testsvc as the README's example service, "C:\Program Files\My App\svc.exe"
// --port 8080.
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"golang.org/x/sys/windows/svc"

	"github.com/winsvc/winsvc/internal/testbed/svclog"
	"github.com/winsvc/winsvc/run"
)

var modes = []string{"normal", "plain", "slowstart", "hang", "crash", "refusestop", "nostop",
	"exitcode", "failstart", "crashlater", "stophang", "invalid"}

func main() {
	var s service
	flag.StringVar(&s.mode, "mode", "normal", "behaviour: normal, plain, slowstart, hang, crash, refusestop, nostop, exitcode, failstart, crashlater, stophang, invalid")
	flag.StringVar(&s.logPath, "log", "", "append JSON log lines to this file")
	flag.DurationVar(&s.delay, "delay", 0, "slowstart: time in START_PENDING (default 1500ms); crash, failstart: time before exiting (default 300ms); crashlater: time running before exiting (default 500ms)")
	code := flag.Uint("code", 1, "exitcode, failstart: the exit code on STOP, or during the start")
	flag.StringVar(&s.exit, "exit", "specific", "exitcode, failstart: the kind of exit code: specific, win32, error")
	shutdown := flag.String("shutdown", "shutdown", "what stops the service at system shutdown: shutdown, preshutdown, ignore")
	flag.DurationVar(&s.hookDelay, "hookdelay", 0, "how long pause and continue take")
	flag.DurationVar(&s.stopDelay, "stopdelay", 0, "how long a stop takes")
	lifetime := flag.Duration("lifetime", 0, "exit the process with code 3 after this long (0: never)")
	linger := flag.Duration("linger", 0, "stay alive this long after reporting STOPPED")
	probe := flag.Bool("probe", false, "print \"testsvc ok\" and exit")
	flag.Uint("port", 0, "accepted and only logged (the README's example service passes --port 8080)")
	flag.Parse()
	s.code = uint32(*code)

	if *probe {
		fmt.Println("testsvc ok")
		return
	}
	shutdowns := map[string]run.Shutdown{"shutdown": run.StopOnShutdown, "preshutdown": run.StopOnPreshutdown, "ignore": run.IgnoreShutdown}
	var ok bool
	if s.shutdown, ok = shutdowns[*shutdown]; !ok || !slices.Contains(modes, s.mode) ||
		!slices.Contains([]string{"specific", "win32", "error"}, s.exit) {
		fmt.Fprintf(os.Stderr, "testsvc: unknown -mode=%q, -shutdown=%q or -exit=%q\n", s.mode, *shutdown, s.exit)
		os.Exit(2)
	}
	if s.delay == 0 {
		switch s.mode {
		case "slowstart":
			s.delay = 1500 * time.Millisecond
		case "crash", "failstart":
			s.delay = 300 * time.Millisecond
		case "crashlater":
			s.delay = 500 * time.Millisecond
		}
	}
	if *lifetime > 0 {
		time.AfterFunc(*lifetime, func() { s.exitProcess(3, "lifetime exceeded") })
	}

	if s.mode == "refusestop" {
		// The name is ignored for SERVICE_WIN32_OWN_PROCESS services.
		if err := svc.Run("", refuseStop{&s}); err != nil {
			s.log(svclog.Entry{Event: svclog.EventError, Message: "svc.Run: " + err.Error()})
			fmt.Fprintf(os.Stderr, "testsvc: svc.Run: %v (is it started by the service control manager?)\n", err)
			os.Exit(1)
		}
	} else if err := run.Service(s.program, s.options()); err != nil && !run.IsService() {
		os.Exit(1)
	}
	time.Sleep(*linger)
}
