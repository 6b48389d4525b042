package winsvc

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/winsvc/winsvc/host"
)

// hostedService is a service the program host runs (C:\svc\winsvc.exe host
// NAME) with program p, saved on scm.
func hostedService(t *testing.T, scm *memSCM, name string, p *host.Program) {
	t.Helper()
	s := healthy(name, Stopped)
	s.Config.BinaryPathName = host.CommandLine(`C:\svc\winsvc.exe`, name)
	scm.Add(s)
	if p == nil {
		return
	}
	svc := mustLoad(t, memManager(scm), name)
	svc.Update(func(c *Config) { c.Program = p })
	if _, err := svc.Save(context.Background(), SaveOptions{}); err != nil {
		t.Fatalf("Save %s: %v", name, err)
	}
}

// hostedProbe is diagnoseProbe with the hosted programs' files: the
// program C:\app\app.exe, and C:\app\notes.txt.
func hostedProbe() func(p *fakeProbe) {
	return func(p *fakeProbe) {
		p.files[`C:\APP\APP.EXE`] = peImage()
		p.files[`C:\APP\NOTES.TXT`] = []byte("not a program, and long enough for an MZ header's place" + strings.Repeat(".", 64))
		p.files[`C:\LOGS\RO.LOG`] = nil
		p.readOnly[`C:\LOGS\RO.LOG`] = true
		p.dirs[`C:\LOGS\DIR.LOG`] = true
	}
}

// Each cause of a hosted program is diagnosed with its own finding and
// nothing else: the program, its working directory, its output files and
// the host's log. A missing log folder is no finding (the host creates
// it), nor are the settings of a service the host does not run.
func TestDiagnoseHosted(t *testing.T) {
	scm := newMemSCM(quirks{})
	ok := func(edit func(p *host.Program)) *host.Program {
		p := &host.Program{Path: `C:\app\app.exe`, Dir: `C:\app`, Stdout: `C:\logs\new\out.log`, Stderr: `C:\logs\new\out.log`}
		if edit != nil {
			edit(p)
		}
		return p
	}
	hostedService(t, scm, "Hosted", ok(nil))
	hostedService(t, scm, "Defaults", &host.Program{Path: `C:\app\app.exe`})
	hostedService(t, scm, "NoProg", ok(func(p *host.Program) { p.Path = `C:\app\gone.exe` }))
	hostedService(t, scm, "NotPE", ok(func(p *host.Program) { p.Path = `C:\app\notes.txt` }))
	hostedService(t, scm, "NoDir", ok(func(p *host.Program) { p.Dir = `C:\app\gone` }))
	hostedService(t, scm, "FileDir", ok(func(p *host.Program) { p.Dir = `C:\app\notes.txt` }))
	hostedService(t, scm, "DirOut", ok(func(p *host.Program) { p.Stdout = `C:\logs\dir.log` }))
	hostedService(t, scm, "ROErr", ok(func(p *host.Program) { p.Stderr = `C:\logs\ro.log` }))
	hostedService(t, scm, "LogUnderFile", ok(func(p *host.Program) { p.Log = `C:\app\app.exe\host\events.log` }))
	hostedService(t, scm, "NoDrive", ok(func(p *host.Program) { p.Stdout = `Q:\logs\out.log` }))
	hostedService(t, scm, "NoProgram", nil) // the host's command line, no Program: not hosted
	notHost := healthy("NotHost", Stopped)
	scm.Add(notHost)
	s := mustLoad(t, memManager(scm), "NotHost")
	s.Update(func(c *Config) { c.Program = &host.Program{Path: `C:\app\gone.exe`, Dir: `Q:\nowhere`} })
	if _, err := s.Save(context.Background(), SaveOptions{}); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name  string
		check Check // "" for none
		fix   string
		has   string // in the evidence
		says  string // in the message
	}{
		{"Hosted", "", "", "", ""},
		{"Defaults", "", "", "", ""},
		{"NoProgram", "", "", "", ""},
		{"NotHost", "", "", "", ""},
		{"NoProg", CheckHostedProgram, "winsvc config NoProg --program PATH", `C:\app\gone.exe`, "the hosted program does not exist"},
		{"NotPE", CheckHostedProgram, "winsvc config NotPE --program PATH", "no MZ header", "not a Windows executable"},
		{"NoDir", CheckHostedDir, "winsvc config NoDir --dir DIR", `C:\app\gone`, "does not exist"},
		{"FileDir", CheckHostedDir, "winsvc config FileDir --dir DIR", "a file", "is a file"},
		{"DirOut", CheckHostedLogs, "winsvc config DirOut --stdout FILE", "a directory", "standard output"},
		{"ROErr", CheckHostedLogs, "winsvc config ROErr --stderr FILE", "read-only", "standard error"},
		{"LogUnderFile", CheckHostedLogs, "", `C:\app\app.exe: a file`, "winsvc apply"},
		{"NoDrive", CheckHostedLogs, "winsvc config NoDrive --stdout FILE", `Q:\logs\out.log`, "no part of its path exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := onlyFinding(t, diagnoseOne(t, scm, tc.name, hostedProbe()), tc.check)
			if f != nil && (f.Fix != tc.fix || !strings.Contains(f.Evidence, tc.has) || !strings.Contains(f.Message, tc.says)) {
				t.Errorf("finding %+v: want fix %q, evidence with %q, a message with %q", f, tc.fix, tc.has, tc.says)
			}
		})
	}
}

// Where the files cannot be read (a remote machine: no probe), or the
// program host's settings cannot, each hosted check is not readable, and
// no finding is made.
func TestDiagnoseHostedCannotBeReadHere(t *testing.T) {
	scm := newMemSCM(quirks{})
	hostedService(t, scm, "Remote", &host.Program{Path: `C:\app\gone.exe`, Dir: `C:\gone`, Stdout: `Q:\out.log`})
	d, err := memManager(scm).Diagnose(context.Background(), "Remote", DiagnoseOptions{}) // noProbe
	if err != nil {
		t.Fatal(err)
	}
	got := []Check{}
	for _, n := range d.NotReadable {
		got = append(got, n.Check)
		if !strings.HasPrefix(n.Reason, cannotReadHere+": ") {
			t.Errorf("reason %q", n.Reason)
		}
	}
	want := []Check{CheckProgram, CheckHostedProgram, CheckHostedDir, CheckHostedLogs, CheckHostedLogs}
	if !d.OK() || !slices.Equal(got, want) {
		t.Fatalf("findings %+v, not readable %v; want %v", d.Findings, got, want)
	}

	scm.Fail["getParameter "+host.ValuePath] = errors.New("access denied")
	d = diagnoseOne(t, scm, "Remote", hostedProbe())
	got = got[:0]
	for _, n := range d.NotReadable {
		got = append(got, n.Check)
	}
	if !d.OK() || !slices.Equal(got, hostedChecks) {
		t.Fatalf("findings %+v, not readable %+v; want %v", d.Findings, d.NotReadable, hostedChecks)
	}
}

func TestWinParent(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{`C:\a\b.log`, `C:\a`, true},
		{`C:\a`, `C:\`, true},
		{`C:\`, "", false},
		{`\\srv\share\x\y.log`, `\\srv\share\x`, true},
		{`\\srv\share\x`, `\\srv\share`, true},
		{`\\srv\share`, "", false},
		{`%ProgramData%\winsvc`, `%ProgramData%`, true},
		{`%ProgramData%`, "", false},
	} {
		if got, ok := winParent(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("winParent(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// A path holding a variable whose value is the account's own (%TEMP%,
// %USERPROFILE%) is read with the caller's value here: not readable, never
// a finding.
func TestDiagnoseAccountVariables(t *testing.T) {
	scm := newMemSCM(quirks{})
	hostedService(t, scm, "Own", &host.Program{Path: `%USERPROFILE%\app.exe`, Dir: `%LocalAppData%\app`, Stdout: `%TEMP%\out.log`})
	d := diagnoseOne(t, scm, "Own", hostedProbe())
	got := []Check{}
	for _, n := range d.NotReadable {
		got = append(got, n.Check)
		if !strings.Contains(n.Reason, "the service account's own") {
			t.Errorf("reason %q", n.Reason)
		}
	}
	if !d.OK() || !slices.Equal(got, hostedChecks) {
		t.Fatalf("findings %+v, not readable %v; want %v not readable", d.Findings, got, hostedChecks)
	}
	prog := healthy("OwnProg", Stopped)
	prog.Config.BinaryPathName = `"%TEMP%\svc.exe" -x`
	scm.Add(prog)
	if d := diagnoseOne(t, scm, "OwnProg", nil); !d.OK() || len(d.NotReadable) != 1 || d.NotReadable[0].Check != CheckProgram {
		t.Fatalf("findings %+v, not readable %+v", d.Findings, d.NotReadable)
	}
}

// A log path none of whose many folders exists is read up to
// maxMissingLevels folders: not readable beyond, with the path shortened.
func TestDiagnoseHostedDeepPath(t *testing.T) {
	scm := newMemSCM(quirks{})
	deep := `Q:` + strings.Repeat(`\a`, 5000) + `\out.log`
	hostedService(t, scm, "Deep", &host.Program{Path: `C:\app\app.exe`, Stdout: deep})
	var probe *fakeProbe
	d := diagnoseOne(t, scm, "Deep", func(p *fakeProbe) { hostedProbe()(p); probe = p })
	if !d.OK() || len(d.NotReadable) != 1 || d.NotReadable[0].Check != CheckHostedLogs || len(d.NotReadable[0].Reason) > 1000 {
		t.Fatalf("findings %+v, not readable %.300v", d.Findings, d.NotReadable)
	}
	if probe.stats > maxMissingLevels+10 {
		t.Errorf("%d stat calls for one path", probe.stats)
	}
}
