// Package winscm implements package scm's interfaces on Windows (and under
// Wine) with golang.org/x/sys/windows: one Win32 call per method, values
// as the SCM gives them. On other systems it holds nothing.
package winscm
