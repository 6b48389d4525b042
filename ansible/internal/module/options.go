package module

// The service module's options: every option of ansible.windows.win_service,
// with its names, aliases, choices and defaults, then what win_service
// lacks. plugins/modules/service.yml documents them; TestSidecarDocuments
// checks that the two agree.
var serviceOptions = []Option{
	{Name: "name", Kind: Str, Required: true},
	{Name: "path", Kind: Str},
	{Name: "display_name", Kind: Str},
	{Name: "description", Kind: Str},
	{Name: "start_mode", Kind: Str, Choices: []string{"auto", "delayed", "disabled", "manual", "boot", "system"}},
	{Name: "state", Kind: Str, Choices: []string{"absent", "paused", "started", "stopped", "restarted"}},
	{Name: "username", Kind: Str},
	{Name: "password", Kind: Str, NoLog: true},
	{Name: "update_password", Kind: Str, Choices: []string{"always", "on_create"}, Default: "on_create"},
	{Name: "dependencies", Kind: List},
	{Name: "dependency_action", Kind: Str, Choices: []string{"add", "remove", "set"}, Default: "set"},
	{Name: "desktop_interact", Kind: Bool},
	{Name: "error_control", Kind: Str, Choices: []string{"critical", "ignore", "normal", "severe"}},
	{Name: "failure_actions", Kind: Dicts, Options: []Option{
		{Name: "type", Kind: Str, Required: true, Choices: []string{"none", "reboot", "restart", "run_command"}},
		{Name: "delay_ms", Aliases: []string{"delay"}, Kind: Int, Default: uint64(0)},
	}},
	{Name: "failure_actions_on_non_crash_failure", Kind: Bool},
	{Name: "failure_command", Kind: Str},
	{Name: "failure_reboot_msg", Kind: Str},
	{Name: "failure_reset_period_sec", Aliases: []string{"failure_reset_period"}, Kind: Int},
	{Name: "force_dependent_services", Kind: Bool, Default: false},
	{Name: "load_order_group", Kind: Str},
	{Name: "pre_shutdown_timeout_ms", Aliases: []string{"pre_shutdown_timeout"}, Kind: Int},
	{Name: "required_privileges", Kind: List},
	{Name: "service_type", Kind: Str, Choices: []string{"win32_own_process", "win32_share_process",
		"user_own_process", "user_share_process", "kernel_driver", "file_system_driver"}},
	{Name: "sid_info", Kind: Str, Choices: []string{"none", "restricted", "unrestricted"}},

	// Beyond win_service.
	{Name: "triggers", Kind: Raw},
	{Name: "security_descriptor", Kind: Str},
	{Name: "grants", Kind: Dicts, Options: []Option{
		{Name: "trustee", Kind: Str, Required: true},
		{Name: "rights", Kind: List, Required: true},
	}},
	{Name: "preferred_node", Kind: Int, Max: 0xFFFF},
	{Name: "launch_protection", Kind: Str, Choices: []string{"none", "antimalware_light", "windows", "windows_light"}},
	{Name: "timeout", Kind: Int, Default: uint64(30), Min: 1},
	{Name: "definition", Kind: Dict, Redact: redactDefinition},
	programOption,
	{Name: "winsvc_path", Kind: Str},
}

// infoOptions are win_service_info's, then what it lacks.
var infoOptions = []Option{
	{Name: "name", Kind: Str},

	// Beyond win_service_info.
	{Name: "diagnose", Kind: Bool, Default: false},
}
