package svclog

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestAppendParse(t *testing.T) {
	// Not t.TempDir: its cleanup uses os.RemoveAll, which fails under Wine 8
	// with Go 1.26 (see testbed.RemoveAll).
	f0, err := os.CreateTemp("", "svclog-*.log")
	if err != nil {
		t.Fatal(err)
	}
	path := f0.Name()
	f0.Close()
	t.Cleanup(func() { os.Remove(path) })
	want := []Entry{
		{Mode: "normal", Event: EventStart, Args: []string{"svc", "a b", "c"}},
		{Mode: "normal", Event: EventControl, Control: 200, ControlName: "user(200)"},
	}
	for _, e := range want {
		if err := Append(path, e); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].PID != os.Getpid() || got[i].Time.IsZero() {
			t.Errorf("entry %d: pid/time not filled in: %+v", i, got[i])
		}
		got[i].PID, got[i].Time = 0, want[i].Time
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestParsePartialLastLine(t *testing.T) {
	got, err := Parse(strings.NewReader("{\"event\":\"start\"}\n\n{\"event\":\"sta"))
	if err != nil || len(got) != 1 || got[0].Event != EventStart {
		t.Fatalf("Parse = %+v, %v", got, err)
	}
	if _, err := Parse(strings.NewReader("not json\n")); err == nil {
		t.Fatal("Parse accepted garbage")
	}
}

func TestAppendNoPath(t *testing.T) {
	if err := Append("", Entry{Event: EventStart}); err != nil {
		t.Fatal(err)
	}
}
