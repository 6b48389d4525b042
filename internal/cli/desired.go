package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/internal/limits"
)

// The desired-state verbs: plan and apply read a document (package
// desired); export, in export.go, writes one.

var (
	planCmd = &command{name: "plan", group: groupExtra, summary: "Show what applying a desired-state document would change",
		usage: "plan -f FILE [--detailed-exitcode]",
		details: "Reads a desired-state document (YAML or JSON; -f - reads stdin, and -f may be\n" +
			"left out: winsvc plan FILE) and prints, service by service, what 'winsvc apply'\n" +
			"would change, field by field, old -> new: services created, changed and\n" +
			"deleted, descriptors and run states, dependencies before the services that\n" +
			"depend on them. Nothing changes.\n\n" +
			documentHelp + "\n\n" +
			"A setting the SCM accepts but cannot report back (failure actions and the DACL\n" +
			"under Wine) cannot be compared: it is listed apart, \"cannot be compared on this\n" +
			"SCM\", counted apart (\"uncomparable\" in JSON), and is no change.\n\n" +
			"Exit status: 0 when every service could be planned, whether or not anything\n" +
			"would change; with --detailed-exitcode, 0 when nothing would change and 2 when\n" +
			"something would (as terraform plan does; settings that cannot be compared do\n" +
			"not count). When a service cannot be planned,\n" +
			"the others are still shown, and the first such service's error is reported\n" +
			"(its code is the exit status); an invalid document exits with 87.",
		examples: []string{"winsvc plan -f services.yaml", "winsvc plan -f services.yaml --detailed-exitcode; if ($LASTEXITCODE -eq 2) { winsvc apply -f services.yaml }",
			"winsvc export --all | winsvc plan -f -"},
		options: []*option{optFile, optDetailed}, maxArgs: 1,
		action: newAction(parsePlan, runPlan, renderPlan)}
	applyCmd = &command{name: "apply", group: groupExtra, summary: "Bring services to a desired-state document",
		usage: "apply -f FILE [--dry-run] [--continue-on-error] [--password-stdin] [--timeout D]",
		details: "Applies a desired-state document (see 'winsvc help plan'): services to stop or\n" +
			"delete first, those that depend on others before them; then each service's\n" +
			"settings, saved as one change that is undone if any part of it fails; then the\n" +
			"run states, dependencies first, each waited for (--timeout, 30s by default, or\n" +
			"the entry's timeout). A running service keeps its process: changed settings\n" +
			"take effect at its next start ('winsvc restart'). The apply stops at the first\n" +
			"failure unless --continue-on-error is given. Applying the same document again\n" +
			"changes nothing. --dry-run prints the plan instead. Settings that cannot be\n" +
			"compared on this SCM (see 'winsvc help plan') are written at each apply and\n" +
			"reported as written, not verifiable (\"unverified\" in JSON), not as changed.\n\n" +
			"Passwords come from the references in the document: environment variables,\n" +
			"files, or the first line of stdin with --password-stdin. They are never printed.\n\n" +
			"Exit status: 0 when nothing failed; otherwise the first failure is reported as\n" +
			"the error, and its code is the exit status.",
		examples: []string{"winsvc apply -f services.yaml", "winsvc apply -f services.yaml --dry-run",
			"type pw.txt | winsvc apply -f services.yaml --password-stdin --continue-on-error --json"},
		options: []*option{optFile, optDryRun, optContinue, optPwStdin, optTimeout}, maxArgs: 1,
		action: newAction(parseApply, runApply, renderApply)}
)

const documentHelp = "The document (YAML or JSON):\n" +
	"  services:\n" +
	"    - name: MySvc                    # the key name\n" +
	"      state: running                 # running, stopped, paused, absent or any (default)\n" +
	"      startType: AUTO_START          # every setting of 'winsvc get NAME --json',\n" +
	"      description: Serves the API    #   with the same names and values\n" +
	"      serviceStartName: .\\svcuser\n" +
	"      password: {env: MYSVC_PW}      # or {file: PATH} or {stdin: true}; never the password\n" +
	"      updatePassword: on_create      # or always: Windows cannot read a password back\n" +
	"      securityDescriptor: D:(A;;GA;;;SY)(A;;GA;;;BA)   # the DACL, as sdshow prints it\n" +
	"      timeout: 1m                    # bounds this service's waits\n" +
	"A setting left out is left as it is; an empty value clears it (dependencies: []).\n" +
	"An unknown key or a value a key cannot take is an error naming its line and\n" +
	"column, what the key takes and what it got; every error is reported (up to 20).\n" +
	"Limits: 16 MiB, 10,000 services, 1,000,000 values (counting those an alias\n" +
	"repeats, at most 100 times the values written out), 64 levels of nesting,\n" +
	"1 MiB for a text; an alias inside the value it repeats is refused.\n" +
	"updatePassword on_create sets the password when the service is created or its\n" +
	"account changes; always sets it at every apply (which then always reports it)."

var (
	optFile     = &option{name: "file", aliases: []string{"f"}, value: "FILE", help: "the desired-state document (YAML or JSON); - reads stdin"}
	optDetailed = &option{name: "detailed-exitcode", bool: true, help: "exit 2 when something would change, 0 when nothing would"}
	optContinue = &option{name: "continue-on-error", bool: true, help: "apply the other services when one fails"}
)

// exitChanges is plan --detailed-exitcode's status when something would
// change.
const exitChanges = 2

// PlanOptions are the Options of plan.
type PlanOptions struct {
	File     string
	Detailed bool
}

// ApplyOptions are the Options of apply.
type ApplyOptions struct {
	File            string
	DryRun          bool
	ContinueOnError bool
	PasswordStdin   bool
	Timeout         time.Duration
}

// documentFile returns the document's file: -f's value, or the argument.
func documentFile(p *parsed) (string, error) {
	switch {
	case p.has(optFile) && len(p.args) > 0:
		return "", p.usagef("give the document once: -f FILE, or FILE")
	case p.has(optFile) && p.str(optFile) != "":
		return p.str(optFile), nil
	case len(p.args) == 1:
		return p.arg(0), nil
	}
	return "", p.usagef("name the desired-state document: -f FILE (- for stdin)")
}

func parsePlan(p *parsed) (*PlanOptions, error) {
	f, err := documentFile(p)
	return &PlanOptions{File: f, Detailed: p.on(optDetailed)}, err
}

func parseApply(p *parsed) (*ApplyOptions, error) {
	f, err := documentFile(p)
	if err != nil {
		return nil, err
	}
	o := &ApplyOptions{File: f, DryRun: p.on(optDryRun), ContinueOnError: p.on(optContinue), PasswordStdin: p.on(optPwStdin)}
	if o.PasswordStdin && f == "-" {
		return nil, p.usagef("stdin cannot hold both the document (-f -) and the password (--password-stdin)")
	}
	o.Timeout, err = p.duration(optTimeout, defaultTimeout)
	return o, err
}

// readDocument reads the document of file ("-": stdin). Its problems, when
// there are several, are reported one per line (but in JSON, one error).
func (e *env) readDocument(file string) (*desired.Document, error) {
	var doc *desired.Document
	var err error
	if file == "-" {
		var b []byte
		if b, err = limits.ReadAll(e.io.In, "the document on stdin", limits.FileSize); err != nil {
			return nil, fmt.Errorf("reading the document from stdin: %w", err)
		}
		doc, err = desired.Parse("<stdin>", b)
	} else {
		doc, err = desired.ReadFile(file)
	}
	if many, ok := err.(interface{ Unwrap() []error }); ok && !e.json {
		for _, one := range many.Unwrap() {
			e.note("%s: %v", e.verb, one)
		}
		return nil, exitStatus(exitCode(err))
	}
	return doc, err
}

// planResult is a plan, and how to report it.
type planResult struct {
	plan     *desired.Plan
	detailed bool
}

// plan reads the document of file and plans it.
func (e *env) plan(ctx context.Context, file string) (*desired.Plan, error) {
	doc, err := e.readDocument(file)
	if err != nil {
		return nil, err
	}
	m, err := e.manager()
	if err != nil {
		return nil, err
	}
	report, done := e.counter()
	defer done()
	return desired.PlanAll(ctx, m, doc, desired.PlanOptions{Progress: report})
}

func runPlan(ctx context.Context, e *env, o *PlanOptions) (planResult, error) {
	p, err := e.plan(ctx, o.File)
	return planResult{p, o.Detailed}, err
}

// planJSON is what plan prints with --json (and apply --dry-run).
// Uncomparable counts the settings that cannot be compared on this SCM
// (each service lists its own).
type planJSON struct {
	Services     []desired.ServicePlan `json:"services"`
	Create       int                   `json:"create"`
	Update       int                   `json:"update"`
	Delete       int                   `json:"delete"`
	Unchanged    int                   `json:"unchanged"`
	Failed       int                   `json:"failed"`
	Uncomparable int                   `json:"uncomparable"`
	Warnings     []desired.Warning     `json:"warnings"`
}

// renderPlan prints the plan; the exit status is the first failure's code,
// or with --detailed-exitcode 2 when something would change.
func renderPlan(e *env, r planResult) error {
	p := r.plan
	warnAll(e, p.Warnings)
	if e.json {
		uncomparable, _ := p.Uncomparable()
		if err := e.writeJSON(planJSON{Services: nonNil(p.Services), Create: p.Count(desired.ActionCreate), Update: p.Count(desired.ActionUpdate),
			Delete: p.Count(desired.ActionDelete), Unchanged: p.Count(desired.ActionNone), Failed: len(p.Failures()),
			Uncomparable: uncomparable, Warnings: nonNil(p.Warnings)}); err != nil {
			return err
		}
	} else {
		e.printf("%s", p.String())
	}
	switch {
	case len(p.Failures()) > 0:
		return p.Failures()[0].Err
	case r.detailed && !p.Empty():
		return exitStatus(exitChanges)
	}
	return nil
}

// applyResult is what apply did, or for a dry run the plan.
type applyResult struct {
	res  *desired.Result
	plan *desired.Plan
}

func runApply(ctx context.Context, e *env, o *ApplyOptions) (applyResult, error) {
	if o.DryRun {
		p, err := e.plan(ctx, o.File)
		return applyResult{plan: p}, err
	}
	doc, err := e.readDocument(o.File)
	if err != nil {
		return applyResult{}, err
	}
	m, err := e.manager()
	if err != nil {
		return applyResult{}, err
	}
	report, done := e.counter()
	res, err := desired.ApplyAll(ctx, m, doc, desired.ApplyOptions{Passwords: e.passwords(o.PasswordStdin),
		ContinueOnError: o.ContinueOnError, Timeout: o.Timeout, Progress: report})
	done()
	if res == nil {
		return applyResult{}, err
	}
	return applyResult{res: res}, nil
}

// passwords resolves a document's password references from the
// environment, files and, with --password-stdin, stdin's first line; each
// password becomes a secret of the redactor.
func (e *env) passwords(stdin bool) desired.Resolver {
	var read func() (string, error)
	if stdin {
		read = func() (string, error) { return readPassword(e.io.In) }
	}
	resolve := desired.Passwords(e.f.Getenv, read)
	return func(service string, ref desired.PasswordRef) (string, error) {
		pw, err := resolve(service, ref)
		e.redact.add(pw)
		if errors.Is(err, desired.ErrNoStdin) {
			err = fmt.Errorf("%w: give --password-stdin", err)
		}
		return pw, err
	}
}

// applyJSON is what apply prints with --json. Unverified counts the
// settings written that cannot be verified on this SCM (each service
// lists its own).
type applyJSON struct {
	Services   []desired.ServiceResult `json:"services"`
	Changed    int                     `json:"changed"`
	Unchanged  int                     `json:"unchanged"`
	Failed     int                     `json:"failed"`
	Skipped    int                     `json:"skipped"`
	Unverified int                     `json:"unverified"`
	Warnings   []desired.Warning       `json:"warnings"`
}

// renderApply prints what apply did (or would do), with the settings
// written that cannot be verified, warns about defaults the SCM does not
// support, and exits with the first failure's code.
func renderApply(e *env, r applyResult) error {
	if r.plan != nil {
		return renderPlan(e, planResult{plan: r.plan})
	}
	res := r.res
	warnAll(e, res.Warnings)
	var notes []serviceNote
	for _, s := range res.Services {
		for _, k := range s.SkippedSteps {
			notes = append(notes, serviceNote{s.Name, fmt.Sprintf("the default %s was not applied", k.Kind),
				fmt.Sprintf("this Service Control Manager does not support it (%s)", k.Reason)})
		}
	}
	e.warnServices(notes)
	if e.json {
		unverified, _ := res.Unverified()
		if err := e.writeJSON(applyJSON{Services: nonNil(res.Services), Changed: res.Count(desired.Changed), Unchanged: res.Count(desired.Unchanged),
			Failed: res.Count(desired.Failed), Skipped: res.Count(desired.Skipped), Unverified: unverified, Warnings: nonNil(res.Warnings)}); err != nil {
			return err
		}
	} else {
		e.printf("%s", res.String())
	}
	if fs := res.Failures(); len(fs) > 0 {
		return fs[0].Err
	}
	return nil
}
