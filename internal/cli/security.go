package cli

import (
	"context"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/access"
)

func init() {
	register(
		&command{name: "sdshow", group: groupQuery, summary: "Show a service's security descriptor in SDDL",
			usage:    "sdshow NAME [--explain]",
			details:  "--explain adds who may do what, one trustee per line. The JSON form always\nhas both: {name, sddl, permissions}.",
			examples: []string{"winsvc sdshow MySvc", "winsvc sdshow MySvc --explain"},
			options:  []*option{optExplain}, minArgs: 1, maxArgs: 1, nameArg: true, build: buildSDShow},
		&command{name: "sdset", group: groupConfig, summary: "Set a service's security descriptor from SDDL",
			usage: "sdset NAME SDDL [--force]",
			details: "Sets the parts SDDL contains (O:, G:, D:, S:). A DACL that takes full control\n" +
				"away from SYSTEM or the Administrators is refused unless --force is given.",
			examples: []string{`winsvc sdset MySvc "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)"`},
			options:  []*option{optForce}, minArgs: 2, maxArgs: 2, nameArg: true, build: buildSDSet},
	)
}

var (
	optExplain = &option{name: "explain", bool: true, help: "also show who may do what"}
	optForce   = &option{name: "force", bool: true, help: "allow a DACL that removes SYSTEM's or the Administrators' full control"}
)

// SDShowOptions are the Options of sdshow.
type SDShowOptions struct {
	Name    string
	Explain bool
}

func buildSDShow(p *parsed) (runner, error) {
	return &SDShowOptions{Name: p.arg(0), Explain: p.on(optExplain)}, nil
}

// sdJSON is sdshow's JSON document.
type sdJSON struct {
	Name        string              `json:"name"`
	SDDL        string              `json:"sddl"`
	Permissions []access.Permission `json:"permissions"`
}

func (o *SDShowOptions) run(ctx context.Context, e *env) error {
	_, svc, err := e.service(o.Name)
	if err != nil {
		return err
	}
	sddl, err := svc.SecurityDescriptor(ctx)
	if err != nil {
		return err
	}
	parsed, perr := access.Parse(sddl)
	if e.json {
		res := sdJSON{Name: o.Name, SDDL: sddl}
		if perr == nil {
			res.Permissions = nonNil(parsed.Permissions())
		}
		return e.writeJSON(res)
	}
	e.printf("\n%s\n", sddl)
	if o.Explain {
		if perr != nil {
			return perr
		}
		e.printf("\n%s", parsed.Describe())
	}
	return nil
}

// SDSetOptions are the Options of sdset.
type SDSetOptions struct {
	Name  string
	SDDL  string
	Force bool
}

func buildSDSet(p *parsed) (runner, error) {
	if _, err := access.Parse(p.arg(1)); err != nil {
		return nil, err
	}
	return &SDSetOptions{Name: p.arg(0), SDDL: p.arg(1), Force: p.on(optForce)}, nil
}

func (o *SDSetOptions) run(ctx context.Context, e *env) error {
	_, svc, err := e.service(o.Name)
	if err != nil {
		return err
	}
	if err := svc.SetSecurityDescriptor(ctx, o.SDDL, winsvc.SecurityOptions{AllowLockout: o.Force}); err != nil {
		return err
	}
	if e.json {
		return e.writeJSON(struct {
			Name string `json:"name"`
			SDDL string `json:"sddl"`
		}{o.Name, o.SDDL})
	}
	scSuccess(e.io.Out, "SetServiceObjectSecurity")
	return nil
}
