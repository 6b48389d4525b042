package cli

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/winsvc/winsvc"
)

// delayedUnreported stands for an SCM that cannot report the delayed
// auto-start flag (Wine's: info level 3 is ERROR_INVALID_LEVEL).
func delayedUnreported(conn SCM) SCM { return noDelayedConn{conn} }

type noDelayedConn struct{ SCM }

func (n noDelayedConn) CoreConfig(ctx context.Context, name string) (*winsvc.Config, error) {
	return noDelayed(n.SCM.CoreConfig(ctx, name))
}

func (n noDelayedConn) Configs(ctx context.Context, names []string, o winsvc.ConfigsOptions) []winsvc.ConfigResult {
	return changedConfigs(n.SCM.Configs(ctx, names, o), func(_ string, c *winsvc.Config, err error) (*winsvc.Config, error) { return noDelayed(c, err) })
}

// noDelayed is c read from an SCM that cannot report the delayed flag.
func noDelayed(c *winsvc.Config, err error) (*winsvc.Config, error) {
	if err == nil {
		c.DelayedAutoStart = false
		if c.Unavailable == nil {
			c.Unavailable = map[winsvc.Field]error{}
		}
		c.Unavailable[winsvc.FieldDelayedAutoStart] = winsvc.ErrInvalidLevel
	}
	return c, err
}

// changedConfigs is what a fake's Configs returns: the results rs of the
// connection it wraps, each changed by change as its CoreConfig changes
// one.
func changedConfigs(rs []winsvc.ConfigResult, change func(name string, c *winsvc.Config, err error) (*winsvc.Config, error)) []winsvc.ConfigResult {
	for i := range rs {
		rs[i].Config, rs[i].Err = change(rs[i].Name, rs[i].Config, rs[i].Err)
	}
	return rs
}

// TestListAgreesWithGet: for every service, list --json's start type and
// delayed flag are get --json's, value for value.
func TestListAgreesWithGet(t *testing.T) {
	_, _, stdout, _ := runFake(t, runCase{args: []string{"list", "--json"}})
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil || len(rows) != len(fakeServices) {
		t.Fatalf("list --json: %d rows, %v\n%s", len(rows), err, stdout)
	}
	for _, row := range rows {
		var name string
		json.Unmarshal(row["name"], &name)
		_, code, stdout, _ := runFake(t, runCase{args: []string{"get", name, "--json"}})
		var g struct{ Config map[string]json.RawMessage }
		if err := json.Unmarshal([]byte(stdout), &g); err != nil || code != 0 {
			t.Fatalf("get %s --json: exit %d, %v", name, code, err)
		}
		for _, f := range []string{"startType", "delayedAutoStart"} {
			if l, c := string(row[f]), string(g.Config[f]); l != c {
				t.Errorf("%s: list --json says %s: %s, get --json %s", name, f, l, c)
			}
		}
	}
}
