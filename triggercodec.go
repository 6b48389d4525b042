package winsvc

import (
	"errors"
	"fmt"

	"github.com/winsvc/winsvc/trigger"
)

// The SCM's trigger structures (SERVICE_TRIGGER_INFO and what it points
// to), laid out and read as bytes like the other config2 structures (see
// codec.go). The triggers themselves are package trigger's.

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
func encodeTriggers(triggers []trigger.Trigger) []byte {
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
		w.putPtr(at+trSubtypeOff, w.bytes(guidBytes(t.Subtype), 4))
		w.putU32(at+trCountOff, uint32(len(t.Data)))
		if len(t.Data) == 0 {
			continue
		}
		items := w.reserve(tdSize*len(t.Data), ptrSize)
		w.putPtr(at+trItemsOff, items)
		for j, d := range t.Data {
			p := d.Bytes()
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
func decodeTriggers(b []byte) ([]trigger.Trigger, error) {
	r := newReader(b)
	n, err := r.u32(tiCountOff)
	if err != nil {
		return nil, err
	}
	arr, err := r.ptr(tiTriggersOff)
	if err != nil || n == 0 {
		return []trigger.Trigger{}, err
	}
	if arr < 0 || n > uint32(len(b)/trSize) {
		return nil, fmt.Errorf("%d triggers at %d: %w", n, arr, errBadPointer)
	}
	out := make([]trigger.Trigger, 0, n)
	for i := 0; i < int(n); i++ {
		t, err := decodeTrigger(r, arr+i*trSize)
		if err != nil {
			return nil, fmt.Errorf("trigger %d: %w", i, err)
		}
		out = append(out, t)
	}
	return out, nil
}

func decodeTrigger(r *reader, at int) (trigger.Trigger, error) {
	typ, err1 := r.u32(at + trTypeOff)
	action, err2 := r.u32(at + trActionOff)
	count, err3 := r.u32(at + trCountOff)
	sub, err4 := r.ptr(at + trSubtypeOff)
	items, err5 := r.ptr(at + trItemsOff)
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		return trigger.Trigger{}, err
	}
	t := trigger.Trigger{Type: trigger.Type(typ), Action: trigger.Action(action), Data: []trigger.Data{}}
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
		d, err := trigger.DataFromBytes(trigger.DataType(dt), p)
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

// guidBytes returns the 16 bytes of the GUID structure.
func guidBytes(g trigger.GUID) []byte {
	b := make([]byte, 16)
	le.PutUint32(b, g.Data1)
	le.PutUint16(b[4:], g.Data2)
	le.PutUint16(b[6:], g.Data3)
	copy(b[8:], g.Data4[:])
	return b
}

func guidFromBytes(b []byte) trigger.GUID {
	g := trigger.GUID{Data1: le.Uint32(b), Data2: le.Uint16(b[4:]), Data3: le.Uint16(b[6:])}
	copy(g.Data4[:], b[8:16])
	return g
}
