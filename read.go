package winsvc

import (
	"context"
	"fmt"
)

// Reading a configuration: the core settings with one QueryServiceConfig,
// then each config2 setting with its own QueryServiceConfig2, so that one
// the SCM cannot report does not keep the others from being read.

// readConfig opens service name with SERVICE_QUERY_CONFIG and reads its
// configuration: every setting when full is set, the core ones otherwise.
func (m *Manager) readConfig(ctx context.Context, op, name string, full bool) (*Config, error) {
	var c *Config
	err := m.withServiceConn(ctx, op, name, accessQueryConfig, func(conn scmConn, h serviceConn) (err error) {
		if full {
			c, err = readAll(ctx, conn, h, name)
			return err
		}
		if c, err = readCore(ctx, conn, h, name); err != nil {
			return err
		}
		c.markCoreOnly()
		// sc qc shows whether an automatic start is delayed. The flag is
		// read for every start type, so that a listing shows what Load
		// reads (the flag, or that it cannot be read).
		r, _ := settingFor(FieldDelayedAutoStart)
		return readConfig2(ctx, conn, h, c, []*setting{r})
	})
	return c, err
}

// readAll reads every setting of service name through h.
func readAll(ctx context.Context, conn scmConn, h serviceConn, name string) (*Config, error) {
	c, err := readCore(ctx, conn, h, name)
	if err != nil {
		return nil, err
	}
	return c, readConfig2(ctx, conn, h, c, config2Settings)
}

// reread reads into c again, through h, the core settings (when core is
// set) and the config2 settings of rows.
func reread(ctx context.Context, conn scmConn, h serviceConn, c *Config, core bool, rows []*setting) error {
	if core {
		now, err := readCore(ctx, conn, h, c.Name)
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
	return readConfig2(ctx, conn, h, c, rows)
}

// readCore reads the core settings. On an SCM that does not report
// dependencies, they are read from the registry instead; if that fails,
// they are unavailable.
func readCore(ctx context.Context, conn scmConn, h serviceConn, name string) (*Config, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := h.queryConfig()
	if err != nil {
		return nil, err
	}
	c.Name = name
	if conn.quirks().DependenciesUnreported {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		deps, _, err := registryDependencies(conn, name, regDependOnService, regDependOnGroup)
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

// readConfig2 reads each of rows into c, checking ctx between calls.
func readConfig2(ctx context.Context, conn scmConn, h serviceConn, c *Config, rows []*setting) error {
	for _, r := range rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		if st, ok := storedSettings[r.field]; ok {
			readStored(conn, c, r, st.read)
			continue
		}
		b, err := h.queryConfig2(r.level)
		switch {
		case err == nil:
			err = r.decodeInto(b, c)
		case unsetAnswers[r.field] != 0 && codeOf(err) == unsetAnswers[r.field]:
			r.put(c, r.zero)
			err = nil
		case registryValues[r.field].name != "" && isUnsupported(err):
			rv := registryValues[r.field]
			if v, rerr := serviceValues(conn, c.Name, rv.name); rerr == nil {
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
