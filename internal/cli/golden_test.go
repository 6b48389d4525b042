package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/trigger"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// testEnv is an env writing to buffers, with no SCM behind it.
func testEnv(json bool) (*env, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	e := &env{io: &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, json: json, cmds: commands,
		f: &Factory{Getenv: func(string) string { return "" }}}
	return e, &out, &errOut
}

// Fixed data for the golden files.
var (
	statusRunning = winsvc.Status{Name: "MySvc", DisplayName: "My Service", ServiceType: winsvc.Win32OwnProcess,
		State: winsvc.Running, ControlsAccepted: winsvc.AcceptStop | winsvc.AcceptPauseContinue | winsvc.AcceptShutdown,
		ProcessID: 4242}
	statusStopped = winsvc.Status{Name: "Exited", DisplayName: "Exited Service", ServiceType: winsvc.Win32OwnProcess,
		State: winsvc.Stopped, Win32ExitCode: 1066, ServiceSpecificExitCode: 7}
	statusPending = winsvc.Status{Name: "Slow", DisplayName: "Slow Starter", ServiceType: winsvc.Win32ShareProcess,
		State: winsvc.StartPending, CheckPoint: 3, WaitHint: 3 * time.Second, ProcessID: 77, ServiceFlags: winsvc.ServiceRunsInSystemProcess}
	statusDriver = winsvc.Status{Name: "Drv", DisplayName: "A Driver", ServiceType: winsvc.KernelDriver,
		State: winsvc.Running, ControlsAccepted: winsvc.AcceptStop}
	statusInteractive = winsvc.Status{Name: "Desk", DisplayName: "Desktop", ServiceType: winsvc.InteractiveOwnProcess,
		State: winsvc.Paused, ControlsAccepted: winsvc.AcceptStop | winsvc.AcceptPauseContinue | winsvc.AcceptPreshutdown, ProcessID: 9}
)

func fullConfig() *winsvc.Config {
	return &winsvc.Config{
		Name: "MySvc", DisplayName: "My Service", ServiceType: winsvc.Win32OwnProcess,
		StartType: winsvc.AutoStart, DelayedAutoStart: true, ErrorControl: winsvc.ErrorNormal,
		BinaryPathName: `"C:\Program Files\My App\svc.exe" --port 8080`, LoadOrderGroup: "",
		Dependencies:     []winsvc.Dependency{winsvc.ServiceDependency("Tcpip"), winsvc.GroupDependency("NetworkProvider")},
		ServiceStartName: `NT AUTHORITY\LocalService`, Description: "Serves the API",
		FailureActions: winsvc.FailureActions{ResetPeriod: winsvc.ResetAfter(24 * time.Hour), RebootMessage: "", Command: `C:\tools\notify.exe`,
			Actions: []winsvc.Action{winsvc.RestartAction(5 * time.Second), winsvc.RunCommandAction(time.Second), winsvc.NoAction(0), winsvc.RebootAction(time.Minute)}},
		FailureActionsOnNonCrashFailures: true, SIDType: winsvc.SIDTypeUnrestricted,
		RequiredPrivileges: []string{"SeChangeNotifyPrivilege", "SeImpersonatePrivilege"},
		PreshutdownTimeout: 180 * time.Second,
		Triggers: []trigger.Trigger{
			{Type: trigger.TypeDomainJoin, Action: trigger.Start, Subtype: trigger.DomainJoin},
			{Type: trigger.TypeDomainJoin, Action: trigger.Stop, Subtype: trigger.DomainLeave},
			{Type: trigger.TypeFirewallPortEvent, Action: trigger.Start, Subtype: trigger.FirewallPortOpen,
				Data: []trigger.Data{{Type: trigger.DataString, MultiText: []string{"8080", "tcp", `C:\app\svc.exe`, "MySvc"}}}},
		},
		PreferredNode:   winsvc.PreferredNode{Node: 1, Set: true},
		LaunchProtected: winsvc.LaunchProtectedNone,
	}
}

// wineConfig is what Wine's SCM reports: the optional settings it does not
// support are unavailable.
func wineConfig() *winsvc.Config {
	c := &winsvc.Config{Name: "WineSvc", DisplayName: "Wine Service", ServiceType: winsvc.Win32OwnProcess,
		StartType: winsvc.DemandStart, ErrorControl: winsvc.ErrorSevere, BinaryPathName: `C:\winsvc\testsvc.exe -mode=normal`,
		LoadOrderGroup: "MyGroup", TagID: 3, Dependencies: []winsvc.Dependency{}, ServiceStartName: "LocalSystem",
		Description: "under Wine", PreshutdownTimeout: 180 * time.Second,
		Unavailable: map[winsvc.Field]error{}}
	for _, f := range []winsvc.Field{winsvc.FieldFailureActions, winsvc.FieldDelayedAutoStart, winsvc.FieldFailureFlag,
		winsvc.FieldSIDType, winsvc.FieldRequiredPrivileges} {
		c.Unavailable[f] = winsvc.ErrInvalidLevel
	}
	for _, f := range []winsvc.Field{winsvc.FieldTriggers, winsvc.FieldPreferredNode, winsvc.FieldLaunchProtected} {
		c.Unavailable[f] = winsvc.Errno(1733)
	}
	return c
}

func TestGoldenStatus(t *testing.T) {
	for _, tt := range []struct {
		file string
		json bool
		ex   bool
	}{{"query.txt", false, false}, {"queryex.txt", false, true}, {"status.json", true, false}} {
		var all bytes.Buffer
		for _, st := range []winsvc.Status{statusRunning, statusStopped, statusPending, statusDriver, statusInteractive} {
			e, out, _ := testEnv(tt.json)
			if err := e.printStatus(st, tt.ex); err != nil {
				t.Fatal(err)
			}
			all.Write(out.Bytes())
		}
		golden(t, tt.file, all.String())
	}
	var list bytes.Buffer
	for _, st := range []winsvc.Status{statusRunning, statusStopped} {
		renderStatus(&list, st, statusLayout{displayName: true, ex: true})
	}
	golden(t, "queryex-list.txt", list.String())
}

// TestGoldenDependentsJSON: stop --with-dependents and restart name the
// dependents they stopped and started again; text output is the status.
func TestGoldenDependentsJSON(t *testing.T) {
	var all bytes.Buffer
	for _, doc := range []any{
		stopJSON{Status: statusStopped, StoppedDependents: []string{"Top", "Mid"}, DependentsSource: winsvc.DependentsFromConfigurations},
		stopJSON{Status: statusStopped, StoppedDependents: nonNil([]string(nil)), DependentsSource: winsvc.DependentsFromSCM},
		restartJSON{Status: statusRunning, RestartedDependents: []string{"Mid", "Top"}, PausedDependents: []string{"Top"}, DependentsSource: winsvc.DependentsFromSCM},
		restartJSON{Status: statusRunning, RestartedDependents: nonNil([]string(nil)), PausedDependents: nonNil([]string(nil)), DependentsSource: winsvc.DependentsFromSCM},
	} {
		e, out, _ := testEnv(true)
		if err := e.printStatusWith(winsvc.Status{}, false, doc); err != nil {
			t.Fatal(err)
		}
		all.Write(out.Bytes())
	}
	golden(t, "dependents.json", all.String())
	e, out, _ := testEnv(false)
	if err := e.printStatusWith(statusRunning, true, restartJSON{}); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	renderStatus(&want, statusRunning, statusLayout{ex: true})
	if out.String() != want.String() {
		t.Errorf("text output:\n%s\nwant\n%s", out, &want)
	}
	// With --json the dependents are in the document; only a failure names
	// them on stderr (as a warning), since it prints no document.
	for _, tt := range []struct {
		json bool
		err  error
		want string
	}{
		{false, nil, "winsvc: stopped the dependents first: A, B\n"},
		{true, nil, ""},
		{true, errors.New("x"), `{"warning":"stopped the dependents first: A, B"}` + "\n"},
	} {
		e, _, errOut := testEnv(tt.json)
		e.noteDependents("stopped the dependents first", []string{"A", "B"}, tt.err)
		if errOut.String() != tt.want {
			t.Errorf("json %v, err %v: stderr %q, want %q", tt.json, tt.err, errOut, tt.want)
		}
	}
}

// fakeSCM answers Status and DisplayName from fixed data, and counts the
// calls.
type fakeSCM struct {
	st           winsvc.Status
	statusCalls  int
	displayCalls int
}

func (f *fakeSCM) Status(ctx context.Context, name string) (winsvc.Status, error) {
	f.statusCalls++
	st := f.st
	st.Name, st.DisplayName = name, "" // Manager.Status reports no display name
	return st, nil
}

func (f *fakeSCM) DisplayName(ctx context.Context, key string) (string, error) {
	f.displayCalls++
	return "Display of " + key, nil
}

// TestStatusDisplayName: every JSON status carries the display name, read
// with one more call; text output does not need it and makes no call.
func TestStatusDisplayName(t *testing.T) {
	for _, json := range []bool{false, true} {
		f := &fakeSCM{st: statusRunning}
		e, out, _ := testEnv(json)
		after, err := e.statusAfter(context.Background(), f, "MySvc", winsvc.Running)
		if err != nil {
			t.Fatal(err)
		}
		if err := printsStatus(false)(e, statusResult{after, after}); err != nil {
			t.Fatal(err)
		}
		st, _ := e.statusOf(context.Background(), f, "MySvc")
		var fromControl = winsvc.Status{Name: "MySvc", State: winsvc.Running} // Interrogate, Control, WaitFor
		e.fillDisplayName(context.Background(), f, &fromControl)
		if json {
			if !strings.Contains(out.String(), `"displayName": "Display of MySvc"`) || st.DisplayName != "Display of MySvc" ||
				fromControl.DisplayName != "Display of MySvc" || f.displayCalls != 3 {
				t.Errorf("JSON status without its display name (%d calls): %s", f.displayCalls, out)
			}
		} else if f.displayCalls != 0 || st.DisplayName != "" || fromControl.DisplayName != "" {
			t.Errorf("text output read the display name (%d calls)", f.displayCalls)
		}
	}
	// A display name already known is kept, with no call.
	f := &fakeSCM{}
	e, _, _ := testEnv(true)
	st := statusRunning
	e.fillDisplayName(context.Background(), f, &st)
	if st.DisplayName != "My Service" || f.displayCalls != 0 {
		t.Errorf("known display name: %q, %d calls", st.DisplayName, f.displayCalls)
	}
}

// lockedBuffer is a buffer that one goroutine writes while another reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestProgress: progress (state, checkpoint, elapsed time) goes to stderr
// only when stderr is a terminal, and never with --json or without a wait.
func TestProgress(t *testing.T) {
	defer func(d time.Duration) { progressInterval = d }(progressInterval)
	progressInterval = 5 * time.Millisecond
	for _, tt := range []struct {
		tty, json, waiting, shown bool
	}{
		{tty: true, waiting: true, shown: true},
		{tty: true, json: true, waiting: true},
		{tty: false, waiting: true},
		{tty: true, waiting: false},
	} {
		f := &fakeSCM{st: statusPending}
		e, out, _ := testEnv(tt.json)
		errOut := &lockedBuffer{}
		e.io.ErrOut, e.io.ErrTTY = errOut, tt.tty
		e.verb = "start"
		done := e.progress(context.Background(), f, "Slow", tt.waiting)
		deadline := time.Now().Add(5 * time.Second)
		for tt.shown && !strings.Contains(errOut.String(), "checkpoint") && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond) // the progress goroutine writes only after its first tick
		}
		if !tt.shown {
			time.Sleep(30 * time.Millisecond) // several ticks
		}
		done()
		got := errOut.String()
		if tt.shown {
			if !strings.Contains(got, "start Slow: START_PENDING, checkpoint 3, ") || !strings.HasSuffix(got, "\r") {
				t.Errorf("%+v: progress %q", tt, got)
			}
		} else if got != "" || f.statusCalls != 0 {
			t.Errorf("%+v: progress shown: %q (%d status reads)", tt, got, f.statusCalls)
		}
		if out.Len() != 0 {
			t.Errorf("%+v: progress on stdout: %q", tt, out)
		}
	}
}

// querySettingVerbs are the verbs that show settings of the configuration.
var querySettingVerbs = []string{"qc", "qdescription", "qfailure", "qfailureflag", "qmanagedaccount", "qpreferrednode",
	"qprivs", "qprotection", "qsidtype", "qtriggerinfo"}

func TestGoldenSettings(t *testing.T) {
	for _, cfg := range []*winsvc.Config{fullConfig(), wineConfig()} {
		for _, json := range []bool{false, true} {
			var all bytes.Buffer
			for _, verb := range querySettingVerbs {
				e, out, _ := testEnv(json)
				e.verb = verb
				fmt.Fprintf(&all, "=== winsvc %s %s\n", verb, cfg.Name)
				if err := lookup(verb).render(e, cfg); err != nil {
					fmt.Fprintf(&all, "error %d: %v\n", exitCode(err), err)
					continue
				}
				all.Write(out.Bytes())
			}
			ext := ".txt"
			if json {
				ext = ".json.txt"
			}
			golden(t, "settings-"+strings.ToLower(cfg.Name)+ext, all.String())
		}
	}
	// Triggers: none, and every event sc knows.
	var tr bytes.Buffer
	renderTriggers(&tr, &winsvc.Config{Name: "NoTriggers"})
	triggers, err := parseTriggers([]string{"start/device/{53f56307-b6bf-11d0-94f2-00a0c91efb8b}/USBSTOR\\GenDisk",
		"start/custom/{22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716}/ABCD", "stop/strcustom/{22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716}/text",
		"start/networkon", "stop/networkoff", "start/machinepolicy", "start/userpolicy",
		"start/rpcinterface/{367abb81-9844-35f1-ad32-98f038001003}", "start/namedpipe/mypipe"})
	if err != nil {
		t.Fatal(err)
	}
	renderTriggers(&tr, &winsvc.Config{Name: "AllTriggers", Triggers: triggers})
	golden(t, "qtriggerinfo.txt", tr.String())
}

func TestGoldenGet(t *testing.T) {
	for _, tt := range []struct {
		file string
		cfg  *winsvc.Config
		st   winsvc.Status
	}{{"get.txt", fullConfig(), statusRunning}, {"get-wine.txt", wineConfig(), statusStopped}} {
		var b bytes.Buffer
		renderGet(&b, tt.cfg, tt.st)
		golden(t, tt.file, b.String())
		e, out, _ := testEnv(true)
		if err := e.writeJSON(getJSON{Config: tt.cfg, Status: tt.st}); err != nil {
			t.Fatal(err)
		}
		golden(t, strings.TrimSuffix(tt.file, ".txt")+".json", out.String())
	}
}

func TestGoldenList(t *testing.T) {
	auto, demand := winsvc.AutoStart, winsvc.DemandStart
	rows := []listEntry{
		{Name: "Alpha", DisplayName: "Alpha Service", State: winsvc.Running, StartType: &auto, DelayedAutoStart: winsvc.Ptr(true), ProcessID: 100, ServiceType: winsvc.Win32OwnProcess},
		{Name: "Beta", DisplayName: "Beta", State: winsvc.Stopped, StartType: &demand, DelayedAutoStart: winsvc.Ptr(false), ServiceType: winsvc.Win32ShareProcess},
		{Name: "Locked", DisplayName: "Cannot read me", State: winsvc.Running, ProcessID: 7, ServiceType: winsvc.Win32OwnProcess},
	}
	var b bytes.Buffer
	renderList(&b, rows)
	golden(t, "list.txt", b.String())
	e, out, _ := testEnv(true)
	if err := e.writeJSON(rows); err != nil {
		t.Fatal(err)
	}
	golden(t, "list.json", out.String())
	e, out, _ = testEnv(false)
	e.printNames(rows)
	if out.String() != "Alpha\nBeta\nLocked\n" {
		t.Errorf("--names: %q", out.String())
	}
}

func TestGoldenMisc(t *testing.T) {
	var b bytes.Buffer
	scSuccess(&b, "QueryServiceLockStatus")
	renderLock(&b, winsvc.LockStatus{})
	scSuccess(&b, "QueryServiceLockStatus")
	renderLock(&b, winsvc.LockStatus{Locked: true, Owner: `.\NT Service Control Manager`, Duration: 42 * time.Second})
	golden(t, "querylock.txt", b.String())

	t0 := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	old := snapshot{"A": statusRunning, "B": statusStopped, "Gone": statusStopped}
	a2 := statusRunning
	a2.State, a2.ProcessID = winsvc.StopPending, 4242
	b2 := statusStopped
	b2.State, b2.ProcessID = winsvc.Running, 99
	cur := snapshot{"A": a2, "B": b2, "New": statusPending}
	for _, json := range []bool{false, true} {
		e, out, _ := testEnv(json)
		for _, c := range diff(old, cur, t0) {
			e.printChange(c)
		}
		name := "watch.txt"
		if json {
			name = "watch.json.txt"
		}
		golden(t, name, out.String())
	}
	if c := diff(nil, cur, t0); len(c) != 0 {
		t.Errorf("the first snapshot reported changes: %+v", c)
	}
}

func TestGoldenDependencyTree(t *testing.T) {
	tree := &winsvc.DependencyTree{Service: "Mid", DependentsSource: winsvc.DependentsFromConfigurations,
		DependsOn: []winsvc.DependencyNode{
			{Name: "Base", State: winsvc.Running},
			{Name: "Grp", Group: true, Children: []winsvc.DependencyNode{{Name: "Member", State: winsvc.Stopped}}},
			{Name: "Gone", Missing: true},
		},
		Dependents: []winsvc.DependencyNode{
			{Name: "Top", State: winsvc.Running, Children: []winsvc.DependencyNode{{Name: "Mid", Cycle: true}}},
			{Name: "Other", State: winsvc.Stopped, Via: "+MidGroup", Children: []winsvc.DependencyNode{{Name: "Top", Repeated: true}}},
		}}
	var b bytes.Buffer
	renderDependencyTree(&b, tree)
	renderDependencyTree(&b, &winsvc.DependencyTree{Service: "Alone", DependentsSource: winsvc.DependentsFromSCM})
	golden(t, "enumdepend-tree.txt", b.String())
	if got := dependentNames(tree.Dependents, nil, map[string]bool{"mid": true}); strings.Join(got, ",") != "Top,Other" {
		t.Errorf("dependentNames = %q", got)
	}
}

func TestGoldenHelp(t *testing.T) {
	var b bytes.Buffer
	writeOverview(&b, sortedCommands())
	for _, c := range sortedCommands() {
		fmt.Fprintf(&b, "\n======== %s\n", c.name)
		writeVerbHelp(&b, c)
	}
	golden(t, "help.txt", b.String())
	for _, topic := range sortedKeys(topics) {
		e, out, _ := testEnv(false)
		if err := lookup("help").execute(context.Background(), e, &HelpOptions{Topic: topic}); err != nil {
			t.Fatal(err)
		}
		golden(t, "help-"+topic+".txt", out.String())
	}
}

func TestGoldenCompletion(t *testing.T) {
	for name, script := range shells {
		golden(t, "completion."+name, script(commands))
	}
}

func TestGoldenErrors(t *testing.T) {
	waitErr := &winsvc.Error{Op: "start", Service: "Slow", Err: &winsvc.WaitError{Want: winsvc.Running, Last: statusPending,
		Err: fmt.Errorf("%w: %w", winsvc.ErrWaitTimeout, context.DeadlineExceeded)}}
	crashErr := &winsvc.Error{Op: "start", Service: "Crash", Err: &winsvc.WaitError{Want: winsvc.Running, Last: statusPending,
		Err: winsvc.ErrProcessExited, ExitCode: 7}}
	errs := []error{
		&winsvc.Error{Op: "start", Service: "Missing", Code: winsvc.ErrNotFound, Err: winsvc.ErrNotFound},
		&winsvc.Error{Op: "stop", Service: "MySvc", Code: winsvc.ErrNotActive, Err: fmt.Errorf("%w: service is STOPPED", winsvc.ErrNotActive)},
		&winsvc.Error{Op: "delete", Service: "MySvc", Code: winsvc.ErrAccessDenied, Err: winsvc.ErrAccessDenied},
		&winsvc.Error{Op: "create", Service: "MySvc", Code: winsvc.ErrExists, Err: winsvc.ErrExists},
		&winsvc.Error{Op: "save", Service: "MySvc", Err: &winsvc.ValidationError{Field: "startType", Value: "BOOT_START", Reason: "BOOT_START and SYSTEM_START are for drivers only"}},
		waitErr,
		crashErr,
		unavailable("qfailure", "WineSvc", winsvc.FieldFailureActions, winsvc.ErrInvalidLevel),
		&usageError{verb: "create", msg: "binPath= is required: the command line of the service"},
		&usageError{msg: `unknown verb "bogus"; run 'winsvc help' for the list`},
		&winsvc.Error{Op: "connect", Err: fmt.Errorf("the Service Control Manager exists only on Windows: %w", errors.ErrUnsupported)},
		&winsvc.Error{Op: "watch", Err: context.Canceled},
		errors.New("something without a code"),
	}
	for _, json := range []bool{false, true} {
		var all bytes.Buffer
		for _, err := range errs {
			e, _, errOut := testEnv(json)
			e.verb = "verb"
			if we := (*winsvc.Error)(nil); errors.As(err, &we) && lookup(we.Op) != nil {
				e.verb = we.Op // the verb that ran the operation: errors name it, hints depend on it
			}
			code := report(e, err)
			fmt.Fprintf(&all, "exit %d: %s", code, errOut.String())
		}
		name := "errors.txt"
		if json {
			name = "errors.json.txt"
		}
		golden(t, name, all.String())
	}
	// Every error document has the same fields, and an error that names no
	// service (a failed connection) gets the one the command line named.
	for _, err := range errs {
		e, _, errOut := testEnv(true)
		e.verb, e.target = "qc", "MySvc"
		report(e, err)
		var doc map[string]map[string]any
		if jerr := json.Unmarshal(errOut.Bytes(), &doc); jerr != nil {
			t.Fatalf("%v: %v", err, jerr)
		}
		body := doc["error"]
		if len(doc) != 1 || len(body) != 5 {
			t.Errorf("%v: error document %v, want the 5 fields", err, doc)
		}
		for _, k := range []string{"op", "service", "code", "codeName", "message"} {
			if _, ok := body[k]; !ok {
				t.Errorf("%v: no %q in %v", err, k, body)
			}
		}
		if body["service"] == "" {
			t.Errorf("%v: service %q, want the one the command named", err, body["service"])
		}
		if (body["codeName"] == "") != (body["code"] == float64(exitFailure)) {
			t.Errorf("%v: codeName %q for code %v", err, body["codeName"], body["code"])
		}
	}
	e, _, errOut := testEnv(true)
	e.target = "MySvc"
	report(e, &winsvc.Error{Op: "start", Service: "Other", Code: winsvc.ErrNotFound, Err: winsvc.ErrNotFound})
	if !strings.Contains(errOut.String(), `"service":"Other"`) {
		t.Errorf("the error's own service was replaced: %s", errOut)
	}
	// A Win32 code at or below 3 is named too (ERROR_FILE_NOT_FOUND from StartService).
	e, _, errOut = testEnv(true)
	report(e, &winsvc.Error{Op: "start", Service: "MySvc", Code: 2, Err: winsvc.Errno(2)})
	if !strings.Contains(errOut.String(), `"code":2,"codeName":"ERROR_FILE_NOT_FOUND"`) {
		t.Errorf("code 2: %s", errOut)
	}

	// Outcomes that are not errors print nothing.
	e, out, errOut := testEnv(false)
	if code := report(e, exitStatus(exitNotRunning)); code != 3 || out.Len()+errOut.Len() != 0 {
		t.Errorf("exitStatus: code %d, output %q %q", code, out, errOut)
	}
}

// TestSaveOutput runs a password from the command line through the path
// config takes (parse, password source, plan, output), with the plan
// computed as Save computes it, and checks that the plan shows a password
// change but never the password, in JSON and in text, on stdout and stderr.
func TestSaveOutput(t *testing.T) {
	for _, json := range []bool{true, false} {
		args := []string{"config", "WineSvc", "obj=", `.\svcuser`, "password=", "s3cret", "start=", "auto", "--dry-run"}
		inv, err := parseLine(args)
		if err != nil {
			t.Fatal(err)
		}
		o := inv.opts.(*ConfigOptions)
		e, out, errOut := testEnv(json)
		pw, err := o.Password.password(e, o.Def.ServiceStartName)
		if err != nil || pw != "s3cret" {
			t.Fatalf("password %q, %v", pw, err)
		}
		loaded, desired := wineConfig(), wineConfig()
		desired.ServiceStartName, desired.StartType = o.Def.ServiceStartName, *o.Def.StartType
		plan := winsvc.ComputePlan(loaded, desired, nil, pw)
		opts := winsvc.SaveOptions{Password: pw, DryRun: o.DryRun}
		if err := e.reportSave(&winsvc.SaveResult{Plan: plan}, opts, desired, "ChangeServiceConfig"); err != nil {
			t.Fatal(err)
		}
		if json {
			golden(t, "save.json", out.String())
		}
		if !strings.Contains(out.String(), string(winsvc.FieldPassword)) {
			t.Errorf("the plan does not show the password change, so this test proves nothing:\n%s", out)
		}
		if strings.Contains(out.String()+errOut.String(), "s3cret") {
			t.Errorf("password printed (json %v):\n%s\n%s", json, out, errOut)
		}
		if !strings.Contains(errOut.String(), "process lists") {
			t.Errorf("no warning for password=: %q", errOut)
		}
	}
}

// TestCompletionValues: every value completion offers, for an option or a
// positional argument, is one the verb accepts; and the scripts carry the
// positional tables.
func TestCompletionValues(t *testing.T) {
	d := collectCompletion(commands)
	for key, vals := range d.values {
		verb, slot, _ := strings.Cut(key, "|")
		for _, v := range vals {
			if strings.HasSuffix(v, "/") {
				continue // the start of a value ("start/portopen/"), completed further by hand
			}
			var args []string
			switch {
			case slot == "@*" || strings.HasPrefix(slot, "@"):
				n := 1
				if slot != "@*" {
					n, _ = strconv.Atoi(slot[1:])
				}
				args = append([]string{verb}, slices.Repeat([]string{"Foo"}, n)...)
				args = append(args, v)
			case verb == "create":
				args = []string{verb, "Foo", "binPath=", `C:\x.exe`, slot, v}
			case verb == "config": // tag= no alone changes nothing
				args = []string{verb, "Foo", "DisplayName=", "Foo Svc", slot, v}
			case verb == "failure":
				args = []string{verb, "Foo", "reset=", "1", slot, v}
			case lookup(verb).nameArg && lookup(verb).minArgs > 0:
				args = []string{verb, "Foo", slot, v}
			default:
				args = []string{verb, slot, v}
			}
			if _, err := parseLine(args); err != nil {
				t.Errorf("completion offers %q for %s, which does not parse: %q: %v", v, key, args, err)
			}
		}
	}
	for _, want := range []string{"sidtype|@1", "wait|@1", "failureflag|@1", "managedaccount|@1", "control|@1", "preferrednode|@1", "triggerinfo|@1", "triggerinfo|@*", "help|@0", "completion|@0"} {
		if len(d.values[want]) == 0 {
			t.Errorf("no completion for %s", want)
		}
		for name, script := range shells {
			if !strings.Contains(script(commands), want) {
				t.Errorf("the %s script lacks %s", name, want)
			}
		}
	}
	if !slices.Contains(d.valued["wait"], "--timeout") || slices.Contains(d.valued["wait"], "--json") {
		t.Errorf("flags with a value of wait: %q", d.valued["wait"])
	}
}

// TestJSONArrayMatchesWriteJSON checks that query --json's streaming writer
// prints writeJSON's bytes, for no, one and many statuses, awkward names
// included.
func TestJSONArrayMatchesWriteJSON(t *testing.T) {
	for _, n := range []int{0, 1, 2, 50} {
		statuses := newFormatData(n).statuses
		var want, got bytes.Buffer
		if err := (&env{io: &IOStreams{Out: &want}}).writeJSON(nonNil(statuses)); err != nil {
			t.Fatal(err)
		}
		if err := writeJSONArray(&env{io: &IOStreams{Out: &got}}, statuses); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("n=%d: writeJSONArray:\n%s\nwriteJSON:\n%s", n, got.Bytes(), want.Bytes())
		}
	}
}

// help json names every check doctor runs, so that a program reading
// doctor --json knows each.
func TestHelpJSONNamesEveryCheck(t *testing.T) {
	text := strings.Join(strings.Fields(topics["json"]), " ")
	for _, c := range winsvc.Checks() {
		if !strings.Contains(text, " "+string(c)+",") && !strings.Contains(text, " "+string(c)+" ") && !strings.HasSuffix(text, " "+string(c)) {
			t.Errorf("help json does not name the check %q", c)
		}
	}
}
