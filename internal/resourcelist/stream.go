package resourcelist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// A plain YAML stream (what Helm post-renderers and kubectl pipes carry) is read
// as its documents: each a text of its own between `---` lines, parsed only when
// needed, and written back from its own bytes unless it changed. A stream whose
// markers carry content (`--- !tag`, `--- {a: 1}`) or that ends documents with
// `...` is parsed whole, document by document, and written back re-encoded.

// ReadStream reads a plain YAML stream.
func ReadStream(r io.Reader) (*ResourceList, error) {
	input, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("cannot read the input: %v", err)
	}
	return readStream(yamllex.CRLF(input))
}

// readStream reads a stream's documents. An empty input is an empty stream: Helm
// hands a post-renderer nothing when a chart renders nothing, and that is no error.
func readStream(input []byte) (*ResourceList, error) {
	if len(bytes.Trim(input, " \r\n")) == 0 { // blank lines only: a tab or a \v alone is no YAML
		return &ResourceList{stream: true, tail: lineFeeds(input)}, nil
	}
	if rl, ok := splitStream(input); ok {
		return rl, nil
	}
	return parseStream(input)
}

// splitStream cuts a stream at its document markers. false: it must be parsed whole.
func splitStream(input []byte) (*ResourceList, bool) {
	if yamllex.HiddenMarker(input) {
		return nil, false // a line break a line reader cannot see starts a marker or directive
	}
	d := &docSplitter{input: input, rl: &ResourceList{stream: true, Size: int64(len(input))}}
	directives := false // the document being read starts with directives (%YAML, %TAG)
	for pos := 0; pos < len(input); {
		next := bytes.IndexByte(input[pos:], '\n')
		if next < 0 {
			next = len(input)
		} else {
			next += pos + 1
		}
		line := bytes.TrimRight(input[pos:next], "\n")
		switch {
		case yamllex.Directive(line) && !directives:
			// Directives belong to the document their `---` starts, and are read
			// (a %TAG names the tags it uses) and written with it.
			d.end(pos)
			d.start, directives = pos, true
		case yamllex.Directive(line):
		case yamllex.IsMarker(line) && yamllex.EndsDocumentMarker(line):
			// A document end marker is the end of its document's text.
			d.end(next)
			d.start, directives = next, false
		case yamllex.IsMarker(line) && yamllex.HasContent(line[3:]):
			return nil, false
		case yamllex.IsMarker(line) && directives:
			directives = false // the directives' own `---`: the document goes on
		case yamllex.IsMarker(line):
			d.end(pos)
			d.before = input[pos-len(d.before) : next]
			d.start = next
		}
		pos = next
	}
	d.end(len(input))
	if d.unread {
		return nil, false
	}
	d.rl.tail = d.before
	return d.rl, true
}

// docSplitter collects a stream's documents as splitStream finds their ends.
type docSplitter struct {
	input  []byte
	rl     *ResourceList
	before []byte // markers and empty documents before the current document
	start  int    // where the current document's text starts
	unread bool   // a comment-only document YAML may refuse: parse the stream whole
}

// end closes the document that runs to at: an empty one joins what comes
// before the next, JSON objects one after the other are documents each.
func (d *docSplitter) end(at int) {
	text := d.input[d.start:at]
	if yamllex.OnlyComments(text) || yamllex.EmptyWithDirectives(text) {
		// Never parsed otherwise: a control character in a comment is still not YAML.
		var n yaml.Node
		d.unread = d.unread || yaml.Unmarshal(text, &n) != nil
		d.before = d.input[at-len(d.before)-len(text) : at]
		return
	}
	rl := d.rl
	values := jsonValues(text)
	if len(values) > 1 {
		// JSON objects one after the other (`jq -c`, two `kubectl get -o json`
		// outputs joined): each is a document of its own, written back without a
		// `---` between them.
		for k, v := range values {
			it := &Item{Index: len(rl.Items), raw: v, stream: true, jsonText: true, jsonSeq: k > 0}
			if k == 0 {
				it.sep = d.before
			}
			rl.Items = append(rl.Items, it)
		}
		rl.jsonDocs += len(values)
		d.before = nil
		return
	}
	rl.Items = append(rl.Items, &Item{Index: len(rl.Items), raw: text, sep: d.before, stream: true, jsonText: len(values) == 1})
	if t := bytes.TrimLeft(text, " \t\n"); len(t) > 0 && t[0] == '{' {
		rl.jsonDocs++
	}
	d.before = nil
}

// jsonValues cuts a text holding JSON objects one after the other into their
// texts, each with the white space after it: one for a single object, nil for
// anything that is not JSON objects (or not UTF-8, which encoding/json would take
// for U+FFFD where YAML and kubectl refuse it). The one test of JSON a stream
// document gets.
func jsonValues(text []byte) [][]byte {
	t := bytes.TrimLeft(text, " \t\n")
	if len(t) == 0 || t[0] != '{' || !utf8.Valid(t) {
		return nil
	}
	if json.Valid(t) {
		return [][]byte{text}
	}
	start := len(text) - len(t)
	dec := json.NewDecoder(bytes.NewReader(t))
	var cuts []int
	for {
		var v json.RawMessage
		if err := dec.Decode(&v); err == io.EOF {
			break
		} else if err != nil || len(v) == 0 || v[0] != '{' {
			return nil
		}
		cuts = append(cuts, start+int(dec.InputOffset()))
	}
	if len(cuts) < 2 {
		return nil
	}
	out := make([][]byte, len(cuts))
	from := 0
	for k, c := range cuts {
		// Each value takes the white space after it, up to the next value.
		end := len(text)
		if k+1 < len(cuts) {
			end = c + len(text[c:]) - len(bytes.TrimLeft(text[c:], " \t\n"))
		}
		out[k], from = text[from:end], end
	}
	return out
}

// parseStream reads any stream document by document, as YAML defines it.
func parseStream(input []byte) (*ResourceList, error) {
	rl := &ResourceList{stream: true, Size: int64(len(input)), wholeStream: true}
	dec := yaml.NewDecoder(bytes.NewReader(input))
	var before []byte // the comments of empty documents, kept for the next one
	for i := 1; ; i++ {
		doc := &yaml.Node{}
		if err := dec.Decode(doc); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("document %d of the input is not valid YAML: %v", i, err)
		}
		if len(doc.Content) == 0 || isEmpty(doc.Content[0]) {
			c := ynode.JoinComments(doc.HeadComment, doc.LineComment, doc.FootComment)
			if len(doc.Content) > 0 {
				n := doc.Content[0]
				c = ynode.JoinComments(c, n.HeadComment, n.LineComment, n.FootComment)
			}
			if c != "" {
				before = append(before, "---\n"+c+"\n"...)
			}
			continue
		}
		if !ynode.IsMap(doc.Content[0]) {
			return nil, fmt.Errorf("document %d of the input is not an object (a mapping with apiVersion, kind and metadata)", i)
		}
		rl.Items = append(rl.Items, &Item{Index: len(rl.Items), node: ynode.Resolve(doc.Content[0]), doc: doc, sep: before, stream: true})
		before = nil
	}
	rl.tail = before
	if len(rl.Items) == 0 {
		if !yamllex.NoContent(lineFeeds(input)) {
			return nil, fmt.Errorf("the input holds no objects, only empty documents; expected a ResourceList, or a stream of objects")
		}
		// Only comments and markers (a chart that renders none of its objects),
		// as a split stream has them: go-yaml reads none of them, so they are
		// written back as they came, every line break made a line feed.
		rl.tail = lineFeeds(input)
	}
	return rl, nil
}

// lineFeeds makes every line break YAML knows a line feed: crlf's, and NEL, LS, PS.
func lineFeeds(b []byte) []byte {
	b = yamllex.CRLF(b)
	for _, br := range []string{"\u0085", "\u2028", "\u2029"} {
		b = bytes.ReplaceAll(b, []byte(br), []byte("\n"))
	}
	return b
}

// isEmpty: a document with nothing but comments, which go-yaml reads as a null.
func isEmpty(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == "" && n.Style == 0 && n.Anchor == ""
}
