package winsvc_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/winsvctest"
)

// installed creates n services named Svc0000 ... in m's in-memory SCM,
// every third one automatic with a description, and returns their names.
func installed(t testing.TB, m *winsvc.Manager, n int) []string {
	t.Helper()
	ctx := context.Background()
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("Svc%04d", i)
		def := winsvc.Definition{Name: names[i], BinaryPath: fmt.Sprintf(`C:\app\svc%d.exe`, i)}
		if i%3 == 0 {
			def.StartType, def.Description = winsvc.Ptr(winsvc.AutoStart), winsvc.Ptr(fmt.Sprintf("service %d", i))
		}
		s, err := m.New(def)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Save(ctx, winsvc.SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

// Configs returns, for each name in the order given, what Load (or, with
// Core, CoreConfig) reads of that service, and a service that cannot be
// read fails alone, with the error Load gives it.
func TestConfigsKeepsOrderAndErrors(t *testing.T) {
	ctx := context.Background()
	m := winsvctest.Connect()
	have := installed(t, m, 40)
	// Reversed, with services that are not installed among them.
	var names []string
	for i := len(have) - 1; i >= 0; i-- {
		names = append(names, have[i])
		if i%7 == 0 {
			names = append(names, fmt.Sprintf("Missing%d", i))
		}
	}
	for _, core := range []bool{false, true} {
		for _, workers := range []int{0, 1, 3, 100} {
			got := m.Configs(ctx, names, winsvc.ConfigsOptions{Workers: workers, Core: core})
			if len(got) != len(names) {
				t.Fatalf("core=%v workers=%d: %d results for %d names", core, workers, len(got), len(names))
			}
			for i, r := range got {
				var want *winsvc.Config
				var wantErr error
				if core {
					want, wantErr = m.CoreConfig(ctx, names[i])
				} else if s, err := m.Load(ctx, names[i]); err == nil {
					want = s.Loaded()
				} else {
					wantErr = err
				}
				switch {
				case r.Name != names[i]:
					t.Errorf("core=%v workers=%d: result %d is %q; want %q", core, workers, i, r.Name, names[i])
				case wantErr != nil:
					if r.Config != nil || r.Err == nil || r.Err.Error() != wantErr.Error() || !errors.Is(r.Err, winsvc.ErrNotFound) {
						t.Errorf("core=%v workers=%d: %s: %v, %v; want the error %v", core, workers, names[i], r.Config, r.Err, wantErr)
					}
				case r.Err != nil || !reflect.DeepEqual(r.Config, want):
					t.Errorf("core=%v workers=%d: %s: %+v, %v; want %+v", core, workers, names[i], r.Config, r.Err, want)
				}
			}
		}
	}
}

// Configs reads no more services at once than its workers, on no more
// goroutines, however many names it is given, and calls Each once per
// name; after the context is cancelled, the reads left fail with its
// error.
func TestConfigsIsBounded(t *testing.T) {
	m := winsvctest.Connect()
	names := installed(t, m, 10000)
	const workers = 4
	before := runtime.NumGoroutine()
	var running, most, calls atomic.Int32
	var extra atomic.Int32 // goroutines beyond the workers, at most
	var mu sync.Mutex
	seen := make([]int, len(names))
	got := m.Configs(context.Background(), names, winsvc.ConfigsOptions{Workers: workers, Core: true, Each: func(i int, r winsvc.ConfigResult) {
		now := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
		}
		if g := int32(runtime.NumGoroutine() - before - workers); g > extra.Load() {
			extra.Store(g)
		}
		calls.Add(1)
		mu.Lock()
		seen[i]++
		mu.Unlock()
		if r.Err != nil || r.Config.Name != names[i] {
			t.Errorf("Each(%d): %v, %v; want %s's configuration", i, r.Config, r.Err, names[i])
		}
	}})
	if len(got) != len(names) || int(calls.Load()) != len(names) {
		t.Fatalf("%d results, %d calls of Each; want %d", len(got), calls.Load(), len(names))
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("Each called %d times for %s", n, names[i])
		}
	}
	if most.Load() > workers || extra.Load() > 1 {
		t.Errorf("%d reads at once, %d goroutines beyond the workers; want at most %d, and none", most.Load(), extra.Load(), workers)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var read atomic.Int32
	got = m.Configs(ctx, names[:1000], winsvc.ConfigsOptions{Workers: workers, Each: func(int, winsvc.ConfigResult) {
		if read.Add(1) == 10 {
			cancel()
		}
	}})
	cancelled := 0
	for _, r := range got {
		switch {
		case errors.Is(r.Err, context.Canceled):
			cancelled++
		case r.Err != nil || r.Config == nil:
			t.Errorf("%s: %v, %v; want its configuration or the context's error", r.Name, r.Config, r.Err)
		}
	}
	if cancelled < len(got)-10-workers {
		t.Errorf("%d of %d reads failed after the cancel at the 10th; want every read not under way", cancelled, len(got))
	}
}
