package desired

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/limits"
)

// Document is a desired state: services and how each should be. Its text
// form is YAML or JSON (Parse reads both; MarshalJSON and YAML write them).
type Document struct {
	Services []Service
}

// Service is one service of a document: its settings, and what the
// document asks beyond them. Settings the Definition leaves unset, and a
// nil SecurityDescriptor, are left as they are; a service that does not
// exist is created with winsvc's defaults for them.
type Service struct {
	// Definition holds the name and the settings, written with the names
	// and value forms of `winsvc get --json` (winsvc.Definition's JSON).
	Definition winsvc.Definition
	State      State
	// SecurityDescriptor is the service's DACL in SDDL ("D:(A;;...)"), as
	// `winsvc sdshow` prints it. Only the DACL is managed.
	SecurityDescriptor *string
	// Password names where the account's password comes from, and
	// UpdatePassword when it is set.
	Password       *PasswordRef
	UpdatePassword UpdatePassword
	// Timeout bounds each wait of this service's run-state change or
	// deletion; 0 takes ApplyOptions.Timeout.
	Timeout time.Duration

	src *source // where the entry was read, for errors; nil when built in memory
}

// Name returns the service's key name.
func (s Service) Name() string { return s.Definition.Name }

// The keys of a service's entry beyond the settings.
const (
	keyServices       = "services"
	keyName           = "name"
	keyState          = "state"
	keySecurity       = string(winsvc.FieldSecurityDescriptor)
	keyPassword       = string(winsvc.FieldPassword)
	keyUpdatePassword = "updatePassword"
	keyTimeout        = "timeout"
)

// ReadFile reads and parses the document in file (YAML or JSON). A file
// larger than a document may be (16 MiB) is refused after reading at most
// that much of it.
func ReadFile(file string) (*Document, error) {
	b, err := limits.ReadFile(file, limits.FileSize)
	if err != nil {
		return nil, err
	}
	return Parse(file, b)
}

// MarshalJSON writes {"services": [...]}, each service's keys in the order
// name, state, its settings, securityDescriptor, password, updatePassword,
// timeout, leaving out what is not set.
func (d Document) MarshalJSON() ([]byte, error) {
	services := d.Services
	if services == nil {
		services = []Service{}
	}
	return json.Marshal(struct {
		Services []Service `json:"services"`
	}{services})
}

// UnmarshalJSON reads a document as Parse does.
func (d *Document) UnmarshalJSON(b []byte) error {
	doc, err := Parse("", b)
	if err != nil {
		return err
	}
	*d = *doc
	return nil
}

// YAML writes the document in YAML: the keys and values of its JSON form.
func (d Document) YAML() ([]byte, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	n, err := jsonNode(b)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	enc := newYAMLEncoder(&out)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	return out.Bytes(), enc.Close()
}

// MarshalJSON writes the service's entry (see Document.MarshalJSON).
func (s Service) MarshalJSON() ([]byte, error) {
	def, err := json.Marshal(s.Definition)
	if err != nil {
		return nil, err
	}
	settings, err := members(def)
	if err != nil {
		return nil, err
	}
	out := settings[:1:1] // the name
	add := func(key string, v any) {
		if b, err2 := json.Marshal(v); err2 == nil {
			out = append(out, member{key, b})
		} else if err == nil {
			err = err2
		}
	}
	if s.State != Any {
		add(keyState, s.State)
	}
	out = append(out, settings[1:]...)
	if s.SecurityDescriptor != nil {
		add(keySecurity, *s.SecurityDescriptor)
	}
	if s.Password != nil {
		add(keyPassword, s.Password)
	}
	if s.UpdatePassword != OnCreate {
		add(keyUpdatePassword, s.UpdatePassword)
	}
	if s.Timeout != 0 {
		add(keyTimeout, s.Timeout.String())
	}
	if err != nil {
		return nil, err
	}
	return marshalMembers(out), nil
}
