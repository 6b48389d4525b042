package desired

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/winsvc/winsvc/internal/limits"
	"github.com/winsvc/winsvc/internal/strictjson"
	"github.com/winsvc/winsvc/internal/valerr"
)

// A document is read within the limits of internal/limits, checked in
// three steps, each before the work it protects:
//
//   - its size, before it is parsed;
//   - an upper estimate of its values (structureCount), before YAML's
//     parser makes a node of each: that parser's memory grows with the
//     nodes, about 200 bytes each, and a 16 MiB document of "[0,0,0,...]"
//     would make 8 million;
//   - its tree, walked as the rest of Parse reads it (checkTree): every
//     alias followed to the value it repeats and counted again each time,
//     up to 100 times the values the document writes out (aliasRatio) and
//     limits.Values in all, an alias inside the value it repeats refused,
//     the nesting and each text bounded. go.yaml.in/yaml/v3 bounds aliases itself only when it
//     decodes into Go values (its decoder counts the values an alias
//     expands to and fails past a ratio): decoding into a yaml.Node, as
//     Parse does to know each value's line, keeps the alias as a node, and
//     its expansion is Parse's to bound. A "billion laughs" document of a
//     few hundred bytes would otherwise expand to billions of values.

// structureCount is an upper estimate of how many values YAML's parser
// makes of data, read without parsing it: each value but the first comes
// after one of YAML's structure characters ("- ", ": ", ",", "[", "{",
// "? ") or is an alias or an anchor ("*", "&"), and a mapping's key and
// value share one ": ". Those characters are counted wherever they are,
// in texts and comments too, so that real documents, made of long texts,
// count fewer than they hold characters, and a document made of little
// else but structure counts about one per value.
func structureCount(data []byte) int {
	n := 1
	for i, c := range data {
		switch c {
		case ',', '[', '{', '*', '&':
			n++
		case '-', ':', '?':
			if i+1 == len(data) || isSpace(data[i+1]) || c == ':' && i > 0 && (data[i-1] == '"' || data[i-1] == '\'') {
				n += 2 // a key and a value, or a list and its element
			}
		}
	}
	return n
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// aliasRatio bounds the values of a document with its aliases repeated:
// at most this many times the values it writes out. A real document
// repeats a list of dependencies or failure actions with an alias; a
// "billion laughs" repeats its values millions of times.
const aliasRatio = 100

// treeWalk is checkTree's state.
type treeWalk struct {
	file      string
	root      *yaml.Node
	values    int                 // the values walked so far, those aliases repeat included
	max       int                 // the values allowed
	written   int                 // the values the document writes out
	expanding map[*yaml.Node]bool // the anchors whose values are being walked through an alias
	path      []string            // the keys and indices ("[1]") down to the value being walked
	viaLen    int                 // len(path) at the outermost alias being followed
}

// checkTree walks root as Parse reads it, following aliases, and returns
// an *Error at the first limit reached: more values than limits.Values or
// than aliasRatio times those written out, values nested deeper than
// limits.Depth, a text longer than limits.String, or an alias inside the
// value it repeats.
func checkTree(file string, root *yaml.Node) error {
	written := countNodes(root)
	w := &treeWalk{file: file, root: root, written: written, max: min(limits.Values, aliasRatio*written),
		expanding: map[*yaml.Node]bool{}}
	return w.walk(root, 0, nil)
}

// countNodes counts the nodes of the tree of n, aliases as one each.
func countNodes(n *yaml.Node) int {
	c := 1
	for _, child := range n.Content {
		c += countNodes(child)
	}
	return c
}

// walk checks n at depth; via is the outermost alias on the way to n (nil
// when there is none), whose place an error names: that is where the
// document asked for the value.
func (w *treeWalk) walk(n *yaml.Node, depth int, via *yaml.Node) error {
	at, atLen := n, len(w.path)
	if via != nil {
		at, atLen = via, w.viaLen
	}
	w.values++
	switch {
	case w.values > w.max && w.max == limits.Values:
		return w.errorAt(at, atLen, limits.Beyond("with what its aliases repeat, the document holds more than", strconv.Itoa(limits.Values)+" values"))
	case w.values > w.max:
		return w.errorAt(at, atLen, limits.Beyond("its aliases repeat values beyond", fmt.Sprintf("%d times the %d values the document writes out", aliasRatio, w.written)))
	case depth > limits.Depth:
		return w.errorAt(at, atLen, limits.Beyond("values nest deeper than", strconv.Itoa(limits.Depth)+" levels"))
	case len(n.Value) > limits.String:
		return w.errorAt(at, atLen, limits.Beyond(fmt.Sprintf("a text of %d bytes is longer than", len(n.Value)), limits.Size(limits.String)))
	}
	if n.Kind == yaml.AliasNode {
		target := n.Alias
		if w.expanding[target] {
			return w.errorAt(at, atLen, fmt.Errorf("the alias *%s is inside the value it repeats, which would never end", valerr.Shorten(n.Value)))
		}
		if via == nil {
			via, w.viaLen = n, len(w.path)
		}
		w.expanding[target] = true
		defer delete(w.expanding, target)
		return w.walk(target, depth, via)
	}
	for i, c := range n.Content {
		if n.Kind == yaml.DocumentNode {
			return w.walk(c, depth, via)
		}
		seg := "[" + strconv.Itoa(i) + "]"
		if n.Kind == yaml.MappingNode {
			seg = n.Content[i-i%2].Value // a key, and its value
		}
		w.path = append(w.path, seg)
		err := w.walk(c, depth+1, via)
		w.path = w.path[:len(w.path)-1]
		if err != nil {
			return err
		}
	}
	return nil
}

// errorAt returns err as an *Error at n, naming the service and the
// field: the first pathLen keys and indices of the path walked.
func (w *treeWalk) errorAt(n *yaml.Node, pathLen int, err error) error {
	e := &Error{File: w.file, Line: n.Line, Column: n.Column, Err: err}
	path := w.path[:pathLen]
	if len(path) >= 2 && path[0] == keyServices && strings.HasPrefix(path[1], "[") {
		e.Service = w.serviceName(path[1])
		path = path[2:]
	}
	for _, seg := range path {
		e.Field = strictjson.Join(e.Field, seg)
	}
	return e
}

// serviceName is the name of the entry at index ("[3]") of the document's
// services list, or "".
func (w *treeWalk) serviceName(index string) string {
	i, _ := strconv.Atoi(strings.Trim(index, "[]"))
	top := w.root
	if top.Kind == yaml.DocumentNode && len(top.Content) > 0 {
		top = deref(top.Content[0])
	}
	for k := 0; k+1 < len(top.Content); k += 2 {
		if list := deref(top.Content[k+1]); top.Content[k].Value == keyServices && list.Kind == yaml.SequenceNode && i < len(list.Content) {
			entry := deref(list.Content[i])
			for j := 0; j+1 < len(entry.Content); j += 2 {
				if entry.Content[j].Value == keyName {
					return deref(entry.Content[j+1]).Value
				}
			}
		}
	}
	return ""
}
