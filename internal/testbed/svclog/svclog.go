// Package svclog is the log format shared by the test service
// (internal/testsvc, the writer) and the test bed (internal/testbed, the
// reader): one JSON object per line.
package svclog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"
)

// Event names used in Entry.Event.
const (
	EventStart   = "start"   // the service started; Args holds its name and start arguments
	EventState   = "state"   // -mode=refusestop reported a status to the SCM; State, CheckPoint, WaitHint
	EventControl = "control" // a control reached the program; Control, ControlName
	EventIgnored = "ignored" // a control was deliberately ignored (refusestop)
	EventExit    = "exit"    // the service is about to stop or the process to exit; Code, Specific
	EventError   = "error"   // something went wrong inside the service; Message
)

// Entry is one log line.
type Entry struct {
	Time        time.Time `json:"time"`
	PID         int       `json:"pid"`
	Mode        string    `json:"mode"`
	Event       string    `json:"event"`
	Args        []string  `json:"args,omitempty"`    // EventStart: the service's name, then its start arguments
	CmdLine     []string  `json:"cmdline,omitempty"` // EventStart: os.Args of the process
	State       string    `json:"state,omitempty"`   // EventState: STOPPED, START_PENDING, ..., PAUSED
	CheckPoint  uint32    `json:"checkpoint,omitempty"`
	WaitHint    uint32    `json:"waithint,omitempty"`
	Accepts     uint32    `json:"accepts,omitempty"`
	Control     uint32    `json:"control,omitempty"` // EventControl/EventIgnored: the control code (1 = STOP, ...)
	ControlName string    `json:"control_name,omitempty"`
	Code        uint32    `json:"code,omitempty"`     // EventExit: exit code
	Specific    bool      `json:"specific,omitempty"` // EventExit: Code is a service-specific exit code
	Message     string    `json:"message,omitempty"`
}

// Append writes e as one line to the file at path. The file is opened and
// closed on every call, so no handle stays open between entries and readers
// never see a half-buffered line. An empty path discards the entry.
func Append(path string, e Entry) error {
	if path == "" {
		return nil
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	if e.PID == 0 {
		e.PID = os.Getpid()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Parse reads log lines. A final line without a newline is ignored: it may
// still be being written.
func Parse(r io.Reader) ([]Entry, error) {
	var out []Entry
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			return out, fmt.Errorf("line %d: %v", n, err)
		}
		out = append(out, e)
	}
}
