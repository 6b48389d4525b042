// Package run makes a Go program a Windows service: the program is one
// function whose context is cancelled when the service is asked to stop.
//
//	func main() {
//		err := run.Service(func(ctx context.Context) error {
//			srv := &http.Server{Addr: ":8080"}
//			failed := make(chan error, 1)
//			go func() { failed <- srv.ListenAndServe() }()
//			select {
//			case err := <-failed:
//				return err
//			case <-ctx.Done(): // stop requested: finish what is under way
//				return srv.Shutdown(context.Background())
//			}
//		}, run.Options{})
//		if err != nil {
//			os.Exit(1) // Service wrote the error to the log
//		}
//	}
//
// Started by the service control manager (SCM), Service reports the
// service's status for the program:
//
//   - START_PENDING while the program starts, when it asked to say when it
//     is ready (Options.WaitReady, Ready); RUNNING once it is, or at once.
//   - STOP_PENDING when STOP, SHUTDOWN or PRESHUTDOWN cancels the context;
//     context.Cause(ctx) is ErrStop, ErrShutdown or ErrPreshutdown.
//   - STOPPED when the function returns, with the exit code its error
//     carries (ExitError; any other error is service-specific exit code 1).
//   - A checkpoint with a wait hint for each Progress during a pending
//     state, so that a slow start or stop is not taken for a hung one.
//   - PAUSE_PENDING, PAUSED, CONTINUE_PENDING around the Pause and
//     Continue hooks, when the program gives them.
//
// The controls the service accepts follow from the options: STOP (unless
// Options.NoStop), SHUTDOWN and PRESHUTDOWN as Options.Shutdown says,
// PAUSE_CONTINUE with Pause and Continue, PARAMCHANGE with ParamChange;
// custom controls (128 to 255) go to Control. No control is accepted while
// the service starts or stops, as Microsoft advises.
//
// Started any other way (from a console, by go test, on another system),
// Service runs the function as a console program: Ctrl+C, Ctrl+Break,
// closing the console, SIGINT and SIGTERM cancel the context with
// ErrInterrupt. So the same binary runs, and is tested, without the SCM.
//
// A program host (a service that runs another program) needs no more: Ready
// once the hosted program is up; when the context is cancelled, Progress
// before each step of its stop (ask, wait, kill); and an ExitError with the
// hosted program's exit code.
//
// Service is built on golang.org/x/sys/windows/svc, whose dispatcher it
// uses; it runs services of their own process (SERVICE_WIN32_OWN_PROCESS).
package run
