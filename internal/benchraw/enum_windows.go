//go:build windows

package benchraw

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Enumerate returns every Win32 service in any state, from
// EnumServicesStatusEx (SC_ENUM_PROCESS_INFO) through m (a handle with
// SC_MANAGER_ENUMERATE_SERVICE): a size probe, then one call with a buffer
// of the size asked for (Wine does not page; Windows pages through the
// resume handle, which this follows too).
func Enumerate(m windows.Handle) ([]Entry, error) {
	var buf []byte
	var resume uint32
	var out []Entry
	for {
		var needed, count uint32
		var p *byte
		if len(buf) > 0 {
			p = &buf[0]
		}
		err := windows.EnumServicesStatusEx(m, windows.SC_ENUM_PROCESS_INFO, windows.SERVICE_WIN32, windows.SERVICE_STATE_ALL,
			p, uint32(len(buf)), &needed, &count, &resume, nil)
		if count > 0 {
			if out == nil {
				out = make([]Entry, 0, count)
			}
			for _, e := range unsafe.Slice((*windows.ENUM_SERVICE_STATUS_PROCESS)(unsafe.Pointer(&buf[0])), count) {
				s := &e.ServiceStatusProcess
				out = append(out, Entry{
					Name:                    windows.UTF16PtrToString(e.ServiceName),
					DisplayName:             windows.UTF16PtrToString(e.DisplayName),
					ServiceType:             s.ServiceType,
					State:                   s.CurrentState,
					ControlsAccepted:        s.ControlsAccepted,
					Win32ExitCode:           s.Win32ExitCode,
					ServiceSpecificExitCode: s.ServiceSpecificExitCode,
					CheckPoint:              s.CheckPoint,
					WaitHint:                s.WaitHint,
					ProcessID:               s.ProcessId,
					ServiceFlags:            s.ServiceFlags,
				})
			}
		}
		switch {
		case err == nil:
			if out == nil {
				out = []Entry{}
			}
			return out, nil
		case err != windows.ERROR_MORE_DATA:
			return nil, err
		case count == 0:
			if needed <= uint32(len(buf)) {
				return nil, err
			}
			buf = make([]byte, needed)
		}
	}
}

// ReadStartTypes fills in each row's start type with QueryServiceConfig
// (one call into a reused 8 KiB buffer, the documented maximum), and the
// delayed flag with QueryServiceConfig2 level 3,
// from workers goroutines, through handles opened with
// SERVICE_QUERY_CONFIG on m. A row that cannot be read keeps an unknown
// start type.
func ReadStartTypes(m windows.Handle, rows []Row, workers int) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 8<<10)
			for i := range next {
				buf = readStart(m, &rows[i], buf)
			}
		}()
	}
	for i := range rows {
		next <- i
	}
	close(next)
	wg.Wait()
}

func readStart(m windows.Handle, r *Row, buf []byte) []byte {
	h, err := windows.OpenService(m, windows.StringToUTF16Ptr(r.Name), windows.SERVICE_QUERY_CONFIG)
	if err != nil {
		return buf
	}
	defer windows.CloseServiceHandle(h)
	for {
		var needed uint32
		err = windows.QueryServiceConfig(h, (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&buf[0])), uint32(len(buf)), &needed)
		if err != windows.ERROR_INSUFFICIENT_BUFFER || int(needed) <= len(buf) {
			break
		}
		buf = make([]byte, needed)
	}
	if err != nil {
		return buf
	}
	q := (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&buf[0]))
	r.StartType, r.StartKnown = q.StartType, true
	var d windows.SERVICE_DELAYED_AUTO_START_INFO
	var needed uint32
	if windows.QueryServiceConfig2(h, windows.SERVICE_CONFIG_DELAYED_AUTO_START_INFO, (*byte)(unsafe.Pointer(&d)),
		uint32(unsafe.Sizeof(d)), &needed) == nil {
		r.Delayed, r.DelayedKnown = d.IsDelayedAutoStartUp != 0, true
	}
	return buf
}

// Modes lists what Run prints, as rawsvc's arguments.
var Modes = []string{"none", "names", "query-json", "query-json-hand", "list", "list-json"}

// Run prints to w what mode asks for (see rawsvc): it opens the SCM,
// enumerates, reads the start types for list and list-json, and writes.
func Run(w io.Writer, mode string) error {
	if mode == "none" {
		return nil
	}
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT|windows.SC_MANAGER_ENUMERATE_SERVICE)
	if err != nil {
		return err
	}
	defer windows.CloseServiceHandle(m)
	entries, err := Enumerate(m)
	if err != nil {
		return err
	}
	rows := func() []Row {
		rows := make([]Row, len(entries))
		for i, e := range entries {
			rows[i].Entry = e
		}
		SortByName(rows)
		return rows
	}
	switch mode {
	case "names":
		return WriteNames(w, rows())
	case "query-json":
		return WriteQueryJSON(w, entries)
	case "query-json-hand":
		return WriteQueryJSONHand(w, entries)
	case "list", "list-json":
		r := rows()
		ReadStartTypes(m, r, 8)
		if mode == "list" {
			return WriteList(w, r)
		}
		return WriteListJSON(w, r)
	}
	return fmt.Errorf("unknown mode %q (use %s)", mode, strings.Join(Modes, ", "))
}
