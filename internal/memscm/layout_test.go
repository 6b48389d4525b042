package memscm

import (
	"slices"
	"testing"
)

// TestLayoutOffsets pins cLayout to the offsets Microsoft's structures
// have, for this target's pointer size.
func TestLayoutOffsets(t *testing.T) {
	p := cPointer.size()
	off, size := cLayout(structs[2]...) // SERVICE_FAILURE_ACTIONSW
	if want := []int{0, p, 2 * p, 3 * p, 4 * p}; !slices.Equal(off, want) || size != 5*p {
		t.Errorf("SERVICE_FAILURE_ACTIONSW: offsets %v size %d; want %v size %d", off, size, want, 5*p)
	}
	off, size = cLayout(structs[9]...) // SERVICE_PREFERRED_NODE_INFO
	if !slices.Equal(off, []int{0, 2}) || size != 4 {
		t.Errorf("SERVICE_PREFERRED_NODE_INFO: offsets %v size %d; want [0 2] size 4", off, size)
	}
	off, size = cLayout(triggerMembers...) // SERVICE_TRIGGER
	if want := []int{0, 4, 8, 8 + p, 8 + p + p}; p == 8 && (!slices.Equal(off, want) || size != 8+3*p) {
		t.Errorf("SERVICE_TRIGGER: offsets %v size %d; want %v size %d", off, size, want, 8+3*p)
	}
}

// TestTriggersRoundTrip: what the SCM answers for triggers, it reads back
// as the same triggers (the structure, its pointers into the buffer).
func TestTriggersRoundTrip(t *testing.T) {
	g := [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	want := []Trigger{
		{Type: 1, Action: 1, Subtype: &g, Data: []DataItem{{Type: 2, Data: []byte{'a', 0, 0, 0}}, {Type: 3, Data: []byte{4}}}},
		{Type: 20, Action: 2, Data: []DataItem{}},
	}
	got, err := decodeTriggers(encodeTriggers(want))
	if err != nil || len(got) != 2 || *got[0].Subtype != g || got[1].Subtype != nil ||
		!slices.EqualFunc(got[0].Data, want[0].Data, func(a, b DataItem) bool { return a.Type == b.Type && slices.Equal(a.Data, b.Data) }) {
		t.Errorf("triggers read back as %+v (%v); want %+v", got, err, want)
	}
}
