package winsvc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/winsvc/winsvc/host"
	"github.com/winsvc/winsvc/internal/valerr"
)

// The program host's settings (Config.Program) are kept by winsvc, not by
// the SCM: as values of the service's registry key Parameters (the names
// are host.Value*). This file lays them out as registry values and writes
// them all or none.

// Registry value types (winnt.h).
const (
	regSZ       uint32 = 1
	regExpandSZ uint32 = 2
	regDWORD    uint32 = 4
	regMultiSZ  uint32 = 7
	regQWORD    uint32 = 11
)

func regEqual(v, o regValue) bool { return v.Type == o.Type && slices.Equal(v.Data, o.Data) }

// programValueNames are the values of the Parameters key that hold
// Program, in the order they are written. Other values of the key (a
// svchost service's ServiceDll, say) are never read or touched.
var programValueNames = []string{
	host.ValuePath, host.ValueArgs, host.ValueDir, host.ValueEnv,
	host.ValueStdout, host.ValueStderr,
	host.ValueRotateBytes, host.ValueRotateAge, host.ValueRotateKeep,
	host.ValueRestart, host.ValueSuccessCodes, host.ValueRestartDelay, host.ValueRestartDelayMax,
	host.ValueThrottle, host.ValueResetAfter, host.ValueStopTimeout, host.ValueLog,
}

func parametersOf(c scmConn) (parametersConn, error) {
	pc, ok := platform(c).(parametersConn)
	if !ok {
		return nil, fmt.Errorf("registry: %w", errors.ErrUnsupported)
	}
	return pc, nil
}

// readProgram reads service's Program from its Parameters key: nil when
// the key holds no program path (the service is not run by the host).
func readProgram(c scmConn, service string) (*host.Program, error) {
	pc, err := parametersOf(c)
	if err != nil {
		return nil, err
	}
	k, err := pc.ParametersKey(service, false)
	err = platformErr(err)
	if err != nil {
		return nil, err
	}
	defer k.Close()
	values := map[string]regValue{}
	for _, name := range programValueNames {
		v, found, err := k.Get(name)
		if err != nil {
			return nil, fmt.Errorf("reading %s\\%s: %w", host.ParametersKey, name, err)
		}
		if found {
			values[name] = v
		}
	}
	return decodeProgram(values)
}

// writeProgram makes service's Parameters key hold p: every value of p
// written, the values of its zero fields deleted (all of them for nil).
// On a failure, the values already changed are restored to what they
// were, so that the key is left as it was found.
func writeProgram(c scmConn, service string, p *host.Program) error {
	pc, err := parametersOf(c)
	if err != nil {
		return err
	}
	k, err := pc.ParametersKey(service, true)
	err = platformErr(err)
	if err != nil {
		return err
	}
	defer k.Close()
	return writeValues(k, encodeProgram(p))
}

// writeValues sets each of programValueNames in k to want's value, or
// deletes it when want has none, skipping those that hold it already; on
// an error it restores those it changed, newest first.
func writeValues(k paramKey, want map[string]regValue) error {
	type before struct {
		name  string
		v     regValue
		found bool
	}
	var done []before
	undo := func(cause error) error {
		var errs []error
		for i := len(done) - 1; i >= 0; i-- {
			b := done[i]
			var err error
			if b.found {
				err = k.Set(b.name, b.v)
			} else {
				err = k.Delete(b.name)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("undo %s: %w", b.name, err))
			}
		}
		if len(errs) > 0 {
			return errors.Join(cause, fmt.Errorf("rollback incomplete: %w", errors.Join(errs...)))
		}
		return cause
	}
	for _, name := range programValueNames {
		old, found, err := k.Get(name)
		if err != nil {
			return undo(fmt.Errorf("reading %s\\%s: %w", host.ParametersKey, name, err))
		}
		v, keep := want[name]
		switch {
		case keep && found && regEqual(old, v), !keep && !found:
			continue
		case keep:
			err = k.Set(name, v)
		default:
			err = k.Delete(name)
		}
		if err != nil {
			return undo(fmt.Errorf("writing %s\\%s: %w", host.ParametersKey, name, err))
		}
		done = append(done, before{name, old, found})
	}
	return nil
}

// encodeProgram lays p out as the values of the Parameters key; a zero
// field has no value. nil has none at all.
func encodeProgram(p *host.Program) map[string]regValue {
	out := map[string]regValue{}
	if p == nil {
		return out
	}
	str := func(name string, typ uint32, s string) {
		if s != "" {
			out[name] = regVal(typ, regString(s))
		}
	}
	list := func(name string, l []string) {
		if len(l) > 0 {
			out[name] = regVal(regMultiSZ, regMultiString(l))
		}
	}
	dword := func(name string, v uint32) {
		if v != 0 {
			out[name] = regVal(regDWORD, binary.LittleEndian.AppendUint32(nil, v))
		}
	}
	ms := func(name string, d time.Duration) { dword(name, uint32(d.Milliseconds())) }
	str(host.ValuePath, regExpandSZ, p.Path)
	list(host.ValueArgs, p.Args)
	str(host.ValueDir, regExpandSZ, p.Dir)
	list(host.ValueEnv, p.Env)
	str(host.ValueStdout, regExpandSZ, p.Stdout)
	str(host.ValueStderr, regExpandSZ, p.Stderr)
	if p.Rotate.Bytes != 0 {
		out[host.ValueRotateBytes] = regVal(regQWORD, binary.LittleEndian.AppendUint64(nil, uint64(p.Rotate.Bytes)))
	}
	dword(host.ValueRotateAge, uint32(p.Rotate.Age/time.Second))
	dword(host.ValueRotateKeep, uint32(p.Rotate.Keep))
	str(host.ValueRestart, regSZ, string(p.Restart.When))
	codes := make([]string, len(p.Restart.SuccessCodes))
	for i, c := range p.Restart.SuccessCodes {
		codes[i] = strconv.FormatUint(uint64(c), 10)
	}
	list(host.ValueSuccessCodes, codes)
	ms(host.ValueRestartDelay, p.Restart.Delay)
	ms(host.ValueRestartDelayMax, p.Restart.MaxDelay)
	ms(host.ValueThrottle, p.Restart.Throttle)
	ms(host.ValueResetAfter, p.Restart.ResetAfter)
	ms(host.ValueStopTimeout, p.StopTimeout)
	str(host.ValueLog, regExpandSZ, p.Log)
	return out
}

// decodeProgram reads the values of the Parameters key: nil without a
// program path. A value of another type than winsvc writes, or that does
// not parse, is an error naming it (a REG_SZ where REG_EXPAND_SZ is
// written is taken, as the host expands both).
func decodeProgram(values map[string]regValue) (*host.Program, error) {
	if _, ok := values[host.ValuePath]; !ok {
		return nil, nil
	}
	p := &host.Program{}
	var errs []error
	bad := func(name, why string) { errs = append(errs, fmt.Errorf("%s\\%s: %s", host.ParametersKey, name, why)) }
	str := func(name string, dst *string) {
		v, ok := values[name]
		switch {
		case !ok:
		case v.Type != regSZ && v.Type != regExpandSZ:
			bad(name, fmt.Sprintf("type %d, want REG_SZ or REG_EXPAND_SZ", v.Type))
		default:
			if l := utf16Strings(v.Data); len(l) > 0 {
				*dst = l[0]
			}
		}
	}
	list := func(name string) []string {
		v, ok := values[name]
		switch {
		case !ok:
			return nil
		case v.Type != regMultiSZ:
			bad(name, fmt.Sprintf("type %d, want REG_MULTI_SZ", v.Type))
			return nil
		}
		return utf16Strings(v.Data)
	}
	num := func(name string, typ uint32) uint64 {
		v, ok := values[name]
		switch {
		case !ok:
			return 0
		case typ == regDWORD && v.Type == regDWORD && len(v.Data) == 4:
			return uint64(binary.LittleEndian.Uint32(v.Data))
		case typ == regQWORD && v.Type == regQWORD && len(v.Data) == 8:
			return binary.LittleEndian.Uint64(v.Data)
		}
		bad(name, fmt.Sprintf("type %d of %d bytes, want %s", v.Type, len(v.Data), map[uint32]string{regDWORD: "REG_DWORD", regQWORD: "REG_QWORD"}[typ]))
		return 0
	}
	ms := func(name string) time.Duration { return time.Duration(num(name, regDWORD)) * time.Millisecond }
	str(host.ValuePath, &p.Path)
	p.Args = list(host.ValueArgs)
	str(host.ValueDir, &p.Dir)
	p.Env = list(host.ValueEnv)
	str(host.ValueStdout, &p.Stdout)
	str(host.ValueStderr, &p.Stderr)
	if b := num(host.ValueRotateBytes, regQWORD); b > 1<<63-1 {
		bad(host.ValueRotateBytes, "beyond 2^63-1")
	} else {
		p.Rotate.Bytes = int64(b)
	}
	p.Rotate.Age = time.Duration(num(host.ValueRotateAge, regDWORD)) * time.Second
	p.Rotate.Keep = int(num(host.ValueRotateKeep, regDWORD))
	var when string
	str(host.ValueRestart, &when)
	p.Restart.When = host.RestartWhen(when)
	for _, s := range list(host.ValueSuccessCodes) {
		c, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			bad(host.ValueSuccessCodes, fmt.Sprintf("%q is not an exit code (0 to 4294967295)", valerr.Shorten(s)))
			continue
		}
		p.Restart.SuccessCodes = append(p.Restart.SuccessCodes, uint32(c))
	}
	p.Restart.Delay = ms(host.ValueRestartDelay)
	p.Restart.MaxDelay = ms(host.ValueRestartDelayMax)
	p.Restart.Throttle = ms(host.ValueThrottle)
	p.Restart.ResetAfter = ms(host.ValueResetAfter)
	p.StopTimeout = ms(host.ValueStopTimeout)
	str(host.ValueLog, &p.Log)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return p, nil
}

// regString is s as REG_SZ data: UTF-16LE with a terminating NUL.
func regString(s string) []byte {
	u := append(utf16.Encode([]rune(s)), 0)
	return utf16Bytes(u)
}

// regMultiString is l as REG_MULTI_SZ data: each string NUL-terminated,
// then one more NUL.
func regMultiString(l []string) []byte {
	var u []uint16
	for _, s := range l {
		u = append(u, utf16.Encode([]rune(s))...)
		u = append(u, 0)
	}
	return utf16Bytes(append(u, 0))
}

func utf16Bytes(u []uint16) []byte {
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

func regVal(typ uint32, data []byte) regValue { return regValue{Type: typ, Data: data} }
