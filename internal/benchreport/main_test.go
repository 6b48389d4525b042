package main

import (
	"strings"
	"testing"
)

func TestReadBench(t *testing.T) {
	out := `goos: windows
BenchmarkVerb/pause-continue/raw-2         	      20	   7468090 ns/op	        26.00 services
BenchmarkVerb/pause-continue/raw-2         	      20	   8411360 ns/op	        26.00 services
BenchmarkVerb/pause-continue/raw-2         	      20	   8882860 ns/op	        26.00 services
BenchmarkScale/QueryAll/winsvc             	      10	   1353750 ns/op	     52064 ns/service	        26.00 services
BenchmarkDependencyScale/DependencyTree/fan/n=1000-16   5   5322982 ns/op   5323 ns/service
--- FAIL: BenchmarkVerb/config/winsvc
PASS
`
	r, err := parseBench(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"BenchmarkVerb/pause-continue/raw", "BenchmarkScale/QueryAll/winsvc", "BenchmarkDependencyScale/DependencyTree/fan/n=1000"}
	if strings.Join(r.order, " ") != strings.Join(want, " ") {
		t.Errorf("names %q, want %q", r.order, want)
	}
	if m := median(r.ns[want[0]]); m != 8411360 {
		t.Errorf("median %v, want 8411360", m)
	}
	if s := r.metrics[want[1]]["services"]; s != 26 {
		t.Errorf("services %v, want 26", s)
	}
	if s := r.metrics[want[1]]["ns/service"]; s != 52064 {
		t.Errorf("ns/service %v, want 52064", s)
	}
}

func TestMedianAndFormat(t *testing.T) {
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median = %v", m)
	}
	for ns, want := range map[float64]string{123e6: "123", 12.34e6: "12.3", 1.234e6: "1.23", 0.1234e6: "0.123"} {
		if got := ms(ns); got != want {
			t.Errorf("ms(%v) = %q, want %q", ns, got, want)
		}
	}
}
