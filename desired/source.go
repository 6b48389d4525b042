package desired

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/strictjson"
	"github.com/winsvc/winsvc/internal/valerr"
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

// node is the key's node, or the element's.
func (p place) node() *yaml.Node {
	if p.key != nil {
		return p.key
	}
	return p.value
}

func newSource(file string, entry *yaml.Node) *source {
	return &source{file: file, line: entry.Line, at: map[string]place{}}
}

// locate returns the node an error about field points at: for a value,
// the value; for a key ("unknown key", "given twice"), the key. A field
// of a *winsvc.ValidationError is a path with its indices, or without
// them when the type that refused it does not know where it is
// ("failureActions.actions.type"): then it is the first value on that path
// that is the value the error shows, or of the kind it says it got.
// Failing that, the nearest recorded parent of field, or nil.
func (s *source) locate(field, reason string, value any) *yaml.Node {
	key := strings.HasPrefix(reason, "unknown key") || strings.HasPrefix(reason, "given twice")
	pick := func(p place) *yaml.Node {
		if key || p.value == nil {
			return p.node()
		}
		return p.value
	}
	if p, ok := s.at[field]; ok {
		return pick(p)
	}
	var best *place
	bestFits := false
	bare := strictjson.WithoutIndices(field)
	for q, p := range s.at {
		if strictjson.WithoutIndices(q) != bare {
			continue
		}
		fits := strings.Contains(reason, "got "+nodeKind(p.value)) ||
			p.value != nil && value != nil && deref(p.value).Value == fmt.Sprint(value)
		if best == nil || fits && !bestFits || fits == bestFits && before(p.node(), best.node()) {
			best, bestFits = &p, fits
		}
	}
	if best != nil {
		return pick(*best)
	}
	if p := strictjson.Parent(field); p != "" {
		return s.locate(p, "", nil)
	}
	return nil
}

// before reports whether a comes before b in the document.
func before(a, b *yaml.Node) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
}

// nodeKind is the document's word for the kind of value n holds, as the
// errors of a value of the wrong kind say it (strictjson.Kind).
func nodeKind(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	n = deref(n)
	switch {
	case n.Kind == yaml.SequenceNode:
		return strictjson.Kind("array")
	case n.Kind == yaml.MappingNode:
		return strictjson.Kind("object")
	case n.Tag == "!!int" || n.Tag == "!!float":
		return strictjson.Kind("number")
	case n.Tag == "!!bool":
		return strictjson.Kind("bool")
	case n.Tag == "!!null":
		return strictjson.Kind("null")
	}
	return strictjson.Kind("string")
}

// errorFor returns err as an *Error of service's entry, at the place of
// the field a validation error names (or field, for other errors).
func (s *source) errorFor(service, field string, err error) error {
	e := &Error{Service: service, Field: field, Err: err}
	ve := (*winsvc.ValidationError)(nil)
	if errors.As(err, &ve) {
		e.Field = ve.Field
	}
	if s == nil {
		return e
	}
	e.File, e.Line = s.file, s.line
	reason, value := "", any(nil)
	if ve != nil {
		e.Err, reason, value = ve, ve.Reason, ve.Value
	}
	if n := s.locate(e.Field, reason, value); n != nil {
		e.Line, e.Column = n.Line, n.Column
		if ve != nil {
			e.Err = withHint(n, ve)
		}
	}
	return e
}

// withHint adds a hint to a validation error about a number or a boolean
// given where a text is expected: that YAML read it so, and that quoting
// makes it text.
func withHint(n *yaml.Node, ve *winsvc.ValidationError) error {
	want, got, ok := strings.Cut(strings.TrimPrefix(ve.Reason, "expected "), ", got ")
	n = deref(n)
	if !ok || n.Kind != yaml.ScalarNode || n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 ||
		got != nodeKind(n) || (got != strictjson.Kind("number") && got != strictjson.Kind("bool")) ||
		strings.Contains(want, "number") || strings.Contains(want, "true or false") {
		return ve
	}
	hinted := *ve
	hinted.Reason += fmt.Sprintf(" (YAML reads %s as %s: quote it to make it text)", valerr.Shorten(n.Value), got)
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
				return s.errorAt(k, strictjson.Join(path, k.Value), fmt.Sprintf("given twice (also at line %d)", line))
			}
			seen[k.Value] = k.Line
			if i > 0 {
				b.WriteByte(',')
			}
			key, _ := json.Marshal(k.Value)
			b.Write(key)
			b.WriteByte(':')
			s.at[strictjson.Join(path, k.Value)] = place{k, v}
			if err := s.nodeJSON(b, v, strictjson.Join(path, k.Value)); err != nil {
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
			return nil, fmt.Errorf("%s is not a number JSON can hold", valerr.Shorten(n.Value))
		}
		return v, nil
	}
	return nil, fmt.Errorf("the tag %s is not supported", valerr.Shorten(n.Tag))
}

// errorAt returns a document error about node n at path.
func (s *source) errorAt(n *yaml.Node, path, reason string) error {
	return &Error{File: s.file, Line: n.Line, Column: n.Column, Field: path, Err: invalid(path, n.Value, reason)}
}
