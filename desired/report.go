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

// restartNote says that the settings fields of service name take effect
// at its next start, as Save's result says it.
func restartNote(name string, fields []winsvc.Field) string {
	return (&winsvc.SaveResult{Plan: winsvc.Plan{Service: name}, RestartNeeded: fields}).RestartNote()
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
