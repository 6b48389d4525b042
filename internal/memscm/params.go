package memscm

import (
	"maps"

	"github.com/winsvc/winsvc/internal/scm"
)

// The Parameters keys, each held with its service (and gone with it).
// Every access is a call named "parameters" (opening the key),
// "setParameter NAME" or "deleteParameter NAME", which Fail can make fail,
// and Fail["getParameter NAME"] fails a read, which is not recorded as a
// call (the opening of the key is).

var _ scm.Parameters = (*SCM)(nil)

func (f *SCM) ParametersKey(service string, write bool) (scm.ParamKey, error) {
	defer f.Lock()()
	if err := f.call(Call{Op: "parameters", Service: service}); err != nil {
		return nil, err
	}
	s := f.Service(service)
	if s == nil {
		return nil, errNotFound
	}
	if write && s.Params == nil {
		s.Params = map[string]scm.RegValue{}
	}
	return &params{s: s, write: write}, nil
}

// params is an open key. Closing a key opened for writing whose values
// changed records a call "writeParameters" with the values it now holds.
type params struct {
	s       *Service
	write   bool
	changed bool
}

func (p *params) Get(name string) (scm.RegValue, bool, error) {
	defer p.s.scm.Lock()()
	if err := p.s.scm.Fail["getParameter "+name]; err != nil {
		return scm.RegValue{}, false, err
	}
	v, ok := p.s.Params[name]
	v.Data = append([]byte(nil), v.Data...)
	return v, ok, nil
}

func (p *params) Set(name string, v scm.RegValue) error {
	defer p.s.scm.Lock()()
	if err := p.s.scm.call(Call{Op: "setParameter " + name, Service: p.s.Name}); err != nil {
		return err
	}
	p.s.Params[name] = scm.RegValue{Type: v.Type, Data: append([]byte(nil), v.Data...)}
	p.changed = true
	return nil
}

func (p *params) Delete(name string) error {
	defer p.s.scm.Lock()()
	if err := p.s.scm.call(Call{Op: "deleteParameter " + name, Service: p.s.Name}); err != nil {
		return err
	}
	if _, ok := p.s.Params[name]; ok {
		delete(p.s.Params, name)
		p.changed = true
	}
	return nil
}

func (p *params) Close() error {
	if !p.write || !p.changed {
		return nil
	}
	defer p.s.scm.Lock()()
	p.s.scm.calls = append(p.s.scm.calls, Call{Op: "writeParameters", Service: p.s.Name, Params: maps.Clone(p.s.Params), IsWrite: true})
	return nil
}
