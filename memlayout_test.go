package winsvc

import (
	"slices"
	"testing"
)

// TestMemLayoutAgreesWithCodec checks the in-memory SCM's own layouts of
// the config2 structures (memlayout.go) against the library's codec, both
// ways, for each setting's sample value: what the SCM answers, the library
// reads as the value, and what the library sends, the SCM reads as the
// value. The two are written apart (the SCM's from the member lists and C's
// alignment, the codec's from offsets), so a codec that departs from the
// documented structure fails here and in every test that saves through the
// in-memory SCM.
func TestMemLayoutAgreesWithCodec(t *testing.T) {
	for _, r := range config2Settings {
		if memStructs[r.level] == nil {
			t.Logf("%s (level %d): laid out by the library's codec in the in-memory SCM too", r.field, r.level)
			continue
		}
		v, ok := sampleValues[r.field]
		if !ok {
			t.Fatalf("%s: no sample value", r.field)
		}
		c := defaultConfig("S")
		r.put(c, v)
		b := memEncode(r.level, c)
		got, err := r.decode(newReader(b), b)
		if err != nil || !r.equal(got, v) {
			t.Errorf("%s: the library reads the SCM's structure as %s (%v); want %s", r.field, r.text(got), err, r.text(v))
		}
		sent := r.encode(nil, v)
		got, err = memDecode(r.level, sent, defaultConfig("S"))
		if err != nil || !r.equal(got, v) {
			t.Errorf("%s: the SCM reads the library's structure as %s (%v); want %s", r.field, r.text(got), err, r.text(v))
		}
	}
}

// TestMemLayoutOffsets pins cLayout to the offsets Microsoft's structures
// have, for this target's pointer size.
func TestMemLayoutOffsets(t *testing.T) {
	p := cPointer.size()
	off, size := cLayout(memStructs[2]...) // SERVICE_FAILURE_ACTIONSW
	if want := []int{0, p, 2 * p, 3 * p, 4 * p}; !slices.Equal(off, want) || size != 5*p {
		t.Errorf("SERVICE_FAILURE_ACTIONSW: offsets %v size %d; want %v size %d", off, size, want, 5*p)
	}
	off, size = cLayout(memStructs[9]...) // SERVICE_PREFERRED_NODE_INFO
	if !slices.Equal(off, []int{0, 2}) || size != 4 {
		t.Errorf("SERVICE_PREFERRED_NODE_INFO: offsets %v size %d; want [0 2] size 4", off, size)
	}
}
