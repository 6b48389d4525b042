//go:build !windows

package winsvc_test

import (
	"errors"
	"testing"

	"github.com/winsvc/winsvc"
)

func TestConnectUnsupported(t *testing.T) {
	m, err := winsvc.Connect()
	if m != nil || !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("Connect() = %v, %v; want an error wrapping errors.ErrUnsupported", m, err)
	}
	var e *winsvc.Error
	if !errors.As(err, &e) || e.Op != "connect" {
		t.Errorf("error %v is not a *winsvc.Error for op connect", err)
	}
}
