package winsvc

import (
	"context"
	"fmt"

	"github.com/winsvc/winsvc/internal/valerr"
)

// Service is a service entity: a configuration held in memory, loaded from
// the SCM by Manager.Load or built by Manager.New, changed with Update or
// Apply, and persisted with Save. It holds no OS handle between calls: each
// method opens the service with the least access it needs and closes it
// before returning. A Service is not safe for concurrent mutation.
type Service struct {
	m        *Manager
	name     string
	loaded   *Config        // as last read from the SCM; nil before the first Save of a new service
	cur      *Config        // the configuration Save will make true
	explicit map[Field]bool // the fields set on purpose (a Definition, Apply, Update): what Save writes
}

// Name returns the service's key name.
func (s *Service) Name() string { return s.name }

// Config returns a copy of the configuration as it will be after Save.
func (s *Service) Config() *Config { return s.cur.Clone() }

// Loaded returns a copy of the configuration as last read from the SCM, or
// nil if the service has not been read or saved yet.
func (s *Service) Loaded() *Config {
	if s.loaded == nil {
		return nil
	}
	return s.loaded.Clone()
}

// Update changes the in-memory configuration with fn; Save persists it. This
// is the equivalent of pywinservicemanager's UpdateConfiguration:
//
//	svc.Update(func(c *winsvc.Config) { c.StartType = winsvc.AutoStart })
func (s *Service) Update(fn func(c *Config)) {
	before := s.cur.Clone()
	fn(s.cur)
	s.cur.Name = s.name
	for _, r := range settings {
		// The tag is the SCM's: a Definition asks for one (RequestTag).
		if planRules[r.field] == nil && !r.equal(r.get(before), r.get(s.cur)) {
			s.markExplicit(r.field)
		}
	}
}

// Apply sets every field that def sets (see Definition) on the in-memory
// configuration; Save persists it. def.Name must be empty or the service's
// name.
func (s *Service) Apply(def Definition) error {
	if def.Name == "" {
		def.Name = s.name
	}
	if def.Name != s.name {
		return invalid("name", def.Name, fmt.Sprintf("Apply to service %s cannot rename it", valerr.Quote(s.name)))
	}
	if err := def.Validate(); err != nil {
		return err
	}
	for f := range def.applyTo(s.cur) {
		s.markExplicit(f)
	}
	return nil
}

func (s *Service) markExplicit(f Field) {
	if s.explicit == nil {
		s.explicit = map[Field]bool{}
	}
	s.explicit[f] = true
	delete(s.cur.Unavailable, f)
}

// Reload discards in-memory changes and reads the configuration again.
func (s *Service) Reload(ctx context.Context) error {
	c, err := s.m.readConfig(ctx, "load", s.name, true)
	if err != nil {
		return err
	}
	s.loaded, s.cur, s.explicit = c, c.Clone(), nil
	return nil
}
