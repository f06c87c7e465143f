package resourcelist

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/fastyaml"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// Writer writes the output ResourceList as its items become ready, in input
// order: for split input each item as soon as every item before it is written (so
// a large package's items need not all be held), the rest of the document around
// them as the input had it; for whole-document input, the document at the end.
type Writer struct {
	rl *ResourceList
	w  *bufio.Writer
	// out is where output goes: w, or for a stream a buffer written only if the
	// run succeeds (a post-renderer's failure must leave nothing to install).
	out     io.Writer
	held    bytes.Buffer
	mu      sync.Mutex
	entries [][]byte // ready entries not yet written, by item index
	state   []itemState
	edited  []bool       // whole-document input: the items handed over as changed
	readAs  []*yaml.Node // and each one's tree as the document read it, where given
	next    int          // the first item not yet written
	started bool
	written bool // a stream document was written
	// carried are the comment-only documents before a dropped stream document,
	// written before the next document that is written (a Helm chart's NOTES-like
	// templates stay where they were).
	carried []byte
	err     error
	// omitted items are left out whatever is later written for them: local
	// config that a build's caller drops, as kustomize drops it at its end.
	omitted map[int]bool
}

type itemState uint8

const (
	pending itemState = iota
	ready
	dropped
)

// NewWriter starts the output for rl on w.
func NewWriter(w io.Writer, rl *ResourceList) *Writer {
	wr := &Writer{rl: rl, w: bufio.NewWriterSize(w, 256<<10), entries: make([][]byte, len(rl.Items)), state: make([]itemState, len(rl.Items)), edited: make([]bool, len(rl.Items))}
	wr.out = wr.w
	if rl.stream {
		wr.out = &wr.held
	}
	return wr
}

// Keep writes item i as it came: from its own bytes, never re-encoded.
func (w *Writer) Keep(i int) {
	it := w.rl.Items[i]
	if w.rl.wholeStream {
		w.Changed(i, it.node)
		return
	}
	text, err := it.text()
	if err != nil {
		w.fail(err)
		w.set(i, nil, dropped)
		return
	}
	if ended, ok := endLine(text); ok {
		text = ended
	} else if n, err := it.Parse(); err == nil && w.Changed(i, n) == nil {
		return
	}
	w.set(i, text, ready)
	it.written()
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
	li := newLineIndex(raw)
	if last.Line < 1 || last.Line > li.lines() {
		return nil, false
	}
	at := li.start[last.Line-1]
	// Column counts characters, not bytes.
	for c := 1; c < last.Column && at < len(raw) && raw[at] != '\n'; c++ {
		_, size := utf8.DecodeRune(raw[at:])
		at += size
	}
	if at >= len(raw) || (raw[at] != '|' && raw[at] != '>') {
		return nil, false
	}
	end, indent := headerIndicators(raw, at+1)
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
	if w.err == nil {
		w.err = err
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
	if it.json != nil {
		return w.changedJSON(i, it, node)
	}
	if it.raw != nil || it.block != nil {
		if b, ok := w.splice(it, before, node); ok {
			w.set(i, b, ready)
			it.written()
			return nil
		}
	}
	if !w.rl.Split() && !w.rl.stream {
		w.mu.Lock()
		w.edited[i] = true
		if before != nil {
			if w.readAs == nil {
				w.readAs = make([]*yaml.Node, len(w.rl.Items))
			}
			w.readAs[i] = before
		}
		w.mu.Unlock()
	}
	var b []byte
	switch {
	case w.rl.stream:
		doc := it.doc
		if doc == nil || len(doc.Content) == 0 || doc.Content[0] != node {
			doc = &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{node}}
		}
		var err error
		if b, err = encode(doc, w.rl.goYAMLOnly); err != nil {
			return err
		}
	case w.rl.Split():
		var err error
		if b, err = EncodeEntry(node, w.rl.goYAMLOnly); err != nil {
			return err
		}
		for _, c := range strings.Split(w.rl.Items[i].outer, "\n") {
			if c != "" {
				b = append(b, "  "+c+"\n"...)
			}
		}
	}
	if b != nil {
		// Encoded whole: the values at least must read back the same.
		back, err := parseObject(b, it.entry, w.rl.goYAMLOnly)
		if err != nil {
			return &UnsafeEncodingError{Label: it.Label(), Why: err.Error()}
		}
		if why := sameValue(back, node, ""); why != "" {
			return &UnsafeEncodingError{Label: it.Label(), Why: "encoded whole, " + why + " would change"}
		}
	}
	w.set(i, b, ready)
	it.written()
	return nil
}

// changedJSON writes an edited JSON document as JSON, in its layout; it must
// read back as the edited tree.
func (w *Writer) changedJSON(i int, it *Item, node *yaml.Node) error {
	b, err := it.json.encode(node)
	if err != nil {
		return &UnsafeEncodingError{Label: it.Label(), Why: err.Error()}
	}
	back, _, err := parseJSON(b)
	if err != nil {
		return &UnsafeEncodingError{Label: it.Label(), Why: "written as JSON, it does not read back: " + err.Error()}
	}
	if why := sameValue(back.Content[0], node, ""); why != "" {
		return &UnsafeEncodingError{Label: it.Label(), Why: "written as JSON, " + why + " would change"}
	}
	w.set(i, b, ready)
	it.written()
	return nil
}

// splice writes an edited item into its own text (see splice.go); false when it
// cannot, and the item is encoded whole.
func (w *Writer) splice(it *Item, orig, node *yaml.Node) ([]byte, bool) {
	text, err := it.text()
	if err != nil || len(text) == 0 {
		return nil, false
	}
	return spliceText(text, orig, node, it.entry, w.rl.goYAMLOnly)
}

// Drop leaves item i out of the output.
func (w *Writer) Drop(i int) {
	w.rl.Items[i].release()
	if !w.rl.Split() {
		w.mu.Lock()
		w.state[i] = dropped
		w.mu.Unlock()
		return
	}
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

func (w *Writer) set(i int, entry []byte, s itemState) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.omitted[i] {
		entry, s = nil, dropped
	}
	w.entries[i], w.state[i] = entry, s
	if !w.rl.Split() && !w.rl.stream {
		return
	}
	for w.next < len(w.state) && w.state[w.next] != pending {
		if e := w.entries[w.next]; e != nil {
			w.start(false)
			w.separate(w.next, e)
			w.write(e)
		} else if w.rl.stream && w.state[w.next] == dropped {
			w.carried = append(w.carried, leadingDocuments(w.rl.Items[w.next].sep)...)
		}
		w.entries[w.next] = nil
		w.next++
	}
}

func (w *Writer) write(b []byte) {
	if w.err == nil && len(b) > 0 {
		_, w.err = w.out.Write(b)
		if b[len(b)-1] != '\n' && w.err == nil {
			// The input's last line may lack its line break; what follows must not join it.
			_, w.err = w.out.Write([]byte{'\n'})
		}
	}
}

// start writes the document up to the first item: its head comments, the sections
// before items as written, and the items key.
func (w *Writer) start(empty bool) {
	if w.started {
		return
	}
	w.started = true
	if w.rl.stream {
		return
	}
	w.write(w.rl.head)
	for _, s := range w.rl.sections {
		if s.key == "items" {
			break
		}
		w.section(s)
	}
	if empty {
		w.write([]byte("items: []\n"))
	} else {
		w.write([]byte("items:\n"))
	}
}

func (w *Writer) section(s *section) {
	switch s.key {
	case "items", "results":
	default:
		w.write(*s.text)
		if s.body != nil {
			w.write(*s.body)
		}
	}
}

// separate writes what comes before a stream's document: its own `---` line as it
// came, or one where a document before it was left out or re-encoded.
func (w *Writer) separate(i int, entry []byte) {
	if !w.rl.stream {
		return
	}
	sep := w.rl.Items[i].sep
	if len(w.carried) > 0 {
		w.write(w.carried)
		w.carried, w.written = nil, true
	}
	switch {
	case !w.written, w.rl.Items[i].jsonSeq:
	case directive(entry):
		// A document with directives carries its own `---`; directives may follow
		// only a document end marker.
		sep = append([]byte("...\n"), sep...)
	case !bytes.Contains(sep, []byte("---")) && !bytes.HasPrefix(entry, []byte("---")):
		sep = append([]byte("---\n"), sep...)
	}
	w.write(sep)
	w.written = true
}

// Finish writes the added entries, the rest of the document and the results, and
// flushes. A stream is written only if the run did not fail: its results go to
// stderr, never into the stream.
func (w *Writer) Finish(added []*yaml.Node, results []*krm.Result, failed bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.next < len(w.state) && (w.rl.Split() || w.rl.stream) {
		return fmt.Errorf("internal error: item %d was never written", w.next)
	}
	if w.rl.stream {
		return w.finishStream(added, failed)
	}
	if !w.rl.Split() {
		return w.finishWhole(added, results)
	}
	entries, err := EncodeEntries(added)
	if err != nil {
		return err
	}
	w.start(len(w.state) == 0 && len(added) == 0)
	for _, e := range entries {
		w.write(e)
	}
	after := false
	for _, s := range w.rl.sections {
		if after {
			w.section(s)
		}
		after = after || s.key == "items"
	}
	// An earlier function's results stay, before this run's (as kpt's SDK and
	// kyaml's framework keep them).
	earlier := earlierResults(w.rl.sections)
	if len(results) > 0 || len(earlier) > 0 {
		w.write([]byte("results:\n"))
		w.write(earlier)
		entries, err := EncodeEntries(resultNodes(results))
		if err != nil {
			return err
		}
		for _, b := range entries {
			w.write(b)
		}
	}
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}

// earlierResults is the entries of the input's results section, as they came.
func earlierResults(sections []*section) []byte {
	var out []byte
	for _, s := range sections {
		if s.key != "results" {
			continue
		}
		header, rest, _ := bytes.Cut(*s.text, []byte("\n"))
		if v := bytes.TrimSpace(bytes.TrimPrefix(header, []byte("results:"))); len(v) > 0 && !comment(v) {
			continue // results: [] (a flow list other than [] is not split)
		}
		out = append(out, rest...)
	}
	return out
}

func (w *Writer) finishStream(added []*yaml.Node, failed bool) error {
	// A stream of JSON documents (kubectl get -o json) gets its new objects as
	// JSON too, one after the other, as kubectl and jq read a JSON stream.
	var asJSON *jsonDoc
	if w.rl.jsonDocs > 0 && w.rl.jsonDocs == len(w.rl.Items) {
		asJSON = &jsonDoc{indent: "    ", colon: ": ", comma: ",", trailing: []byte("\n")}
		for _, it := range w.rl.Items {
			if it.json != nil {
				layout := *it.json
				layout.tokens, layout.trailing = nil, []byte("\n")
				asJSON = &layout
				break
			}
		}
	}
	for _, n := range added {
		var b []byte
		var err error
		if asJSON != nil {
			b, err = asJSON.encode(n)
		} else {
			b, err = encode(n, w.rl.goYAMLOnly)
		}
		if err != nil {
			return err
		}
		if w.written && asJSON == nil {
			w.write([]byte("---\n"))
		}
		w.write(b)
		w.written = true
	}
	if len(w.carried) > 0 {
		w.write(w.carried)
		if len(w.rl.tail) > 0 && !bytes.HasPrefix(w.rl.tail, []byte("---")) {
			w.write([]byte("---\n"))
		}
	}
	w.write(w.rl.tail)
	if failed || w.err != nil {
		return w.err
	}
	if _, err := w.w.Write(w.held.Bytes()); err != nil {
		return err
	}
	return w.w.Flush()
}

// finishWhole writes whole-document input back as one document, so its comments,
// anchors and aliases stay where YAML put them.
func (w *Writer) finishWhole(added []*yaml.Node, results []*krm.Result) error {
	root := w.rl.doc.Content[0]
	// JSON input is one flow mapping: the frame is written as blocks, the items in
	// the style they came in.
	root.Style &^= yaml.FlowStyle
	nodes := w.wholeItems(root, added)
	oldResults, resultsText, err := wholeResults(root, results)
	if err != nil {
		return err
	}
	b, err := w.wholeOutput(nodes, added, oldResults, resultsText)
	if err != nil {
		return err
	}
	w.write(b)
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}

// wholeItems sets the document's items to the kept ones and the added ones, and
// returns the items as they were read.
func (w *Writer) wholeItems(root *yaml.Node, added []*yaml.Node) []*yaml.Node {
	items := ynode.Get(root, "items")
	switch {
	case items == nil:
		// Where kpt writes it, after kind: at the end it would take the comments
		// YAML leaves at the end of the mapping, which go-yaml then misplaces.
		items = ynode.NewSeq()
		ynode.InsertAt(root, ynode.KeyIndex(root, "kind")/2+1, "items", items)
	case items.Kind != yaml.SequenceNode:
		items = ynode.NewSeq()
		ynode.Set(root, "items", items)
	}
	items.Style &^= yaml.FlowStyle
	nodes := append([]*yaml.Node{}, items.Content...)
	kept := items.Content[:0]
	for i, n := range items.Content {
		if i >= len(w.state) || w.state[i] != dropped {
			kept = append(kept, n)
		}
	}
	items.Content = append(kept, added...)
	if k := ynode.KeyIndex(root, "items"); len(items.Content) == 0 && root.Content[k].LineComment != "" {
		// go-yaml writes a key's line comment before an empty flow list ("items: # c"
		// then "[]" on the next line), which is not YAML: the comment goes above the key.
		key := root.Content[k]
		key.HeadComment = strings.TrimPrefix(key.HeadComment+"\n"+key.LineComment, "\n")
		key.LineComment = ""
	}
	return nodes
}

// wholeResults sets the document's results: an earlier function's, then this
// run's. It returns the input's results entry (nil: none) and the new section.
func wholeResults(root *yaml.Node, results []*krm.Result) ([]*yaml.Node, []byte, error) {
	var old []*yaml.Node
	if k := ynode.KeyIndex(root, "results"); k >= 0 {
		old = []*yaml.Node{root.Content[k], root.Content[k+1]}
	}
	var earlier []*yaml.Node
	if old != nil && ynode.IsSeq(old[1]) {
		earlier = ynode.Resolve(old[1]).Content
	}
	if len(results) == 0 && len(earlier) == 0 {
		ynode.Delete(root, "results")
		return old, nil, nil
	}
	nodes := append(append([]*yaml.Node{}, earlier...), resultNodes(results)...)
	entries, err := EncodeEntries(nodes)
	if err != nil {
		return nil, nil, err
	}
	ynode.Set(root, "results", seqOf(nodes))
	return old, append([]byte("results:\n"), bytes.Join(entries, nil)...), nil
}

// wholeOutput is the text of a whole-document ResourceList, its tree edited.
func (w *Writer) wholeOutput(nodes, added, oldResults []*yaml.Node, resultsText []byte) ([]byte, error) {
	// JSON in, JSON out: the document in its layout, untouched values as their tokens.
	if w.rl.json != nil {
		return w.rl.json.encode(w.rl.doc)
	}
	// The document's own text, but for what changed; encoded whole only where
	// that cannot be placed by lines (flow collections, items sharing anchors),
	// and then only if it reads back the same.
	if b, ok := w.wholeText(nodes, added, oldResults, resultsText); ok {
		return b, nil
	}
	b, err := encode(w.rl.doc, w.rl.goYAMLOnly)
	if err != nil {
		return nil, err
	}
	var back yaml.Node
	if err := yaml.Unmarshal(b, &back); err != nil || len(back.Content) == 0 {
		return nil, fmt.Errorf("the output does not read back: %v", err)
	}
	if why := sameValue(back.Content[0], w.rl.doc.Content[0], ""); why != "" {
		return nil, &UnsafeEncodingError{Label: "the ResourceList", Why: "encoded whole, " + why + " would change"}
	}
	return b, nil
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

// leadingDocuments is the part of a stream document's separator before its own
// `---` line: the comment-only documents before it, when there are any.
func leadingDocuments(sep []byte) []byte {
	last := -1
	for rest := sep; len(rest) > 0; {
		at := len(sep) - len(rest)
		var line []byte
		if line, rest = nextLine(rest); isMarker(line) {
			last = at
		}
	}
	if last <= 0 || !bytes.Contains(sep[:last], []byte("#")) {
		return nil
	}
	return sep[:last]
}
