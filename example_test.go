package winsvc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/winsvctest"
)

// Create a service, or bring an existing one to the definition. Settings the
// definition leaves unset get the defaults (DEMAND_START, WIN32_OWN_PROCESS,
// ERROR_NORMAL, LocalSystem, ...) for a new service and are left as they are
// for an existing one.
func ExampleManager_New() {
	m, err := winsvc.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	svc, err := m.New(winsvc.Definition{
		Name:        "MyAgent",
		DisplayName: "My Agent",
		BinaryPath:  `C:\Program Files\My Agent\agent.exe`, // quoted for you
		Args:        []string{"-config", `C:\ProgramData\My Agent\agent.yaml`},
		StartType:   winsvc.Ptr(winsvc.AutoStart),
		Description: winsvc.Ptr("Collects metrics."),
		FailureActions: &winsvc.FailureActions{
			ResetPeriod: winsvc.ResetAfter(24 * time.Hour),
			Actions:     []winsvc.Action{winsvc.RestartAction(5 * time.Second), winsvc.RestartAction(time.Minute)},
		},
		ServiceStartName: `NT SERVICE\MyAgent`, // a virtual account: no password
	})
	if err != nil {
		log.Fatal(err) // a *winsvc.ValidationError naming the field
	}
	if _, err := svc.Save(context.Background(), winsvc.SaveOptions{}); err != nil {
		log.Fatal(err)
	}
}

// Load a service, change one setting and save: only that setting is
// written. Save refuses with ErrConflict if someone else changed the
// service in between.
func ExampleManager_Load() {
	m, err := winsvc.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	ctx := context.Background()
	svc, err := m.Load(ctx, "MyAgent")
	if errors.Is(err, fs.ErrNotExist) {
		log.Fatal("MyAgent is not installed")
	}
	if err != nil {
		log.Fatal(err)
	}
	cfg := svc.Config()
	fmt.Println(cfg.StartType, cfg.BinaryPathName)
	for field, reason := range cfg.Unavailable {
		fmt.Printf("%s could not be read: %s\n", field, reason)
	}

	svc.Update(func(c *winsvc.Config) {
		c.StartType = winsvc.AutoStart
		c.DelayedAutoStart = true
	})
	if _, err := svc.Save(ctx, winsvc.SaveOptions{}); err != nil {
		log.Fatal(err)
	}
}

// Start a service and wait until it runs. The wait fails at once when the
// service stops or its process dies while starting, and at the deadline
// otherwise; the error carries the last status seen.
func ExampleService_Start() {
	m, err := winsvc.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	svc, err := m.Load(ctx, "MyAgent")
	if err != nil {
		log.Fatal(err)
	}
	err = svc.Start(ctx, winsvc.Ensure(), winsvc.WithArgs("-verbose"))
	var we *winsvc.WaitError
	switch {
	case err == nil:
		fmt.Println("running")
	case errors.Is(err, winsvc.ErrStoppedUnexpectedly), errors.Is(err, winsvc.ErrProcessExited):
		fmt.Println("died while starting:", err) // names the exit code
	case errors.As(err, &we): // a timeout or a stalled checkpoint
		fmt.Printf("still %s (checkpoint %d): %v\n", we.Last.State, we.Last.CheckPoint, err)
	case errors.Is(err, winsvc.ErrDisabled):
		fmt.Println("the service is disabled")
	default:
		log.Fatal(err)
	}
}

// Stop a service, delete it and wait until it is really gone (the SCM only
// marks a service for deletion while it runs or a handle to it is open).
func ExampleService_Delete() {
	m, err := winsvc.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	ctx := context.Background()
	svc, err := m.Load(ctx, "MyAgent")
	if err != nil {
		log.Fatal(err)
	}
	if err := svc.Delete(ctx, winsvc.DeleteOptions{Stop: true, Wait: true}); err != nil {
		log.Fatal(err)
	}
}

// List the running services with one enumeration call; no administrator
// rights are needed.
func ExampleManager_QueryAll() {
	m, err := winsvc.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	list, err := m.QueryAll(context.Background(), winsvc.QueryFilter{States: winsvc.ActiveServices})
	if err != nil {
		log.Fatal(err)
	}
	for _, st := range list {
		fmt.Printf("%-30s %-8s %6d %s\n", st.Name, st.State, st.ProcessID, st.DisplayName)
	}
	json.NewEncoder(os.Stdout).Encode(list) // stable camelCase JSON
}

// Tell "not installed" from "not allowed": access denied is never reported
// as not found.
func ExampleService_Status() {
	m, err := winsvc.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	svc, err := m.Service("MyAgent") // reads nothing
	if err != nil {
		log.Fatal(err)
	}
	st, err := svc.Status(context.Background())
	switch {
	case errors.Is(err, fs.ErrNotExist): // or winsvc.ErrNotFound
		fmt.Println("not installed")
	case errors.Is(err, fs.ErrPermission): // or winsvc.ErrAccessDenied
		fmt.Println("installed, but you may not query it:", err)
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println(st.State, st.ControlsAccepted)
	}
}

// See what Save would change without changing anything: a dry run.
func ExampleSaveOptions_dryRun() {
	m, err := winsvc.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	ctx := context.Background()
	svc, err := m.Load(ctx, "MyAgent")
	if err != nil {
		log.Fatal(err)
	}
	if err := svc.Apply(winsvc.Definition{StartType: winsvc.Ptr(winsvc.DemandStart), Description: winsvc.Ptr("")}); err != nil {
		log.Fatal(err)
	}
	res, err := svc.Save(ctx, winsvc.SaveOptions{DryRun: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(res.Plan.String())
}

// ComputePlan is the pure function behind Save, dry runs and change
// reports: it lists the SCM calls that take a service from one
// configuration to another, and only the settings that change.
func ExampleComputePlan() {
	loaded := &winsvc.Config{
		Name: "MyAgent", DisplayName: "My Agent", ServiceType: winsvc.Win32OwnProcess,
		StartType: winsvc.AutoStart, DelayedAutoStart: true, ErrorControl: winsvc.ErrorNormal,
		BinaryPathName:   `"C:\Program Files\My Agent\agent.exe"`,
		ServiceStartName: "LocalSystem", Description: "Collects metrics.",
		SIDType: winsvc.SIDTypeUnrestricted, PreshutdownTimeout: 3 * time.Minute,
	}
	desired := loaded.Clone()
	desired.StartType, desired.DelayedAutoStart = winsvc.DemandStart, false
	desired.Description = ""

	plan := winsvc.ComputePlan(loaded, desired, nil, "")
	fmt.Print(plan.String())
	for _, step := range plan.Steps {
		fmt.Println("step:", step.Kind)
	}
	// Output:
	// update MyAgent:
	//   startType                          AUTO_START -> DEMAND_START
	//   description                        "Collects metrics." -> ""
	//   delayedAutoStart                   true -> false
	// step: config
	// step: description
	// step: delayedAutoStart
}

// The executable path is quoted when it contains spaces, and arguments are
// quoted so that Windows splits them back unchanged.
func ExampleJoinCommandLine() {
	fmt.Println(winsvc.JoinCommandLine(`C:\Program Files\My Agent\agent.exe`, "-config", `C:\My Data\`, `say "hi"`))
	fmt.Println(winsvc.JoinCommandLine(`C:\agent.exe`, "-v"))
	// Output:
	// "C:\Program Files\My Agent\agent.exe" -config "C:\My Data\\" "say \"hi\""
	// C:\agent.exe -v
}

func ExampleSplitCommandLine() {
	exe, args, err := winsvc.SplitCommandLine(`"C:\Program Files\My Agent\agent.exe" -config "C:\My Data\\" "say \"hi\""`)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(exe)
	for _, a := range args {
		fmt.Println(a)
	}
	// Output:
	// C:\Program Files\My Agent\agent.exe
	// -config
	// C:\My Data\
	// say "hi"
}

// Enums parse the Win32 names and the sc.exe tokens, case-insensitively, and
// print as the Win32 name: JSON, YAML and flag.TextVar all use UnmarshalText.
func ExampleStartType_UnmarshalText() {
	for _, s := range []string{"AUTO_START", "auto", "Demand", "disabled"} {
		var st winsvc.StartType
		if err := st.UnmarshalText([]byte(s)); err != nil {
			log.Fatal(err)
		}
		fmt.Println(s, "=>", st, uint32(st))
	}
	var st winsvc.StartType
	err := st.UnmarshalText([]byte("sometimes"))
	fmt.Println(errors.Is(err, winsvc.ErrInvalid))
	// Output:
	// AUTO_START => AUTO_START 2
	// auto => AUTO_START 2
	// Demand => DEMAND_START 3
	// disabled => DISABLED 4
	// true
}

// Failure actions: restart twice, then run a command; the failure count is
// never reset.
func ExampleFailureActions() {
	fa := winsvc.FailureActions{
		ResetPeriod: winsvc.ResetInfinite,
		Command:     `C:\Tools\alert.cmd`,
		Actions: []winsvc.Action{
			winsvc.RestartAction(5 * time.Second),
			winsvc.RestartAction(time.Minute),
			winsvc.RunCommandAction(0),
		},
	}
	b, err := json.Marshal(fa)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	// Output:
	// {"resetPeriod":null,"rebootMessage":"","command":"C:\\Tools\\alert.cmd","actions":[{"type":"SC_ACTION_RESTART","delay":5000},{"type":"SC_ACTION_RESTART","delay":60000},{"type":"SC_ACTION_RUN_COMMAND","delay":0}]}
}

func ExampleStatus() {
	st := winsvc.Status{
		Name: "MyAgent", ServiceType: winsvc.Win32OwnProcess, State: winsvc.StartPending,
		ControlsAccepted: winsvc.AcceptStop | winsvc.AcceptShutdown, CheckPoint: 2, WaitHint: 3 * time.Second, ProcessID: 4242,
	}
	fmt.Println(st.State, st.State.Pending(), st.Accepts(winsvc.AcceptPauseContinue))
	b, err := json.Marshal(st)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	// Output:
	// START_PENDING true false
	// {"name":"MyAgent","displayName":"","serviceType":"WIN32_OWN_PROCESS","state":"START_PENDING","controlsAccepted":["STOP","SHUTDOWN"],"win32ExitCode":0,"serviceSpecificExitCode":0,"checkPoint":2,"waitHint":3000,"processId":4242,"serviceFlags":0}
}

// Validation runs before any SCM call and names the field.
func ExampleDefinition_Validate() {
	def := winsvc.Definition{
		Name:       "MyAgent",
		BinaryPath: `C:\agent.exe`,
		FailureActions: &winsvc.FailureActions{
			Actions: []winsvc.Action{winsvc.RestartAction(-time.Second)},
		},
	}
	err := def.Validate()
	var ve *winsvc.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field)
	}
	fmt.Println(err)
	// Output:
	// failureActions.actions[0].delay
	// invalid failureActions.actions[0].delay "-1s": must be between 0 and 4294967295 ms
}

// Built-in, virtual and managed accounts take no password; user accounts
// need one.
func ExampleNeedsPassword() {
	for _, a := range []string{"LocalSystem", `NT AUTHORITY\NetworkService`, `NT SERVICE\MyAgent`, `CORP\agent-gmsa$`, `CORP\alice`} {
		fmt.Println(a, winsvc.NeedsPassword(a))
	}
	// Output:
	// LocalSystem false
	// NT AUTHORITY\NetworkService false
	// NT SERVICE\MyAgent false
	// CORP\agent-gmsa$ false
	// CORP\alice true
}

// DependencyGraph gives what a picture of the dependencies needs: nodes
// (services and load-order groups), edges (what depends on what) and the
// circular dependencies. An edge points at what must start first.
func ExampleManager_DependencyGraph() {
	ctx := context.Background()
	m := winsvctest.Connect()
	defer m.Close()
	for _, def := range []winsvc.Definition{
		{Name: "Db", BinaryPath: `C:\Db\db.exe`, LoadOrderGroup: winsvc.Ptr("Storage")},
		{Name: "App", BinaryPath: `C:\App\app.exe`, Dependencies: []winsvc.Dependency{winsvc.GroupDependency("Storage")}},
		{Name: "Web", BinaryPath: `C:\Web\web.exe`, Dependencies: []winsvc.Dependency{winsvc.ServiceDependency("App")}},
	} {
		svc, err := m.New(def)
		if err == nil {
			_, err = svc.Save(ctx, winsvc.SaveOptions{})
		}
		if err != nil {
			log.Fatal(err)
		}
	}
	g, err := m.DependencyGraph(ctx, winsvc.GraphOptions{Roots: []string{"App"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range g.Edges {
		fmt.Printf("%s -> %s (%s)\n", g.Nodes[e.From].Name, g.Nodes[e.To].Name, e.Kind)
	}
	fmt.Println(len(g.Cycles), "cycles")
	// Output:
	// App -> Storage (group)
	// Web -> App (service)
	// Storage -> Db (member)
	// 0 cycles
}
