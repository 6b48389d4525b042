//go:build !windows

package module

// expandEnv is the identity where the module does not run: outside Windows
// there is no %NAME% expansion to copy (the in-memory tests replace it).
var expandEnv = func(s string) string { return s }
