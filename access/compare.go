package access

import (
	"slices"
	"strings"
)

// Same reports whether two ACLs say the same to the access check, as an
// SCM stores them: the same flags and the same entries in the same order,
// rights compared once mapped (GA is every service right), trustees by
// SID (SY is S-1-5-18), letters case-insensitively. A nil ACL (no DACL)
// is the same only as another nil one.
func (a *ACL) Same(b *ACL) bool {
	if a == nil || b == nil {
		return a == b
	}
	return sameFlags(a.Flags, b.Flags) && slices.EqualFunc(a.Entries, b.Entries, sameACE)
}

func sameACE(a, b ACE) bool {
	return strings.EqualFold(a.Type, b.Type) && sameFlags(a.Flags, b.Flags) && a.Rights.Mapped() == b.Rights.Mapped() &&
		strings.EqualFold(a.ObjectType, b.ObjectType) && strings.EqualFold(a.InheritedObjectType, b.InheritedObjectType) &&
		trusteeSID(a.Trustee) == trusteeSID(b.Trustee) && a.Extra == b.Extra
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

// trusteeSID returns the SID a trustee stands for, or the trustee in upper
// case.
func trusteeSID(trustee string) string {
	if t, err := ParseTrustee(trustee); err == nil && t.SID != "" {
		return t.SID
	}
	return strings.ToUpper(trustee)
}
