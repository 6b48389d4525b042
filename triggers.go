package winsvc

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/winsvc/winsvc/internal/enum"
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
	Type    TriggerType
	Action  TriggerAction
	Subtype GUID // the event subtype; its meaning depends on Type
	Data    []TriggerData
}

// TriggerData is one trigger-specific data item
// (SERVICE_TRIGGER_SPECIFIC_DATA_ITEM). Only the field that belongs to Type
// is used:
//
//   - TriggerDataBinary: Binary
//   - TriggerDataString: Text, a single NUL-terminated string; or, when
//     MultiText is not nil, a multi-string (each string NUL-terminated, then
//     one more NUL), as the firewall-port trigger uses
//   - TriggerDataLevel: Level
//   - TriggerDataKeywordAny, TriggerDataKeywordAll: Keyword
//
// An item of a type this package does not know keeps its bytes in Binary.
type TriggerData struct {
	Type      TriggerDataType
	Binary    []byte
	Text      string
	MultiText []string
	Level     uint8
	Keyword   uint64
}

// TriggerType is the kind of event a trigger reacts to. The values are the
// Win32 SERVICE_TRIGGER_TYPE_* values; the zero value means "not set".
type TriggerType uint32

// Trigger types.
const (
	TriggerDeviceInterfaceArrival  TriggerType = 1
	TriggerIPAddressAvailability   TriggerType = 2
	TriggerDomainJoin              TriggerType = 3
	TriggerFirewallPortEvent       TriggerType = 4
	TriggerGroupPolicy             TriggerType = 5
	TriggerNetworkEndpoint         TriggerType = 6
	TriggerCustomSystemStateChange TriggerType = 7 // defined in winsvc.h, not described on the SERVICE_TRIGGER page
	TriggerCustom                  TriggerType = 20
	TriggerAggregate               TriggerType = 30 // defined in winsvc.h, not described on the SERVICE_TRIGGER page
)

var triggerTypeSpec = enum.Spec{
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

// TriggerAction is what a trigger does. The zero value means "not set".
type TriggerAction uint32

// Trigger actions (the Win32 values).
const (
	TriggerStart TriggerAction = 1
	TriggerStop  TriggerAction = 2
)

var triggerActionSpec = enum.Spec{
	Kind:   "triggers.action",
	Names:  map[uint32]string{1: "SERVICE_TRIGGER_ACTION_SERVICE_START", 2: "SERVICE_TRIGGER_ACTION_SERVICE_STOP"},
	Tokens: map[string]uint32{"start": 1, "stop": 2},
}

// TriggerDataType is the type of a trigger data item. The zero value means
// "not set".
type TriggerDataType uint32

// Trigger data item types (the Win32 values).
const (
	TriggerDataBinary     TriggerDataType = 1
	TriggerDataString     TriggerDataType = 2
	TriggerDataLevel      TriggerDataType = 3
	TriggerDataKeywordAny TriggerDataType = 4
	TriggerDataKeywordAll TriggerDataType = 5
)

var triggerDataTypeSpec = enum.Spec{
	Kind: "triggers.dataItems.type",
	Names: map[uint32]string{1: "SERVICE_TRIGGER_DATA_TYPE_BINARY", 2: "SERVICE_TRIGGER_DATA_TYPE_STRING",
		3: "SERVICE_TRIGGER_DATA_TYPE_LEVEL", 4: "SERVICE_TRIGGER_DATA_TYPE_KEYWORD_ANY",
		5: "SERVICE_TRIGGER_DATA_TYPE_KEYWORD_ALL"},
	Tokens: map[string]uint32{"binary": 1, "string": 2, "level": 3, "keyword-any": 4, "keyword-all": 5,
		"any": 4, "all": 5},
}

// String returns the Win32 name, e.g. "SERVICE_TRIGGER_TYPE_DOMAIN_JOIN".
func (t TriggerType) String() string { return triggerTypeSpec.Name(uint64(t)) }

// String returns the Win32 name, e.g. "SERVICE_TRIGGER_ACTION_SERVICE_START".
func (a TriggerAction) String() string { return triggerActionSpec.Name(uint64(a)) }

// String returns the Win32 name, e.g. "SERVICE_TRIGGER_DATA_TYPE_STRING".
func (t TriggerDataType) String() string { return triggerDataTypeSpec.Name(uint64(t)) }

// ParseTriggerType parses a Win32 name, a short token ("ip", "domain",
// "firewall", "custom", ...) or a number, case-insensitively.
func ParseTriggerType(s string) (TriggerType, error) {
	v, err := triggerTypeSpec.Parse(s)
	return TriggerType(v), err
}

// ParseTriggerAction parses a Win32 name, "start", "stop" or a number.
func ParseTriggerAction(s string) (TriggerAction, error) {
	v, err := triggerActionSpec.Parse(s)
	return TriggerAction(v), err
}

// ParseTriggerDataType parses a Win32 name, a token ("binary", "string",
// "level", "keyword-any", "keyword-all") or a number.
func ParseTriggerDataType(s string) (TriggerDataType, error) {
	v, err := triggerDataTypeSpec.Parse(s)
	return TriggerDataType(v), err
}

// MarshalText writes the Win32 name.
func (t TriggerType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// MarshalText writes the Win32 name.
func (a TriggerAction) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// MarshalText writes the Win32 name.
func (t TriggerDataType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText accepts what ParseTriggerType accepts.
func (t *TriggerType) UnmarshalText(b []byte) (err error) {
	*t, err = ParseTriggerType(string(b))
	return err
}

// UnmarshalText accepts what ParseTriggerAction accepts.
func (a *TriggerAction) UnmarshalText(b []byte) (err error) {
	*a, err = ParseTriggerAction(string(b))
	return err
}

// UnmarshalText accepts what ParseTriggerDataType accepts.
func (t *TriggerDataType) UnmarshalText(b []byte) (err error) {
	*t, err = ParseTriggerDataType(string(b))
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
func (d TriggerData) String() string {
	switch d.Type {
	case TriggerDataString:
		if d.MultiText != nil {
			return fmt.Sprintf("string:%q", d.MultiText)
		}
		return fmt.Sprintf("string:%q", d.Text)
	case TriggerDataLevel:
		return fmt.Sprintf("level:%d", d.Level)
	case TriggerDataKeywordAny, TriggerDataKeywordAll:
		return fmt.Sprintf("%s:0x%x", strings.ToLower(strings.TrimPrefix(d.Type.String(), "SERVICE_TRIGGER_DATA_TYPE_")), d.Keyword)
	}
	return fmt.Sprintf("binary:%x", d.Binary)
}

// payload returns the item's data bytes (pData, cbData).
func (d TriggerData) payload() []byte {
	switch d.Type {
	case TriggerDataString:
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
	case TriggerDataLevel:
		return []byte{d.Level}
	case TriggerDataKeywordAny, TriggerDataKeywordAll:
		b := make([]byte, 8)
		le.PutUint64(b, d.Keyword)
		return b
	}
	return d.Binary
}

// utf16z encodes s as NUL-terminated UTF-16LE.
func utf16z(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*(len(u)+1))
	for i, c := range u {
		le.PutUint16(b[2*i:], c)
	}
	return b
}

// triggerDataFromBytes decodes one item's data.
func triggerDataFromBytes(t TriggerDataType, p []byte) (TriggerData, error) {
	d := TriggerData{Type: t}
	switch t {
	case TriggerDataString:
		if len(p)%2 != 0 {
			return d, fmt.Errorf("string data of %d bytes: not UTF-16", len(p))
		}
		u := make([]uint16, len(p)/2)
		for i := range u {
			u[i] = le.Uint16(p[2*i:])
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
	case TriggerDataLevel:
		if len(p) != 1 {
			return d, fmt.Errorf("level data of %d bytes, want 1", len(p))
		}
		d.Level = p[0]
	case TriggerDataKeywordAny, TriggerDataKeywordAll:
		if len(p) != 8 {
			return d, fmt.Errorf("keyword data of %d bytes, want 8", len(p))
		}
		d.Keyword = le.Uint64(p)
	default:
		d.Binary = bytes.Clone(p)
	}
	return d, nil
}

// Limits from MS-SCMR: at most 64 triggers, 64 data items per trigger and
// 1024 bytes per data item.
const (
	maxTriggers         = 64
	maxTriggerDataItems = 64
	maxTriggerDataBytes = 1024
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
var fixedSubtypes = map[TriggerType][]GUID{
	TriggerIPAddressAvailability: {NetworkFirstIPAddressArrival, NetworkLastIPAddressRemoval},
	TriggerDomainJoin:            {DomainJoin, DomainLeave},
	TriggerFirewallPortEvent:     {FirewallPortOpen, FirewallPortClose},
	TriggerGroupPolicy:           {MachinePolicyPresent, UserPolicyPresent},
	TriggerNetworkEndpoint:       {RPCInterfaceEvent, NamedPipeEvent},
}

// noDataItems lists the trigger types whose data items Microsoft documents
// as unused. Source: the SERVICE_TRIGGER page says "The pDataItems member is
// not used" for DOMAIN_JOIN, GROUP_POLICY and IP_ADDRESS_AVAILABILITY, and
// that cDataItems "is valid only if" the type is CUSTOM,
// DEVICE_INTERFACE_ARRIVAL, FIREWALL_PORT_EVENT or NETWORK_ENDPOINT. Types
// 7 and 30, which it does not describe, are not restricted.
var noDataItems = []TriggerType{TriggerIPAddressAvailability, TriggerDomainJoin, TriggerGroupPolicy}

// startOnly lists the trigger types whose action Microsoft documents as
// start only: for NETWORK_ENDPOINT, "The dwAction member must be
// SERVICE_TRIGGER_ACTION_SERVICE_START" (SERVICE_TRIGGER page).
var startOnly = []TriggerType{TriggerNetworkEndpoint}

func validateTriggers(triggers []Trigger) error {
	if len(triggers) > maxTriggers {
		return invalid(string(FieldTriggers), len(triggers), fmt.Sprintf("at most %d triggers", maxTriggers))
	}
	for i, t := range triggers {
		field := fmt.Sprintf("%s[%d]", FieldTriggers, i)
		if err := t.validate(field); err != nil {
			return err
		}
	}
	return nil
}

func (t Trigger) validate(field string) error {
	if !triggerTypeSpec.Known(uint64(t.Type)) {
		return invalid(field+".type", t.Type, "", triggerTypeSpec.AllowedNames()...)
	}
	if t.Action != TriggerStart && t.Action != TriggerStop {
		return invalid(field+".action", t.Action, "", triggerActionSpec.AllowedNames()...)
	}
	if slices.Contains(startOnly, t.Type) && t.Action != TriggerStart {
		return invalid(field+".action", t.Action, fmt.Sprintf("a %s trigger can only start the service", t.Type),
			TriggerStart.String())
	}
	if t.Subtype.IsZero() {
		return invalid(field+".subtype", t.Subtype, "every trigger needs a subtype GUID")
	}
	if allowed, ok := fixedSubtypes[t.Type]; ok && !slices.Contains(allowed, t.Subtype) {
		return invalid(field+".subtype", t.Subtype, fmt.Sprintf("not a subtype of %s", t.Type),
			allowed[0].Name(), allowed[1].Name())
	}
	if slices.Contains(noDataItems, t.Type) && len(t.Data) > 0 {
		return invalid(field+".dataItems", len(t.Data), fmt.Sprintf("a %s trigger takes no data items", t.Type))
	}
	if len(t.Data) > maxTriggerDataItems {
		return invalid(field+".dataItems", len(t.Data), fmt.Sprintf("at most %d data items", maxTriggerDataItems))
	}
	for j, d := range t.Data {
		if err := d.validate(fmt.Sprintf("%s.dataItems[%d]", field, j)); err != nil {
			return err
		}
	}
	return nil
}

func (d TriggerData) validate(field string) error {
	if !triggerDataTypeSpec.Known(uint64(d.Type)) {
		return invalid(field+".type", d.Type, "", triggerDataTypeSpec.AllowedNames()...)
	}
	// Fields that do not belong to the type would be silently dropped.
	stray := map[string]bool{
		"binary":    d.Type != TriggerDataBinary && len(d.Binary) > 0,
		"string":    (d.Type != TriggerDataString || d.MultiText != nil) && d.Text != "",
		"multiText": d.Type != TriggerDataString && d.MultiText != nil,
		"level":     d.Type != TriggerDataLevel && d.Level != 0,
		"keyword":   d.Type != TriggerDataKeywordAny && d.Type != TriggerDataKeywordAll && d.Keyword != 0,
	}
	for _, name := range []string{"binary", "string", "multiText", "level", "keyword"} {
		if stray[name] {
			return invalid(field+"."+name, "(set)", fmt.Sprintf("does not belong to a %s item", d.Type))
		}
	}
	for k, s := range append([]string{d.Text}, d.MultiText...) {
		if strings.ContainsRune(s, 0) {
			return invalid(field+".string", s, "must not contain NUL")
		}
		if s == "" && k > 0 {
			return invalid(fmt.Sprintf("%s.multiText[%d]", field, k-1), s, "an empty string would end the multi-string")
		}
	}
	if n := len(d.payload()); n > maxTriggerDataBytes {
		return invalid(field, n, fmt.Sprintf("the data is %d bytes; the limit is %d", n, maxTriggerDataBytes))
	}
	return nil
}

func cloneTriggers(t []Trigger) []Trigger {
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

// triggersEqual compares what the SCM would store: type, action, subtype
// and each item's type and bytes. nil and empty lists are equal.
func triggersEqual(a, b []Trigger) bool {
	return slices.EqualFunc(a, b, func(x, y Trigger) bool {
		return x.Type == y.Type && x.Action == y.Action && x.Subtype == y.Subtype &&
			slices.EqualFunc(x.Data, y.Data, func(p, q TriggerData) bool {
				return p.Type == q.Type && bytes.Equal(p.payload(), q.payload())
			})
	})
}

// Structure layouts (offsets for this target's pointer size), from the
// SERVICE_TRIGGER_INFO, SERVICE_TRIGGER and SERVICE_TRIGGER_SPECIFIC_DATA_ITEM
// definitions in winsvc.h.
var (
	// SERVICE_TRIGGER_INFO: DWORD cTriggers; PSERVICE_TRIGGER pTriggers;
	// PBYTE pReserved.
	tiCountOff    = 0
	tiTriggersOff = ptrSize
	tiReservedOff = 2 * ptrSize
	tiSize        = 3 * ptrSize
	// SERVICE_TRIGGER: DWORD dwTriggerType; DWORD dwAction;
	// GUID *pTriggerSubtype; DWORD cDataItems;
	// PSERVICE_TRIGGER_SPECIFIC_DATA_ITEM pDataItems.
	trTypeOff    = 0
	trActionOff  = 4
	trSubtypeOff = 8
	trCountOff   = 8 + ptrSize
	trItemsOff   = align(8+ptrSize+4, ptrSize)
	trSize       = trItemsOff + ptrSize
	// SERVICE_TRIGGER_SPECIFIC_DATA_ITEM: DWORD dwDataType; DWORD cbData;
	// PBYTE pData.
	tdTypeOff = 0
	tdSizeOff = 4
	tdDataOff = 8
	tdSize    = 8 + ptrSize
	guidSize  = 16
)

// encodeTriggers lays out SERVICE_TRIGGER_INFO. An empty list gives
// cTriggers = 0 and a NULL array, which deletes every trigger.
func encodeTriggers(triggers []Trigger) []byte {
	var w layout
	info := w.reserve(tiSize, ptrSize)
	w.putU32(info+tiCountOff, uint32(len(triggers)))
	if len(triggers) == 0 {
		return w.finish()
	}
	arr := w.reserve(trSize*len(triggers), ptrSize)
	w.putPtr(info+tiTriggersOff, arr)
	for i, t := range triggers {
		at := arr + i*trSize
		w.putU32(at+trTypeOff, uint32(t.Type))
		w.putU32(at+trActionOff, uint32(t.Action))
		w.putPtr(at+trSubtypeOff, w.bytes(t.Subtype.bytes(), 4))
		w.putU32(at+trCountOff, uint32(len(t.Data)))
		if len(t.Data) == 0 {
			continue
		}
		items := w.reserve(tdSize*len(t.Data), ptrSize)
		w.putPtr(at+trItemsOff, items)
		for j, d := range t.Data {
			p := d.payload()
			it := items + j*tdSize
			w.putU32(it+tdTypeOff, uint32(d.Type))
			w.putU32(it+tdSizeOff, uint32(len(p)))
			if len(p) > 0 {
				w.putPtr(it+tdDataOff, w.bytes(p, 8))
			}
		}
	}
	return w.finish()
}

// decodeTriggers reads the SERVICE_TRIGGER_INFO the SCM returned.
func decodeTriggers(b []byte) ([]Trigger, error) {
	r := newReader(b)
	n, err := r.u32(tiCountOff)
	if err != nil {
		return nil, err
	}
	arr, err := r.ptr(tiTriggersOff)
	if err != nil || n == 0 {
		return []Trigger{}, err
	}
	if arr < 0 || n > uint32(len(b)/trSize) {
		return nil, fmt.Errorf("%d triggers at %d: %w", n, arr, errBadPointer)
	}
	out := make([]Trigger, 0, n)
	for i := 0; i < int(n); i++ {
		t, err := decodeTrigger(r, arr+i*trSize)
		if err != nil {
			return nil, fmt.Errorf("trigger %d: %w", i, err)
		}
		out = append(out, t)
	}
	return out, nil
}

func decodeTrigger(r *reader, at int) (Trigger, error) {
	typ, err1 := r.u32(at + trTypeOff)
	action, err2 := r.u32(at + trActionOff)
	count, err3 := r.u32(at + trCountOff)
	sub, err4 := r.ptr(at + trSubtypeOff)
	items, err5 := r.ptr(at + trItemsOff)
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		return Trigger{}, err
	}
	t := Trigger{Type: TriggerType(typ), Action: TriggerAction(action), Data: []TriggerData{}}
	if sub >= 0 {
		g, err := r.bytesAt(sub, guidSize)
		if err != nil {
			return t, err
		}
		t.Subtype = guidFromBytes(g)
	}
	if count > 0 && (items < 0 || count > uint32(len(r.b)/tdSize)) {
		return t, fmt.Errorf("%d data items at %d: %w", count, items, errBadPointer)
	}
	for j := 0; j < int(count); j++ {
		it := items + j*tdSize
		dt, err1 := r.u32(it + tdTypeOff)
		size, err2 := r.u32(it + tdSizeOff)
		data, err3 := r.ptr(it + tdDataOff)
		if err := errors.Join(err1, err2, err3); err != nil {
			return t, err
		}
		var p []byte
		if size > 0 {
			if p, err1 = r.bytesAt(data, int(size)); err1 != nil {
				return t, err1
			}
		}
		d, err := triggerDataFromBytes(TriggerDataType(dt), p)
		if err != nil {
			return t, fmt.Errorf("data item %d: %w", j, err)
		}
		t.Data = append(t.Data, d)
	}
	return t, nil
}

// bytesAt returns n bytes at offset off.
func (r *reader) bytesAt(off, n int) ([]byte, error) {
	if off < 0 || n < 0 || off+n > len(r.b) {
		return nil, errBadPointer
	}
	return r.b[off : off+n], nil
}

type triggerJSON struct {
	Type        TriggerType   `json:"type"`
	Action      TriggerAction `json:"action"`
	Subtype     *GUID         `json:"subtype"`
	SubtypeName string        `json:"subtypeName,omitempty"`
	DataItems   []TriggerData `json:"dataItems"`
}

// MarshalJSON writes the trigger with Win32 names (see Trigger).
func (t Trigger) MarshalJSON() ([]byte, error) {
	data := t.Data
	if data == nil {
		data = []TriggerData{}
	}
	return json.Marshal(triggerJSON{t.Type, t.Action, &t.Subtype, t.Subtype.Name(), data})
}

// UnmarshalJSON reads the form MarshalJSON writes; subtype may also be a
// well-known name.
func (t *Trigger) UnmarshalJSON(b []byte) error {
	var j triggerJSON
	if err := json.Unmarshal(b, &j); err != nil {
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
		return invalid("triggers.subtypeName", j.SubtypeName, fmt.Sprintf("does not name subtype %s", t.Subtype))
	}
	return nil
}

type triggerDataJSON struct {
	Type        TriggerDataType `json:"type"`
	Binary      *string         `json:"binary,omitempty"` // hex
	String      *string         `json:"string,omitempty"`
	MultiString *[]string       `json:"multiString,omitempty"`
	Level       *uint8          `json:"level,omitempty"`
	Keyword     json.RawMessage `json:"keyword,omitempty"` // "0x..." (also a decimal number on input)
}

// MarshalJSON writes {"type": <Win32 name>, <payload>}, where the payload is
// one of "binary" (hex), "string", "multiString", "level" or "keyword" (a
// "0x..." string, so that 64-bit values survive JavaScript).
func (d TriggerData) MarshalJSON() ([]byte, error) {
	j := triggerDataJSON{Type: d.Type}
	switch d.Type {
	case TriggerDataString:
		if d.MultiText != nil {
			j.MultiString = &d.MultiText
		} else {
			j.String = &d.Text
		}
	case TriggerDataLevel:
		j.Level = &d.Level
	case TriggerDataKeywordAny, TriggerDataKeywordAll:
		j.Keyword, _ = json.Marshal(fmt.Sprintf("0x%x", d.Keyword))
	default:
		h := hex.EncodeToString(d.Binary)
		j.Binary = &h
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (d *TriggerData) UnmarshalJSON(b []byte) error {
	var j triggerDataJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*d = TriggerData{Type: j.Type}
	if j.Binary != nil {
		v, err := hex.DecodeString(*j.Binary)
		if err != nil {
			return invalid("triggers.dataItems.binary", *j.Binary, "must be hexadecimal")
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
			return invalid("triggers.dataItems.keyword", s, "must be a 64-bit number such as \"0x8000000000000000\"")
		}
		d.Keyword = v
	}
	return nil
}
