package winsvc

import (
	"fmt"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// files checks the files of the local machine; a remote machine's are not
// read.
func (c *winSCM) files() fileChecker { return winFiles{machine: c.machine} }

// winFiles is Save's fileChecker on Windows (and under Wine).
type winFiles struct {
	machine string // "" for the local machine
}

// local expands path's environment variables as this process sees them
// (those of the SCM's services are the system's: a variable of this user
// alone, or one not set here, is not checked).
func (w winFiles) local(path string) (string, error) {
	if w.machine != "" {
		return "", fmt.Errorf("%w: the files are on %s, and files are read on this machine only", errNotHere, w.machine)
	}
	if !strings.Contains(path, "%") {
		return path, nil
	}
	x, err := registry.ExpandString(path)
	if err != nil {
		return "", fmt.Errorf("%w: expanding its environment variables: %v", errNotHere, err)
	}
	if i := strings.IndexByte(x, '%'); i >= 0 && strings.IndexByte(x[i+1:], '%') >= 0 {
		return "", fmt.Errorf("%w: it names an environment variable that is not set here", errNotHere)
	}
	for _, v := range []string{"USERPROFILE", "APPDATA", "LOCALAPPDATA", "TEMP", "TMP", "HOMEPATH", "USERNAME"} {
		if strings.Contains(strings.ToUpper(path), "%"+v+"%") {
			return "", fmt.Errorf("%w: %%%s%% is this user's, not the service's", errNotHere, v)
		}
	}
	return x, nil
}

func (w winFiles) stat(path string) (fs.FileInfo, error) {
	x, err := w.local(path)
	if err != nil {
		return nil, err
	}
	return os.Stat(x)
}

// writable creates a file in dir and removes it: only a write tells
// whether the directory's ACL lets this account write there.
func (w winFiles) writable(dir string) error {
	x, err := w.local(dir)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(x, ".winsvc-check-*.tmp")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
