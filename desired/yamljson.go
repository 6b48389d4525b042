package desired

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"

	"github.com/winsvc/winsvc/internal/strictjson"
)

// A document's YAML is its JSON written as YAML: the same keys, in the same
// order, with the same values.

// member is one key of a JSON object and its value.
type member struct {
	key   string
	value json.RawMessage
}

// members splits a JSON object into its members, in order.
func members(b []byte) ([]member, error) {
	keys, vals, err := strictjson.Object(b)
	if err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	out := make([]member, len(keys))
	for i := range keys {
		out[i] = member{keys[i], vals[i]}
	}
	return out, nil
}

// marshalMembers writes members as a JSON object.
func marshalMembers(ms []member) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// jsonNode converts a JSON value to a YAML node, keeping the order of keys.
func jsonNode(b []byte) (*yaml.Node, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return tokenNode(dec)
}

func tokenNode(dec *json.Decoder) (*yaml.Node, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	scalar := func(tag, v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v} }
	switch v := t.(type) {
	case json.Delim:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if v == '{' {
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
		}
		for dec.More() {
			if n.Kind == yaml.MappingNode {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, scalar("!!str", k.(string)))
			}
			c, err := tokenNode(dec)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, c)
		}
		_, err := dec.Token() // the closing delimiter
		if len(n.Content) == 0 {
			n.Style = yaml.FlowStyle // [] and {}
		}
		return n, err
	case string:
		return scalar("!!str", v), nil
	case json.Number:
		if _, err := v.Int64(); err == nil || isUint(v) {
			return scalar("!!int", v.String()), nil
		}
		return scalar("!!float", v.String()), nil
	case bool:
		return scalar("!!bool", fmt.Sprint(v)), nil
	}
	return scalar("!!null", "null"), nil
}

// isUint reports whether n is an integer too large for an int64.
func isUint(n json.Number) bool {
	var u uint64
	return json.Unmarshal([]byte(n), &u) == nil
}

// newYAMLEncoder returns the encoder documents are written with: two
// spaces of indentation.
func newYAMLEncoder(w io.Writer) *yaml.Encoder {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	return enc
}
