package module

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// docOption is an option as a sidecar document describes it.
type docOption struct {
	Type     string               `yaml:"type"`
	Elements string               `yaml:"elements"`
	Required bool                 `yaml:"required"`
	Default  any                  `yaml:"default"`
	Choices  []string             `yaml:"choices"`
	Aliases  []string             `yaml:"aliases"`
	Options  map[string]docOption `yaml:"suboptions"`
}

// docKinds is how each kind is documented: its type and elements.
var docKinds = map[Kind][2]string{Str: {"str"}, Bool: {"bool"}, Int: {"int"}, List: {"list", "str"},
	Dicts: {"list", "dict"}, Dict: {"dict"}, Raw: {"list", "dict"}}

// TestSidecarDocuments checks that plugins/modules/NAME.yml, which
// ansible-doc shows, documents exactly the options the modules take.
func TestSidecarDocuments(t *testing.T) {
	for file, mod := range map[string]*Module{"service.yml": Service, "service_info.yml": Info} {
		b, err := os.ReadFile("../../collection/plugins/modules/" + file)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Documentation struct {
				Module     string               `yaml:"module"`
				Options    map[string]docOption `yaml:"options"`
				Attributes map[string]any       `yaml:"attributes"`
			} `yaml:"DOCUMENTATION"`
			Examples string         `yaml:"EXAMPLES"`
			Return   map[string]any `yaml:"RETURN"`
		}
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if "winsvc.windows."+doc.Documentation.Module != mod.Name || doc.Examples == "" || len(doc.Return) == 0 {
			t.Errorf("%s: module %q, %d bytes of examples, %d return values", file, doc.Documentation.Module, len(doc.Examples), len(doc.Return))
		}
		for _, a := range []string{"check_mode", "diff_mode", "platform"} {
			if doc.Documentation.Attributes[a] == nil {
				t.Errorf("%s: no attribute %s", file, a)
			}
		}
		compareDocs(t, file, mod.Options, doc.Documentation.Options)
	}
}

func compareDocs(t *testing.T, where string, spec []Option, docs map[string]docOption) {
	t.Helper()
	if len(spec) != len(docs) {
		t.Errorf("%s: %d options documented, %d taken", where, len(docs), len(spec))
	}
	for _, o := range spec {
		d, ok := docs[o.Name]
		if !ok {
			t.Errorf("%s: option %s is not documented", where, o.Name)
			continue
		}
		kind := docKinds[o.Kind]
		def := o.Default
		if n, isInt := def.(uint64); isInt {
			def = int(n)
		}
		if d.Type != kind[0] || d.Elements != kind[1] || d.Required != o.Required || !slices.Equal(d.Choices, o.Choices) ||
			!slices.Equal(d.Aliases, o.Aliases) || fmt.Sprint(d.Default) != fmt.Sprint(def) {
			t.Errorf("%s: option %s documented as %+v, taken as %+v", where, o.Name, d, o)
		}
		if o.Kind == Dicts || o.Options != nil {
			compareDocs(t, where+": "+o.Name, o.Options, d.Options)
		}
	}
}
