//go:build windows

package winscm

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/winsvc/winsvc/internal/scm"
)

// hostProbe reads files of the local machine only; accounts and rights on
// the SCM's machine.
func (c *winSCM) HostProbe() scm.HostProbe { return &winProbe{machine: c.machine} }

// winProbe is Diagnose's hostProbe on Windows (and under Wine).
type winProbe struct {
	machine string // "" for the local machine

	calibrate sync.Once
	lsaErr    error // why the LSA's answers cannot be trusted here, if so
}

// local expands path's environment variables, on the local machine only.
func (p *winProbe) local(path string) (string, error) {
	if p.machine != "" {
		return "", fmt.Errorf("%w: %s is on %s, and files are read on this machine only", scm.ErrNotHere, path, p.machine)
	}
	x, err := registry.ExpandString(path)
	if err != nil {
		return "", fmt.Errorf("%w: expanding the environment variables of %s: %v", scm.ErrNotHere, path, err)
	}
	if i := strings.IndexByte(x, '%'); i >= 0 && strings.IndexByte(x[i+1:], '%') >= 0 {
		return "", fmt.Errorf("%w: %s names an environment variable that is not set here", scm.ErrNotHere, path)
	}
	return x, nil
}

// Writable creates a file in dir and removes it: only a write tells
// whether the directory's ACL lets this account write there.
func (p *winProbe) Writable(dir string) error {
	x, err := p.local(dir)
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

func (p *winProbe) OpenProgram(path string) (scm.ProgramFile, error) {
	expanded, err := p.local(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(expanded)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (p *winProbe) Stat(path string) (fs.FileInfo, error) {
	expanded, err := p.local(path)
	if err != nil {
		return nil, err
	}
	return os.Stat(expanded)
}

func (p *winProbe) LookupAccount(name string) (string, bool, error) {
	if user, ok := strings.CutPrefix(name, `.\`); ok {
		host := p.machine
		if host == "" {
			var err error
			if host, err = windows.ComputerName(); err != nil {
				return "", false, err
			}
		}
		name = host + `\` + user
	}
	sid, _, kind, err := windows.LookupSID(p.machine, name)
	if errors.Is(err, windows.ERROR_NONE_MAPPED) {
		return "", false, fmt.Errorf("%w: ERROR_NONE_MAPPED (1332)", scm.ErrNoAccount)
	}
	if err != nil {
		return "", false, err
	}
	return sid.String(), kind == windows.SidTypeUser, nil
}

// accountRights reads the rights held by sid from the LSA. An LSA that
// reports none even for BUILTIN\Administrators (Wine's stub does, for any
// SID) cannot tell a user without the right from one with it: its answers
// are "cannot be read here".
func (p *winProbe) AccountRights(sid string) ([]string, error) {
	p.calibrate.Do(func() {
		rights, err := p.lsaRights("S-1-5-32-544")
		switch {
		case err != nil:
			p.lsaErr = fmt.Errorf("%w: the LSA: %v", scm.ErrNotHere, err)
		case len(rights) == 0:
			p.lsaErr = fmt.Errorf("%w: this machine's LSA reports no rights even for BUILTIN\\Administrators", scm.ErrNotHere)
		}
	})
	if p.lsaErr != nil {
		return nil, p.lsaErr
	}
	return p.lsaRights(sid)
}

var (
	modAdvapi32                   = windows.NewLazySystemDLL("advapi32.dll")
	procLsaOpenPolicy             = modAdvapi32.NewProc("LsaOpenPolicy")
	procLsaEnumerateAccountRights = modAdvapi32.NewProc("LsaEnumerateAccountRights")
	procLsaFreeMemory             = modAdvapi32.NewProc("LsaFreeMemory")
	procLsaClose                  = modAdvapi32.NewProc("LsaClose")
	procLsaNtStatusToWinError     = modAdvapi32.NewProc("LsaNtStatusToWinError")
)

const (
	policyLookupNames         = 0x00000800 // POLICY_LOOKUP_NAMES
	statusObjectNameNotFound  = 0xC0000034 // STATUS_OBJECT_NAME_NOT_FOUND: the SID holds no rights
	maxAccountRightsEnumerate = 1 << 12
)

func lsaError(status uintptr) error {
	code, _, _ := procLsaNtStatusToWinError.Call(status)
	return windows.Errno(code)
}

// lsaRights calls LsaEnumerateAccountRights for sid on p's machine.
func (p *winProbe) lsaRights(sidString string) ([]string, error) {
	sid, err := windows.StringToSid(sidString)
	if err != nil {
		return nil, err
	}
	var system *windows.NTUnicodeString
	if p.machine != "" {
		if system, err = windows.NewNTUnicodeString(p.machine); err != nil {
			return nil, err
		}
	}
	var attrs windows.OBJECT_ATTRIBUTES
	attrs.Length = uint32(unsafe.Sizeof(attrs))
	var policy uintptr
	if st, _, _ := procLsaOpenPolicy.Call(uintptr(unsafe.Pointer(system)), uintptr(unsafe.Pointer(&attrs)),
		policyLookupNames, uintptr(unsafe.Pointer(&policy))); st != 0 {
		return nil, fmt.Errorf("LsaOpenPolicy: %w", lsaError(st))
	}
	defer procLsaClose.Call(policy)
	var list *windows.NTUnicodeString
	var count uint32
	st, _, _ := procLsaEnumerateAccountRights.Call(policy, uintptr(unsafe.Pointer(sid)),
		uintptr(unsafe.Pointer(&list)), uintptr(unsafe.Pointer(&count)))
	if list != nil {
		defer procLsaFreeMemory.Call(uintptr(unsafe.Pointer(list)))
	}
	switch {
	case st == statusObjectNameNotFound:
		return []string{}, nil
	case st != 0:
		return nil, fmt.Errorf("LsaEnumerateAccountRights: %w", lsaError(st))
	case count > maxAccountRightsEnumerate:
		return nil, fmt.Errorf("LsaEnumerateAccountRights: %d rights, more than any account holds", count)
	}
	rights := make([]string, 0, count)
	for _, s := range unsafe.Slice(list, count) {
		rights = append(rights, s.String())
	}
	return rights, nil
}
