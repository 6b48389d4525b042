package limits

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/internal/valerr"
)

// countingReader is an endless input that counts what is read of it.
type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	r.n += int64(len(p))
	return len(p), nil
}

// An endless input is refused once past the limit, having read at most a
// buffer beyond it.
func TestReadAllStopsAtTheLimit(t *testing.T) {
	r := &countingReader{}
	_, err := ReadAll(r, "stdin", 1<<20)
	if err == nil || err.Error() != "stdin is larger than 1 MiB, the limit" || !errors.Is(err, valerr.ErrInvalid) {
		t.Errorf("err = %v", err)
	}
	if r.n > 1<<20+64<<10 {
		t.Errorf("read %d bytes of an endless input", r.n)
	}
	b, err := ReadAll(strings.NewReader("abc"), "stdin", 3)
	if err != nil || string(b) != "abc" {
		t.Errorf("ReadAll at the limit = %q, %v", b, err)
	}
}

func TestReadFile(t *testing.T) {
	// Not t.TempDir: its cleanup fails under Wine, where this test runs too.
	dir, err := os.MkdirTemp("", "winsvc-limits-")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "a.yaml")
	t.Cleanup(func() { os.Remove(file); os.Remove(dir) })
	if err := os.WriteFile(file, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(file, 5); err != nil || string(b) != "12345" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
	if _, err := ReadFile(file, 4); err == nil || !strings.Contains(err.Error(), "a.yaml is larger than 4 bytes, the limit") {
		t.Errorf("ReadFile past the limit: %v", err)
	}
	long := filepath.Join(dir, strings.Repeat("d", 100000))
	_, err = ReadFile(long, 5)
	if err == nil || !strings.Contains(err.Error(), "the limit") || len(err.Error()) > 512 {
		t.Errorf("ReadFile of a missing file with a long name: %d bytes: %.200v", len(err.Error()), err)
	}
	if _, err := ReadAll(io.MultiReader(), "x", 0); err != nil {
		t.Errorf("empty input: %v", err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{16 << 20: "16 MiB", 64 << 10: "64 KiB", 1000: "1000 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// A path with a name longer than NameLength is refused, naming the limit,
// before anything is opened.
func TestReadFileRefusesLongNames(t *testing.T) {
	long := strings.Repeat("x", NameLength+1)
	for _, p := range []string{long, "dir/" + long + "/f.yaml", `C:\dir\` + long} {
		_, err := ReadFile(p, 1<<20)
		if err == nil || !strings.Contains(err.Error(), "255 characters, the limit") || len(err.Error()) > 200 {
			t.Errorf("ReadFile(%d-character path) = %v; want the name-length limit, shortly", len(p), err)
		}
	}
	if _, err := ReadFile(strings.Repeat("y", NameLength), 1<<20); err == nil || strings.Contains(err.Error(), "the limit") {
		t.Errorf("a %d-character name: %v; want the file system's own error (it does not exist)", NameLength, err)
	}
}
