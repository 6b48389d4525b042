package winsvc

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/winsvc/winsvc/internal/cmdline"
)

// Check identifies one check of Manager.Diagnose. A Finding and a
// NotReadable name the check they come from.
type Check string

// The checks of Diagnose, in the order they run. The three hosted-*
// checks run on a hosted program only: a service whose command line is the
// program host's (PROGRAM host NAME, host.CommandLine) and that has
// Config.Program.
const (
	CheckProgram       Check = "program"                  // the program file exists and is a Windows executable
	CheckHostedProgram Check = "hosted-program"           // the program the host runs exists and is a Windows executable
	CheckHostedDir     Check = "hosted-working-directory" // its working directory, when set, is an existing directory
	// CheckHostedLogs: the files the program's output and the host's events
	// go to (program.stdout, stderr, log) can be written: none is a
	// directory or read-only, and where one does not exist yet, its
	// nearest existing folder is a directory (the host creates the rest).
	CheckHostedLogs    Check = "hosted-logs"
	CheckUnquotedPath  Check = "unquoted-path" // a program path with spaces is quoted
	CheckAccount       Check = "account"       // the account exists
	CheckLogonRight    Check = "logon-right"   // a user account holds SeServiceLogonRight
	CheckDependencies  Check = "dependencies"  // every dependency, recursively, exists and is not disabled
	CheckStartType     Check = "start-type"    // the start type is not DISABLED
	CheckMarkedDelete  Check = "marked-for-deletion"
	CheckExitCode      Check = "exit-code"       // the last exit code says the last run ended well
	CheckTryStart      Check = "try-start"       // started on request (DiagnoseOptions.TryStart), it keeps running
	CheckFailureAction Check = "failure-actions" // a failure restarts it
	CheckStartAccess   Check = "start-access"    // the caller may start it
)

// Checks lists every check, in the order Diagnose runs them.
func Checks() []Check {
	return []Check{CheckProgram, CheckHostedProgram, CheckHostedDir, CheckHostedLogs, CheckUnquotedPath, CheckAccount, CheckLogonRight, CheckDependencies,
		CheckStartType, CheckMarkedDelete, CheckExitCode, CheckTryStart, CheckFailureAction, CheckStartAccess}
}

// Severity says how bad a Finding is. Either kind makes `winsvc doctor`
// exit 2.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"   // the service cannot start or run as configured
	SeverityWarning Severity = "warning" // it runs, but something is unsafe or will fail it later
)

// Finding is one thing Diagnose found wrong with a service.
type Finding struct {
	Check    Check    `json:"check"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`  // what is wrong, in a sentence
	Evidence string   `json:"evidence"` // what was read that shows it
	// Fix is a winsvc command line that fixes it; "" when no winsvc
	// command can (Message then says what to do).
	Fix string `json:"fix,omitempty"`
}

// NotReadable is a check Diagnose could not run here (a file of a remote
// machine, a right Wine's LSA does not report, an access the caller lacks):
// neither a finding nor a clean bill.
type NotReadable struct {
	Check  Check  `json:"check"` // "" when the service itself could not be read (DiagnoseAll)
	Reason string `json:"reason"`
}

// cannotReadHere is the prefix of every NotReadable's Reason.
const cannotReadHere = "cannot be read here"

// TryStartResult is how a start asked for with DiagnoseOptions.TryStart
// went.
type TryStartResult struct {
	// Outcome: "running" (it reached RUNNING, and was stopped again),
	// "already running", "stopped" (it stopped during or right after the
	// start), "start failed" (StartService failed), "still starting"
	// (START_PENDING when the wait ended).
	Outcome string `json:"outcome"`
	Status  Status `json:"status"`          // the last status read
	Error   string `json:"error,omitempty"` // why the start or the wait failed
}

// Diagnosis is what Diagnose found about one service.
type Diagnosis struct {
	Name        string          `json:"name"` // as installed
	Findings    []Finding       `json:"findings"`
	NotReadable []NotReadable   `json:"notReadable"`
	TryStart    *TryStartResult `json:"tryStart,omitempty"`
}

// OK reports whether nothing was found wrong.
func (d *Diagnosis) OK() bool { return len(d.Findings) == 0 }

// DiagnoseOptions say how Diagnose checks.
type DiagnoseOptions struct {
	// TryStart starts a stopped service and waits up to TryStartWait for
	// how it ends: a service that stops at once is a finding. One that
	// reaches RUNNING is stopped again, as it was found. Without it
	// Diagnose changes nothing.
	TryStart     bool
	TryStartWait time.Duration // 0: 10 seconds

	probe hostProbe // tests: the files and accounts of the SCM's machine
}

// defaultTryStartWait is how long a try-start waits for the outcome.
const defaultTryStartWait = 10 * time.Second

// Diagnose runs every check on service name and returns what it found
// wrong, each with its evidence and a winsvc command that fixes it, and the
// checks it could not run here. It changes nothing unless o.TryStart. A
// service that is not installed fails with ErrNotFound. It needs
// SERVICE_QUERY_CONFIG and SERVICE_QUERY_STATUS; the marked-for-deletion
// check asks for SERVICE_CHANGE_CONFIG (it changes nothing) and is not
// readable without it.
func (m *Manager) Diagnose(ctx context.Context, name string, o DiagnoseOptions) (*Diagnosis, error) {
	g, err := m.DependencyGraph(ctx, GraphOptions{Roots: []string{name}, Direction: DirectionDependsOn})
	if err != nil {
		return nil, err
	}
	return m.diagnose(ctx, name, g, o)
}

// DiagnoseAll diagnoses every Win32 service (as QueryAll lists them), a few
// at a time, and returns the diagnoses in name order (case-insensitive). A
// service deleted meanwhile is left out; one that cannot be read has a
// NotReadable saying why.
func (m *Manager) DiagnoseAll(ctx context.Context, o DiagnoseOptions) ([]*Diagnosis, error) {
	all, err := m.QueryAll(ctx, QueryFilter{})
	if err != nil {
		return nil, err
	}
	g, err := m.DependencyGraph(ctx, GraphOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]*Diagnosis, len(all))
	var wg sync.WaitGroup
	sem := make(chan struct{}, diagnoseWorkers)
	for i, st := range all {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			d, err := m.diagnose(ctx, st.Name, g, o)
			switch {
			case errors.Is(err, ErrNotFound):
				return
			case err != nil:
				d = &Diagnosis{Name: st.Name, Findings: []Finding{},
					NotReadable: []NotReadable{{Check: "", Reason: cannotReadHere + ": " + err.Error()}}}
			}
			out[i] = d
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out = slices.DeleteFunc(out, func(d *Diagnosis) bool { return d == nil })
	slices.SortFunc(out, func(a, b *Diagnosis) int { return cmp.Compare(depKey(a.Name), depKey(b.Name)) })
	return out, nil
}

// diagnoseWorkers bounds the services DiagnoseAll checks at once.
const diagnoseWorkers = 8

// diagnosis collects one service's findings.
type diagnosis struct {
	*Diagnosis
	m *Manager
}

func (d *diagnosis) found(c Check, sev Severity, msg, evidence, fix string) {
	d.Findings = append(d.Findings, Finding{Check: c, Severity: sev, Message: msg, Evidence: evidence, Fix: fix})
}

func (d *diagnosis) notReadable(c Check, why string) {
	d.NotReadable = append(d.NotReadable, NotReadable{Check: c, Reason: cannotReadHere + ": " + why})
}

func (m *Manager) diagnose(ctx context.Context, name string, g *Graph, o DiagnoseOptions) (*Diagnosis, error) {
	svc, err := m.Load(ctx, name)
	if err != nil {
		return nil, err
	}
	c := svc.Config()
	st, err := svc.Status(ctx)
	if err != nil {
		return nil, err
	}
	probe := o.probe
	if probe == nil {
		probe = m.hostProbe()
	}
	d := &diagnosis{Diagnosis: &Diagnosis{Name: c.Name, Findings: []Finding{}, NotReadable: []NotReadable{}}, m: m}
	d.checkProgram(probe, c)
	d.checkHosted(probe, c)
	d.checkUnquoted(c)
	d.checkAccount(probe, c)
	d.checkDependencies(g, c.Name)
	d.checkStartType(c)
	d.checkMarked(ctx, c.Name)
	d.checkExitCode(c.Name, st)
	if o.TryStart {
		if err := d.tryStart(ctx, svc, st, o); err != nil {
			return nil, err
		}
	}
	d.checkFailureActions(c)
	d.checkStartAccess(ctx, c.Name)
	return d.Diagnosis, ctx.Err()
}

func (d *diagnosis) checkUnquoted(c *Config) {
	if !c.UnquotedPath() {
		return
	}
	fix := ""
	if svc, err := d.m.New(Definition{Name: c.Name, CommandLine: c.BinaryPathName}); err == nil && !svc.Config().UnquotedPath() {
		fix = fmt.Sprintf("winsvc config %s binPath= %s", cmdline.QuoteArg(c.Name), cmdline.QuoteArg(svc.Config().BinaryPathName))
	}
	msg := "the program path has spaces and no quotes: Windows may run a program planted at a shorter prefix of it"
	if fix == "" {
		msg += "; where the program ends is unclear, so quote it by hand (winsvc config NAME binPath= ...)"
	}
	d.found(CheckUnquotedPath, SeverityError, msg, "binaryPathName: "+c.BinaryPathName, fix)
}

func (d *diagnosis) checkStartType(c *Config) {
	if c.StartType != Disabled {
		return
	}
	d.found(CheckStartType, SeverityError, "the start type is DISABLED: the service cannot be started",
		"startType: DISABLED", fmt.Sprintf("winsvc config %s start= demand", cmdline.QuoteArg(c.Name)))
}

// checkMarked asks the SCM whether the service is marked for deletion
// with a change that changes nothing (probeMarked).
func (d *diagnosis) checkMarked(ctx context.Context, name string) {
	marked := false
	err := d.m.withServiceConn(ctx, "diagnose", name, probeMarkedAccess(d.m.quirks()), func(c scmConn, h serviceConn) error {
		var err error
		marked, err = probeMarked(ctx, c, h, name)
		return err
	})
	if marked {
		err = ErrMarkedForDelete
	}
	switch {
	case err == nil:
	case errors.Is(err, ErrMarkedForDelete):
		d.found(CheckMarkedDelete, SeverityError,
			"the service is marked for deletion: it goes once it is stopped and every handle to it is closed, and cannot be changed meanwhile",
			"ChangeServiceConfig: ERROR_SERVICE_MARKED_FOR_DELETE (1072)",
			fmt.Sprintf("winsvc stop %s", cmdline.QuoteArg(name)))
	case errors.Is(err, ErrAccessDenied):
		d.notReadable(CheckMarkedDelete, "it needs SERVICE_CHANGE_CONFIG (nothing is changed)")
	default:
		d.notReadable(CheckMarkedDelete, err.Error())
	}
}

// Win32 exit codes a stopped service reports without having failed.
const (
	exitNeverStarted Errno = 1077 // ERROR_SERVICE_NEVER_STARTED
	exitSpecific     Errno = 1066 // ERROR_SERVICE_SPECIFIC_ERROR
)

// exitEvidence translates a status's exit codes.
func exitEvidence(st Status) string {
	s := fmt.Sprintf("win32ExitCode: %s", Errno(st.Win32ExitCode))
	if Errno(st.Win32ExitCode) == exitSpecific {
		s += fmt.Sprintf("; serviceSpecificExitCode: %d (0x%X, the program's own code)", st.ServiceSpecificExitCode,
			st.ServiceSpecificExitCode)
	}
	return s
}

func (d *diagnosis) checkExitCode(name string, st Status) {
	if st.Win32ExitCode == 0 || Errno(st.Win32ExitCode) == exitNeverStarted {
		return
	}
	d.found(CheckExitCode, SeverityError, "the service's last run ended with an error",
		"state: "+st.State.String()+"; "+exitEvidence(st),
		fmt.Sprintf("winsvc doctor %s --try-start", cmdline.QuoteArg(name)))
}

func (d *diagnosis) checkFailureActions(c *Config) {
	if !c.Available(FieldFailureActions) {
		d.notReadable(CheckFailureAction, c.Unavailable[FieldFailureActions].Error())
		return
	}
	for _, a := range c.FailureActions.Actions {
		if a.Type == ActionRestart {
			return
		}
	}
	evidence := "failureActions: none"
	if len(c.FailureActions.Actions) > 0 {
		evidence = fmt.Sprintf("failureActions: %d, none of them restart", len(c.FailureActions.Actions))
	}
	d.found(CheckFailureAction, SeverityWarning, "if the service fails, the SCM does not restart it", evidence,
		fmt.Sprintf("winsvc failure %s reset= 86400 actions= restart/60000", cmdline.QuoteArg(c.Name)))
}

// checkStartAccess opens the service for SERVICE_START: the SCM checks the
// descriptor against the caller's token, as a start would.
func (d *diagnosis) checkStartAccess(ctx context.Context, name string) {
	err := d.m.withService(ctx, "diagnose", name, accessStart, func(serviceConn) error { return nil })
	switch {
	case err == nil:
	case errors.Is(err, ErrAccessDenied):
		d.found(CheckStartAccess, SeverityWarning,
			"the service's security descriptor does not let you start it: run elevated, or have an administrator add an ACE granting you RP (SERVICE_START) to the descriptor winsvc sdshow shows, with winsvc sdset",
			"OpenService(SERVICE_START): ERROR_ACCESS_DENIED (5)", "")
	default:
		d.notReadable(CheckStartAccess, err.Error())
	}
}
