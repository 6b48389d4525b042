package winsvc

import (
	"encoding/binary"
	"errors"
	"slices"
	"time"
	"unicode/utf16"
	"unsafe"
)

// The in-memory SCM's own reading and writing of the config2 structures,
// written from the member lists of Microsoft's structure pages (winsvc.h)
// with C's alignment rules, and sharing nothing with the library's codec
// (codec.go): the SCM answers a query with the structure it lays out here
// and decodes a change here, so that a library encoder or decoder that
// departs from the documented layout fails the native tests instead of
// agreeing with itself. The trigger structures (level 8) still go through
// the library's codec: they are checked under Wine against transcriptions
// of winsvc.h (triggers_windows_test.go).

// cMember is the type of one member of a C structure.
type cMember int

const (
	cDWORD   cMember = iota // DWORD, BOOL
	cUSHORT                 // USHORT
	cBOOLEAN                // BOOLEAN (one byte)
	cPointer                // any pointer (LPWSTR, SC_ACTION*)
)

func (m cMember) size() int {
	switch m {
	case cDWORD:
		return 4
	case cUSHORT:
		return 2
	case cBOOLEAN:
		return 1
	}
	return int(unsafe.Sizeof(uintptr(0)))
}

// cLayout gives the offsets of a structure's members and its size: each
// member aligned to its own size, the whole to its largest member.
func cLayout(members ...cMember) (offsets []int, size int) {
	largest := 1
	for _, m := range members {
		size = (size + m.size() - 1) / m.size() * m.size()
		offsets = append(offsets, size)
		size += m.size()
		largest = max(largest, m.size())
	}
	return offsets, (size + largest - 1) / largest * largest
}

// memStructs are the member lists of the config2 structures by info level.
var memStructs = map[uint32][]cMember{
	1:                   {cPointer},                                     // SERVICE_DESCRIPTIONW: lpDescription
	2:                   {cDWORD, cPointer, cPointer, cDWORD, cPointer}, // SERVICE_FAILURE_ACTIONSW: dwResetPeriod, lpRebootMsg, lpCommand, cActions, lpsaActions
	3:                   {cDWORD},                                       // SERVICE_DELAYED_AUTO_START_INFO: fDelayedAutostart (BOOL)
	4:                   {cDWORD},                                       // SERVICE_FAILURE_ACTIONS_FLAG: fFailureActionsOnNonCrashFailures (BOOL)
	5:                   {cDWORD},                                       // SERVICE_SID_INFO: dwServiceSidType
	6:                   {cPointer},                                     // SERVICE_REQUIRED_PRIVILEGES_INFOW: pmszRequiredPrivileges
	7:                   {cDWORD},                                       // SERVICE_PRESHUTDOWN_INFO: dwPreshutdownTimeout
	9:                   {cUSHORT, cBOOLEAN},                            // SERVICE_PREFERRED_NODE_INFO: usPreferredNode, fDelete
	12:                  {cDWORD},                                       // SERVICE_LAUNCH_PROTECTED_INFO: dwLaunchProtected
	levelManagedAccount: {cDWORD},                                       // [MS-SCMR] SERVICE_MANAGEDACCOUNT_INFO: fIsManagedAccount
}

// scActionMembers is SC_ACTION: Type, Delay.
var scActionMembers = []cMember{cDWORD, cDWORD}

// memWriter builds a structure followed by the data its pointers point to.
type memWriter struct {
	b      []byte
	fixups map[int]int // pointer member -> the offset it points to
}

func (w *memWriter) grow(n, align int) int {
	for len(w.b)%align != 0 {
		w.b = append(w.b, 0)
	}
	at := len(w.b)
	w.b = append(w.b, make([]byte, n)...)
	return at
}

func (w *memWriter) dword(at int, v uint32) { binary.LittleEndian.PutUint32(w.b[at:], v) }

func (w *memWriter) pointTo(at, target int) {
	if w.fixups == nil {
		w.fixups = map[int]int{}
	}
	w.fixups[at] = target
}

// multiString appends strings, each NUL-terminated, and one more NUL when
// multi is set; it returns their offset.
func (w *memWriter) multiString(list []string, multi bool) int {
	at := w.grow(0, 2)
	for _, s := range list {
		for _, u := range utf16.Encode([]rune(s)) {
			w.b = binary.LittleEndian.AppendUint16(w.b, u)
		}
		w.b = append(w.b, 0, 0)
	}
	if multi || len(list) == 0 {
		w.b = append(w.b, 0, 0)
	}
	return at
}

// done turns the offsets of the pointer members into addresses in the
// returned buffer, as QueryServiceConfig2 returns them.
func (w *memWriter) done() []byte {
	out := slices.Clone(w.b)
	base := uint64(uintptr(unsafe.Pointer(&out[0])))
	for at, off := range w.fixups {
		if cPointer.size() == 8 {
			binary.LittleEndian.PutUint64(out[at:], base+uint64(off))
		} else {
			binary.LittleEndian.PutUint32(out[at:], uint32(base+uint64(off)))
		}
	}
	return out
}

// memEncode lays out the structure QueryServiceConfig2 returns for level
// from c's value.
func memEncode(level uint32, c *Config) []byte {
	off, size := cLayout(memStructs[level]...)
	w := &memWriter{}
	w.grow(size, 8)
	switch level {
	case 1:
		w.pointTo(off[0], w.multiString([]string{c.Description}, false))
	case 2:
		fa := c.FailureActions
		w.dword(off[0], fa.ResetPeriod.seconds())
		w.pointTo(off[1], w.multiString([]string{fa.RebootMessage}, false))
		w.pointTo(off[2], w.multiString([]string{fa.Command}, false))
		w.dword(off[3], uint32(len(fa.Actions)))
		if len(fa.Actions) > 0 {
			aoff, asize := cLayout(scActionMembers...)
			arr := w.grow(asize*len(fa.Actions), 4)
			for i, a := range fa.Actions {
				w.dword(arr+i*asize+aoff[0], uint32(a.Type))
				w.dword(arr+i*asize+aoff[1], uint32(a.Delay/time.Millisecond))
			}
			w.pointTo(off[4], arr)
		}
	case 3:
		w.dword(off[0], memBool(c.DelayedAutoStart))
	case 4:
		w.dword(off[0], memBool(c.FailureActionsOnNonCrashFailures))
	case 5:
		w.dword(off[0], uint32(c.SIDType))
	case 6:
		w.pointTo(off[0], w.multiString(c.RequiredPrivileges, true))
	case 7:
		w.dword(off[0], uint32(c.PreshutdownTimeout/time.Millisecond))
	case 9:
		binary.LittleEndian.PutUint16(w.b[off[0]:], c.PreferredNode.Node)
		if !c.PreferredNode.Set {
			w.b[off[1]] = 1
		}
	case 12:
		w.dword(off[0], uint32(c.LaunchProtected))
	case levelManagedAccount:
		w.dword(off[0], memBool(c.ManagedAccount))
	}
	return w.done()
}

func memBool(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// memReader reads a structure given to ChangeServiceConfig2, whose
// pointers are addresses inside the same buffer.
type memReader struct{ b []byte }

var errMemLayout = errors.New("in-memory SCM: the structure does not fit its buffer")

func (r memReader) dword(at int) (uint32, error) {
	if at+4 > len(r.b) {
		return 0, errMemLayout
	}
	return binary.LittleEndian.Uint32(r.b[at:]), nil
}

// pointer gives the offset a pointer member points to, or -1 for NULL.
func (r memReader) pointer(at int) (int, error) {
	n := cPointer.size()
	if at+n > len(r.b) {
		return 0, errMemLayout
	}
	var p uint64
	if n == 8 {
		p = binary.LittleEndian.Uint64(r.b[at:])
	} else {
		p = uint64(binary.LittleEndian.Uint32(r.b[at:]))
	}
	if p == 0 {
		return -1, nil
	}
	base := uint64(uintptr(unsafe.Pointer(&r.b[0])))
	if p < base || p >= base+uint64(len(r.b)) {
		return 0, errMemLayout
	}
	return int(p - base), nil
}

// strings reads NUL-terminated strings from off: one, or up to the empty
// string that ends a multi-string.
func (r memReader) strings(off int, multi bool) ([]string, error) {
	var out []string
	var cur []uint16
	for i := off; ; i += 2 {
		if i+2 > len(r.b) {
			return nil, errMemLayout
		}
		u := binary.LittleEndian.Uint16(r.b[i:])
		if u != 0 {
			cur = append(cur, u)
			continue
		}
		if !multi {
			return []string{string(utf16.Decode(cur))}, nil
		}
		if len(cur) == 0 {
			return out, nil
		}
		out, cur = append(out, string(utf16.Decode(cur))), nil
	}
}

// text reads the string a pointer member points to; ok is false for NULL
// (documented as "unchanged").
func (r memReader) text(at int) (s string, ok bool, err error) {
	p, err := r.pointer(at)
	if err != nil || p < 0 {
		return "", false, err
	}
	l, err := r.strings(p, false)
	if err != nil {
		return "", false, err
	}
	return l[0], true, nil
}

// memDecode reads the structure ChangeServiceConfig2 is given for level
// and returns the setting's new value, typed as Config's field, with the
// documented write semantics applied to old: a NULL string leaves it as it
// was, and so does a NULL action array (with the reset period).
func memDecode(level uint32, buf []byte, old *Config) (any, error) {
	off, size := cLayout(memStructs[level]...)
	r := memReader{b: buf}
	if len(buf) < size {
		return nil, errMemLayout
	}
	u, err := r.dword(off[0])
	switch level {
	case 1:
		s, ok, err := r.text(off[0])
		if !ok {
			s = old.Description
		}
		return s, err
	case 2:
		return memDecodeFailureActions(r, off, old.FailureActions)
	case 3, 4, levelManagedAccount:
		return u != 0, err
	case 5:
		return SIDType(u), err
	case 6:
		p, err := r.pointer(off[0])
		if err != nil || p < 0 {
			return []string{}, err
		}
		return r.strings(p, true)
	case 7:
		return time.Duration(u) * time.Millisecond, err
	case 9:
		return PreferredNode{Node: binary.LittleEndian.Uint16(buf[off[0]:]), Set: buf[off[1]] == 0}, nil
	case 12:
		return LaunchProtection(u), err
	}
	return nil, ErrInvalidLevel
}

func memDecodeFailureActions(r memReader, off []int, old FailureActions) (FailureActions, error) {
	fa := old
	var errs [5]error
	var ok bool
	var msg, cmd string
	if msg, ok, errs[0] = r.text(off[1]); ok {
		fa.RebootMessage = msg
	}
	if cmd, ok, errs[1] = r.text(off[2]); ok {
		fa.Command = cmd
	}
	arr, err := r.pointer(off[4])
	if err != nil || arr < 0 {
		return fa, errors.Join(append(errs[:2], err)...)
	}
	reset, err := r.dword(off[0])
	errs[2] = err
	n, err := r.dword(off[3])
	errs[3] = err
	fa.ResetPeriod, fa.Actions = resetPeriodFromSeconds(reset), []Action{}
	aoff, asize := cLayout(scActionMembers...)
	for i := 0; i < int(n) && errs[4] == nil; i++ {
		t, err1 := r.dword(arr + i*asize + aoff[0])
		d, err2 := r.dword(arr + i*asize + aoff[1])
		errs[4] = errors.Join(err1, err2)
		fa.Actions = append(fa.Actions, Action{ActionType(t), time.Duration(d) * time.Millisecond})
	}
	return fa, errors.Join(errs[:]...)
}
