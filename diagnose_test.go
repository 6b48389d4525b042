package winsvc

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeProbe is a machine's files and accounts, for Diagnose's checks.
type fakeProbe struct {
	files    map[string][]byte      // by upper-case path; their folders exist
	dirs     map[string]bool        // more folders, by upper-case path
	readOnly map[string]bool        // files with the read-only attribute
	accounts map[string]fakeAccount // by upper-case name
	rights   map[string][]string    // by SID
	notHere  bool                   // the LSA's answers cannot be trusted
	stats    int                    // calls of stat
}

type fakeAccount struct {
	sid  string
	user bool
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func (p *fakeProbe) OpenProgram(path string) (programFile, error) {
	b, ok := p.files[strings.ToUpper(path)]
	if !ok {
		return nil, fmt.Errorf("open %s: %w", path, fs.ErrNotExist)
	}
	return nopCloser{bytes.NewReader(b)}, nil
}

// fakeInfo is a file or folder of a fakeProbe.
type fakeInfo struct {
	name string
	dir  bool
	mode fs.FileMode
}

func (i fakeInfo) Name() string       { return i.name }
func (i fakeInfo) Size() int64        { return 0 }
func (i fakeInfo) Mode() fs.FileMode  { return i.mode }
func (i fakeInfo) ModTime() time.Time { return time.Time{} }
func (i fakeInfo) IsDir() bool        { return i.dir }
func (i fakeInfo) Sys() any           { return nil }

func (p *fakeProbe) Stat(path string) (fs.FileInfo, error) {
	p.stats++
	key := strings.ToUpper(strings.TrimRight(path, `\`))
	if _, ok := p.files[key]; ok {
		mode := fs.FileMode(0o666)
		if p.readOnly[key] {
			mode = 0o444
		}
		return fakeInfo{name: path, mode: mode}, nil
	}
	if p.dirs[key] {
		return fakeInfo{name: path, dir: true, mode: fs.ModeDir | 0o777}, nil
	}
	for f := range p.files {
		if strings.HasPrefix(f, key+`\`) {
			return fakeInfo{name: path, dir: true, mode: fs.ModeDir | 0o777}, nil
		}
	}
	return nil, fmt.Errorf("stat %s: %w", path, fs.ErrNotExist)
}

func (p *fakeProbe) LookupAccount(name string) (string, bool, error) {
	a, ok := p.accounts[strings.ToUpper(name)]
	if !ok {
		return "", false, fmt.Errorf("%w: ERROR_NONE_MAPPED (1332)", errNoAccount)
	}
	return a.sid, a.user, nil
}

func (p *fakeProbe) AccountRights(sid string) ([]string, error) {
	if p.notHere {
		return nil, fmt.Errorf("%w: this machine's LSA reports no rights even for BUILTIN\\Administrators", errNotHere)
	}
	return p.rights[sid], nil
}

// peImage is the smallest file peKind takes for a Windows executable.
func peImage() []byte {
	b := make([]byte, 0x48)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3C:], 0x40)
	copy(b[0x40:], "PE\x00\x00")
	return b
}

// healthy is a service Diagnose finds nothing wrong with: its program
// exists, it restarts on failure.
func healthy(name string, state State, deps ...string) *memService {
	s := svc(name, state, deps...)
	setCfg(s, func(c *Config) { c.FailureActions = FailureActions{Actions: []Action{RestartAction(time.Minute)}} })
	return s
}

func diagnoseProbe(scm *memSCM) *fakeProbe {
	p := &fakeProbe{files: map[string][]byte{}, dirs: map[string]bool{`%PROGRAMDATA%`: true}, readOnly: map[string]bool{}, accounts: map[string]fakeAccount{
		`.\BOB`:        {sid: "S-1-5-21-1-2-3-1001", user: true},
		`.\ALICE`:      {sid: "S-1-5-21-1-2-3-1002", user: true},
		`NT SERVICE\X`: {sid: "S-1-5-80-1"},
	}, rights: map[string][]string{"S-1-5-21-1-2-3-1002": {"SeServiceLogonRight"}}}
	for _, s := range scm.Services() {
		exe, _ := cfgOf(s).Executable()
		p.files[strings.ToUpper(exe)] = peImage()
	}
	return p
}

func checksOf(fs []Finding) []Check {
	out := []Check{}
	for _, f := range fs {
		out = append(out, f.Check)
	}
	return out
}

// diagnoseOne diagnoses name on scm, with edit applied to the probe first.
func diagnoseOne(t *testing.T, scm *memSCM, name string, edit func(p *fakeProbe)) *Diagnosis {
	t.Helper()
	p := diagnoseProbe(scm)
	if edit != nil {
		edit(p)
	}
	d, err := memManager(scm).Diagnose(context.Background(), name, DiagnoseOptions{probe: p})
	if err != nil {
		t.Fatalf("Diagnose(%s): %v", name, err)
	}
	return d
}

// Each cause is diagnosed with its own finding and nothing else; a
// healthy service has none, and no check it could not read.
func TestDiagnoseFindings(t *testing.T) {
	disabled := healthy("Off", Stopped)
	setCfg(disabled, func(c *Config) { c.StartType = Disabled })
	unquoted := healthy("Unq", Stopped)
	setCfg(unquoted, func(c *Config) { c.BinaryPathName = `C:\Program Files\My App\svc.exe -x` })
	bob := healthy("Bob", Stopped)
	setCfg(bob, func(c *Config) { c.ServiceStartName = `.\bob` })
	alice := healthy("Alice", Stopped)
	setCfg(alice, func(c *Config) { c.ServiceStartName = `.\alice` })
	ghost := healthy("Ghost", Stopped)
	setCfg(ghost, func(c *Config) { c.ServiceStartName = `.\nobody` })
	virtual := healthy("Virt", Stopped)
	setCfg(virtual, func(c *Config) { c.ServiceStartName = `NT SERVICE\X` })
	noRestart := svc("NoRestart", Stopped)
	marked := healthy("Marked", Running)
	marked.Marked = true
	member := healthy("Member", Stopped)
	setCfg(member, func(c *Config) { c.LoadOrderGroup = "Grp" })
	offMember := healthy("OffMember", Stopped)
	setCfg(offMember, func(c *Config) { c.LoadOrderGroup = "OffGrp" })
	setCfg(offMember, func(c *Config) { c.StartType = Disabled })
	scm := newMemSCM(quirks{},
		healthy("Healthy", Stopped, "Lvl1", "+Grp"), healthy("Lvl1", Stopped, "Lvl2"), healthy("Lvl2", Stopped),
		healthy("Deep", Stopped, "Lvl1", "D1"), healthy("D1", Stopped, "D2"), healthy("D2", Stopped, "Off"), disabled,
		healthy("Dangling", Stopped, "Lvl2", "NotThere"), healthy("EmptyGroup", Stopped, "+NoGroup"),
		healthy("OffGroup", Stopped, "+OffGrp"), offMember, member,
		healthy("NoExe", Stopped), healthy("NotPE", Stopped),
		unquoted, bob, alice, ghost, virtual, noRestart, marked)

	for _, tc := range []struct {
		name  string
		edit  func(p *fakeProbe)
		check Check // "" for none
		fix   string
		has   string // in the evidence
	}{
		{"Healthy", nil, "", "", ""},
		{"Alice", nil, "", "", ""},
		{"Virt", nil, "", "", ""},
		{"Off", nil, CheckStartType, "winsvc config Off start= demand", "DISABLED"},
		{"Deep", nil, CheckDependencies, "winsvc config Off start= demand", "Deep -> D1 -> D2 -> Off"},
		{"Dangling", nil, CheckDependencies, "winsvc config Dangling depend= Lvl2", "Dangling -> NotThere"},
		{"EmptyGroup", nil, CheckDependencies, "", "EmptyGroup -> +NoGroup"},
		{"OffGroup", nil, CheckDependencies, "winsvc config OffMember start= demand", "OffGroup -> +OffGrp -> OffMember"},
		{"NoExe", func(p *fakeProbe) { delete(p.files, `C:\SVC\NOEXE.EXE`) }, CheckProgram, "winsvc config NoExe binPath= PROGRAM", `C:\svc\NoExe.exe`},
		{"NotPE", func(p *fakeProbe) {
			p.files[`C:\SVC\NOTPE.EXE`] = []byte("#!/bin/sh\nexit 0\n" + strings.Repeat(" ", 64))
		}, CheckProgram, "winsvc config NotPE binPath= PROGRAM", "no MZ header"},
		{"Unq", func(p *fakeProbe) { p.files[`C:\PROGRAM FILES\MY APP\SVC.EXE`] = peImage() }, CheckUnquotedPath,
			`winsvc config Unq binPath= "\"C:\Program Files\My App\svc.exe\" -x"`, "Program Files"},
		{"Bob", nil, CheckLogonRight, "", "S-1-5-21-1-2-3-1001"},
		{"Ghost", nil, CheckAccount, `winsvc config Ghost obj= ACCOUNT password= PASSWORD`, `.\nobody`},
		{"NoRestart", nil, CheckFailureAction, "winsvc failure NoRestart reset= 86400 actions= restart/60000", "none"},
		{"Marked", nil, CheckMarkedDelete, "winsvc stop Marked", "1072"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := onlyFinding(t, diagnoseOne(t, scm, tc.name, tc.edit), tc.check)
			if f != nil && (f.Fix != tc.fix || !strings.Contains(f.Evidence, tc.has) || f.Message == "") {
				t.Errorf("finding %+v: want fix %q and evidence with %q", f, tc.fix, tc.has)
			}
		})
	}
}

// onlyFinding checks that d read every check and found check alone (or,
// with check "", nothing), and returns that finding (nil for none).
func onlyFinding(t *testing.T, d *Diagnosis, check Check) *Finding {
	t.Helper()
	if len(d.NotReadable) != 0 {
		t.Errorf("not readable: %+v", d.NotReadable)
	}
	if check == "" {
		if !d.OK() {
			t.Fatalf("findings on a healthy service: %+v", d.Findings)
		}
		return nil
	}
	if got := checksOf(d.Findings); !slices.Equal(got, []Check{check}) {
		t.Fatalf("findings %v, want only %s: %+v", got, check, d.Findings)
	}
	return &d.Findings[0]
}

// What the probe cannot read is a NotReadable, never a finding: an LSA
// that cannot be trusted, a connection that reads no files.
func TestDiagnoseCannotBeReadHere(t *testing.T) {
	bob := healthy("Bob", Stopped)
	setCfg(bob, func(c *Config) { c.ServiceStartName = `.\bob` })
	scm := newMemSCM(quirks{}, bob)
	d := diagnoseOne(t, scm, "Bob", func(p *fakeProbe) { p.notHere = true })
	if !d.OK() || len(d.NotReadable) != 1 || d.NotReadable[0].Check != CheckLogonRight ||
		!strings.HasPrefix(d.NotReadable[0].Reason, "cannot be read here: ") {
		t.Fatalf("findings %+v, not readable %+v: want only logon-right not readable", d.Findings, d.NotReadable)
	}
	d, err := memManager(scm).Diagnose(context.Background(), "Bob", DiagnoseOptions{}) // noProbe: memscm reads no files
	if err != nil {
		t.Fatal(err)
	}
	got := []Check{}
	for _, n := range d.NotReadable {
		got = append(got, n.Check)
	}
	if !d.OK() || !slices.Equal(got, []Check{CheckProgram, CheckAccount, CheckLogonRight}) {
		t.Fatalf("findings %+v, not readable %v", d.Findings, got)
	}
}

// deniedStart is an SCM whose descriptors refuse SERVICE_START, or
// SERVICE_CHANGE_CONFIG.
type deniedStart struct {
	*memSCM
	mask uint32
}

func (c deniedStart) OpenService(name string, access uint32) (platformService, error) {
	if access&c.mask != 0 {
		return nil, ErrAccessDenied
	}
	return c.memSCM.OpenService(name, access)
}

func TestDiagnoseAccess(t *testing.T) {
	scm := newMemSCM(quirks{}, healthy("A", Stopped))
	p := diagnoseProbe(scm)
	d, err := memManager(deniedStart{scm, accessStart}).Diagnose(context.Background(), "A", DiagnoseOptions{probe: p})
	if err != nil {
		t.Fatal(err)
	}
	if got := checksOf(d.Findings); !slices.Equal(got, []Check{CheckStartAccess}) || len(d.NotReadable) != 0 {
		t.Fatalf("findings %+v, not readable %+v", d.Findings, d.NotReadable)
	}
	// Without SERVICE_CHANGE_CONFIG, marked-for-deletion cannot be read.
	d, err = memManager(deniedStart{scm, accessChangeConfig}).Diagnose(context.Background(), "A", DiagnoseOptions{probe: p})
	if err != nil {
		t.Fatal(err)
	}
	if !d.OK() || len(d.NotReadable) != 1 || d.NotReadable[0].Check != CheckMarkedDelete {
		t.Fatalf("findings %+v, not readable %+v", d.Findings, d.NotReadable)
	}
}

func TestDiagnoseNotFound(t *testing.T) {
	_, err := memManager(newMemSCM(quirks{})).Diagnose(context.Background(), "Nope", DiagnoseOptions{})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %v, want ErrNotFound", err)
	}
}

// DiagnoseAll returns every service, in name order, each diagnosed as
// Diagnose would.
func TestDiagnoseAll(t *testing.T) {
	off := healthy("off", Stopped)
	setCfg(off, func(c *Config) { c.StartType = Disabled })
	scm := newMemSCM(quirks{}, healthy("b", Stopped, "off"), healthy("A", Stopped), off, healthy("c", Running, "A"))
	all, err := memManager(scm).DiagnoseAll(context.Background(), DiagnoseOptions{probe: diagnoseProbe(scm)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range all {
		got = append(got, fmt.Sprintf("%s:%v", d.Name, checksOf(d.Findings)))
	}
	want := []string{"A:[]", "b:[dependencies]", "c:[]", "off:[start-type]"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestDiagnoseExitCode(t *testing.T) {
	d := &diagnosis{Diagnosis: &Diagnosis{}}
	d.checkExitCode("A", Status{State: Stopped, Win32ExitCode: 1077})
	d.checkExitCode("A", Status{State: Stopped})
	if !d.OK() {
		t.Fatalf("never started or clean exit reported: %+v", d.Findings)
	}
	d.checkExitCode("A", Status{State: Stopped, Win32ExitCode: 1066, ServiceSpecificExitCode: 5})
	d.checkExitCode("A", Status{State: Stopped, Win32ExitCode: 2})
	if len(d.Findings) != 2 || !strings.Contains(d.Findings[0].Evidence, "ERROR_SERVICE_SPECIFIC_ERROR (1066)") ||
		!strings.Contains(d.Findings[0].Evidence, "serviceSpecificExitCode: 5") ||
		!strings.Contains(d.Findings[1].Evidence, "ERROR_FILE_NOT_FOUND") {
		t.Fatalf("findings: %+v", d.Findings)
	}
}

func TestPEKind(t *testing.T) {
	far := peImage()
	binary.LittleEndian.PutUint32(far[0x3C:], 0x7FFFFFFF)
	dos := peImage()
	copy(dos[0x40:], "NE\x00\x00")
	for _, tc := range []struct {
		b    []byte
		want string
	}{
		{peImage(), ""},
		{nil, "a file of 0 bytes"},
		{[]byte("MZ"), "a file of 2 bytes"},
		{far, "past the end"},
		{dos, "without a PE header"},
	} {
		got, err := peKind(bytes.NewReader(tc.b))
		if err != nil || (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("peKind(%q) = %q, %v; want %q", tc.b, got, err, tc.want)
		}
	}
}
