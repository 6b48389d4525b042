package desired

import (
	"errors"
	"fmt"
	"strings"

	"github.com/winsvc/winsvc"
)

// What Plan and Result share to report: their text, and their failures.

// writeService writes one service's block: "verb name:" and its changes,
// then note ("failed: ..."), if any; nothing for a service with neither.
func writeService(b *strings.Builder, name, verb string, changes []winsvc.Change, note string) {
	if len(changes) > 0 {
		fmt.Fprintf(b, "%s %s:\n", verb, name)
		for _, c := range changes {
			fmt.Fprintf(b, "  %-34s %s -> %s\n", c.Field, c.From, c.To)
		}
	}
	if note != "" {
		fmt.Fprintf(b, "%s: %s\n", name, note)
	}
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

// failedNote is the note of a service that failed with err, if it did.
func failedNote(err error) string {
	if err == nil {
		return ""
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
