package module

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/limits"
	"github.com/winsvc/winsvc/internal/strictjson"
)

// Args is what Ansible passes a binary module in its arguments file: the
// task's options, and the flags Ansible adds under "_ansible_" names.
type Args struct {
	Options   map[string]json.RawMessage // the task's options, not yet checked
	CheckMode bool                       // _ansible_check_mode: plan, change nothing
	Diff      bool                       // _ansible_diff: return before and after
	Name      string                     // _ansible_module_name, for messages
}

// ParseArgs reads an arguments file's JSON, within the limits of a
// document (README.md, "Desired state"). Ansible's own keys are read into
// the flags; the ones a module has no use for are dropped.
func ParseArgs(data []byte) (*Args, error) {
	if err := strictjson.Bounds(data); err != nil {
		return nil, fmt.Errorf("the arguments file: %w", err)
	}
	keys, vals, err := strictjson.Object(data)
	if err != nil {
		return nil, fmt.Errorf("the arguments file is not a JSON object: %w", err)
	}
	a := &Args{Options: map[string]json.RawMessage{}}
	for i, k := range keys {
		v := vals[i]
		if !strings.HasPrefix(k, "_ansible_") {
			a.Options[k] = v
			continue
		}
		var err error
		switch k {
		case "_ansible_check_mode":
			err = strictjson.Decode(v, &a.CheckMode)
		case "_ansible_diff":
			err = strictjson.Decode(v, &a.Diff)
		case "_ansible_module_name":
			err = strictjson.Decode(v, &a.Name)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
	}
	return a, nil
}

// Result is a module's result: Ansible's keys (changed, failed, msg, diff,
// warnings, invocation) and the module's return values.
type Result map[string]any

// Warn adds a warning that Ansible shows after the task.
func (r Result) Warn(format string, args ...any) {
	w, _ := r["warnings"].([]string)
	r["warnings"] = append(w, fmt.Sprintf(format, args...))
}

// Module is one Ansible module: its options and what it does with them.
type Module struct {
	Name    string   // the fully qualified name, e.g. winsvc.windows.service
	Options []Option // its options; anything else is refused
	// Run does the module's work on a connection. It returns the result's
	// return values, or an error that becomes a failure (see failure.go)
	// merged with what the result holds so far.
	Run func(ctx context.Context, m *winsvc.Manager, p Params, a *Args) (Result, error)
}

// Execute runs mod with the arguments file's content data against the SCM
// that connect opens (once the options are checked; the caller closes it),
// and returns the result to print. Every problem is a failed result; a bad
// option names the option and connects to nothing.
func Execute(ctx context.Context, mod *Module, data []byte, connect func() (*winsvc.Manager, error)) Result {
	a, err := ParseArgs(data)
	if err == nil {
		var p Params
		if p, err = Parse(mod.Name, mod.Options, a.Options); err == nil {
			return execute(ctx, mod, a, p, connect)
		}
	}
	r := failure(&optionErr{msg: err.Error(), err: err})
	r["changed"] = false
	return r
}

// execute runs mod once its options are checked.
func execute(ctx context.Context, mod *Module, a *Args, p Params, connect func() (*winsvc.Manager, error)) Result {
	invocation := Result{"module_args": p.Invocation(mod.Options)}
	m, err := connect()
	if err != nil {
		r := failure(err)
		r["invocation"] = invocation
		return r
	}
	r, err := mod.Run(ctx, m, p, a)
	if r == nil {
		r = Result{}
	}
	if err != nil {
		for k, v := range failure(err) {
			r[k] = v
		}
	}
	if _, ok := r["changed"]; !ok {
		r["changed"] = false
	}
	r["invocation"] = invocation
	return r
}

// Main is a module program's main: it reads the arguments file named by
// its only argument, runs mod against the local SCM, prints the result as
// JSON on stdout and exits 1 when the result failed.
func Main(mod *Module) {
	os.Exit(run(mod, os.Args, os.Stdout))
}

func run(mod *Module, argv []string, stdout io.Writer) int {
	var r Result
	if len(argv) != 2 {
		r = Result{"failed": true, "msg": fmt.Sprintf("%s is an Ansible module: it takes the path of a JSON arguments file as its only argument", mod.Name)}
	} else if data, err := limits.ReadFile(argv[1], limits.FileSize); err != nil {
		r = Result{"failed": true, "msg": fmt.Sprintf("reading the arguments file: %v", err)}
	} else {
		var m *winsvc.Manager
		r = Execute(context.Background(), mod, data, func() (*winsvc.Manager, error) {
			var err error
			m, err = winsvc.Connect()
			return m, err
		})
		if m != nil {
			m.Close()
		}
	}
	if err := json.NewEncoder(stdout).Encode(r); err != nil {
		fmt.Fprintf(stdout, `{"failed": true, "msg": %q}`+"\n", "encoding the result: "+err.Error())
		return 1
	}
	if failed, _ := r["failed"].(bool); failed {
		return 1
	}
	return 0
}
