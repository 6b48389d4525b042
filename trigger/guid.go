package trigger

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/winsvc/winsvc/internal/valerr"
)

// GUID is a Windows GUID (the GUID structure: Data1, Data2 and Data3 are
// stored little-endian, Data4 as bytes). Its text form is the registry form
// "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" in lower case. The zero value is
// the nil GUID.
type GUID struct {
	Data1 uint32
	Data2 uint16
	Data3 uint16
	Data4 [8]byte
}

// ParseGUID parses a GUID with or without braces, in any case, or the Win32
// name of a well-known trigger subtype such as "DOMAIN_JOIN_GUID".
func ParseGUID(s string) (GUID, error) {
	t := strings.TrimSpace(s)
	for _, k := range knownSubtypes {
		if strings.EqualFold(k.name, t) {
			return k.guid, nil
		}
	}
	return parseGUIDString(s)
}

// parseGUIDString parses the registry form, braces optional.
func parseGUIDString(s string) (GUID, error) {
	t := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "{"), "}")
	parts := strings.Split(t, "-")
	lens := []int{8, 4, 4, 4, 12}
	var raw []byte
	ok := len(parts) == len(lens)
	for i := 0; ok && i < len(parts); i++ {
		b, err := hex.DecodeString(parts[i])
		ok = err == nil && len(parts[i]) == lens[i]
		raw = append(raw, b...)
	}
	if !ok {
		return GUID{}, valerr.New("guid", s, "want {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} or a well-known subtype name")
	}
	g := GUID{
		Data1: uint32(raw[0])<<24 | uint32(raw[1])<<16 | uint32(raw[2])<<8 | uint32(raw[3]),
		Data2: uint16(raw[4])<<8 | uint16(raw[5]),
		Data3: uint16(raw[6])<<8 | uint16(raw[7]),
	}
	copy(g.Data4[:], raw[8:])
	return g, nil
}

// mustGUID parses a GUID literal of this file's tables.
func mustGUID(s string) GUID {
	g, err := parseGUIDString(s)
	if err != nil {
		panic(err)
	}
	return g
}

// String returns the registry form, {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}.
func (g GUID) String() string {
	return fmt.Sprintf("{%08x-%04x-%04x-%x-%x}", g.Data1, g.Data2, g.Data3, g.Data4[:2], g.Data4[2:])
}

// IsZero reports whether g is the nil GUID.
func (g GUID) IsZero() bool { return g == GUID{} }

// Name returns the Win32 name of a well-known trigger subtype GUID, or "".
func (g GUID) Name() string {
	for _, k := range knownSubtypes {
		if k.guid == g {
			return k.name
		}
	}
	return ""
}

// MarshalText writes the registry form.
func (g GUID) MarshalText() ([]byte, error) { return []byte(g.String()), nil }

// UnmarshalText accepts what ParseGUID accepts.
func (g *GUID) UnmarshalText(b []byte) (err error) {
	*g, err = ParseGUID(string(b))
	return err
}

// Well-known trigger subtypes, as defined in winsvc.h (values checked against
// Microsoft's Win32 metadata, as generated in microsoft/windows-rs).
var (
	// NetworkFirstIPAddressArrival: the first IP address on the TCP/IP stack
	// becomes available (SERVICE_TRIGGER_TYPE_IP_ADDRESS_AVAILABILITY).
	NetworkFirstIPAddressArrival = mustGUID("{4f27f2de-14e2-430b-a549-7cd48cbc8245}")
	// NetworkLastIPAddressRemoval: the last IP address becomes unavailable.
	NetworkLastIPAddressRemoval = mustGUID("{cc4ba62a-162e-4648-847a-b6bdf993e335}")
	// DomainJoin and DomainLeave: the computer joins or leaves a domain.
	DomainJoin  = mustGUID("{1ce20aba-9851-4421-9430-1ddeb766e809}")
	DomainLeave = mustGUID("{ddaf516e-58c2-4866-9574-c3b615d42ea1}")
	// FirewallPortOpen and FirewallPortClose: a firewall port opens or closes.
	FirewallPortOpen  = mustGUID("{b7569e07-8421-4ee0-ad10-86915afdad09}")
	FirewallPortClose = mustGUID("{a144ed38-8e12-4de4-9d96-e64740b1a524}")
	// MachinePolicyPresent and UserPolicyPresent: a machine or user group
	// policy change.
	MachinePolicyPresent = mustGUID("{659fcae6-5bdb-4da9-b1ff-ca2a178d46e0}")
	UserPolicyPresent    = mustGUID("{54fb46c8-f089-464c-b1fd-59d1b62c3b50}")
	// RPCInterfaceEvent and NamedPipeEvent: a request for an RPC interface or
	// a named pipe (SERVICE_TRIGGER_TYPE_NETWORK_ENDPOINT).
	RPCInterfaceEvent = mustGUID("{bc90d167-9470-4139-a9ba-be0bbbf5b74d}")
	NamedPipeEvent    = mustGUID("{1f81d131-3fac-4537-9e0c-7e7b0c2f4b55}")
	// CustomSystemStateChangeEvent is the subtype of
	// SERVICE_TRIGGER_TYPE_CUSTOM_SYSTEM_STATE_CHANGE.
	CustomSystemStateChangeEvent = mustGUID("{2d7a2816-0c5e-45fc-9ce7-570e5ecde9c9}")
)

var knownSubtypes = []struct {
	guid GUID
	name string
}{
	{NetworkFirstIPAddressArrival, "NETWORK_MANAGER_FIRST_IP_ADDRESS_ARRIVAL_GUID"},
	{NetworkLastIPAddressRemoval, "NETWORK_MANAGER_LAST_IP_ADDRESS_REMOVAL_GUID"},
	{DomainJoin, "DOMAIN_JOIN_GUID"},
	{DomainLeave, "DOMAIN_LEAVE_GUID"},
	{FirewallPortOpen, "FIREWALL_PORT_OPEN_GUID"},
	{FirewallPortClose, "FIREWALL_PORT_CLOSE_GUID"},
	{MachinePolicyPresent, "MACHINE_POLICY_PRESENT_GUID"},
	{UserPolicyPresent, "USER_POLICY_PRESENT_GUID"},
	{RPCInterfaceEvent, "RPC_INTERFACE_EVENT_GUID"},
	{NamedPipeEvent, "NAMED_PIPE_EVENT_GUID"},
	{CustomSystemStateChangeEvent, "CUSTOM_SYSTEM_STATE_CHANGE_EVENT_GUID"},
}
