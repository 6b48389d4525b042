package desired_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/desired"
)

func TestPasswords(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	env := map[string]string{"PW": "from-env"}
	stdinReads := 0
	resolve := desired.Passwords(func(k string) string { return env[k] }, func() (string, error) {
		stdinReads++
		return "from-stdin", nil
	})
	for _, c := range []struct {
		ref  desired.PasswordRef
		want string
	}{
		{desired.PasswordRef{Env: "PW"}, "from-env"},
		{desired.PasswordRef{File: write("lf", "from-file\nsecond line\n")}, "from-file"},
		{desired.PasswordRef{File: write("crlf", "from-file \r\n")}, "from-file "},
		{desired.PasswordRef{File: write("bare", "no line ending")}, "no line ending"},
		{desired.PasswordRef{Stdin: true}, "from-stdin"},
		{desired.PasswordRef{Stdin: true}, "from-stdin"},
	} {
		if got, err := resolve("S", c.ref); err != nil || got != c.want {
			t.Errorf("%v: %q, %v; want %q", c.ref, got, err, c.want)
		}
	}
	if stdinReads != 1 {
		t.Errorf("stdin read %d times; want once, shared", stdinReads)
	}
	for _, ref := range []desired.PasswordRef{
		{Env: "UNSET"}, {File: write("empty", "\n")}, {File: filepath.Join(dir, "missing")}, {}, {Env: "PW", Stdin: true},
	} {
		if got, err := resolve("S", ref); err == nil || got != "" || strings.Contains(err.Error(), "from-env") {
			t.Errorf("%v: %q, %v; want an error that shows no password", ref, got, err)
		}
	}
	noStdin := desired.Passwords(os.Getenv, nil)
	if _, err := noStdin("S", desired.PasswordRef{Stdin: true}); !errors.Is(err, desired.ErrNoStdin) {
		t.Errorf("stdin without a reader: %v", err)
	}
	failing := desired.Passwords(os.Getenv, func() (string, error) { return "", errors.New("closed") })
	if _, err := failing("S", desired.PasswordRef{Stdin: true}); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("stdin failing: %v", err)
	}
	if s := (desired.PasswordRef{Env: "PW"}).String(); s != "environment variable PW" {
		t.Errorf("String: %q", s)
	}
}
