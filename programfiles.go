package winsvc

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/scm"
	"github.com/winsvc/winsvc/internal/valerr"
)

// Before Save writes a hosted program's settings (Config.Program), it
// checks the files they name on the machine that will run them: the
// program exists and is a file, the working directory is a directory, and
// the output and event log files can be written (the host makes their
// missing directories). Only the local machine's files can be read: on a
// remote machine, and with an SCM that reads no files (the in-memory one),
// what was not checked is listed in SaveResult.Unchecked, never refused.

// UncheckedFile is a file a setting names that Save could not check before
// writing the setting.
type UncheckedFile struct {
	Field  string `json:"field"`  // the setting's field: program.path, program.workingDirectory, program.stdout, ...
	Path   string `json:"path"`   // the path as given
	Reason string `json:"reason"` // why it was not checked
}

// fileChecker reads the files of the SCM's machine. A path is given as
// stored: its environment variables (%NAME%) are expanded by the checker.
// A method that cannot read on this machine or connection fails with an
// error wrapping errNotHere.
type fileChecker interface {
	stat(path string) (fs.FileInfo, error)
	// writable fails when no file can be created in the directory dir.
	writable(dir string) error
}

// probeFiles is the fileChecker over the host probe of the SCM's
// connection (Diagnose's): a path holding a variable whose value is the
// account's own (%TEMP%, ...) is not read with the caller's value.
type probeFiles struct{ p hostProbe }

func (f probeFiles) own(path string) error {
	if v := accountVariable(path); v != "" {
		return fmt.Errorf("%w: %%%s%% is the service account's own, not this caller's", errNotHere, v)
	}
	return nil
}

func (f probeFiles) stat(path string) (fs.FileInfo, error) {
	if err := f.own(path); err != nil {
		return nil, err
	}
	return f.p.Stat(path)
}

func (f probeFiles) writable(dir string) error {
	if err := f.own(dir); err != nil {
		return err
	}
	w, ok := f.p.(scm.DirWriter)
	if !ok {
		return fmt.Errorf("%w: this SCM connection does not tell whether a directory can be written", errNotHere)
	}
	return w.Writable(dir)
}

// files returns the file checker of m's connection.
func (m *Manager) files() fileChecker { return probeFiles{m.hostProbe()} }

// maxAncestors bounds the walk up from a log file to a directory that
// exists.
const maxAncestors = 64

// checkProgramFiles checks the files p names with fc. It returns the first
// problem, a *ValidationError naming the field, and what could not be
// checked.
func checkProgramFiles(fc fileChecker, p *host.Program) ([]UncheckedFile, error) {
	if p == nil || p.Path == "" {
		return nil, nil
	}
	var unchecked []UncheckedFile
	f := func(sub string) string { return string(FieldProgram) + "." + sub }
	skip := func(field, path string, err error) {
		unchecked = append(unchecked, UncheckedFile{Field: field, Path: path, Reason: notHereReason(err)})
	}
	if err := checkProgramExe(fc, f("path"), p.Path); errors.Is(err, errNotHere) {
		skip(f("path"), p.Path, err)
	} else if err != nil {
		return nil, err
	}
	if p.Dir != "" {
		fi, err := fc.stat(p.Dir)
		switch {
		case errors.Is(err, errNotHere):
			skip(f("workingDirectory"), p.Dir, err)
		case errors.Is(err, fs.ErrNotExist):
			return nil, invalid(f("workingDirectory"), p.Dir, "does not exist on this machine: the program could not start in it (make the directory first)")
		case err != nil:
			return nil, invalid(f("workingDirectory"), p.Dir, "cannot be read: "+shortErr(err))
		case !fi.IsDir():
			return nil, invalid(f("workingDirectory"), p.Dir, "is a file, not a directory")
		}
	}
	for _, o := range []struct{ field, path string }{{f("stdout"), p.Stdout}, {f("stderr"), p.Stderr}, {f("log"), p.Log}} {
		if o.path == "" {
			continue
		}
		if err := checkLogFile(fc, o.field, o.path); errors.Is(err, errNotHere) {
			skip(o.field, o.path, err)
		} else if err != nil {
			return nil, err
		}
	}
	return unchecked, nil
}

// checkProgramExe checks that the program exists and is a file; a path
// without an extension is also looked for with .exe, as CreateProcess
// does. A missing program whose path holds spaces, of which a part is a
// program, is a command line written as a path.
func checkProgramExe(fc fileChecker, field, path string) error {
	fi, err := fc.stat(path)
	if errors.Is(err, fs.ErrNotExist) && !strings.Contains(path[strings.LastIndexAny(path, `\/`)+1:], ".") {
		fi, err = fc.stat(path + ".exe")
	}
	switch {
	case errors.Is(err, errNotHere):
		return err
	case errors.Is(err, fs.ErrNotExist):
		if exe, rest, ok := programPrefix(fc, path); ok {
			return invalid(field, path, fmt.Sprintf("does not exist on this machine, but %s does: a program path with spaces and arguments after it? "+
				"Give the path alone and the arguments in program.args (%s)", valerr.Shorten(exe), valerr.Shorten(rest)))
		}
		return invalid(field, path, "does not exist on this machine: the service could not start it (ERROR_FILE_NOT_FOUND, 2)")
	case err != nil:
		return invalid(field, path, "cannot be read: "+shortErr(err))
	case fi.IsDir():
		return invalid(field, path, "is a directory, not a program")
	}
	return nil
}

// maxPrefixes bounds the parts of a path with spaces that are looked for
// as programs.
const maxPrefixes = 8

// programPrefix finds the first part of path before a space that is a
// program file (as is, or with .exe): what Windows would run for an
// unquoted command line. It returns that part and the rest.
func programPrefix(fc fileChecker, path string) (exe, rest string, ok bool) {
	for i, n := 0, 0; n < maxPrefixes; n++ {
		j := strings.IndexByte(path[i:], ' ')
		if j < 0 {
			return "", "", false
		}
		i += j
		for _, cand := range []string{path[:i], path[:i] + ".exe"} {
			if fi, err := fc.stat(cand); err == nil && !fi.IsDir() {
				return cand, strings.TrimSpace(path[i:]), true
			}
		}
		i++
	}
	return "", "", false
}

// checkLogFile checks that the host can write the file path: it is not a
// directory, and the nearest directory above it that exists can be
// written (the host makes the missing ones).
func checkLogFile(fc fileChecker, field, path string) error {
	fi, err := fc.stat(path)
	switch {
	case errors.Is(err, errNotHere):
		return err
	case err == nil && fi.IsDir():
		return invalid(field, path, "is a directory: give the path of a file")
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return invalid(field, path, "cannot be read: "+shortErr(err))
	}
	dir := winDir(path)
	for n := 0; n < maxAncestors && dir != ""; n++ {
		fi, err := fc.stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			dir = winDir(dir)
			continue
		case err != nil:
			return invalid(field, path, fmt.Sprintf("its directory %s cannot be read: %s", valerr.Shorten(dir), shortErr(err)))
		case !fi.IsDir():
			return invalid(field, path, fmt.Sprintf("cannot be written: %s is a file, not a directory", valerr.Shorten(dir)))
		}
		if err := fc.writable(dir); errors.Is(err, errNotHere) {
			return err
		} else if err != nil {
			return invalid(field, path, fmt.Sprintf("cannot be written: no file can be created in %s (%s)", valerr.Shorten(dir), shortErr(err)))
		}
		return nil
	}
	return invalid(field, path, "cannot be written: none of its directories exists on this machine")
}

// winDir is the directory of a Windows path ("" above a root: C:\, a
// share \\server\share, or a path without a separator).
func winDir(p string) string {
	p = strings.TrimRight(p, `\/`)
	i := strings.LastIndexAny(p, `\/`)
	if i < 0 {
		return ""
	}
	d := p[:i]
	if strings.HasPrefix(p, `\\`) && strings.Count(strings.ReplaceAll(d, "/", `\`), `\`) < 3 {
		return "" // \\server\share is the root of a share
	}
	if len(d) == 2 && d[1] == ':' {
		return d + `\`
	}
	return d
}

// shortErr is err's message with any path in it shortened.
func shortErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return valerr.Shorten(err.Error())
}
