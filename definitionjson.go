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

// MarshalJSON writes the name and every setting d sets; a secret variable
// of the program's environment by its name alone, which keeps the value
// the service has when the document is applied (SecretEnvName).
func (d Definition) MarshalJSON() ([]byte, error) {
	if d.BinaryPath == "" && d.Args != nil {
		return nil, invalid("args", d.Args, "new arguments alone have no JSON form; set BinaryPath too, or CommandLine")
	}
	var b bytes.Buffer
	name, _ := json.Marshal(d.Name)
	b.WriteString(`{"name":`)
	b.Write(name)
	// A command line is written as it is given: it is normalized where it
	// is applied (base holds it, so that commandLineOf keeps it).
	base := &Config{BinaryPathName: d.CommandLine}
	for i := range settings {
		r := &settings[i]
		v, ok := r.defGet(&d, base)
		if !ok {
			continue
		}
		enc, err := json.Marshal(r.json(documentForm(r, v)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.field, err)
		}
		fmt.Fprintf(&b, `,%q:`, r.field)
		b.Write(enc)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// maxErrors bounds how many problems UnmarshalJSON reports.
const maxErrors = 20

// UnmarshalJSON reads the form MarshalJSON writes. It refuses JSON beyond
// the limits of a document (README.md, "Desired state"), and reports
// every key that names no setting and every value a setting cannot take
// (up to 20), each a *ValidationError naming the field (with its path,
// "failureActions.actions[1].delay") in the document's words: what the
// field takes and what it got. Several are joined with errors.Join. null
// or "" for startType, errorControl, sidType or launchProtected leaves it
// unset, as an absent key does.
func (d *Definition) UnmarshalJSON(b []byte) error {
	if err := strictjson.Bounds(b); err != nil {
		return err
	}
	keys, vals, err := strictjson.Object(b)
	if err != nil {
		return err
	}
	raw := make(map[string]json.RawMessage, len(keys))
	var errs []error
	for i, k := range keys {
		switch _, dup := raw[k]; {
		case dup:
			errs = append(errs, &ValidationError{Field: k, Reason: "given twice"})
		case !slices.Contains(definitionKeys(), k):
			errs = append(errs, &ValidationError{Field: k, Reason: "unknown key: not a setting of a service", Allowed: definitionKeys()})
		}
		raw[k] = vals[i]
	}
	*d = Definition{}
	if v, ok := raw["name"]; ok {
		if err := strictjson.Decode(v, &d.Name); err != nil {
			errs = append(errs, fieldError("name", "", err))
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
			errs = append(errs, fieldError(string(r.field), r.words, err))
			continue
		}
		r.defSet(d, val)
	}
	if len(errs) > maxErrors {
		errs = append(errs[:maxErrors], fmt.Errorf("and %d more", len(errs)-maxErrors))
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// fieldError is the *ValidationError of a value of field that did not
// decode: a value of the wrong kind says what field takes (words, when
// its Go type says it poorly) and what it got.
func fieldError(field, words string, err error) error {
	var te *strictjson.TypeError
	if words != "" && errors.As(err, &te) && te.Path == "" {
		te.Want, te.Allowed = words, nil
	}
	err = strictjson.Invalid(field, err)
	if ve := (*ValidationError)(nil); errors.As(err, &ve) {
		return err
	}
	return invalid(field, nil, err.Error())
}

// definitionKeys are the keys of a Definition's JSON.
func definitionKeys() []string { return append([]string{"name"}, fieldNames()...) }

// blank reports whether b, a JSON value, is null or a string of blanks.
func blank(b []byte) bool {
	var s *string
	return json.Unmarshal(b, &s) == nil && (s == nil || strings.TrimSpace(*s) == "")
}
