package winsvc

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/winsvc/winsvc/host"
)

// A plan shows a change of the program block field by field
// (Change.Parts): program.path, program.args[1], program.environment.PORT,
// program.rotate.bytes, ... each with its old and new value, a secret
// environment value as "(hidden)". The change itself stays one step, as the
// block is written at once (programreg.go).

// noValue is how a part shows a field that is not set.
const noValue = "(none)"

// programParts lists what differs between old and new, field by field; nil
// for a block the host does not run on either side.
func programParts(old, new *host.Program) []Change {
	if old == nil && new == nil {
		return nil
	}
	var a, b host.Program
	if old != nil {
		a = *old
	}
	if new != nil {
		b = *new
	}
	var parts []Change
	f := func(sub string) Field { return Field(string(FieldProgram) + "." + sub) }
	part := func(field Field, from, to any) {
		c := Change{Field: field, From: noValue, To: noValue}
		if from != nil {
			c.Old, c.From = from, render(from)
		}
		if to != nil {
			c.New, c.To = to, render(to)
		}
		parts = append(parts, c)
	}
	str := func(sub, x, y string) {
		if x != y {
			part(f(sub), orNil(x, x != ""), orNil(y, y != ""))
		}
	}
	ms := func(sub string, x, y time.Duration) {
		if x != y {
			part(f(sub), orNil(any(x), x != 0), orNil(any(y), y != 0))
		}
	}
	str("path", a.Path, b.Path)
	for i := range max(len(a.Args), len(b.Args)) {
		x, okx := at(a.Args, i)
		y, oky := at(b.Args, i)
		if x != y || okx != oky {
			part(f(fmt.Sprintf("args[%d]", i)), orNil(x, okx), orNil(y, oky))
		}
	}
	str("workingDirectory", a.Dir, b.Dir)
	envParts(&parts, f("environment"), a.Env, b.Env)
	str("stdout", a.Stdout, b.Stdout)
	str("stderr", a.Stderr, b.Stderr)
	if x, y := a.Rotate.Bytes, b.Rotate.Bytes; x != y {
		part(f("rotate.bytes"), orNil(any(x), x != 0), orNil(any(y), y != 0))
	}
	ms("rotate.age", a.Rotate.Age, b.Rotate.Age)
	if x, y := a.Rotate.Keep, b.Rotate.Keep; x != y {
		part(f("rotate.keep"), orNil(any(x), x != 0), orNil(any(y), y != 0))
	}
	str("restart.when", string(a.Restart.When), string(b.Restart.When))
	if x, y := a.Restart.SuccessCodes, b.Restart.SuccessCodes; !slices.Equal(x, y) {
		part(f("restart.successCodes"), orNil(any(x), x != nil), orNil(any(y), y != nil))
	}
	ms("restart.delay", a.Restart.Delay, b.Restart.Delay)
	ms("restart.maxDelay", a.Restart.MaxDelay, b.Restart.MaxDelay)
	ms("restart.throttle", a.Restart.Throttle, b.Restart.Throttle)
	ms("restart.resetAfter", a.Restart.ResetAfter, b.Restart.ResetAfter)
	str("log", a.Log, b.Log)
	ms("stopTimeout", a.StopTimeout, b.StopTimeout)
	return parts
}

// envParts appends a part per variable added, removed or changed between
// old and new (by name, without case, as Windows compares them), in the
// order of new then of the removed ones; a secret value is "(hidden)".
func envParts(parts *[]Change, field Field, old, new []string) {
	value := func(env []string, name string) (string, bool) {
		for _, e := range env {
			if n, v, _ := strings.Cut(e, "="); strings.EqualFold(n, name) {
				return v, true
			}
		}
		return "", false
	}
	add := func(name string, x string, okx bool, y string, oky bool) {
		c := Change{Field: Field(string(field) + "." + name), From: noValue, To: noValue}
		show := func(v string) (any, string) {
			if SecretEnvName(name) {
				return HiddenValue, HiddenValue
			}
			return v, render(v)
		}
		if okx {
			c.Old, c.From = show(x)
		}
		if oky {
			c.New, c.To = show(y)
		}
		*parts = append(*parts, c)
	}
	for _, e := range new {
		name, y, _ := strings.Cut(e, "=")
		if x, ok := value(old, name); !ok || x != y {
			add(name, x, ok, y, true)
		}
	}
	for _, e := range old {
		name, x, _ := strings.Cut(e, "=")
		if _, ok := value(new, name); !ok {
			add(name, x, true, "", false)
		}
	}
}

func at(l []string, i int) (string, bool) {
	if i < len(l) {
		return l[i], true
	}
	return "", false
}

// orNil is v when set, nil (not set) otherwise.
func orNil(v any, set bool) any {
	if !set {
		return nil
	}
	return v
}
