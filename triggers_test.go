package winsvc

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// ptrOffset returns the offset the pointer at `at` of an encoded buffer points
// to, or -1 for NULL.
func ptrOffset(t *testing.T, b []byte, at int) int {
	t.Helper()
	var p uint64
	if ptrSize == 8 {
		p = le.Uint64(b[at:])
	} else {
		p = uint64(le.Uint32(b[at:]))
	}
	if p == 0 {
		return -1
	}
	base := uint64(uintptr(unsafe.Pointer(&b[0])))
	if p < base || p >= base+uint64(len(b)) {
		t.Fatalf("pointer at %d = %#x is outside the buffer", at, p)
	}
	return int(p - base)
}

func TestTriggerLayoutMatchesWinsvcH(t *testing.T) {
	// Offsets and sizes of SERVICE_TRIGGER_INFO, SERVICE_TRIGGER and
	// SERVICE_TRIGGER_SPECIFIC_DATA_ITEM as laid out by MSVC from winsvc.h:
	// DWORDs are 4 bytes, pointers ptrSize and aligned to ptrSize.
	want := map[string][2]int{ // name: {amd64, 386}
		"SERVICE_TRIGGER_INFO.pTriggers":                {8, 4},
		"SERVICE_TRIGGER_INFO.pReserved":                {16, 8},
		"sizeof(SERVICE_TRIGGER_INFO)":                  {24, 12},
		"SERVICE_TRIGGER.dwAction":                      {4, 4},
		"SERVICE_TRIGGER.pTriggerSubtype":               {8, 8},
		"SERVICE_TRIGGER.cDataItems":                    {16, 12},
		"SERVICE_TRIGGER.pDataItems":                    {24, 16},
		"sizeof(SERVICE_TRIGGER)":                       {32, 20},
		"SERVICE_TRIGGER_SPECIFIC_DATA_ITEM.cbData":     {4, 4},
		"SERVICE_TRIGGER_SPECIFIC_DATA_ITEM.pData":      {8, 8},
		"sizeof(SERVICE_TRIGGER_SPECIFIC_DATA_ITEM)":    {16, 12},
		"SERVICE_TRIGGER_INFO.cTriggers":                {0, 0},
		"SERVICE_TRIGGER.dwTriggerType":                 {0, 0},
		"SERVICE_TRIGGER_SPECIFIC_DATA_ITEM.dwDataType": {0, 0},
		"sizeof(GUID)":                                  {16, 16},
	}
	got := map[string]int{
		"SERVICE_TRIGGER_INFO.pTriggers": tiTriggersOff, "SERVICE_TRIGGER_INFO.pReserved": tiReservedOff,
		"sizeof(SERVICE_TRIGGER_INFO)": tiSize, "SERVICE_TRIGGER.dwAction": trActionOff,
		"SERVICE_TRIGGER.pTriggerSubtype": trSubtypeOff, "SERVICE_TRIGGER.cDataItems": trCountOff,
		"SERVICE_TRIGGER.pDataItems": trItemsOff, "sizeof(SERVICE_TRIGGER)": trSize,
		"SERVICE_TRIGGER_SPECIFIC_DATA_ITEM.cbData": tdSizeOff, "SERVICE_TRIGGER_SPECIFIC_DATA_ITEM.pData": tdDataOff,
		"sizeof(SERVICE_TRIGGER_SPECIFIC_DATA_ITEM)": tdSize, "SERVICE_TRIGGER_INFO.cTriggers": tiCountOff,
		"SERVICE_TRIGGER.dwTriggerType": trTypeOff, "SERVICE_TRIGGER_SPECIFIC_DATA_ITEM.dwDataType": tdTypeOff,
		"sizeof(GUID)": guidSize,
	}
	col := 0
	if ptrSize == 4 {
		col = 1
	}
	for name, w := range want {
		if got[name] != w[col] {
			t.Errorf("%s = %d, want %d", name, got[name], w[col])
		}
	}
}

func TestEncodeTriggersEmptyDeletesAll(t *testing.T) {
	for _, in := range [][]Trigger{nil, {}} {
		b := encodeTriggers(in)
		if len(b) < tiSize {
			t.Fatalf("buffer of %d bytes, want at least %d", len(b), tiSize)
		}
		if n := le.Uint32(b[tiCountOff:]); n != 0 {
			t.Errorf("cTriggers = %d, want 0", n)
		}
		if p := ptrOffset(t, b, tiTriggersOff); p != -1 {
			t.Errorf("pTriggers = offset %d, want NULL", p)
		}
		if p := ptrOffset(t, b, tiReservedOff); p != -1 {
			t.Errorf("pReserved = offset %d, want NULL", p)
		}
		got, err := decodeTriggers(b)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("decode = %#v, %v; want an empty, non-nil list", got, err)
		}
	}
}

// sampleTriggers covers every trigger type's typical use and every data
// item type.
func sampleTriggers() []Trigger {
	return []Trigger{
		{Type: TriggerIPAddressAvailability, Action: TriggerStart, Subtype: NetworkFirstIPAddressArrival},
		{Type: TriggerFirewallPortEvent, Action: TriggerStop, Subtype: FirewallPortClose, Data: []TriggerData{
			{Type: TriggerDataString, MultiText: []string{"5001", "UDP", `%ProgramFiles%\App\svc.exe`, "MySvc"}},
		}},
		{Type: TriggerDeviceInterfaceArrival, Action: TriggerStart,
			Subtype: mustGUID("{53f56307-b6bf-11d0-94f2-00a0c91efb8b}"), // GUID_DEVINTERFACE_DISK
			Data:    []TriggerData{{Type: TriggerDataString, Text: `USBSTOR\GenDisk`}}},
		{Type: TriggerCustom, Action: TriggerStart, Subtype: mustGUID("{22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716}"), Data: []TriggerData{
			{Type: TriggerDataBinary, Binary: []byte{0xde, 0xad, 0xbe, 0xef, 0x01}},
			{Type: TriggerDataLevel, Level: 4},
			{Type: TriggerDataKeywordAny, Keyword: 0x8000000000000010},
			{Type: TriggerDataKeywordAll, Keyword: 3},
			{Type: TriggerDataString, Text: "Ünïcødé ☃"},
		}},
		{Type: TriggerNetworkEndpoint, Action: TriggerStart, Subtype: NamedPipeEvent,
			Data: []TriggerData{{Type: TriggerDataString, Text: `\pipe\mysvc`}}},
		{Type: TriggerDomainJoin, Action: TriggerStop, Subtype: DomainLeave},
		{Type: TriggerGroupPolicy, Action: TriggerStart, Subtype: MachinePolicyPresent},
		{Type: TriggerAggregate, Action: TriggerStart, Subtype: mustGUID("{d7c3a5ef-2cc7-4b1f-a7cf-2c2a25e7a0ee}")},
	}
}

func TestEncodeTriggersByteLayout(t *testing.T) {
	in := sampleTriggers()
	b := encodeTriggers(in)
	if n := le.Uint32(b[tiCountOff:]); n != uint32(len(in)) {
		t.Fatalf("cTriggers = %d, want %d", n, len(in))
	}
	arr := ptrOffset(t, b, tiTriggersOff)
	if arr != tiSize {
		t.Errorf("pTriggers -> %d, want the array right after the info (%d)", arr, tiSize)
	}
	if arr%ptrSize != 0 {
		t.Errorf("trigger array at %d is not pointer-aligned", arr)
	}
	for i, tr := range in {
		at := arr + i*trSize
		if got := le.Uint32(b[at+trTypeOff:]); got != uint32(tr.Type) {
			t.Errorf("trigger %d: dwTriggerType = %d, want %d", i, got, tr.Type)
		}
		if got := le.Uint32(b[at+trActionOff:]); got != uint32(tr.Action) {
			t.Errorf("trigger %d: dwAction = %d, want %d", i, got, tr.Action)
		}
		sub := ptrOffset(t, b, at+trSubtypeOff)
		if sub%4 != 0 || !bytes.Equal(b[sub:sub+16], tr.Subtype.bytes()) {
			t.Errorf("trigger %d: subtype at %d = % x, want % x", i, sub, b[sub:sub+16], tr.Subtype.bytes())
		}
		if got := le.Uint32(b[at+trCountOff:]); got != uint32(len(tr.Data)) {
			t.Errorf("trigger %d: cDataItems = %d, want %d", i, got, len(tr.Data))
		}
		items := ptrOffset(t, b, at+trItemsOff)
		if len(tr.Data) == 0 {
			if items != -1 {
				t.Errorf("trigger %d: pDataItems = %d, want NULL", i, items)
			}
			continue
		}
		if items%ptrSize != 0 {
			t.Errorf("trigger %d: item array at %d is not pointer-aligned", i, items)
		}
		for j, d := range tr.Data {
			it := items + j*tdSize
			want := d.payload()
			if got := le.Uint32(b[it+tdTypeOff:]); got != uint32(d.Type) {
				t.Errorf("trigger %d item %d: dwDataType = %d, want %d", i, j, got, d.Type)
			}
			if got := le.Uint32(b[it+tdSizeOff:]); got != uint32(len(want)) {
				t.Errorf("trigger %d item %d: cbData = %d, want %d", i, j, got, len(want))
			}
			p := ptrOffset(t, b, it+tdDataOff)
			if !bytes.Equal(b[p:p+len(want)], want) {
				t.Errorf("trigger %d item %d: data % x, want % x", i, j, b[p:p+len(want)], want)
			}
		}
	}
}

func TestTriggerDataPayloadBytes(t *testing.T) {
	tests := []struct {
		d    TriggerData
		want []byte
	}{
		{TriggerData{Type: TriggerDataString, Text: "ab"}, []byte{'a', 0, 'b', 0, 0, 0}},
		{TriggerData{Type: TriggerDataString, Text: ""}, []byte{0, 0}},
		{TriggerData{Type: TriggerDataString, MultiText: []string{"a", "b"}}, []byte{'a', 0, 0, 0, 'b', 0, 0, 0, 0, 0}},
		{TriggerData{Type: TriggerDataString, MultiText: []string{"a"}}, []byte{'a', 0, 0, 0, 0, 0}},
		{TriggerData{Type: TriggerDataString, MultiText: []string{}}, []byte{0, 0, 0, 0}},
		{TriggerData{Type: TriggerDataLevel, Level: 5}, []byte{5}},
		{TriggerData{Type: TriggerDataKeywordAny, Keyword: 0x0102030405060708}, []byte{8, 7, 6, 5, 4, 3, 2, 1}},
		{TriggerData{Type: TriggerDataKeywordAll, Keyword: 1}, []byte{1, 0, 0, 0, 0, 0, 0, 0}},
		{TriggerData{Type: TriggerDataBinary, Binary: []byte{1, 2, 3}}, []byte{1, 2, 3}},
		{TriggerData{Type: 9, Binary: []byte{7}}, []byte{7}}, // unknown types keep their bytes
	}
	for _, tc := range tests {
		got := tc.d.payload()
		if !bytes.Equal(got, tc.want) {
			t.Errorf("%v: payload % x, want % x", tc.d, got, tc.want)
		}
		back, err := triggerDataFromBytes(tc.d.Type, got)
		if err != nil || !reflect.DeepEqual(back, tc.d) {
			t.Errorf("%v: decoded back as %#v, %v", tc.d, back, err)
		}
	}
}

func TestTriggersRoundTrip(t *testing.T) {
	in := sampleTriggers()
	got, err := decodeTriggers(encodeTriggers(in))
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if in[i].Data == nil {
			in[i].Data = []TriggerData{}
		}
	}
	if !reflect.DeepEqual(got, in) {
		t.Errorf("round trip:\n got %v\nwant %v", got, in)
	}
	if !triggersEqual(got, sampleTriggers()) {
		t.Error("triggersEqual is false after a round trip")
	}
}

func TestDecodeTriggersOtherBufferOrder(t *testing.T) {
	// The SCM may place the data before the structures that point to it.
	var w layout
	info := w.reserve(tiSize, ptrSize)
	guid := w.bytes(DomainJoin.bytes(), 4)
	data := w.bytes(utf16z("x"), 2)
	items := w.reserve(tdSize, ptrSize)
	arr := w.reserve(trSize, ptrSize)
	w.putU32(info, 1)
	w.putPtr(info+tiTriggersOff, arr)
	w.putU32(arr+trTypeOff, uint32(TriggerDomainJoin))
	w.putU32(arr+trActionOff, uint32(TriggerStart))
	w.putPtr(arr+trSubtypeOff, guid)
	w.putU32(arr+trCountOff, 1)
	w.putPtr(arr+trItemsOff, items)
	w.putU32(items+tdTypeOff, uint32(TriggerDataString))
	w.putU32(items+tdSizeOff, 4)
	w.putPtr(items+tdDataOff, data)
	got, err := decodeTriggers(w.finish())
	want := []Trigger{{Type: TriggerDomainJoin, Action: TriggerStart, Subtype: DomainJoin,
		Data: []TriggerData{{Type: TriggerDataString, Text: "x"}}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("decode = %v, %v; want %v", got, err, want)
	}
}

func TestDecodeTriggersRejectsBadBuffers(t *testing.T) {
	good := encodeTriggers(sampleTriggers()[1:2])
	tests := map[string]func(b []byte){
		"count past the buffer": func(b []byte) { le.PutUint32(b[tiCountOff:], 1000) },
		"item count past the buffer": func(b []byte) {
			arr := tiSize
			le.PutUint32(b[arr+trCountOff:], 1000)
		},
		"item pointer outside": func(b []byte) {
			copy(b[tiSize+trItemsOff:], []byte{1, 0, 0, 0, 0, 0, 0, 0}[:ptrSize])
		},
	}
	for name, corrupt := range tests {
		b := encodeTriggers(sampleTriggers()[1:2])
		corrupt(b)
		if _, err := decodeTriggers(b); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := decodeTriggers(good[:2]); err == nil {
		t.Error("truncated buffer: no error")
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
	// The GUID structure's bytes: Data1..Data3 little-endian.
	if got, want := DomainJoin.bytes(), []byte{0xba, 0x0a, 0xe2, 0x1c, 0x51, 0x98, 0x21, 0x44,
		0x94, 0x30, 0x1d, 0xde, 0xb7, 0x66, 0xe8, 0x09}; !bytes.Equal(got, want) {
		t.Errorf("DOMAIN_JOIN_GUID bytes % x, want % x", got, want)
	}
	for _, bad := range []string{"", "{}", "1ce20aba-9851-4421-9430", "{1ce20aba-9851-4421-9430-1ddeb766e80z}", "NOT_A_GUID"} {
		if _, err := ParseGUID(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseGUID(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestValidateTriggers(t *testing.T) {
	ok := sampleTriggers()
	if err := validateTriggers(ok); err != nil {
		t.Fatalf("valid triggers: %v", err)
	}
	// Types whose subtypes and data Microsoft leaves open stay open: a
	// custom system state change or an aggregate with any subtype and data,
	// an RPC interface endpoint, a custom ETW provider without data.
	open := []Trigger{
		{Type: TriggerCustomSystemStateChange, Action: TriggerStart, Subtype: CustomSystemStateChangeEvent,
			Data: []TriggerData{{Type: TriggerDataBinary, Binary: []byte{0x75, 0x08}}}},
		{Type: TriggerCustomSystemStateChange, Action: TriggerStop, Subtype: mustGUID("{0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9}")},
		{Type: TriggerAggregate, Action: TriggerStart, Subtype: mustGUID("{d7c3a5ef-2cc7-4b1f-a7cf-2c2a25e7a0ee}"),
			Data: []TriggerData{{Type: TriggerDataString, Text: "x"}}},
		{Type: TriggerNetworkEndpoint, Action: TriggerStart, Subtype: RPCInterfaceEvent,
			Data: []TriggerData{{Type: TriggerDataString, Text: "12345778-1234-abcd-ef00-0123456789ac"}}},
		{Type: TriggerCustom, Action: TriggerStop, Subtype: mustGUID("{22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716}")},
	}
	if err := validateTriggers(open); err != nil {
		t.Errorf("triggers Microsoft does not restrict: %v", err)
	}
	mutate := func(f func(tr []Trigger)) []Trigger {
		tr := cloneTriggers(sampleTriggers())
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
		{mutate(func(tr []Trigger) { tr[3].Data = make([]TriggerData, 65) }), "triggers[3].dataItems", ""},
		{make([]Trigger, 65), "triggers", ""},
		// SERVICE_TRIGGER: a network endpoint's subtype is RPC_INTERFACE_EVENT_GUID
		// or NAMED_PIPE_EVENT_GUID, and its action must be start.
		{mutate(func(tr []Trigger) { tr[4].Subtype = DomainJoin }), "triggers[4].subtype", "RPC_INTERFACE_EVENT_GUID"},
		{mutate(func(tr []Trigger) { tr[4].Subtype = CustomSystemStateChangeEvent }), "triggers[4].subtype", "NAMED_PIPE_EVENT_GUID"},
		{mutate(func(tr []Trigger) { tr[4].Action = TriggerStop }), "triggers[4].action", "SERVICE_TRIGGER_ACTION_SERVICE_START"},
		// SERVICE_TRIGGER: "The pDataItems member is not used" for IP address
		// availability, domain join and group policy.
		{mutate(func(tr []Trigger) { tr[0].Data = []TriggerData{{Type: TriggerDataString, Text: "x"}} }), "triggers[0].dataItems", ""},
		{mutate(func(tr []Trigger) { tr[5].Data = []TriggerData{{Type: TriggerDataLevel, Level: 1}} }), "triggers[5].dataItems", ""},
		{mutate(func(tr []Trigger) { tr[6].Data = []TriggerData{{Type: TriggerDataBinary, Binary: []byte{1}}} }), "triggers[6].dataItems", ""},
	}
	for _, tc := range tests {
		err := validateTriggers(tc.in)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: got %v, want a *ValidationError", tc.field, err)
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
	if !triggersEqual(back, in) {
		t.Errorf("JSON round trip:\n got %v\nwant %v", back, in)
	}

	// Input may name the subtype, use tokens and give keywords as numbers.
	var tr Trigger
	err = json.Unmarshal([]byte(`{"type":"firewall","action":"stop","subtype":"FIREWALL_PORT_OPEN_GUID",
		"dataItems":[{"type":"keyword-all","keyword":42},{"type":"string","string":"x"}]}`), &tr)
	want := Trigger{Type: TriggerFirewallPortEvent, Action: TriggerStop, Subtype: FirewallPortOpen,
		Data: []TriggerData{{Type: TriggerDataKeywordAll, Keyword: 42}, {Type: TriggerDataString, Text: "x"}}}
	if err != nil || !reflect.DeepEqual(tr, want) {
		t.Errorf("token input = %+v, %v; want %+v", tr, err, want)
	}
	err = json.Unmarshal([]byte(`{"type":"domain","action":"start","subtype":"DOMAIN_JOIN_GUID","subtypeName":"DOMAIN_LEAVE_GUID"}`), &tr)
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("conflicting subtypeName: %v, want ErrInvalid", err)
	}
}

func TestCloneTriggersIsDeep(t *testing.T) {
	in := sampleTriggers()
	c := cloneTriggers(in)
	c[1].Data[0].MultiText[0] = "changed"
	c[3].Data[0].Binary[0] = 0
	if in[1].Data[0].MultiText[0] != "5001" || in[3].Data[0].Binary[0] != 0xde {
		t.Error("cloneTriggers shares slices with its input")
	}
	if cloneTriggers(nil) != nil {
		t.Error("cloneTriggers(nil) is not nil")
	}
}

func TestTriggerString(t *testing.T) {
	got := sampleTriggers()[1].String()
	want := `SERVICE_TRIGGER_ACTION_SERVICE_STOP SERVICE_TRIGGER_TYPE_FIREWALL_PORT_EVENT FIREWALL_PORT_CLOSE_GUID [string:["5001" "UDP" "%ProgramFiles%\\App\\svc.exe" "MySvc"]]`
	if got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}
