package winsvc

import (
	"fmt"
	"slices"
	"strings"
)

// Privileges returns every privilege name Windows defines (winnt.h's
// SE_*_NAME), the names a service's RequiredPrivileges may hold, in any case.
func Privileges() []string { return slices.Clone(privileges) }

var privileges = []string{
	"SeAssignPrimaryTokenPrivilege",
	"SeAuditPrivilege",
	"SeBackupPrivilege",
	"SeChangeNotifyPrivilege",
	"SeCreateGlobalPrivilege",
	"SeCreatePagefilePrivilege",
	"SeCreatePermanentPrivilege",
	"SeCreateSymbolicLinkPrivilege",
	"SeCreateTokenPrivilege",
	"SeDebugPrivilege",
	"SeDelegateSessionUserImpersonatePrivilege",
	"SeEnableDelegationPrivilege",
	"SeImpersonatePrivilege",
	"SeIncreaseBasePriorityPrivilege",
	"SeIncreaseQuotaPrivilege",
	"SeIncreaseWorkingSetPrivilege",
	"SeLoadDriverPrivilege",
	"SeLockMemoryPrivilege",
	"SeMachineAccountPrivilege",
	"SeManageVolumePrivilege",
	"SeProfileSingleProcessPrivilege",
	"SeRelabelPrivilege",
	"SeRemoteShutdownPrivilege",
	"SeRestorePrivilege",
	"SeSecurityPrivilege",
	"SeShutdownPrivilege",
	"SeSyncAgentPrivilege",
	"SeSystemEnvironmentPrivilege",
	"SeSystemProfilePrivilege",
	"SeSystemtimePrivilege",
	"SeTakeOwnershipPrivilege",
	"SeTcbPrivilege",
	"SeTimeZonePrivilege",
	"SeTrustedCredManAccessPrivilege",
	"SeUndockPrivilege",
	"SeUnsolicitedInputPrivilege",
}

// canonicalPrivilege returns the documented spelling of privilege name p,
// matched case-insensitively, and whether p is a known privilege.
func canonicalPrivilege(p string) (string, bool) {
	for _, known := range privileges {
		if strings.EqualFold(known, p) {
			return known, true
		}
	}
	return "", false
}

// validatePrivileges checks required-privilege names against Privileges,
// case-insensitively. The error names the field, e.g.
// "requiredPrivileges[1]", and suggests the nearest known name.
func validatePrivileges(privs []string) error {
	for i, p := range privs {
		if _, ok := canonicalPrivilege(p); ok {
			continue
		}
		field := fmt.Sprintf("%s[%d]", FieldRequiredPrivileges, i)
		reason := "not a Windows privilege name; see winsvc.Privileges()"
		switch {
		case strings.HasSuffix(strings.ToLower(p), "right"):
			reason = "logon rights (Se...Right) are account rights, not privileges a service can require"
		case nearestPrivilege(p) != "":
			reason = fmt.Sprintf("not a Windows privilege name; did you mean %s?", nearestPrivilege(p))
		}
		return invalid(field, p, reason)
	}
	return nil
}

// nearestPrivilege returns the known privilege closest to p (ignoring case,
// with or without the "Se"/"Privilege" affixes), or "" when none is close.
func nearestPrivilege(p string) string {
	core := func(s string) string {
		s = strings.ToLower(s)
		return strings.TrimSuffix(strings.TrimPrefix(s, "se"), "privilege")
	}
	best, bestDist := "", 4 // suggest only within a few edits
	for _, known := range privileges {
		d := min(editDistance(strings.ToLower(p), strings.ToLower(known)), editDistance(core(p), core(known)))
		if d < bestDist && d < len(core(known))/2 {
			best, bestDist = known, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
