package desired

import (
	"slices"
	"strings"

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

// sameDACL reports whether two DACLs in SDDL say the same: the same flags
// and the same entries in the same order, rights compared once mapped
// (GA is every service right), trustees by SID (SY is S-1-5-18), letters
// case-insensitively. Descriptors that do not parse compare as text.
func sameDACL(a, b string) bool {
	da, errA := access.Parse(a)
	db, errB := access.Parse(b)
	if errA != nil || errB != nil || da.DACL == nil || db.DACL == nil {
		return a == b
	}
	x, y := da.DACL, db.DACL
	return sameFlags(x.Flags, y.Flags) && slices.EqualFunc(x.Entries, y.Entries, sameACE)
}

func sameACE(a, b access.ACE) bool {
	return strings.EqualFold(a.Type, b.Type) && sameFlags(a.Flags, b.Flags) && a.Rights.Mapped() == b.Rights.Mapped() &&
		strings.EqualFold(a.ObjectType, b.ObjectType) && strings.EqualFold(a.InheritedObjectType, b.InheritedObjectType) &&
		sid(a.Trustee) == sid(b.Trustee) && a.Extra == b.Extra
}

// sameFlags compares flag letters written in any order ("PAI", "AIP").
func sameFlags(a, b string) bool {
	return flagSet(a) == flagSet(b)
}

// flagSet sorts the two-letter flags of an ACL or an ACE ("P" alone is
// one letter; "NO_ACCESS_CONTROL" is kept whole).
func flagSet(f string) string {
	f = strings.ToUpper(f)
	if strings.Contains(f, "NO_ACCESS_CONTROL") {
		return f
	}
	var parts []string
	for i := 0; i < len(f); {
		n := 2
		if f[i] == 'P' { // the only one-letter flag; no other starts with P
			n = 1
		}
		end := min(i+n, len(f))
		parts = append(parts, f[i:end])
		i = end
	}
	slices.Sort(parts)
	return strings.Join(parts, "")
}

// sid returns the SID a trustee stands for, or the trustee in upper case.
func sid(trustee string) string {
	if t, err := access.ParseTrustee(trustee); err == nil && t.SID != "" {
		return t.SID
	}
	return strings.ToUpper(trustee)
}
