package desired

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/limits"
	"github.com/winsvc/winsvc/internal/strictjson"
	"github.com/winsvc/winsvc/internal/valerr"
)

// maxErrors bounds how many errors Parse reports.
const maxErrors = 20

// Parse reads a document in YAML or JSON (which YAML reads too); file
// names it in errors ("" for none). It refuses, with an *Error naming the
// file, line and column, service and field, in the document's words (what
// the field takes, the allowed values, what it got): a key that is not a
// document's, a service's or a setting's, at any level; a value a key
// cannot take; a service without a name or given twice; a password written
// where a reference belongs; a document beyond the limits (README.md,
// "Desired state": 16 MiB, 10,000 services, 1,000,000 values counting
// those an alias repeats, 64 levels of nesting, 1 MiB for a text), which
// it checks before the work each protects. Every problem is reported (up
// to 20, joined with errors.Join), not only the first.
func Parse(file string, data []byte) (*Document, error) {
	if len(data) > limits.FileSize {
		return nil, &Error{File: file, Err: limits.Beyond("the document is larger than", limits.Size(limits.FileSize))}
	}
	if structureCount(data) > limits.Values {
		return nil, &Error{File: file, Err: limits.Beyond("the document holds more than",
			fmt.Sprintf("%d values (counting its structure characters: - : , [ { ? * &)", limits.Values))}
	}
	list, err := servicesNode(file, data)
	if err != nil {
		return nil, err
	}
	if len(list) > limits.Services {
		n := list[limits.Services]
		return nil, &Error{File: file, Line: n.Line, Column: n.Column,
			Err: limits.Beyond("the document lists more than", fmt.Sprintf("%d services", limits.Services))}
	}
	doc := &Document{Services: []Service{}}
	var errs []error
	lines := map[string]int{} // lower-case name -> line
	for _, item := range list {
		svc, bad := parseService(file, item)
		key := strings.ToLower(svc.Name())
		if first, dup := lines[key]; dup && key != "" {
			bad = append(bad, &Error{File: file, Line: item.Line, Service: svc.Name(), Field: keyName,
				Err: invalid(keyName, svc.Name(), fmt.Sprintf("the service is given twice (also at line %d); names are case-insensitive", first))})
		}
		lines[key] = item.Line
		errs = append(errs, bad...)
		doc.Services = append(doc.Services, svc)
	}
	if len(errs) > maxErrors {
		errs = append(errs[:maxErrors], fmt.Errorf("%s: and %d more errors", valerr.Shorten(file), len(errs)-maxErrors))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return doc, nil
}

// servicesNode decodes the YAML and returns the entries of its services
// list.
func servicesNode(file string, data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root, more yaml.Node
	docErr := func(line int, reason string) error {
		return &Error{File: file, Line: line, Err: errors.New(reason)}
	}
	switch err := dec.Decode(&root); {
	case errors.Is(err, io.EOF):
		return nil, docErr(0, "the document is empty: it lists the services under services:")
	case err != nil:
		return nil, syntaxError(file, err)
	}
	if err := checkTree(file, &root); err != nil {
		return nil, err
	}
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, docErr(more.Line, "more than one YAML document: put every service in one services: list")
	}
	top := deref(root.Content[0])
	if top.Kind != yaml.MappingNode {
		return nil, docErr(top.Line, "a document is a mapping whose key services: lists the services")
	}
	var list *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], deref(top.Content[i+1])
		switch {
		case k.Value != keyServices:
			return nil, &Error{File: file, Line: k.Line, Column: k.Column, Field: k.Value, Err: unknownKey(k.Value, "a document", keyServices)}
		case list != nil:
			return nil, docErr(k.Line, "services: given twice")
		}
		list = v
	}
	switch {
	case list == nil:
		return nil, docErr(top.Line, "no services: key")
	case list.Kind == yaml.ScalarNode && list.Tag == "!!null":
		return nil, nil
	case list.Kind != yaml.SequenceNode:
		return nil, docErr(list.Line, "services: must be a list of services, each a mapping that starts with name:")
	}
	return list.Content, nil
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// syntaxError is a YAML (or JSON) syntax error as an *Error with its line.
func syntaxError(file string, err error) error {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = "syntax error: " + msg[len(m[0]):]
	}
	return &Error{File: file, Line: line, Err: errors.New(valerr.Shorten(msg))}
}

func deref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n.Alias
	}
	return n
}

// parseService reads one entry of the services list, and returns every
// problem found in it.
func parseService(file string, item *yaml.Node) (Service, []error) {
	item = deref(item)
	src := newSource(file, item)
	svc := Service{src: src}
	if item.Kind != yaml.MappingNode {
		return svc, []error{src.errorAt(item, "", "each service is a mapping that starts with name:")}
	}
	for i := len(item.Content) - 2; i >= 0; i -= 2 { // the first name, if given twice
		if item.Content[i].Value == keyName {
			svc.Definition.Name = deref(item.Content[i+1]).Value
		}
	}
	var errs []error
	fail := func(field string, err error) {
		var e *Error
		if !errors.As(err, &e) {
			err = src.errorFor(svc.Name(), field, err)
		} else if e.Service == "" {
			e.Service = svc.Name()
		}
		errs = append(errs, err)
	}
	if svc.Name() == "" {
		fail(keyName, invalid(keyName, nil, "every service needs a name: its key name"))
	}
	settings := []member{}
	seen := map[string]int{}
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], deref(item.Content[i+1])
		if line, dup := seen[k.Value]; dup {
			fail(k.Value, src.errorAt(k, k.Value, fmt.Sprintf("given twice (also at line %d)", line)))
			continue
		}
		seen[k.Value] = k.Line
		src.at[k.Value] = place{k, v}
		var err error
		switch k.Value {
		case keyState:
			err = decodeText(v, &svc.State)
		case keyUpdatePassword:
			err = decodeText(v, &svc.UpdatePassword)
		case keySecurity:
			svc.SecurityDescriptor, err = securityDescriptor(v)
		case keyPassword:
			svc.Password, err = passwordRef(src, v)
		case keyTimeout:
			svc.Timeout, err = timeout(v)
		default:
			if !slices.Contains(settingKeys(), k.Value) {
				err = &Error{File: file, Line: k.Line, Column: k.Column, Field: k.Value, Err: unknownKey(k.Value, "a service", allowedKeys()...)}
				break
			}
			var b bytes.Buffer
			if err = src.nodeJSON(&b, v, k.Value); err == nil {
				settings = append(settings, member{k.Value, b.Bytes()})
			}
		}
		if err != nil {
			fail(k.Value, err)
		}
	}
	var def winsvc.Definition
	err := def.UnmarshalJSON(marshalMembers(settings))
	if err == nil {
		err = def.Validate()
	}
	if err == nil {
		svc.Definition = def
		return svc, errs
	}
	// Something is wrong: each setting on its own says what, at its place
	// (when none does, the problem is across settings).
	found := svc.Name() == "" // the missing name, reported above
	for _, m := range settings {
		if m.key == keyName && svc.Name() == "" {
			continue // reported above
		}
		for _, e := range unjoin(checkSetting(m.key, m.value)) {
			fail(m.key, e)
			found = true
		}
	}
	if !found {
		fail("", err)
	}
	return svc, errs
}

// checkSetting decodes and validates the setting key on its own, so that
// every bad setting of an entry is reported, each at its place, not only
// the first.
func checkSetting(key string, value []byte) error {
	var d winsvc.Definition
	if err := d.UnmarshalJSON(marshalMembers([]member{{key, value}})); err != nil {
		return err
	}
	if key != keyName {
		d.Name = "x" // the name is checked as a setting of its own
	}
	return d.Validate()
}

// unjoin returns the errors err joins (errors.Join), or err alone.
func unjoin(err error) []error {
	if many, ok := err.(interface{ Unwrap() []error }); ok {
		return many.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// unknownKey is the error for a key that is not one of allowed, the keys
// of what.
func unknownKey(key, what string, allowed ...string) error {
	return invalid("key", key, "is not a key of "+what, allowed...)
}

// settingKeys are the keys winsvc.Definition's JSON takes: the name and
// every setting.
func settingKeys() []string {
	keys := []string{keyName}
	for _, f := range winsvc.Fields() {
		keys = append(keys, string(f))
	}
	return keys
}

// allowedKeys are the keys of a service's entry.
func allowedKeys() []string {
	return append(settingKeys(), keyState, keySecurity, keyPassword, keyUpdatePassword, keyTimeout)
}

// text returns a scalar's text, refusing other nodes.
func text(n *yaml.Node, field string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", invalid(field, n.Value, "must be a text")
	}
	return n.Value, nil
}

// decodeText reads a scalar into v with its UnmarshalText; another node
// is refused as a value none of v's words spells.
func decodeText(n *yaml.Node, v encoding.TextUnmarshaler) error {
	s, err := text(n, "")
	if err != nil {
		s = "(" + strings.TrimPrefix(n.ShortTag(), "!!") + ")"
	}
	return v.UnmarshalText([]byte(s))
}

func securityDescriptor(n *yaml.Node) (*string, error) {
	s, err := text(n, keySecurity)
	if err != nil {
		return nil, err
	}
	return &s, checkDACL(s)
}

func timeout(n *yaml.Node) (time.Duration, error) {
	s, err := text(n, keyTimeout)
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, invalid(keyTimeout, s, "a Go duration such as 30s, 2m or 1m30s")
	}
	return d, nil
}

// passwordRef reads a password reference; a password written in the
// document is refused without being repeated.
func passwordRef(src *source, n *yaml.Node) (*PasswordRef, error) {
	if n.Kind != yaml.MappingNode {
		return nil, invalidHidden(keyPassword, "a document never holds a password; write where it comes from: {env: NAME}, {file: PATH} or {stdin: true}")
	}
	var b bytes.Buffer
	if err := src.nodeJSON(&b, n, keyPassword); err != nil {
		return nil, err
	}
	var ref PasswordRef
	if err := strictjson.Decode(b.Bytes(), &ref); err != nil {
		// A *TypeError or a *KeyError shows no value; anything else is
		// not repeated.
		if ve := (*winsvc.ValidationError)(nil); errors.As(strictjson.Invalid(keyPassword, err), &ve) {
			return nil, ve
		}
		return nil, invalidHidden(keyPassword, "a reference to a password is {env: NAME}, {file: PATH} or {stdin: true}")
	}
	return &ref, ref.check()
}
