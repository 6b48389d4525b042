package desired_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/desired"
)

func TestPasswords(t *testing.T) {
	write := func(name, content string) string { return tempFile(t, name, content) }
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
		{Env: "UNSET"}, {File: write("empty", "\n")}, {File: write("missing", "") + ".missing"}, {}, {Env: "PW", Stdin: true},
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

// tempFile writes content to a new file whose name starts with name, and
// removes it after the test. (t.TempDir's cleanup fails under Wine, where
// these tests run too.)
func tempFile(t *testing.T, name, content string) string {
	t.Helper()
	f, err := os.CreateTemp("", "winsvc-desired-"+name+"-*")
	if err == nil {
		_, err = f.WriteString(content)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(f.Name()) })
	return f.Name()
}
