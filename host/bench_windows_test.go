package host_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/testbed"
)

// BenchmarkHost measures the program host's own cost (BENCHMARKS.md, "The
// program host"), each side by side with the program without the host:
//
//   - start: from the call that starts testhost's run mode until its first
//     line of output is in its output file: host.Run (job object, suspended
//     start, output pipes and files) against the program started directly
//     with the file as its standard output. ms/start.
//   - scm-start: StartService until RUNNING, as Windows' services see it:
//     the program hosted (testhost's host mode, which is host.Run) against a
//     Go service that is its own program (testsvc, package run). ms/start.
//   - output: testhost's flood mode writes 16 MiB to its standard output,
//     hosted with an output file (hosted: no rotation, so the program is
//     given the file; rotated: rotation by a size it never reaches, so the
//     host copies a pipe to the file), against the program's standard
//     output being the file itself (direct); until the file holds every
//     byte (MB/s, program start included).
//   - idle: the private bytes of the host's process (winsvc.exe host NAME
//     when WINSVC_EXE is set, else testhost's host mode) while its program
//     runs and prints a line a second, and of that program (a small Go
//     console program: the floor of any Go process). private-MB (Wine
//     reports no PrivateUsage: its PagefileUsage, the same count, is taken).
//
// scripts/bench.sh runs it (WINSVC_BENCH_HOST); scripts/test.sh once.
func BenchmarkHost(b *testing.B) {
	exe := testHostExe(b)
	b.Run("start/direct", func(b *testing.B) {
		dir := testbed.TempDir(b)
		out := filepath.Join(dir, "out.log")
		var total time.Duration
		for range b.N {
			os.Remove(out)
			f, err := os.Create(out)
			if err != nil {
				b.Fatal(err)
			}
			cmd := exec.Command(exe, "prog", "run", "-every", "1h")
			cmd.Stdout = f
			t0 := time.Now()
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			waitSize(b, out, 1, 20*time.Second)
			total += time.Since(t0)
			b.StopTimer()
			cmd.Process.Kill()
			cmd.Wait()
			f.Close()
			b.StartTimer()
		}
		reportStart(b, total)
	})
	b.Run("start/hosted", func(b *testing.B) {
		dir := testbed.TempDir(b)
		out := filepath.Join(dir, "out.log")
		var total time.Duration
		for range b.N {
			os.Remove(out)
			p := host.Program{Path: exe, Args: []string{"prog", "run", "-every", "1h"}, Stdout: out,
				Log: filepath.Join(dir, "host.log"), StopTimeout: time.Millisecond}
			t0 := time.Now()
			stop := runHost(b, p)
			waitSize(b, out, 1, 20*time.Second)
			total += time.Since(t0)
			b.StopTimer()
			stop()
			b.StartTimer()
		}
		reportStart(b, total)
	})
	b.Run("scm-start/direct", func(b *testing.B) {
		name := testbed.UniqueName(b, "bdirect")
		testbed.RawCreate(b, name, testbed.CommandLine(testbed.ServiceExe(b)))
		scmStarts(b, name)
	})
	b.Run("scm-start/hosted", func(b *testing.B) {
		dir := testbed.TempDir(b)
		js, _ := json.Marshal(host.Program{Path: exe, Args: []string{"prog", "run", "-every", "1h"},
			Log: filepath.Join(dir, "host.log"), StopTimeout: time.Millisecond})
		name := testbed.UniqueName(b, "bhosted")
		testbed.RawCreate(b, name, testbed.CommandLine(exe, "host", string(js)))
		scmStarts(b, name)
	})
	const flood = 16 << 20
	floodArgs := []string{"prog", "flood", "-bytes", itoa(flood), "-every", "1h"}
	// output times, in each iteration, from start() until the file at path
	// holds the flood; prepare (untimed) makes start for that path, and
	// the stop start returns (untimed) ends the program.
	output := func(prepare func(b *testing.B, dir, path string) (start func() (stop func()))) func(b *testing.B) {
		return func(b *testing.B) {
			dir := testbed.TempDir(b)
			path := filepath.Join(dir, "out.log")
			b.SetBytes(flood)
			for range b.N {
				b.StopTimer()
				os.Remove(path)
				start := prepare(b, dir, path)
				b.StartTimer()
				stop := start()
				waitSize(b, path, flood, time.Minute)
				b.StopTimer()
				stop()
				b.StartTimer()
			}
		}
	}
	b.Run("output/direct", output(func(b *testing.B, _, path string) func() func() {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command(exe, floodArgs...)
		cmd.Stdout = f
		return func() func() {
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			return func() {
				cmd.Process.Kill()
				cmd.Wait()
				f.Close()
			}
		}
	}))
	// hosted: the flood hosted with the output file and rotation r.
	hosted := func(r host.Rotation) func(b *testing.B) {
		return output(func(b *testing.B, dir, path string) func() func() {
			p := host.Program{Path: exe, Args: floodArgs, Stdout: path,
				Rotate: r, Log: filepath.Join(dir, "host.log"), StopTimeout: time.Millisecond}
			return func() func() { return runHost(b, p) }
		})
	}
	b.Run("output/hosted", hosted(host.Rotation{}))
	// Rotation by a size the flood never reaches: the same bytes, through
	// the host's pipe and copy.
	b.Run("output/rotated", hosted(host.Rotation{Bytes: 1 << 30}))
	// The idle host, and the program it runs (a Go console program that
	// prints a line a second), measured alike.
	name := testbed.UniqueName(b, "bidle")
	dir := testbed.TempDir(b)
	pids := filepath.Join(dir, "pids")
	p := host.Program{Path: exe, Args: []string{"prog", "run", "-every", "1s", "-pids", pids},
		Log: filepath.Join(dir, "host.log"), StopTimeout: time.Millisecond}
	if w := os.Getenv("WINSVC_EXE"); w != "" {
		testbed.RawCreate(b, name, testbed.CommandLine(w, "host", name))
		writeParameters(b, name, p)
	} else {
		js, _ := json.Marshal(p)
		testbed.RawCreate(b, name, testbed.CommandLine(exe, "host", string(js)))
	}
	raw := testbed.OpenRaw(b)
	raw.Start(name)
	defer raw.Stop(name)
	time.Sleep(2 * time.Second) // idle: the program has started and printed
	waitSize(b, pids, 2, 10*time.Second)
	for _, x := range []struct {
		name string
		pid  uint32
	}{{"idle/host", testbed.QueryStatus(b, name).ProcessId}, {"idle/program", pidsIn(b, pids)[0]}} {
		b.Run(x.name, func(b *testing.B) {
			var total uint64
			for range b.N {
				total += privateBytes(b, x.pid)
			}
			b.ReportMetric(float64(total)/float64(b.N)/(1<<20), "private-MB")
		})
	}
}

// runHost runs host.Run for p on a goroutine and returns what stops it
// and waits for its end.
func runHost(b *testing.B, p host.Program) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- host.Run(ctx, "bench", p) }()
	return func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				b.Errorf("host.Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			b.Fatal("host.Run did not return 30 s after the stop")
		}
	}
}

// scmStarts starts and stops service name b.N times, timing each start
// until RUNNING.
func scmStarts(b *testing.B, name string) {
	raw := testbed.OpenRaw(b)
	var total time.Duration
	for range b.N {
		t0 := time.Now()
		raw.Start(name)
		total += time.Since(t0)
		b.StopTimer()
		raw.Stop(name)
		b.StartTimer()
	}
	reportStart(b, total)
}

// reportStart reports the mean of b.N starts that took total.
func reportStart(b *testing.B, total time.Duration) {
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/start")
}

// waitSize waits until path holds at least n bytes.
func waitSize(b *testing.B, path string, n int64, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for {
		if fi, err := os.Stat(path); err == nil && fi.Size() >= n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%s does not hold %d bytes after %v", path, n, timeout)
		}
		time.Sleep(time.Millisecond)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// privateBytes is process pid's private bytes (GetProcessMemoryInfo's
// PrivateUsage).
func privateBytes(b *testing.B, pid uint32) uint64 {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION|windows.PROCESS_VM_READ, false, pid)
	if err != nil {
		b.Fatalf("OpenProcess %d: %v", pid, err)
	}
	defer windows.CloseHandle(h)
	// PROCESS_MEMORY_COUNTERS_EX (psapi.h).
	var c struct {
		cb                         uint32
		pageFaultCount             uint32
		peakWorkingSetSize         uintptr
		workingSetSize             uintptr
		quotaPeakPagedPoolUsage    uintptr
		quotaPagedPoolUsage        uintptr
		quotaPeakNonPagedPoolUsage uintptr
		quotaNonPagedPoolUsage     uintptr
		pagefileUsage              uintptr
		peakPagefileUsage          uintptr
		privateUsage               uintptr
	}
	c.cb = uint32(unsafe.Sizeof(c))
	if r, _, err := procGetProcessMemoryInfo.Call(uintptr(h), uintptr(unsafe.Pointer(&c)), uintptr(c.cb)); r == 0 {
		b.Fatalf("GetProcessMemoryInfo: %v", err)
	}
	if c.privateUsage == 0 { // Wine reports none: its page-file usage is the same count
		return uint64(c.pagefileUsage)
	}
	return uint64(c.privateUsage)
}

var procGetProcessMemoryInfo = windows.NewLazySystemDLL("psapi.dll").NewProc("GetProcessMemoryInfo")

// writeParameters writes p's path, arguments and log into service name's
// Parameters key, raw, as winsvc stores them.
func writeParameters(b *testing.B, name string, p host.Program) {
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+name+`\Parameters`, registry.SET_VALUE)
	if err != nil {
		b.Fatal(err)
	}
	defer k.Close()
	for _, err := range []error{
		k.SetExpandStringValue(host.ValuePath, p.Path),
		k.SetStringsValue(host.ValueArgs, p.Args),
		k.SetExpandStringValue(host.ValueLog, p.Log),
		k.SetDWordValue(host.ValueStopTimeout, uint32(p.StopTimeout.Milliseconds())),
	} {
		if err != nil {
			b.Fatal(err)
		}
	}
}
