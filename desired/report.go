package desired

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/internal/valerr"
)

// What Plan and Result share to report: their text, and their failures.

// writeService writes one service's block: "verb name:" and its changes,
// each value as the document writes it (docValues), then note ("failed:
// ..."), if any; nothing for a service with neither.
func writeService(b *strings.Builder, name, verb string, changes []winsvc.Change, note string) {
	if len(changes) > 0 {
		fmt.Fprintf(b, "%s %s:\n", verb, name)
		for _, c := range changes {
			writeChange(b, c)
		}
	}
	if note != "" {
		fmt.Fprintf(b, "%s: %s\n", name, note)
	}
}

// writeChange writes c's line, or a line for each of its parts (a
// program block's change, field by field), each value as the document
// writes it.
func writeChange(b *strings.Builder, c winsvc.Change) {
	if len(c.Parts) > 0 {
		for _, p := range c.Parts {
			writeChange(b, p)
		}
		return
	}
	from, to := docValues(c)
	fmt.Fprintf(b, "  %-34s %s -> %s\n", c.Field, from, to)
}

// Warning is something an export or a plan found that fails nothing but
// needs the user's attention, about one setting of one service.
type Warning struct {
	Service string       `json:"service"`
	Field   winsvc.Field `json:"field"`
	Message string       `json:"message"`
}

func (w Warning) String() string { return w.Service + ": " + w.Message }

// unquotedWarning is the warning for service name's command line c when
// its program path is unquoted and has spaces, which a document keeps as
// the SCM holds it; nil otherwise.
func unquotedWarning(name string, c *winsvc.Config) []Warning {
	if c == nil || !c.Available(winsvc.FieldBinaryPath) || !c.UnquotedPath() {
		return nil
	}
	return []Warning{{Service: name, Field: winsvc.FieldBinaryPath,
		Message: "the program path is unquoted and contains spaces, so Windows could run another program in its place; " +
			"it is kept as the SCM holds it ('winsvc check' shows how to quote it)"}}
}

// secretEnvWarnings are the warnings for the secret variables of c's
// hosted program, whose values an export leaves out.
func secretEnvWarnings(c *winsvc.Config) []Warning {
	if c == nil || c.Program == nil {
		return nil
	}
	var out []Warning
	for _, name := range winsvc.SecretEnvNames(c.Program.Env) {
		out = append(out, Warning{Service: c.Name, Field: winsvc.FieldProgram,
			Message: fmt.Sprintf("environment variable %s holds a secret: its value is left out of the document, "+
				"which names it alone and so keeps the service's value when applied (write %s=VALUE to set another)",
				valerr.Shorten(name), valerr.Shorten(name))})
	}
	return out
}

// writeApart writes the changes of one service that are reported apart
// (not compared, not verified): "name: what:" and one line each; nothing
// when there are none.
func writeApart(b *strings.Builder, name, what string, changes []winsvc.Change) {
	if len(changes) == 0 {
		return
	}
	fmt.Fprintf(b, "%s: %s:\n", name, what)
	for _, c := range changes {
		fmt.Fprintf(b, "  %-34s %s -> %s\n", c.Field, c.From, c.To)
	}
}

// plural writes n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// nonNil is list, or an empty list for nil (JSON: [] rather than null).
func nonNil[E any](list []E) []E {
	if list == nil {
		return []E{}
	}
	return list
}

// restartNote says that the settings fields of service name take effect
// at its next start, as Save's result says it.
func restartNote(name string, fields []winsvc.Field) string {
	return (&winsvc.SaveResult{Plan: winsvc.Plan{Service: name}, RestartNeeded: fields}).RestartNote()
}

// failedNote is the note of a service that failed with err, if it did.
// The block it ends names the service already: an error of the library
// about that service is shown without "winsvc:" and the name, as "failed:
// OP: why".
func failedNote(service string, err error) string {
	if err == nil {
		return ""
	}
	var we *winsvc.Error
	if errors.As(err, &we) && we.Service == service && we.Err != nil && err.Error() == we.Error() {
		msg := we.Op + ": " + we.Err.Error()
		if h := we.Hint(); h != "" {
			msg += " (" + h + ")"
		}
		return "failed: " + msg
	}
	return "failed: " + err.Error()
}

// joinFailures joins the errors of failures; nil when there are none.
func joinFailures(fs []Failure) error {
	errs := make([]error, len(fs))
	for i, f := range fs {
		errs[i] = f.Err
	}
	return errors.Join(errs...)
}

// errText is err's message, "" for none.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// docValues renders a change's old and new values as a document writes
// them, so that a plan reads in the document's units and words
// (preshutdownTimeout 180000, not 3m0s; state running): a setting's JSON
// value in YAML's flow style, a run state as its word (absent for a
// service that is not installed, or is deleted). A value the change does
// not carry (nothing before a creation, a default) or hides (a password)
// keeps the change's text.
func docValues(c winsvc.Change) (from, to string) {
	if c.Field == FieldState {
		return stateWord(c.Old), stateWord(c.New)
	}
	from, to = c.From, c.To
	if c.Field == winsvc.FieldPassword {
		return from, to
	}
	b, err := json.Marshal(c) // old and new as Config's JSON gives the setting
	var j struct{ Old, New json.RawMessage }
	if err != nil || json.Unmarshal(b, &j) != nil {
		return from, to
	}
	if c.Old != nil {
		from = flowYAML(j.Old, from)
	}
	if c.New != nil {
		to = flowYAML(j.New, to)
	}
	return from, to
}

// flowYAML writes a JSON value as YAML on one line; text when it cannot.
func flowYAML(value json.RawMessage, text string) string {
	n, err := jsonNode(value)
	if err != nil {
		return text
	}
	flow(n)
	out, err := yaml.Marshal(n)
	if err != nil {
		return text
	}
	return strings.TrimSuffix(string(out), "\n")
}

// flow puts n and every node in it in YAML's flow style.
func flow(n *yaml.Node) {
	n.Style |= yaml.FlowStyle
	for _, c := range n.Content {
		flow(c)
	}
}

// stateWord is a run state as a document writes it: running, stopped,
// paused; absent for no service (nil); a state no document asks for, such
// as START_PENDING, as start-pending.
func stateWord(v any) string {
	st, ok := v.(winsvc.State)
	if !ok {
		return Absent.String()
	}
	if s := runState(st); s != Any && strings.EqualFold(st.String(), s.String()) {
		return s.String()
	}
	return strings.ReplaceAll(strings.ToLower(st.String()), "_", "-")
}
