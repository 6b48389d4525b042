package host

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/winsvc/winsvc/internal/testbed"
)

// An output file that is never rotated is given to the program itself;
// one with rotation, and any other writer, get a pipe the host copies.
func TestDirectFile(t *testing.T) {
	dir := testbed.TempDir(t) // t.TempDir's cleanup fails under Wine
	for _, c := range []struct {
		name   string
		rotate Rotation
		direct bool
	}{
		{"no rotation", Rotation{}, true},
		{"keep only", Rotation{Keep: 3}, true},
		{"by size", Rotation{Bytes: 1 << 20}, false},
		{"by age", Rotation{Age: time.Hour}, false},
	} {
		r, err := openRotator(filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".log"), c.rotate, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		if f := directFile(r); (f != nil) != c.direct || (f != nil && f != r.f) {
			t.Errorf("%s: directFile = %v; want the rotator's file: %v", c.name, f, c.direct)
		}
		r.Close()
	}
	if f := directFile(&bytes.Buffer{}); f != nil {
		t.Errorf("directFile of a buffer = %v; want nil", f)
	}
}

// Two runs of a program given an output file without rotation append to
// it, stdout and stderr alike, and the file stays open for the host.
func TestDirectFileAppendsAcrossRuns(t *testing.T) {
	exe := os.Getenv("WINSVC_TESTHOST")
	if exe == "" {
		t.Skip("WINSVC_TESTHOST (the built internal/testhost) is not set: scripts/test.sh sets it under Wine")
	}
	dir := testbed.TempDir(t)
	path := filepath.Join(dir, "out.log")
	if err := os.WriteFile(path, []byte("before the host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := openRotator(path, Rotation{}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p := &Program{Path: exe, Args: []string{"prog", "exit", "-code", "0"}, Dir: dir}
	for run := range 2 {
		pr, err := startProcess(p, r, r)
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		select {
		case <-pr.done:
		case <-time.After(20 * time.Second):
			t.Fatalf("run %d: the program did not exit", run)
		}
		pr.endTree()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.HasPrefix(text, "before the host\n") || strings.Count(text, "cwd=") != 2 || strings.Count(text, "stderr of exit") != 2 {
		t.Errorf("the file does not hold what was there and both runs' stdout and stderr:\n%s", text)
	}
}
