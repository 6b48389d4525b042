package testbed

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Temporary directories that tests on every system can use, Wine included
// (this file has no build constraint: native tests of package host and
// the CLI use it too).

// TempDir returns a new directory with an absolute Windows path that the
// service process can write to. It is removed after the test with RemoveAll;
// removal is retried for a while because a service process may still be
// exiting. Use it instead of t.TempDir, whose cleanup fails under Wine.
func TempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "winsvc-test-")
	if err != nil {
		t.Fatalf("TempDir: %v", err)
	}
	if dir, err = filepath.Abs(dir); err != nil {
		t.Fatalf("TempDir: %v", err)
	}
	t.Cleanup(func() {
		var err error
		for i := 0; i < 50; i++ {
			if err = RemoveAll(dir); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("TempDir: could not remove %s: %v", dir, err)
	})
	return dir
}

// RemoveAll removes path and everything below it, like os.RemoveAll, using
// only os.Remove. Go 1.26's os.RemoveAll (and so t.TempDir's cleanup) deletes
// files through NtSetInformationFile(FileDispositionInformationEx), which
// Wine 8 rejects with "Invalid function"; os.Remove (DeleteFile) works.
func RemoveAll(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := RemoveAll(filepath.Join(path, e.Name())); err != nil {
				return err
			}
		}
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
