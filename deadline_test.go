package winsvc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestDeadlineEndsWaitsTyped puts the deadline of each operation that waits
// at each SCM call it makes in turn (the call blocks until the deadline has
// passed), so that the deadline interrupts every step: the open, a status
// read, the check of the dependents, the control, the wait, the existence
// check of a delete's wait. Whatever the step, the operation must fail with
// its own typed error: a *Error for the operation the caller ran, matching
// ErrWaitTimeout (and for a delete that waits for a service marked for
// deletion, code 1072), never a bare context error, nor the error of an
// inner call such as "exists" (which the CLI reported with exit 1).
func TestDeadlineEndsWaitsTyped(t *testing.T) {
	held := func() *memService { s := svc("S", Running); s.Marked = true; return s } // deleted; a handle holds it
	hung := func() *memService { s := svc("S", Stopped); s.Hang = true; return s }   // START_PENDING for good
	cases := []struct {
		name string
		scm  func() *memSCM
		ops  []string // the operations the error may name
		code Errno    // the code the error must have once the deletion was asked for; 0: none (exit 1053 in the CLI)
		run  func(ctx context.Context, s *Service) error
	}{
		{"Start", func() *memSCM { return newMemSCM(quirks{}, hung()) }, []string{"start"}, 0,
			func(ctx context.Context, s *Service) error { return s.Start(ctx) }},
		{"Stop", func() *memSCM { return newMemSCM(wineQuirks, svc("S", Running), svc("D", Stopped, "S")) }, []string{"stop"}, 0,
			func(ctx context.Context, s *Service) error { return s.Stop(ctx) }},
		{"StopWithDependents", func() *memSCM { return newMemSCM(wineQuirks, svc("S", Running), svc("D", Running, "S")) }, []string{"stop"}, 0,
			func(ctx context.Context, s *Service) error { _, err := s.StopWithDependents(ctx); return err }},
		{"Restart", func() *memSCM { return newMemSCM(wineQuirks, svc("S", Running), svc("D", Running, "S")) }, []string{"stop", "start", "restart"}, 0,
			func(ctx context.Context, s *Service) error { _, err := s.Restart(ctx); return err }},
		{"WaitFor", func() *memSCM { return newMemSCM(quirks{}, svc("S", Running)) }, []string{"wait"}, 0,
			func(ctx context.Context, s *Service) error { _, err := s.WaitFor(ctx, Running); return err }},
		{"DeleteStop", func() *memSCM { return newMemSCM(quirks{}, svc("S", Running)) }, []string{"delete"}, 0,
			func(ctx context.Context, s *Service) error { return s.Delete(ctx, DeleteOptions{Stop: true}) }},
		{"DeleteWait", func() *memSCM { return newMemSCM(quirks{}, held()) }, []string{"delete"}, ErrMarkedForDelete,
			func(ctx context.Context, s *Service) error { return s.Delete(ctx, DeleteOptions{Wait: true}) }},
	}
	for _, tc := range cases {
		// Each call in turn, until a run ends before the deadline's call.
		for call, more := 1, true; more && call <= 10; call++ {
			t.Run(fmt.Sprintf("%s/call%d", tc.name, call), func(t *testing.T) {
				scm := tc.scm()
				ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
				defer cancel()
				n, op, deleted := 0, "", false
				scm.OnCall = func(o string) {
					if n++; n == call {
						op = o
						<-ctx.Done() // the deadline passes during this call
					}
					deleted = deleted || o == "delete" // asked for (answered even when the deadline passes during it)
				}
				s, _ := memManager(scm).Service("S")
				err := tc.run(ctx, s)
				code := tc.code
				if !deleted {
					code = 0 // the deadline came before the deletion was asked for: a plain timeout
				}
				var e *Error
				// A run that ends before the deadline's call ends the loop;
				// one that waits for good meets the deadline itself.
				more = op != "" && err != nil
				if op == "" {
					op = "the wait's own"
				}
				switch {
				case err == nil:
				case !errors.As(err, &e) || !slices.Contains(tc.ops, e.Op):
					t.Errorf("deadline at call %d (%s): %v; want a *Error for %v", call, op, err, tc.ops)
				case !errors.Is(err, ErrWaitTimeout):
					t.Errorf("deadline at call %d (%s): %v; want it to match ErrWaitTimeout", call, op, err)
				case e.Code != code:
					t.Errorf("deadline at call %d (%s): %v: code %d, want %d", call, op, err, e.Code, code)
				}
			})
		}
	}
}
