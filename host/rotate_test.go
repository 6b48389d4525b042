package host

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc/internal/testbed"
)

func TestRotatedName(t *testing.T) {
	at := time.Date(2026, 12, 5, 13, 4, 5, 0, time.UTC)
	for _, tt := range []struct {
		path string
		n    int
		want string
	}{
		{`out.log`, 0, `out-20261205T130405.log`},
		{`out.log`, 2, `out-20261205T130405-2.log`},
		{`out`, 0, `out-20261205T130405`},
	} {
		got := rotatedName(tt.path, at, tt.n)
		if got != tt.want {
			t.Errorf("rotatedName(%q, %d) = %q; want %q", tt.path, tt.n, got, tt.want)
		}
		if rt, n, ok := rotatedOrder(tt.path, got); !ok || !rt.Equal(at) || n != tt.n {
			t.Errorf("rotatedOrder(%q, %q) = %v %d %v", tt.path, got, rt, n, ok)
		}
	}
	for _, name := range []string{"out.log", "out-.log", "out-2026.log", "out-20261205T130405-.log", "out-20261205T130405-0.log", "out-20261205T130405x.log", "other-20261205T130405.log", "out-20261205T130405.txt"} {
		if _, _, ok := rotatedOrder("out.log", name); ok {
			t.Errorf("rotatedOrder(out.log, %q) ok; want not a rotation", name)
		}
	}
}

// clock is a settable time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestRotatorSize(t *testing.T) {
	dir := testbed.TempDir(t)
	path := filepath.Join(dir, "sub", "out.log")
	c := &clock{time.Date(2026, 12, 5, 13, 0, 0, 0, time.UTC)}
	w, err := openRotator(path, Rotation{Bytes: 10, Keep: 2}, c.now)
	if err != nil {
		t.Fatal(err)
	}
	// Lines of 4 bytes: two per file (8 <= 10); a third would exceed 10.
	for i := range 7 {
		if _, err := w.Write([]byte("ab" + string(rune('0'+i)) + "\n")); err != nil {
			t.Fatal(err)
		}
		c.t = c.t.Add(time.Second)
	}
	// A write of several lines is split at a line end.
	if _, err := w.Write([]byte("xyz\nxyz\nxyz\n")); err != nil {
		t.Fatal(err)
	}
	// A line longer than Bytes is split at Bytes.
	if _, err := w.Write([]byte("0123456789ABCDEF\n")); err != nil {
		t.Fatal(err)
	}
	w.Close()
	rotated := rotatedFiles(path)
	if len(rotated) != 2 {
		t.Fatalf("rotated files %q; want Keep=2", rotated)
	}
	all := append(rotated, path)
	var got []string
	for _, p := range all {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 10 {
			t.Errorf("%s holds %d bytes; want <= 10", p, len(b))
		}
		got = append(got, string(b))
	}
	if want := []string{"xyz\nxyz\n", "0123456789", "ABCDEF\n"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("files %q; want %q", got, want)
	}
}

func TestRotatorAgeAndAppend(t *testing.T) {
	path := filepath.Join(testbed.TempDir(t), "out.log")
	os.WriteFile(path, []byte("from before\n"), 0o644)
	c := &clock{time.Now()}
	w, err := openRotator(path, Rotation{Age: time.Hour}, c.now)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("appended\n"))
	if b, _ := os.ReadFile(path); string(b) != "from before\nappended\n" {
		t.Fatalf("file %q; want the earlier run's output kept", b)
	}
	c.t = c.t.Add(2 * time.Hour) // the file is now older than Age
	w.Write([]byte("new\n"))
	w.Write([]byte("new 2\n")) // the new file is young: no rotation
	w.Close()
	rotated := rotatedFiles(path)
	if len(rotated) != 1 {
		t.Fatalf("rotated %q; want one file", rotated)
	}
	if b, _ := os.ReadFile(path); string(b) != "new\nnew 2\n" {
		t.Fatalf("current file %q", b)
	}
}

func TestRotatorSameSecond(t *testing.T) {
	path := filepath.Join(testbed.TempDir(t), "out.log")
	c := &clock{time.Date(2026, 12, 5, 13, 0, 0, 0, time.UTC)}
	w, err := openRotator(path, Rotation{Bytes: 2}, c.now)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("a\nb\nc\nd\n"))
	w.Close()
	rotated := rotatedFiles(path)
	var got []string
	for _, p := range rotated {
		b, _ := os.ReadFile(p)
		got = append(got, filepath.Base(p)+"="+string(b))
	}
	want := []string{"out-20261205T130000.log=a\n", "out-20261205T130000-1.log=b\n", "out-20261205T130000-2.log=c\n"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("rotated %q; want %q", got, want)
	}
}
