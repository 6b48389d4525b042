package winsvc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/winsvc/winsvc/internal/strictjson"
)

// A Definition's JSON form is a desired-state document's: the names and
// value forms of Config's JSON, for the settings the Definition sets
// ("binaryPathName" is the whole command line; "tagId": true asks for a
// tag). Both directions go through the setting table.

// MarshalJSON writes the name and every setting d sets.
func (d Definition) MarshalJSON() ([]byte, error) {
	if d.BinaryPath == "" && d.Args != nil {
		return nil, invalid("args", d.Args, "new arguments alone have no JSON form; set BinaryPath too, or CommandLine")
	}
	var b bytes.Buffer
	name, _ := json.Marshal(d.Name)
	b.WriteString(`{"name":`)
	b.Write(name)
	base := &Config{}
	for i := range settings {
		r := &settings[i]
		v, ok := r.defGet(&d, base)
		if !ok {
			continue
		}
		enc, err := json.Marshal(r.json(v))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.field, err)
		}
		fmt.Fprintf(&b, `,%q:`, r.field)
		b.Write(enc)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads the form MarshalJSON writes. A key that names no
// setting, and a value a setting cannot take, are errors (*ValidationError)
// naming the field. null or "" for startType, errorControl, sidType or
// launchProtected leaves it unset, as an absent key does.
func (d *Definition) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	keys := []string{"name"}
	for i := range settings {
		keys = append(keys, string(settings[i].field))
	}
	for k := range raw {
		if !slices.Contains(keys, k) {
			return invalid(k, "", "is not a setting of a service", keys...)
		}
	}
	*d = Definition{}
	if v, ok := raw["name"]; ok {
		if err := strictjson.Decode(v, &d.Name); err != nil {
			return invalid("name", string(v), err.Error())
		}
	}
	for i := range settings { // in table order: the tag reads the group
		r := &settings[i]
		v, ok := raw[string(r.field)]
		if !ok || (r.blankUnset && blank(v)) {
			continue
		}
		val, err := r.unjson(v)
		if err != nil {
			if ve := (*ValidationError)(nil); errors.As(err, &ve) {
				return err
			}
			return invalid(string(r.field), string(v), err.Error())
		}
		r.defSet(d, val)
	}
	return nil
}

// blank reports whether b, a JSON value, is null or a string of blanks.
func blank(b []byte) bool {
	var s *string
	return json.Unmarshal(b, &s) == nil && (s == nil || strings.TrimSpace(*s) == "")
}
