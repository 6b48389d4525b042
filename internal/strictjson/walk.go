package strictjson

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// When a decode fails, the walk below finds where: it goes through the
// JSON value and the Go type that decodes it together, as encoding/json
// does, to name the path of the value at fault with its indices.

// visit calls f for raw, decoded by a value of type t at path, then for
// every value below it in document order, until f returns true (and then
// returns true). It does not go into a type with its own UnmarshalJSON or
// UnmarshalText, nor into a key its struct does not have.
func visit(raw json.RawMessage, t reflect.Type, path string, f func(raw json.RawMessage, t reflect.Type, path string) bool) bool {
	if f(raw, t, path) {
		return true
	}
	t = deref(t)
	if t == nil || custom(t) {
		return false
	}
	keys, vals := children(raw)
	for i, v := range vals {
		var ct reflect.Type
		var p string
		switch {
		case keys == nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
			ct, p = t.Elem(), path+"["+strconv.Itoa(i)+"]"
		case keys != nil && t.Kind() == reflect.Map:
			ct, p = t.Elem(), Join(path, keys[i])
		case keys != nil && t.Kind() == reflect.Struct:
			if sf, ok := field(t, keys[i]); ok {
				ct, p = sf.Type, Join(path, keys[i])
			}
		}
		if ct != nil && visit(v, ct, p, f) {
			return true
		}
	}
	return false
}

// unknownKey finds the first key in b that the struct it is in does not
// have, when b is decoded by a value of type t.
func unknownKey(b []byte, t reflect.Type) *KeyError {
	var found *KeyError
	visit(b, t, "", func(raw json.RawMessage, t reflect.Type, path string) bool {
		t = deref(t)
		if t == nil || t.Kind() != reflect.Struct || custom(t) {
			return false
		}
		keys, _ := children(raw)
		for _, k := range keys {
			if _, ok := field(t, k); !ok {
				found = &KeyError{Path: Join(path, k), Key: k, Allowed: fieldNames(t)}
				return true
			}
		}
		return false
	})
	return found
}

// nested completes the path of err, the error of a type's own
// UnmarshalJSON somewhere in b: it is the first such value (below b
// itself) whose decoding alone fails with the same message.
func nested(b []byte, t reflect.Type, err error) error {
	out := err
	msg := err.Error()
	visit(b, t, "", func(raw json.RawMessage, vt reflect.Type, path string) bool {
		if path == "" || deref(vt) == nil || !reflect.PointerTo(deref(vt)).Implements(jsonUnmarshaler) {
			return false
		}
		again := Decode(raw, reflect.New(deref(vt)).Interface())
		if again == nil || again.Error() != msg {
			return false
		}
		switch e := again.(type) {
		case *TypeError:
			c := *e
			c.Path = Join(path, e.Path)
			out = &c
		case *KeyError:
			c := *e
			c.Path = Join(path, e.Path)
			out = &c
		}
		return true
	})
	return out
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// custom reports whether t decodes itself (UnmarshalJSON or UnmarshalText).
func custom(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(jsonUnmarshaler) || p.Implements(textUnmarshaler)
}

// field returns the field of struct t that key names, matched as
// encoding/json matches it (its JSON name, case-insensitively).
func field(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if name, ok := jsonName(f); ok && strings.EqualFold(name, key) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// fieldNames are the JSON names of struct t's fields.
func fieldNames(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		if name, ok := jsonName(t.Field(i)); ok {
			out = append(out, name)
		}
	}
	return out
}

// jsonName is the name encoding/json gives field f, and whether it has one.
func jsonName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch tag {
	case "-":
		return "", false
	case "":
		return f.Name, true
	}
	return tag, true
}

// children returns the keys and values of a JSON object (keys nil for an
// array's elements), in order; nothing for another value or invalid JSON.
func children(raw []byte) (keys []string, vals []json.RawMessage) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	open, err := dec.Token()
	if err != nil || (open != json.Delim('{') && open != json.Delim('[')) {
		return nil, nil
	}
	for dec.More() {
		if open == json.Delim('{') {
			k, err := dec.Token()
			if err != nil {
				return nil, nil
			}
			keys = append(keys, k.(string))
		}
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return nil, nil
		}
		vals = append(vals, v)
	}
	if _, err := dec.Token(); err != nil { // the closing delimiter
		return nil, nil
	}
	if _, err := dec.Token(); err != io.EOF { // and nothing after it
		return nil, nil
	}
	if open == json.Delim('{') && keys == nil {
		keys = []string{}
	}
	return keys, vals
}

// Object returns the keys and values of the JSON object b, in order; a
// *TypeError when b is another value.
func Object(b []byte) (keys []string, vals []json.RawMessage, err error) {
	if kind := kindOf(b); kind != Kind("object") {
		return nil, nil, &TypeError{Want: "a mapping", Got: kind}
	}
	if keys, vals = children(b); keys == nil {
		return nil, nil, Decode(b, new(map[string]json.RawMessage)) // why it is not
	}
	return keys, vals, nil
}
