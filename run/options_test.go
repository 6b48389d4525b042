package run

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc/internal/valerr"
)

// TestAcceptsFollowHooks: the accepted controls are derived from the options
// and hooks given, nothing else.
func TestAcceptsFollowHooks(t *testing.T) {
	param := func(context.Context) {}
	user := func(context.Context, uint32) {}
	for _, c := range []struct {
		name string
		o    Options
		want accepted
	}{
		{"zero", Options{}, acceptStop | acceptShutdown},
		{"preshutdown", Options{Shutdown: StopOnPreshutdown}, acceptStop | acceptShutdown | acceptPreshutdown},
		{"ignore shutdown", Options{Shutdown: IgnoreShutdown}, acceptStop},
		{"no stop", Options{NoStop: true}, acceptShutdown},
		{"pause and continue", Options{Pause: nop, Continue: nop}, acceptStop | acceptShutdown | acceptPauseContinue},
		{"paramchange", Options{ParamChange: param}, acceptStop | acceptShutdown | acceptParamChange},
		{"custom controls have no flag", Options{Control: user}, acceptStop | acceptShutdown},
		{"all", Options{Shutdown: StopOnPreshutdown, Pause: nop, Continue: nop, ParamChange: param, Control: user},
			acceptStop | acceptShutdown | acceptPreshutdown | acceptPauseContinue | acceptParamChange},
		{"wait options change nothing", Options{WaitReady: true, WaitHint: time.Minute}, acceptStop | acceptShutdown},
	} {
		if got := c.o.accepts(); got != c.want {
			t.Errorf("%s: accepts %#x, want %#x", c.name, uint32(got), uint32(c.want))
		}
	}
}

// TestInvalidOptions: each refusal names the field and what is allowed,
// and Service does not run the program.
func TestInvalidOptions(t *testing.T) {
	for _, c := range []struct {
		o     Options
		field string
		says  string
	}{
		{Options{WaitHint: -time.Second}, "Options.WaitHint", "up to 1193h2m47.295s"},
		{Options{WaitHint: 50 * 24 * time.Hour}, "Options.WaitHint", "out of range"},
		{Options{Shutdown: 3}, "Options.Shutdown", "StopOnShutdown, StopOnPreshutdown, IgnoreShutdown"},
		{Options{NoStop: true, Shutdown: IgnoreShutdown}, "Options.NoStop", "nothing could stop"},
		{Options{Pause: nop}, "Options.Continue", "both Pause and Continue"},
		{Options{Continue: nop}, "Options.Pause", "both Pause and Continue"},
	} {
		ran := false
		err := Service(func(context.Context) error { ran = true; return nil }, c.o)
		var ve *valerr.Error
		if !errors.As(err, &ve) || ve.Field != c.field || !strings.Contains(err.Error(), c.says) || ran {
			t.Errorf("Service with %+v = %v (program ran: %v); want a validation error of %s saying %q", c.o, err, ran, c.field, c.says)
		}
	}
	if err := Service(nil, Options{}); !errors.Is(err, valerr.ErrInvalid) || !strings.Contains(err.Error(), "program") {
		t.Errorf("Service(nil) = %v; want a validation error naming the program", err)
	}
}
