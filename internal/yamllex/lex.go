// Package yamllex is the line lexer: what a line of YAML is to the code that
// works on lines, the text layer's readers and writers (kpt's layout, stream
// documents, the splice) and fastyaml's parser: its breaks as go-yaml counts
// them, its indentation, whether it is blank, a comment, a list entry's dash, a
// document marker, a directive or a key, where a quoted scalar ends, and where
// its value is still open. Every byte-level test of line syntax is here, held to
// go-yaml by FuzzLexer. breaks.go gives the output the input's line breaks back.
package yamllex

import (
	"bytes"
	"strings"
)

// Comment reports whether t, a line without its indentation, is a comment.
func Comment(t []byte) bool { return len(t) > 0 && CommentStart(t[0]) }

// BlankOrComment reports whether t, a line without its indentation, holds nothing to read.
func BlankOrComment(t []byte) bool { return len(t) == 0 || Comment(t) }

// Dash reports whether t, a line without its indentation, starts a list entry ("- " or a lone "-").
func Dash[T ~string | ~[]byte](t T) bool {
	return len(t) > 0 && t[0] == '-' && (len(t) == 1 || t[1] == ' ')
}

// Directive reports whether t, a line without its indentation, is a directive (%YAML, %TAG).
func Directive(t []byte) bool { return len(t) > 0 && t[0] == '%' }

// LF turns a CRLF line ending into LF. YAML reads both as one line break, but
// go-yaml attaches comments after a CRLF line to other nodes, and the output is LF.
func LF(line []byte) []byte {
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
		// A lone CR before it is a line break of its own: left a CR, it would make
		// a new CRLF with this line feed.
		for i := len(line) - 2; i >= 0 && line[i] == '\r'; i-- {
			line[i] = '\n'
		}
	}
	return line
}

// CRLF makes every CRLF and every lone CR a line feed: YAML reads each as one line
// break, and replacing CRLF alone would join a CR before it into a new CRLF (two
// breaks read as one).
func CRLF(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}

// BreakLen is the length of the line break b starts with, 0 if none: LF, CRLF, CR,
// and (as YAML 1.1, which go-yaml reads) NEL, LS and PS.
func BreakLen(b []byte) int {
	switch {
	case len(b) == 0:
		return 0
	case b[0] == '\n':
		return 1
	case b[0] == '\r':
		if len(b) > 1 && b[1] == '\n' {
			return 2
		}
		return 1
	case b[0] == 0xC2 && len(b) > 1 && b[1] == 0x85:
		return 2
	case b[0] == 0xE2 && len(b) > 2 && b[1] == 0x80 && (b[2] == 0xA8 || b[2] == 0xA9):
		return 3
	}
	return 0
}

// LineBreaks are breakLen's, CRLF before LF.
var LineBreaks = [][]byte{{'\r', '\n'}, {'\n'}, {'\r'}, {0xC2, 0x85}, {0xE2, 0x80, 0xA8}, {0xE2, 0x80, 0xA9}}

// HasBreak reports a line break inside a line: YAML (and go-yaml) also break lines
// at a lone CR, NEL, LS and PS, so the line is not what it seems to a line reader.
func HasBreak(text []byte) bool {
	return bytes.IndexByte(text, '\r') >= 0 || bytes.Contains(text, []byte("\u0085")) ||
		bytes.Contains(text, []byte("\u2028")) || bytes.Contains(text, []byte("\u2029"))
}

// HiddenMarker reports a break a line reader does not see (a lone CR, NEL, LS,
// PS: YAML breaks lines there too) right before what may be a document marker
// or a directive. Anywhere else such a break stays inside its document, which is
// read, and written back, on its own.
func HiddenMarker(input []byte) bool {
	for _, br := range []string{"\r", "\u0085", "\u2028", "\u2029"} {
		for rest := input; ; {
			i := bytes.Index(rest, []byte(br))
			if i < 0 {
				break
			}
			rest = rest[i+len(br):]
			if StartsDocument(rest) || EndsDocumentMarker(rest) || Directive(rest) {
				return true
			}
		}
	}
	return false
}

// IsMarker reports a document marker line (`---`, `...`).
func IsMarker(text []byte) bool {
	return (StartsDocument(text) || EndsDocumentMarker(text)) && (len(text) == 3 || text[3] == ' ' || text[3] == '\t')
}

// CommentAt reports a comment line indented no further than indent.
func CommentAt(line []byte, indent int) bool {
	return IndentOf(line) <= indent && Comment(bytes.TrimLeft(line, " "))
}

// EndsDocument reports a text whose last line is a document end marker (`...`).
func EndsDocument(text []byte) bool {
	text = bytes.TrimRight(text, "\n")
	last := text[bytes.LastIndexByte(text, '\n')+1:]
	return EndsDocumentMarker(last) && IsMarker(last)
}

// HasContent reports whether what follows a `---` on its line is more than a comment.
func HasContent(rest []byte) bool {
	t := bytes.TrimSpace(rest)
	return len(t) > 0 && !Comment(t)
}

// IndentOf is the number of spaces a line starts with.
func IndentOf[T ~string | ~[]byte](b T) int {
	n := 0
	for n < len(b) && b[n] == ' ' {
		n++
	}
	return n
}

// DashLine reports whether a line is the `- ` of a list entry whose mapping
// starts at column (1-based), on this line or below it.
func DashLine(line []byte, column int) bool {
	t := bytes.TrimLeft(line, " ")
	in := len(line) - len(t)
	return Dash(t) && in < column-1
}

// KeyLine reports whether a line starts a block mapping with a plain key: the
// object's first line must, or what follows may not be its keys (a flow mapping,
// a quoted key, a scalar).
func KeyLine(t []byte) bool {
	if len(t) == 0 || strings.IndexByte("{[\"'&*!|>%@`?#", t[0]) >= 0 || Dash(t) {
		return false
	}
	_, _, ok := MappingEntry(string(t))
	return ok
}

// OnlyComments reports whether a document's text holds nothing but blank lines and comments.
func OnlyComments(text []byte) bool {
	for _, l := range bytes.Split(text, []byte("\n")) {
		if t := bytes.TrimSpace(l); len(t) > 0 && !Comment(t) {
			return false
		}
	}
	return true
}

// NoContent reports a stream's text that holds no node: blank lines,
// comments, document markers (with at most a comment after them) and
// directives only.
func NoContent(text []byte) bool {
	for _, l := range bytes.Split(text, []byte("\n")) {
		t := bytes.TrimSpace(l)
		if len(t) > 0 && !Comment(t) && !Directive(l) && !(IsMarker(t) && !HasContent(t[3:])) {
			return false
		}
	}
	return true
}

// EmptyWithDirectives reports a document of directives, its `---` and nothing
// else but comments: empty, as the same document without directives is.
func EmptyWithDirectives(text []byte) bool {
	if !Directive(text) {
		return false
	}
	for _, l := range bytes.Split(text, []byte("\n")) {
		t := bytes.TrimSpace(l)
		if len(t) > 0 && !Comment(t) && !Directive(t) && !IsMarker(t) {
			return false
		}
	}
	return true
}

// ScanLine reads a line's YAML syntax as far as the split needs it. share: the
// line may hold an anchor (&name) or an alias (*name), where one item's content
// may stand in another, so items cannot be read apart. open: a quoted scalar or a
// flow collection is still open at the line's end, so the lines after it (a
// column-0 "- " among them) may be its text, not new entries. A quote opens a
// scalar only where a node starts (after indentation, "- ", ": ", a flow
// indicator); inside a plain scalar it is text. share errs on the side of yes (a
// plain "a & b" counts): a yes costs only the slower whole-document parse.
func ScanLine(text []byte) (share, open bool) {
	if bytes.IndexAny(text, "&*\"'[{") < 0 {
		return false, false
	}
	sc := lineScan{text: text, start: true}
	for sc.i = 0; sc.i < len(text); sc.i++ {
		var done bool
		if sc.plain {
			done = sc.inPlain(text[sc.i])
		} else {
			done = sc.atNode(text[sc.i])
		}
		if done {
			break
		}
	}
	return sc.share, sc.open || sc.flow > 0
}

// lineScan is scanLine's state: at byte i, in a plain scalar or where a node
// may start, how deep in flow collections.
type lineScan struct {
	text         []byte
	i, flow      int
	start, plain bool
	share, open  bool
}

func (sc *lineScan) blankAt(i int) bool {
	return i >= len(sc.text) || sc.text[i] == ' ' || sc.text[i] == '\t'
}

// inPlain reads a byte of a plain scalar; true: the rest of the line is a comment.
func (sc *lineScan) inPlain(c byte) bool {
	text, i := sc.text, sc.i
	switch {
	case (c == ' ' || c == '\t') && i+1 < len(text) && text[i+1] == '#':
		return true
	case c == ':' && (sc.blankAt(i+1) || (sc.flow > 0 && strings.IndexByte(",[]{}", text[i+1]) >= 0)):
		sc.plain, sc.start = false, true
	case sc.flow > 0 && c == ',':
		sc.plain, sc.start = false, true
	case sc.flow > 0 && (c == ']' || c == '}'):
		sc.plain, sc.start = false, false
		sc.flow--
	case (c == '&' || c == '*') && sc.blankAt(i-1):
		sc.share = true
	}
	return false
}

// atNode reads a byte outside a plain scalar; true: the scan is over (a
// Comment, a quote open at the line's end, a block scalar's header).
func (sc *lineScan) atNode(c byte) bool {
	switch {
	case c == ' ' || c == '\t':
	case c == '#' && (sc.i == 0 || sc.blankAt(sc.i-1)):
		return true
	case (c == '"' || c == '\'') && sc.start:
		end := QuoteEnd(sc.text, sc.i)
		if end < 0 {
			sc.open = true
			return true
		}
		sc.i, sc.start = end, false
	case (c == '[' || c == '{') && (sc.start || sc.flow > 0):
		sc.flow++
		sc.start = true
	case (c == ']' || c == '}') && sc.flow > 0:
		sc.flow--
		sc.start = false
	case c == ',' && sc.flow > 0:
		sc.start = true
	default:
		return sc.other(c)
	}
	return false
}

// other reads a property (anchor, alias, tag), an indicator, or a plain
// scalar's first byte.
func (sc *lineScan) other(c byte) bool {
	switch {
	case c == '&' || c == '*' || c == '!':
		// An anchor, an alias or a tag: its name runs to the next blank or flow
		// indicator (YAML's anchor and tag characters exclude both).
		sc.share = sc.share || c != '!'
		for sc.i+1 < len(sc.text) && !sc.blankAt(sc.i+1) && strings.IndexByte(",[]{}", sc.text[sc.i+1]) < 0 {
			sc.i++
		}
		sc.start = true
	case (c == '-' || c == '?' || c == ':') && sc.blankAt(sc.i+1):
		sc.start = true
	case (c == '|' || c == '>') && sc.start && sc.flow == 0:
		return true // a block scalar's header: its lines are text
	default:
		sc.plain, sc.start = true, false
	}
	return false
}

// BlockHeader reports whether t, a line without its comment and trailing
// blanks, ends in a block scalar's header (`key: |`, `- >-`, `|2+`).
func BlockHeader(t []byte) bool {
	i := len(t) - 1
	for i >= 0 && (t[i] == '+' || t[i] == '-' || (t[i] >= '0' && t[i] <= '9')) {
		i--
	}
	return i >= 0 && (t[i] == '|' || t[i] == '>') && (i == 0 || t[i-1] == ' ' || t[i-1] == '\t')
}

// BlockHeaderLine reports a line that starts a block scalar: it ends in a
// header, before its comment. go-yaml also takes a '#' right after the header's
// indicators (`|#c`) for a comment's start.
func BlockHeaderLine(line []byte) bool {
	t := bytes.TrimRight(line, " \t")
	for c := 0; c < len(t); c++ {
		if CommentStart(t[c]) && c > 0 && (t[c-1] == ' ' || t[c-1] == '\t' || BlockHeader(t[:c])) {
			t = bytes.TrimRight(t[:c], " \t")
			break
		}
	}
	return BlockHeader(t)
}

// HeaderIndicators reads the indicators after a block scalar's `|` or `>` at
// raw[from-1]: where they end, and the indentation digits among them.
func HeaderIndicators(raw []byte, from int) (end int, indent []byte) {
	end = from
	for end < len(raw) && (raw[end] == '+' || raw[end] == '-' || raw[end] >= '1' && raw[end] <= '9') {
		if raw[end] != '+' && raw[end] != '-' {
			indent = append(indent, raw[end])
		}
		end++
	}
	return end, indent
}

// ClipOrStrip reads a block scalar's header (from its `|` or `>` to the line's
// end, blanks after it allowed) that has no indentation indicator, no keep
// chomping and nothing after it: `|` (clip) or `|-` (strip).
func ClipOrStrip[T ~string | ~[]byte](header T) (strip, ok bool) {
	end := len(header)
	for end > 1 && header[end-1] == ' ' {
		end--
	}
	switch {
	case end == 1:
		return false, true
	case end == 2 && header[1] == '-':
		return true, true
	}
	return false, false
}

// EntryLine reports whether line, with indent spaces for its items, continues a
// list entry there: "- " at the start, or the entry's own text ("  k: v").
func EntryLine(line []byte) bool {
	return len(line) > 1 && (line[0] == ' ' || line[0] == '-') && line[1] == ' '
}

// CommentStart reports whether c begins a comment in a line (a '#').
func CommentStart(c byte) bool { return c == '#' }

// StartsDash reports whether line starts with a dash at its first column.
func StartsDash(line []byte) bool { return len(line) > 0 && line[0] == '-' }

// OnlyLineFeeds reports a text whose only line breaks are LF: no CR, and none of
// the bytes NEL, LS and PS start with.
func OnlyLineFeeds(text []byte) bool {
	return bytes.IndexByte(text, '\r') < 0 && bytes.IndexByte(text, 0xC2) < 0 && bytes.IndexByte(text, 0xE2) < 0
}

// NextLine cuts the first line (without its line break) off b.
func NextLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line, rest = b[:i], b[i+1:]
	} else {
		line = b
	}
	return bytes.TrimRight(line, "\r"), rest
}

// LineText is a line without its line break (LF or CRLF).
func LineText(raw []byte) []byte { return bytes.TrimRight(raw, "\r\n") }

// LineIndex gives the byte offset of each line of a text.
type LineIndex struct {
	text  []byte
	start []int // start[i] is where line i+1 begins; one more entry: the text's end
}

func NewLineIndex(text []byte) *LineIndex {
	li := &LineIndex{text: text, start: make([]int, 1, bytes.Count(text, []byte{'\n'})+2)}
	if OnlyLineFeeds(text) {
		// Only LF breaks: the common text, indexed at memchr speed.
		for i := 0; ; {
			j := bytes.IndexByte(text[i:], '\n')
			if j < 0 {
				break
			}
			if i += j + 1; i < len(text) {
				li.start = append(li.start, i)
			}
		}
	} else {
		for i := 0; i < len(text); i++ {
			// Lines as go-yaml counts them, so that its node lines index this text.
			if n := BreakLen(text[i:]); n > 0 {
				i += n - 1
				if i+1 < len(text) {
					li.start = append(li.start, i+1)
				}
			}
		}
	}
	li.start = append(li.start, len(text))
	return li
}

// Lines is the number of lines.
func (li *LineIndex) Lines() int { return len(li.start) - 1 }

// Offset is where line n (1-based) starts; line Lines()+1 is the text's end.
func (li *LineIndex) Offset(n int) int { return li.start[n-1] }

// Span is the text of lines from up to (not including) to, breaks included.
func (li *LineIndex) Span(from, to int) []byte { return li.text[li.start[from-1]:li.start[to-1]] }

// Text is the whole text.
func (li *LineIndex) Text() []byte { return li.text }

// Line is line n (1-based) without its line break.
func (li *LineIndex) Line(n int) []byte {
	l := li.text[li.start[n-1]:li.start[n]]
	for _, b := range LineBreaks {
		if bytes.HasSuffix(l, b) {
			return l[:len(l)-len(b)]
		}
	}
	return l
}

// LineCommentAt is where a value's trailing comment starts (its blank before
// the '#'), or -1.
func LineCommentAt[T ~string | ~[]byte](v T) int {
	for i := 1; i < len(v); i++ {
		if CommentStart(v[i]) && v[i-1] == ' ' {
			return i - 1
		}
	}
	return -1
}

// PlainLine reports a one-line text in which a plain scalar does not end
// early: no ": " (a key's end) and no " #" (a comment's start), in one pass.
func PlainLine[T ~string | ~[]byte](v T) bool {
	for i := 0; i+1 < len(v); i++ {
		if (v[i] == ':' && v[i+1] == ' ') || (v[i] == ' ' && CommentStart(v[i+1])) {
			return false
		}
	}
	return true
}

// LastLineComment is where a line's last " #" starts, or -1.
func LastLineComment(line []byte) int { return bytes.LastIndex(line, []byte(" #")) }

// StartsDocument reports a text that begins with a `---` marker's dashes.
func StartsDocument[T ~string | ~[]byte](text T) bool {
	return len(text) >= 3 && string(text[:3]) == "---"
}

// EndsDocumentMarker reports a text that begins with a `...` marker's dots.
func EndsDocumentMarker[T ~string | ~[]byte](text T) bool {
	return len(text) >= 3 && string(text[:3]) == "..."
}

// Indicator reports a byte that cannot start a plain scalar: YAML's indicators
// ('-' only before a blank, which PlainStart checks), and a space.
func Indicator(c byte) bool { return indicators[c] }

var indicators = func() (t [256]bool) {
	for _, c := range []byte("?:,[]{}#&*!|>'\"%@` ") {
		t[c] = true
	}
	return t
}()

// PlainStart reports a text that may start a plain scalar: not empty, no
// indicator first, not a list entry's dash, not a document marker.
func PlainStart[T ~string | ~[]byte](v T) bool {
	if len(v) == 0 || indicators[v[0]] {
		return false
	}
	switch v[0] {
	case '-':
		return !Dash(v) && !StartsDocument(v)
	case '.':
		return !EndsDocumentMarker(v)
	}
	return true
}

// HoldsDocumentStart reports a separator with a `---` in it.
func HoldsDocumentStart(sep []byte) bool { return bytes.Contains(sep, []byte("---")) }

// HoldsComment reports a text with a '#' in it: comment-only documents hold one.
func HoldsComment(text []byte) bool { return bytes.IndexByte(text, '#') >= 0 }

// MappingEntry splits a block mapping line into key and value: the key ends at the
// first ':' followed by a blank or the end of the line (`kind::` is the key "kind:").
func MappingEntry(line string) (key, value string, ok bool) {
	for i := 0; i < len(line); i++ {
		if line[i] == ':' && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t') {
			return line[:i], line[i+1:], true
		}
	}
	return "", "", false
}

// QuoteEnd is the index of the quote that closes the scalar opened at at on the
// same text (a line), or -1: in a double-quoted scalar a backslash escapes the
// next byte, in a single-quoted one ” is a quote. The reader's line scan and
// fastyaml's parser find quoted scalars' ends with it alike.
func QuoteEnd[T ~string | ~[]byte](t T, at int) int {
	q := t[at]
	for j := at + 1; j < len(t); j++ {
		switch {
		case q == '"' && t[j] == '\\':
			j++
		case t[j] == q && q == '\'' && j+1 < len(t) && t[j+1] == '\'':
			j++
		case t[j] == q:
			return j
		}
	}
	return -1
}
