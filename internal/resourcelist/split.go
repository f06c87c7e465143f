package resourcelist

import (
	"bufio"
	"bytes"
	"io"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// section is one top-level key of a split ResourceList and its text.
type section struct {
	key  string
	text *[]byte // the key's line, and the lines under it but for functionConfig's
	body *[]byte // functionConfig's value lines
}

// splitter cuts input in kpt's layout into item texts line by line, so no copy of
// the whole input is ever made: each item's text is the only copy of it. It gives
// up (and the input is parsed whole) on anything whose meaning depends on more
// than one item: anchors and aliases, comments at column 0 among the items (YAML
// attaches them to the item that follows, or to the items key), document markers.
type splitter struct {
	in       *bufio.Reader
	rl       *ResourceList
	seen     map[string]bool
	sections []*section
	cur      *section
	// pieces is everything read, in order, for the whole-document parse should the
	// split give up; each piece is also where its part of the input is kept.
	pieces  []*[]byte
	head    *[]byte // comments and blank lines before the first key
	other   *[]byte // the piece lines go to outside items
	item    *[]byte // the item being read; its lines grow in scratch
	scratch []byte
	fc      *[]byte // the function config's value lines
	size    int64
	block   blockScalar
	// held is the item text read so far; past threshold, items are packed.
	held      int64
	threshold int64
	packer    packer
	packed    map[*[]byte]*Item // pieces whose item is packed
	names     map[string]string
	// itemStarted: the item being read has shown a key (comments before it are
	// left to the whole parse).
	itemStarted bool
}

// blockScalar follows `|` and `>` scalars, whose lines are text, not YAML.
type blockScalar struct {
	active bool
	indent int // lines indented deeper than this (or blank) belong to the scalar
}

func (s *splitter) piece() *[]byte {
	p := new([]byte)
	s.pieces = append(s.pieces, p)
	return p
}

// split reads every line; false means the input is not in kpt's layout (s.pieces
// then hold what was read, for the whole-document parse).
func (s *splitter) split() bool {
	s.head = s.piece()
	s.other = s.head
	for {
		line, err := readLine(s.in)
		s.size += int64(len(line))
		line = yamllex.LF(line)
		if len(line) > 0 && !s.line(line) {
			s.flushItem()
			last := s.piece() // the line that broke the layout goes to the whole parse
			*last = append(*last, line...)
			return false
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			s.flushItem()
			return false
		}
	}
	s.closeItem()
	s.packer.seal()
	if !s.seen["kind"] || !s.seen["items"] {
		return false
	}
	// Everything but the items, parsed as the one document it is: what go-yaml
	// refuses anywhere (control characters, bad UTF-8 in a comment, a malformed
	// previous results section), the split must refuse too; and apiVersion, kind and
	// the function config are read as YAML reads them, not as a line looks.
	var frame bytes.Buffer
	frame.Write(*s.head)
	for _, sec := range s.sections {
		frame.Write(*sec.text)
		if sec.body != nil {
			frame.Write(*sec.body)
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(frame.Bytes(), &doc); err != nil || len(doc.Content) == 0 || hasSharing(&doc) {
		return false
	}
	root := doc.Content[0]
	s.rl.APIVersion = ynode.Str(root, "apiVersion")
	if items := ynode.Get(root, "items"); ynode.Str(root, "kind") != "ResourceList" || !slices.Contains(apiVersions, s.rl.APIVersion) ||
		!(ynode.IsNull(items) || (ynode.IsSeq(items) && len(items.Content) == 0)) {
		return false
	}
	if s.fc != nil {
		fc := ynode.Get(root, "functionConfig")
		if !ynode.IsMap(fc) {
			return false
		}
		s.rl.FunctionConfig = fc
	}
	s.rl.sections, s.rl.head = s.sections, *s.head
	s.pieces = nil
	return true
}

func (s *splitter) intern(v string) string {
	if k, ok := s.names[v]; ok {
		return k
	}
	if s.names == nil {
		s.names = map[string]string{}
	}
	if len(s.names) < 1000 {
		s.names[v] = v
	}
	return v
}

// flushItem puts the item being read into its piece, for the whole-document parse.
func (s *splitter) flushItem() {
	if s.item != nil {
		*s.item = s.scratch
	}
}

func (s *splitter) closeItem() {
	if s.item == nil {
		return
	}
	it := &Item{Index: len(s.rl.Items), entry: true}
	it.apiVersion, it.kind, it.headRead = scanHead(s.scratch, true)
	// A fleet has a handful of kinds: one string each, not one per item.
	it.apiVersion, it.kind = s.intern(it.apiVersion), s.intern(it.kind)
	s.held += int64(len(s.scratch))
	switch {
	case s.held <= s.threshold:
		// One exact-size copy per item: growing each item's own slice would leave
		// up to half of every item's capacity unused for the whole run.
		*s.item = bytes.Clone(s.scratch)
	default:
		if s.packed == nil {
			s.packed = map[*[]byte]*Item{}
		}
		s.packer.add(it, s.scratch)
		s.packed[s.item] = it
	}
	it.raw = *s.item
	s.scratch = s.scratch[:0]
	s.rl.Items = append(s.rl.Items, it)
	s.item = nil
}

// line files one line under the part it belongs to. false: not kpt's layout.
func (s *splitter) line(raw []byte) bool {
	text := yamllex.LineText(raw)
	if yamllex.HasBreak(text) {
		return false
	}
	if s.block.active {
		if n := yamllex.IndentOf(text); len(bytes.TrimSpace(text)) == 0 || n > s.block.indent {
			return s.keep(raw)
		}
		s.block.active = false
	}
	switch {
	case len(text) == 0:
		return s.keep(raw) // blank lines stay with what they follow
	case yamllex.Comment(text):
		// A comment at column 0 belongs to the document's head only before the first
		// key; elsewhere YAML attaches it to a neighbour the split cannot know.
		return s.cur == nil && s.keep(raw)
	case yamllex.IndentOf(text) > 0:
		return s.indented(raw, text)
	case yamllex.StartsDash(text):
		return s.entry(raw, text)
	}
	return s.topKey(raw, text)
}

// indented files a line inside a section or an item.
func (s *splitter) indented(raw, text []byte) bool {
	if s.cur == nil || (s.cur.key == "items" && s.item == nil) || s.cur.key == "apiVersion" || s.cur.key == "kind" {
		return false
	}
	if share, open := yamllex.ScanLine(text); open || (share && s.cur.key != "results") {
		return false
	}
	if s.item != nil && !s.itemStarted {
		if yamllex.Comment(bytes.TrimLeft(text, " ")) {
			// A comment before an item's first key: YAML attaches it by what
			// surrounds the item, which the item's text alone does not show.
			return false
		}
		s.itemStarted = yamllex.KeyLine(bytes.TrimSpace(text))
	}
	s.blockStart(text)
	return s.keep(raw)
}

// entry files a `- ` line at column 0: a new item, or a result.
func (s *splitter) entry(raw, text []byte) bool {
	if s.cur != nil && s.cur.key == "results" {
		_, open := yamllex.ScanLine(text[1:])
		return !open && s.keep(raw)
	}
	if s.cur == nil || s.cur.key != "items" || !yamllex.DashLine(text, 2) || yamllex.IsMarker(text) {
		return false
	}
	if share, open := yamllex.ScanLine(text[1:]); share || open {
		return false
	}
	s.closeItem()
	s.item = s.piece()
	rest := bytes.TrimSpace(text[1:])
	if yamllex.Comment(rest) {
		return false // "- # comment": see the comment before a first key
	}
	s.itemStarted = yamllex.KeyLine(rest)
	s.blockStart(text)
	return s.keep(raw)
}

// topKey starts a top-level section: one of a ResourceList's keys, once.
func (s *splitter) topKey(raw, text []byte) bool {
	if _, open := yamllex.ScanLine(text); open {
		return false
	}
	s.closeItem()
	key, value, found := yamllex.MappingEntry(string(text))
	if !found || s.seen[key] || !splittable(key, strings.TrimSpace(value)) {
		return false
	}
	s.seen[key] = true
	if key == "apiVersion" {
		s.rl.APIVersion = strings.TrimSpace(value)
	}
	s.cur = &section{key: key, text: s.piece()}
	s.sections = append(s.sections, s.cur)
	s.other = s.cur.text
	*s.other = append(*s.other, raw...)
	if key == "functionConfig" {
		s.fc = s.piece()
		s.other, s.cur.body = s.fc, s.fc
	}
	return true
}

// splittable: a top-level key and value the split reads (items as `- ` lines
// below the key, functionConfig as a block).
func splittable(key, value string) bool {
	switch key {
	case "apiVersion", "results":
		return true
	case "kind":
		return value == "ResourceList"
	case "items":
		return value == "" || value == "[]"
	case "functionConfig":
		return value == ""
	}
	return false
}

// keep files a line under the current part.
func (s *splitter) keep(raw []byte) bool {
	if s.item != nil {
		s.scratch = append(s.scratch, raw...)
	} else {
		*s.other = append(*s.other, raw...)
	}
	return true
}

// blockStart notes a line that starts a block scalar (`key: |`, `- >-`).
func (s *splitter) blockStart(text []byte) {
	if !yamllex.BlockHeaderLine(text) {
		return
	}
	s.block = blockScalar{active: true, indent: yamllex.IndentOf(text)}
	if yamllex.Dash(bytes.TrimLeft(text, " ")) {
		// `- key: |`: the scalar belongs to the key, indented past the "- ".
		s.block.indent += 2
	}
}

// hasSharing reports whether a tree holds an anchor or an alias.
func hasSharing(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Anchor != "" || n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasSharing(c) {
			return true
		}
	}
	return false
}

// readLine returns the next line with its newline, however long. The bytes are
// the reader's own when they fit its buffer: copy what must be kept.
func readLine(in *bufio.Reader) ([]byte, error) {
	line, err := in.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	long := append([]byte(nil), line...)
	for err == bufio.ErrBufferFull {
		line, err = in.ReadSlice('\n')
		long = append(long, line...)
	}
	return long, err
}
