package winsvc

import (
	"slices"
	"strings"

	"github.com/winsvc/winsvc/host"
)

// The secrets of the hosted program's environment. Output shows the value
// of a variable named like a secret (SecretEnvName) as "(hidden)"
// (RedactEnv); a document never holds it: a Definition exported from a
// configuration, and a Definition's JSON, name the variable alone
// ("API_TOKEN"), and a name alone in a Definition keeps the value the
// service has (keepStoredEnv).

// documentForms turn a setting's value into the form a Definition (an
// export, a document) may hold.
var documentForms = map[Field]func(v any) any{
	FieldProgram: func(v any) any { return withoutSecrets(typed[*host.Program](v)) },
}

// documentForm is v, a value of the setting of row r, as a document holds
// it.
func documentForm(r *setting, v any) any {
	if f := documentForms[r.field]; f != nil {
		return f(v)
	}
	return v
}

// withoutSecrets is p with each secret variable of its environment named
// alone, without its value; p itself when it has none.
func withoutSecrets(p *host.Program) *host.Program {
	if p == nil || len(SecretEnvNames(p.Env)) == 0 {
		return p
	}
	n := cloneProgram(p)
	for i, e := range n.Env {
		if name, _, ok := strings.Cut(e, "="); ok && SecretEnvName(name) {
			n.Env[i] = name
		}
	}
	return n
}

// SecretEnvNames lists the variables of env ("NAME=VALUE" entries) whose
// value is a secret (SecretEnvName), in order: those that output shows
// as "(hidden)" and an export leaves without a value.
func SecretEnvNames(env []string) []string {
	var out []string
	for _, e := range env {
		if name, _, ok := strings.Cut(e, "="); ok && SecretEnvName(name) {
			out = append(out, name)
		}
	}
	return out
}

// keepStoredEnv is want with each variable named alone (no "=") given the
// value it has in have, the service's program (names compare without case,
// as Windows compares them); a name have lacks stays alone, which
// validation refuses. want itself when it names none alone.
func keepStoredEnv(want, have *host.Program) *host.Program {
	if !slices.ContainsFunc(want.Env, func(e string) bool { return !strings.Contains(e, "=") }) {
		return want
	}
	n := cloneProgram(want)
	for i, e := range n.Env {
		if strings.Contains(e, "=") || have == nil {
			continue
		}
		for _, h := range have.Env {
			if name, _, _ := strings.Cut(h, "="); strings.EqualFold(name, e) {
				n.Env[i] = h
				break
			}
		}
	}
	return n
}

// keptStandIn is a program whose environment gives an empty value to each
// variable want names alone: what Definition.Validate applies want onto,
// as the value kept is known only where the Definition is applied.
func keptStandIn(want *host.Program) *host.Program {
	if want == nil {
		return nil
	}
	var env []string
	for _, e := range want.Env {
		if !strings.Contains(e, "=") {
			env = append(env, e+"=")
		}
	}
	if env == nil {
		return nil
	}
	return &host.Program{Env: env}
}
