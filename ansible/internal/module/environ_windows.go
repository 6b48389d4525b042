package module

import "golang.org/x/sys/windows/registry"

// expandEnv expands the environment variables (%NAME%) of s as Windows
// does (ExpandEnvironmentStrings), in the module's environment; s as it is
// when that fails.
var expandEnv = func(s string) string {
	out, err := registry.ExpandString(s)
	if err != nil {
		return s
	}
	return out
}
