package desired

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/winsvc/winsvc"
)

// source is where a service's entry was read: the file, the entry's first
// line, and the nodes of every key and list element below it, by path
// ("startType", "failureActions.actions[1].delay"), so that an error about
// a field, found however late, names its line.
type source struct {
	file string
	line int
	at   map[string]place
}

// place is where a path is: its key (nil for a list element) and value.
type place struct{ key, value *yaml.Node }

// line is the key's line, or the element's.
func (p place) line() int {
	if p.key != nil {
		return p.key.Line
	}
	return p.value.Line
}

func newSource(file string, entry *yaml.Node) *source {
	return &source{file: file, line: entry.Line, at: map[string]place{}}
}

// locate returns the line of field, the path of a *winsvc.ValidationError:
// the line of the deepest key or element recorded on that path, and for an
// unknown field that reason names (encoding/json's `unknown field "x"`),
// the line of that key below it.
func (s *source) locate(field, reason string) int {
	for p := field; p != ""; p = parent(p) {
		at, ok := s.at[p]
		if !ok {
			continue
		}
		if m := unknownField.FindStringSubmatch(reason); m != nil {
			for q, k := range s.at {
				if strings.HasPrefix(q, p) && (strings.HasSuffix(q, "."+m[1]) || q == m[1]) {
					return k.line()
				}
			}
		}
		return at.line()
	}
	return s.line
}

var unknownField = regexp.MustCompile(`unknown field "([^"]*)"`)

// parent strips the last key or index of a path: "a.b[1]" -> "a.b" -> "a".
func parent(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// errorFor returns err as an *Error of service's entry, at the line of the
// field a validation error names (or field, for other errors).
func (s *source) errorFor(service, field string, err error) error {
	e := &Error{Service: service, Field: field, Err: err}
	if ve := (*winsvc.ValidationError)(nil); errors.As(err, &ve) {
		e.Field = ve.Field
		if s != nil {
			e.Err = withHint(s, ve)
		}
	}
	if s != nil {
		e.File, e.Line = s.file, s.locate(e.Field, e.Err.Error())
	}
	return e
}

// withHint adds a hint to a validation error about a value of the wrong
// type: that quoting makes text of what YAML read as a number or a
// boolean, and that a boolean is true or false.
func withHint(s *source, ve *winsvc.ValidationError) error {
	var hint string
	n := s.at[ve.Field].value
	switch {
	case n == nil || n.Kind != yaml.ScalarNode:
	case strings.Contains(ve.Reason, "into Go value of type bool"):
		hint = "write true or false"
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 &&
		(strings.Contains(ve.Reason, "cannot unmarshal number") || strings.Contains(ve.Reason, "cannot unmarshal bool")):
		hint = fmt.Sprintf("YAML reads %s as %s: quote it to make it text", n.Value, strings.TrimPrefix(n.Tag, "!!"))
	}
	if hint == "" {
		return ve
	}
	hinted := *ve
	hinted.Reason += " (" + hint + ")"
	return &hinted
}

// nodeJSON writes value node n, found at path, as JSON to b, and records
// the node of every key and element below it.
func (s *source) nodeJSON(b *bytes.Buffer, n *yaml.Node, path string) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		b.WriteByte('{')
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return s.errorAt(k, path, "a key must be a plain text")
			}
			if line, dup := seen[k.Value]; dup {
				return s.errorAt(k, join(path, k.Value), fmt.Sprintf("given twice (also at line %d)", line))
			}
			seen[k.Value] = k.Line
			if i > 0 {
				b.WriteByte(',')
			}
			key, _ := json.Marshal(k.Value)
			b.Write(key)
			b.WriteByte(':')
			s.at[join(path, k.Value)] = place{k, v}
			if err := s.nodeJSON(b, v, join(path, k.Value)); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, e := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			p := fmt.Sprintf("%s[%d]", path, i)
			s.at[p] = place{value: e}
			if err := s.nodeJSON(b, e, p); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		v, err := scalarValue(n)
		if err != nil {
			return s.errorAt(n, path, err.Error())
		}
		j, err := json.Marshal(v)
		if err != nil {
			return s.errorAt(n, path, err.Error())
		}
		b.Write(j)
	default:
		return s.errorAt(n, path, "not a value")
	}
	return nil
}

// scalarValue is a scalar's value as YAML's core schema reads it.
func scalarValue(n *yaml.Node) (any, error) {
	switch n.Tag {
	case "!!str", "!!timestamp":
		return n.Value, nil
	case "!!null", "!!bool", "!!int", "!!float":
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, err
		}
		if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return nil, fmt.Errorf("%s is not a number JSON can hold", n.Value)
		}
		return v, nil
	}
	return nil, fmt.Errorf("the tag %s is not supported", n.Tag)
}

// errorAt returns a document error about node n at path.
func (s *source) errorAt(n *yaml.Node, path, reason string) error {
	return &Error{File: s.file, Line: n.Line, Field: path, Err: invalid(path, n.Value, reason)}
}

// join appends key to path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
