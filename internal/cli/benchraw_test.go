package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/benchraw"
)

// The whole-process comparisons of scripts/bench.sh time winsvc against
// internal/benchraw/rawsvc. This file checks that the yardstick prints the
// very bytes the CLI prints (so it does the same job), and measures the
// formatting of both natively, where the numbers are not clouded by the
// SCM: the in-memory part of "query state= all --json" and "list".

// syntheticEntries returns n entries like those of a real machine, plus
// the awkward ones: quotes, backslashes, control characters, non-ASCII,
// U+2028, invalid UTF-8, unknown types and states, every accepted control.
func syntheticEntries(n int) []benchraw.Entry {
	odd := []benchraw.Entry{
		{Name: `Q"uote\d`, DisplayName: "tab\there\nnew \x01 <&> ünï 日本 \u2028 \xff", ServiceType: 0x110, State: 4,
			ControlsAccepted: 0xFFF | 0x10000, ProcessID: 1234, WaitHint: 3000, CheckPoint: 7},
		{Name: "Unknown", DisplayName: "", ServiceType: 0x999, State: 9, Win32ExitCode: 1066, ServiceSpecificExitCode: 42},
		{Name: "Paused", DisplayName: "A paused one", ServiceType: 0x20, State: 7, ControlsAccepted: 0x3, ProcessID: 88, ServiceFlags: 1},
	}
	out := append([]benchraw.Entry{}, odd...)
	for i := len(out); i < n; i++ {
		e := benchraw.Entry{Name: fmt.Sprintf("winsvcbench-%05d", i), DisplayName: fmt.Sprintf("winsvc bench idle service %05d", i),
			ServiceType: 0x10, State: 1, Win32ExitCode: 1077}
		if i%7 == 0 {
			e.State, e.ControlsAccepted, e.ProcessID, e.Win32ExitCode = 4, 0x5, uint32(1000+i), 0
		}
		out = append(out, e)
	}
	return out[:n]
}

func toStatus(e benchraw.Entry) winsvc.Status {
	return winsvc.Status{Name: e.Name, DisplayName: e.DisplayName, ServiceType: winsvc.ServiceType(e.ServiceType),
		State: winsvc.State(e.State), ControlsAccepted: winsvc.Accept(e.ControlsAccepted), Win32ExitCode: e.Win32ExitCode,
		ServiceSpecificExitCode: e.ServiceSpecificExitCode, CheckPoint: e.CheckPoint,
		WaitHint: time.Duration(e.WaitHint) * time.Millisecond, ProcessID: e.ProcessID, ServiceFlags: e.ServiceFlags}
}

// syntheticRows gives the entries start types as list reads them: some
// unknown, some automatic, some delayed, one out of range.
func syntheticRows(entries []benchraw.Entry) []benchraw.Row {
	rows := make([]benchraw.Row, len(entries))
	for i, e := range entries {
		rows[i] = benchraw.Row{Entry: e, StartKnown: i%11 != 5, StartType: uint32(i % 5)}
		if i == 4 {
			rows[i].StartType = 17
		}
		rows[i].Delayed = rows[i].StartKnown && rows[i].StartType == 2 && i%3 == 0
	}
	benchraw.SortByName(rows)
	return rows
}

func toListEntry(r benchraw.Row) listEntry {
	l := listEntry{Name: r.Name, DisplayName: r.DisplayName, State: winsvc.State(r.State), DelayedAutoStart: r.Delayed,
		ProcessID: r.ProcessID, ServiceType: winsvc.ServiceType(r.ServiceType)}
	if r.StartKnown {
		st := winsvc.StartType(r.StartType)
		l.StartType = &st
	}
	return l
}

// cliFormat writes what the CLI writes for mode, from data already read
// (the code paths of QueryOptions.run and ListOptions.run after the SCM
// calls).
func cliFormat(w io.Writer, mode string, statuses []winsvc.Status, list []listEntry) error {
	e := &env{io: &IOStreams{Out: w, ErrOut: io.Discard}, json: true}
	switch mode {
	case "query-json":
		return writeJSONArray(e, statuses)
	case "list-json":
		return e.writeJSON(nonNil(list))
	case "list":
		renderList(w, list)
		return nil
	case "names":
		e.json = false
		return e.printNames(list)
	}
	return fmt.Errorf("mode %q", mode)
}

func rawFormat(w io.Writer, mode string, entries []benchraw.Entry, rows []benchraw.Row) error {
	switch mode {
	case "query-json":
		return benchraw.WriteQueryJSON(w, entries)
	case "query-json-hand":
		return benchraw.WriteQueryJSONHand(w, entries)
	case "list-json":
		return benchraw.WriteListJSON(w, rows)
	case "list":
		return benchraw.WriteList(w, rows)
	case "names":
		return benchraw.WriteNames(w, rows)
	}
	return fmt.Errorf("mode %q", mode)
}

type formatData struct {
	entries  []benchraw.Entry
	rows     []benchraw.Row
	statuses []winsvc.Status
	list     []listEntry
}

func newFormatData(n int) formatData {
	d := formatData{entries: syntheticEntries(n)}
	d.rows = syntheticRows(d.entries)
	for _, e := range d.entries {
		d.statuses = append(d.statuses, toStatus(e))
	}
	for _, r := range d.rows {
		d.list = append(d.list, toListEntry(r))
	}
	return d
}

// TestRawOutputMatchesCLI checks that benchraw prints the CLI's bytes for
// every compared mode, on awkward and ordinary entries, and on none.
func TestRawOutputMatchesCLI(t *testing.T) {
	for _, n := range []int{0, 1, 3, 50} {
		d := newFormatData(n)
		for _, mode := range []string{"query-json", "query-json-hand", "list", "list-json", "names"} {
			cliMode := mode
			if mode == "query-json-hand" {
				cliMode = "query-json"
			}
			var want, got bytes.Buffer
			if err := cliFormat(&want, cliMode, d.statuses, d.list); err != nil {
				t.Fatal(err)
			}
			if err := rawFormat(&got, mode, d.entries, d.rows); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				gl, wl := strings.Split(got.String(), "\n"), strings.Split(want.String(), "\n")
				i := 0
				for i < len(gl) && i < len(wl) && gl[i] == wl[i] {
					i++
				}
				t.Errorf("n=%d %s: benchraw and the CLI differ at line %d:\n%q\n%q", n, mode, i+1,
					strings.Join(gl[i:min(i+1, len(gl))], ""), strings.Join(wl[i:min(i+1, len(wl))], ""))
			}
		}
	}
}

// BenchmarkFormat measures, natively, the formatting the CLI does after
// reading from the SCM, against the yardstick's, for 2,000 services: the
// in-memory part of the whole-process comparisons. The CLI's side is its
// own code (writeJSON, renderList, printNames); "raw" is encoding/json of
// plain structs, "raw-hand" writes the same bytes by hand.
func BenchmarkFormat(b *testing.B) {
	const n = 2000
	d := newFormatData(n)
	for _, mode := range []string{"query-json", "list-json", "list", "names"} {
		impls := map[string]func(io.Writer) error{
			"winsvc": func(w io.Writer) error { return cliFormat(w, mode, d.statuses, d.list) },
			"raw":    func(w io.Writer) error { return rawFormat(w, mode, d.entries, d.rows) },
		}
		order := []string{"raw", "winsvc"}
		if mode == "query-json" {
			impls["raw-hand"] = func(w io.Writer) error { return rawFormat(w, "query-json-hand", d.entries, d.rows) }
			order = []string{"raw-hand", "raw", "winsvc"}
		}
		for _, impl := range order {
			b.Run(mode+"/"+impl, func(b *testing.B) {
				var buf bytes.Buffer
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					buf.Reset()
					if err := impls[impl](&buf); err != nil {
						b.Fatal(err)
					}
				}
				b.SetBytes(int64(buf.Len()))
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/service")
			})
		}
	}
}
