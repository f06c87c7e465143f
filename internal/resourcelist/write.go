package resourcelist

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"
	"unicode/utf8"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/fastyaml"
	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// Writer writes the output as its items become ready, in input order, in the
// form the input came in: each form has its own writer (write_kpt.go,
// write_whole.go, write_stream.go; JSON documents are written by jsondoc.go in
// any of them). The Writer is what the forms share: an item is written as it came
// (Keep), spliced or encoded after an edit (Changed), or left out (Drop, Omit);
// a ready item is handed to the form as soon as every item before it is ready, so
// a large package's items need not all be held.
type Writer struct {
	rl   *ResourceList
	form form
	out  *sink
	mu   sync.Mutex
	// entries are ready entries not yet handed to the form, by item index.
	entries [][]byte
	state   []itemState
	next    int // the first item not yet handed to the form
	// omitted items are left out whatever is later written for them: local
	// config that a build's caller drops, as kustomize drops it at its end.
	omitted map[int]bool
}

// form writes the output in the shape of one input form.
type form interface {
	// kept is an item as it came; ok false: it has no text of its own to write,
	// and is written as a changed item is.
	kept(it *Item) (entry []byte, ok bool, err error)
	// whole is an edited item encoded whole, as the form writes an item, where its
	// own text could not take the edit; nil: the form writes it at its end.
	whole(it *Item, before, node *yaml.Node) ([]byte, error)
	// put writes item i in its place, called in input order once every item
	// before it is ready; entry is nil for an item that leaves the output.
	put(i int, entry []byte, s itemState)
	// finish writes the added objects, the rest of the output and the results.
	finish(added []*yaml.Node, results []*krm.Result, failed bool) error
}

type itemState uint8

const (
	pending itemState = iota
	ready
	dropped
)

// NewWriter starts the output for rl on w, in rl's form.
func NewWriter(w io.Writer, rl *ResourceList) *Writer {
	s := &sink{w: bufio.NewWriterSize(w, 256<<10)}
	s.out = s.w
	wr := &Writer{rl: rl, out: s, entries: make([][]byte, len(rl.Items)), state: make([]itemState, len(rl.Items))}
	switch {
	case rl.stream:
		wr.form = newStreamWriter(rl, s)
	case rl.Split():
		wr.form = &kptWriter{rl: rl, out: s}
	default:
		wr.form = newWholeWriter(rl, s)
	}
	return wr
}

// sink is the output the forms write to, and the first error writing it.
type sink struct {
	w *bufio.Writer
	// out is where output goes: w, or for a stream a buffer written only if the
	// run succeeds (a post-renderer's failure must leave nothing to install).
	out io.Writer
	err error
}

func (s *sink) write(b []byte) {
	if s.err == nil && len(b) > 0 {
		_, s.err = s.out.Write(b)
		if b[len(b)-1] != '\n' && s.err == nil {
			// The input's last line may lack its line break; what follows must not join it.
			_, s.err = s.out.Write([]byte{'\n'})
		}
	}
}

// flush writes what is buffered; the first error of the whole output wins.
func (s *sink) flush() error {
	if s.err == nil {
		s.err = s.w.Flush()
	}
	return s.err
}

// Keep writes item i as it came: from its own bytes, never re-encoded.
func (w *Writer) Keep(i int) {
	it := w.rl.Items[i]
	entry, ok, err := w.form.kept(it)
	switch {
	case err != nil:
		w.fail(err)
		w.set(i, nil, dropped)
	case !ok:
		n, err := it.Parse()
		if err == nil {
			if err = w.Changed(i, n); err == nil {
				return
			}
		}
		if entry == nil {
			// Nothing of its own to fall back on: never write nothing in its place.
			w.fail(err)
			w.set(i, nil, dropped)
			return
		}
		w.set(i, entry, ready)
		it.written()
	default:
		w.set(i, entry, ready)
		it.written()
	}
}

// keptText is an item's own text, safe to end with the line break the output
// adds; ok false where that break would change it (the item is encoded).
func keptText(it *Item) ([]byte, bool, error) {
	text, err := it.text()
	if err != nil {
		return nil, false, err
	}
	if ended, ok := endLine(text); ok {
		return ended, true, nil
	}
	return text, false, nil
}

// endLine makes a text safe to end with the line break the writer adds where the
// input's last line has none: as it is where that break changes nothing; where
// it would join the value of the block scalar the text ends in, that scalar gets
// the strip chomping indicator (`|` becomes `|-`). false: neither reads as the
// text did, and the item is encoded instead.
func endLine(raw []byte) ([]byte, bool) {
	if len(raw) == 0 || raw[len(raw)-1] == '\n' {
		return raw, true
	}
	var doc, ended yaml.Node
	if yaml.Unmarshal(raw, &doc) != nil || yaml.Unmarshal(append(bytes.Clone(raw), '\n'), &ended) != nil || readsAs(&ended, &doc) == "" {
		return raw, true // not YAML alone (an alias of another item's anchor), or the break changes nothing
	}
	last := &doc
	for len(last.Content) > 0 {
		last = last.Content[len(last.Content)-1]
	}
	if last.Kind != yaml.ScalarNode || last.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		return nil, false
	}
	li := yamllex.NewLineIndex(raw)
	if last.Line < 1 || last.Line > li.Lines() {
		return nil, false
	}
	at := li.Offset(last.Line)
	// Column counts characters, not bytes.
	for c := 1; c < last.Column && at < len(raw) && raw[at] != '\n'; c++ {
		_, size := utf8.DecodeRune(raw[at:])
		at += size
	}
	if at >= len(raw) || (raw[at] != '|' && raw[at] != '>') {
		return nil, false
	}
	end, indent := yamllex.HeaderIndicators(raw, at+1)
	out := make([]byte, 0, len(raw)+2)
	out = append(out, raw[:at+1]...)
	out = append(out, indent...)
	out = append(out, '-')
	out = append(out, raw[end:]...)
	var back yaml.Node
	if yaml.Unmarshal(append(bytes.Clone(out), '\n'), &back) != nil || readsAs(&back, &doc) != "" {
		return nil, false
	}
	return out, true
}

// fail records an error the writer hit; Finish returns it.
func (w *Writer) fail(err error) {
	w.mu.Lock()
	if w.out.err == nil {
		w.out.err = err
	}
	w.mu.Unlock()
}

// Changed writes item i's edited tree (the one Hold or Parse returned): spliced
// into the item's own text where it can be, encoded whole otherwise. An edit that
// cannot be written without changing other values is an UnsafeEncodingError, and
// nothing is written for the item: the caller keeps it as it came.
func (w *Writer) Changed(i int, node *yaml.Node) error { return w.ChangedFrom(i, nil, node) }

// ChangedFrom is Changed given the item's tree as it was read (before), which
// saves reading its text again; nil: read it.
func (w *Writer) ChangedFrom(i int, before, node *yaml.Node) error {
	it := w.rl.Items[i]
	b, err := w.changed(it, before, node)
	if err != nil {
		return err
	}
	w.set(i, b, ready)
	it.written()
	return nil
}

func (w *Writer) changed(it *Item, before, node *yaml.Node) ([]byte, error) {
	if it.json != nil {
		return changedJSON(it, node)
	}
	if it.raw != nil || it.block != nil {
		if text, err := it.text(); err == nil && len(text) > 0 {
			if b, ok := spliceText(text, before, node, it.entry, w.rl.goYAMLOnly); ok {
				return b, nil
			}
		}
	}
	b, err := w.form.whole(it, before, node)
	if err != nil || b == nil {
		return nil, err
	}
	// Encoded whole: the values at least must read back the same.
	back, err := parseObject(b, it.entry, w.rl.goYAMLOnly)
	if err != nil {
		return nil, &UnsafeEncodingError{Label: it.Label(), Why: err.Error()}
	}
	if why := sameValue(back, node, ""); why != "" {
		return nil, &UnsafeEncodingError{Label: it.Label(), Why: "encoded whole, " + why + " would change"}
	}
	return b, nil
}

// changedJSON writes an edited JSON document as JSON, in its layout; it must
// read back as the edited tree.
func changedJSON(it *Item, node *yaml.Node) ([]byte, error) {
	b, err := it.json.encode(node)
	if err != nil {
		return nil, &UnsafeEncodingError{Label: it.Label(), Why: err.Error()}
	}
	back, _, err := parseJSON(b)
	if err != nil {
		return nil, &UnsafeEncodingError{Label: it.Label(), Why: "written as JSON, it does not read back: " + err.Error()}
	}
	if why := sameValue(back.Content[0], node, ""); why != "" {
		return nil, &UnsafeEncodingError{Label: it.Label(), Why: "written as JSON, " + why + " would change"}
	}
	return b, nil
}

// Drop leaves item i out of the output.
func (w *Writer) Drop(i int) {
	w.rl.Items[i].release()
	w.set(i, nil, dropped)
}

// Omit leaves item i out of the output whatever is written for it later: the
// function still reads it (a local-config NAD or KubeVirt CR of a build), and
// the output has it no more than kustomize's would.
func (w *Writer) Omit(i int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.omitted == nil {
		w.omitted = map[int]bool{}
	}
	w.omitted[i] = true
}

// set records item i's entry and hands every ready item from the first one not
// yet handed over to the form, in order.
func (w *Writer) set(i int, entry []byte, s itemState) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.omitted[i] {
		entry, s = nil, dropped
	}
	w.entries[i], w.state[i] = entry, s
	for w.next < len(w.state) && w.state[w.next] != pending {
		w.form.put(w.next, w.entries[w.next], w.state[w.next])
		w.entries[w.next] = nil
		w.next++
	}
}

// Finish writes the added entries, the rest of the document and the results, and
// flushes. A stream is written only if the run did not fail: its results go to
// stderr, never into the stream.
func (w *Writer) Finish(added []*yaml.Node, results []*krm.Result, failed bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.next < len(w.state) {
		return fmt.Errorf("internal error: item %d was never written", w.next)
	}
	return w.form.finish(added, results, failed)
}

// keepValues restyles what go-yaml's writer would otherwise write as another
// value: an empty null in a flow collection (written ”, a string) becomes
// null, and a folded scalar (whose more-indented lines the writer folds anew)
// becomes a literal one of the same value.
func keepValues(n *yaml.Node, inFlow bool) {
	if n == nil || n.Kind == yaml.AliasNode {
		return
	}
	switch {
	case n.Kind == yaml.ScalarNode && inFlow && n.Value == "" && n.ShortTag() == "!!null" && n.Style == 0:
		n.Value = "null"
	case n.Kind == yaml.ScalarNode && n.Style&yaml.FoldedStyle != 0:
		n.Style = n.Style&^yaml.FoldedStyle | yaml.LiteralStyle
	}
	flow := inFlow || n.Style&yaml.FlowStyle != 0
	for _, c := range n.Content {
		keepValues(c, flow)
	}
}

func seqOf(nodes []*yaml.Node) *yaml.Node {
	s := ynode.NewSeq()
	s.Content = nodes
	return s
}

// EncodeEntry encodes one node as an entry of a list: "- " then the node,
// indented; with goYAMLOnly by go-yaml alone, never fastyaml.
func EncodeEntry(n *yaml.Node, goYAMLOnly bool) ([]byte, error) {
	b, err := encode(n, goYAMLOnly)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Grow(len(b) + len(b)/8)
	indent(&out, b, "- ", "  ")
	return out.Bytes(), nil
}

// EncodeEntries encodes nodes as list entries on all cores, in order: new NADs and
// results are written after the VMs, where nothing else runs beside them.
func EncodeEntries(nodes []*yaml.Node) ([][]byte, error) {
	out := make([][]byte, len(nodes))
	errs := make([]error, len(nodes))
	workers := min(runtime.GOMAXPROCS(0), 4)
	if len(nodes) < 64 {
		workers = 1
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(nodes); i += workers {
				out[i], errs[i] = EncodeEntry(nodes[i], false)
			}
		}(w)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// encode writes one node as its own document: by fastyaml where it writes the
// node as go-yaml would, by go-yaml otherwise (or always, with goYAMLOnly).
func encode(n *yaml.Node, goYAMLOnly bool) ([]byte, error) {
	ynode.KeepLineComments(n)
	keepValues(n, false)
	if !goYAMLOnly {
		root := n
		if n.Kind == yaml.DocumentNode && len(n.Content) == 1 && n.HeadComment == "" && n.LineComment == "" && n.FootComment == "" {
			root = n.Content[0]
		}
		if b, ok := fastyaml.Encode(root); ok {
			return b, nil
		}
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	enc.CompactSeqIndent()
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// indent prefixes the first line with first and every further non-empty line with rest.
// Empty lines stay empty so block scalars keep their exact content.
func indent(out *bytes.Buffer, b []byte, first, rest string) {
	prefix := first
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i+1], b[i+1:]
		} else {
			b = nil
		}
		if len(line) > 1 || (len(line) == 1 && line[0] != '\n') {
			out.WriteString(prefix)
		}
		out.Write(line)
		if line[len(line)-1] != '\n' {
			out.WriteByte('\n')
		}
		prefix = rest
	}
}
