package desired_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/desired"
)

// Progress is told after each service of each step, in order, from one
// goroutine at a time: Export's and the plan's reads, then the apply's
// stops, saves and starts, each counting to its total.
func TestProgress(t *testing.T) {
	m := memory(t, standard()...)
	var got []desired.Progress
	record := func(p desired.Progress) { got = append(got, p) } // no lock: calls must not overlap (go test -race)
	_, err := apply(t, m, `services:
  - name: New
    binaryPathName: C:\app\new.exe
    state: running
  - name: MySvc
    description: changed
  - name: Base
    state: stopped
  - name: Top
    state: absent
`, desired.ApplyOptions{Progress: record, Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desired.Export(context.Background(), m, nil, desired.ExportOptions{All: true, Progress: record}); err != nil {
		t.Fatal(err)
	}
	var steps []string
	for i, p := range got {
		if i == 0 || p.Step != got[i-1].Step || p.Done == 1 {
			steps = append(steps, fmt.Sprintf("%s/%d", p.Step, p.Total))
		}
		if p.Done < 1 || p.Done > p.Total || p.Service == "" || (i > 0 && p.Step == got[i-1].Step && p.Done != got[i-1].Done+1 && p.Done != 1) {
			t.Errorf("progress %d: %+v", i, p)
		}
	}
	// Plan: 4 services read; stop: Top and Base; configure: New and MySvc;
	// start: New; export: every service left (standard's, New, without Top).
	if s := strings.Join(steps, " "); !strings.HasPrefix(s, "read/4 stop/2 configure/2 start/1 read/") {
		t.Errorf("steps %s", s)
	}
	if last := got[len(got)-1]; last.Done != last.Total {
		t.Errorf("export ended at %+v", last)
	}
}
