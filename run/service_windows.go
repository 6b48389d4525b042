//go:build windows

package run

import (
	"context"
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
)

// detectService reports whether the SCM started this process. Under Wine,
// x/sys's IsWindowsService is false for every service, because Wine runs
// all processes in session 1 (docs/wine-scm.md §6): there the parent
// being services.exe is enough.
func detectService() bool {
	if ok, err := svc.IsWindowsService(); err == nil && ok {
		return true
	}
	return isWine() && strings.EqualFold(parentImage(), "services.exe")
}

func isWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

// parentImage returns the file name of the program of this process's
// parent, "" if it cannot be told.
func parentImage() string {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(snap)
	self := windows.GetCurrentProcessId()
	names := map[uint32]string{}
	var parent uint32
	e := windows.ProcessEntry32{Size: uint32(unsafe.Sizeof(windows.ProcessEntry32{}))}
	for err = windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		names[e.ProcessID] = windows.UTF16ToString(e.ExeFile[:])
		if e.ProcessID == self {
			parent = e.ParentProcessID
		}
	}
	return names[parent]
}

// serve runs program through golang.org/x/sys/windows/svc's dispatcher.
// invalid, when not nil, is why the options were refused: the service then
// stops at once with ERROR_INVALID_PARAMETER.
func serve(program func(context.Context) error, opts *Options, invalid error) error {
	h := &handler{program: program, opts: opts, result: invalid}
	// The name is ignored for a service of its own process.
	if err := svc.Run("", h); err != nil {
		return fmt.Errorf("run: connecting to the service control manager: %w", err)
	}
	return h.result
}

type handler struct {
	program func(context.Context) error
	opts    *Options
	result  error
}

func (h *handler) Execute(args []string, req <-chan svc.ChangeRequest, changes chan<- svc.Status) (bool, uint32) {
	if h.result != nil {
		// Started, then stopped: under Wine, a first status of STOPPED
		// fails StartService with 1053 (docs/wine-scm.md §6).
		changes <- svc.Status{State: svc.StartPending, CheckPoint: 1, WaitHint: millis(defaultWaitHint)}
		return false, uint32(windows.ERROR_INVALID_PARAMETER)
	}
	// x/sys's control handler waits until each control is read: read
	// them at once, always, and hand them to the runner.
	controls := make(chan uint32)
	quit := make(chan struct{})
	defer close(quit)
	go func() {
		for {
			select {
			case c := <-req:
				select {
				case controls <- uint32(c.Cmd):
				case <-quit:
					return
				}
			case <-quit:
				return
			}
		}
	}()
	r := newRunner(h.opts, statusChan(changes), args)
	var specific bool
	var code uint32
	specific, code, h.result = r.serve(h.program, controls)
	return specific, code
}

// statusChan reports to x/sys, which calls SetServiceStatus before it takes
// the next status.
type statusChan chan<- svc.Status

func (c statusChan) report(s status) {
	c <- svc.Status{State: svc.State(s.State), Accepts: svc.Accepted(s.Accepts),
		CheckPoint: s.CheckPoint, WaitHint: s.WaitHint}
}
