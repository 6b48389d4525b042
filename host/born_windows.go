package host

import (
	"io/fs"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/windows"
)

// fileBorn is when the file was created.
func fileBorn(fi fs.FileInfo) time.Time {
	if d, ok := fi.Sys().(*syscall.Win32FileAttributeData); ok {
		return time.Unix(0, d.CreationTime.Nanoseconds())
	}
	return fi.ModTime()
}

// markBorn sets the creation time of a new file to t, which file system
// tunnelling may have set to that of the file renamed away from its name.
func markBorn(f *os.File, t time.Time) {
	ft := windows.NsecToFiletime(t.UnixNano())
	windows.SetFileTime(windows.Handle(f.Fd()), &ft, nil, nil)
}
