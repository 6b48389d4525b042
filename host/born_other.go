//go:build !windows

package host

import (
	"io/fs"
	"os"
	"time"
)

// fileBorn is when the file was last written: systems other than Windows
// do not all keep a creation time.
func fileBorn(fi fs.FileInfo) time.Time { return fi.ModTime() }

// markBorn sets the modification time of a new file to t.
func markBorn(f *os.File, t time.Time) { os.Chtimes(f.Name(), t, t) }
