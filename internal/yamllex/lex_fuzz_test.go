package yamllex

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// FuzzLexer holds the line lexer to go-yaml, the parser whose trees the text
// layer edits: for any text go-yaml reads,
//
//   - its lines are go-yaml's lines: every node's line exists, and a plain key
//     is found on its line at its column (breaks counted as go-yaml counts them:
//     CRLF, lone CR, NEL, LS, PS);
//
//   - no node starts on a line the lexer calls blank or a comment;
//
//   - a block scalar's line is one the lexer finds a block header on;
//
//   - an alias's line is one scanLine says may share content, and a line whose
//     scalar go-yaml reads past the line's end is one scanLine says is open,
//     where the split relies on it (lines that start with neither a quote nor a
//     flow indicator in the middle of a node are not claimed).
//
//     go test ./internal/resourcelist -run '^$' -fuzz '^FuzzLexer$' -fuzztime 60s
func FuzzLexer(f *testing.F) {
	for _, s := range []string{
		"a: 1\r\nb: |\n  x\r  y\nc: &x {d: e}\u0085f: *x\n",
		"- k: >-\n    folded\n  # c\n- \"q\n  r\": [1,\n  2]\n",
		"x: 'it''s # no comment'\u2028y: \"a\\\"b\" # c\n",
		"? complex\n: value\nz: !tag plain # c\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var doc yaml.Node
		if !utf8.Valid(in) || yaml.Unmarshal(in, &doc) != nil {
			return
		}
		li := NewLineIndex(in)
		walkNodes(&doc, nil, func(n, parent *yaml.Node, key bool) {
			checkNodeLine(t, in, li, n, parent, key)
		})
	})
}

// walkNodes calls visit on every node below n with its parent, and whether it
// is a mapping's key.
func walkNodes(n, parent *yaml.Node, visit func(n, parent *yaml.Node, key bool)) {
	for i, c := range n.Content {
		visit(c, n, n.Kind == yaml.MappingNode && i%2 == 0)
		walkNodes(c, n, visit)
	}
}

func checkNodeLine(t *testing.T, in []byte, li *LineIndex, n, parent *yaml.Node, key bool) {
	t.Helper()
	if n.Line < 1 || implicitNull(n) {
		return // an empty value has no text: go-yaml places it where the next token is
	}
	if n.Line > li.Lines() {
		t.Fatalf("go-yaml puts a node on line %d of %d lines:\n%q", n.Line, li.Lines(), in)
	}
	line := li.Line(n.Line)
	at := columnOffset(line, n.Column)
	if t0 := bytes.TrimLeft(line, " \t"); BlankOrComment(t0) && !(n.Kind == yaml.ScalarNode && at >= len(line)) {
		t.Fatalf("go-yaml starts a node on line %d, which the lexer calls blank or a comment (%q):\n%q", n.Line, line, in)
	}
	switch {
	case key && n.Kind == yaml.ScalarNode && n.Style == 0 && n.Tag == "!!str" && n.Anchor == "" && parent.Style&yaml.FlowStyle == 0:
		// A complex key (`? k`) may fold over lines: its first word is on its line.
		first, _, _ := bytes.Cut([]byte(n.Value), []byte(" "))
		if !bytes.HasPrefix(afterProperties(line[at:]), first) {
			t.Fatalf("the key %q is not at line %d column %d (%q):\n%q", n.Value, n.Line, n.Column, line, in)
		}
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		header := nodeText(li, n)
		if !BlockHeaderLine(header) {
			t.Fatalf("a block scalar starts on line %d, where the lexer finds no header (%q):\n%q", n.Line, line, in)
		}
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		text := afterProperties(line[at:])
		q := len(line) - len(text)
		if len(text) > 0 && (text[0] == '"' || text[0] == '\'') && QuoteEnd(line, q) < 0 {
			if _, open := ScanLine(line); !open {
				t.Fatalf("a quoted scalar goes on past line %d, which scanLine says is closed (%q):\n%q", n.Line, line, in)
			}
		}
	case n.Kind == yaml.AliasNode:
		if share, _ := ScanLine(line); !share {
			t.Fatalf("an alias is on line %d, which scanLine says shares nothing (%q):\n%q", n.Line, line, in)
		}
	}
}

// implicitNull: a value written as nothing (`a:`), which has no text of its own.
func implicitNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Value == "" && n.Style == 0 && n.Tag == "!!null"
}

// columnOffset is the byte offset of a 1-based column counted in characters.
func columnOffset(line []byte, column int) int {
	at := 0
	for c := 1; c < column && at < len(line); c++ {
		_, size := utf8.DecodeRune(line[at:])
		at += size
	}
	return at
}

// afterProperties is a node's text past its tag or anchor (go-yaml's column is
// where those start).
func afterProperties(t []byte) []byte {
	for len(t) > 0 && (t[0] == '!' || t[0] == '&') {
		i := bytes.IndexAny(t, " \t")
		if i < 0 {
			return nil
		}
		t = bytes.TrimLeft(t[i:], " \t")
	}
	return t
}

// nodeText is the line where a node's own text starts: past its tag or
// anchor, and the blank or comment lines after them.
func nodeText(li *LineIndex, n *yaml.Node) []byte {
	line := li.Line(n.Line)
	rest := afterProperties(bytes.TrimLeft(line[columnOffset(line, n.Column):], " \t"))
	for l := n.Line; BlankOrComment(bytes.TrimSpace(rest)) && l < li.Lines(); {
		l++
		line = li.Line(l)
		rest = bytes.TrimLeft(line, " \t")
	}
	return line
}
