package host

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	kernel32                  = windows.NewLazySystemDLL("kernel32.dll")
	procAttachConsole         = kernel32.NewProc("AttachConsole")
	procFreeConsole           = kernel32.NewProc("FreeConsole")
	procSetConsoleCtrlHandler = kernel32.NewProc("SetConsoleCtrlHandler")
	user32                    = windows.NewLazySystemDLL("user32.dll")
	procPostMessageW          = user32.NewProc("PostMessageW")
)

const wmClose = 0x0010

// consoleMu serializes the use of the host's console slot: a process is
// attached to at most one console.
var consoleMu sync.Mutex

// swallowOnce installs, once, a console control handler that takes every
// event sent to the host itself while it is attached to the program's
// console: the Go runtime's handler would otherwise end the host on Ctrl+Break.
// (SetConsoleCtrlHandler(NULL, TRUE) is not used: the processes the host
// starts later would inherit "ignore Ctrl+C".)
var swallowOnce sync.Once

func swallow(uint32) uintptr { return 1 }

// sendCtrl sends a console control event (windows.CTRL_C_EVENT or
// CTRL_BREAK_EVENT) to every process of the console of process pid, as
// NSSM does: the host, which has no console as a service, attaches to the
// program's, generates the event for the console's process group 0, and
// frees it.
func sendCtrl(pid, event uint32) error {
	consoleMu.Lock()
	defer consoleMu.Unlock()
	if r, _, err := procAttachConsole.Call(uintptr(pid)); r == 0 {
		if err == windows.ERROR_ACCESS_DENIED {
			return errors.New("AttachConsole: the host has a console of its own")
		}
		return fmt.Errorf("AttachConsole(%d): %w", pid, err)
	}
	defer procFreeConsole.Call()
	var herr error
	swallowOnce.Do(func() {
		if r, _, err := procSetConsoleCtrlHandler.Call(windows.NewCallback(swallow), 1); r == 0 {
			herr = fmt.Errorf("SetConsoleCtrlHandler: %w", err)
		}
	})
	if herr != nil {
		return herr
	}
	if err := windows.GenerateConsoleCtrlEvent(event, 0); err != nil {
		return fmt.Errorf("GenerateConsoleCtrlEvent: %w", err)
	}
	return nil
}

// enumMu guards enumPids and enumFound, the state of enumWindowsProc (a
// callback made once: Windows callbacks made by NewCallback are never freed).
var (
	enumMu    sync.Mutex
	enumPids  map[uint32]bool
	enumFound []windows.HWND
	enumProc  = sync.OnceValue(func() uintptr {
		return windows.NewCallback(func(h windows.HWND, _ uintptr) uintptr {
			var pid uint32
			windows.GetWindowThreadProcessId(h, &pid)
			if enumPids[pid] && len(enumFound) < maxJobPids {
				enumFound = append(enumFound, h)
			}
			return 1
		})
	})
)

// closeWindows posts WM_CLOSE to every top-level window of the processes
// pids, and returns how many it posted to.
func closeWindows(pids []uint32) int {
	enumMu.Lock()
	defer enumMu.Unlock()
	enumPids, enumFound = make(map[uint32]bool, len(pids)), nil
	for _, p := range pids {
		enumPids[p] = true
	}
	windows.EnumWindows(enumProc(), unsafe.Pointer(nil))
	posted := 0
	for _, h := range enumFound {
		if r, _, _ := procPostMessageW.Call(uintptr(h), wmClose, 0, 0); r != 0 {
			posted++
		}
	}
	enumPids, enumFound = nil, nil
	return posted
}
