//go:build windows

package winsvc_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/testbed"
)

// BenchmarkListStatuses compares reading every service's status with one
// enumeration (QueryAll) against opening and querying each service in turn,
// which is what tools without an enumeration path do.
func BenchmarkListStatuses(b *testing.B) {
	ctx := context.Background()
	m := connect(b)
	all, err := m.QueryAll(ctx, winsvc.QueryFilter{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("QueryAll", func(b *testing.B) {
		b.ReportMetric(float64(len(all)), "services")
		for i := 0; i < b.N; i++ {
			if _, err := m.QueryAll(ctx, winsvc.QueryFilter{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("StatusEach", func(b *testing.B) {
		b.ReportMetric(float64(len(all)), "services")
		for i := 0; i < b.N; i++ {
			for _, s := range all {
				if _, err := statusOf(ctx, m, s.Name); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkReadConfig compares reading one service's full configuration
// (Load: the core settings, then each optional setting on its own) with
// reading only the core settings (CoreConfig, what listings and the
// dependents computation use).
func BenchmarkReadConfig(b *testing.B) {
	ctx := context.Background()
	m := connect(b)
	b.Run("Load", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := m.Load(ctx, "RpcSs"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("CoreConfig", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := m.CoreConfig(ctx, "RpcSs"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPauseContinue measures a pause and a continue, each waited for
// until the service reports the new state (notification-driven waits).
func BenchmarkPauseContinue(b *testing.B) {
	ctx := context.Background()
	m := connect(b)
	s, _ := testService(b, m, "normal", "-lifetime=120s")
	if err := s.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Pause(ctx); err != nil {
			b.Fatal(err)
		}
		if err := s.Continue(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStop measures stopping a running service (the service is
// started again, untimed, between iterations) with winsvc's Stop and with
// the least a program can do (testbed.RawStop: ControlService, then a 1 ms
// status poll), among 0 and 1,000 other services. Stop's cost must not grow
// with the number of services: on an SCM that does not track dependents
// (Wine's), it reads the dependencies of the active services only.
func BenchmarkStop(b *testing.B) {
	ctx := context.Background()
	m := connect(b)
	s, _ := testService(b, m, "normal", "-lifetime=600s")
	stops := map[string]func(b *testing.B){
		"winsvc": func(b *testing.B) {
			if err := s.Stop(ctx); err != nil {
				b.Fatal(err)
			}
		},
		"raw": func(b *testing.B) { testbed.RawStop(b, s.Name()) },
	}
	for _, extra := range []int{0, 1000} {
		b.Run(fmt.Sprintf("extra=%d", extra), func(b *testing.B) {
			testbed.IdleServices(b, fmt.Sprintf("idle%d-", extra), extra)
			for _, how := range []string{"raw", "winsvc"} {
				b.Run(how, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						b.StopTimer()
						if err := s.Start(ctx); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
						stops[how](b)
					}
				})
			}
		})
	}
}
