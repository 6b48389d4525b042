package badinput

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Documents writes the invalid desired-state documents the cases of
// cli.txt name as $DOCS/NAME into dir, and returns the suite's variables
// with DOCS set to dir. They are made by the test, never committed (one
// is 50 MB):
//
//	bomb.yaml    a "billion laughs": 9 anchors of 9 aliases each, a few
//	             hundred bytes that stand for 9^9 texts
//	huge.yaml    a service whose startType is 50 MB long
//	deep.yaml    a description nested 5,000 lists deep
//	errors.yaml  a service with three bad settings: startType, errorControl
//	             and dependencies
func Documents(dir string, vars map[string]string) (map[string]string, error) {
	docs := map[string][]byte{
		"bomb.yaml":   aliasBomb(9, 9),
		"huge.yaml":   []byte("services:\n  - name: Huge\n    startType: " + strings.Repeat("x", 50_000_000) + "\n"),
		"deep.yaml":   []byte("services:\n  - name: Deep\n    description: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"),
		"errors.yaml": []byte("services:\n  - name: Errors\n    startType: sometimes\n    errorControl: 5\n    dependencies: Tcpip\n"),
	}
	for name, b := range docs {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			return nil, err
		}
	}
	out := map[string]string{"DOCS": dir}
	for k, v := range vars {
		out[k] = v
	}
	return out, nil
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
