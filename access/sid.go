package access

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
)

// AllServicesSID is the SID of NT SERVICE\ALL SERVICES, which every service
// SID belongs to.
const AllServicesSID = "S-1-5-80-0"

// ServiceSID returns the service SID Windows derives from a service name, as
// `sc showsid` prints it: S-1-5-80 followed by five sub-authorities, the 20
// bytes of the SHA-1 hash of the upper-case name in UTF-16LE read as
// little-endian 32-bit numbers. Service names are case-insensitive, so the
// SID does not depend on the case of name. It is computed, not looked up:
// the service need not exist (a service's SID is in its process token only
// when its SID type is unrestricted or restricted).
//
// Upper-casing maps each UTF-16 code unit on its own, as Windows'
// RtlUpcaseUnicodeString does; characters outside the Basic Multilingual
// Plane are left as they are.
func ServiceSID(name string) string {
	u := utf16.Encode([]rune(name))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		if !utf16.IsSurrogate(rune(c)) {
			c = uint16(unicode.ToUpper(rune(c)))
		}
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	h := sha1.Sum(b)
	var s strings.Builder
	s.WriteString("S-1-5-80")
	for i := 0; i < len(h); i += 4 {
		fmt.Fprintf(&s, "-%d", binary.LittleEndian.Uint32(h[i:]))
	}
	return s.String()
}

// VirtualAccount returns the name of the virtual account of service name,
// NT SERVICE\<name>, which a service can run as (with no password) and which
// its service SID stands for in access control lists.
func VirtualAccount(name string) string { return `NT SERVICE\` + name }
