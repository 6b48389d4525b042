package module

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/valerr"
)

// The program option: the settings of the program host that runs a
// program as the service (a document's program block, under its names,
// with snake_case aliases), and winsvc_path, which makes winsvc.exe the
// service's program ("winsvc.exe host NAME"). The module itself cannot be
// the host: Ansible removes it once the task is done.

// msMax bounds the options given in milliseconds or bytes: the library
// refuses what does not fit its own bounds, naming the field.
const msMax = math.MaxInt64

var programOption = Option{Name: "program", Kind: Dict, Options: []Option{
	{Name: "path", Kind: Str},
	{Name: "args", Kind: List},
	{Name: "workingDirectory", Aliases: []string{"working_directory"}, Kind: Str},
	{Name: "environment", Kind: List, Redact: redactEnv},
	{Name: "stdout", Kind: Str},
	{Name: "stderr", Kind: Str},
	{Name: "rotate", Kind: Dict, Options: []Option{
		{Name: "bytes", Kind: Int, Max: msMax},
		{Name: "age", Kind: Int, Max: msMax},
		{Name: "keep", Kind: Int},
	}},
	{Name: "restart", Kind: Dict, Options: []Option{
		{Name: "when", Kind: Str, Choices: []string{string(host.Always), string(host.OnFailure), string(host.Never)}},
		{Name: "successCodes", Aliases: []string{"success_codes"}, Kind: List},
		{Name: "delay", Kind: Int, Max: msMax},
		{Name: "maxDelay", Aliases: []string{"max_delay"}, Kind: Int, Max: msMax},
		{Name: "throttle", Kind: Int, Max: msMax},
		{Name: "resetAfter", Aliases: []string{"reset_after"}, Kind: Int, Max: msMax},
	}},
	{Name: "log", Kind: Str},
	{Name: "stopTimeout", Aliases: []string{"stop_timeout"}, Kind: Int, Max: msMax},
}}

// redactEnv shows an environment list with the values of secret
// variables hidden, by the library's rule (winsvc.SecretEnvName).
func redactEnv(v any) any {
	env, _ := v.([]string)
	return winsvc.RedactEnv(env)
}

// redactDefinition shows the definition option with its program block's
// secret environment values hidden.
func redactDefinition(v any) any {
	raw, _ := v.(json.RawMessage)
	var def map[string]any
	if json.Unmarshal(raw, &def) != nil {
		return raw
	}
	if p, ok := def["program"].(map[string]any); ok {
		p["environment"] = redactAny(p["environment"])
	}
	return def
}

// redactAny hides secret values in an environment list decoded from JSON;
// what is not a list of strings is shown as hidden.
func redactAny(v any) any {
	list, ok := v.([]any)
	if !ok {
		if v == nil {
			return nil
		}
		return winsvc.HiddenValue
	}
	env := make([]string, len(list))
	for i, e := range list {
		s, ok := e.(string)
		if !ok {
			s = winsvc.HiddenValue
		}
		env[i] = s
	}
	return winsvc.RedactEnv(env)
}

// program maps the program option to the entry's program block.
func program(t *target) (any, bool, error) {
	p, ok := t.p.Dict("program")
	if !ok {
		return nil, false, nil
	}
	b, err := block(p, programOption.Options, "program")
	return b, err == nil, err
}

// block is a checked Dict option as the document's block: the same names,
// nested blocks, exit codes as numbers.
func block(p Params, spec []Option, path string) (map[string]any, error) {
	out := map[string]any{}
	for _, o := range spec {
		v, ok := p[o.Name]
		if !ok {
			continue
		}
		switch {
		case o.Kind == Dict:
			sub, err := block(v.(Params), o.Options, path+"."+o.Name)
			if err != nil {
				return nil, err
			}
			out[o.Name] = sub
		case o.Name == "successCodes":
			codes := []uint32{}
			for i, s := range v.([]string) {
				n, err := strconv.ParseUint(strings.TrimSpace(s), 0, 32)
				if err != nil {
					return nil, badOption(fmt.Sprintf("%s.%s[%d]", path, o.Name, i), "%s is not an exit code from 0 to 4294967295", s)
				}
				codes = append(codes, uint32(n))
			}
			out[o.Name] = codes
		default:
			out[o.Name] = v
		}
	}
	return out, nil
}

// binaryPath maps path, or winsvc_path: the host's command line for the
// service. A winsvc_path that is not a file on the host is refused.
func binaryPath(t *target) (any, bool, error) {
	path, pathSet := t.p.Str("path")
	exe, exeSet := t.p.Str("winsvc_path")
	switch {
	case pathSet && exeSet:
		return nil, false, &optionErr{msg: "parameters are mutually exclusive: path|winsvc_path (winsvc_path makes winsvc.exe, hosting program, the service's command line)"}
	case pathSet:
		return path, true, nil
	case !exeSet:
		return nil, false, nil
	}
	if err := hostFile(exe); err != nil {
		return nil, false, badOption("winsvc_path", "%v", err)
	}
	return host.CommandLine(exe, t.name), true, nil
}

// hostFile checks that the winsvc.exe named by winsvc_path is a file on
// this machine (the module runs where the service does). Tests replace it.
var hostFile = func(path string) error {
	fi, err := os.Stat(expandEnv(path))
	shown := valerr.Shorten(path)
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s does not exist on this host: copy winsvc.exe there first (ansible.windows.win_copy)", shown)
	case errors.As(err, &pe):
		return fmt.Errorf("%s: %v", shown, pe.Err)
	case err != nil:
		return fmt.Errorf("%s: %v", shown, err)
	case fi.IsDir():
		return fmt.Errorf("%s is a directory: give the path of winsvc.exe", shown)
	}
	return nil
}

// hostedBy reports whether the command line cmd runs the host for service
// name: "winsvc.exe host NAME" (any path of winsvc.exe).
func hostedBy(cmd, name string) bool {
	_, args, err := winsvc.SplitCommandLine(cmd)
	return err == nil && len(args) == 2 && strings.EqualFold(args[0], "host") && strings.EqualFold(args[1], name)
}

// errNeedsHost is the failure of a task that would create a service with
// program and without a command line.
func errNeedsHost(name string) error {
	return &optionErr{msg: fmt.Sprintf("Service '%s' is not installed: to create it to run program, set winsvc_path "+
		"(the path of winsvc.exe on the host, which hosts the program), or path", valerr.Shorten(name))}
}

// programView is the program block of a configuration as the result and
// the diff show it: the document's names, secret environment values
// hidden; null for a service the host does not run.
func programView(c *winsvc.Config) any {
	b, err := c.ValueJSON(winsvc.FieldProgram)
	if err != nil {
		return nil
	}
	var v map[string]any
	if json.Unmarshal(b, &v) != nil || v == nil {
		return nil
	}
	if _, ok := v["environment"]; ok {
		v["environment"] = redactAny(v["environment"])
	}
	return v
}
