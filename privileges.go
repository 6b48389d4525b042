package winsvc

import (
	"fmt"
	"strings"
)

// validatePrivileges checks required-privilege names (Se...Privilege).
func validatePrivileges(privs []string) error {
	for i, p := range privs {
		if !strings.HasPrefix(p, "Se") || !strings.HasSuffix(p, "Privilege") {
			return invalid(fmt.Sprintf("%s[%d]", FieldRequiredPrivileges, i), p, "not a privilege name (Se...Privilege)")
		}
	}
	return nil
}
