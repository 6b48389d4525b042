package host

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// rotateStamp is the layout of the time in a rotated file's name (UTC).
const rotateStamp = "20060102T150405"

// rotatedName is the name path is renamed to when it is rotated at t:
// out.log -> out-20261205T130405.log; n > 0 (a second rotation in the same
// second) adds -n: out-20261205T130405-1.log.
func rotatedName(path string, t time.Time, n int) string {
	ext := filepath.Ext(path)
	name := strings.TrimSuffix(path, ext) + "-" + t.UTC().Format(rotateStamp)
	if n > 0 {
		name += "-" + strconv.Itoa(n)
	}
	return name + ext
}

// rotatedOrder parses a name written by rotatedName for path's base name
// (base only, no directory), and returns its place in time: ok is false for
// a name that is not a rotation of base.
func rotatedOrder(base, name string) (t time.Time, n int, ok bool) {
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext) + "-"
	if !strings.HasPrefix(name, stem) || !strings.HasSuffix(name, ext) || len(name) < len(stem)+len(ext)+len(rotateStamp) {
		return time.Time{}, 0, false
	}
	mid := name[len(stem) : len(name)-len(ext)]
	t, err := time.Parse(rotateStamp, mid[:min(len(mid), len(rotateStamp))])
	if err != nil {
		return time.Time{}, 0, false
	}
	if rest := mid[len(rotateStamp):]; rest != "" {
		if n, err = strconv.Atoi(strings.TrimPrefix(rest, "-")); err != nil || rest[0] != '-' || n < 1 {
			return time.Time{}, 0, false
		}
	}
	// Only the name rotatedName writes: another file of the directory
	// ("out-20261205T130405-01.log", "-+1") is never taken for a rotated
	// one, and deleted beyond Keep.
	if rotatedName(base, t, n) != name {
		return time.Time{}, 0, false
	}
	return t, n, true
}

// rotatedFiles lists path's rotated files, oldest first.
func rotatedFiles(path string) []string {
	dir, base := filepath.Split(path)
	entries, err := os.ReadDir(filepath.Clean(dir + "."))
	if err != nil {
		return nil
	}
	type rotated struct {
		name string
		t    time.Time
		n    int
	}
	var found []rotated
	for _, e := range entries {
		if t, n, ok := rotatedOrder(base, e.Name()); ok && !e.IsDir() {
			found = append(found, rotated{e.Name(), t, n})
		}
	}
	slices.SortFunc(found, func(a, b rotated) int {
		if c := a.t.Compare(b.t); c != 0 {
			return c
		}
		return a.n - b.n
	})
	names := make([]string, len(found))
	for i, f := range found {
		names[i] = filepath.Join(dir, f.name)
	}
	return names
}

// rotator is a file that output is appended to, rotated by Rotation: once
// it holds Bytes (a write is split at the last line end that fits, so a
// file never exceeds Bytes), or once it is Age old, it is renamed aside
// (rotatedName) and a new one started; rotated files beyond Keep, oldest
// first, are deleted. A file left by an earlier run is appended to.
type rotator struct {
	path string
	r    Rotation
	now  func() time.Time

	mu   sync.Mutex
	f    *os.File
	size int64
	born time.Time
}

// openRotator opens (or creates) path for appending, with its directory.
func openRotator(path string, r Rotation, now func() time.Time) (*rotator, error) {
	w := &rotator{path: path, r: r, now: now}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	if err := w.open(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *rotator) open() error {
	f, err := os.OpenFile(w.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	w.f, w.size = f, fi.Size()
	if w.size == 0 {
		// A new file: its age starts now (Windows would give a file
		// created under the name of one just renamed that one's
		// creation time: file system tunnelling).
		w.born = w.now()
		markBorn(f, w.born)
	} else {
		w.born = fileBorn(fi)
	}
	return nil
}

// due reports whether the file is to be rotated before more is written.
func (w *rotator) due() bool {
	if w.size == 0 {
		return false
	}
	return (w.r.Bytes > 0 && w.size >= w.r.Bytes) || (w.r.Age > 0 && w.now().Sub(w.born) >= w.r.Age)
}

// rotate renames the file aside, starts a new one and deletes the rotated
// files beyond Keep.
func (w *rotator) rotate() error {
	if err := w.f.Close(); err != nil {
		return err
	}
	t := w.now()
	var err error
	for n := 0; n < 1000; n++ {
		name := rotatedName(w.path, t, n)
		if _, serr := os.Lstat(name); serr == nil {
			continue
		}
		err = os.Rename(w.path, name)
		break
	}
	if oerr := w.open(); oerr != nil {
		return oerr
	}
	if err != nil {
		return err
	}
	if w.r.Keep > 0 {
		old := rotatedFiles(w.path)
		for len(old) > w.r.Keep {
			os.Remove(old[0])
			old = old[1:]
		}
	}
	return nil
}

// Write appends p, rotating as due.
func (w *rotator) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return 0, os.ErrClosed
	}
	written := 0
	for len(p) > 0 {
		if w.due() {
			if err := w.rotate(); err != nil {
				return written, fmt.Errorf("rotate %s: %w", w.path, err)
			}
		}
		chunk := p
		if w.r.Bytes > 0 && w.size+int64(len(chunk)) > w.r.Bytes {
			room := w.r.Bytes - w.size
			cut := int(room)
			if i := bytes.LastIndexByte(chunk[:room], '\n'); i >= 0 {
				cut = i + 1
			} else if w.size > 0 {
				cut = 0 // start the line in a new file
			}
			if cut == 0 {
				if err := w.rotate(); err != nil {
					return written, fmt.Errorf("rotate %s: %w", w.path, err)
				}
				continue
			}
			chunk = chunk[:cut]
		}
		n, err := w.f.Write(chunk)
		w.size += int64(n)
		written += n
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}

// Close closes the file.
func (w *rotator) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}
