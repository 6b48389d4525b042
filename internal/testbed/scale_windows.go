//go:build windows

package testbed

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Scale benchmarks (scripts/bench.sh) measure winsvc among thousands of
// services. The services are made here, with raw x/sys calls, by a program
// that runs before the benchmarks (internal/testbed/idlesvc), so that one
// benchmark binary measures whatever number of services the prefix holds.

// ScalePrefix starts the name of every idle service bench.sh creates.
const ScalePrefix = "winsvcbench-"

// IdleName is the name of idle service i: ScalePrefix and five digits.
func IdleName(i int) string { return fmt.Sprintf("%s%05d", ScalePrefix, i) }

// IdleStartType is the start type of idle service i: one in ten is
// AUTO_START (as the automatic services of a real machine, which list
// reads more of), the others DEMAND_START. None is ever started: their
// programs do not exist.
func IdleStartType(i int) uint32 {
	if i%10 == 9 {
		return windows.SERVICE_AUTO_START
	}
	return windows.SERVICE_DEMAND_START
}

// CreateIdle creates idle services from..to-1 (IdleName), each with a
// display name, with raw CreateService calls from workers goroutines
// (Wine's SCM serves 2 to 4 concurrent clients 1.3 to 2.4 times faster than
// one). A service that exists already is kept. It returns the first error.
func CreateIdle(from, to, workers int) error {
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CREATE_SERVICE)
	if err != nil {
		return fmt.Errorf("OpenSCManager: %w", err)
	}
	defer windows.CloseServiceHandle(m)
	return parallel(from, to, workers, func(i int) error {
		name := IdleName(i)
		h, err := windows.CreateService(m, windows.StringToUTF16Ptr(name),
			windows.StringToUTF16Ptr(fmt.Sprintf("winsvc bench idle service %05d", i)),
			windows.SERVICE_QUERY_STATUS, windows.SERVICE_WIN32_OWN_PROCESS, IdleStartType(i),
			windows.SERVICE_ERROR_NORMAL, windows.StringToUTF16Ptr(`C:\winsvc-bench\idle\`+name+".exe"),
			nil, nil, nil, nil, nil)
		if errors.Is(err, windows.ERROR_SERVICE_EXISTS) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("CreateService %s: %w", name, err)
		}
		return windows.CloseServiceHandle(h)
	})
}

// DeleteByPrefix deletes every service whose name starts with prefix (an
// idle service is never running, so it goes at once), from workers
// goroutines, and returns how many it deleted.
func DeleteByPrefix(prefix string, workers int) (int, error) {
	if prefix == "" {
		return 0, errors.New("DeleteByPrefix: empty prefix")
	}
	names, err := EnumNames(windows.SERVICE_TYPE_ALL)
	if err != nil {
		return 0, err
	}
	var mine []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			mine = append(mine, n)
		}
	}
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		return 0, fmt.Errorf("OpenSCManager: %w", err)
	}
	defer windows.CloseServiceHandle(m)
	var deleted atomic.Int64
	err = parallel(0, len(mine), workers, func(i int) error {
		h, err := windows.OpenService(m, windows.StringToUTF16Ptr(mine[i]), windows.DELETE)
		if errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("OpenService %s: %w", mine[i], err)
		}
		defer windows.CloseServiceHandle(h)
		if err := windows.DeleteService(h); err != nil && !errors.Is(err, windows.ERROR_SERVICE_MARKED_FOR_DELETE) {
			return fmt.Errorf("DeleteService %s: %w", mine[i], err)
		}
		deleted.Add(1)
		return nil
	})
	return int(deleted.Load()), err
}

// EnumNames returns the names of every service of the given types, in any
// state, from one EnumServicesStatusEx (asked for the size first, then
// grown to it, as Wine's SCM does not page).
func EnumNames(types uint32) ([]string, error) {
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_ENUMERATE_SERVICE)
	if err != nil {
		return nil, fmt.Errorf("OpenSCManager: %w", err)
	}
	defer windows.CloseServiceHandle(m)
	var names []string
	_, err = EnumRaw(m, types, func(e *windows.ENUM_SERVICE_STATUS_PROCESS) {
		names = append(names, windows.UTF16PtrToString(e.ServiceName))
	})
	return names, err
}

// EnumRaw enumerates the services of the given types in any state through
// SCM handle m (opened with SC_MANAGER_ENUMERATE_SERVICE), calling fn for
// each entry, and returns the size of the largest buffer it used. It
// follows the resume handle (Windows pages) and grows the buffer to the
// size the SCM asks for (Wine does not page).
func EnumRaw(m windows.Handle, types uint32, fn func(*windows.ENUM_SERVICE_STATUS_PROCESS)) (int, error) {
	var buf []byte
	var resume uint32
	for {
		var needed, count uint32
		var p *byte
		if len(buf) > 0 {
			p = &buf[0]
		}
		err := windows.EnumServicesStatusEx(m, windows.SC_ENUM_PROCESS_INFO, types, windows.SERVICE_STATE_ALL,
			p, uint32(len(buf)), &needed, &count, &resume, nil)
		if count > 0 {
			for _, e := range unsafe.Slice((*windows.ENUM_SERVICE_STATUS_PROCESS)(unsafe.Pointer(&buf[0])), count) {
				fn(&e)
			}
		}
		switch {
		case err == nil:
			return len(buf), nil
		case err != windows.ERROR_MORE_DATA:
			return len(buf), fmt.Errorf("EnumServicesStatusEx: %w", err)
		case count == 0:
			if needed <= uint32(len(buf)) {
				return len(buf), fmt.Errorf("EnumServicesStatusEx: %w with %d bytes needed", err, needed)
			}
			buf = make([]byte, needed)
		}
	}
}

// parallel runs fn(i) for i in [from, to) on workers goroutines and
// returns the first error; after an error no new i is started.
func parallel(from, to, workers int, fn func(i int) error) error {
	if workers < 1 {
		workers = 1
	}
	var next atomic.Int64
	next.Store(int64(from))
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				stop := first != nil
				mu.Unlock()
				i := int(next.Add(1) - 1)
				if stop || i >= to {
					return
				}
				if err := fn(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}
