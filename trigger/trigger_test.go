package trigger

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/winsvc/winsvc/internal/valerr"
)

func TestTriggerDataPayloadBytes(t *testing.T) {
	tests := []struct {
		d    Data
		want []byte
	}{
		{Data{Type: DataString, Text: "ab"}, []byte{'a', 0, 'b', 0, 0, 0}},
		{Data{Type: DataString, Text: ""}, []byte{0, 0}},
		{Data{Type: DataString, MultiText: []string{"a", "b"}}, []byte{'a', 0, 0, 0, 'b', 0, 0, 0, 0, 0}},
		{Data{Type: DataString, MultiText: []string{"a"}}, []byte{'a', 0, 0, 0, 0, 0}},
		{Data{Type: DataString, MultiText: []string{}}, []byte{0, 0, 0, 0}},
		{Data{Type: DataLevel, Level: 5}, []byte{5}},
		{Data{Type: DataKeywordAny, Keyword: 0x0102030405060708}, []byte{8, 7, 6, 5, 4, 3, 2, 1}},
		{Data{Type: DataKeywordAll, Keyword: 1}, []byte{1, 0, 0, 0, 0, 0, 0, 0}},
		{Data{Type: DataBinary, Binary: []byte{1, 2, 3}}, []byte{1, 2, 3}},
		{Data{Type: 9, Binary: []byte{7}}, []byte{7}}, // unknown types keep their bytes
	}
	for _, tc := range tests {
		got := tc.d.Bytes()
		if !bytes.Equal(got, tc.want) {
			t.Errorf("%v: payload % x, want % x", tc.d, got, tc.want)
		}
		back, err := DataFromBytes(tc.d.Type, got)
		if err != nil || !reflect.DeepEqual(back, tc.d) {
			t.Errorf("%v: decoded back as %#v, %v", tc.d, back, err)
		}
	}
}

func TestWellKnownTriggerSubtypes(t *testing.T) {
	// Values from winsvc.h (Microsoft's Win32 metadata).
	want := map[string]string{
		"NETWORK_MANAGER_FIRST_IP_ADDRESS_ARRIVAL_GUID": "{4f27f2de-14e2-430b-a549-7cd48cbc8245}",
		"NETWORK_MANAGER_LAST_IP_ADDRESS_REMOVAL_GUID":  "{cc4ba62a-162e-4648-847a-b6bdf993e335}",
		"DOMAIN_JOIN_GUID":                      "{1ce20aba-9851-4421-9430-1ddeb766e809}",
		"DOMAIN_LEAVE_GUID":                     "{ddaf516e-58c2-4866-9574-c3b615d42ea1}",
		"FIREWALL_PORT_OPEN_GUID":               "{b7569e07-8421-4ee0-ad10-86915afdad09}",
		"FIREWALL_PORT_CLOSE_GUID":              "{a144ed38-8e12-4de4-9d96-e64740b1a524}",
		"MACHINE_POLICY_PRESENT_GUID":           "{659fcae6-5bdb-4da9-b1ff-ca2a178d46e0}",
		"USER_POLICY_PRESENT_GUID":              "{54fb46c8-f089-464c-b1fd-59d1b62c3b50}",
		"RPC_INTERFACE_EVENT_GUID":              "{bc90d167-9470-4139-a9ba-be0bbbf5b74d}",
		"NAMED_PIPE_EVENT_GUID":                 "{1f81d131-3fac-4537-9e0c-7e7b0c2f4b55}",
		"CUSTOM_SYSTEM_STATE_CHANGE_EVENT_GUID": "{2d7a2816-0c5e-45fc-9ce7-570e5ecde9c9}",
	}
	if len(knownSubtypes) != len(want) {
		t.Errorf("%d known subtypes, want %d", len(knownSubtypes), len(want))
	}
	for name, s := range want {
		g, err := ParseGUID(name)
		if err != nil || g.String() != s || g.Name() != name {
			t.Errorf("%s: %v (%q), %v; want %s", name, g, g.Name(), err, s)
		}
		if u, err := ParseGUID(strings.ToUpper(strings.Trim(s, "{}"))); err != nil || u != g {
			t.Errorf("%s: upper case without braces parses as %v, %v", name, u, err)
		}
	}
	for _, bad := range []string{"", "{}", "1ce20aba-9851-4421-9430", "{1ce20aba-9851-4421-9430-1ddeb766e80z}", "NOT_A_GUID"} {
		if _, err := ParseGUID(bad); !errors.Is(err, valerr.ErrInvalid) {
			t.Errorf("ParseGUID(%q) = %v, want valerr.ErrInvalid", bad, err)
		}
	}
}

func TestValidateTriggers(t *testing.T) {
	ok := sampleTriggers()
	if err := Validate(ok); err != nil {
		t.Fatalf("valid triggers: %v", err)
	}
	// Types whose subtypes and data Microsoft leaves open stay open: a
	// custom system state change or an aggregate with any subtype and data,
	// an RPC interface endpoint, a custom ETW provider without data.
	open := []Trigger{
		{Type: TypeCustomSystemStateChange, Action: Start, Subtype: CustomSystemStateChangeEvent,
			Data: []Data{{Type: DataBinary, Binary: []byte{0x75, 0x08}}}},
		{Type: TypeCustomSystemStateChange, Action: Stop, Subtype: mustGUID("{0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9}")},
		{Type: TypeAggregate, Action: Start, Subtype: mustGUID("{d7c3a5ef-2cc7-4b1f-a7cf-2c2a25e7a0ee}"),
			Data: []Data{{Type: DataString, Text: "x"}}},
		{Type: TypeNetworkEndpoint, Action: Start, Subtype: RPCInterfaceEvent,
			Data: []Data{{Type: DataString, Text: "12345778-1234-abcd-ef00-0123456789ac"}}},
		{Type: TypeCustom, Action: Stop, Subtype: mustGUID("{22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716}")},
	}
	if err := Validate(open); err != nil {
		t.Errorf("triggers Microsoft does not restrict: %v", err)
	}
	mutate := func(f func(tr []Trigger)) []Trigger {
		tr := Clone(sampleTriggers())
		f(tr)
		return tr
	}
	tests := []struct {
		in      []Trigger
		field   string
		allowed string
	}{
		{mutate(func(tr []Trigger) { tr[1].Type = 0 }), "triggers[1].type", "SERVICE_TRIGGER_TYPE_CUSTOM"},
		{mutate(func(tr []Trigger) { tr[1].Type = 8 }), "triggers[1].type", "SERVICE_TRIGGER_TYPE_AGGREGATE"},
		{mutate(func(tr []Trigger) { tr[0].Action = 3 }), "triggers[0].action", "SERVICE_TRIGGER_ACTION_SERVICE_STOP"},
		{mutate(func(tr []Trigger) { tr[2].Subtype = GUID{} }), "triggers[2].subtype", ""},
		{mutate(func(tr []Trigger) { tr[0].Subtype = DomainJoin }), "triggers[0].subtype", "NETWORK_MANAGER_LAST_IP_ADDRESS_REMOVAL_GUID"},
		{mutate(func(tr []Trigger) { tr[3].Data[0].Type = 6 }), "triggers[3].dataItems[0].type", "SERVICE_TRIGGER_DATA_TYPE_KEYWORD_ALL"},
		{mutate(func(tr []Trigger) { tr[3].Data[1].Text = "x" }), "triggers[3].dataItems[1].string", ""},
		{mutate(func(tr []Trigger) { tr[3].Data[0].Level = 1 }), "triggers[3].dataItems[0].level", ""},
		{mutate(func(tr []Trigger) { tr[1].Data[0].MultiText[1] = "" }), "triggers[1].dataItems[0].multiText[1]", ""},
		{mutate(func(tr []Trigger) { tr[2].Data[0].Text = "a\x00b" }), "triggers[2].dataItems[0].string", ""},
		{mutate(func(tr []Trigger) { tr[3].Data[0].Binary = make([]byte, 1025) }), "triggers[3].dataItems[0]", ""},
		{mutate(func(tr []Trigger) { tr[3].Data = make([]Data, 65) }), "triggers[3].dataItems", ""},
		{make([]Trigger, 65), "triggers", ""},
		// SERVICE_TRIGGER: a network endpoint's subtype is RPC_INTERFACE_EVENT_GUID
		// or NAMED_PIPE_EVENT_GUID, and its action must be start.
		{mutate(func(tr []Trigger) { tr[4].Subtype = DomainJoin }), "triggers[4].subtype", "RPC_INTERFACE_EVENT_GUID"},
		{mutate(func(tr []Trigger) { tr[4].Subtype = CustomSystemStateChangeEvent }), "triggers[4].subtype", "NAMED_PIPE_EVENT_GUID"},
		{mutate(func(tr []Trigger) { tr[4].Action = Stop }), "triggers[4].action", "SERVICE_TRIGGER_ACTION_SERVICE_START"},
		// SERVICE_TRIGGER: "The pDataItems member is not used" for IP address
		// availability, domain join and group policy.
		{mutate(func(tr []Trigger) { tr[0].Data = []Data{{Type: DataString, Text: "x"}} }), "triggers[0].dataItems", ""},
		{mutate(func(tr []Trigger) { tr[5].Data = []Data{{Type: DataLevel, Level: 1}} }), "triggers[5].dataItems", ""},
		{mutate(func(tr []Trigger) { tr[6].Data = []Data{{Type: DataBinary, Binary: []byte{1}}} }), "triggers[6].dataItems", ""},
	}
	for _, tc := range tests {
		err := Validate(tc.in)
		var ve *valerr.Error
		if !errors.As(err, &ve) {
			t.Errorf("%s: got %v, want a *valerr.Error", tc.field, err)
			continue
		}
		if ve.Field != tc.field {
			t.Errorf("field %q, want %q (%v)", ve.Field, tc.field, err)
		}
		if tc.allowed != "" && !strings.Contains(err.Error(), tc.allowed) {
			t.Errorf("%s: %q does not list %s", tc.field, err, tc.allowed)
		}
	}
}

func TestTriggerJSON(t *testing.T) {
	in := sampleTriggers()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`"type":"SERVICE_TRIGGER_TYPE_IP_ADDRESS_AVAILABILITY"`,
		`"action":"SERVICE_TRIGGER_ACTION_SERVICE_START"`,
		`"subtype":"{4f27f2de-14e2-430b-a549-7cd48cbc8245}"`,
		`"subtypeName":"NETWORK_MANAGER_FIRST_IP_ADDRESS_ARRIVAL_GUID"`,
		`"dataItems":[]`,
		`{"type":"SERVICE_TRIGGER_DATA_TYPE_STRING","multiString":["5001","UDP"`,
		`{"type":"SERVICE_TRIGGER_DATA_TYPE_BINARY","binary":"deadbeef01"}`,
		`{"type":"SERVICE_TRIGGER_DATA_TYPE_LEVEL","level":4}`,
		`{"type":"SERVICE_TRIGGER_DATA_TYPE_KEYWORD_ANY","keyword":"0x8000000000000010"}`,
	} {
		if !strings.Contains(string(b), s) {
			t.Errorf("JSON lacks %s:\n%s", s, b)
		}
	}
	var back []Trigger
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !Equal(back, in) {
		t.Errorf("JSON round trip:\n got %v\nwant %v", back, in)
	}

	// Input may name the subtype, use tokens and give keywords as numbers.
	var tr Trigger
	err = json.Unmarshal([]byte(`{"type":"firewall","action":"stop","subtype":"FIREWALL_PORT_OPEN_GUID",
		"dataItems":[{"type":"keyword-all","keyword":42},{"type":"string","string":"x"}]}`), &tr)
	want := Trigger{Type: TypeFirewallPortEvent, Action: Stop, Subtype: FirewallPortOpen,
		Data: []Data{{Type: DataKeywordAll, Keyword: 42}, {Type: DataString, Text: "x"}}}
	if err != nil || !reflect.DeepEqual(tr, want) {
		t.Errorf("token input = %+v, %v; want %+v", tr, err, want)
	}
	err = json.Unmarshal([]byte(`{"type":"domain","action":"start","subtype":"DOMAIN_JOIN_GUID","subtypeName":"DOMAIN_LEAVE_GUID"}`), &tr)
	if !errors.Is(err, valerr.ErrInvalid) {
		t.Errorf("conflicting subtypeName: %v, want valerr.ErrInvalid", err)
	}
}

func TestCloneTriggersIsDeep(t *testing.T) {
	in := sampleTriggers()
	c := Clone(in)
	c[1].Data[0].MultiText[0] = "changed"
	c[3].Data[0].Binary[0] = 0
	if in[1].Data[0].MultiText[0] != "5001" || in[3].Data[0].Binary[0] != 0xde {
		t.Error("Clone shares slices with its input")
	}
	if Clone(nil) != nil {
		t.Error("Clone(nil) is not nil")
	}
}

func TestTriggerString(t *testing.T) {
	got := sampleTriggers()[1].String()
	want := `SERVICE_TRIGGER_ACTION_SERVICE_STOP SERVICE_TRIGGER_TYPE_FIREWALL_PORT_EVENT FIREWALL_PORT_CLOSE_GUID [string:["5001" "UDP" "%ProgramFiles%\\App\\svc.exe" "MySvc"]]`
	if got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}

// sampleTriggers is one trigger of every kind the SCM stores
// (testdata/samples.json, which winsvc's codec tests read too).
func sampleTriggers() []Trigger {
	b, err := os.ReadFile("testdata/samples.json")
	if err != nil {
		panic(err)
	}
	var out []Trigger
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

// TestWin32Values pins the Win32 value of every name, as winsvc.h defines
// them, and the rule that the Go value is the Win32 value: a number parses
// to the constant of that number, and every type is 32 bits wide.
func TestWin32Values(t *testing.T) {
	types := map[Type]uint32{TypeDeviceInterfaceArrival: 1, TypeIPAddressAvailability: 2, TypeDomainJoin: 3,
		TypeFirewallPortEvent: 4, TypeGroupPolicy: 5, TypeNetworkEndpoint: 6, TypeCustomSystemStateChange: 7,
		TypeCustom: 20, TypeAggregate: 30}
	for v, w := range types {
		var back Type
		if uint32(v) != w || Type(w) != v || back.UnmarshalText([]byte(strconv.FormatUint(uint64(w), 10))) != nil || back != v {
			t.Errorf("%s: value %d, parses %d as %d; want %d", v, uint32(v), w, uint32(back), w)
		}
	}
	for v, w := range map[Action]uint32{Start: 1, Stop: 2} {
		var back Action
		if uint32(v) != w || back.UnmarshalText([]byte(strconv.FormatUint(uint64(w), 10))) != nil || back != v {
			t.Errorf("%s: value %d, parses %d as %d; want %d", v, uint32(v), w, uint32(back), w)
		}
	}
	for v, w := range map[DataType]uint32{DataBinary: 1, DataString: 2, DataLevel: 3, DataKeywordAny: 4, DataKeywordAll: 5} {
		var back DataType
		if uint32(v) != w || back.UnmarshalText([]byte(strconv.FormatUint(uint64(w), 10))) != nil || back != v {
			t.Errorf("%s: value %d, parses %d as %d; want %d", v, uint32(v), w, uint32(back), w)
		}
	}
	if a, b, c := unsafe.Sizeof(Type(0)), unsafe.Sizeof(Action(0)), unsafe.Sizeof(DataType(0)); a != 4 || b != 4 || c != 4 {
		t.Errorf("sizes %d, %d, %d; want 4 (DWORDs)", a, b, c)
	}
	// No trigger enum has a Win32 0: the zero value is "not set", prints
	// as "" and is what "" parses to.
	var zero Type
	if zero.String() != "" || zero.UnmarshalText([]byte("")) != nil || zero != 0 {
		t.Errorf("the zero Type is %q; want not set", zero)
	}
	if got := Type(9).String(); got != "0x9" {
		t.Errorf("Type(9) = %q; want 0x9 (an unknown value kept)", got)
	}
}
