package memscm

import "errors"

// The trigger structures (level 8), from winsvc.h:
//
//	SERVICE_TRIGGER_INFO: DWORD cTriggers; PSERVICE_TRIGGER pTriggers; PBYTE pReserved
//	SERVICE_TRIGGER: DWORD dwTriggerType; DWORD dwAction; GUID *pTriggerSubtype;
//	    DWORD cDataItems; PSERVICE_TRIGGER_SPECIFIC_DATA_ITEM pDataItems
//	SERVICE_TRIGGER_SPECIFIC_DATA_ITEM: DWORD dwDataType; DWORD cbData; PBYTE pData
var (
	triggerInfoMembers = []cMember{cDWORD, cPointer, cPointer}
	triggerMembers     = []cMember{cDWORD, cDWORD, cPointer, cDWORD, cPointer}
	dataItemMembers    = []cMember{cDWORD, cDWORD, cPointer}
)

// Trigger is one SERVICE_TRIGGER as the SCM holds it.
type Trigger struct {
	Type, Action uint32
	Subtype      *[16]byte // the GUID's bytes; nil for a NULL pointer
	Data         []DataItem
}

// DataItem is one SERVICE_TRIGGER_SPECIFIC_DATA_ITEM: its type and bytes.
type DataItem struct {
	Type uint32
	Data []byte
}

func encodeTriggers(list []Trigger) []byte {
	ioff, isize := cLayout(triggerInfoMembers...)
	toff, tsize := cLayout(triggerMembers...)
	doff, dsize := cLayout(dataItemMembers...)
	w := &writer{}
	w.grow(isize, 8)
	w.dword(ioff[0], uint32(len(list)))
	if len(list) == 0 {
		return w.done()
	}
	arr := w.grow(tsize*len(list), 8)
	w.pointTo(ioff[1], arr)
	for i, t := range list {
		at := arr + i*tsize
		w.dword(at+toff[0], t.Type)
		w.dword(at+toff[1], t.Action)
		w.dword(at+toff[3], uint32(len(t.Data)))
		if t.Subtype != nil {
			g := w.grow(16, 4)
			copy(w.b[g:], t.Subtype[:])
			w.pointTo(at+toff[2], g)
		}
		if len(t.Data) == 0 {
			continue
		}
		items := w.grow(dsize*len(t.Data), 8)
		w.pointTo(at+toff[4], items)
		for j, d := range t.Data {
			it := items + j*dsize
			w.dword(it+doff[0], d.Type)
			w.dword(it+doff[1], uint32(len(d.Data)))
			if len(d.Data) > 0 {
				p := w.grow(len(d.Data), 8)
				copy(w.b[p:], d.Data)
				w.pointTo(it+doff[2], p)
			}
		}
	}
	return w.done()
}

func decodeTriggers(buf []byte) ([]Trigger, error) {
	ioff, isize := cLayout(triggerInfoMembers...)
	toff, tsize := cLayout(triggerMembers...)
	doff, dsize := cLayout(dataItemMembers...)
	r := reader{b: buf}
	if len(buf) < isize {
		return nil, errLayout
	}
	n, _ := r.dword(ioff[0])
	arr, err := r.pointer(ioff[1])
	out := []Trigger{}
	if err != nil || n == 0 {
		return out, err
	}
	if arr < 0 || int(n) > len(buf)/tsize {
		return nil, errLayout
	}
	for i := 0; i < int(n); i++ {
		at := arr + i*tsize
		typ, err1 := r.dword(at + toff[0])
		action, err2 := r.dword(at + toff[1])
		sub, err3 := r.pointer(at + toff[2])
		count, err4 := r.dword(at + toff[3])
		items, err5 := r.pointer(at + toff[4])
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			return nil, err
		}
		t := Trigger{Type: typ, Action: action, Data: []DataItem{}}
		if sub >= 0 {
			if sub+16 > len(buf) {
				return nil, errLayout
			}
			t.Subtype = new([16]byte)
			copy(t.Subtype[:], buf[sub:])
		}
		if count > 0 && (items < 0 || int(count) > len(buf)/dsize) {
			return nil, errLayout
		}
		for j := 0; j < int(count); j++ {
			it := items + j*dsize
			dt, err1 := r.dword(it + doff[0])
			size, err2 := r.dword(it + doff[1])
			p, err3 := r.pointer(it + doff[2])
			if err := errors.Join(err1, err2, err3); err != nil {
				return nil, err
			}
			d := DataItem{Type: dt, Data: []byte{}}
			if size > 0 {
				if p < 0 || p+int(size) > len(buf) {
					return nil, errLayout
				}
				d.Data = append([]byte(nil), buf[p:p+int(size)]...)
			}
			t.Data = append(t.Data, d)
		}
		out = append(out, t)
	}
	return out, nil
}
