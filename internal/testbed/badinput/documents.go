package badinput

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Documents writes the invalid desired-state documents the cases of
// cli.txt name as $DOCS/NAME into a new directory, removed after the test,
// and returns vars with DOCS set to it. They are made by the test, never
// committed (one is 50 MB):
//
//	bomb.yaml    a "billion laughs": 9 anchors of 9 aliases each, a few
//	             hundred bytes that stand for 9^9 texts
//	huge.yaml    a service whose startType is 50 MB long
//	deep.yaml    a description nested 5,000 lists deep
//	errors.yaml  a service with three bad settings: startType, errorControl
//	             and dependencies
//
// and the documents of textDocuments, with vars expanded in them.
func Documents(t testing.TB, vars map[string]string) map[string]string {
	t.Helper()
	// Not t.TempDir: its cleanup fails under Wine, where the suite runs
	// too; each file is removed on its own.
	dir, err := os.MkdirTemp("", "winsvc-badinput-")
	if err != nil {
		t.Fatal(err)
	}
	if dir, err = filepath.Abs(dir); err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{
		"bomb.yaml":   aliasBomb(9, 9),
		"huge.yaml":   []byte("services:\n  - name: Huge\n    startType: " + strings.Repeat("x", 50_000_000) + "\n"),
		"deep.yaml":   []byte("services:\n  - name: Deep\n    description: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"),
		"errors.yaml": []byte("services:\n  - name: Errors\n    startType: sometimes\n    errorControl: 5\n    dependencies: Tcpip\n"),
	}
	for name, text := range textDocuments {
		doc, err := expand(text, vars)
		if err != nil {
			t.Fatalf("document %s: %v", name, err)
		}
		docs[name] = []byte(doc)
	}
	t.Cleanup(func() {
		for name := range docs {
			os.Remove(filepath.Join(dir, name))
		}
		os.Remove(dir)
	})
	for name, b := range docs {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]string{"DOCS": dir}
	for k, v := range vars {
		out[k] = v
	}
	return out
}

// textDocuments carry values a command line cannot (a NUL) through a
// file; $VARIABLEs in them are expanded.
var textDocuments = map[string]string{
	"nul-path.yaml": "services:\n  - name: $SVC\n    binaryPathName: \"C:\\\\x\\0.exe\"\n",
	"nul-new.yaml":  "services:\n  - name: $NEW\n    binaryPathName: \"C:\\\\x\\0.exe\"\n",
}

// aliasBomb is a document whose anchor 1 is a list of width texts and each
// next anchor a list of width aliases of the one before.
func aliasBomb(levels, width int) []byte {
	var b bytes.Buffer
	for i := 1; i <= levels; i++ {
		item := "lol"
		if i > 1 {
			item = fmt.Sprintf("*a%d", i-1)
		}
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(item+",", width), ","))
	}
	return b.Bytes()
}
