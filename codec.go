package winsvc

import (
	"encoding/binary"
	"errors"
	"time"
	"unicode/utf16"
	"unsafe"
)

// This file lays out the Win32 structures passed to ChangeServiceConfig2 and
// read from QueryServiceConfig2, as plain bytes. A buffer holds the structure
// first and the data its pointers refer to after it; pointers are absolute
// addresses inside the same buffer, as the SCM returns them. Keeping the
// layout here (not in the _windows files) lets the byte layout be tested on
// every platform. What is checked against what:
//
//   - codec_test.go (every platform): the offsets of SERVICE_FAILURE_ACTIONSW,
//     SC_ACTION and SERVICE_PREFERRED_NODE_INFO against offsets transcribed by
//     hand from the member lists on Microsoft's structure pages, for 4- and
//     8-byte pointers; the other encodings byte by byte.
//   - layout_windows_test.go (GOOS=windows, run on windows/amd64 under Wine):
//     unsafe.Offsetof/Sizeof of golang.org/x/sys/windows's
//     SERVICE_FAILURE_ACTIONS, SC_ACTION, SERVICE_DESCRIPTION,
//     SERVICE_DELAYED_AUTO_START_INFO, SERVICE_FAILURE_ACTIONS_FLAG and
//     QUERY_SERVICE_LOCK_STATUS against the offsets here and in lock.go;
//     buffers encoded here are read through those x/sys structures, and
//     buffers filled through them are decoded here.
//   - triggers_windows_test.go: the trigger structures (which x/sys does not
//     define) against Go transcriptions of winsvc.h.
//   - internal/memscm: the in-memory SCM lays out and reads every config2
//     structure itself (the triggers included), from the member lists and
//     C's alignment, so that the native tests that save and load through
//     it fail when this codec departs from the documented structure.
//
// x/sys defines no structure for required privileges, SID info, preferred
// node or launch protection, so those are checked against Microsoft's
// documentation only.

// ptrSize is the size of a pointer in the target's structures.
const ptrSize = int(unsafe.Sizeof(uintptr(0)))

var le = binary.LittleEndian

// layout builds one self-relative buffer.
type layout struct {
	b     []byte
	slots []int // offsets of pointer slots holding an offset to relocate
}

func align(n, a int) int { return (n + a - 1) &^ (a - 1) }

// reserve appends n zero bytes aligned to a and returns their offset.
func (w *layout) reserve(n, a int) int {
	off := align(len(w.b), a)
	w.b = append(w.b, make([]byte, off-len(w.b)+n)...)
	return off
}

func (w *layout) putU32(at int, v uint32) { le.PutUint32(w.b[at:], v) }
func (w *layout) putU16(at int, v uint16) { le.PutUint16(w.b[at:], v) }

// putPtr makes the pointer slot at `at` point to offset target (relocated
// in finish). A negative target leaves a NULL pointer.
func (w *layout) putPtr(at, target int) {
	if target < 0 {
		return
	}
	w.putUint(at, uint64(target))
	w.slots = append(w.slots, at)
}

func (w *layout) putUint(at int, v uint64) {
	if ptrSize == 8 {
		le.PutUint64(w.b[at:], v)
	} else {
		le.PutUint32(w.b[at:], uint32(v))
	}
}

// str appends a NUL-terminated UTF-16 string and returns its offset.
func (w *layout) str(s string) int {
	u := utf16.Encode([]rune(s))
	off := w.reserve(2*(len(u)+1), 2)
	for i, c := range u {
		w.putU16(off+2*i, c)
	}
	return off
}

// multiSz appends a double-NUL-terminated list of strings and returns its
// offset. An empty list is two NULs.
func (w *layout) multiSz(list []string) int {
	off := w.reserve(0, 2)
	for _, s := range list {
		w.str(s)
	}
	w.reserve(2, 2)
	if len(list) == 0 {
		w.reserve(2, 2)
	}
	return off
}

// bytes appends raw bytes aligned to a and returns their offset.
func (w *layout) bytes(p []byte, a int) int {
	off := w.reserve(len(p), a)
	copy(w.b[off:], p)
	return off
}

// finish copies the buffer to its final place and turns offsets into
// addresses. The returned slice must be kept alive across the system call.
func (w *layout) finish() []byte {
	if len(w.b) == 0 {
		w.b = make([]byte, 8)
	}
	out := make([]byte, len(w.b), len(w.b)+8)
	copy(out, w.b)
	base := uint64(uintptr(unsafe.Pointer(&out[0])))
	for _, at := range w.slots {
		var off uint64
		if ptrSize == 8 {
			off = le.Uint64(out[at:])
			le.PutUint64(out[at:], base+off)
		} else {
			off = uint64(le.Uint32(out[at:]))
			le.PutUint32(out[at:], uint32(base+off))
		}
	}
	return out
}

// reader reads a structure from a buffer filled by the SCM, whose pointers
// are addresses inside the same buffer.
type reader struct {
	b    []byte
	base uint64
}

var errBadPointer = errors.New("pointer outside the returned buffer")

func newReader(b []byte) *reader {
	if len(b) == 0 {
		return &reader{}
	}
	return &reader{b: b, base: uint64(uintptr(unsafe.Pointer(&b[0])))}
}

func (r *reader) u32(at int) (uint32, error) {
	if at < 0 || at+4 > len(r.b) {
		return 0, errBadPointer
	}
	return le.Uint32(r.b[at:]), nil
}

func (r *reader) u16(at int) (uint16, error) {
	if at < 0 || at+2 > len(r.b) {
		return 0, errBadPointer
	}
	return le.Uint16(r.b[at:]), nil
}

// ptr reads the pointer at `at` and returns the offset it points to, or -1
// for NULL.
func (r *reader) ptr(at int) (int, error) {
	if at < 0 || at+ptrSize > len(r.b) {
		return 0, errBadPointer
	}
	var p uint64
	if ptrSize == 8 {
		p = le.Uint64(r.b[at:])
	} else {
		p = uint64(le.Uint32(r.b[at:]))
	}
	if p == 0 {
		return -1, nil
	}
	if p < r.base || p >= r.base+uint64(len(r.b)) {
		return 0, errBadPointer
	}
	return int(p - r.base), nil
}

// strAt reads the NUL-terminated UTF-16 string at offset off ("" for -1).
func (r *reader) strAt(off int) (string, int, error) {
	if off < 0 {
		return "", off, nil
	}
	var u []uint16
	for i := off; ; i += 2 {
		c, err := r.u16(i)
		if err != nil {
			return "", 0, err
		}
		if c == 0 {
			return string(utf16.Decode(u)), i + 2, nil
		}
		u = append(u, c)
	}
}

// strPtr reads the string that the pointer at `at` points to.
func (r *reader) strPtr(at int) (string, error) {
	off, err := r.ptr(at)
	if err != nil {
		return "", err
	}
	s, _, err := r.strAt(off)
	return s, err
}

// multiSzPtr reads the double-NUL-terminated list the pointer at `at`
// points to. A NULL pointer and an empty list both give an empty list.
func (r *reader) multiSzPtr(at int) ([]string, error) {
	off, err := r.ptr(at)
	if err != nil || off < 0 {
		return []string{}, err
	}
	return r.multiSzAt(off)
}

func (r *reader) multiSzAt(off int) ([]string, error) {
	list := []string{}
	for {
		s, next, err := r.strAt(off)
		if err != nil {
			return nil, err
		}
		if s == "" {
			return list, nil
		}
		list = append(list, s)
		off = next
	}
}

// Structure layouts (offsets for this target's pointer size).
var (
	// SERVICE_FAILURE_ACTIONSW: dwResetPeriod, lpRebootMsg, lpCommand,
	// cActions, lpsaActions.
	faResetOff   = 0
	faRebootOff  = ptrSize
	faCommandOff = 2 * ptrSize
	faCountOff   = 3 * ptrSize
	faActionsOff = 4 * ptrSize
	faSize       = 5 * ptrSize
	// SC_ACTION: Type, Delay.
	scActionSize = 8
)

// encodeString lays out a structure holding one string pointer
// (SERVICE_DESCRIPTIONW). A nil s gives a NULL pointer (unchanged).
func encodeString(s *string) []byte {
	var w layout
	at := w.reserve(ptrSize, ptrSize)
	if s != nil {
		w.putPtr(at, w.str(*s))
	}
	return w.finish()
}

// encodeMultiSz lays out a structure holding one multi-string pointer
// (SERVICE_REQUIRED_PRIVILEGES_INFOW).
func encodeMultiSz(list []string) []byte {
	var w layout
	at := w.reserve(ptrSize, ptrSize)
	w.putPtr(at, w.multiSz(list))
	return w.finish()
}

// encodeU32 lays out a structure holding one DWORD or BOOL.
func encodeU32(v uint32) []byte {
	var w layout
	w.putU32(w.reserve(4, 4), v)
	return w.finish()
}

func boolU32(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// encodeFailureActions lays out SERVICE_FAILURE_ACTIONSW to go from `from`
// (nil when unknown) to `to` with the documented semantics: a NULL reboot
// message or command leaves it unchanged, "" deletes it; a NULL action
// array leaves the actions unchanged, and a count of 0 with a non-NULL
// array deletes them.
func encodeFailureActions(from *FailureActions, to FailureActions) []byte {
	var w layout
	base := w.reserve(faSize, ptrSize)
	w.putU32(base+faResetOff, to.ResetPeriod.seconds())
	if from == nil || from.RebootMessage != to.RebootMessage {
		w.putPtr(base+faRebootOff, w.str(to.RebootMessage))
	}
	if from == nil || from.Command != to.Command {
		w.putPtr(base+faCommandOff, w.str(to.Command))
	}
	w.putU32(base+faCountOff, uint32(len(to.Actions)))
	arr := w.reserve(scActionSize*max(len(to.Actions), 1), 4)
	for i, a := range to.Actions {
		w.putU32(arr+i*scActionSize, uint32(a.Type))
		w.putU32(arr+i*scActionSize+4, uint32(a.Delay.Milliseconds()))
	}
	w.putPtr(base+faActionsOff, arr)
	return w.finish()
}

// decodeFailureActions reads SERVICE_FAILURE_ACTIONSW.
func decodeFailureActions(b []byte) (FailureActions, error) {
	r := newReader(b)
	var fa FailureActions
	reset, err := r.u32(faResetOff)
	if err != nil {
		return fa, err
	}
	fa.ResetPeriod = resetPeriodFromSeconds(reset)
	if fa.RebootMessage, err = r.strPtr(faRebootOff); err != nil {
		return fa, err
	}
	if fa.Command, err = r.strPtr(faCommandOff); err != nil {
		return fa, err
	}
	n, err := r.u32(faCountOff)
	if err != nil {
		return fa, err
	}
	arr, err := r.ptr(faActionsOff)
	if err != nil {
		return fa, err
	}
	fa.Actions = []Action{}
	for i := 0; i < int(n) && arr >= 0; i++ {
		t, err1 := r.u32(arr + i*scActionSize)
		d, err2 := r.u32(arr + i*scActionSize + 4)
		if err := errors.Join(err1, err2); err != nil {
			return fa, err
		}
		fa.Actions = append(fa.Actions, Action{ActionType(t), time.Duration(d) * time.Millisecond})
	}
	return fa, nil
}

// encodePreferredNode lays out SERVICE_PREFERRED_NODE_INFO: usPreferredNode,
// fDelete (a BOOLEAN byte).
func encodePreferredNode(n PreferredNode) []byte {
	var w layout
	at := w.reserve(4, 4)
	w.putU16(at, n.Node)
	if !n.Set {
		w.b[at+2] = 1
	}
	return w.finish()
}

func decodePreferredNode(b []byte) (PreferredNode, error) {
	r := newReader(b)
	node, err := r.u16(0)
	if err != nil || len(b) < 3 {
		return PreferredNode{}, errors.Join(err, errBadPointer)
	}
	return PreferredNode{Node: node, Set: b[2] == 0}, nil
}

// utf16Strings decodes registry data holding UTF-16LE strings separated
// and ended by NULs (REG_MULTI_SZ; a REG_SZ gives one string). Empty
// strings are dropped; an odd last byte is ignored.
func utf16Strings(b []byte) []string {
	var out []string
	var cur []uint16
	for i := 0; i+1 < len(b); i += 2 {
		c := le.Uint16(b[i:])
		if c != 0 {
			cur = append(cur, c)
			continue
		}
		if len(cur) > 0 {
			out = append(out, string(utf16.Decode(cur)))
		}
		cur = cur[:0]
	}
	if len(cur) > 0 {
		out = append(out, string(utf16.Decode(cur)))
	}
	return out
}
