package desired_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/winsvctest"
)

// Parse reads a document in YAML or JSON. A setting the document leaves out
// stays unset in the Definition: applying it leaves that setting as it is.
func ExampleParse() {
	doc, err := desired.Parse("services.yaml", []byte(`
services:
  - name: MyAgent
    state: running
    binaryPathName: '"C:\Program Files\My Agent\agent.exe" -config agent.yaml'
    startType: AUTO_START
    description: Collects metrics.
    password: {env: MYAGENT_PASSWORD}
    serviceStartName: .\agent
  - name: OldAgent
    state: absent
`))
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range doc.Services {
		fmt.Println(s.Name(), s.State)
		if s.State == desired.Absent {
			continue // deleted: the other keys would be ignored
		}
		d := s.Definition
		fmt.Println("  start:", *d.StartType)
		fmt.Println("  program:", d.BinaryPath)
		fmt.Println("  arguments:", d.Args)
		fmt.Println("  account:", d.ServiceStartName, "with the password from the", s.Password)
	}
	// Output:
	// MyAgent running
	//   start: AUTO_START
	//   program: C:\Program Files\My Agent\agent.exe
	//   arguments: [-config agent.yaml]
	//   account: .\agent with the password from the environment variable MYAGENT_PASSWORD
	// OldAgent absent
}

// Parse refuses a document it cannot apply as written, naming the file, the
// line and column, the service and the field, and what the field takes. It
// reports every problem, not only the first, and its errors match
// winsvc.ErrInvalid.
func ExampleParse_error() {
	_, err := desired.Parse("services.yaml", []byte(`
services:
  - name: MyAgent
    state: started
    startType: sometimes
`))
	fmt.Println(err)

	var de *desired.Error
	if errors.As(err, &de) {
		fmt.Println(de.Line, de.Service, de.Field)
	}
	fmt.Println(errors.Is(err, winsvc.ErrInvalid))
	// Output:
	// services.yaml:4:12: service "MyAgent": invalid state "started"; allowed: any, running, stopped, paused, absent
	// services.yaml:5:16: service "MyAgent": invalid startType "sometimes"; allowed: BOOT_START, SYSTEM_START, AUTO_START, DEMAND_START, DISABLED, auto, automatic, boot, demand, disabled, manual, system
	// 4 MyAgent state
	// true
}

// PlanAll shows what applying a document would change, service by service,
// and changes nothing.
func ExamplePlanAll() {
	doc, err := desired.ReadFile("services.yaml")
	if err != nil {
		log.Fatal(err) // a *desired.Error naming the line and the field
	}
	m, err := winsvc.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	plan, err := desired.PlanAll(context.Background(), m, doc, desired.PlanOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(plan) // old -> new, field by field
	if err := plan.Err(); err != nil {
		log.Fatal(err) // the services that could not be planned
	}
	if plan.Empty() {
		fmt.Println("nothing to do")
	}
}

// ApplyAll brings the services to the document: it creates, changes, starts,
// stops and deletes them, dependencies first. The document names where each
// password comes from; the caller reads it.
func ExampleApplyAll() {
	doc, err := desired.ReadFile("services.yaml")
	if err != nil {
		log.Fatal(err)
	}
	m, err := winsvc.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	res, err := desired.ApplyAll(context.Background(), m, doc, desired.ApplyOptions{
		Passwords: desired.Passwords(os.Getenv, nil), // {env: ...} and {file: ...}; no stdin
	})
	if res != nil {
		fmt.Print(res) // what was done, service by service
	}
	if err != nil {
		log.Fatal(err) // the failures; a failed service's settings were rolled back
	}
	fmt.Println(res.Count(desired.Changed), "services changed")
}

// Export writes the services as they are into a document: applying it later
// brings them back to this state.
func ExampleExport() {
	m, err := winsvc.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	res, err := desired.Export(context.Background(), m, []string{"MyAgent", "MyWorker"}, desired.ExportOptions{})
	if err != nil {
		log.Fatal(err) // the services could not be listed
	}
	for _, f := range res.Failed {
		log.Printf("%s: not exported: %v", f.Service, f.Err)
	}
	for name, fields := range res.LeftOut {
		log.Printf("%s: could not read %v; applying leaves them as they are", name, fields)
	}
	out, err := res.Document.YAML()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("services.yaml", out, 0o644); err != nil {
		log.Fatal(err)
	}
}

// A program's tests can plan and apply its documents against the SCM that
// winsvctest.Connect holds in memory, on any operating system.
func ExamplePlanAll_inMemory() {
	ctx := context.Background()
	m := winsvctest.Connect()
	defer m.Close()

	doc, err := desired.Parse("", []byte(`
services:
  - name: MyAgent
    binaryPathName: C:\Agent\agent.exe
    startType: AUTO_START
    state: running
`))
	if err != nil {
		log.Fatal(err)
	}
	plan, err := desired.PlanAll(ctx, m, doc, desired.PlanOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(plan)
	res, err := desired.ApplyAll(ctx, m, doc, desired.ApplyOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Count(desired.Changed), "changed")

	plan, err = desired.PlanAll(ctx, m, doc, desired.PlanOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(plan.Empty()) // applying it again changes nothing
	// Output:
	// create MyAgent:
	//   name                                -> MyAgent
	//   displayName                         -> MyAgent
	//   serviceType                         -> WIN32_OWN_PROCESS
	//   startType                           -> AUTO_START
	//   errorControl                        -> ERROR_NORMAL
	//   binaryPathName                      -> C:\Agent\agent.exe
	//   serviceStartName                    -> LocalSystem
	//   sidType                            SID_TYPE_NONE -> SID_TYPE_UNRESTRICTED
	//   preshutdownTimeout                 (default) -> 180000
	//   state                              absent -> running
	// Plan: 1 to create, 0 to update, 0 to delete, 0 unchanged.
	// 1 changed
	// true
}
