package resourcelist

import (
	"bytes"
	"fmt"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// wholeWriter writes a ResourceList read as one document (JSON, flow style,
// anchors, comments between items) back as one document at the end, so its
// comments, anchors and aliases stay where YAML put them: from its own text where
// it can be placed by lines (wholeText), as JSON in its layout when it came as
// JSON, encoded whole otherwise.
type wholeWriter struct {
	rl  *ResourceList
	out *sink
	// edited are the items handed over as changed, readAs each one's tree as the
	// document read it (where given), dropped the items that leave.
	edited, dropped []bool
	readAs          []*yaml.Node
}

func newWholeWriter(rl *ResourceList, s *sink) *wholeWriter {
	n := len(rl.Items)
	return &wholeWriter{rl: rl, out: s, edited: make([]bool, n), dropped: make([]bool, n), readAs: make([]*yaml.Node, n)}
}

// kept: an item is written with the document, from its text.
func (ww *wholeWriter) kept(*Item) ([]byte, bool, error) { return nil, true, nil }

// whole records the edit; the item is written with the document.
func (ww *wholeWriter) whole(it *Item, before, _ *yaml.Node) ([]byte, error) {
	ww.edited[it.Index], ww.readAs[it.Index] = true, before
	return nil, nil
}

func (ww *wholeWriter) put(i int, _ []byte, s itemState) { ww.dropped[i] = s == dropped }

func (ww *wholeWriter) finish(added []*yaml.Node, results []*krm.Result, _ bool) error {
	root := ww.rl.doc.Content[0]
	// JSON input is one flow mapping: the frame is written as blocks, the items in
	// the style they came in.
	root.Style &^= yaml.FlowStyle
	nodes := ww.wholeItems(root, added)
	oldResults, resultsText, err := wholeResults(root, results)
	if err != nil {
		return err
	}
	b, err := ww.wholeOutput(nodes, added, oldResults, resultsText)
	if err != nil {
		return err
	}
	ww.out.write(b)
	return ww.out.flush()
}

// wholeItems sets the document's items to the kept ones and the added ones, and
// returns the items as they were read.
func (ww *wholeWriter) wholeItems(root *yaml.Node, added []*yaml.Node) []*yaml.Node {
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
		if i >= len(ww.dropped) || !ww.dropped[i] {
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
	// At the end, where the text writer puts them (as the kpt layout has them).
	ynode.Delete(root, "results")
	ynode.Set(root, "results", seqOf(nodes))
	return old, append([]byte("results:\n"), bytes.Join(entries, nil)...), nil
}

// wholeOutput is the text of a whole-document ResourceList, its tree edited.
func (ww *wholeWriter) wholeOutput(nodes, added, oldResults []*yaml.Node, resultsText []byte) ([]byte, error) {
	// JSON in, JSON out: the document in its layout, untouched values as their tokens.
	if ww.rl.json != nil {
		return ww.rl.json.encode(ww.rl.doc)
	}
	// The document's own text, but for what changed; encoded whole only where
	// that cannot be placed by lines (flow collections, items sharing anchors),
	// and then only if it reads back the same.
	if b, ok := ww.wholeText(nodes, added, oldResults, resultsText); ok {
		return b, nil
	}
	b, err := encode(ww.rl.doc, ww.rl.goYAMLOnly)
	if err != nil {
		return nil, err
	}
	var back yaml.Node
	if err := yaml.Unmarshal(b, &back); err != nil || len(back.Content) == 0 {
		return nil, fmt.Errorf("the output does not read back: %v", err)
	}
	if why := sameValue(back.Content[0], ww.rl.doc.Content[0], ""); why != "" {
		return nil, &UnsafeEncodingError{Label: "the ResourceList", Why: "encoded whole, " + why + " would change"}
	}
	return b, nil
}

// wholeText writes a ResourceList read as one document from its own text:
// every item the function did not change is its own lines (a comment between
// items, an anchor, a flow collection or a `...` stay as they were), a changed
// one is spliced at its place, a dropped one leaves, the new ones follow the
// last item, and results replace the old ones at the end. false: encode the
// document whole.
func (ww *wholeWriter) wholeText(nodes, added []*yaml.Node, oldResults []*yaml.Node, results []byte) ([]byte, bool) {
	rl := ww.rl
	if rl.source == nil || len(rl.doc.Content) == 0 || len(nodes) == 0 || len(nodes) != len(rl.Items) {
		return nil, false
	}
	root := rl.doc.Content[0]
	if !blockMapping(root) || root.Content[0].Column != 1 || hasDuplicateKeys(root) || bytes.Contains(rl.source, []byte("\n...")) {
		return nil, false
	}
	if items := ynode.Get(root, "items"); items == nil || items.Kind != yaml.SequenceNode || items.Style&yaml.FlowStyle != 0 {
		return nil, false
	}
	li := yamllex.NewLineIndex(rl.source)
	spans, ok := itemSpans(li, nodes)
	if !ok {
		return nil, false
	}
	t := textOut{li: li}
	if oldResults != nil {
		if t.skipFrom, t.skipTo, ok = extent(li, oldResults[0], oldResults[1]); !ok {
			return nil, false
		}
	}
	t.lines(1, spans.starts[0])
	for i, n := range nodes {
		if !ww.item(&t, spans, i, n) {
			return nil, false
		}
	}
	for _, n := range added {
		b, err := EncodeEntry(n, rl.goYAMLOnly)
		if err != nil {
			return nil, false
		}
		t.out.Write(indentLines(b, spans.dash))
	}
	t.lines(spans.starts[len(nodes)], li.Lines()+1)
	if t.out.Len() > 0 && t.out.Bytes()[t.out.Len()-1] != '\n' {
		t.out.WriteByte('\n')
	}
	t.out.Write(results)
	var back yaml.Node
	if yaml.Unmarshal(t.out.Bytes(), &back) != nil || len(back.Content) == 0 || sameValue(back.Content[0], root, "") != "" {
		return nil, false
	}
	return t.out.Bytes(), true
}

// item writes item i's lines: as they are, spliced, or not at all.
func (ww *wholeWriter) item(t *textOut, spans itemLines, i int, n *yaml.Node) bool {
	from, to := spans.starts[i], spans.starts[i+1]
	span := t.li.Span(from, to)
	switch {
	case ww.dropped[i]:
		t.out.Write(trailingComments(span, spans.dash))
	case !ww.edited[i]:
		t.out.Write(span)
	default:
		b, ok := spliceSpan(span, n, ww.readAs[i], from-1, ww.rl.goYAMLOnly)
		if !ok {
			return false
		}
		t.out.Write(b)
	}
	return true
}

// trailingComments are the comment lines that end an item's lines, indented no
// further than its dash: they read as the next item's, or the list's, and stay
// when the item leaves.
func trailingComments(span []byte, dash int) []byte {
	end := len(span)
	from := end
	for from > 0 {
		start := bytes.LastIndexByte(span[:from-1], '\n') + 1
		if !yamllex.CommentAt(span[start:from], dash) {
			break
		}
		from = start
	}
	return span[from:end]
}

// textOut is a document's text written line by line, but for the lines of a
// section that is written anew (the old results).
type textOut struct {
	li               *yamllex.LineIndex
	out              bytes.Buffer
	skipFrom, skipTo int
}

// lines copies lines from up to (not including) to.
func (t *textOut) lines(from, to int) {
	for l := from; l < to; l++ {
		if l < t.skipFrom || l >= t.skipTo {
			t.out.Write(t.li.Span(l, l+1))
		}
	}
}

// itemLines are the lines each item of a block list holds: item i from
// starts[i] up to starts[i+1]; the last entry is where the list ends. dash is the
// indentation of the items' dashes.
type itemLines struct {
	starts []int
	dash   int
}

// itemSpans finds each item's lines: from its dash to the next item's; the
// last item ends at its last line indented deeper than its dash (a
// comment further left between its lines is inside it).
func itemSpans(li *yamllex.LineIndex, nodes []*yaml.Node) (itemLines, bool) {
	s := itemLines{starts: make([]int, len(nodes)+1)}
	prev := 0
	for i, n := range nodes {
		line := n.Line
		for line > 0 && !yamllex.DashLine(li.Line(line), n.Column) {
			line--
		}
		if line < 1 || line <= prev {
			return s, false
		}
		if i == 0 {
			s.dash = yamllex.IndentOf(li.Line(line))
		}
		s.starts[i], prev = line, line
	}
	end := s.starts[len(nodes)-1] + 1
	for n := end; n <= li.Lines(); n++ {
		l := li.Line(n)
		if t := bytes.TrimLeft(l, " "); yamllex.BlankOrComment(t) {
			continue
		}
		if yamllex.IndentOf(l) <= s.dash {
			break
		}
		end = n + 1
	}
	s.starts[len(nodes)] = end
	return s, true
}
