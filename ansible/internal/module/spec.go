package module

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/winsvc/winsvc/internal/valerr"
)

// Kind is the type of an option's value, as Ansible's argument specs name
// them.
type Kind int

// Option kinds.
const (
	Str   Kind = iota // a string; numbers and booleans are converted
	Bool              // true/false, or Ansible's yes/no/on/off/1/0
	Int               // a non-negative integer, or a string of one (decimal or 0x hex)
	List              // a list of strings, or a comma-separated string
	Dicts             // a list of objects, each checked against Option.Options
	Dict              // an object: checked against Option.Options (as Params) when it has them, else kept as JSON
	Raw               // any JSON value, kept as JSON for the code that reads it
)

var kindNames = map[Kind]string{Str: "str", Bool: "bool", Int: "int", List: "list", Dicts: "list of dict", Dict: "dict", Raw: "JSON value"}

// Option specifies one module option, as an Ansible argument spec does.
type Option struct {
	Name     string
	Aliases  []string
	Kind     Kind
	Choices  []string // the allowed values of a Str option
	Default  any      // the value when the option is not given (of the kind's Go type)
	Required bool
	NoLog    bool // a secret: never shown (Params.Invocation masks it)
	// Redact, when set, is how Params.Invocation shows the value (what
	// holds secrets hidden); an error about the value does not show it.
	Redact   func(v any) any
	Options  []Option // the options of each element of a Dicts option, or of a Dict option
	Min, Max uint64   // the range of an Int option (Max 0: 0xFFFFFFFF)
}

// Params are checked options: string, bool, uint64, []string, []Params,
// Params (a Dict with Options) or json.RawMessage (Dict, Raw) by kind. An option that was not given (or given as
// null) and has no default is absent.
type Params map[string]any

// Has reports whether option name was given (or has a default).
func (p Params) Has(name string) bool { _, ok := p[name]; return ok }

// Str, Bool, Int, List and Dicts return option name's value, and whether it
// is set.
func (p Params) Str(name string) (string, bool) { v, ok := p[name].(string); return v, ok }
func (p Params) Bool(name string) (bool, bool)  { v, ok := p[name].(bool); return v, ok }
func (p Params) Int(name string) (uint64, bool) { v, ok := p[name].(uint64); return v, ok }
func (p Params) List(name string) ([]string, bool) {
	v, ok := p[name].([]string)
	return v, ok
}
func (p Params) Dicts(name string) ([]Params, bool) { v, ok := p[name].([]Params); return v, ok }
func (p Params) Dict(name string) (Params, bool)    { v, ok := p[name].(Params); return v, ok }
func (p Params) JSON(name string) (json.RawMessage, bool) {
	v, ok := p[name].(json.RawMessage)
	return v, ok
}

// noLogValue is what Ansible shows in place of a secret.
const noLogValue = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"

// Invocation returns the options as Ansible shows them under
// invocation.module_args: every option, null when not set, secrets masked.
func (p Params) Invocation(spec []Option) map[string]any {
	out := map[string]any{}
	for _, o := range spec {
		v, ok := p[o.Name]
		switch {
		case !ok:
			out[o.Name] = nil
		case o.NoLog:
			out[o.Name] = noLogValue
		case o.Redact != nil:
			out[o.Name] = o.Redact(v)
		case o.Kind == Dict && o.Options != nil:
			out[o.Name] = v.(Params).Invocation(o.Options)
		case o.Kind == Dicts:
			var list []map[string]any
			for _, e := range v.([]Params) {
				list = append(list, e.Invocation(o.Options))
			}
			out[o.Name] = list
		default:
			out[o.Name] = v
		}
	}
	return out
}

// Parse checks raw options against spec, as Ansible's AnsibleModule does:
// aliases are resolved, unknown options, missing required ones, values of
// the wrong type and values outside the choices are refused with a
// message naming the option and what it allows. module names the module in
// the message about unknown options.
func Parse(module string, spec []Option, raw map[string]json.RawMessage) (Params, error) {
	return parseAt(module, "", spec, raw)
}

func parseAt(module, path string, spec []Option, raw map[string]json.RawMessage) (Params, error) {
	byName := map[string]*Option{}
	for i := range spec {
		o := &spec[i]
		byName[o.Name] = o
		for _, a := range o.Aliases {
			byName[a] = o
		}
	}
	var unknown []string
	for k := range raw {
		if byName[k] == nil {
			unknown = append(unknown, path+k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		//lint:ignore ST1005 this is Ansible's own message for unknown options, word for word (capital and full stop included), as every module gives it.
		return nil, fmt.Errorf("Unsupported parameters for (%s) module: %s. Supported parameters include: %s.",
			module, shownList(unknown), strings.Join(slices.Sorted(maps.Keys(byName)), ", "))
	}
	p := Params{}
	for i := range spec {
		o := &spec[i]
		name := path + o.Name
		var given []string
		var value json.RawMessage
		for _, k := range append([]string{o.Name}, o.Aliases...) {
			if v, ok := raw[k]; ok && string(v) != "null" {
				given = append(given, k)
				value = v
			}
		}
		switch {
		case len(given) > 1:
			return nil, fmt.Errorf("option %s is given more than once, as %s", name, strings.Join(given, " and "))
		case len(given) == 0 && o.Required:
			return nil, fmt.Errorf("missing required arguments: %s", name)
		case len(given) == 0:
			if o.Default != nil {
				p[o.Name] = o.Default
			}
			continue
		}
		v, err := o.parse(module, name, value)
		if err != nil && (o.NoLog || o.Redact != nil) {
			// The value is a secret: say only what kind was expected.
			return nil, fmt.Errorf("argument '%s' is of type %s and we were unable to convert to %s (the value is not shown)",
				name, jsonType(value), kindNames[o.Kind])
		}
		if err != nil {
			return nil, err
		}
		p[o.Name] = v
	}
	return p, nil
}

// parse converts one option's JSON value to its kind's Go type.
func (o *Option) parse(module, name string, v json.RawMessage) (any, error) {
	switch o.Kind {
	case Str:
		s, err := scalarString(v)
		if err != nil {
			return nil, typeError(name, o.Kind, v)
		}
		if len(o.Choices) > 0 && !slices.Contains(o.Choices, s) {
			return nil, fmt.Errorf("value of %s must be one of: %s, got: %s", name, strings.Join(o.Choices, ", "), valerr.Shorten(s))
		}
		return s, nil
	case Bool:
		s, err := scalarString(v)
		if err != nil {
			return nil, typeError(name, o.Kind, v)
		}
		switch strings.ToLower(s) {
		case "true", "yes", "on", "y", "t", "1", "1.0":
			return true, nil
		case "false", "no", "off", "n", "f", "0", "0.0", "":
			return false, nil
		}
		return nil, convertError(name, o.Kind, v, fmt.Sprintf("%s is not a valid boolean; use true or false (or yes, no, on, off, 1, 0)", valerr.Quote(s)))
	case Int:
		s, err := scalarString(v)
		if err != nil {
			return nil, typeError(name, o.Kind, v)
		}
		max := o.Max
		if max == 0 {
			max = math.MaxUint32
		}
		n, err := strconv.ParseUint(strings.TrimSpace(s), 0, 64)
		if err != nil || n < o.Min || n > max {
			return nil, convertError(name, o.Kind, v, fmt.Sprintf("%s is not an integer from %d to %d (decimal, or hexadecimal as '0x...')", valerr.Quote(s), o.Min, max))
		}
		return n, nil
	case List:
		var list []json.RawMessage
		if json.Unmarshal(v, &list) != nil {
			s, err := scalarString(v)
			if err != nil {
				return nil, typeError(name, o.Kind, v)
			}
			return splitList(s), nil
		}
		out := make([]string, 0, len(list))
		for i, e := range list {
			s, err := scalarString(e)
			if err != nil {
				return nil, convertError(fmt.Sprintf("%s[%d]", name, i), Str, e, "")
			}
			out = append(out, s)
		}
		return out, nil
	case Dicts:
		var list []map[string]json.RawMessage
		if err := json.Unmarshal(v, &list); err != nil {
			return nil, typeError(name, o.Kind, v)
		}
		out := make([]Params, 0, len(list))
		for i, e := range list {
			sub, err := parseAt(module, fmt.Sprintf("%s[%d].", name, i), o.Options, e)
			if err != nil {
				return nil, err
			}
			out = append(out, sub)
		}
		return out, nil
	case Dict:
		var m map[string]json.RawMessage
		if err := json.Unmarshal(v, &m); err != nil {
			return nil, typeError(name, o.Kind, v)
		}
		if o.Options != nil {
			return parseAt(module, name+".", o.Options, m)
		}
		return v, nil
	case Raw:
		return v, nil
	}
	return nil, fmt.Errorf("option %s: unknown kind %d", name, o.Kind)
}

// scalarString returns a JSON string, number or boolean as a string.
func scalarString(v json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s, nil
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String(), nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		return "", err
	}
	return strconv.FormatBool(b), nil
}

// splitList splits a comma-separated string as Ansible does for list
// options; "" is the empty list.
func splitList(s string) []string {
	out := []string{}
	for _, e := range strings.Split(s, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// shownList joins names for an error, each shortened, the first 10 and
// how many more.
func shownList(names []string) string {
	shown := make([]string, 0, min(len(names), 10))
	for _, n := range names[:min(len(names), 10)] {
		shown = append(shown, valerr.Shorten(n))
	}
	if len(names) > 10 {
		shown = append(shown, fmt.Sprintf("and %d more", len(names)-10))
	}
	return strings.Join(shown, ", ")
}

// typeError is Ansible's message for a value of the wrong type.
func typeError(name string, k Kind, v json.RawMessage) error { return convertError(name, k, v, "") }

// convertError is Ansible's message for a value that cannot be converted to
// the option's type ("argument 'x' is of type str and we were unable to
// convert to int: ..."), showing the value shortened (valerr.Shorten).
func convertError(name string, k Kind, v json.RawMessage, why string) error {
	if why == "" {
		why = "got " + valerr.Shorten(string(v))
	}
	return fmt.Errorf("argument '%s' is of type %s and we were unable to convert to %s: %s", name, jsonType(v), kindNames[k], why)
}

// jsonType names the type of a JSON value as Ansible names Python's.
func jsonType(v json.RawMessage) string {
	var x any
	if json.Unmarshal(v, &x) != nil {
		return "unknown"
	}
	switch x := x.(type) {
	case string:
		return "str"
	case bool:
		return "bool"
	case float64:
		if x == float64(int64(x)) {
			return "int"
		}
		return "float"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	}
	return "NoneType"
}
