//go:build windows

// Command testsvc is a Windows service whose behaviour is chosen on its
// command line (the service's ImagePath), for example
//
//	"C:\winsvc\testsvc.exe" -mode=normal -log=C:\tmp\svc.log
//
// It exists so that winsvc's integration tests have a real service process to
// start, control and stop, under Wine and on Windows.
//
// Modes:
//
//	normal      START_PENDING -> RUNNING; accepts STOP, PAUSE_CONTINUE and SHUTDOWN;
//	            handles stop, pause, continue, interrogate, shutdown and user
//	            controls 128-255 (logged, no state change)
//	slowstart   like normal, but first reports START_PENDING for -delay (default
//	            1500ms) with CheckPoint+1 every 100ms and WaitHint 3000
//	hang        reports START_PENDING (CheckPoint 1, WaitHint 2000), never progresses
//	crash       reports START_PENDING, waits -delay (default 300ms), then os.Exit(7)
//	refusestop  like normal, but accepts STOP and ignores it (stays RUNNING);
//	            SHUTDOWN still stops it
//	nostop      like normal, but accepts neither STOP nor PAUSE_CONTINUE; only
//	            SHUTDOWN stops it
//	nopause     like normal, but does not accept PAUSE_CONTINUE
//	exitcode    like normal, but on STOP/SHUTDOWN returns the service-specific
//	            exit code -code=N (Win32ExitCode 1066)
//	failstart   reports START_PENDING, waits -delay (default 300ms), then stops
//	            itself with the service-specific exit code -code=N: the SCM
//	            sees STOPPED during the start
//	crashlater  like normal, but -delay (default 500ms) after reporting RUNNING
//	            the process exits with code 7, reporting nothing: a crash while
//	            running
//	stophang    like normal, but on STOP reports STOP_PENDING (CheckPoint 1,
//	            WaitHint 2000) and never progresses; SHUTDOWN still stops it
//
// Every mode appends JSON lines (see internal/testbed/svclog) to the -log file:
// the args Execute received, every control and every reported state.
//
// -lifetime=D makes the process exit (code 3) after D whatever its state, as a
// safety net against leftover processes. -linger=D keeps the process alive for
// D after it reported STOPPED (in any mode), as a service whose process is
// slow to exit. -probe prints "testsvc ok" and exits 0
// without contacting the SCM; it checks that Go programs run at all.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/windows/svc"

	"github.com/winsvc/winsvc/internal/testbed/svclog"
)

func main() {
	var s service
	flag.StringVar(&s.mode, "mode", "normal", "behaviour: normal, slowstart, hang, crash, refusestop, nostop, nopause, exitcode, failstart, crashlater, stophang")
	flag.StringVar(&s.logPath, "log", "", "append JSON log lines to this file")
	flag.DurationVar(&s.delay, "delay", 0, "slowstart: time in START_PENDING (default 1500ms); crash, failstart: time before exiting (default 300ms); crashlater: time running before exiting (default 500ms)")
	code := flag.Uint("code", 1, "exitcode, failstart: the service-specific exit code returned on STOP, or during the start")
	lifetime := flag.Duration("lifetime", 0, "exit the process with code 3 after this long (0: never)")
	linger := flag.Duration("linger", 0, "stay alive this long after reporting STOPPED")
	probe := flag.Bool("probe", false, "print \"testsvc ok\" and exit")
	flag.Parse()
	s.code = uint32(*code)

	if *probe {
		fmt.Println("testsvc ok")
		return
	}
	if !validModes[s.mode] {
		fmt.Fprintf(os.Stderr, "testsvc: unknown -mode=%q\n", s.mode)
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
		time.AfterFunc(*lifetime, func() {
			s.log(svclog.Entry{Event: svclog.EventExit, Code: 3, Message: "lifetime exceeded"})
			os.Exit(3)
		})
	}

	// The name is ignored for SERVICE_WIN32_OWN_PROCESS services.
	if err := svc.Run("testsvc", &s); err != nil {
		s.log(svclog.Entry{Event: svclog.EventError, Message: "svc.Run: " + err.Error()})
		fmt.Fprintf(os.Stderr, "testsvc: svc.Run: %v (is it started by the service control manager?)\n", err)
		os.Exit(1)
	}
	time.Sleep(*linger)
}
