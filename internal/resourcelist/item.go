package resourcelist

import (
	"bytes"
	"fmt"
	"io"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/fastyaml"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// Item is one object of the input: its text until it is parsed (split input), or
// its node in the whole document.
type Item struct {
	Index int
	// raw is the item's text: the `- ` entry of a ResourceList (it parses as a list of
	// one object), or one document of a stream.
	raw  []byte
	node *yaml.Node
	// block, when set, holds the item's text (at off, size bytes) deflated with
	// its neighbours': a large input's later items.
	block     *block
	off, size int
	released  bool
	// entry is true when raw is a list entry, false for a stream document.
	entry bool
	// goYAMLOnly: parsed by go-yaml alone, never fastyaml (Options.GoYAMLOnly).
	goYAMLOnly bool
	// head caches apiVersion and kind read from the text.
	apiVersion, kind string
	headRead         bool
	// outer are comments the text holds that YAML attaches to the list or document
	// around the item when it is parsed alone: written after it if it changes.
	outer string
	// stream: the item is a document of a plain stream.
	stream bool
	// A stream's document: sep is the text before it (its `---` line, empty
	// documents), doc its document node once parsed (a changed document is
	// spliced into its own text like any item; see splice.go).
	sep []byte
	doc *yaml.Node
	// jsonText: the stream's splitter found the document to be one JSON object,
	// read as JSON; json, once it is read, writes it back as JSON in its layout.
	jsonText bool
	json     *jsonDoc
	// jsonSeq: the document follows another JSON object without a `---` between.
	jsonSeq bool
}

// Label names the item in messages: items[i] of a ResourceList, document i+1 of a stream.
func (it *Item) Label() string {
	if !it.stream {
		return fmt.Sprintf("items[%d]", it.Index)
	}
	return fmt.Sprintf("document %d of the input", it.Index+1)
}

// Head is the item's apiVersion and kind, read without parsing it when the text allows.
func (it *Item) Head() (apiVersion, kind string) {
	if it.node != nil {
		return ynode.Str(it.node, "apiVersion"), ynode.Str(it.node, "kind")
	}
	if !it.headRead && it.block == nil {
		it.apiVersion, it.kind, it.headRead = scanHead(it.raw, it.entry)
	}
	if !it.headRead {
		if n, err := it.Parse(); err == nil {
			return ynode.Str(n, "apiVersion"), ynode.Str(n, "kind")
		}
	}
	return it.apiVersion, it.kind
}

// Parse returns the item's tree, parsing its text if needed. The tree is not kept:
// call Keep for that. An edit to the returned tree is written out only if the item
// is handed to the writer as changed.
func (it *Item) Parse() (*yaml.Node, error) {
	if it.node != nil {
		return it.node, nil
	}
	text, err := it.text()
	if err != nil {
		return nil, err
	}
	var doc *yaml.Node
	if it.jsonText {
		// JSON as JSON reads it: YAML refuses escapes JSON allows (a surrogate pair).
		if doc, it.json, err = parseJSON(text); err != nil {
			return nil, fmt.Errorf("%s is not valid JSON: %v", it.Label(), err)
		}
	} else if doc, err = parseDocument(text, it.goYAMLOnly, nil); err != nil {
		return nil, fmt.Errorf("%s is not valid YAML: %v", it.Label(), err)
	}
	if !it.entry {
		it.doc = doc
	}
	n, outer, err := objectOf(doc, it.entry)
	if err != nil {
		return nil, fmt.Errorf("%s is not an object (a mapping with apiVersion, kind and metadata)", it.Label())
	}
	// Parsed alone, the item's text may leave a comment on the document or the list
	// around it (one at the item's end, indented less than its keys): the item keeps
	// it aside, so an edited item written back loses no comment.
	it.outer = ""
	for _, o := range outer {
		if o == doc && !it.entry {
			continue // a document's own comments are written with it
		}
		it.outer = ynode.JoinComments(it.outer, o.HeadComment, o.LineComment, o.FootComment)
	}
	return n, nil
}

// parseDocument is the one parse of an item's text, for reading it and for the
// read-back proof of an edit: the fast parser where it reads the text as go-yaml
// would (kpt's and kustomize's layout), go-yaml for the rest, which also says
// what is wrong with what is not YAML. b lends the fast parser its memory (nil:
// its own).
func parseDocument(text []byte, goYAMLOnly bool, b *fastyaml.Buffers) (*yaml.Node, error) {
	if !goYAMLOnly {
		if doc, ok := fastyaml.ParseReusing(text, b); ok {
			return doc, nil
		}
	}
	doc := &yaml.Node{}
	// A decoder, not Unmarshal: Unmarshal reads the first node and ignores what
	// follows it (`{a: 1} 0`), which kubectl refuses.
	dec := yaml.NewDecoder(bytes.NewReader(text))
	if err := dec.Decode(doc); err != nil && err != io.EOF {
		return nil, err
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("more than one document")
	}
	return doc, nil
}

// objectOf is the object a parsed item holds: the document's mapping, or for a
// list entry (a ResourceList item read alone) the entry's; outer are the nodes
// around it, whose comments the item keeps.
func objectOf(doc *yaml.Node, entry bool) (*yaml.Node, []*yaml.Node, error) {
	outer := []*yaml.Node{doc}
	n := doc
	if len(n.Content) > 0 {
		n = n.Content[0]
	}
	if entry {
		if !ynode.IsSeq(n) || len(n.Content) != 1 {
			return nil, nil, fmt.Errorf("not one list entry")
		}
		outer = append(outer, n)
		n = n.Content[0]
	}
	if !ynode.IsMap(n) {
		return nil, nil, fmt.Errorf("not an object")
	}
	return n, outer, nil
}

// Hold parses the item and holds on to its tree, for items that change after being
// read (the writer's Keep, by contrast, writes an item as it came).
func (it *Item) Hold() (*yaml.Node, error) {
	n, err := it.Parse()
	if err == nil {
		it.node = n
	}
	return n, err
}

// text is the item's own text, unpacked.
// MayAlias says whether the item's own text may hold a YAML alias (an item of
// a whole-document ResourceList is indexed with its document instead): a '*'
// anywhere, which most items lack.
func (it *Item) MayAlias() bool {
	if it.node != nil && it.raw == nil && it.block == nil {
		return false
	}
	text, err := it.text()
	return err == nil && bytes.IndexByte(text, '*') >= 0
}

func (it *Item) text() ([]byte, error) {
	if it.block == nil {
		return it.raw, nil
	}
	b, err := it.block.text()
	if err != nil {
		return nil, err
	}
	return b[it.off : it.off+it.size : it.off+it.size], nil
}

// release lets a packed item's block go once all of its items are written.
func (it *Item) release() {
	if it.block != nil && !it.released {
		it.released = true
		it.block.release()
	}
}

// written drops what the item held once the writer has its output: its text,
// trees and share of the input block.
func (it *Item) written() {
	it.release()
	it.raw, it.node, it.doc = nil, nil, nil
}
