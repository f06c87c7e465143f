package resourcelist

import (
	"bytes"
	"strings"

	"github.com/kubevirt-networks/kubevirt-networks/internal/fastyaml"
)

// The line lexer: what a line of YAML is to the readers and writers that work
// on lines (kpt's layout, stream documents, the splice): its breaks as go-yaml
// counts them, its indentation, whether it is blank, a comment, a list entry's
// dash, a document marker, a directive or a key, and where its value is still
// open. Every byte-level test of line syntax is here.

// comment reports whether t, a line without its indentation, is a comment.
func comment(t []byte) bool { return len(t) > 0 && t[0] == '#' }

// blankOrComment reports whether t, a line without its indentation, holds nothing to read.
func blankOrComment(t []byte) bool { return len(t) == 0 || t[0] == '#' }

// dash reports whether t, a line without its indentation, starts a list entry ("- " or a lone "-").
func dash(t []byte) bool { return len(t) > 0 && t[0] == '-' && (len(t) == 1 || t[1] == ' ') }

// directive reports whether t, a line without its indentation, is a directive (%YAML, %TAG).
func directive(t []byte) bool { return len(t) > 0 && t[0] == '%' }

// lf turns a CRLF line ending into LF. YAML reads both as one line break, but
// go-yaml attaches comments after a CRLF line to other nodes, and the output is LF.
func lf(line []byte) []byte {
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

// crlf makes every CRLF and every lone CR a line feed: YAML reads each as one line
// break, and replacing CRLF alone would join a CR before it into a new CRLF (two
// breaks read as one).
func crlf(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}

// breakLen is the length of the line break b starts with, 0 if none: LF, CRLF, CR,
// and (as YAML 1.1, which go-yaml reads) NEL, LS and PS.
func breakLen(b []byte) int {
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

// lineBreaks are breakLen's, CRLF before LF.
var lineBreaks = [][]byte{{'\r', '\n'}, {'\n'}, {'\r'}, {0xC2, 0x85}, {0xE2, 0x80, 0xA8}, {0xE2, 0x80, 0xA9}}

// hasBreak reports a line break inside a line: YAML (and go-yaml) also break lines
// at a lone CR, NEL, LS and PS, so the line is not what it seems to a line reader.
func hasBreak(text []byte) bool {
	return bytes.IndexByte(text, '\r') >= 0 || bytes.Contains(text, []byte("\u0085")) ||
		bytes.Contains(text, []byte("\u2028")) || bytes.Contains(text, []byte("\u2029"))
}

// hiddenMarker reports a break a line reader does not see (a lone CR, NEL, LS,
// PS: YAML breaks lines there too) right before what may be a document marker
// or a directive. Anywhere else such a break stays inside its document, which is
// read, and written back, on its own.
func hiddenMarker(input []byte) bool {
	for _, br := range []string{"\r", "\u0085", "\u2028", "\u2029"} {
		for rest := input; ; {
			i := bytes.Index(rest, []byte(br))
			if i < 0 {
				break
			}
			rest = rest[i+len(br):]
			if bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("...")) || bytes.HasPrefix(rest, []byte("%")) {
				return true
			}
		}
	}
	return false
}

// isMarker reports a document marker line (`---`, `...`).
func isMarker(text []byte) bool {
	return (bytes.HasPrefix(text, []byte("---")) || bytes.HasPrefix(text, []byte("..."))) &&
		(len(text) == 3 || text[3] == ' ' || text[3] == '\t')
}

// commentAt reports a comment line indented no further than indent.
func commentAt(line []byte, indent int) bool {
	return indentOf(line) <= indent && comment(bytes.TrimLeft(line, " "))
}

// endsDocument reports a text whose last line is a document end marker (`...`).
func endsDocument(text []byte) bool {
	text = bytes.TrimRight(text, "\n")
	last := text[bytes.LastIndexByte(text, '\n')+1:]
	return bytes.HasPrefix(last, []byte("...")) && isMarker(last)
}

// hasContent reports whether what follows a `---` on its line is more than a comment.
func hasContent(rest []byte) bool {
	t := bytes.TrimSpace(rest)
	return len(t) > 0 && t[0] != '#'
}

// indentOf is the number of spaces a line starts with.
func indentOf(b []byte) int {
	n := 0
	for n < len(b) && b[n] == ' ' {
		n++
	}
	return n
}

// dashLine reports whether a line is the `- ` of a list entry whose mapping
// starts at column (1-based), on this line or below it.
func dashLine(line []byte, column int) bool {
	t := bytes.TrimLeft(line, " ")
	in := len(line) - len(t)
	return len(t) > 0 && t[0] == '-' && (len(t) == 1 || t[1] == ' ') && in < column-1
}

// keyLine reports whether a line starts a block mapping with a plain key: the
// object's first line must, or what follows may not be its keys (a flow mapping,
// a quoted key, a scalar).
func keyLine(t []byte) bool {
	if len(t) == 0 || strings.IndexByte("{[\"'&*!|>%@`?#", t[0]) >= 0 {
		return false
	}
	_, _, ok := mappingEntry(string(t))
	return ok
}

// onlyComments reports whether a document's text holds nothing but blank lines and comments.
func onlyComments(text []byte) bool {
	for _, l := range bytes.Split(text, []byte("\n")) {
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] != '#' {
			return false
		}
	}
	return true
}

// emptyWithDirectives reports a document of directives, its `---` and nothing
// else but comments: empty, as the same document without directives is.
func emptyWithDirectives(text []byte) bool {
	if len(text) == 0 || text[0] != '%' {
		return false
	}
	for _, l := range bytes.Split(text, []byte("\n")) {
		t := bytes.TrimSpace(l)
		if len(t) > 0 && t[0] != '#' && t[0] != '%' && !isMarker(t) {
			return false
		}
	}
	return true
}

// scanLine reads a line's YAML syntax as far as the split needs it. share: the
// line may hold an anchor (&name) or an alias (*name), where one item's content
// may stand in another, so items cannot be read apart. open: a quoted scalar or a
// flow collection is still open at the line's end, so the lines after it (a
// column-0 "- " among them) may be its text, not new entries. A quote opens a
// scalar only where a node starts (after indentation, "- ", ": ", a flow
// indicator); inside a plain scalar it is text. share errs on the side of yes (a
// plain "a & b" counts): a yes costs only the slower whole-document parse.
func scanLine(text []byte) (share, open bool) {
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
// comment, a quote open at the line's end, a block scalar's header).
func (sc *lineScan) atNode(c byte) bool {
	switch {
	case c == ' ' || c == '\t':
	case c == '#' && (sc.i == 0 || sc.blankAt(sc.i-1)):
		return true
	case (c == '"' || c == '\'') && sc.start:
		end := fastyaml.QuoteEnd(sc.text, sc.i)
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
		// An anchor, an alias or a tag: its name runs to the next blank.
		sc.share = sc.share || c != '!'
		for sc.i+1 < len(sc.text) && !sc.blankAt(sc.i+1) {
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

// blockHeader reports whether t, a line without its comment and trailing
// blanks, ends in a block scalar's header (`key: |`, `- >-`, `|2+`).
func blockHeader(t []byte) bool {
	i := len(t) - 1
	for i >= 0 && (t[i] == '+' || t[i] == '-' || (t[i] >= '0' && t[i] <= '9')) {
		i--
	}
	return i >= 0 && (t[i] == '|' || t[i] == '>') && (i == 0 || t[i-1] == ' ' || t[i-1] == '\t')
}

// blockHeaderLine reports a line that starts a block scalar: it ends in a
// header, before its comment. go-yaml also takes a '#' right after the header's
// indicators (`|#c`) for a comment's start.
func blockHeaderLine(line []byte) bool {
	t := bytes.TrimRight(line, " \t")
	for c := 0; c < len(t); c++ {
		if commentStart(t[c]) && c > 0 && (t[c-1] == ' ' || t[c-1] == '\t' || blockHeader(t[:c])) {
			t = bytes.TrimRight(t[:c], " \t")
			break
		}
	}
	return blockHeader(t)
}

// headerIndicators reads the indicators after a block scalar's `|` or `>` at
// raw[from-1]: where they end, and the indentation digits among them.
func headerIndicators(raw []byte, from int) (end int, indent []byte) {
	end = from
	for end < len(raw) && (raw[end] == '+' || raw[end] == '-' || raw[end] >= '1' && raw[end] <= '9') {
		if raw[end] != '+' && raw[end] != '-' {
			indent = append(indent, raw[end])
		}
		end++
	}
	return end, indent
}

// entryLine reports whether line, with indent spaces for its items, continues a
// list entry there: "- " at the start, or the entry's own text ("  k: v").
func entryLine(line []byte) bool {
	return len(line) > 1 && (line[0] == ' ' || line[0] == '-') && line[1] == ' '
}

// commentStart reports whether c begins a comment in a line (a '#').
func commentStart(c byte) bool { return c == '#' }

// startsDash reports whether line starts with a dash at its first column.
func startsDash(line []byte) bool { return len(line) > 0 && line[0] == '-' }

// onlyLineFeeds reports a text whose only line breaks are LF: no CR, and none of
// the bytes NEL, LS and PS start with.
func onlyLineFeeds(text []byte) bool {
	return bytes.IndexByte(text, '\r') < 0 && bytes.IndexByte(text, 0xC2) < 0 && bytes.IndexByte(text, 0xE2) < 0
}

// nextLine cuts the first line (without its line break) off b.
func nextLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line, rest = b[:i], b[i+1:]
	} else {
		line = b
	}
	return bytes.TrimRight(line, "\r"), rest
}

// lineText is a line without its line break (LF or CRLF).
func lineText(raw []byte) []byte { return bytes.TrimRight(raw, "\r\n") }

// lineIndex gives the byte offset of each line of a text.
type lineIndex struct {
	text  []byte
	start []int // start[i] is where line i+1 begins; one more entry: the text's end
}

func newLineIndex(text []byte) *lineIndex {
	li := &lineIndex{text: text, start: make([]int, 1, bytes.Count(text, []byte{'\n'})+2)}
	if onlyLineFeeds(text) {
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
			if n := breakLen(text[i:]); n > 0 {
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

func (li *lineIndex) lines() int { return len(li.start) - 1 }

// line is line n (1-based) without its line break.
func (li *lineIndex) line(n int) []byte {
	l := li.text[li.start[n-1]:li.start[n]]
	for _, b := range lineBreaks {
		if bytes.HasSuffix(l, b) {
			return l[:len(l)-len(b)]
		}
	}
	return l
}

// lineCommentAt is where a value's trailing comment starts (its blank before
// the '#'), or -1.
func lineCommentAt[T ~string | ~[]byte](v T) int {
	for i := 1; i < len(v); i++ {
		if commentStart(v[i]) && v[i-1] == ' ' {
			return i - 1
		}
	}
	return -1
}

// lastLineComment is where a line's last " #" starts, or -1.
func lastLineComment(line []byte) int { return bytes.LastIndex(line, []byte(" #")) }

// startsDocument reports a text that begins with a `---` marker's dashes.
func startsDocument(text []byte) bool { return bytes.HasPrefix(text, []byte("---")) }

// holdsDocumentStart reports a separator with a `---` in it.
func holdsDocumentStart(sep []byte) bool { return bytes.Contains(sep, []byte("---")) }

// holdsComment reports a text with a '#' in it: comment-only documents hold one.
func holdsComment(text []byte) bool { return bytes.IndexByte(text, '#') >= 0 }
