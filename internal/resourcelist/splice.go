package resourcelist

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/fastyaml"
	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// An edited object is written back into its own text: only the entries of its
// block mappings that the edit touched (a networks or interfaces list, an
// annotation) are encoded, each at its place and indentation; every other byte
// is the input's (comments, quoting, block and folded scalars, flow collections,
// blank lines, key order). The result is read back and must say what the edited
// tree says, value for value and comment for comment; where it does not, or the
// edit cannot be placed by lines (a flow mapping, a key written twice), the
// object is encoded whole, and that too must read back as the edited tree.

// UnsafeEncodingError says an edited object could not be written without
// changing something the edit did not: the caller keeps the object as it came.
type UnsafeEncodingError struct{ Label, Why string }

func (e *UnsafeEncodingError) Error() string {
	return fmt.Sprintf("%s cannot be written back without changing values the function does not own (%s)", e.Label, e.Why)
}

// edit replaces lines [from, to) (1-based, to exclusive) by text.
type edit struct {
	from, to int
	text     []byte
}

// spliceEdit writes edited into text, whose parse is orig, and returns the
// edits it made. ok is false when the edit cannot be placed by lines.
func spliceEdit(li *yamllex.LineIndex, orig, edited *yaml.Node, mode spliceMode) ([]byte, []edit, bool) {
	var edits []edit
	if !diffMapping(li, orig, edited, &edits, mode) {
		return nil, nil, false
	}
	// A removal at a line goes before an insertion there: the comments the
	// removed entry leaves behind stay above what takes its place.
	sort.SliceStable(edits, func(i, j int) bool {
		return edits[i].from < edits[j].from || edits[i].from == edits[j].from && edits[i].to > edits[j].to
	})
	b, ok := applyEdits(li, 1, li.Lines()+1, edits)
	return b, edits, ok
}

// applyEdits writes lines [from, to) of li with the edits (sorted, all within
// those lines) in place.
func applyEdits(li *yamllex.LineIndex, from, to int, edits []edit) ([]byte, bool) {
	var out bytes.Buffer
	at, last := from, 0
	for _, e := range edits {
		if e.from == e.to && e.from == last && e.from < at {
			out.Write(e.text) // an insertion where a removal just was
			continue
		}
		if e.from < at {
			return nil, false // overlapping edits: never expected
		}
		last = e.from
		out.Write(li.Span(at, e.from))
		out.Write(e.text)
		at = e.to
	}
	out.Write(li.Text()[li.Offset(at):li.Offset(to)])
	return out.Bytes(), true
}

// diffMapping finds the entries of block mapping orig that edited changed, added
// or removed, and the edits that write them.
func diffMapping(li *yamllex.LineIndex, orig, edited *yaml.Node, edits *[]edit, mode spliceMode) bool {
	if !blockMapping(orig) || !blockMapping(edited) || hasDuplicateKeys(orig) || hasDuplicateKeys(edited) {
		return false
	}
	indent := orig.Content[0].Column - 1
	if !removedEntries(li, orig, edited, indent, edits) {
		return false
	}
	prevEnd := 0 // the line after the previous kept entry
	for i := 0; i < len(edited.Content); i += 2 {
		ek, ev := edited.Content[i], edited.Content[i+1]
		j := ynode.KeyIndex(orig, ek.Value)
		if j < 0 {
			if prevEnd == 0 {
				return false // before the first key: the line a list entry's dash is on
			}
			b, ok := encodeEntry(ek, ev, indent, mode.goYAMLOnly)
			if !ok {
				return false
			}
			*edits = append(*edits, edit{from: prevEnd, to: prevEnd, text: b})
			continue
		}
		from, to, fine := extent(li, orig.Content[j], orig.Content[j+1])
		if !fine || !diffEntryValue(li, orig.Content[j], orig.Content[j+1], ek, ev, from, to, indent, edits, mode) {
			return false
		}
		prevEnd = to
	}
	return true
}

// removedEntries adds the edits that remove the entries of orig edited has no
// more; their comments stay, where the next key takes them (as ynode.Delete hands
// them on in the tree).
func removedEntries(li *yamllex.LineIndex, orig, edited *yaml.Node, indent int, edits *[]edit) bool {
	for i := 0; i < len(orig.Content); i += 2 {
		k := orig.Content[i]
		if k.Column-1 != indent || k.Line < 1 || k.Line > li.Lines() {
			return false
		}
		if ynode.KeyIndex(edited, k.Value) >= 0 {
			continue
		}
		from, to, ok := extent(li, k, orig.Content[i+1])
		if !ok {
			return false
		}
		key := *k
		key.HeadComment = ""
		*edits = append(*edits, edit{from: from, to: to, text: commentBlock(ynode.Comments(&key, orig.Content[i+1]), indent)})
	}
	return true
}

// diffEntryValue adds the edits for one entry kept by the edit (lines [from,
// to)): none when it is the same, a splice of its mapping or list where it is
// one, else the entry written anew at its place.
func diffEntryValue(li *yamllex.LineIndex, ok, ov, ek, ev *yaml.Node, from, to, indent int, edits *[]edit, mode spliceMode) bool {
	if sameNode(ov, ev) && ok.Value == ek.Value && ok.LineComment == ek.LineComment {
		return true
	}
	if ok.LineComment == ek.LineComment && blockMapping(ov) && blockMapping(ev) && ov.Line > ok.Line {
		return diffMapping(li, ov, ev, edits, mode)
	}
	if !mode.wholeLists && ok.LineComment == ek.LineComment && blockSeq(ov) && blockSeq(ev) && ov.Content[0].Line > ok.Line &&
		ov.Tag == ev.Tag && ov.HeadComment == ev.HeadComment && ov.LineComment == ev.LineComment && ov.FootComment == ev.FootComment &&
		diffSequence(li, ov, ev, to, edits, mode) {
		return true
	}
	b, fine := encodeEntry(ek, ev, indent, mode.goYAMLOnly)
	if !fine {
		return false
	}
	b = commentGap(li.Line(from), b)
	*edits = append(*edits, edit{from: from, to: to, text: seqIndent(b, ov, ev, ok)})
	return true
}

// seqIndent keeps a block sequence's indentation: the encoder writes a list at
// its key's column ("key:\n- a"); where the input indented it ("key:\n  - a"),
// the re-encoded one is indented the same.
func seqIndent(b []byte, ov, ev, k *yaml.Node) []byte {
	if ov.Kind != yaml.SequenceNode || ev.Kind != yaml.SequenceNode || ov.Style&yaml.FlowStyle != 0 || ev.Style&yaml.FlowStyle != 0 ||
		len(ov.Content) == 0 || ov.Content[0].Line <= k.Line {
		return b
	}
	d := ov.Content[0].Column - k.Column - 2 // "- " starts two columns before the item
	if d <= 0 {
		return b
	}
	first := bytes.IndexByte(b, '\n') + 1 // the key's line stays where it is
	if first == 0 {
		return b
	}
	return append(b[:first:first], indentLines(b[first:], d)...)
}

func blockMapping(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0 && n.Anchor == ""
}

func hasDuplicateKeys(m *yaml.Node) bool {
	seen := make(map[string]bool, len(m.Content)/2)
	for i := 0; i < len(m.Content); i += 2 {
		if seen[m.Content[i].Value] {
			return true
		}
		seen[m.Content[i].Value] = true
	}
	return false
}

// extent is the lines of a mapping entry: from its key's line to the last line
// indented deeper than the key (or, for a block sequence written at the key's
// indentation, its `- ` lines), blank lines and comments at the key's
// indentation or less after that last line excluded. Comments above the key
// are not part of it.
func extent(li *yamllex.LineIndex, k, v *yaml.Node) (from, to int, ok bool) {
	if k.Line < 1 || k.Line > li.Lines() || k.Kind != yaml.ScalarNode {
		return 0, 0, false
	}
	indent := k.Column - 1
	seq := v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0
	last := k.Line
	for n := k.Line + 1; n <= li.Lines(); n++ {
		l := li.Line(n)
		t := bytes.TrimLeft(l, " ")
		if len(t) == 0 {
			continue
		}
		in := len(l) - len(t)
		switch {
		case in > indent:
			last = n
			continue
		case in == indent && seq && yamllex.Dash(t):
			last = n
			continue
		case yamllex.Comment(t):
			continue // inside if the entry goes on below it
		}
		break
	}
	return k.Line, last + 1, true
}

// commentBlock writes comments as lines at indent spaces.
func commentBlock(comments string, indent int) []byte {
	var out bytes.Buffer
	for _, l := range strings.Split(comments, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out.WriteString(strings.Repeat(" ", indent) + l + "\n")
		}
	}
	return out.Bytes()
}

// encodeEntry writes key: value as a mapping entry at indent spaces. The key's
// head comment is not written: it stays in the text above the entry.
func encodeEntry(k, v *yaml.Node, indent int, goYAMLOnly bool) ([]byte, bool) {
	key := *k
	key.HeadComment = ""
	m := ynode.NewMap()
	m.Content = []*yaml.Node{&key, v}
	b, err := encode(m, goYAMLOnly)
	if err != nil {
		return nil, false
	}
	return indentLines(b, indent), true
}

// sameNode reports whether two trees are the same to the letter: kinds, tags,
// values, styles and comments.
func sameNode(a, b *yaml.Node) bool {
	if a == b {
		return true // one node: a part the edit did not touch, shared
	}
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind || a.Tag != b.Tag || a.Value != b.Value || a.Style != b.Style || a.Anchor != b.Anchor ||
		a.HeadComment != b.HeadComment || a.LineComment != b.LineComment || a.FootComment != b.FootComment || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if !sameNode(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

// readsAs reports why an object's text does not read back as want ("" when it
// does): every value the same (kind, tag and value: a null stays a null, a folded
// scalar keeps its value, binary stays binary), every comment there.
func readsAs(got, want *yaml.Node) string {
	if why := sameValue(got, want, ""); why != "" {
		return why
	}
	g, w := commentLines(got), commentLines(want)
	if !slices.Equal(g, w) {
		return "its comments"
	}
	return ""
}

func sameValue(a, b *yaml.Node, path string) string {
	if at, ok := differ(a, b); ok {
		return at.what + " at " + orRoot(path+at.path())
	}
	return ""
}

// difference is where two trees differ: the steps from the root, innermost first
// (built only on the way back from a difference, never for equal trees).
type difference struct {
	what  string
	steps []string
}

func (d *difference) path() string {
	var b strings.Builder
	for i := len(d.steps) - 1; i >= 0; i-- {
		b.WriteString(d.steps[i])
	}
	return b.String()
}

// differ compares two trees value by value (kind, tag and value).
func differ(a, b *yaml.Node) (*difference, bool) {
	if a == b {
		return nil, false
	}
	if a != nil && b != nil && a.Kind == yaml.AliasNode && b.Kind == yaml.AliasNode {
		// Compared where their anchors are: followed, a few lines of aliases can
		// stand for billions of values.
		if a.Value == b.Value {
			return nil, false
		}
		return &difference{what: "the alias"}, true
	}
	if a == nil || b == nil || a.Kind != b.Kind || a.ShortTag() != b.ShortTag() || (a.Kind == yaml.ScalarNode && a.Value != b.Value) || len(a.Content) != len(b.Content) {
		return &difference{what: "the value"}, true
	}
	for i := range a.Content {
		d, ok := differ(a.Content[i], b.Content[i])
		if !ok {
			continue
		}
		if a.Kind == yaml.MappingNode && i%2 == 1 {
			d.steps = append(d.steps, "."+a.Content[i-1].Value)
		} else if a.Kind == yaml.SequenceNode {
			d.steps = append(d.steps, fmt.Sprintf("[%d]", i))
		}
		return d, true
	}
	return nil, false
}

func orRoot(path string) string {
	if path == "" {
		return "the object"
	}
	return strings.TrimPrefix(path, ".")
}

// commentLines are every comment line under n, trimmed and sorted: where go-yaml
// attaches a comment may differ between two texts that say the same.
func commentLines(n *yaml.Node) []string {
	var out []string
	ynode.EachComment(n, func(c string) {
		for _, l := range strings.Split(c, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
	})
	sort.Strings(out)
	return out
}

// parseObject reads an object's text as the reader does: a list entry (a
// ResourceList item) or a document; it returns the object's mapping.
func parseObject(text []byte, entry, goYAMLOnly bool) (*yaml.Node, error) {
	return parseObjectReusing(text, entry, goYAMLOnly, nil)
}

// readBackBuffers lend the read-back parses their memory: a read-back tree is
// compared and thrown away, so the next one can use the same.
var readBackBuffers = sync.Pool{New: func() any { return new(fastyaml.Buffers) }}

// parseObjectReusing is parseObject with memory from b; the tree is valid until
// b's next use.
func parseObjectReusing(text []byte, entry, goYAMLOnly bool, b *fastyaml.Buffers) (*yaml.Node, error) {
	doc, err := parseDocument(text, goYAMLOnly, b)
	if err != nil {
		return nil, err
	}
	n, _, err := objectOf(doc, entry)
	return n, err
}

// spliceSpan writes an edited item into its lines of the document (a list
// entry at any indentation). readAs is the item's tree as the document read it,
// its lines the document's, from line offset+1 on (nil: read the span alone): a
// comment at a smaller indentation than the item (`#` at column 1 inside it) is
// attached by go-yaml according to what surrounds it, so only the tree the edit
// started from tells what the edit changed. readAs is the writer's to change.
func spliceSpan(span []byte, node, readAs *yaml.Node, offset int, goYAMLOnly bool) ([]byte, bool) {
	if readAs != nil {
		shiftLines(readAs, -offset)
	}
	return spliceText(span, readAs, node, true, goYAMLOnly)
}

// spliceText writes edited into an object's text (a list entry if entry), whose
// tree as read is orig (nil: read it), and reads the result back: it must say
// what edited says, value for value and comment for comment. false: it cannot be
// placed by lines or does not read back so.
func spliceText(text []byte, orig, edited *yaml.Node, entry, goYAMLOnly bool) ([]byte, bool) {
	if orig == nil {
		var err error
		if orig, err = parseObject(text, entry, goYAMLOnly); err != nil {
			return nil, false
		}
	}
	// Lists entry by entry first; where that does not read back as the edit, a
	// changed list is written whole.
	li := yamllex.NewLineIndex(text)
	for _, mode := range []spliceMode{{goYAMLOnly: goYAMLOnly}, {goYAMLOnly: goYAMLOnly, wholeLists: true}} {
		b, edits, ok := spliceEdit(li, orig, edited, mode)
		if !ok {
			continue
		}
		if len(b) > 0 && b[len(b)-1] != '\n' {
			b = append(b, '\n')
		}
		if provenLocally(li, orig, edited, edits, goYAMLOnly) {
			if CheckLocalProofs && !readsBackAs(b, edited, entry, goYAMLOnly) {
				panic(fmt.Sprintf("a splice proven locally does not read back as the edit:\n%s", b))
			}
			return b, true
		}
		if readsBackAs(b, edited, entry, goYAMLOnly) {
			return b, true
		}
	}
	return nil, false
}

// CheckLocalProofs, set by tests, reads every splice proven locally whole as
// well and panics where the two proofs disagree: the fuzz targets and property
// tests hold the local proof to the whole one on every input they make.
var CheckLocalProofs bool

// readsBackAs reads a spliced object's whole text and holds it to the edit.
func readsBackAs(b []byte, edited *yaml.Node, entry, goYAMLOnly bool) bool {
	buf := readBackBuffers.Get().(*fastyaml.Buffers)
	defer readBackBuffers.Put(buf)
	back, err := parseObjectReusing(b, entry, goYAMLOnly, buf)
	return err == nil && readsAs(back, edited) == ""
}

// spliceMode says how an edit is spliced: which encoder, and whether a changed
// list is written whole.
type spliceMode struct{ goYAMLOnly, wholeLists bool }

// shiftLines moves every line number in a tree by d.
func shiftLines(n *yaml.Node, d int) {
	n.Line += d
	for _, c := range n.Content {
		shiftLines(c, d)
	}
}

// indentLines puts n spaces before every line that has text.
func indentLines(b []byte, n int) []byte {
	if n == 0 {
		return b
	}
	pad := strings.Repeat(" ", n)
	var out bytes.Buffer
	for _, l := range bytes.SplitAfter(b, []byte("\n")) {
		if len(bytes.TrimSpace(l)) > 0 {
			out.WriteString(pad)
		}
		out.Write(l)
	}
	return out.Bytes()
}

// commentGap gives a re-encoded entry's first line the spaces its line comment
// had before it in the input (the encoder writes one).
func commentGap(orig, b []byte) []byte {
	first, rest, _ := bytes.Cut(b, []byte("\n"))
	i := yamllex.LastLineComment(first)
	j := yamllex.LastLineComment(orig)
	if i < 0 || j < 0 || !bytes.Equal(first[i+1:], orig[j+1:]) {
		return b
	}
	k := j
	for k > 0 && orig[k-1] == ' ' {
		k--
	}
	gap := orig[k : j+1]
	out := append(append(append([]byte{}, first[:i]...), gap...), first[i+1:]...)
	if len(rest) > 0 || bytes.HasSuffix(b, []byte("\n")) {
		out = append(append(out, '\n'), rest...)
	}
	return out
}
