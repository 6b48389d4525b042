package winsvc_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// fileRef finds a file name in prose or a comment: a .md or .go name,
// perhaps with folders, standing on its own (after a space, a bracket, a
// quote or a backquote; not the tail of "../x.md" or "$dir/x.md").
var fileRef = regexp.MustCompile("(?:^|[\\s(\\[`\"'])((?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_-]+\\.(?:md|go))\\b")

// TestDocsNameExistingFiles checks that the repository's documents and
// comments point only to files it has: a name with folders whose first
// folder is one of the repository's (docs/wine-scm.md), and a document
// named in capitals (CONTRIBUTING.md), must exist from the repository's
// root or from the folder of the file that names it. Other bare names (a
// script's output, say) are not checked.
func TestDocsNameExistingFiles(t *testing.T) {
	var bad []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != "." && (strings.HasPrefix(n, ".") && n != ".github" || n == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".md", ".go", ".sh", ".yml", ".yaml", ".py":
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range fileRef.FindAllStringSubmatch(string(b), -1) {
			if ref := m[1]; checkedRef(ref) && !refExists(filepath.Dir(path), ref) {
				bad = append(bad, path+": "+ref)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("%s does not exist", b)
	}
}

// checkedRef says whether ref is a name the test holds to exist.
func checkedRef(ref string) bool {
	first, _, nested := strings.Cut(ref, "/")
	if nested {
		fi, err := os.Stat(first)
		return err == nil && fi.IsDir()
	}
	base := strings.TrimSuffix(ref, ".md")
	return base != ref && base == strings.ToUpper(base)
}

func refExists(dir, ref string) bool {
	for _, p := range []string{ref, filepath.Join(dir, ref)} {
		if _, err := os.Stat(filepath.FromSlash(p)); err == nil {
			return true
		}
	}
	return false
}
