package desired_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
)

// maxErrorLine is the longest line an error may take, whatever the
// document holds.
const maxErrorLine = 1024

// documentKeys are the keys of a service's entry: every setting, and the
// keys of a document of its own.
func documentKeys() []string {
	keys := []string{"name", "state", "securityDescriptor", "password", "updatePassword", "timeout"}
	for _, f := range winsvc.Fields() {
		keys = append(keys, string(f))
	}
	return keys
}

// hugeForms are the kinds of huge value a key may be given, in YAML and
// in JSON, each far longer than an error line may be but within the
// limits of a document; %s is the huge text.
var hugeForms = []struct{ name, yaml, json string }{
	{"plain text", "%s", `"%s"`},
	{"quoted text", `"%s\u0001"`, `"%s\u0001"`},
	{"a number", "9%s", "9%s"},
	{"a list of it", "[%s, x]", `["%s", "x"]`},
	{"a mapping with it as a key", "{? %k : 1}", `{"%k": 1}`}, // YAML takes implicit keys of up to 1024 characters
	{"a mapping with it as a value", "{node: %s, type: %s, env: %s, command: %s, actions: [{type: %s}]}", `{"node": "%s", "type": "%s", "env": "%s", "command": "%s", "actions": [{"type": "%s"}]}`},
	{"a list of mappings with it", "[{type: %s, action: start, dataItems: [{type: string, string: %s}]}]", `[{"type": "%s", "action": "start", "dataItems": [{"type": "string", "string": "%s"}]}]`},
}

// enumKeys take one of a list of names: their errors list them.
var enumKeys = map[string]bool{"serviceType": true, "startType": true, "errorControl": true, "sidType": true,
	"launchProtected": true, "state": true, "updatePassword": true}

// Every key of a document, given a huge value of every kind, in YAML and
// in JSON, is refused (or read) with errors whose lines are short, that
// name the service and the key, and for a key that takes one of a list of
// names, list them.
func TestHugeValuesGiveShortErrors(t *testing.T) {
	huge := strings.Repeat("x", 20_000)
	digits := strings.Repeat("9", 20_000)
	key1000 := strings.Repeat("k", 1000)
	for _, key := range documentKeys() {
		for _, form := range hugeForms {
			text := huge
			if form.name == "a number" {
				text = digits
			}
			yamlValue := strings.ReplaceAll(strings.ReplaceAll(form.yaml, "%s", text), "%k", huge)
			jsonValue := strings.ReplaceAll(strings.ReplaceAll(form.json, "%s", text), "%k", key1000)
			name := "A"
			if key == "name" {
				name = "B"
			}
			for kind, src := range map[string]string{
				"YAML": fmt.Sprintf("services:\n  - name: %s\n    %s: %s\n", name, key, yamlValue),
				"JSON": fmt.Sprintf(`{"services": [{"name": %q, %q: %s}]}`, name, key, jsonValue),
			} {
				_, err := desired.Parse("a.yaml", []byte(src))
				if err == nil {
					continue // a value the key takes (a long description, ...)
				}
				what := fmt.Sprintf("%s %s as %s", kind, key, form.name)
				checkShortDocumentError(t, what, err, key, enumKeys[key] && !strings.Contains(form.name, "mapping") && form.name != "a list of it")
			}
		}
	}
}

// checkShortDocumentError checks the error of a document with a huge
// value for key: each line short, each error a *desired.Error naming the
// service or the key, matching ErrInvalid; with names, the allowed ones.
func checkShortDocumentError(t *testing.T, what string, err error, key string, names bool) {
	t.Helper()
	msg := err.Error()
	for _, line := range strings.Split(msg, "\n") {
		if len(line) > maxErrorLine {
			t.Errorf("%s: an error line of %d bytes: %.300s…", what, len(line), line)
			return
		}
	}
	var de *desired.Error
	if !errors.As(err, &de) || !errors.Is(err, winsvc.ErrInvalid) {
		t.Errorf("%s: %T %v; want a *desired.Error", what, err, err)
		return
	}
	if !strings.Contains(msg, key) {
		t.Errorf("%s: %s; want it to name %s", what, msg, key)
	}
	if names && !strings.Contains(msg, "allowed: ") {
		t.Errorf("%s: %s; want the allowed names", what, msg)
	}
}

// A value beyond a limit of a document (a text of 2 MiB; a 50 MB
// startType, beyond the size of a document) is refused naming the limit,
// the error short.
func TestValuesBeyondTheLimits(t *testing.T) {
	for _, c := range []struct {
		name, value, want string
	}{
		{"2 MiB", strings.Repeat("x", 2<<20), "a.yaml:3:16: service \"A\": startType: a text of 2097152 bytes is longer than 1 MiB, the limit"},
		{"50 MB", strings.Repeat("x", 50_000_000), "a.yaml: the document is larger than 16 MiB, the limit"},
	} {
		src := []byte("services:\n  - name: A\n    startType: " + c.value + "\n")
		_, err := desired.Parse("a.yaml", src)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: %.300v; want %s", c.name, err, c.want)
		}
		js, _ := json.Marshal(map[string]any{"services": []any{map[string]string{"name": "A", "startType": c.value}}})
		_, err = desired.Parse("a.json", js)
		if err == nil || len(err.Error()) > 200 || !strings.Contains(err.Error(), "the limit") {
			t.Errorf("%s in JSON: %.300v", c.name, err)
		}
	}
}
