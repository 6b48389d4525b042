package strictjson

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/internal/limits"
	"github.com/winsvc/winsvc/internal/valerr"
)

func TestDecode(t *testing.T) {
	var v struct {
		A int `json:"a"`
	}
	for in, ok := range map[string]bool{`{"a":1}`: true, `{"a":1,"b":2}`: false, `{"a":1} {"a":2}`: false, `{"a":"x"}`: false, ` {"a":1} `: true} {
		if err := Decode([]byte(in), &v); (err == nil) != ok {
			t.Errorf("Decode(%s) = %v, want ok=%v", in, err, ok)
		}
	}
}

// color is an enum: its UnmarshalText lists the allowed names.
type color int

func (c *color) UnmarshalText(b []byte) error {
	switch string(b) {
	case "red", "blue":
		return nil
	}
	return valerr.New("color", string(b), "", "red", "blue")
}

// box decodes itself, through Decode, as the types of winsvc do.
type box struct{ Size uint16 }

func (b *box) UnmarshalJSON(data []byte) error {
	var j struct {
		Size uint16 `json:"size"`
	}
	err := Decode(data, &j)
	b.Size = j.Size
	return err
}

type doc struct {
	Name   string   `json:"name"`
	Color  color    `json:"color"`
	Items  []item   `json:"items"`
	Boxes  []box    `json:"boxes"`
	Labels []string `json:"labels"`
	On     bool     `json:"on"`
}

type item struct {
	Delay int64 `json:"delay"`
	Kind  color `json:"kind"`
}

// A value of the wrong kind, an unknown key, a syntax error, at any depth
// and inside a type that decodes itself, is said in the document's
// words, with the path of the value and its indices; never Go's.
func TestDecodeErrorsInTheDocumentsWords(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"name": 5}`, "name: expected a text, got a number"},
		{`{"color": 5}`, "color: expected one of the allowed names, got a number; allowed: red, blue"},
		{`{"on": "yes"}`, "on: expected true or false, got a text"},
		{`{"labels": "a"}`, "labels: expected a list of texts, got a text"},
		{`{"labels": ["a", 1]}`, "labels[1]: expected a text, got a number"},
		{`{"items": [{"delay": 1}, {"delay": "x"}]}`, "items[1].delay: expected a whole number, got a text"},
		{`{"items": [{}, {"kind": true}]}`, "items[1].kind: expected one of the allowed names, got a boolean; allowed: red, blue"},
		{`{"items": [{}, {"delay": 1, "bogus": 2}]}`, `items[1]: unknown key "bogus"; allowed: delay, kind`},
		{`{"bogus": 2}`, `unknown key "bogus"; allowed: name, color, items, boxes, labels, on`},
		{`{"boxes": [{"size": 1}, {"size": 70000}]}`, "boxes[1].size: expected a whole number from 0 to 65535, got a number"},
		{`{"boxes": [{"size": 1}, {"color": 1}]}`, `boxes[1]: unknown key "color"; allowed: size`},
		{`{"items": {}}`, "items: expected a list of mappings, got a mapping"},
		{"{\n  \"name\": x}", "line 2, column 11: not valid JSON: invalid character 'x' looking for beginning of value"},
		{`{"name": "a"`, "not valid JSON: the text ends inside a value"},
	} {
		var v doc
		err := Decode([]byte(c.in), &v)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Decode(%s) = %v, want %q", c.in, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "Go ") || strings.Contains(err.Error(), "json:") || strings.Contains(err.Error(), "strictjson")) {
			t.Errorf("Decode(%s) = %v: Go's words", c.in, err)
		}
	}
}

// Invalid makes a validation error of a field from a *TypeError or a
// *KeyError.
func TestInvalid(t *testing.T) {
	var v doc
	err := Invalid("definition", Decode([]byte(`{"items": [{}, {"delay": "x"}]}`), &v))
	var ve *valerr.Error
	if !errors.As(err, &ve) || ve.Field != "definition.items[1].delay" || ve.Error() != "invalid definition.items[1].delay: expected a whole number, got a text" {
		t.Errorf("Invalid = %v", err)
	}
	err = Invalid("definition", Decode([]byte(`{"x": 1}`), &v))
	if !errors.As(err, &ve) || ve.Field != "definition.x" || !strings.HasPrefix(ve.Error(), "invalid definition.x: unknown key; allowed: name,") {
		t.Errorf("Invalid = %v", err)
	}
}

// Bounds refuses, with the limit and the position, a JSON text beyond
// the limits of a document.
func TestBounds(t *testing.T) {
	deep := strings.Repeat("[", limits.Depth+1) + strings.Repeat("]", limits.Depth+1)
	long := `{"a": "` + strings.Repeat("x", limits.String+1) + `"}`
	many := "[" + strings.Repeat("0,", limits.Values) + "0]"
	for in, want := range map[string]string{
		deep: fmt.Sprintf("line 1, column %d: values nest deeper than 64 levels, the limit", limits.Depth+1),
		long: "line 1, column 7: a text of 1048577 bytes is longer than 1 MiB, the limit",
		many: "values, the limit",
	} {
		err := Bounds([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, valerr.ErrInvalid) {
			t.Errorf("Bounds(%.20s…) = %v, want %q", in, err, want)
		}
	}
	ok := strings.Repeat("[", limits.Depth) + strings.Repeat("]", limits.Depth)
	if err := Bounds([]byte(ok)); err != nil {
		t.Errorf("Bounds at the limit of depth: %v", err)
	}
}

// Object returns the members of an object in order, and refuses anything
// else, trailing text included.
func TestObject(t *testing.T) {
	keys, vals, err := Object([]byte(`{"b": 1, "a": [2]}`))
	if err != nil || strings.Join(keys, ",") != "b,a" || string(vals[1]) != "[2]" {
		t.Errorf("Object = %q %q %v", keys, vals, err)
	}
	for _, bad := range []string{`[1]`, `{"a": 1} x`, `{"a": }`, `"x"`} {
		if _, _, err := Object([]byte(bad)); err == nil {
			t.Errorf("Object(%s) accepted it", bad)
		}
	}
}
