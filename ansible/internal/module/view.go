package module

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/winsvc/winsvc"
)

// A service as ansible.windows.win_service_info shows it: its keys and
// lower-case words for the Win32 names (started for RUNNING, manual for
// DEMAND_START, delayed for a delayed auto-start). The service module's
// diff and return values are made of the same view.

// word turns a Win32 name into win_service_info's word: the prefix off,
// lower case ("ERROR_NORMAL" → "normal").
func word(name, prefix string) string {
	return strings.ToLower(strings.TrimPrefix(name, prefix))
}

// startMode is win_service's start_mode of a configuration.
func startMode(c *winsvc.Config) string {
	switch c.StartType {
	case winsvc.AutoStart:
		if c.DelayedAutoStart {
			return "delayed"
		}
		return "auto"
	case winsvc.DemandStart:
		return "manual"
	}
	return strings.TrimSuffix(word(c.StartType.String(), ""), "_start") // boot, system, disabled
}

// stateWord is win_service_info's state: started for RUNNING.
func stateWord(s winsvc.State) string {
	if s == winsvc.Running {
		return "started"
	}
	return word(s.String(), "")
}

// serviceTypeWord is the service type without the interactive and
// per-user-instance flags, as win_service_info gives it.
func serviceTypeWord(t winsvc.ServiceType) string {
	base := t &^ winsvc.InteractiveProcess
	if base&winsvc.UserOwnProcess == winsvc.UserOwnProcess || base&winsvc.UserShareProcess == winsvc.UserShareProcess {
		base &^= 0x80 // SERVICE_USERSERVICE_INSTANCE
	}
	return word(base.String(), "")
}

// settingsView is a configuration under win_service_info's keys, the
// account as Windows names it. A setting the SCM could not report is
// null, and so are a description, failure command and reboot message the
// service does not have (win_service_info's None).
func settingsView(c *winsvc.Config, names *accountNames) Result {
	fa := c.FailureActions
	actions := []Result{}
	for _, a := range fa.Actions {
		actions = append(actions, Result{"type": word(a.Type.String(), "SC_ACTION_"), "delay_ms": a.Delay.Milliseconds()})
	}
	reset := int64(time.Duration(fa.ResetPeriod) / time.Second)
	if fa.ResetPeriod == winsvc.ResetInfinite {
		reset = 0xFFFFFFFF
	}
	deps := []string{}
	for _, d := range c.Dependencies {
		deps = append(deps, d.String())
	}
	var node any
	if c.PreferredNode.Set {
		node = c.PreferredNode.Node
	}
	triggers, _ := c.ValueJSON(winsvc.FieldTriggers)
	v := Result{
		"name":                                 c.Name,
		"display_name":                         c.DisplayName,
		"path":                                 c.BinaryPathName,
		"service_type":                         serviceTypeWord(c.ServiceType),
		"desktop_interact":                     c.ServiceType.Interactive(),
		"start_mode":                           startMode(c),
		"error_control":                        word(c.ErrorControl.String(), "ERROR_"),
		"load_order_group":                     c.LoadOrderGroup,
		"dependencies":                         deps,
		"username":                             names.shown(c),
		"description":                          orNull(c.Description),
		"failure_actions":                      actions,
		"failure_reset_period_sec":             reset,
		"failure_command":                      orNull(fa.Command),
		"failure_reboot_msg":                   orNull(fa.RebootMessage),
		"failure_actions_on_non_crash_failure": c.FailureActionsOnNonCrashFailures,
		"sid_info":                             word(c.SIDType.String(), "SID_TYPE_"),
		"required_privileges":                  orEmpty(c.RequiredPrivileges),
		"pre_shutdown_timeout_ms":              c.PreshutdownTimeout.Milliseconds(),
		"triggers":                             json.RawMessage(triggers),
		"preferred_node":                       node,
		"launch_protection":                    word(c.LaunchProtected.String(), "SERVICE_LAUNCH_PROTECTED_"),
		"program":                              programView(c),
	}
	for key, fields := range viewFields {
		for _, f := range fields {
			if !c.Available(f) {
				v[key] = nil
			}
		}
	}
	return v
}

// viewFields names the settings behind each key of the view that the SCM
// may be unable to report.
var viewFields = map[string][]winsvc.Field{
	"start_mode":                           {winsvc.FieldStartType},
	"dependencies":                         {winsvc.FieldDependencies},
	"description":                          {winsvc.FieldDescription},
	"failure_actions":                      {winsvc.FieldFailureActions},
	"failure_reset_period_sec":             {winsvc.FieldFailureActions},
	"failure_command":                      {winsvc.FieldFailureActions},
	"failure_reboot_msg":                   {winsvc.FieldFailureActions},
	"failure_actions_on_non_crash_failure": {winsvc.FieldFailureFlag},
	"sid_info":                             {winsvc.FieldSIDType},
	"required_privileges":                  {winsvc.FieldRequiredPrivileges},
	"pre_shutdown_timeout_ms":              {winsvc.FieldPreshutdownTimeout},
	"triggers":                             {winsvc.FieldTriggers},
	"preferred_node":                       {winsvc.FieldPreferredNode},
	"launch_protection":                    {winsvc.FieldLaunchProtected},
	"program":                              {winsvc.FieldProgram},
}

// statusView is a status under win_service_info's keys.
func statusView(s winsvc.Status) Result {
	controls := []string{}
	if s.ControlsAccepted != 0 {
		for _, n := range strings.Split(s.ControlsAccepted.String(), "|") {
			controls = append(controls, strings.ToLower(n))
		}
	}
	flags := []string{}
	if s.ServiceFlags&winsvc.ServiceRunsInSystemProcess != 0 {
		flags = append(flags, "runs_in_system_process")
	}
	return Result{
		"state":             stateWord(s.State),
		"controls_accepted": controls,
		"checkpoint":        s.CheckPoint,
		"wait_hint_ms":      s.WaitHint.Milliseconds(),
		"process_id":        s.ProcessID,
		"win32_exit_code":   s.Win32ExitCode,
		"service_exit_code": s.ServiceSpecificExitCode,
		"service_flags":     flags,
	}
}

// orNull is s, or null when it is empty.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
