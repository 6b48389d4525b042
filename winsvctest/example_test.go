package winsvctest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/winsvctest"
)

// Connect gives a Manager over an SCM held in memory, for tests of
// programs built on winsvc, on any operating system.
func ExampleConnect() {
	ctx := context.Background()
	m := winsvctest.Connect()
	defer m.Close()

	svc, err := m.New(winsvc.Definition{Name: "Agent", BinaryPath: `C:\Agent\agent.exe`, StartType: winsvc.Ptr(winsvc.AutoStart)})
	if err != nil {
		log.Fatal(err)
	}
	res, err := svc.Save(ctx, winsvc.SaveOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Plan.Create, svc.Config().BinaryPathName)
	if err := svc.Start(ctx); err != nil {
		log.Fatal(err)
	}
	st, _ := svc.Status(ctx)
	fmt.Println(st.State)
	if err := svc.Delete(ctx, winsvc.DeleteOptions{Stop: true, Wait: true}); err != nil {
		log.Fatal(err)
	}
	ok, _ := svc.Exists(ctx)
	fmt.Println(ok)
	// Output:
	// true C:\Agent\agent.exe
	// RUNNING
	// false
}
