package cli

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
)

// hintErrors are the errors a verb may end with for which a hint is given,
// each as the library returns it (op is filled in with the verb's).
func hintErrors(op string) []error {
	coded := func(code winsvc.Errno) error {
		return &winsvc.Error{Op: op, Service: "S", Code: code, Err: code}
	}
	wait := func(cause error) error {
		return &winsvc.Error{Op: op, Service: "S", Err: &winsvc.WaitError{Want: winsvc.Running, Err: cause}}
	}
	return []error{
		coded(winsvc.ErrNotFound), coded(winsvc.ErrAlreadyRunning), coded(winsvc.ErrNotActive),
		coded(winsvc.ErrDependentServicesRunning), coded(winsvc.ErrDisabled), coded(winsvc.ErrCannotAcceptControl),
		coded(winsvc.ErrExists), coded(winsvc.ErrDuplicateDisplayName), coded(winsvc.ErrRequestTimeout),
		coded(winsvc.ErrMarkedForDelete), coded(winsvc.ErrAccessDenied), coded(1067),
		wait(fmt.Errorf("%w: %w", winsvc.ErrWaitTimeout, context.DeadlineExceeded)), wait(winsvc.ErrStalled), wait(winsvc.ErrProcessExited),
	}
}

var (
	hintCommand = regexp.MustCompile(`'winsvc ([A-Za-z]+)([^']*)'`)
	hintOption  = regexp.MustCompile(`(?:^|[ (])(--[a-z-]+)`)
	scOption    = regexp.MustCompile(`([A-Za-z]+=)`)
)

// TestHintsNameWhatCanBeRun: every hint printed for every verb names only
// what the user can run. An option named on its own (--timeout) is one of
// the verb's; a command ('winsvc stop S --with-dependents') is a verb with
// options it has. A hint that suggested "stop with dependents" to delete,
// or "raise --timeout" for the SCM's own timeout, fails here.
func TestHintsNameWhatCanBeRun(t *testing.T) {
	has := func(cmd *command, name string) bool {
		return slices.ContainsFunc(cmd.options, func(o *option) bool {
			return "--"+o.name == name || (o.sc && strings.EqualFold(o.name+"=", name))
		})
	}
	for _, cmd := range sortedCommands() {
		for _, err := range hintErrors(cmd.name) {
			code, _ := classify(err)
			h := hint(cmd, cmd.name, "S", err, code)
			commands := hintCommand.FindAllStringSubmatch(h, -1)
			rest := hintCommand.ReplaceAllString(h, "")
			for _, o := range hintOption.FindAllStringSubmatch(rest, -1) {
				if !has(cmd, o[1]) {
					t.Errorf("%s, code %d: hint %q names %s, which %s does not have", cmd.name, code, h, o[1], cmd.name)
				}
			}
			for _, c := range commands {
				other := lookup(c[1])
				if other == nil {
					t.Errorf("%s, code %d: hint %q names 'winsvc %s', which is no verb", cmd.name, code, h, c[1])
					continue
				}
				for _, o := range append(hintOption.FindAllStringSubmatch(c[2], -1), scOption.FindAllStringSubmatch(c[2], -1)...) {
					if !has(other, o[1]) {
						t.Errorf("%s, code %d: hint %q runs %s with %s, which it does not have", cmd.name, code, h, c[1], o[1])
					}
				}
			}
		}
	}
}

// TestHintsForTheVerb pins the hints that depend on the verb.
func TestHintsForTheVerb(t *testing.T) {
	timeout := &winsvc.Error{Op: "start", Service: "S", Err: &winsvc.WaitError{Want: winsvc.Running,
		Err: fmt.Errorf("%w: %w", winsvc.ErrWaitTimeout, context.DeadlineExceeded)}}
	for _, tt := range []struct {
		verb string
		err  error
		want string // "" when the hint must not contain notWant
		not  string
	}{
		{"delete", &winsvc.Error{Op: "delete", Service: "S", Code: winsvc.ErrDependentServicesRunning}, "'winsvc stop S --with-dependents', then run 'winsvc delete' again", ""},
		{"stop", &winsvc.Error{Op: "stop", Service: "S", Code: winsvc.ErrDependentServicesRunning}, "add --with-dependents", ""},
		{"stop", &winsvc.Error{Op: "stop", Service: "S", Code: winsvc.ErrNotActive}, "--ensure accepts a stopped service", ""},
		{"pause", &winsvc.Error{Op: "pause", Service: "S", Code: winsvc.ErrNotActive}, "'winsvc start S'", "--ensure"},
		{"control", &winsvc.Error{Op: "stop", Service: "S", Code: winsvc.ErrNotActive}, "'winsvc start S'", "--ensure"},
		{"start", timeout, "raise --timeout", ""},
		{"start", &winsvc.Error{Op: "start", Service: "S", Code: winsvc.ErrRequestTimeout}, "which --timeout does not change", "raise --timeout"},
		{"start", &winsvc.Error{Op: "start", Service: "S", Code: 1067, Err: winsvc.ErrProcessExited}, "its process ended", "--timeout"},
		{"start", &winsvc.Error{Op: "start", Service: "S", Err: &winsvc.WaitError{Want: winsvc.Running, Err: winsvc.ErrStalled}}, "checkpoint", "--timeout"},
	} {
		code, _ := classify(tt.err)
		h := hint(lookup(tt.verb), tt.verb, "S", tt.err, code)
		if !strings.Contains(h, tt.want) || (tt.not != "" && strings.Contains(h, tt.not)) {
			t.Errorf("%s: %v: hint %q; want it to say %q and not %q", tt.verb, tt.err, h, tt.want, tt.not)
		}
	}
}
