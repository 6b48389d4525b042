package desired_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
)

// FuzzParse: whatever the document, Parse returns without a panic, within
// a memory bound proportional to the document (so that no alias, nesting
// or value makes it use much more than the input: the checks of
// bounds.go), with errors whose lines are short and that match ErrInvalid;
// a document it reads writes as JSON that reads back to the same.
func FuzzParse(f *testing.F) {
	full, err := os.ReadFile("testdata/full.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	f.Add([]byte(aliasBomb(4, 4, false)))
	f.Add([]byte(aliasBomb(3, 5, true)))
	f.Add([]byte("a: &a [x, *a]\n"))
	f.Add([]byte("services:\n  - &s {name: A, description: [*s]}\n"))
	f.Add([]byte("services:\n  - name: A\n    description: [[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]\n"))
	f.Add([]byte(`{"services": [{"name": "A", "startType": 5, "dependencies": "x", "failureActions": {"actions": [{"delay": "x"}]}}]}`))
	f.Add([]byte("services:\n  - name: A\n    password: {env: X}\n    state: running\n    timeout: 1m\n"))
	f.Add([]byte("services:\n  - name: A\n    program:\n      path: C:\\a.exe\n      args: [a, '']\n      environment: [API_TOKEN, 'PORT=80']\n      rotate: {bytes: 1048576, age: 86400000, keep: 3}\n      restart: {when: always, successCodes: [0, 3], delay: 1000}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc *desired.Document
		var err error
		bytes := allocated(func() { doc, err = desired.Parse("f.yaml", data) })
		if limit := uint64(16<<20 + 100<<10*len(data)); bytes > limit {
			t.Fatalf("Parse of %d bytes allocated %d bytes (limit %d)", len(data), bytes, limit)
		}
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if len(line) > maxErrorLine {
					t.Fatalf("an error line of %d bytes: %.300s", len(line), line)
				}
			}
			var de *desired.Error
			if !errors.As(err, &de) && !strings.Contains(err.Error(), "more errors") || !errors.Is(err, winsvc.ErrInvalid) {
				t.Fatalf("%T %v: not a document error matching ErrInvalid", err, err)
			}
			return
		}
		js, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("%s: does not write as JSON: %v", data, err)
		}
		back, err := desired.Parse("f.json", js)
		if err != nil {
			t.Fatalf("%s writes as %s, which does not read: %v", data, js, err)
		}
		if again, _ := json.Marshal(back); string(again) != string(js) {
			t.Fatalf("%s writes as %s, which reads back as %s", data, js, again)
		}
	})
}
