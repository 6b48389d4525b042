package desired_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/winsvc/winsvc"
	"github.com/winsvc/winsvc/desired"
)

// aliasBomb is a "billion laughs" document: anchor 1 is a list of width
// texts, and each next anchor a list of width aliases of the one before,
// so that the last stands for width^levels texts. inService puts the
// anchors in a service's description rather than at the top.
func aliasBomb(levels, width int, inService bool) string {
	var b strings.Builder
	indent := ""
	if inService {
		b.WriteString("services:\n  - name: A\n    description:\n")
		indent = "      - "
	}
	for i := 1; i <= levels; i++ {
		item := "lol"
		if i > 1 {
			item = fmt.Sprintf("*a%d", i-1)
		}
		if !inService {
			fmt.Fprintf(&b, "a%d: ", i)
		}
		fmt.Fprintf(&b, "%s&a%d [%s]\n", indent, i, strings.TrimSuffix(strings.Repeat(item+",", width), ","))
	}
	return b.String()
}

// allocated returns the bytes f allocates (and the rest of the process
// meanwhile: run it alone).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A "billion laughs" of a few hundred bytes (9^9 texts once expanded) is
// refused, naming the limit and where it was reached, having allocated
// little: aliases may repeat up to 100 times the values a document writes
// out. A smaller one (9^6 texts), which an unbounded walk expands in full
// (hundreds of MB), is refused as cheaply.
func TestAliasBombIsRefused(t *testing.T) {
	for _, c := range []struct {
		levels    int
		inService bool
	}{{9, false}, {9, true}, {6, true}} {
		src := []byte(aliasBomb(c.levels, 9, c.inService))
		var err error
		bytes := allocated(func() { _, err = desired.Parse("bomb.yaml", src) })
		name := fmt.Sprintf("%d levels (%d bytes, in a service %v)", c.levels, len(src), c.inService)
		if bytes > 16<<20 {
			t.Errorf("%s: Parse allocated %d MB", name, bytes>>20)
		}
		var de *desired.Error
		if !errors.As(err, &de) || !errors.Is(err, winsvc.ErrInvalid) || de.Line == 0 ||
			!strings.Contains(err.Error(), "its aliases repeat values beyond 100 times the") || len(err.Error()) > 300 {
			t.Errorf("%s: %v; want an error at a line naming the limit", name, err)
		}
	}
}

// An alias inside the value it repeats would never end: it is refused,
// at the alias.
func TestAliasCycleIsRefused(t *testing.T) {
	for src, want := range map[string]string{
		"a: &a [x, *a]\n": "cycle.yaml:1:11: a[1]: the alias *a is inside the value it repeats",
		"services:\n  - &s {name: A, description: [*s]}\n": `cycle.yaml:2:32: service "A": description[0]: the alias *s is inside the value it repeats`,
	} {
		_, err := desired.Parse("cycle.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, winsvc.ErrInvalid) {
			t.Errorf("%q: %v; want %q", src, err, want)
		}
	}
}

// Aliases within the limits read as the values they repeat.
func TestAliasesWithinTheLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("services:\n  - name: S0\n    dependencies: &deps [A, B, C]\n    failureActions: &fa {resetPeriod: 60, actions: [{type: restart, delay: 1000}]}\n")
	for i := 1; i < 1000; i++ {
		fmt.Fprintf(&b, "  - name: S%d\n    dependencies: *deps\n    failureActions: *fa\n", i)
	}
	doc, err := desired.Parse("a.yaml", []byte(b.String()))
	if err != nil || len(doc.Services) != 1000 || len(doc.Services[999].Definition.Dependencies) != 3 {
		t.Fatalf("%v", err)
	}
}

// Values nested deeper than 64 levels are refused where the limit is
// reached, in YAML and in JSON, with a short error; YAML's own limit
// (10,000 levels) is far beyond.
func TestDeepNestingIsRefused(t *testing.T) {
	for name, src := range map[string]string{
		"flow":  "services:\n  - name: A\n    description: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n",
		"block": "services:\n  - name: A\n    description:\n" + blockNest(100),
		"JSON":  `{"services": [{"name": "A", "triggers": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}]}`,
	} {
		_, err := desired.Parse("deep.yaml", []byte(src))
		var de *desired.Error
		if !errors.As(err, &de) || de.Line == 0 || !strings.Contains(err.Error(), "values nest deeper than 64 levels, the limit") || len(err.Error()) > 200 {
			t.Errorf("%s: %.500v", name, err)
		}
	}
}

// blockNest is n lists, each the only element of the one before, in
// YAML's block style.
func blockNest(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s- \n", strings.Repeat("  ", i+3))
	}
	return b.String()
}

// A text longer than 1 MiB is refused at its place, the error short.
func TestLongTextIsRefused(t *testing.T) {
	long := strings.Repeat("x", 2<<20)
	for name, src := range map[string]string{
		"value": "services:\n  - name: A\n    startType: " + long + "\n",
		"key":   "services:\n  - name: A\n    ? " + long + "\n    : 1\n",
		"JSON":  `{"services": [{"name": "A", "description": "` + long + `"}]}`,
	} {
		_, err := desired.Parse("long.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), "a text of 2097152 bytes is longer than 1 MiB, the limit") || len(err.Error()) > 200 {
			t.Errorf("%s: %.300v", name, err)
		}
	}
}

// A document larger than 16 MiB, or listing more than 10,000 services,
// or made of more than 1,000,000 values, is refused; the last before
// YAML's parser makes a node of each value, so cheaply.
func TestDocumentLimits(t *testing.T) {
	many := "services:\n" + strings.Repeat("  - {name: A}\n", 10_001)
	flat := "services: [" + strings.Repeat("0,", 1_000_000) + "0]"
	for name, c := range map[string]struct{ src, want string }{
		"size":     {"services: []\n#" + strings.Repeat("x", 16<<20), "big.yaml: the document is larger than 16 MiB, the limit"},
		"services": {many, "big.yaml:10002:5: the document lists more than 10000 services, the limit"},
		"values":   {flat, "big.yaml: the document holds more than 1000000 values"},
	} {
		var err error
		data := []byte(c.src)
		bytes := allocated(func() { _, err = desired.Parse("big.yaml", data) })
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, winsvc.ErrInvalid) {
			t.Errorf("%s: %v; want %q", name, err, c.want)
		}
		if name == "values" && bytes > 1<<20 {
			t.Errorf("%s: Parse allocated %d MB", name, bytes>>20)
		}
	}
}

// Every problem of a document is reported: three bad settings of one
// service are three errors, each at its place.
func TestParseReportsEveryBadSetting(t *testing.T) {
	_, err := desired.Parse("a.yaml", []byte("services:\n  - name: A\n    startType: sometimes\n    errorControl: 5\n    dependencies: Tcpip\n    description: fine\n"))
	var many interface{ Unwrap() []error }
	if !errors.As(err, &many) || len(many.Unwrap()) != 3 {
		t.Fatalf("%v; want 3 errors", err)
	}
	for i, want := range []string{
		`a.yaml:3:16: service "A": invalid startType "sometimes"; allowed:`,
		`a.yaml:4:19: service "A": invalid errorControl: expected one of the allowed names, got a number (YAML reads 5 as a number: quote it to make it text); allowed: ERROR_IGNORE`,
		`a.yaml:5:19: service "A": invalid dependencies: expected a list of service names (+NAME for a group), got a text`,
	} {
		if got := many.Unwrap()[i].Error(); !strings.HasPrefix(got, want) {
			t.Errorf("error %d: %s\nwant %s…", i, got, want)
		}
	}
}
