package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
	"github.com/winsvc/winsvc/internal/valerr"
)

var exportCmd = &command{name: "export", group: groupExtra, summary: "Write services as a desired-state document (YAML or JSON)",
	usage: "export [NAME] ... [--all] [-o FILE] [--format yaml|json] [--no-state]",
	details: "Reads the services named, or every service (programs and drivers) when none is\n" +
		"named or with --all, and writes a document that 'winsvc apply' takes: every\n" +
		"setting that could be read, the DACL (securityDescriptor) and the run state.\n" +
		"Applying it at once changes nothing; applying it later brings the services\n" +
		"back as they are now.\n" +
		"Every setting is written as the SCM holds it: a program path unquoted with\n" +
		"spaces too (with a warning naming 'winsvc check'), so that applying the export\n" +
		"changes nothing.\n" +
		"Settings the SCM cannot read are left out (a warning counts them), so applying\n" +
		"leaves them as they are. A service that cannot be read is reported and left\n" +
		"out; the others are written, and the first such service's error is reported\n" +
		"(its code is the exit status).\n" +
		"The document goes to stdout (YAML, or JSON with --json) or to -o FILE, in the\n" +
		"format --format names or FILE's extension (.json: JSON, otherwise YAML).\n" +
		"See 'winsvc help plan' for the format.",
	examples: []string{"winsvc export MySvc", "winsvc export -o services.yaml", "winsvc export MySvc OtherSvc --json > services.json"},
	options:  []*option{optAll, optOutput, optFormat, optNoState}, maxArgs: -1, nameArg: true,
	action: newAction(parseExport, runExport, renderExport)}

var (
	optAll     = &option{name: "all", bool: true, help: "export every service (what export does when no service is named)"}
	optOutput  = &option{name: "output", aliases: []string{"o"}, value: "FILE", help: "write the document to FILE instead of stdout"}
	optFormat  = &option{name: "format", value: "FORMAT", values: []string{"yaml", "json"}, help: "the document's format (default: FILE's extension, or yaml)"}
	optNoState = &option{name: "no-state", bool: true, help: "leave the run state out (state: any)"}
)

// ExportOptions are the Options of export.
type ExportOptions struct {
	Names   []string
	All     bool   // every service, besides Names
	Output  string // "" for stdout
	JSON    bool   // write the document as JSON
	NoState bool
}

func parseExport(p *parsed) (*ExportOptions, error) {
	o := &ExportOptions{Names: p.args, All: p.on(optAll) || len(p.args) == 0, Output: p.str(optOutput), NoState: p.on(optNoState)}
	switch f := strings.ToLower(p.str(optFormat)); {
	case f == "json":
		o.JSON = true
	case f == "yaml":
	case f != "":
		return nil, p.usagef("--format %q: use yaml or json", p.str(optFormat))
	case o.Output != "":
		o.JSON = strings.EqualFold(filepath.Ext(o.Output), ".json")
	default:
		o.JSON = p.on(optJSON)
	}
	return o, nil
}

// exportResult is what export read, and where it goes.
type exportResult struct {
	res *desired.ExportResult
	o   *ExportOptions
}

func runExport(ctx context.Context, e *env, o *ExportOptions) (exportResult, error) {
	m, err := e.manager()
	if err != nil {
		return exportResult{}, err
	}
	report, done := e.counter()
	res, err := desired.Export(ctx, m, o.Names, desired.ExportOptions{All: o.All, NoState: o.NoState, Progress: report})
	done()
	return exportResult{res, o}, err
}

// exportJSON is what export prints with --json and -o.
type exportJSON struct {
	File     string                    `json:"file"`
	Services int                       `json:"services"`
	LeftOut  map[string][]winsvc.Field `json:"leftOut"`
	Failed   []desired.Failure         `json:"failed"`
	Warnings []desired.Warning         `json:"warnings"`
}

// renderExport writes the document, reports the services that could not
// be read, and exits with the first one's code.
func renderExport(e *env, r exportResult) error {
	doc, err := encodeDocument(r.res.Document, r.o.JSON)
	if err != nil {
		return err
	}
	n := len(r.res.Document.Services)
	switch {
	case r.o.Output == "":
		e.printf("%s", doc)
	case e.json:
		if err := os.WriteFile(r.o.Output, doc, 0o644); err != nil {
			return valerr.ShortenPath(err)
		}
		if err := e.writeJSON(exportJSON{File: r.o.Output, Services: n, LeftOut: r.res.LeftOut, Failed: nonNil(r.res.Failed),
			Warnings: nonNil(r.res.Warnings)}); err != nil {
			return err
		}
	default:
		if err := os.WriteFile(r.o.Output, doc, 0o644); err != nil {
			return valerr.ShortenPath(err)
		}
		e.printf("Exported %s to %s.\n", count(n, "service"), r.o.Output)
	}
	warnAll(e, r.res.Warnings)
	if len(r.res.LeftOut) > 0 {
		settings := 0
		for _, fs := range r.res.LeftOut {
			settings += len(fs)
		}
		e.warn("%s of %s could not be read and are left out; applying the document leaves them as they are", count(settings, "setting"), count(len(r.res.LeftOut), "service"))
	}
	return failed(e, r.res.Failed)
}

// warnAll prints each warning of an export, a plan or an apply on
// stderr.
func warnAll(e *env, ws []desired.Warning) {
	for _, w := range ws {
		e.warn("%s", w)
	}
}

// encodeDocument writes doc in YAML, or in indented JSON.
func encodeDocument(doc *desired.Document, asJSON bool) ([]byte, error) {
	if !asJSON {
		return doc.YAML()
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	err := enc.Encode(doc)
	return b.Bytes(), err
}

// failed returns the error of the first service that could not be read,
// which is reported as export's error, after a warning for each of the
// others; nil when every service was read.
func failed(e *env, fs []desired.Failure) error {
	if len(fs) == 0 {
		return nil
	}
	notes := make([]serviceNote, len(fs)-1)
	for i, f := range fs[1:] {
		notes[i] = serviceNote{f.Service, "could not be read", e.reason(f.Err)}
	}
	e.warnServices(notes)
	return fs[0].Err
}
