package fastyaml

import (
	"bytes"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
)

// maxDepth bounds the nesting the parser follows; deeper input goes to go-yaml,
// which has its own limit and error.
const maxDepth = 64

// line is one line of the text, without its line break.
type line struct {
	start, end int // byte offsets in the text
	indent     int // leading spaces
}

func (l line) blank() bool { return l.indent == l.end-l.start }

type parser struct {
	src   string // the whole text: scalar values are substrings of it
	lines []line
	i     int // the current line
	depth int
	slab  []yaml.Node
	ok    bool
	// buffers, when set, lent lines and slab: grown only past their capacity.
	buffers *Buffers
}

// Parse returns the document node of src, or false when src is not in the subset
// this parser reads exactly as go-yaml does.
func Parse(src []byte) (*yaml.Node, bool) {
	return ParseReusing(src, nil)
}

// Buffers are a parse's memory, for a caller that parses, looks and throws the
// tree away (a read-back check): the next ParseReusing with them reuses it.
type Buffers struct {
	slab  []yaml.Node
	lines []line
}

// ParseReusing is Parse with memory from b (nil: its own). The tree it returns
// is valid until the next ParseReusing with the same b.
func ParseReusing(src []byte, b *Buffers) (*yaml.Node, bool) {
	if len(src) == 0 || src[len(src)-1] != '\n' {
		return nil, false // a last line without its break changes block scalars
	}
	p := &parser{src: string(src), ok: true, buffers: b}
	if b != nil {
		p.lines, p.slab = b.lines[:0], b.slab[:0]
		defer func() { b.lines, b.slab = p.lines[:0], p.slab[:0] }()
	}
	if !p.split(bytes.Count(src, []byte{'\n'})) {
		return nil, false
	}
	p.skipBlank()
	if p.i >= len(p.lines) || p.cur().indent != 0 {
		return nil, false
	}
	doc := p.node(yaml.DocumentNode, "", "", p.i, 0)
	var root *yaml.Node
	if p.isEntry(p.cur(), 0) {
		root = p.sequence(0)
	} else {
		root = p.mapping(0, p.i)
	}
	p.skipBlank()
	if !p.ok || root == nil || p.i < len(p.lines) {
		return nil, false
	}
	doc.Content = []*yaml.Node{root}
	return doc, true
}

// split cuts the text into lines and refuses bytes the subset leaves to go-yaml:
// tabs, carriage returns, other control characters and non-ASCII text (go-yaml
// counts columns in characters, and checks what is printable).
func (p *parser) split(n int) bool {
	src := p.src
	if cap(p.lines) < n {
		p.lines = make([]line, 0, n)
	}
	for start := 0; start < len(src); {
		end := strings.IndexByte(src[start:], '\n')
		if end < 0 {
			return false // Parse asks for a final line break
		}
		end += start
		if !printable(src[start:end]) {
			return false
		}
		p.lines = append(p.lines, line{start: start, end: end, indent: yamllex.IndentOf(src[start:end])})
		start = end + 1
	}
	// A key and a value per ':', a node per entry: one slab for all, where the
	// lines of a block scalar (cloud-init) would otherwise count as nodes.
	// Lent memory large enough for a node per key and value on every line is
	// used without counting.
	if p.buffers != nil && cap(p.slab) >= 2*len(p.lines)+2 {
		return true
	}
	est := min(2*strings.Count(src, ":")+strings.Count(src, "- ")+4, 2*len(p.lines)+2)
	if p.buffers == nil || cap(p.slab) < est {
		p.slab = make([]yaml.Node, 0, est)
	}
	return true
}

func (p *parser) cur() line { return p.lines[p.i] }

func (p *parser) text(l line) string { return p.src[l.start:l.end] }

func (p *parser) skipBlank() {
	for p.i < len(p.lines) && p.lines[p.i].blank() {
		p.i++
	}
}

func (p *parser) fail() *yaml.Node {
	p.ok = false
	return nil
}

// node makes a node at line l (0-based), column col (0-based), as go-yaml does.
func (p *parser) node(kind yaml.Kind, tag, value string, l, col int) *yaml.Node {
	if len(p.slab) == cap(p.slab) {
		p.slab = make([]yaml.Node, 0, 32+cap(p.slab)/4)
	}
	p.slab = append(p.slab, yaml.Node{Kind: kind, Tag: tag, Value: value, Line: l + 1, Column: col + 1})
	return &p.slab[len(p.slab)-1]
}

// isEntry reports whether line l holds a sequence entry "- " at indent n.
func (p *parser) isEntry(l line, n int) bool {
	t := p.text(l)
	return l.indent == n && len(t) > n && yamllex.Dash(t[n:])
}

// sequence reads a block sequence whose entries start at column n on the current line.
func (p *parser) sequence(n int) *yaml.Node {
	if p.depth++; p.depth > maxDepth {
		return p.fail()
	}
	defer func() { p.depth-- }()
	seq := p.node(yaml.SequenceNode, "!!seq", "", p.i, n)
	for p.skipBlank(); p.ok && p.i < len(p.lines); p.skipBlank() {
		l := p.cur()
		if l.indent < n || (l.indent == n && !p.isEntry(l, n)) {
			break
		}
		if l.indent > n {
			return p.fail()
		}
		t := p.text(l)
		c := n + 1
		for c < len(t) && t[c] == ' ' {
			c++
		}
		if c == len(t) {
			return p.fail() // an empty entry: go-yaml places its null where we would guess
		}
		seq.Content = append(seq.Content, p.entry(n, c))
	}
	return seq
}

// entry reads the node of a sequence entry whose content starts at column c of
// the current line; the sequence is at column n.
func (p *parser) entry(n, c int) *yaml.Node {
	t := p.text(p.cur())
	if !strings.ContainsRune("{['\"", rune(t[c])) && isKey(t[c:]) {
		return p.mapping(c, p.i)
	}
	return p.oneLine(t, c, n)
}

// oneLine reads a value that ends on its line, at column at, in a collection at
// column n: a flow collection, a quoted scalar or a plain one.
func (p *parser) oneLine(t string, at, n int) *yaml.Node {
	var v *yaml.Node
	switch t[at] {
	case '{', '[':
		v = p.flow(at)
	case '"', '\'':
		var end int
		if v, end = p.quoted(t, at); v == nil || !blankFrom(t, end) {
			return p.fail() // a quoted key, or text after the scalar
		}
		p.i++
	default:
		v = p.plain(t, at)
		p.i++
	}
	p.endValue(n)
	return v
}

// endValue checks that a one-line value does not go on: the next line that is not
// blank must not be indented deeper than the collection it belongs to (at n).
func (p *parser) endValue(n int) {
	p.skipBlank()
	if p.ok && p.i < len(p.lines) && p.cur().indent > n {
		p.fail()
	}
}

// mapping reads a block mapping whose keys are at column c, the first on line first.
func (p *parser) mapping(c, first int) *yaml.Node {
	if p.depth++; p.depth > maxDepth {
		return p.fail()
	}
	defer func() { p.depth-- }()
	m := p.node(yaml.MappingNode, "!!map", "", first, c)
	for p.skipBlank(); p.ok && p.i < len(p.lines); p.skipBlank() {
		l := p.cur()
		if p.i != first {
			if l.indent < c {
				break
			}
			if l.indent > c || p.isEntry(l, c) {
				return p.fail()
			}
		}
		t := p.text(l)
		k, colon := p.key(t, c)
		if k == nil {
			return p.fail()
		}
		m.Content = append(m.Content, k, p.value(t, c, colon+1))
	}
	return m
}

// key reads a plain key at column c; colon is the column of its ':'.
func (p *parser) key(t string, c int) (*yaml.Node, int) {
	end := keyEnd(t[c:])
	if end <= 0 {
		return nil, 0
	}
	v := t[c : c+end]
	if !plainOK(v) || v == "<<" || len(v) > 1000 {
		return nil, 0
	}
	return p.node(yaml.ScalarNode, resolveTag(v), v, p.i, c), c + end
}

// value reads the value of a key in a mapping at column c, starting after the
// key's ':' at column at on the current line.
func (p *parser) value(t string, c, at int) *yaml.Node {
	for at < len(t) && t[at] == ' ' {
		at++
	}
	if at == len(t) {
		// The value is on the lines below: deeper, or a sequence at the key's column.
		p.i++
		p.skipBlank()
		if p.i >= len(p.lines) {
			return p.fail()
		}
		l := p.cur()
		switch {
		case l.indent == c && p.isEntry(l, c):
			return p.sequence(c)
		case l.indent <= c:
			return p.fail() // an empty value
		case p.isEntry(l, l.indent):
			return p.sequence(l.indent)
		case isKey(p.text(l)[l.indent:]):
			return p.mapping(l.indent, p.i)
		}
		return p.fail() // a scalar on a line of its own
	}
	if t[at] == '|' {
		return p.literal(t, c, at)
	}
	return p.oneLine(t, at, c)
}

// plain reads a one-line plain scalar from column at to the end of the line.
func (p *parser) plain(t string, at int) *yaml.Node {
	end := len(t)
	for end > at && t[end-1] == ' ' {
		end--
	}
	v := t[at:end]
	if !plainOK(v) || v == "<<" {
		return p.fail()
	}
	return p.node(yaml.ScalarNode, resolveTag(v), v, p.i, at)
}

// literal reads a `|` or `|-` block scalar whose indicator is at column at; the
// mapping it is a value of is at column c.
func (p *parser) literal(t string, c, at int) *yaml.Node {
	strip, ok := yamllex.ClipOrStrip(t[at:])
	if !ok {
		return p.fail() // keep (+), an indentation indicator, or text after it
	}
	v := p.node(yaml.ScalarNode, "!!str", "", p.i, at)
	v.Style = yaml.LiteralStyle
	p.i++
	// The content's indentation is the first non-empty line's; lines that are not
	// empty yet hold only spaces, go-yaml reads by rules this parser leaves to it.
	indent := -1
	var b []byte
	pendingBreaks := 0
	for ; p.i < len(p.lines); p.i++ {
		l := p.cur()
		if l.end == l.start {
			pendingBreaks++
			continue
		}
		if l.blank() {
			return p.fail()
		}
		if indent < 0 {
			if l.indent <= c {
				break
			}
			indent = l.indent
		}
		if l.indent < indent {
			break
		}
		for ; pendingBreaks > 0; pendingBreaks-- {
			b = append(b, '\n')
		}
		b = append(b, p.src[l.start+indent:l.end]...)
		b = append(b, '\n')
	}
	if indent < 0 {
		return p.fail() // no content: go-yaml's empty block scalars are left to it
	}
	if strip {
		b = b[:len(b)-1]
	}
	v.Value = string(b)
	if p.i < len(p.lines) && p.cur().indent > c {
		return p.fail()
	}
	return v
}

// quoted reads a one-line quoted scalar starting at column at; end is the column
// after its closing quote. Double-quoted scalars with escapes are left to go-yaml.
func (p *parser) quoted(t string, at int) (*yaml.Node, int) {
	q := t[at]
	var value string
	end := yamllex.QuoteEnd(t, at)
	switch {
	case end < 0:
	case q == '"' && strings.Contains(t[at+1:end], "\\"):
		return nil, 0
	case q == '"':
		value = t[at+1 : end]
	default:
		value = strings.ReplaceAll(t[at+1:end], "''", "'")
	}
	if end >= 0 {
		end++
	}
	if end < 0 {
		return nil, 0 // not closed on this line
	}
	v := p.node(yaml.ScalarNode, "!!str", value, p.i, at)
	if q == '"' {
		v.Style = yaml.DoubleQuotedStyle
	} else {
		v.Style = yaml.SingleQuotedStyle
	}
	return v, end
}

// flow reads a one-line flow mapping or sequence of scalars starting at column at,
// and moves to the next line.
func (p *parser) flow(at int) *yaml.Node {
	t := p.text(p.cur())
	open := t[at]
	kind, tag, closer := yaml.MappingNode, "!!map", byte('}')
	if open == '[' {
		kind, tag, closer = yaml.SequenceNode, "!!seq", ']'
	}
	n := p.node(kind, tag, "", p.i, at)
	n.Style = yaml.FlowStyle
	i := skipSpaces(t, at+1)
	if i < len(t) && t[i] == closer {
		i++
	} else {
		for {
			item, next := p.flowScalar(t, i)
			if item == nil {
				return p.fail()
			}
			n.Content = append(n.Content, item)
			i = skipSpaces(t, next)
			if kind == yaml.MappingNode {
				if i >= len(t) || t[i] != ':' {
					return p.fail() // a key without a value
				}
				if i+1 >= len(t) || t[i+1] != ' ' {
					return p.fail()
				}
				value, after := p.flowScalar(t, skipSpaces(t, i+1))
				if value == nil {
					return p.fail()
				}
				n.Content = append(n.Content, value)
				i = skipSpaces(t, after)
			}
			if i >= len(t) {
				return p.fail()
			}
			if t[i] == closer {
				i++
				break
			}
			if t[i] != ',' {
				return p.fail()
			}
			i = skipSpaces(t, i+1)
			if i < len(t) && t[i] == closer {
				return p.fail() // a trailing comma: left to go-yaml
			}
		}
	}
	if !blankFrom(t, i) {
		return p.fail()
	}
	p.i++
	return n
}

// flowScalar reads a scalar inside a flow collection at column at.
func (p *parser) flowScalar(t string, at int) (*yaml.Node, int) {
	if at >= len(t) {
		return nil, 0
	}
	if t[at] == '"' || t[at] == '\'' {
		return p.quoted(t, at)
	}
	// Plain scalars in flow collections have rules of their own: only plain words
	// are read here (letters, digits, - _ . / +, inner spaces).
	end := at
	for end < len(t) && (flowWordByte(t[end]) || t[end] == ' ') {
		end++
	}
	stop := end
	for end > at && t[end-1] == ' ' {
		end--
	}
	v := t[at:end]
	if v == "" || !plainOK(v) || (stop < len(t) && t[stop] != ',' && t[stop] != ':' && t[stop] != ']' && t[stop] != '}') {
		return nil, 0
	}
	return p.node(yaml.ScalarNode, resolveTag(v), v, p.i, at), end
}

func flowWordByte(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '/' || c == '+'
}

func skipSpaces(t string, i int) int {
	for i < len(t) && t[i] == ' ' {
		i++
	}
	return i
}

func blankFrom(t string, i int) bool {
	for ; i < len(t); i++ {
		if t[i] != ' ' {
			return false
		}
	}
	return true
}

// keyEnd returns the length of a plain key at the start of t (the column of the
// ':' that ends it, followed by a space or the line's end), or -1.
func keyEnd(t string) int {
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case ':':
			if i+1 == len(t) || t[i+1] == ' ' {
				if i > 0 && t[i-1] == ' ' {
					return -1 // "a : b": left to go-yaml
				}
				return i
			}
		case '"', '\'', '{', '[', ',':
			return -1
		default:
			if yamllex.CommentStart(t[i]) {
				return -1
			}
		}
	}
	return -1
}

// isKey reports whether t starts with a plain key and its ':'.
func isKey(t string) bool {
	end := keyEnd(t)
	return end > 0 && plainOK(t[:end])
}

// plainOK reports whether v is a one-line plain scalar go-yaml reads as the same
// text: it starts with no indicator (but '-' before a non-space, as in -1), holds
// no ": " or " #", and does not end with ':'.
func plainOK(v string) bool {
	if v == "" {
		return false
	}
	if !yamllex.PlainStart(v) || v[len(v)-1] == ':' {
		return false
	}
	return yamllex.PlainLine(v)
}

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// printable reports whether s holds only printable ASCII (0x20 to 0x7e), eight
// bytes at a time: the bytes the subset leaves to go-yaml are rare, and the
// test runs over every byte of every object the function parses.
func printable(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// A byte with its high bit set, below 0x20, or 0x7f.
		if w&highs != 0 || (w-0x20*lows)&^w&highs != 0 || ((w^0x7f*lows)-lows)&^(w^0x7f*lows)&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}
