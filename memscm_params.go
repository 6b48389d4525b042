package winsvc

import "maps"

// The in-memory SCM's Parameters keys, each held with its service (and
// gone with it). Every access is a call named "parameters" (opening the
// key), "getParameter NAME", "setParameter NAME" or "deleteParameter
// NAME", which memSCM.fail can make fail; the reads of a value are not
// recorded as calls (the opening of the key is).

var _ parametersConn = (*memSCM)(nil)

func (f *memSCM) ParametersKey(service string, write bool) (paramKey, error) {
	defer f.lock()()
	if err := f.call(memCall{Op: "parameters", Service: service}); err != nil {
		return nil, err
	}
	s := f.service(service)
	if s == nil {
		return nil, ErrNotFound
	}
	if write && s.params == nil {
		s.params = map[string]regValue{}
	}
	return &memParams{s: s, write: write}, nil
}

// memParams is an open key. Closing a key opened for writing whose values
// changed records a call "writeParameters" with the Program they now
// hold, as the SCM's writes record the settings they write.
type memParams struct {
	s       *memService
	write   bool
	changed bool
}

func (p *memParams) Get(name string) (regValue, bool, error) {
	defer p.s.scm.lock()()
	if err := p.s.scm.fail["getParameter "+name]; err != nil { // not counted as a call: the key's opening is
		return regValue{}, false, err
	}
	v, ok := p.s.params[name]
	v.Data = append([]byte(nil), v.Data...)
	return v, ok, nil
}

func (p *memParams) Set(name string, v regValue) error {
	defer p.s.scm.lock()()
	if err := p.s.scm.call(memCall{Op: "setParameter " + name, Service: p.s.name}); err != nil {
		return err
	}
	p.s.params[name] = regValue{Type: v.Type, Data: append([]byte(nil), v.Data...)}
	p.changed = true
	return nil
}

func (p *memParams) Delete(name string) error {
	defer p.s.scm.lock()()
	if err := p.s.scm.call(memCall{Op: "deleteParameter " + name, Service: p.s.name}); err != nil {
		return err
	}
	if _, ok := p.s.params[name]; ok {
		delete(p.s.params, name)
		p.changed = true
	}
	return nil
}

func (p *memParams) Close() error {
	if !p.write || !p.changed {
		return nil
	}
	defer p.s.scm.lock()()
	var v any
	prog, err := decodeProgram(p.s.params)
	if v = prog; err != nil {
		v = err
	}
	p.s.cfg.Program = prog // what Config holds of it, for the tests that compare the SCM's state
	p.s.scm.calls = append(p.s.scm.calls, memCall{Op: "writeParameters", Service: p.s.name, Written: map[Field]any{FieldProgram: v}})
	return nil
}

// parameterValues returns a copy of service's Parameters values (nil
// without a key), for tests.
func (f *memSCM) parameterValues(service string) map[string]regValue {
	defer f.lock()()
	if s := f.service(service); s != nil {
		return maps.Clone(s.params)
	}
	return nil
}
