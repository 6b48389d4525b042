package winsvc_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/testbed"
)

// hostedDef is a service that the host runs p for.
func hostedDef(name string, p host.Program) winsvc.Definition {
	return winsvc.Definition{Name: name, CommandLine: host.CommandLine(`C:\winsvc\winsvc.exe`, name), Program: &p}
}

// serviceKeyExists reads with the registry API alone whether the SCM
// holds service name.
func serviceKeyExists(t *testing.T, name string) bool {
	t.Helper()
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+name, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false
	}
	if err != nil {
		t.Fatalf("open the registry key of %s: %v", name, err)
	}
	k.Close()
	return true
}

// TestSaveChecksHostedFiles: on this machine, Save refuses a hosted
// program whose files would keep it from running (real files, checked by
// the library), naming the field, and creates nothing (read in the
// registry); files that are fine are saved, and the check leaves no file
// behind.
func TestSaveChecksHostedFiles(t *testing.T) {
	ctx := context.Background()
	m := connect(t)
	dir := testbed.TempDir(t)
	prog := testbed.ServiceExe(t)
	file := filepath.Join(dir, "a file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := host.Program{Path: prog, Dir: dir, Stdout: filepath.Join(dir, "logs", "new", "out.log"), Log: filepath.Join(dir, "host.log")}
	for _, c := range []struct {
		name, field, want string
		edit              func(p *host.Program)
	}{
		{"missing program", "program.path", "does not exist on this machine", func(p *host.Program) { p.Path = filepath.Join(dir, "missing.exe") }},
		{"program is a directory", "program.path", "is a directory", func(p *host.Program) { p.Path = dir }},
		{"command line as the path", "program.path", "looks like a command line", func(p *host.Program) { p.Path = prog + " -mode=normal" }},
		{"missing working directory", "program.workingDirectory", "does not exist", func(p *host.Program) { p.Dir = filepath.Join(dir, "nowhere") }},
		{"working directory is a file", "program.workingDirectory", "is a file", func(p *host.Program) { p.Dir = file }},
		{"output under a file", "program.stdout", "is a file, not a directory", func(p *host.Program) { p.Stdout = filepath.Join(file, "out.log") }},
		{"event log is a directory", "program.log", "is a directory", func(p *host.Program) { p.Log = dir }},
	} {
		p := good
		c.edit(&p)
		name := testbed.UniqueName(t, "hf")
		svc, err := m.New(hostedDef(name, p)) // a value wrong on its own is refused here already
		if err == nil {
			_, err = svc.Save(ctx, winsvc.SaveOptions{})
		}
		var ve *winsvc.ValidationError
		if !errors.As(err, &ve) || ve.Field != c.field || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want a refusal of %s (%q)", c.name, err, c.field, c.want)
		}
		if serviceKeyExists(t, name) {
			testbed.CleanupService(t, name)
			t.Errorf("%s: the refused save created the service", c.name)
		}
	}

	name := testbed.UniqueName(t, "hf")
	svc, err := m.New(hostedDef(name, good))
	if err != nil {
		t.Fatal(err)
	}
	testbed.CleanupService(t, name)
	res, err := svc.Save(ctx, winsvc.SaveOptions{})
	if err != nil || len(res.Unchecked) != 0 {
		t.Fatalf("save of good files: %v (unchecked %v)", err, res)
	}
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\`+name+`\Parameters`, registry.QUERY_VALUE)
	if err != nil {
		t.Fatalf("the Parameters key: %v", err)
	}
	app, _, err1 := k.GetStringValue(host.ValuePath)
	appDir, _, err2 := k.GetStringValue(host.ValueDir)
	k.Close()
	if err1 != nil || err2 != nil || app != prog || appDir != dir {
		t.Errorf("Parameters: Application %q (%v), AppDirectory %q (%v)", app, err1, appDir, err2)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".winsvc-check") {
			t.Errorf("the check left %s behind", e.Name())
		}
	}
}

// TestSaveDoesNotCheckARemoteMachinesFiles: through a connection to a
// machine by name (this one), the files are not read: the save is not
// refused, and says what it did not check.
func TestSaveDoesNotCheckARemoteMachinesFiles(t *testing.T) {
	machine, err := windows.ComputerName()
	if err != nil {
		t.Fatal(err)
	}
	m, err := winsvc.ConnectRemote(`\\` + machine)
	if err != nil {
		t.Fatalf("ConnectRemote(%q): %v", machine, err)
	}
	defer m.Close()
	name := testbed.UniqueName(t, "hr")
	missing := `C:\winsvc-no-such-dir\app.exe`
	svc, err := m.New(hostedDef(name, host.Program{Path: missing}))
	if err != nil {
		t.Fatal(err)
	}
	testbed.CleanupService(t, name)
	res, err := svc.Save(context.Background(), winsvc.SaveOptions{})
	if err != nil {
		t.Fatalf("save through a remote connection: %v", err)
	}
	if len(res.Unchecked) != 1 || res.Unchecked[0].Field != "program.path" || res.Unchecked[0].Path != missing ||
		!strings.Contains(res.Unchecked[0].Reason, "files are read on this machine only") {
		t.Errorf("unchecked: %+v", res.Unchecked)
	}
	if !serviceKeyExists(t, name) {
		t.Error("the service was not created")
	}
}
