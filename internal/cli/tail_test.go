package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/winsvc/winsvc/internal/testbed"
)

func TestLastLines(t *testing.T) {
	path := filepath.Join(testbed.TempDir(t), "log")
	os.WriteFile(path, []byte("a\nb\nc\nd\n"), 0o644)
	f, _ := os.Open(path)
	defer f.Close()
	for n, want := range map[int]string{0: "", 1: "d\n", 3: "b\nc\nd\n", 10: "a\nb\nc\nd\n"} {
		got, end, err := lastLines(f, n)
		if err != nil || string(got) != want || end != 8 {
			t.Errorf("lastLines(%d) = %q, %d, %v; want %q, 8", n, got, end, err, want)
		}
	}
}

func TestLastLinesBounded(t *testing.T) {
	path := filepath.Join(testbed.TempDir(t), "log")
	// A file of 3 MiB: one huge line, then two short ones.
	os.WriteFile(path, append(bytes.Repeat([]byte("x"), 3<<20), "\nshort 1\nshort 2\n"...), 0o644)
	f, _ := os.Open(path)
	defer f.Close()
	got, _, err := lastLines(f, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "short 1\nshort 2\n" {
		t.Errorf("lastLines of a huge file read %d bytes; want the 2 whole lines after the cut", len(got))
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestFollow(t *testing.T) {
	path := filepath.Join(testbed.TempDir(t), "log")
	os.WriteFile(path, []byte("old\n"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error)
	go func() { done <- follow(ctx, path, 4, 5*time.Millisecond, &out, func() {}) }()
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("new 1\n")
	f.Close()
	waitFor(t, &out, "new 1\n")
	os.WriteFile(path, []byte("r\n"), 0o644) // rotated: a shorter file
	waitFor(t, &out, "new 1\nr\n")
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	for range 400 {
		if out.String() == want {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("followed %q; want %q", out.String(), want)
}
