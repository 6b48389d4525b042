package desired

import (
	"github.com/winsvc/winsvc/access"
)

// A document manages a service's DACL, the part of its security descriptor
// that says who may do what: `winsvc sdshow` prints it, and
// winsvc.Service.SecurityDescriptor reads it.

// checkDACL refuses a descriptor that is not SDDL, or that has parts
// other than the DACL.
func checkDACL(sddl string) error {
	d, err := access.Parse(sddl)
	if err != nil {
		return err
	}
	if d.DACL == nil || d.Owner != "" || d.Group != "" || d.SACL != nil {
		return invalid(keySecurity, sddl, "only the DACL is managed: write D: and its entries, without O:, G: or S:")
	}
	return nil
}

// sameDACL reports whether two DACLs in SDDL say the same (access.ACL.Same).
// Descriptors that do not parse compare as text.
func sameDACL(a, b string) bool {
	da, errA := access.Parse(a)
	db, errB := access.Parse(b)
	if errA != nil || errB != nil || da.DACL == nil || db.DACL == nil {
		return a == b
	}
	return da.DACL.Same(db.DACL)
}
