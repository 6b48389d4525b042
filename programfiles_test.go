package winsvc

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/host"
)

// fakeFiles is a machine's files: each path a file or a directory (by its
// exact spelling), directories that cannot be written, and paths that
// cannot be read here.
type fakeFiles struct {
	files, dirs, readOnly map[string]bool
	notHere               bool
	stats                 []string
}

func (f *fakeFiles) Stat(p string) (fs.FileInfo, error) {
	f.stats = append(f.stats, p)
	switch {
	case f.notHere:
		return nil, fmt.Errorf("%w: the files are on far, and files are read on this machine only", errNotHere)
	case f.files[p]:
		return fakeInfo{name: p}, nil
	case f.dirs[p]:
		return fakeInfo{name: p, dir: true}, nil
	}
	return nil, &fs.PathError{Op: "CreateFile", Path: p, Err: fs.ErrNotExist}
}

func (f *fakeFiles) Writable(dir string) error {
	if f.readOnly[dir] {
		return &fs.PathError{Op: "open", Path: dir + `\.winsvc-check-1.tmp`, Err: fs.ErrPermission}
	}
	return nil
}

// The rest of a host probe: Save reads files only.
func (f *fakeFiles) OpenProgram(string) (programFile, error) { return nil, errors.ErrUnsupported }
func (f *fakeFiles) LookupAccount(string) (string, bool, error) {
	return "", false, errors.ErrUnsupported
}
func (f *fakeFiles) AccountRights(string) ([]string, error) { return nil, errors.ErrUnsupported }

// filesSCM is the in-memory SCM with a machine's files.
type filesSCM struct {
	*memSCM
	files *fakeFiles
}

func (s filesSCM) HostProbe() hostProbe { return s.files }

func machine() *fakeFiles {
	return &fakeFiles{
		files:    map[string]bool{`C:\app\server.exe`: true, `C:\tools\run.exe`: true, `C:\logs\old.log`: true, `C:\data\file`: true},
		dirs:     map[string]bool{`C:\`: true, `C:\app`: true, `C:\logs`: true, `C:\locked`: true, `C:\logs\dir.log`: true, `C:\data`: true},
		readOnly: map[string]bool{`C:\locked`: true},
	}
}

// saveHosted creates service Hosted running p through the host, against
// an in-memory SCM with the files of fc (none when fc is nil).
func saveHosted(t *testing.T, fc *fakeFiles, p host.Program, dry bool) (*Manager, *SaveResult, error) {
	t.Helper()
	var conn platformConn = newMemSCM(quirks{})
	if fc != nil {
		conn = filesSCM{conn.(*memSCM), fc}
	}
	m := memManager(conn)
	svc, err := m.New(Definition{Name: "Hosted", CommandLine: host.CommandLine(`C:\winsvc\winsvc.exe`, "Hosted"), Program: &p})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	res, err := svc.Save(context.Background(), SaveOptions{DryRun: dry})
	return m, res, err
}

func TestSaveChecksTheProgramsFiles(t *testing.T) {
	good := host.Program{Path: `C:\app\server.exe`, Dir: `C:\app`, Stdout: `C:\logs\out.log`, Stderr: `C:\logs\new\deeper\err.log`, Log: `C:\logs\old.log`}
	for _, c := range []struct {
		name  string
		edit  func(p *host.Program)
		field string
		want  string // in the error; "" for a save that succeeds
	}{
		{"every file as it should be", func(*host.Program) {}, "", ""},
		{"a program without .exe, found with it", func(p *host.Program) { p.Path = `C:\tools\run` }, "", ""},
		{"a log file in a directory to be made", func(p *host.Program) { p.Stdout = `C:\new\out.log` }, "", ""},
		{"a program that does not exist", func(p *host.Program) { p.Path = `C:\app\missing.exe` }, "program.path", "does not exist on this machine"},
		{"a program that is a directory", func(p *host.Program) { p.Path = `C:\app` }, "program.path", "is a directory"},
		{"a command line as the path", func(p *host.Program) { p.Path = `C:\tools\run server.js --port 80` },
			"program.path", `C:\tools\run.exe does: a program path with spaces and arguments after it?`},
		{"a working directory that does not exist", func(p *host.Program) { p.Dir = `C:\nowhere` }, "program.workingDirectory", "does not exist on this machine"},
		{"a working directory that is a file", func(p *host.Program) { p.Dir = `C:\data\file` }, "program.workingDirectory", "is a file, not a directory"},
		{"an output directory that cannot be written", func(p *host.Program) { p.Stdout = `C:\locked\out.log` }, "program.stdout", `no file can be created in C:\locked`},
		{"an output directory under a file", func(p *host.Program) { p.Stderr = `C:\data\file\err.log` }, "program.stderr", `C:\data\file is a file`},
		{"a log file that is a directory", func(p *host.Program) { p.Log = `C:\logs\dir.log` }, "program.log", "is a directory"},
		{"a log file on no drive there is", func(p *host.Program) { p.Log = `Q:\x\host.log` }, "program.log", "none of its directories exists"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := good
			c.edit(&p)
			for _, dry := range []bool{true, false} {
				m, res, err := saveHosted(t, machine(), p, dry)
				_, lerr := m.Load(context.Background(), "Hosted")
				if c.want == "" {
					if err != nil || len(res.Unchecked) != 0 {
						t.Fatalf("dry %v: %v, unchecked %v", dry, err, res)
					}
					continue
				}
				var ve *ValidationError
				if !errors.As(err, &ve) || ve.Field != c.field || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrInvalid) {
					t.Errorf("dry %v: error %v; want a validation error of %s with %q", dry, err, c.field, c.want)
				}
				if !errors.Is(lerr, ErrNotFound) {
					t.Errorf("dry %v: a refused save created the service (%v)", dry, lerr)
				}
			}
		})
	}
}

// TestSaveSaysWhatItCouldNotCheck: where the files cannot be read (a
// remote machine, an SCM that reads none), the save goes on and lists
// each file it did not check.
func TestSaveSaysWhatItCouldNotCheck(t *testing.T) {
	p := host.Program{Path: `C:\app\missing.exe`, Dir: `C:\nowhere`, Stdout: `C:\locked\out.log`}
	for _, c := range []struct {
		name   string
		fc     *fakeFiles
		reason string
	}{
		{"remote", &fakeFiles{notHere: true}, "the files are on far, and files are read on this machine only"},
		{"no files", nil, "this SCM connection reads no files"},
	} {
		_, res, err := saveHosted(t, c.fc, p, false)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := []UncheckedFile{{"program.path", p.Path, c.reason}, {"program.workingDirectory", p.Dir, c.reason}, {"program.stdout", p.Stdout, c.reason}}
		if fmt.Sprint(res.Unchecked) != fmt.Sprint(want) {
			t.Errorf("%s: unchecked %v; want %v", c.name, res.Unchecked, want)
		}
	}
}

// TestSaveChecksFilesOnlyWhenTheProgramChanges: a save that does not
// change the program is not refused for the files it names.
func TestSaveChecksFilesOnlyWhenTheProgramChanges(t *testing.T) {
	files := machine()
	m, _, err := saveHosted(t, files, host.Program{Path: `C:\app\server.exe`}, false)
	if err != nil {
		t.Fatal(err)
	}
	delete(files.files, `C:\app\server.exe`) // the program is removed afterwards
	svc, err := m.Load(context.Background(), "Hosted")
	if err != nil {
		t.Fatal(err)
	}
	files.stats = nil
	svc.Update(func(c *Config) { c.Description = "changed" })
	if _, err := svc.Save(context.Background(), SaveOptions{}); err != nil || len(files.stats) != 0 {
		t.Errorf("a save of the description: %v, files read %v", err, files.stats)
	}
	svc.Update(func(c *Config) { c.Program.Args = []string{"--port", "80"} })
	if _, err := svc.Save(context.Background(), SaveOptions{}); err == nil || !strings.Contains(err.Error(), "program.path") {
		t.Errorf("a save of the program's arguments, its program gone: %v", err)
	}
}

func TestWinDir(t *testing.T) {
	for in, want := range map[string]string{
		`C:\logs\out.log`: `C:\logs`, `C:\out.log`: `C:\`, `C:\`: "", `C:/a/b`: `C:/a`,
		`\\srv\share\logs\x.log`: `\\srv\share\logs`, `\\srv\share\x.log`: `\\srv\share`, `\\srv\share`: "", `x.log`: "",
	} {
		if got := winDir(in); got != want {
			t.Errorf("winDir(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestProgramPathThatIsACommandLine(t *testing.T) {
	err := checkProgram(&host.Program{Path: `C:\Program Files\nodejs\node.exe server.js`})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "program.path" || !strings.Contains(err.Error(), `args: ["server.js"]`) {
		t.Errorf("error %v", err)
	}
}
