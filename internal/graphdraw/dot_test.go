package graphdraw

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// Graphviz itself reads every drawing: dot -Tsvg must exit 0 without a
// warning, and the SVG's text must show each label line as it is (a
// quote, a backslash, \N, HTML and non-ASCII text included), which only a
// correctly escaped label does. scripts/test.sh installs Graphviz; where
// dot is missing the test says so and skips.
func TestDOTWithGraphviz(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skipf("Graphviz's dot is not installed (%v): %s, to check the DOT output with it", err, installDot())
	}
	for name, g := range graphs {
		var svg, stderr bytes.Buffer
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(draw(t, "dot", g())), &svg, &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("%s: dot -Tsvg: %v\n%s", name, err, stderr.String())
			continue
		}
		texts, err := svgTexts(&svg)
		if err != nil {
			t.Errorf("%s: the SVG does not parse: %v", name, err)
			continue
		}
		for _, n := range g().Nodes {
			for _, line := range labelLines(n) {
				if want := strings.Join(strings.Fields(cleanControls(line)), " "); !texts[want] {
					t.Errorf("%s: no text %q in the SVG (%d texts)", name, want, len(texts))
				}
			}
		}
	}
}

// svgTexts returns the content of every <text> element of an SVG, its
// runs of spaces made one (Graphviz writes each as one space or &#160;).
func svgTexts(r io.Reader) (map[string]bool, error) {
	d := xml.NewDecoder(r)
	d.Strict = false // the DOCTYPE names an external DTD
	texts := map[string]bool{}
	var cur *strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return texts, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Local == "text" {
				cur = &strings.Builder{}
			}
		case xml.CharData:
			if cur != nil {
				cur.Write(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "text" && cur != nil {
				texts[strings.Join(strings.Fields(strings.ReplaceAll(cur.String(), "\u00a0", " ")), " ")] = true
				cur = nil
			}
		}
	}
}

// installDot says how to get Graphviz's dot where the tests run.
func installDot() string {
	if runtime.GOOS == "windows" {
		return "install Graphviz for Windows (https://graphviz.org/download/; under Wine, the native run checks this with Debian's graphviz)"
	}
	return "install the graphviz package (scripts/test.sh does)"
}
