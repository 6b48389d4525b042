package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/limits"
	"github.com/winsvc/winsvc/internal/valerr"
)

var (
	createCmd = &command{name: "create", group: groupConfig, summary: "Create a service",
		usage: "create NAME binPath= CMDLINE [option= value ...]",
		details: "Options work in sc syntax (binPath= \"C:\\x\\y.exe\", the value in the next\n" +
			"argument, or binPath=\"C:\\x\\y.exe\") and as flags (--binpath \"C:\\x\\y.exe\").\n" +
			"Defaults: type= own, start= demand, error= normal, obj= LocalSystem,\n" +
			"DisplayName= NAME. binPath= is a whole command line: an unquoted program\n" +
			"path with spaces is quoted, so it cannot be hijacked.\n\n" + passwordHelp,
		examples: []string{
			`winsvc create MySvc binPath= "C:\Program Files\My App\svc.exe --port 8080"`,
			`winsvc create Foo binPath= "C:\x\y.exe" start= delayed-auto DisplayName= "Foo Svc" depend= Tcpip/+NetworkProvider obj= LocalSystem`,
			`type pw.txt | winsvc create MySvc --binpath C:\app\svc.exe --start auto --obj .\svcuser --password-stdin`,
			`winsvc create MySvc binPath= C:\app\svc.exe --dry-run --json`,
		},
		options: configOptions, minArgs: 1, maxArgs: 1, newName: true,
		action: newAction(parseCreate, runConfig, renderSave)}
	configCmd = &command{name: "config", group: groupConfig, summary: "Change a service's configuration",
		usage: "config NAME option= value [option= value ...]",
		details: "Only the options given change; winsvc writes only what differs. start= auto\n" +
			"also clears delayed auto-start; depend= / removes every dependency; group= \"\"\n" +
			"removes the service from its group. --dry-run prints the changes only.\n\n" + passwordHelp,
		examples: []string{
			`winsvc config MySvc start= auto`,
			`winsvc config MySvc DisplayName= "My Service" depend= /`,
			`type pw.txt | winsvc config MySvc obj= .\svcuser --password-stdin`,
			`winsvc config MySvc --start disabled --dry-run`,
		},
		options: configOptions, minArgs: 1, maxArgs: 1, nameArg: true,
		action: newAction(parseConfigVerb, runConfig, renderSave)}
)

const passwordHelp = "Passwords: password= works but shows in process lists; prefer\n" +
	"--password-stdin (the first line of stdin) or the WINSVC_PASSWORD environment\n" +
	"variable, which is used when the service runs as a user account. A password is\n" +
	"never echoed, logged or printed in JSON."

var (
	optType = &option{name: "type", sc: true, repeat: true, value: "TYPE", values: []string{"own", "share", "kernel", "filesys", "rec", "adapt", "interact", "userown", "usershare"},
		also: []string{"WIN32_OWN_PROCESS", "WIN32_SHARE_PROCESS", "KERNEL_DRIVER", "FILE_SYSTEM_DRIVER", "RECOGNIZER_DRIVER", "ADAPTER", "USER_OWN_PROCESS", "USER_SHARE_PROCESS"},
		help: "service type; repeat to combine (type= interact type= own)"}
	optStart = &option{name: "start", sc: true, value: "START", values: startWords, also: startAliases, help: "start type"}
	optError = &option{name: "error", sc: true, value: "LEVEL", values: []string{"normal", "severe", "critical", "ignore"},
		also: []string{"ERROR_NORMAL", "ERROR_SEVERE", "ERROR_CRITICAL", "ERROR_IGNORE"}, help: "error control"}
	optBinPath     = &option{name: "binPath", aliases: []string{"binary-path"}, sc: true, value: "CMDLINE", help: "the command line: program path and arguments"}
	optGroup       = &option{name: "group", sc: true, value: "GROUP", help: "load-order group; \"\" removes it"}
	optTag         = &option{name: "tag", sc: true, value: "yes|no", values: []string{"yes", "no"}, help: "yes asks the SCM for a tag in the load-order group (group= needed; tags order boot- and system-start drivers)"}
	optDepend      = &option{name: "depend", sc: true, value: "A/B/+GROUP", help: "dependencies separated by /, groups prefixed with +; / alone removes all"}
	optObj         = &option{name: "obj", aliases: []string{"account"}, sc: true, value: "ACCOUNT", help: "the account the service runs as"}
	optDisplayName = &option{name: "DisplayName", aliases: []string{"display-name"}, sc: true, value: "TEXT", help: "display name"}
	optPassword    = &option{name: "password", sc: true, value: "PASSWORD", help: "the account's password (visible in process lists: prefer --password-stdin)"}
	optPwStdin     = &option{name: "password-stdin", bool: true, help: "read the password from the first line of stdin"}
	optDryRun      = &option{name: "dry-run", bool: true, help: "print the changes without making them"}
	configOptions  = slices.Concat([]*option{optBinPath, optType, optStart, optError, optGroup, optTag, optDepend, optObj, optDisplayName, optPassword, optPwStdin},
		programOptions, []*option{optDryRun})
)

// envPassword is the environment variable a password can come from.
const envPassword = "WINSVC_PASSWORD"

// PasswordOptions say where the password comes from. The password itself
// is read only when the verb runs.
type PasswordOptions struct {
	Arg      string // password= (sc compatibility)
	ArgGiven bool
	Stdin    bool
}

// ConfigOptions are the Options of create and config.
type ConfigOptions struct {
	Create   bool
	Def      winsvc.Definition
	Password PasswordOptions
	DryRun   bool
	// Program changes the service's host.Program (the program options);
	// nil when none is given.
	Program func(*host.Program)
}

func parseCreate(p *parsed) (*ConfigOptions, error) {
	o, err := parseConfig(p)
	if err != nil {
		return nil, err
	}
	o.Create = true
	if !p.has(optBinPath) && !p.has(optProgram) {
		return nil, p.usagef("binPath= is required: the command line of the service (or --program PATH, to host a program)")
	}
	return o, nil
}

func parseConfigVerb(p *parsed) (*ConfigOptions, error) {
	o, err := parseConfig(p)
	if err != nil {
		return nil, err
	}
	// tag= no asks for nothing, so alone it changes nothing; tag= yes asks
	// the SCM for a tag (the service needs a load-order group).
	for _, opt := range configOptions {
		if opt != optDryRun && opt != optTag && p.has(opt) {
			return o, nil
		}
	}
	if o.Def.RequestTag {
		return o, nil
	}
	return nil, p.usagef("nothing to change: give at least one option, such as start= auto")
}

// parseConfig turns the sc options into a Definition that sets exactly the
// settings given.
func parseConfig(p *parsed) (*ConfigOptions, error) {
	o := &ConfigOptions{Def: winsvc.Definition{Name: p.arg(0)}, DryRun: p.on(optDryRun)}
	d := &o.Def
	if p.has(optBinPath) {
		// binPath= is a command line, as sc takes it.
		if strings.TrimSpace(p.str(optBinPath)) == "" {
			return nil, p.usagef("binPath= must not be empty")
		}
		d.CommandLine = p.str(optBinPath)
	}
	if p.has(optType) {
		t, err := parseTypes(p.all(optType))
		if err != nil {
			return nil, p.usagef("type= %v", err)
		}
		d.ServiceType = t
	}
	if p.has(optStart) {
		if err := parseStart(p.str(optStart), d); err != nil {
			return nil, p.usagef("start= %v", err)
		}
	}
	if p.has(optError) {
		ec, err := parseEnum[winsvc.ErrorControl](p.str(optError))
		if err != nil {
			return nil, p.usagef("error= %q: use normal, severe, critical or ignore", p.str(optError))
		}
		d.ErrorControl = &ec
	}
	if p.has(optGroup) {
		d.LoadOrderGroup = winsvc.Ptr(p.str(optGroup))
	}
	if p.has(optDepend) {
		d.Dependencies = parseDependencies(p.str(optDepend))
	}
	d.ServiceStartName = p.str(optObj)
	d.DisplayName = p.str(optDisplayName)
	switch t := strings.ToLower(p.str(optTag)); {
	case t == "yes":
		d.RequestTag = true
	case t != "" && t != "no":
		return nil, p.usagef("tag= %q: use yes or no", p.str(optTag))
	}
	prog, err := parseProgram(p)
	if err != nil {
		return nil, err
	}
	o.Program = prog
	o.Password = PasswordOptions{Arg: p.str(optPassword), ArgGiven: p.has(optPassword), Stdin: p.on(optPwStdin)}
	if o.Password.ArgGiven && o.Password.Stdin {
		return nil, p.usagef("give the password with password= or --password-stdin, not both")
	}
	// The values are checked before connecting, as New and Apply would
	// check them after: bad input fails the same way with or without an SCM.
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// parseTypes combines the type= values, as sc does: "interact" adds the
// interactive flag to own (the default) or share.
func parseTypes(values []string) (winsvc.ServiceType, error) {
	var t winsvc.ServiceType
	interactive := false
	for _, v := range values {
		if strings.EqualFold(v, "interact") {
			interactive = true
			continue
		}
		x, err := parseEnum[winsvc.ServiceType](v)
		if err != nil || x == 0 {
			return 0, fmt.Errorf("%s: use own, share, kernel, filesys, rec, adapt, interact, userown or usershare", valerr.Quote(v))
		}
		t |= x
	}
	if interactive {
		if t == 0 {
			t = winsvc.Win32OwnProcess
		}
		t |= winsvc.InteractiveProcess
	}
	return t, nil
}

// The words of start= (and list --start): sc's, then the aliases and the
// Win32 names, which parseStart takes too.
var (
	startWords   = []string{"boot", "system", "auto", "demand", "disabled", "delayed-auto"}
	startAliases = []string{"automatic", "manual", "BOOT_START", "SYSTEM_START", "AUTO_START", "DEMAND_START"}
)

// parseStart sets the start type. delayed-auto is AUTO_START with the
// delayed flag; every other start type clears the flag, so that switching
// back to plain auto really is plain auto.
func parseStart(v string, d *winsvc.Definition) error {
	if strings.EqualFold(v, "delayed-auto") {
		d.StartType, d.DelayedAutoStart = winsvc.Ptr(winsvc.AutoStart), winsvc.Ptr(true)
		return nil
	}
	st, err := parseEnum[winsvc.StartType](v)
	if err != nil {
		return fmt.Errorf("%s: use boot, system, auto, demand, disabled or delayed-auto", valerr.Quote(v))
	}
	d.StartType, d.DelayedAutoStart = &st, winsvc.Ptr(false)
	return nil
}

// parseDependencies splits "A/B/+Group"; "/" alone is the empty list, which
// removes every dependency.
func parseDependencies(v string) []winsvc.Dependency {
	deps := []winsvc.Dependency{}
	for _, s := range strings.Split(v, "/") {
		if s = strings.TrimSpace(s); s != "" {
			deps = append(deps, winsvc.ParseDependency(s))
		}
	}
	return deps
}

// password returns the password to save with, from password=,
// --password-stdin or, for a user account, $WINSVC_PASSWORD. The password
// becomes a secret of e's redactor, so that nothing on stderr shows it.
func (o PasswordOptions) password(e *env, account string) (pw string, err error) {
	switch {
	case o.ArgGiven:
		pw = o.Arg
	case o.Stdin:
		pw, err = readPassword(e.io.In)
	case winsvc.NeedsPassword(account):
		pw = e.f.Getenv(envPassword)
	}
	e.redact.add(pw)
	if o.ArgGiven {
		e.warn("password= shows the password in process lists and shell history; prefer --password-stdin or %s", envPassword)
	}
	return pw, err
}

// readPassword reads the first line of r, without its line ending,
// reading at most 64 KiB (limits.Password).
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, limits.Password+1)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password from stdin: %w", err)
	}
	if len(line) > limits.Password {
		return "", limits.Beyond("--password-stdin: the first line of stdin is longer than", limits.Size(limits.Password))
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", &usageError{verb: "password", msg: "--password-stdin: stdin is empty"}
	}
	return line, nil
}

// saveJSON is the JSON result of a verb that saves a service.
type saveJSON struct {
	Plan          winsvc.Plan                `json:"plan"`
	Skipped       []winsvc.SkippedStep       `json:"skipped"`
	Unverified    []winsvc.UnverifiedSetting `json:"unverified"`
	Unchecked     []winsvc.UncheckedFile     `json:"unchecked,omitempty"`
	RestartNeeded []winsvc.Field             `json:"restartNeeded"`
	DryRun        bool                       `json:"dryRun"`
	Config        *winsvc.Config             `json:"config"`
}

// runConfig creates the service (create) or changes it (config).
func runConfig(ctx context.Context, e *env, o *ConfigOptions) (saveResult, error) {
	m, err := e.manager()
	if err != nil {
		return saveResult{}, err
	}
	var svc *winsvc.Service
	if o.Create {
		if o.Program != nil {
			o.Def.Program = editedProgram(nil, o.Program)
			if o.Def.CommandLine == "" {
				if o.Def.CommandLine, err = hostCommandLine(o.Def.Name); err != nil {
					return saveResult{}, err
				}
			}
		}
		svc, err = m.New(o.Def)
	} else {
		svc, err = loadAndApply(ctx, m, o.Def, o.Program)
	}
	if err != nil {
		return saveResult{}, err
	}
	pw, err := o.Password.password(e, svc.Config().ServiceStartName)
	if err != nil {
		return saveResult{}, err
	}
	call := "ChangeServiceConfig"
	if o.Create {
		call = "CreateService"
	}
	// sc create fails on an existing service, where Save would update it.
	return save(ctx, svc, winsvc.SaveOptions{Password: pw, DryRun: o.DryRun, CreateOnly: o.Create}, call)
}

// loadAndApply loads service def.Name and applies the settings def sets,
// and edit (if not nil) to its hosted program's settings.
func loadAndApply(ctx context.Context, m SCM, def winsvc.Definition, edit func(*host.Program)) (*winsvc.Service, error) {
	svc, err := m.Load(ctx, def.Name)
	if err != nil {
		return nil, err
	}
	if edit != nil {
		def.Program = editedProgram(svc.Config().Program, edit)
	}
	// An SCM that cannot report delayed auto-start cannot set it either, so
	// there is no delayed flag to clear (Wine).
	if def.DelayedAutoStart != nil && !*def.DelayedAutoStart && !svc.Config().Available(winsvc.FieldDelayedAutoStart) {
		def.DelayedAutoStart = nil
	}
	if err := svc.Apply(def); err != nil {
		return nil, err
	}
	return svc, nil
}

// saveResult is the outcome of a save, for renderSave: call is the SCM
// call sc names in its success line.
type saveResult struct {
	res    *winsvc.SaveResult
	opts   winsvc.SaveOptions
	config *winsvc.Config
	call   string
}

// save persists svc.
func save(ctx context.Context, svc *winsvc.Service, opts winsvc.SaveOptions, call string) (saveResult, error) {
	res, err := svc.Save(ctx, opts)
	return saveResult{res: res, opts: opts, config: svc.Config(), call: call}, err
}

// renderSave reports a save: sc's "[SC] call SUCCESS" (or the plan, for a
// dry run), or the plan and the configuration as JSON; warnings on stderr.
func renderSave(e *env, r saveResult) error { return e.reportSave(r.res, r.opts, r.config, r.call) }

// reportSave prints the result of a save (see renderSave); opts.Password is
// never printed.
func (e *env) reportSave(res *winsvc.SaveResult, opts winsvc.SaveOptions, c *winsvc.Config, call string) error {
	for _, s := range res.Skipped {
		e.warn("the default %s was not applied: this Service Control Manager does not support it (%s)", s.Kind, s.Reason)
	}
	for _, u := range res.Unverified {
		e.warn("%s was accepted but cannot be read back, so whether it took effect is unknown (%s)", u.Field, u.Reason)
	}
	for _, u := range uncheckedByReason(res.Unchecked) {
		e.warn("%s not checked before the save (%s)", u.Field, u.Reason)
	}
	if e.json {
		return e.writeJSON(saveJSON{Plan: res.Plan, Skipped: nonNil(res.Skipped), Unverified: nonNil(res.Unverified), Unchecked: res.Unchecked,
			RestartNeeded: nonNil(res.RestartNeeded), DryRun: opts.DryRun, Config: c})
	}
	if opts.DryRun {
		e.printf("%s", res.Plan.String())
		if !strings.HasSuffix(res.Plan.String(), "\n") {
			e.printf("\n")
		}
		return nil
	}
	scSuccess(e.io.Out, call)
	if note := res.RestartNote(); note != "" {
		e.note("%s", note)
	}
	return nil
}

// uncheckedByReason joins the fields of the files not checked for one
// reason: "program.path, program.stdout" once.
func uncheckedByReason(list []winsvc.UncheckedFile) []winsvc.UncheckedFile {
	var out []winsvc.UncheckedFile
	at := map[string]int{}
	for _, u := range list {
		if i, ok := at[u.Reason]; ok {
			out[i].Field += ", " + u.Field
			continue
		}
		at[u.Reason] = len(out)
		out = append(out, winsvc.UncheckedFile{Field: u.Field, Reason: u.Reason})
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
