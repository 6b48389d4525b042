package cli

import (
	"context"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/access"
)

var (
	sdshowCmd = &command{name: "sdshow", group: groupQuery, summary: "Show a service's security descriptor in SDDL",
		usage: "sdshow NAME [--explain]",
		details: "--explain adds who may do what, one trustee per line. The JSON form always\nhas both: {name, sddl, permissions}.\n" +
			"On a service control manager that stores no security descriptor (Wine's, which\n" +
			"answers an empty DACL, D:, for every service) it fails with 50\n" +
			"(ERROR_NOT_SUPPORTED), saying that the SCM does not report a real descriptor.",
		examples: []string{"winsvc sdshow MySvc", "winsvc sdshow MySvc --explain"},
		options:  []*option{optExplain}, minArgs: 1, maxArgs: 1, nameArg: true,
		action: newAction(parseSDShow, runSDShow, renderSDShow)}
	sdsetCmd = &command{name: "sdset", group: groupConfig, summary: "Set a service's security descriptor from SDDL",
		usage: "sdset NAME SDDL [--force]",
		details: "Sets the parts SDDL contains (O:, G:, D:, S:). A DACL that takes full control\n" +
			"away from SYSTEM or the Administrators is refused unless --force is given.\n" +
			"A DACL is read back after the write: when the SCM accepted it but does not\n" +
			"report it (an SCM that stores no security descriptor, Wine's), sdset fails\n" +
			"with 50 (ERROR_NOT_SUPPORTED), \"not stored by this service control manager\",\n" +
			"and prints no SUCCESS.",
		examples: []string{`winsvc sdset MySvc "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)"`},
		options:  []*option{optForce}, minArgs: 2, maxArgs: 2, nameArg: true,
		action: newAction(parseSDSet, runSDSet, renderSDSet)}
)

var (
	optExplain = &option{name: "explain", bool: true, help: "also show who may do what"}
	optForce   = &option{name: "force", bool: true, help: "allow a DACL that removes SYSTEM's or the Administrators' full control"}
)

// SDShowOptions are the Options of sdshow.
type SDShowOptions struct {
	Name    string
	Explain bool
}

func parseSDShow(p *parsed) (*SDShowOptions, error) {
	return &SDShowOptions{Name: p.arg(0), Explain: p.on(optExplain)}, nil
}

// sdJSON is sdshow's JSON document.
type sdJSON struct {
	Name        string              `json:"name"`
	SDDL        string              `json:"sddl"`
	Permissions []access.Permission `json:"permissions"`
}

// sdShowResult is what sdshow read: the descriptor, and its parse (perr
// when it does not parse, which only --explain needs).
type sdShowResult struct {
	name    string
	sddl    string
	parsed  *access.SDDL
	perr    error
	explain bool
}

func runSDShow(ctx context.Context, e *env, o *SDShowOptions) (sdShowResult, error) {
	_, svc, err := e.service(o.Name)
	if err != nil {
		return sdShowResult{}, err
	}
	sddl, err := svc.SecurityDescriptor(ctx)
	if err != nil {
		return sdShowResult{}, err
	}
	parsed, perr := access.Parse(sddl)
	return sdShowResult{name: o.Name, sddl: sddl, parsed: parsed, perr: perr, explain: o.Explain}, nil
}

func renderSDShow(e *env, r sdShowResult) error {
	if e.json {
		res := sdJSON{Name: r.name, SDDL: r.sddl}
		if r.perr == nil {
			res.Permissions = nonNil(r.parsed.Permissions())
		}
		return e.writeJSON(res)
	}
	e.printf("\n%s\n", r.sddl)
	if !r.explain {
		return nil
	}
	if r.perr != nil {
		return r.perr
	}
	e.printf("\n%s", r.parsed.Describe())
	return nil
}

// SDSetOptions are the Options of sdset.
type SDSetOptions struct {
	Name  string
	SDDL  string
	Force bool
}

func parseSDSet(p *parsed) (*SDSetOptions, error) {
	if _, err := access.Parse(p.arg(1)); err != nil {
		return nil, err
	}
	return &SDSetOptions{Name: p.arg(0), SDDL: p.arg(1), Force: p.on(optForce)}, nil
}

// sdSetJSON is sdset's result, and its JSON document.
type sdSetJSON struct {
	Name string `json:"name"`
	SDDL string `json:"sddl"`
}

func runSDSet(ctx context.Context, e *env, o *SDSetOptions) (sdSetJSON, error) {
	_, svc, err := e.service(o.Name)
	if err != nil {
		return sdSetJSON{}, err
	}
	err = svc.SetSecurityDescriptor(ctx, o.SDDL, winsvc.SecurityOptions{AllowLockout: o.Force})
	return sdSetJSON{o.Name, o.SDDL}, err
}

func renderSDSet(e *env, r sdSetJSON) error {
	if e.json {
		return e.writeJSON(r)
	}
	scSuccess(e.io.Out, "SetServiceObjectSecurity")
	return nil
}
