package resourcelist

import (
	"bytes"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
)

// streamWriter writes a plain stream of documents (a Helm render, a kubectl
// pipe): each document after its own separator, new objects at the end, and
// nothing at all if the run fails. A document with no text of its own (the
// stream was read whole) is encoded.
type streamWriter struct {
	rl  *ResourceList
	out *sink
	// held is the output until the run is known to succeed.
	held    bytes.Buffer
	written bool // a document was written
	ended   bool // what was written last ends with a document end marker
	// carried are the comment-only documents before a dropped document, written
	// before the next document that is written (a Helm chart's NOTES-like
	// templates stay where they were).
	carried []byte
}

func newStreamWriter(rl *ResourceList, s *sink) *streamWriter {
	sw := &streamWriter{rl: rl, out: s}
	s.out = &sw.held
	return sw
}

func (sw *streamWriter) kept(it *Item) ([]byte, bool, error) {
	if it.raw == nil && it.block == nil {
		return nil, false, nil
	}
	return keptText(it)
}

// whole encodes an edited document, with its document node's comments.
func (sw *streamWriter) whole(it *Item, _, node *yaml.Node) ([]byte, error) {
	doc := it.doc
	if doc == nil || len(doc.Content) == 0 || doc.Content[0] != node {
		doc = &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{node}}
	}
	return encode(doc, sw.rl.goYAMLOnly)
}

func (sw *streamWriter) put(i int, entry []byte, s itemState) {
	switch {
	case entry != nil:
		sw.separate(i, entry)
		sw.entry(entry)
	case s == dropped:
		sw.carried = append(sw.carried, leadingDocuments(sw.rl.Items[i].sep)...)
	}
}

// separate writes what comes before a document: its own `---` line as it
// came, or one where a document before it was left out or re-encoded.
func (sw *streamWriter) separate(i int, entry []byte) {
	sep := sw.rl.Items[i].sep
	if len(sw.carried) > 0 {
		sw.out.write(sw.carried)
		sw.carried, sw.written = nil, true
	}
	switch {
	case !sw.written, sw.rl.Items[i].jsonSeq:
	case yamllex.Directive(entry):
		// A document with directives carries its own `---`; directives may follow
		// only a document end marker.
		if !sw.ended {
			sep = append([]byte("...\n"), sep...)
		}
	case !yamllex.HoldsDocumentStart(sep) && !yamllex.StartsDocument(entry):
		sep = append([]byte("---\n"), sep...)
	}
	sw.out.write(sep)
	sw.written = true
}

// put's write of an entry, remembering whether it ended its document.
func (sw *streamWriter) entry(b []byte) {
	sw.out.write(b)
	sw.ended = yamllex.EndsDocument(b)
}

// addedLayout is how new objects are written: as JSON, one after the other, in
// a stream of JSON documents (kubectl get -o json; as kubectl and jq read a JSON
// stream), in the layout of its first JSON document; nil: as YAML documents.
func (sw *streamWriter) addedLayout() *jsonDoc {
	if sw.rl.jsonDocs == 0 || sw.rl.jsonDocs != len(sw.rl.Items) {
		return nil
	}
	for _, it := range sw.rl.Items {
		if it.json != nil {
			layout := *it.json
			layout.tokens, layout.flat, layout.trailing = nil, nil, []byte("\n")
			return &layout
		}
	}
	return &jsonDoc{indent: "    ", colon: ": ", comma: ",", trailing: []byte("\n")}
}

func (sw *streamWriter) finish(added []*yaml.Node, _ []*krm.Result, failed bool) error {
	asJSON := sw.addedLayout()
	for _, n := range added {
		var b []byte
		var err error
		if asJSON != nil {
			b, err = asJSON.encode(n)
		} else {
			b, err = encode(n, sw.rl.goYAMLOnly)
		}
		if err != nil {
			return err
		}
		if sw.written && asJSON == nil {
			sw.out.write([]byte("---\n"))
		}
		sw.out.write(b)
		sw.written = true
	}
	if len(sw.carried) > 0 {
		sw.out.write(sw.carried)
		if len(sw.rl.tail) > 0 && !yamllex.StartsDocument(sw.rl.tail) {
			sw.out.write([]byte("---\n"))
		}
	}
	sw.out.write(sw.rl.tail)
	if failed || sw.out.err != nil {
		return sw.out.err
	}
	if _, err := sw.out.w.Write(sw.held.Bytes()); err != nil {
		return err
	}
	return sw.out.flush()
}

// leadingDocuments is the part of a stream document's separator before its own
// `---` line: the comment-only documents before it, when there are any.
func leadingDocuments(sep []byte) []byte {
	last := -1
	for rest := sep; len(rest) > 0; {
		at := len(sep) - len(rest)
		var line []byte
		if line, rest = yamllex.NextLine(rest); yamllex.IsMarker(line) {
			last = at
		}
	}
	if last <= 0 || !yamllex.HoldsComment(sep[:last]) {
		return nil
	}
	return sep[:last]
}
