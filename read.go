package winsvc

import (
	"context"
	"fmt"
	"sync"
)

// Reading a configuration: the core settings with one QueryServiceConfig,
// then each config2 setting with its own QueryServiceConfig2, so that one
// the SCM cannot report does not keep the others from being read.

// readConfig opens service name with SERVICE_QUERY_CONFIG and reads its
// configuration: every setting when full is set, the core ones otherwise.
func (m *Manager) readConfig(ctx context.Context, op, name string, full bool) (*Config, error) {
	var c *Config
	err := m.withServiceConn(ctx, op, name, accessQueryConfig, func(conn scmConn, h serviceConn) (err error) {
		rd := m.reader(ctx, conn, h)
		if full {
			c, err = rd.all(name)
			return err
		}
		if c, err = rd.core(name); err != nil {
			return err
		}
		c.markCoreOnly()
		if c.StartType != AutoStart {
			return nil
		}
		// sc qc shows whether an automatic start is delayed.
		r, _ := settingFor(FieldDelayedAutoStart)
		return rd.config2(c, []*setting{r})
	})
	return c, err
}

// configReader reads a service's configuration through one handle,
// checking ctx before each call.
type configReader struct {
	ctx    context.Context
	conn   scmConn
	h      serviceConn
	levels *levelMemory
}

func (m *Manager) reader(ctx context.Context, conn scmConn, h serviceConn) configReader {
	return configReader{ctx: ctx, conn: conn, h: h, levels: &m.levels}
}

// all reads every setting of service name.
func (rd configReader) all(name string) (*Config, error) {
	c, err := rd.core(name)
	if err != nil {
		return nil, err
	}
	return c, rd.config2(c, config2Settings)
}

// again reads into c again the core settings (when core is set) and the
// config2 settings of rows.
func (rd configReader) again(c *Config, core bool, rows []*setting) error {
	if core {
		now, err := rd.core(c.Name)
		if err != nil {
			return err
		}
		for _, r := range settings {
			if r.level == 0 {
				c.copyField(now, r.field)
			}
		}
		c.TagID = now.TagID
		if err, missing := now.Unavailable[FieldDependencies]; missing {
			c.markUnavailable(FieldDependencies, err)
		}
	}
	return rd.config2(c, rows)
}

// core reads the core settings. On an SCM that does not report
// dependencies, they are read from the registry instead; if that fails,
// they are unavailable.
func (rd configReader) core(name string) (*Config, error) {
	if err := rd.ctx.Err(); err != nil {
		return nil, err
	}
	c, err := rd.h.queryConfig()
	if err != nil {
		return nil, err
	}
	c.Name = name
	if rd.conn.quirks().dependenciesUnreported {
		if err := rd.ctx.Err(); err != nil {
			return nil, err
		}
		deps, _, err := registryDependencies(rd.conn, name, regDependOnService, regDependOnGroup)
		if err != nil {
			c.markUnavailable(FieldDependencies, fmt.Errorf("this SCM does not report dependencies and the registry could not be read: %w", named(err)))
		} else {
			c.Dependencies = deps
		}
	}
	if c.Dependencies == nil {
		c.Dependencies = []Dependency{}
	}
	return c, nil
}

// config2 reads each of rows into c. A level the SCM answered before as
// one it does not know is not asked for again.
func (rd configReader) config2(c *Config, rows []*setting) error {
	for _, r := range rows {
		if err := rd.ctx.Err(); err != nil {
			return err
		}
		err := rd.levels.unknownLevel(r.level)
		var b []byte
		if err == nil {
			b, err = rd.h.queryConfig2(r.level)
			rd.levels.note(r.level, err)
		}
		switch {
		case err == nil:
			err = r.decodeInto(b, c)
		case unsetAnswers[r.field] != 0 && codeOf(err) == unsetAnswers[r.field]:
			r.put(c, r.zero)
			err = nil
		case registryValues[r.field].name != "" && isUnsupported(err):
			rv := registryValues[r.field]
			if v, rerr := serviceValues(rd.conn, c.Name, rv.name); rerr == nil {
				r.put(c, rv.decode(v[rv.name]))
				err = nil
			}
		}
		if err != nil {
			c.markUnavailable(r.field, named(err))
			continue
		}
		delete(c.Unavailable, r.field)
	}
	return nil
}

// levelMemory remembers the config2 info levels the connected SCM does not
// know, with its answer to a query of them: ERROR_INVALID_LEVEL, or
// RPC_X_ENUM_VALUE_OUT_OF_RANGE (the level is outside the RPC interface).
// Those answers are the SCM's, the same for every service and for the
// connection's life, so a level is asked for once per connection (Wine's
// SCM knows 3 of the 11 levels a configuration has). Only queries are
// spared: an SCM may accept writes of a level it cannot report (Wine's,
// for failure actions).
type levelMemory struct {
	mu      sync.Mutex
	unknown map[uint32]error
}

// unknownLevel returns the SCM's answer for a level it does not know; nil for
// a level it may know.
func (lm *levelMemory) unknownLevel(level uint32) error {
	lm.mu.Lock()
	defer lm.mu.Unlock()
	return lm.unknown[level]
}

// note remembers err, the answer to a query of level, if it says that the
// SCM does not know the level.
func (lm *levelMemory) note(level uint32, err error) {
	if c := codeOf(err); c != ErrInvalidLevel && c != 1733 {
		return
	}
	lm.mu.Lock()
	defer lm.mu.Unlock()
	if lm.unknown == nil {
		lm.unknown = map[uint32]error{}
	}
	lm.unknown[level] = err
}

// The registry values in which the SCM keeps a service's dependencies and
// load-order group.
const (
	regDependOnService = "DependOnService"
	regDependOnGroup   = "DependOnGroup"
	regGroup           = "Group"
)

// registryDependencies reads service name's dependencies and group from its
// registry key, for an SCM that does not report dependencies: the values
// named (regDependOnService, regDependOnGroup, regGroup), each a registry
// read, so a caller names only what it uses.
func registryDependencies(c scmConn, name string, values ...string) ([]Dependency, string, error) {
	v, err := serviceValues(c, name, values...)
	if err != nil {
		return nil, "", err
	}
	deps := []Dependency{}
	for _, n := range utf16Strings(v[regDependOnService]) {
		deps = append(deps, ServiceDependency(n))
	}
	for _, g := range utf16Strings(v[regDependOnGroup]) {
		deps = append(deps, GroupDependency(g))
	}
	group := ""
	if g := utf16Strings(v[regGroup]); len(g) > 0 {
		group = g[0]
	}
	return deps, group, nil
}
