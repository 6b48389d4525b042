// Package trigger models service triggers (SERVICE_TRIGGER): the events
// that start or stop a service, their subtypes (GUIDs, with the well-known
// ones by name) and their data items, with validation against Microsoft's
// documented rules and a JSON form that uses the Win32 names. Set them on a
// service with winsvc.Definition.Triggers.
//
// The enum types (Type, Action, DataType) follow winsvc's one rule: the Go
// value is the Win32 value (TypeDomainJoin is 3, as
// SERVICE_TRIGGER_TYPE_DOMAIN_JOIN), and text and JSON use the Win32 names.
// None of them has a Win32 value 0, so their zero value means "not set",
// which validation refuses.
package trigger

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/winsvc/winsvc/internal/enum"
	"github.com/winsvc/winsvc/internal/strictjson"
	"github.com/winsvc/winsvc/internal/valerr"
)

// Trigger is one service trigger (SERVICE_TRIGGER): an event that starts or
// stops the service. Its JSON form uses the Win32 names:
//
//	{"type": "SERVICE_TRIGGER_TYPE_IP_ADDRESS_AVAILABILITY",
//	 "action": "SERVICE_TRIGGER_ACTION_SERVICE_START",
//	 "subtype": "{4f27f2de-14e2-430b-a549-7cd48cbc8245}",
//	 "subtypeName": "NETWORK_MANAGER_FIRST_IP_ADDRESS_ARRIVAL_GUID",
//	 "dataItems": []}
//
// On input, subtype also accepts a well-known name; subtypeName is output
// only (when both are given they must agree).
type Trigger struct {
	Type    Type
	Action  Action
	Subtype GUID // the event subtype; its meaning depends on Type
	Data    []Data
}

// Data is one trigger-specific data item
// (SERVICE_TRIGGER_SPECIFIC_DATA_ITEM). Only the field that belongs to Type
// is used:
//
//   - DataBinary: Binary
//   - DataString: Text, a single NUL-terminated string; or, when
//     MultiText is not nil, a multi-string (each string NUL-terminated, then
//     one more NUL), as the firewall-port trigger uses
//   - DataLevel: Level
//   - DataKeywordAny, DataKeywordAll: Keyword
//
// An item of a type this package does not know keeps its bytes in Binary.
type Data struct {
	Type      DataType
	Binary    []byte
	Text      string
	MultiText []string
	Level     uint8
	Keyword   uint64
}

// Type is the kind of event a trigger reacts to
// (SERVICE_TRIGGER_TYPE_*). The zero value means "not set".
type Type uint32

// Trigger types (the Win32 values).
const (
	TypeDeviceInterfaceArrival  Type = 1
	TypeIPAddressAvailability   Type = 2
	TypeDomainJoin              Type = 3
	TypeFirewallPortEvent       Type = 4
	TypeGroupPolicy             Type = 5
	TypeNetworkEndpoint         Type = 6
	TypeCustomSystemStateChange Type = 7 // defined in winsvc.h, not described on the SERVICE_TRIGGER page
	TypeCustom                  Type = 20
	TypeAggregate               Type = 30 // defined in winsvc.h, not described on the SERVICE_TRIGGER page
)

var typeSpec = enum.Spec{
	Kind: "triggers.type",
	Names: map[uint32]string{
		1: "SERVICE_TRIGGER_TYPE_DEVICE_INTERFACE_ARRIVAL", 2: "SERVICE_TRIGGER_TYPE_IP_ADDRESS_AVAILABILITY",
		3: "SERVICE_TRIGGER_TYPE_DOMAIN_JOIN", 4: "SERVICE_TRIGGER_TYPE_FIREWALL_PORT_EVENT",
		5: "SERVICE_TRIGGER_TYPE_GROUP_POLICY", 6: "SERVICE_TRIGGER_TYPE_NETWORK_ENDPOINT",
		7: "SERVICE_TRIGGER_TYPE_CUSTOM_SYSTEM_STATE_CHANGE", 20: "SERVICE_TRIGGER_TYPE_CUSTOM",
		30: "SERVICE_TRIGGER_TYPE_AGGREGATE",
	},
	Tokens: map[string]uint32{"device": 1, "ip": 2, "domain": 3, "firewall": 4, "grouppolicy": 5,
		"network": 6, "systemstate": 7, "custom": 20, "aggregate": 30},
}

// Action is what a trigger does (SERVICE_TRIGGER_ACTION_*). The zero value
// means "not set".
type Action uint32

// Trigger actions (the Win32 values).
const (
	Start Action = 1
	Stop  Action = 2
)

var actionSpec = enum.Spec{
	Kind:   "triggers.action",
	Names:  map[uint32]string{1: "SERVICE_TRIGGER_ACTION_SERVICE_START", 2: "SERVICE_TRIGGER_ACTION_SERVICE_STOP"},
	Tokens: map[string]uint32{"start": 1, "stop": 2},
}

// DataType is the type of a trigger data item
// (SERVICE_TRIGGER_DATA_TYPE_*). The zero value means "not set".
type DataType uint32

// Trigger data item types (the Win32 values).
const (
	DataBinary     DataType = 1
	DataString     DataType = 2
	DataLevel      DataType = 3
	DataKeywordAny DataType = 4
	DataKeywordAll DataType = 5
)

var dataTypeSpec = enum.Spec{
	Kind: "triggers.dataItems.type",
	Names: map[uint32]string{1: "SERVICE_TRIGGER_DATA_TYPE_BINARY", 2: "SERVICE_TRIGGER_DATA_TYPE_STRING",
		3: "SERVICE_TRIGGER_DATA_TYPE_LEVEL", 4: "SERVICE_TRIGGER_DATA_TYPE_KEYWORD_ANY",
		5: "SERVICE_TRIGGER_DATA_TYPE_KEYWORD_ALL"},
	Tokens: map[string]uint32{"binary": 1, "string": 2, "level": 3, "keyword-any": 4, "keyword-all": 5,
		"any": 4, "all": 5},
}

// String returns the Win32 name, e.g. "SERVICE_TRIGGER_TYPE_DOMAIN_JOIN".
func (t Type) String() string { return typeSpec.Name(uint32(t)) }

// String returns the Win32 name, e.g. "SERVICE_TRIGGER_ACTION_SERVICE_START".
func (a Action) String() string { return actionSpec.Name(uint32(a)) }

// String returns the Win32 name, e.g. "SERVICE_TRIGGER_DATA_TYPE_STRING".
func (t DataType) String() string { return dataTypeSpec.Name(uint32(t)) }

// MarshalText writes the Win32 name.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// MarshalText writes the Win32 name.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// MarshalText writes the Win32 name.
func (t DataType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText parses a Win32 name, a short token ("ip", "domain",
// "firewall", "custom", ...) or a number (a Win32 value),
// case-insensitively.
func (t *Type) UnmarshalText(b []byte) error { return unmarshalEnum(t, &typeSpec, b) }

// UnmarshalText parses a Win32 name, "start", "stop" or a number.
func (a *Action) UnmarshalText(b []byte) error { return unmarshalEnum(a, &actionSpec, b) }

// UnmarshalText parses a Win32 name, a token ("binary", "string", "level",
// "keyword-any", "keyword-all") or a number.
func (t *DataType) UnmarshalText(b []byte) error { return unmarshalEnum(t, &dataTypeSpec, b) }

func unmarshalEnum[T ~uint32](v *T, spec *enum.Spec, b []byte) error {
	x, err := spec.Parse(string(b))
	if err == nil {
		*v = T(x)
	}
	return err
}

// String renders the trigger on one line, as plans and reports show it.
func (t Trigger) String() string {
	sub := t.Subtype.String()
	if n := t.Subtype.Name(); n != "" {
		sub = n
	}
	var items []string
	for _, d := range t.Data {
		items = append(items, d.String())
	}
	return fmt.Sprintf("%s %s %s [%s]", t.Action, t.Type, sub, strings.Join(items, " "))
}

// String renders the item's value, prefixed with its type's token.
func (d Data) String() string {
	switch d.Type {
	case DataString:
		if d.MultiText != nil {
			return fmt.Sprintf("string:%q", d.MultiText)
		}
		return fmt.Sprintf("string:%q", d.Text)
	case DataLevel:
		return fmt.Sprintf("level:%d", d.Level)
	case DataKeywordAny, DataKeywordAll:
		return fmt.Sprintf("%s:0x%x", strings.ToLower(strings.TrimPrefix(d.Type.String(), "SERVICE_TRIGGER_DATA_TYPE_")), d.Keyword)
	}
	return fmt.Sprintf("binary:%x", d.Binary)
}

// Bytes returns the item's data bytes, as the SCM stores them (pData,
// cbData): a string in UTF-16LE with its terminating NULs, a level as one
// byte, a keyword as 8 bytes little-endian.
func (d Data) Bytes() []byte {
	switch d.Type {
	case DataString:
		if d.MultiText == nil {
			return utf16z(d.Text)
		}
		var b []byte
		for _, s := range d.MultiText {
			b = append(b, utf16z(s)...)
		}
		if len(d.MultiText) == 0 {
			b = append(b, 0, 0)
		}
		return append(b, 0, 0)
	case DataLevel:
		return []byte{d.Level}
	case DataKeywordAny, DataKeywordAll:
		b := make([]byte, 8)
		binary.LittleEndian.PutUint64(b, d.Keyword)
		return b
	}
	return d.Binary
}

// utf16z encodes s as NUL-terminated UTF-16LE.
func utf16z(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*(len(u)+1))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

// DataFromBytes decodes one item's data.
func DataFromBytes(t DataType, p []byte) (Data, error) {
	d := Data{Type: t}
	switch t {
	case DataString:
		if len(p)%2 != 0 {
			return d, fmt.Errorf("string data of %d bytes: not UTF-16", len(p))
		}
		u := make([]uint16, len(p)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(p[2*i:])
		}
		n := len(u)
		switch {
		case n >= 2 && u[n-1] == 0 && u[n-2] == 0: // a multi-string
			d.MultiText = []string{}
			for _, part := range strings.Split(string(utf16.Decode(u[:n-2])), "\x00") {
				if part != "" {
					d.MultiText = append(d.MultiText, part)
				}
			}
		case n >= 1 && u[n-1] == 0:
			d.Text = string(utf16.Decode(u[:n-1]))
		default:
			d.Text = string(utf16.Decode(u))
		}
	case DataLevel:
		if len(p) != 1 {
			return d, fmt.Errorf("level data of %d bytes, want 1", len(p))
		}
		d.Level = p[0]
	case DataKeywordAny, DataKeywordAll:
		if len(p) != 8 {
			return d, fmt.Errorf("keyword data of %d bytes, want 8", len(p))
		}
		d.Keyword = binary.LittleEndian.Uint64(p)
	default:
		d.Binary = bytes.Clone(p)
	}
	return d, nil
}

// Limits from MS-SCMR: at most 64 triggers, 64 data items per trigger and
// 1024 bytes per data item.
const (
	maxTriggers  = 64
	maxDataItems = 64
	maxDataBytes = 1024
)

// fixedSubtypes lists, for trigger types whose subtype Microsoft documents
// as one of a few GUIDs, the allowed subtypes. Source: the SERVICE_TRIGGER
// structure page (learn.microsoft.com/windows/win32/api/winsvc/ns-winsvc-service_trigger),
// dwTriggerType and pTriggerSubtype: "pTriggerSubtype specifies
// NETWORK_MANAGER_FIRST_IP_ADDRESS_ARRIVAL_GUID or ..._LAST_IP_ADDRESS_REMOVAL_GUID",
// "DOMAIN_JOIN_GUID or DOMAIN_LEAVE_GUID", "FIREWALL_PORT_OPEN_GUID or
// FIREWALL_PORT_CLOSE_GUID", "MACHINE_POLICY_PRESENT_GUID or
// USER_POLICY_PRESENT_GUID", and for NETWORK_ENDPOINT "one of the following
// values: RPC_INTERFACE_EVENT_GUID or NAMED_PIPE_EVENT_GUID".
//
// Not restricted, because Microsoft documents no fixed set: CUSTOM (an ETW
// provider's GUID), DEVICE_INTERFACE_ARRIVAL (a device interface class),
// and CUSTOM_SYSTEM_STATE_CHANGE and AGGREGATE, which that page does not
// describe at all (winsvc.h defines CUSTOM_SYSTEM_STATE_CHANGE_EVENT_GUID,
// but no document says it is the only subtype of type 7).
var fixedSubtypes = map[Type][]GUID{
	TypeIPAddressAvailability: {NetworkFirstIPAddressArrival, NetworkLastIPAddressRemoval},
	TypeDomainJoin:            {DomainJoin, DomainLeave},
	TypeFirewallPortEvent:     {FirewallPortOpen, FirewallPortClose},
	TypeGroupPolicy:           {MachinePolicyPresent, UserPolicyPresent},
	TypeNetworkEndpoint:       {RPCInterfaceEvent, NamedPipeEvent},
}

// noDataItems lists the trigger types whose data items Microsoft documents
// as unused. Source: the SERVICE_TRIGGER page says "The pDataItems member is
// not used" for DOMAIN_JOIN, GROUP_POLICY and IP_ADDRESS_AVAILABILITY, and
// that cDataItems "is valid only if" the type is CUSTOM,
// DEVICE_INTERFACE_ARRIVAL, FIREWALL_PORT_EVENT or NETWORK_ENDPOINT. Types
// 7 and 30, which it does not describe, are not restricted.
var noDataItems = []Type{TypeIPAddressAvailability, TypeDomainJoin, TypeGroupPolicy}

// startOnly lists the trigger types whose action Microsoft documents as
// start only: for NETWORK_ENDPOINT, "The dwAction member must be
// SERVICE_TRIGGER_ACTION_SERVICE_START" (SERVICE_TRIGGER page).
var startOnly = []Type{TypeNetworkEndpoint}

// Validate checks triggers against Microsoft's documented rules: known
// types, actions and data item types; a subtype for every trigger, one of
// the documented GUIDs where its type has a fixed set; no data items where
// the type takes none; each item's data in the field of its type; at most
// 64 triggers, 64 data items per trigger and 1024 bytes per item. Its error
// is the first problem, a *winsvc.ValidationError naming the field
// ("triggers[1].subtype") and the allowed values.
func Validate(triggers []Trigger) error {
	if len(triggers) > maxTriggers {
		return valerr.New("triggers", len(triggers), fmt.Sprintf("at most %d triggers", maxTriggers))
	}
	for i, t := range triggers {
		field := fmt.Sprintf("%s[%d]", "triggers", i)
		if err := t.validate(field); err != nil {
			return err
		}
	}
	return nil
}

func (t Trigger) validate(field string) error {
	if !typeSpec.Known(uint32(t.Type)) {
		return valerr.New(field+".type", t.Type, "", typeSpec.AllowedNames()...)
	}
	if t.Action != Start && t.Action != Stop {
		return valerr.New(field+".action", t.Action, "", actionSpec.AllowedNames()...)
	}
	if slices.Contains(startOnly, t.Type) && t.Action != Start {
		return valerr.New(field+".action", t.Action, fmt.Sprintf("a %s trigger can only start the service", t.Type),
			Start.String())
	}
	if t.Subtype.IsZero() {
		return valerr.New(field+".subtype", t.Subtype, "every trigger needs a subtype GUID")
	}
	if allowed, ok := fixedSubtypes[t.Type]; ok && !slices.Contains(allowed, t.Subtype) {
		return valerr.New(field+".subtype", t.Subtype, fmt.Sprintf("not a subtype of %s", t.Type),
			allowed[0].Name(), allowed[1].Name())
	}
	if slices.Contains(noDataItems, t.Type) && len(t.Data) > 0 {
		return valerr.New(field+".dataItems", len(t.Data), fmt.Sprintf("a %s trigger takes no data items", t.Type))
	}
	if len(t.Data) > maxDataItems {
		return valerr.New(field+".dataItems", len(t.Data), fmt.Sprintf("at most %d data items", maxDataItems))
	}
	for j, d := range t.Data {
		if err := d.validate(fmt.Sprintf("%s.dataItems[%d]", field, j)); err != nil {
			return err
		}
	}
	return nil
}

func (d Data) validate(field string) error {
	if !dataTypeSpec.Known(uint32(d.Type)) {
		return valerr.New(field+".type", d.Type, "", dataTypeSpec.AllowedNames()...)
	}
	// Fields that do not belong to the type would be silently dropped.
	stray := map[string]bool{
		"binary":    d.Type != DataBinary && len(d.Binary) > 0,
		"string":    (d.Type != DataString || d.MultiText != nil) && d.Text != "",
		"multiText": d.Type != DataString && d.MultiText != nil,
		"level":     d.Type != DataLevel && d.Level != 0,
		"keyword":   d.Type != DataKeywordAny && d.Type != DataKeywordAll && d.Keyword != 0,
	}
	for _, name := range []string{"binary", "string", "multiText", "level", "keyword"} {
		if stray[name] {
			return valerr.New(field+"."+name, "(set)", fmt.Sprintf("does not belong to a %s item", d.Type))
		}
	}
	for k, s := range append([]string{d.Text}, d.MultiText...) {
		if strings.ContainsRune(s, 0) {
			return valerr.New(field+".string", s, "must not contain NUL")
		}
		if s == "" && k > 0 {
			return valerr.New(fmt.Sprintf("%s.multiText[%d]", field, k-1), s, "an empty string would end the multi-string")
		}
	}
	if n := len(d.Bytes()); n > maxDataBytes {
		return valerr.New(field, n, fmt.Sprintf("the data is %d bytes; the limit is %d", n, maxDataBytes))
	}
	return nil
}

// Clone returns a deep copy of t: the data items and their bytes are not
// shared. A nil list stays nil.
func Clone(t []Trigger) []Trigger {
	if t == nil {
		return nil
	}
	out := make([]Trigger, len(t))
	for i, x := range t {
		out[i] = x
		out[i].Data = slices.Clone(x.Data)
		for j, d := range x.Data {
			out[i].Data[j].Binary = bytes.Clone(d.Binary)
			out[i].Data[j].MultiText = slices.Clone(d.MultiText)
		}
	}
	return out
}

// Equal compares what the SCM would store: type, action, subtype
// and each item's type and bytes. nil and empty lists are equal.
func Equal(a, b []Trigger) bool {
	return slices.EqualFunc(a, b, func(x, y Trigger) bool {
		return x.Type == y.Type && x.Action == y.Action && x.Subtype == y.Subtype &&
			slices.EqualFunc(x.Data, y.Data, func(p, q Data) bool {
				return p.Type == q.Type && bytes.Equal(p.Bytes(), q.Bytes())
			})
	})
}

type triggerJSON struct {
	Type        Type   `json:"type"`
	Action      Action `json:"action"`
	Subtype     *GUID  `json:"subtype"`
	SubtypeName string `json:"subtypeName,omitempty"`
	DataItems   []Data `json:"dataItems"`
}

// MarshalJSON writes the trigger with Win32 names (see Trigger).
func (t Trigger) MarshalJSON() ([]byte, error) {
	data := t.Data
	if data == nil {
		data = []Data{}
	}
	return json.Marshal(triggerJSON{t.Type, t.Action, &t.Subtype, t.Subtype.Name(), data})
}

// UnmarshalJSON reads the form MarshalJSON writes; subtype may also be a
// well-known name.
func (t *Trigger) UnmarshalJSON(b []byte) error {
	var j triggerJSON
	if err := strictjson.Decode(b, &j); err != nil {
		return err
	}
	*t = Trigger{Type: j.Type, Action: j.Action, Data: j.DataItems}
	switch {
	case j.Subtype != nil:
		t.Subtype = *j.Subtype
	case j.SubtypeName != "":
		g, err := ParseGUID(j.SubtypeName)
		if err != nil {
			return err
		}
		t.Subtype = g
	}
	if j.SubtypeName != "" && !strings.EqualFold(j.SubtypeName, t.Subtype.Name()) {
		return valerr.New("triggers.subtypeName", j.SubtypeName, fmt.Sprintf("does not name subtype %s", t.Subtype))
	}
	return nil
}

type triggerDataJSON struct {
	Type        DataType        `json:"type"`
	Binary      *string         `json:"binary,omitempty"` // hex
	String      *string         `json:"string,omitempty"`
	MultiString *[]string       `json:"multiString,omitempty"`
	Level       *uint8          `json:"level,omitempty"`
	Keyword     json.RawMessage `json:"keyword,omitempty"` // "0x..." (also a decimal number on input)
}

// MarshalJSON writes {"type": <Win32 name>, <payload>}, where the payload is
// one of "binary" (hex), "string", "multiString", "level" or "keyword" (a
// "0x..." string, so that 64-bit values survive JavaScript).
func (d Data) MarshalJSON() ([]byte, error) {
	j := triggerDataJSON{Type: d.Type}
	switch d.Type {
	case DataString:
		if d.MultiText != nil {
			j.MultiString = &d.MultiText
		} else {
			j.String = &d.Text
		}
	case DataLevel:
		j.Level = &d.Level
	case DataKeywordAny, DataKeywordAll:
		j.Keyword, _ = json.Marshal(fmt.Sprintf("0x%x", d.Keyword))
	default:
		h := hex.EncodeToString(d.Binary)
		j.Binary = &h
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (d *Data) UnmarshalJSON(b []byte) error {
	var j triggerDataJSON
	if err := strictjson.Decode(b, &j); err != nil {
		return err
	}
	*d = Data{Type: j.Type}
	if j.Binary != nil {
		v, err := hex.DecodeString(*j.Binary)
		if err != nil {
			return valerr.New("triggers.dataItems.binary", *j.Binary, "must be hexadecimal")
		}
		d.Binary = v
	}
	if j.String != nil {
		d.Text = *j.String
	}
	if j.MultiString != nil {
		d.MultiText = append([]string{}, *j.MultiString...)
	}
	if j.Level != nil {
		d.Level = *j.Level
	}
	if len(j.Keyword) > 0 {
		s := strings.Trim(string(j.Keyword), `"`)
		v, err := strconv.ParseUint(s, 0, 64)
		if err != nil {
			return valerr.New("triggers.dataItems.keyword", s, "must be a 64-bit number such as \"0x8000000000000000\"")
		}
		d.Keyword = v
	}
	return nil
}
