package winsvc

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"unsafe"

	"github.com/winsvc/winsvc/trigger"
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
		"sizeof(trigger.GUID)":                          {16, 16},
	}
	got := map[string]int{
		"SERVICE_TRIGGER_INFO.pTriggers": tiTriggersOff, "SERVICE_TRIGGER_INFO.pReserved": tiReservedOff,
		"sizeof(SERVICE_TRIGGER_INFO)": tiSize, "SERVICE_TRIGGER.dwAction": trActionOff,
		"SERVICE_TRIGGER.pTriggerSubtype": trSubtypeOff, "SERVICE_TRIGGER.cDataItems": trCountOff,
		"SERVICE_TRIGGER.pDataItems": trItemsOff, "sizeof(SERVICE_TRIGGER)": trSize,
		"SERVICE_TRIGGER_SPECIFIC_DATA_ITEM.cbData": tdSizeOff, "SERVICE_TRIGGER_SPECIFIC_DATA_ITEM.pData": tdDataOff,
		"sizeof(SERVICE_TRIGGER_SPECIFIC_DATA_ITEM)": tdSize, "SERVICE_TRIGGER_INFO.cTriggers": tiCountOff,
		"SERVICE_TRIGGER.dwTriggerType": trTypeOff, "SERVICE_TRIGGER_SPECIFIC_DATA_ITEM.dwDataType": tdTypeOff,
		"sizeof(trigger.GUID)": guidSize,
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
	for _, in := range [][]trigger.Trigger{nil, {}} {
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

// sampleTriggers is one trigger of every kind the SCM stores, from the
// trigger package's test data (their JSON form).
func sampleTriggers() []trigger.Trigger {
	b, err := os.ReadFile("trigger/testdata/samples.json")
	if err != nil {
		panic(err)
	}
	var out []trigger.Trigger
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
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
			t.Errorf("trigger %d: dwTriggerType = %d, want %d", i, got, uint32(tr.Type))
		}
		if got := le.Uint32(b[at+trActionOff:]); got != uint32(tr.Action) {
			t.Errorf("trigger %d: dwAction = %d, want %d", i, got, uint32(tr.Action))
		}
		sub := ptrOffset(t, b, at+trSubtypeOff)
		if sub%4 != 0 || !bytes.Equal(b[sub:sub+16], guidBytes(tr.Subtype)) {
			t.Errorf("trigger %d: subtype at %d = % x, want % x", i, sub, b[sub:sub+16], guidBytes(tr.Subtype))
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
			want := d.Bytes()
			if got := le.Uint32(b[it+tdTypeOff:]); got != uint32(d.Type) {
				t.Errorf("trigger %d item %d: dwDataType = %d, want %d", i, j, got, uint32(d.Type))
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

func TestTriggersRoundTrip(t *testing.T) {
	in := sampleTriggers()
	got, err := decodeTriggers(encodeTriggers(in))
	if err != nil {
		t.Fatal(err)
	}
	for i := range in {
		if in[i].Data == nil {
			in[i].Data = []trigger.Data{}
		}
	}
	if !reflect.DeepEqual(got, in) {
		t.Errorf("round trip:\n got %v\nwant %v", got, in)
	}
	if !trigger.Equal(got, sampleTriggers()) {
		t.Error("trigger.Equal is false after a round trip")
	}
}

func TestDecodeTriggersOtherBufferOrder(t *testing.T) {
	// The SCM may place the data before the structures that point to it.
	var w layout
	info := w.reserve(tiSize, ptrSize)
	guid := w.bytes(guidBytes(trigger.DomainJoin), 4)
	data := w.bytes(trigger.Data{Type: trigger.DataString, Text: "x"}.Bytes(), 2)
	items := w.reserve(tdSize, ptrSize)
	arr := w.reserve(trSize, ptrSize)
	w.putU32(info, 1)
	w.putPtr(info+tiTriggersOff, arr)
	w.putU32(arr+trTypeOff, uint32(trigger.TypeDomainJoin))
	w.putU32(arr+trActionOff, uint32(trigger.Start))
	w.putPtr(arr+trSubtypeOff, guid)
	w.putU32(arr+trCountOff, 1)
	w.putPtr(arr+trItemsOff, items)
	w.putU32(items+tdTypeOff, uint32(trigger.DataString))
	w.putU32(items+tdSizeOff, 4)
	w.putPtr(items+tdDataOff, data)
	got, err := decodeTriggers(w.finish())
	want := []trigger.Trigger{{Type: trigger.TypeDomainJoin, Action: trigger.Start, Subtype: trigger.DomainJoin,
		Data: []trigger.Data{{Type: trigger.DataString, Text: "x"}}}}
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

// TestGUIDBytes checks the GUID structure's layout: Data1..Data3
// little-endian, Data4 as bytes.
func TestGUIDBytes(t *testing.T) {
	want := []byte{0xba, 0x0a, 0xe2, 0x1c, 0x51, 0x98, 0x21, 0x44, 0x94, 0x30, 0x1d, 0xde, 0xb7, 0x66, 0xe8, 0x09}
	if got := guidBytes(trigger.DomainJoin); !bytes.Equal(got, want) {
		t.Errorf("DOMAIN_JOIN_GUID bytes % x, want % x", got, want)
	}
	if g := guidFromBytes(want); g != trigger.DomainJoin {
		t.Errorf("guidFromBytes = %v, want %v", g, trigger.DomainJoin)
	}
}
