package memscm

import (
	"encoding/binary"
	"errors"
	"slices"
	"unicode/utf16"
	"unsafe"
)

// The config2 structures, written from the member lists of Microsoft's
// structure pages (winsvc.h) with C's alignment rules, and sharing nothing
// with the library's codec: the SCM answers a query with the structure it
// lays out here and decodes a change here.

// Settings are the config2 settings of a service, as the SCM holds them.
type Settings struct {
	Description                      string
	FailureActions                   FailureActions
	DelayedAutoStart                 bool
	FailureActionsOnNonCrashFailures bool
	SIDType                          uint32
	RequiredPrivileges               []string
	PreshutdownTimeout               uint32 // milliseconds
	Triggers                         []Trigger
	PreferredNode                    PreferredNode
	LaunchProtected                  uint32
	ManagedAccount                   bool
}

// FailureActions is SERVICE_FAILURE_ACTIONSW's content.
type FailureActions struct {
	ResetPeriod   uint32 // seconds; INFINITE (0xFFFFFFFF) never resets
	RebootMessage string
	Command       string
	Actions       []Action
}

// PreferredNode is SERVICE_PREFERRED_NODE_INFO's content: a NUMA node,
// when Set.
type PreferredNode struct {
	Node uint16
	Set  bool
}

// Action is SC_ACTION: its type and delay in milliseconds.
type Action struct{ Type, Delay uint32 }

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

// structs are the member lists of the config2 structures by info level.
var structs = map[uint32][]cMember{
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

// writer builds a structure followed by the data its pointers point to.
type writer struct {
	b      []byte
	fixups map[int]int // pointer member -> the offset it points to
}

func (w *writer) grow(n, align int) int {
	for len(w.b)%align != 0 {
		w.b = append(w.b, 0)
	}
	at := len(w.b)
	w.b = append(w.b, make([]byte, n)...)
	return at
}

func (w *writer) dword(at int, v uint32) { binary.LittleEndian.PutUint32(w.b[at:], v) }

func (w *writer) pointTo(at, target int) {
	if w.fixups == nil {
		w.fixups = map[int]int{}
	}
	w.fixups[at] = target
}

// multiString appends strings, each NUL-terminated, and one more NUL when
// multi is set; it returns their offset.
func (w *writer) multiString(list []string, multi bool) int {
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
func (w *writer) done() []byte {
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

func knownLevel(level uint32) bool { return structs[level] != nil || level == 8 }

// encode lays out the structure QueryServiceConfig2 returns for level.
func encode(level uint32, c *Settings) []byte {
	if level == 8 {
		return encodeTriggers(c.Triggers)
	}
	off, size := cLayout(structs[level]...)
	w := &writer{}
	w.grow(size, 8)
	switch level {
	case 1:
		w.pointTo(off[0], w.multiString([]string{c.Description}, false))
	case 2:
		fa := c.FailureActions
		w.dword(off[0], fa.ResetPeriod)
		w.pointTo(off[1], w.multiString([]string{fa.RebootMessage}, false))
		w.pointTo(off[2], w.multiString([]string{fa.Command}, false))
		w.dword(off[3], uint32(len(fa.Actions)))
		if len(fa.Actions) > 0 {
			aoff, asize := cLayout(scActionMembers...)
			arr := w.grow(asize*len(fa.Actions), 4)
			for i, a := range fa.Actions {
				w.dword(arr+i*asize+aoff[0], a.Type)
				w.dword(arr+i*asize+aoff[1], a.Delay)
			}
			w.pointTo(off[4], arr)
		}
	case 3:
		w.dword(off[0], boolDWORD(c.DelayedAutoStart))
	case 4:
		w.dword(off[0], boolDWORD(c.FailureActionsOnNonCrashFailures))
	case 5:
		w.dword(off[0], c.SIDType)
	case 6:
		w.pointTo(off[0], w.multiString(c.RequiredPrivileges, true))
	case 7:
		w.dword(off[0], c.PreshutdownTimeout)
	case 9:
		binary.LittleEndian.PutUint16(w.b[off[0]:], c.PreferredNode.Node)
		if !c.PreferredNode.Set {
			w.b[off[1]] = 1
		}
	case 12:
		w.dword(off[0], c.LaunchProtected)
	case levelManagedAccount:
		w.dword(off[0], boolDWORD(c.ManagedAccount))
	}
	return w.done()
}

func boolDWORD(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// reader reads a structure given to ChangeServiceConfig2, whose
// pointers are addresses inside the same buffer.
type reader struct{ b []byte }

var errLayout = errors.New("in-memory SCM: the structure does not fit its buffer")

func (r reader) dword(at int) (uint32, error) {
	if at+4 > len(r.b) {
		return 0, errLayout
	}
	return binary.LittleEndian.Uint32(r.b[at:]), nil
}

// pointer gives the offset a pointer member points to, or -1 for NULL.
func (r reader) pointer(at int) (int, error) {
	n := cPointer.size()
	if at+n > len(r.b) {
		return 0, errLayout
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
		return 0, errLayout
	}
	return int(p - base), nil
}

// strings reads NUL-terminated strings from off: one, or up to the empty
// string that ends a multi-string.
func (r reader) strings(off int, multi bool) ([]string, error) {
	var out []string
	var cur []uint16
	for i := off; ; i += 2 {
		if i+2 > len(r.b) {
			return nil, errLayout
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
func (r reader) text(at int) (s string, ok bool, err error) {
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

// decode reads the structure ChangeServiceConfig2 is given for level into
// c, with the documented write semantics: a NULL string leaves a value as
// it was, and so does a NULL action array (with the reset period). It
// returns the level's new value, as Settings holds it.
func decode(level uint32, buf []byte, c *Settings) (any, error) {
	if level == 8 {
		t, err := decodeTriggers(buf)
		if err == nil {
			c.Triggers = t
		}
		return t, err
	}
	off, size := cLayout(structs[level]...)
	r := reader{b: buf}
	if len(buf) < size {
		return nil, errLayout
	}
	u, err := r.dword(off[0])
	if err != nil {
		return nil, err
	}
	switch level {
	case 1:
		s, ok, err := r.text(off[0])
		if ok {
			c.Description = s
		}
		return c.Description, err
	case 2:
		fa, err := decodeFailureActions(r, off, c.FailureActions)
		if err == nil {
			c.FailureActions = fa
		}
		return fa, err
	case 3:
		c.DelayedAutoStart = u != 0
		return c.DelayedAutoStart, nil
	case 4:
		c.FailureActionsOnNonCrashFailures = u != 0
		return c.FailureActionsOnNonCrashFailures, nil
	case levelManagedAccount:
		c.ManagedAccount = u != 0
		return c.ManagedAccount, nil
	case 5:
		c.SIDType = u
		return u, nil
	case 6:
		p, err := r.pointer(off[0])
		list := []string{}
		if err == nil && p >= 0 {
			list, err = r.strings(p, true)
		}
		if err == nil {
			c.RequiredPrivileges = list
		}
		return list, err
	case 7:
		c.PreshutdownTimeout = u
		return u, nil
	case 9:
		c.PreferredNode = PreferredNode{Node: binary.LittleEndian.Uint16(buf[off[0]:]), Set: buf[off[1]] == 0}
		return c.PreferredNode, nil
	case 12:
		c.LaunchProtected = u
		return u, nil
	}
	return nil, errInvalidLevel
}

func decodeFailureActions(r reader, off []int, old FailureActions) (FailureActions, error) {
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
	fa.ResetPeriod, errs[2] = r.dword(off[0])
	n, err := r.dword(off[3])
	errs[3] = err
	fa.Actions = []Action{}
	aoff, asize := cLayout(scActionMembers...)
	for i := 0; i < int(n) && errs[4] == nil; i++ {
		t, err1 := r.dword(arr + i*asize + aoff[0])
		d, err2 := r.dword(arr + i*asize + aoff[1])
		errs[4] = errors.Join(err1, err2)
		fa.Actions = append(fa.Actions, Action{t, d})
	}
	return fa, errors.Join(errs[:]...)
}
