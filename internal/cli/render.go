package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/winsvc/winsvc"
)

// This file lays text out the way sc.exe does: "SERVICE_NAME: x", then
// indented "KEY : value" lines with the Win32 value names.

// fieldWriter writes sc.exe's indented "KEY    : value" lines.
type fieldWriter struct {
	w     io.Writer
	width int // the key column
}

func newFields(w io.Writer, width int) *fieldWriter { return &fieldWriter{w: w, width: width} }

// line writes one field; values after the first go on continuation lines
// that repeat the colon, as sc's DEPENDENCIES do.
func (f *fieldWriter) line(key string, values ...string) { f.write(key, ": ", values) }

// list is line with bare continuation lines, as sc's FAILURE_ACTIONS are.
func (f *fieldWriter) list(key string, values ...string) { f.write(key, "  ", values) }

func (f *fieldWriter) write(key, sep string, values []string) {
	if len(values) == 0 {
		values = []string{""}
	}
	for i, v := range values {
		s := fmt.Sprintf("        %-*s: %s", f.width, key, v)
		if i > 0 {
			s = fmt.Sprintf("        %-*s%s%s", f.width, "", sep, v)
		}
		fmt.Fprintln(f.w, strings.TrimRight(s, " "))
	}
}

// scSuccess prints sc.exe's "[SC] Call SUCCESS" line.
func scSuccess(w io.Writer, call string) { fmt.Fprintf(w, "[SC] %s SUCCESS\n", call) }

// serviceHeader prints the blank line and "SERVICE_NAME: x" that start a block.
func serviceHeader(w io.Writer, name string) { fmt.Fprintf(w, "\nSERVICE_NAME: %s\n", name) }

// statusLayout selects the optional lines of a status block.
type statusLayout struct {
	displayName bool // DISPLAY_NAME (enumerations)
	ex          bool // PID and FLAGS (queryex)
}

// renderStatus prints one status block as sc query / sc queryex do.
func renderStatus(w io.Writer, st winsvc.Status, l statusLayout) {
	serviceHeader(w, st.Name)
	if l.displayName {
		fmt.Fprintf(w, "DISPLAY_NAME: %s\n", st.DisplayName)
	}
	renderStatusFields(newFields(w, 19), st, l.ex)
}

func renderStatusFields(f *fieldWriter, st winsvc.Status, ex bool) {
	f.line("TYPE", typeLabel(st.ServiceType))
	renderStateFields(f, st, ex)
}

// renderStateFields prints the status fields after TYPE.
func renderStateFields(f *fieldWriter, st winsvc.Status, ex bool) {
	f.line("STATE", fmt.Sprintf("%d  %s", uint32(st.State), st.State))
	if st.State != winsvc.Stopped {
		fmt.Fprintf(f.w, "%s(%s)\n", strings.Repeat(" ", 32), strings.Join(acceptLabels(st.ControlsAccepted), ", "))
	}
	f.line("WIN32_EXIT_CODE", fmt.Sprintf("%d  (0x%x)", st.Win32ExitCode, st.Win32ExitCode))
	f.line("SERVICE_EXIT_CODE", fmt.Sprintf("%d  (0x%x)", st.ServiceSpecificExitCode, st.ServiceSpecificExitCode))
	f.line("CHECKPOINT", fmt.Sprintf("0x%x", st.CheckPoint))
	f.line("WAIT_HINT", fmt.Sprintf("0x%x", st.WaitHint.Milliseconds()))
	if ex {
		f.line("PID", fmt.Sprint(st.ProcessID))
		flags := ""
		if st.ServiceFlags&winsvc.ServiceRunsInSystemProcess != 0 {
			flags = "RUNS_IN_SYSTEM_PROCESS"
		}
		f.line("FLAGS", flags)
	}
}

// typeLabel renders a service type as sc does: the hex value and the name,
// with the interactive flag as a suffix.
func typeLabel(t winsvc.ServiceType) string {
	base := t &^ winsvc.InteractiveProcess
	s := fmt.Sprintf("%x  %s", uint32(t), base)
	if t.Interactive() {
		s += " (interactive)"
	}
	return s
}

// acceptLabels renders the accepted controls as sc does.
func acceptLabels(a winsvc.Accept) []string {
	pick := func(flag winsvc.Accept, yes, no string) string {
		if a&flag != 0 {
			return yes
		}
		return no
	}
	out := []string{
		pick(winsvc.AcceptStop, "STOPPABLE", "NOT_STOPPABLE"),
		pick(winsvc.AcceptPauseContinue, "PAUSABLE", "NOT_PAUSABLE"),
	}
	switch {
	case a&winsvc.AcceptShutdown != 0:
		out = append(out, "ACCEPTS_SHUTDOWN")
	case a&winsvc.AcceptPreshutdown == 0:
		out = append(out, "IGNORES_SHUTDOWN")
	}
	if a&winsvc.AcceptPreshutdown != 0 {
		out = append(out, "ACCEPTS_PRESHUTDOWN")
	}
	return out
}

// renderConfig prints the sc qc block (without the [SC] line).
func renderConfig(w io.Writer, c *winsvc.Config) {
	serviceHeader(w, c.Name)
	renderConfigFields(newFields(w, 19), c)
}

func renderConfigFields(f *fieldWriter, c *winsvc.Config) {
	start := fmt.Sprintf("%x   %s", uint32(c.StartType), c.StartType)
	if c.StartType == winsvc.AutoStart && c.DelayedAutoStart && c.Available(winsvc.FieldDelayedAutoStart) {
		start += "  (DELAYED)"
	}
	f.line("TYPE", typeLabel(c.ServiceType))
	f.line("START_TYPE", start)
	f.line("ERROR_CONTROL", fmt.Sprintf("%x   %s", uint32(c.ErrorControl), strings.TrimPrefix(c.ErrorControl.String(), "ERROR_")))
	f.line("BINARY_PATH_NAME", c.BinaryPathName)
	f.line("LOAD_ORDER_GROUP", c.LoadOrderGroup)
	f.line("TAG", fmt.Sprint(c.TagID))
	f.line("DISPLAY_NAME", c.DisplayName)
	f.line("DEPENDENCIES", dependencyNames(c.Dependencies)...)
	f.line("SERVICE_START_NAME", c.ServiceStartName)
}

func dependencyNames(deps []winsvc.Dependency) []string {
	out := make([]string, len(deps))
	for i, d := range deps {
		out[i] = d.String()
	}
	return out
}

// renderDescription prints sc qdescription's block.
func renderDescription(w io.Writer, c *winsvc.Config) {
	serviceHeader(w, c.Name)
	fmt.Fprintf(w, "DESCRIPTION:  %s\n", c.Description)
}

// renderFailure prints sc qfailure's block.
func renderFailure(w io.Writer, c *winsvc.Config) {
	serviceHeader(w, c.Name)
	fa := c.FailureActions
	f := newFields(w, 29)
	f.line("RESET_PERIOD (in seconds)", resetLabel(fa.ResetPeriod))
	f.line("REBOOT_MESSAGE", fa.RebootMessage)
	f.line("COMMAND_LINE", fa.Command)
	if len(fa.Actions) > 0 {
		f.list("FAILURE_ACTIONS", actionLabels(fa.Actions)...)
	}
}

func resetLabel(r winsvc.ResetPeriod) string {
	if r.Infinite() {
		return "INFINITE"
	}
	return fmt.Sprint(int64(time.Duration(r) / time.Second))
}

func actionLabels(actions []winsvc.Action) []string {
	out := make([]string, len(actions))
	for i, a := range actions {
		name := strings.TrimPrefix(a.Type.String(), "SC_ACTION_")
		if a.Type == winsvc.ActionRunCommand {
			name = "RUN PROCESS"
		}
		out[i] = fmt.Sprintf("%s -- Delay = %d milliseconds.", name, a.Delay.Milliseconds())
	}
	return out
}

// renderFailureFlag prints sc qfailureflag's block.
func renderFailureFlag(w io.Writer, c *winsvc.Config) {
	serviceHeader(w, c.Name)
	fmt.Fprintf(w, "        FAILURE_ACTIONS_ON_NONCRASH_FAILURES: %s\n", boolLabel(c.FailureActionsOnNonCrashFailures))
}

func boolLabel(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

// renderSIDType prints sc qsidtype's block.
func renderSIDType(w io.Writer, c *winsvc.Config) {
	serviceHeader(w, c.Name)
	fmt.Fprintf(w, "SERVICE_SID_TYPE:  %s\n", strings.TrimPrefix(c.SIDType.String(), "SID_TYPE_"))
}

// renderPrivileges prints sc qprivs's block.
func renderPrivileges(w io.Writer, c *winsvc.Config) {
	serviceHeader(w, c.Name)
	if len(c.RequiredPrivileges) > 0 {
		newFields(w, 17).line("PRIVILEGES", c.RequiredPrivileges...)
	}
}

// renderPreferredNode prints sc qpreferrednode's block.
func renderPreferredNode(w io.Writer, c *winsvc.Config) {
	serviceHeader(w, c.Name)
	newFields(w, 19).line("PREFERRED_NODE", nodeLabel(c.PreferredNode))
}

func nodeLabel(n winsvc.PreferredNode) string {
	if !n.Set {
		return "(none)"
	}
	return fmt.Sprint(n.Node)
}

// renderProtection prints sc qprotection's line.
func renderProtection(w io.Writer, c *winsvc.Config) {
	fmt.Fprintf(w, "\nSERVICE %s PROTECTION LEVEL: %s.\n", c.Name, protectionLabel(c.LaunchProtected))
}

func protectionLabel(p winsvc.LaunchProtection) string {
	return strings.TrimPrefix(p.String(), "SERVICE_LAUNCH_PROTECTED_")
}

// renderGet prints the whole configuration and the status of one service:
// the qc block, the optional settings, then the queryex status fields. A
// setting the SCM could not report shows why.
func renderGet(w io.Writer, c *winsvc.Config, st winsvc.Status) {
	serviceHeader(w, c.Name)
	f := newFields(w, 19)
	renderConfigFields(f, c)
	opt := func(field winsvc.Field, key string, values ...string) {
		if err, missing := c.Unavailable[field]; missing {
			values = []string{"(unavailable: " + shortReason(err) + ")"}
		}
		f.line(key, values...)
	}
	opt(winsvc.FieldDescription, "DESCRIPTION", c.Description)
	opt(winsvc.FieldDelayedAutoStart, "DELAYED_AUTO_START", boolLabel(c.DelayedAutoStart))
	if fa := c.FailureActions; c.Available(winsvc.FieldFailureActions) {
		f.line("RESET_PERIOD", resetLabel(fa.ResetPeriod)+" s")
		f.list("FAILURE_ACTIONS", actionLabels(fa.Actions)...)
		f.line("REBOOT_MESSAGE", fa.RebootMessage)
		f.line("COMMAND_LINE", fa.Command)
	} else {
		opt(winsvc.FieldFailureActions, "FAILURE_ACTIONS")
	}
	opt(winsvc.FieldFailureFlag, "NONCRASH_FAILURES", boolLabel(c.FailureActionsOnNonCrashFailures))
	opt(winsvc.FieldSIDType, "SID_TYPE", strings.TrimPrefix(c.SIDType.String(), "SID_TYPE_"))
	opt(winsvc.FieldRequiredPrivileges, "PRIVILEGES", c.RequiredPrivileges...)
	opt(winsvc.FieldPreshutdownTimeout, "PRESHUTDOWN_TIMEOUT", fmt.Sprintf("%d ms", c.PreshutdownTimeout/time.Millisecond))
	opt(winsvc.FieldTriggers, "TRIGGERS", fmt.Sprint(len(c.Triggers)))
	opt(winsvc.FieldPreferredNode, "PREFERRED_NODE", nodeLabel(c.PreferredNode))
	opt(winsvc.FieldLaunchProtected, "LAUNCH_PROTECTED", protectionLabel(c.LaunchProtected))
	renderStateFields(f, st, true)
}

// shortReason names the Win32 code of err ("ERROR_INVALID_LEVEL (124)"),
// or gives its text when it has none.
func shortReason(err error) string {
	var code winsvc.Errno
	if errors.As(err, &code) {
		return fmt.Sprintf("%s (%d)", code.Name(), uint32(code))
	}
	return err.Error()
}

// renderManagedAccount prints sc qmanagedaccount's block.
func renderManagedAccount(w io.Writer, c *winsvc.Config) {
	serviceHeader(w, c.Name)
	newFields(w, 19).line("ACCOUNT_MANAGED", boolLabel(c.ManagedAccount))
}
