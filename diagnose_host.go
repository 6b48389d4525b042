package winsvc

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/winsvc/winsvc/internal/cmdline"
	"github.com/winsvc/winsvc/internal/scm"
)

var (
	errNotHere   = scm.ErrNotHere // its message is cannotReadHere
	errNoAccount = scm.ErrNoAccount
)

// hostProbe returns the probe of m's connection, or one that reads nothing.
func (m *Manager) hostProbe() hostProbe {
	var p hostProbe = noProbe{}
	_ = m.use(context.Background(), "diagnose", "", func(c scmConn) error {
		if pc, ok := platform(c).(probeConn); ok {
			p = pc.HostProbe()
		}
		return nil
	})
	return p
}

// noProbe is the probe of a connection that reads no files or accounts.
type noProbe struct{}

func (noProbe) OpenProgram(string) (programFile, error) {
	return nil, fmt.Errorf("%w: this SCM connection reads no files", errNotHere)
}
func (noProbe) LookupAccount(string) (string, bool, error) {
	return "", false, fmt.Errorf("%w: this SCM connection looks up no accounts", errNotHere)
}
func (noProbe) AccountRights(string) ([]string, error) {
	return nil, fmt.Errorf("%w: this SCM connection reads no account rights", errNotHere)
}
func (noProbe) Stat(string) (fs.FileInfo, error) {
	return nil, fmt.Errorf("%w: this SCM connection reads no files", errNotHere)
}

// notHereReason is err's reason without the errNotHere prefix.
func notHereReason(err error) string {
	return strings.TrimPrefix(strings.TrimPrefix(err.Error(), cannotReadHere), ": ")
}

// peKind reads a file's headers: "" for a Windows executable (an MZ header
// whose e_lfanew points at "PE\0\0"), or what it is instead.
func peKind(f io.ReaderAt) (string, error) {
	var dos [64]byte
	n, err := f.ReadAt(dos[:], 0)
	if n < len(dos) {
		if err == io.EOF || err == nil {
			return fmt.Sprintf("a file of %d bytes, too short for an MZ header", n), nil
		}
		return "", err
	}
	if dos[0] != 'M' || dos[1] != 'Z' {
		return fmt.Sprintf("no MZ header (it starts with %q)", dos[:2]), nil
	}
	off := int64(binary.LittleEndian.Uint32(dos[0x3C:]))
	var sig [4]byte
	if n, err := f.ReadAt(sig[:], off); n < len(sig) {
		if err == io.EOF || err == nil {
			return fmt.Sprintf("an MZ header whose PE header offset (0x%X) is past the end of the file", off), nil
		}
		return "", err
	}
	if string(sig[:]) != "PE\x00\x00" {
		return fmt.Sprintf("an MZ header without a PE header at 0x%X (a DOS program?)", off), nil
	}
	return "", nil
}

// accountVariables are the environment variables whose value is the
// account's own: the caller's value is not the one the service's account
// (or the SCM, for its program path) expands.
var accountVariables = []string{"USERPROFILE", "TEMP", "TMP", "APPDATA", "LOCALAPPDATA", "HOMEDRIVE", "HOMEPATH",
	"HOMESHARE", "USERNAME", "USERDOMAIN", "ONEDRIVE"}

// accountVariable returns the first of accountVariables that path holds
// (as %NAME%), or "".
func accountVariable(path string) string {
	upper := strings.ToUpper(path)
	for _, v := range accountVariables {
		if strings.Contains(upper, "%"+v+"%") {
			return v
		}
	}
	return ""
}

// ownVariable reports, as not readable for check c, a path that holds an
// account's own variable: read with the caller's value, a finding could be
// false.
func (d *diagnosis) ownVariable(c Check, path string) bool {
	v := accountVariable(path)
	if v != "" {
		d.notReadable(c, fmt.Sprintf("%s holds %%%s%%, whose value is the service account's own, not this caller's", path, v))
	}
	return v != ""
}

// checkProgramFile checks one program path for check c: it exists and is a
// Windows executable. what names it in messages ("the program", "the hosted
// program").
func (d *diagnosis) checkProgramFile(probe hostProbe, c Check, what, file, fix string) {
	if d.ownVariable(c, file) {
		return
	}
	f, err := probe.OpenProgram(file)
	if errors.Is(err, fs.ErrNotExist) && path.Ext(strings.ReplaceAll(file, `\`, "/")) == "" {
		f, err = probe.OpenProgram(file + ".exe") // as CreateProcess does
	}
	switch {
	case errors.Is(err, errNotHere):
		d.notReadable(c, notHereReason(err))
		return
	case errors.Is(err, fs.ErrNotExist):
		d.found(c, SeverityError, what+" does not exist: the service cannot start (ERROR_FILE_NOT_FOUND, 2)",
			fmt.Sprintf("%s: %s", file, err), fix)
		return
	case err != nil:
		d.notReadable(c, fmt.Sprintf("%s: %v", file, err))
		return
	}
	defer f.Close()
	kind, err := peKind(f)
	switch {
	case err != nil:
		d.notReadable(c, fmt.Sprintf("%s: %v", file, err))
	case kind != "":
		d.found(c, SeverityError, what+" is not a Windows executable: the service cannot start (ERROR_BAD_EXE_FORMAT, 193)",
			fmt.Sprintf("%s: %s", file, kind), fix)
	}
}

// checkProgram checks the service's program. A driver's image is loaded by
// the kernel from paths of its own, and is not checked.
func (d *diagnosis) checkProgram(probe hostProbe, c *Config) {
	if c.ServiceType&(KernelDriver|FileSystemDriver) != 0 {
		return
	}
	exe, _ := c.Executable()
	if exe == "" {
		d.found(CheckProgram, SeverityError, "the service has no program path", "binaryPathName: "+c.BinaryPathName,
			fmt.Sprintf("winsvc config %s binPath= PROGRAM", cmdline.QuoteArg(c.Name)))
		return
	}
	d.checkProgramFile(probe, CheckProgram, "the program", exe, fmt.Sprintf("winsvc config %s binPath= PROGRAM", cmdline.QuoteArg(c.Name)))
}

// builtinAccount reports whether account needs neither a lookup nor the
// logon right: LocalSystem and the service accounts of NT AUTHORITY.
func builtinAccount(account string) bool {
	switch strings.ToUpper(strings.TrimPrefix(account, `.\`)) {
	case "", "LOCALSYSTEM", `NT AUTHORITY\SYSTEM`, `NT AUTHORITY\LOCALSERVICE`, `NT AUTHORITY\LOCAL SERVICE`,
		`NT AUTHORITY\NETWORKSERVICE`, `NT AUTHORITY\NETWORK SERVICE`:
		return true
	}
	return false
}

// serviceLogonRight is the right an account needs to run a service.
const serviceLogonRight = "SeServiceLogonRight"

// checkAccount checks the account a Win32 service runs as: it exists and,
// for a user account, holds the right to log on as a service.
func (d *diagnosis) checkAccount(probe hostProbe, c *Config) {
	if c.ServiceType&(KernelDriver|FileSystemDriver) != 0 || builtinAccount(c.ServiceStartName) {
		return
	}
	account := c.ServiceStartName
	fix := fmt.Sprintf("winsvc config %s obj= ACCOUNT password= PASSWORD", cmdline.QuoteArg(c.Name))
	sid, user, err := probe.LookupAccount(account)
	switch {
	case errors.Is(err, errNotHere):
		d.notReadable(CheckAccount, notHereReason(err))
		d.notReadable(CheckLogonRight, "the account could not be looked up")
		return
	case errors.Is(err, errNoAccount):
		d.found(CheckAccount, SeverityError, "the account the service runs as does not exist: the service cannot start (ERROR_SERVICE_LOGON_FAILED, 1069)",
			fmt.Sprintf("serviceStartName: %s; LookupAccountName: %v", account, err), fix)
		return
	case err != nil:
		d.notReadable(CheckAccount, fmt.Sprintf("%s: %v", account, err))
		d.notReadable(CheckLogonRight, "the account could not be looked up")
		return
	case !user:
		return // a virtual or managed account, a group: the SCM grants what it needs
	}
	rights, err := probe.AccountRights(sid)
	switch {
	case errors.Is(err, errNotHere):
		d.notReadable(CheckLogonRight, notHereReason(err))
	case err != nil:
		d.notReadable(CheckLogonRight, fmt.Sprintf("%s (%s): %v", account, sid, err))
	default:
		for _, r := range rights {
			if strings.EqualFold(r, serviceLogonRight) {
				return
			}
		}
		d.found(CheckLogonRight, SeverityError,
			"the account does not itself hold SeServiceLogonRight (log on as a service): unless a group of it does, the service cannot start (1069); grant it in secpol.msc (User Rights Assignment, Log on as a service)",
			fmt.Sprintf("serviceStartName: %s (%s); its rights: %s", account, sid, rightsList(rights)), "")
	}
}

func rightsList(rights []string) string {
	if len(rights) == 0 {
		return "none"
	}
	return strings.Join(rights, ", ")
}
