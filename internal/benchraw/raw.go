// Package benchraw is the yardstick of scripts/bench.sh's whole-process
// comparisons: what a careful programmer writes, with golang.org/x/sys
// alone, to print what "winsvc query state= all --json", "winsvc list",
// "winsvc list --json" and "winsvc list --names" print. The program is
// benchraw/rawsvc; this package holds its output code, which is portable so
// that tests check it byte for byte against the CLI's (internal/cli) and
// benchmarks compare the two natively.
//
// The JSON is written two ways:
//
//   - encoding/json: one Encoder (indent "  ", no HTML escaping) over a
//     bufio.Writer, encoding a slice of plain structs whose enum fields are
//     already strings. This is the idiomatic program, and the primary
//     yardstick: it keeps a typed, tagged document as the CLI does, and
//     differs from the CLI only in having no per-item MarshalJSON.
//   - by hand: appending each object to one buffer with strconv, a name
//     table and a JSON string escaper. This is the floor.
package benchraw

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// Entry is one service as EnumServicesStatusEx (SC_ENUM_PROCESS_INFO)
// reports it.
type Entry struct {
	Name, DisplayName       string
	ServiceType             uint32
	State                   uint32
	ControlsAccepted        uint32
	Win32ExitCode           uint32
	ServiceSpecificExitCode uint32
	CheckPoint              uint32
	WaitHint                uint32 // milliseconds
	ProcessID               uint32
	ServiceFlags            uint32
}

// Row is one line of list: an entry with its start type (from
// QueryServiceConfig) and its delayed flag (QueryServiceConfig2 level 3),
// when they could be read.
type Row struct {
	Entry
	StartType    uint32 // Win32 value; meaningful when StartKnown
	StartKnown   bool
	Delayed      bool // meaningful when DelayedKnown
	DelayedKnown bool
}

var serviceTypes = map[uint32]string{
	0x1: "KERNEL_DRIVER", 0x2: "FILE_SYSTEM_DRIVER", 0x4: "ADAPTER", 0x8: "RECOGNIZER_DRIVER",
	0x10: "WIN32_OWN_PROCESS", 0x20: "WIN32_SHARE_PROCESS", 0x50: "USER_OWN_PROCESS", 0x60: "USER_SHARE_PROCESS",
	0xD0: "USER_OWN_PROCESS_INSTANCE", 0xE0: "USER_SHARE_PROCESS_INSTANCE",
	0x110: "INTERACTIVE_OWN_PROCESS", 0x120: "INTERACTIVE_SHARE_PROCESS",
}

var states = []string{"", "STOPPED", "START_PENDING", "STOP_PENDING", "RUNNING", "CONTINUE_PENDING", "PAUSE_PENDING", "PAUSED"}

var startTypes = []string{"BOOT_START", "SYSTEM_START", "AUTO_START", "DEMAND_START", "DISABLED"}

var accepts = []string{"STOP", "PAUSE_CONTINUE", "SHUTDOWN", "PARAMCHANGE", "NETBINDCHANGE", "HARDWAREPROFILECHANGE",
	"POWEREVENT", "SESSIONCHANGE", "PRESHUTDOWN", "TIMECHANGE", "TRIGGEREVENT", "USERMODEREBOOT"}

func hexName(v uint32) string { return fmt.Sprintf("0x%X", v) }

// TypeName, StateName and StartName are the Win32 names of the values; an
// unknown value is written in hex, as winsvc writes it.
func TypeName(t uint32) string {
	if n, ok := serviceTypes[t]; ok {
		return n
	}
	return hexName(t)
}

func StateName(s uint32) string {
	if s < uint32(len(states)) && s > 0 {
		return states[s]
	}
	return hexName(s)
}

func StartName(s uint32) string {
	if s < uint32(len(startTypes)) {
		return startTypes[s]
	}
	return hexName(s)
}

// AcceptNames lists the accepted controls by name, unknown bits last in hex.
func AcceptNames(a uint32) []string {
	names := []string{}
	rest := a
	for i, n := range accepts {
		if a&(1<<i) != 0 {
			names = append(names, n)
			rest &^= 1 << i
		}
	}
	if rest != 0 {
		names = append(names, hexName(rest))
	}
	return names
}

// SortByName sorts rows as list does: by lower-case name.
func SortByName(rows []Row) {
	sort.Slice(rows, func(i, j int) bool { return strings.ToLower(rows[i].Name) < strings.ToLower(rows[j].Name) })
}

// WriteNames prints one name per line (list --names).
func WriteNames(w io.Writer, rows []Row) error {
	bw := bufio.NewWriter(w)
	for _, r := range rows {
		bw.WriteString(r.Name)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// startLabel is list's START column.
func (r *Row) startLabel() string {
	switch {
	case !r.StartKnown:
		return "?"
	case r.StartType == 2 && r.DelayedKnown && r.Delayed: // SERVICE_AUTO_START
		return "delayed-auto"
	}
	return strings.ToLower(strings.TrimSuffix(StartName(r.StartType), "_START"))
}

// WriteList prints list's table, aligned with text/tabwriter.
func WriteList(w io.Writer, rows []Row) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 8, 2, ' ', 0)
	tw.Write([]byte("NAME\tSTATE\tSTART\tPID\tDISPLAY NAME\n"))
	var line []byte
	for i := range rows {
		r := &rows[i]
		line = append(line[:0], r.Name...)
		line = append(line, '\t')
		line = append(line, StateName(r.State)...)
		line = append(line, '\t')
		line = append(line, r.startLabel()...)
		line = append(line, '\t')
		if r.ProcessID == 0 {
			line = append(line, '-')
		} else {
			line = strconv.AppendUint(line, uint64(r.ProcessID), 10)
		}
		line = append(line, '\t')
		line = append(line, r.DisplayName...)
		line = append(line, '\n')
		tw.Write(line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// statusDoc is one element of query --json, with its enums as strings.
type statusDoc struct {
	Name                    string   `json:"name"`
	DisplayName             string   `json:"displayName"`
	ServiceType             string   `json:"serviceType"`
	State                   string   `json:"state"`
	ControlsAccepted        []string `json:"controlsAccepted"`
	Win32ExitCode           uint32   `json:"win32ExitCode"`
	ServiceSpecificExitCode uint32   `json:"serviceSpecificExitCode"`
	CheckPoint              uint32   `json:"checkPoint"`
	WaitHint                uint32   `json:"waitHint"`
	ProcessID               uint32   `json:"processId"`
	ServiceFlags            uint32   `json:"serviceFlags"`
}

// listDoc is one element of list --json.
type listDoc struct {
	Name             string  `json:"name"`
	DisplayName      string  `json:"displayName"`
	State            string  `json:"state"`
	StartType        *string `json:"startType"`
	DelayedAutoStart *bool   `json:"delayedAutoStart"`
	ProcessID        uint32  `json:"processId"`
	ServiceType      string  `json:"serviceType"`
}

func encodeIndented(w io.Writer, v any, escapeHTML bool) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteQueryJSON prints query --json's array with encoding/json. Its
// strings have <, > and & escaped (\u003c, \u003e, \u0026), as winsvc's
// are: the CLI turns HTML escaping off, but each winsvc.Status marshals
// itself with json.Marshal, which escapes them. (list --json's strings are
// not escaped.)
func WriteQueryJSON(w io.Writer, entries []Entry) error {
	docs := make([]statusDoc, len(entries))
	for i, e := range entries {
		docs[i] = statusDoc{e.Name, e.DisplayName, TypeName(e.ServiceType), StateName(e.State), AcceptNames(e.ControlsAccepted),
			e.Win32ExitCode, e.ServiceSpecificExitCode, e.CheckPoint, e.WaitHint, e.ProcessID, e.ServiceFlags}
	}
	return encodeIndented(w, docs, true)
}

// WriteListJSON prints list --json's array with encoding/json.
func WriteListJSON(w io.Writer, rows []Row) error {
	docs := make([]listDoc, len(rows))
	for i, r := range rows {
		d := listDoc{Name: r.Name, DisplayName: r.DisplayName, State: StateName(r.State),
			ProcessID: r.ProcessID, ServiceType: TypeName(r.ServiceType)}
		if r.DelayedKnown {
			d.DelayedAutoStart = &rows[i].Delayed
		}
		if r.StartKnown {
			s := StartName(r.StartType)
			d.StartType = &s
		}
		docs[i] = d
	}
	return encodeIndented(w, docs, false)
}

// WriteQueryJSONHand prints query --json's array by hand: the same bytes as
// WriteQueryJSON.
func WriteQueryJSONHand(w io.Writer, entries []Entry) error {
	if len(entries) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	b := make([]byte, 0, 1024)
	for i := range entries {
		e := &entries[i]
		b = b[:0]
		if i == 0 {
			b = append(b, "[\n"...)
		}
		b = append(b, "  {\n    \"name\": "...)
		b = appendString(b, true, e.Name)
		b = append(b, ",\n    \"displayName\": "...)
		b = appendString(b, true, e.DisplayName)
		b = append(b, ",\n    \"serviceType\": "...)
		b = appendString(b, true, TypeName(e.ServiceType))
		b = append(b, ",\n    \"state\": "...)
		b = appendString(b, true, StateName(e.State))
		b = append(b, ",\n    \"controlsAccepted\": "...)
		if names := AcceptNames(e.ControlsAccepted); len(names) == 0 {
			b = append(b, "[]"...)
		} else {
			b = append(b, '[')
			for j, n := range names {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, "\n      "...)
				b = appendString(b, true, n)
			}
			b = append(b, "\n    ]"...)
		}
		b = appendField(b, "win32ExitCode", e.Win32ExitCode)
		b = appendField(b, "serviceSpecificExitCode", e.ServiceSpecificExitCode)
		b = appendField(b, "checkPoint", e.CheckPoint)
		b = appendField(b, "waitHint", e.WaitHint)
		b = appendField(b, "processId", e.ProcessID)
		b = appendField(b, "serviceFlags", e.ServiceFlags)
		b = append(b, "\n  }"...)
		if i < len(entries)-1 {
			b = append(b, ",\n"...)
		} else {
			b = append(b, "\n]\n"...)
		}
		bw.Write(b)
	}
	return bw.Flush()
}

func appendField(b []byte, name string, v uint32) []byte {
	b = append(b, ",\n    \""...)
	b = append(b, name...)
	b = append(b, "\": "...)
	return strconv.AppendUint(b, uint64(v), 10)
}

// appendString appends s as a JSON string, as encoding/json writes it:
// \" \\ \n \r \t, other control characters as \u00XX, U+2028 and U+2029
// escaped, invalid UTF-8 as \ufffd, and with html <, > and & as \u00XX.
func appendString(b []byte, html bool, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!html || (c != '<' && c != '>' && c != '&')) {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
