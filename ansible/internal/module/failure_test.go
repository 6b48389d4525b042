package module

import (
	"errors"
	"fmt"
	"testing"

	"github.com/winsvc/winsvc"
)

func TestFailureCodes(t *testing.T) {
	wait := func(cause error) error {
		return &winsvc.Error{Op: "start", Service: "S", Err: &winsvc.WaitError{Want: winsvc.Running, Err: cause}}
	}
	cases := []struct {
		err  error
		code any
	}{
		{wait(winsvc.ErrStalled), 1053},
		{wait(winsvc.ErrWaitTimeout), 1053},
		{wait(winsvc.ErrProcessExited), 1067},
		{&winsvc.Error{Op: "open", Service: "S", Code: winsvc.ErrAccessDenied, Err: winsvc.ErrAccessDenied}, 5},
		{fmt.Errorf("save: %w", &winsvc.Error{Op: "save", Code: winsvc.ErrNotFound, Err: winsvc.ErrNotFound}), 1060},
		{badOption("x", "no"), 87},
		{errors.New("plain"), nil},
	}
	for _, c := range cases {
		r := failure(c.err)
		if r["failed"] != true || r["msg"] == "" || fmt.Sprint(r["win32_code"]) != fmt.Sprint(c.code) {
			t.Errorf("%v: %v, want code %v", c.err, r, c.code)
		}
	}
}
