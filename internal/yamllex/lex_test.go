package yamllex

import (
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Each line predicate on the lines it must tell apart.
func TestLineKinds(t *testing.T) {
	type pred struct {
		name string
		f    func([]byte) bool
		yes  []string
		no   []string
	}
	for _, p := range []pred{
		{"Comment", Comment, []string{"#", "# c", "#c"}, []string{"", "a # c", " #"}},
		{"BlankOrComment", BlankOrComment, []string{"", "# c"}, []string{"a", "- # c"}},
		{"Dash", func(b []byte) bool { return Dash(b) }, []string{"-", "- a", "-  "}, []string{"-1", "--", "---", "-\ta", ""}},
		{"Directive", Directive, []string{"%YAML 1.1", "%TAG ! x"}, []string{"a%", ""}},
		{"IsMarker", IsMarker, []string{"---", "...", "--- # c", "---\tx", "--- a"}, []string{"----", "--", "-- -", "....", "a---"}},
		{"EndsDocument", EndsDocument, []string{"a: 1\n...\n", "...", "a\n... # end\n\n"}, []string{"a: 1\n", "...x\n", "a: ...\n"}},
		{"HasContent", HasContent, []string{" a", "a: 1 # c", "{}"}, []string{"", "  ", " # c"}},
		{"KeyLine", KeyLine, []string{"a: 1", "a:", "a b: c", "a:: b"}, []string{"{a: 1}", "\"a\": 1", "- a: 1", "&x a: 1", "a", "? a", "#a: 1"}},
		{"EntryLine", EntryLine, []string{"- a", "  k: v"}, []string{"a", "-a", " "}},
		{"BlockHeader", BlockHeader, []string{"a: |", "- >-", "|2+", "a:\t>", "k: |-"}, []string{"a: b|", "a: '|'x", "", "a: |x"}},
		{"BlockHeaderLine", BlockHeaderLine, []string{"a: | # c", "a: |#c", "a: >-  ", "a:\t|"}, []string{"a: '|' # c", "a: # |", "a: x #|"}},
		{"HiddenMarker", HiddenMarker, []string{"a: 1\r---\n", "a\u0085...", "a\u2028%YAML 1.1", "a\u2029---"}, []string{"a: 1\n---\n", "a\r\n---\n", "a: \"x\u0085y\""}},
		{"HasBreak", HasBreak, []string{"a\rb", "a\u0085b", "a\u2028", "a\u2029"}, []string{"a b", "ä €"}},
		{"OnlyLineFeeds", OnlyLineFeeds, []string{"a\nb\n", "", "ascii only"}, []string{"a\r\n", "a\u0085", "a\u2028"}},
		{"OnlyComments", OnlyComments, []string{"", "# a\n\n  # b\n"}, []string{"a: 1\n", "# c\nb\n", "---\n# c\n"}},
		{"NoContent", NoContent, []string{"", "# a\n---\n# b\n", "--- # c\n...\n%YAML 1.1\n---\n"}, []string{"---\nnull\n", "a: 1\n", "--- a\n"}},
		{"EmptyWithDirectives", EmptyWithDirectives, []string{"%YAML 1.1\n---\n# c\n"}, []string{"%YAML 1.1\n---\na: 1\n", "# c\n"}},
	} {
		for _, y := range p.yes {
			if !p.f([]byte(y)) {
				t.Errorf("%s(%q) = false, want true", p.name, y)
			}
		}
		for _, n := range p.no {
			if p.f([]byte(n)) {
				t.Errorf("%s(%q) = true, want false", p.name, n)
			}
		}
	}
}

// The split's line scan: where content may be shared (an anchor or alias, a
// yes on doubt), and where a line's value is still open at its end.
func TestScanLine(t *testing.T) {
	for _, c := range []struct {
		line        string
		share, open bool
	}{
		{"a: b", false, false},
		{"a: &x b", true, false},
		{"- *x", true, false},
		{"a: !tag b", false, false},
		{"a: 'x & *y'", false, false},
		{"a: \"x", false, true},
		{"a: 'it''s", false, true},
		{"a: [1, 2", false, true},
		{"a: {b: [c]}", false, false},
		{"a: x # \"not open", false, false},
		{"a: x\"y", false, false},
		{"a: b & c", true, false},
		{"a: | \"", false, false},
		{"a: [\"x\", *y]", true, false},
		{"a: {b: 'c}", false, true},
	} {
		share, open := ScanLine([]byte(c.line))
		if share != c.share || open != c.open {
			t.Errorf("ScanLine(%q) = share %v, open %v; want %v, %v", c.line, share, open, c.share, c.open)
		}
	}
}

// Lines are counted as go-yaml counts them, and read back without their breaks.
func TestLineIndex(t *testing.T) {
	text := "a: 1\r\nb: 2\rc: 3\u0085d: 4\u2028e: 5\u2029f: 6\ng: 7"
	li := NewLineIndex([]byte(text))
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	if li.Lines() != 7 {
		t.Fatalf("%d lines, want 7", li.Lines())
	}
	m := doc.Content[0]
	for i := 0; i < len(m.Content); i += 2 {
		k := m.Content[i]
		if got := string(li.Line(k.Line)); got != k.Value+": "+m.Content[i+1].Value {
			t.Errorf("line %d is %q", k.Line, got)
		}
	}
	if got := string(li.Span(2, 4)); got != "b: 2\rc: 3\u0085" {
		t.Errorf("Span(2, 4) = %q", got)
	}
	if li.Offset(8) != len(text) {
		t.Errorf("Offset past the last line = %d, want the text's end", li.Offset(8))
	}
}

// Breaks and their lengths; CRLF and LF turn breaks into line feeds without
// joining a lone CR into a new CRLF.
func TestBreakLengths(t *testing.T) {
	for in, want := range map[string]int{"\n": 1, "\r\n": 2, "\r": 1, "\u0085": 2, "\u2028": 3, "\u2029": 3, "a": 0, "": 0, "\xc2": 0} {
		if got := BreakLen([]byte(in)); got != want {
			t.Errorf("BreakLen(%q) = %d, want %d", in, got, want)
		}
	}
	if got := string(CRLF([]byte("a\r\nb\r\r\nc\r"))); got != "a\nb\n\nc\n" {
		t.Errorf("CRLF: %q", got)
	}
	if got := string(LF([]byte("a\r\r\n"))); got != "a\n\n" {
		t.Errorf("LF: %q", got)
	}
	if got := string(LineText([]byte("a: 1\r\n"))); got != "a: 1" {
		t.Errorf("LineText: %q", got)
	}
	line, rest := NextLine([]byte("a\r\nb\n"))
	if string(line) != "a" || string(rest) != "b\n" {
		t.Errorf("NextLine: %q, %q", line, rest)
	}
}

// Quote ends on a line: escapes in double quotes, doubled quotes in single ones.
func TestQuoteEnd(t *testing.T) {
	for _, c := range []struct {
		text string
		at   int
		want int
	}{
		{`"a"`, 0, 2},
		{`"a\"b" x`, 0, 5},
		{`'it''s' x`, 0, 6},
		{`"open`, 0, -1},
		{`'open''`, 0, -1},
		{`k: "v"`, 3, 5},
	} {
		if got := QuoteEnd(c.text, c.at); got != c.want {
			t.Errorf("QuoteEnd(%q, %d) = %d, want %d", c.text, c.at, got, c.want)
		}
	}
}

// Keys, comments, dashes at a column, indentation, plain-scalar indicators.
func TestLineParts(t *testing.T) {
	if k, v, ok := MappingEntry("kind:: x # c"); !ok || k != "kind:" || v != " x # c" {
		t.Errorf("MappingEntry: %q %q %v", k, v, ok)
	}
	if _, _, ok := MappingEntry("a:b"); ok {
		t.Error("MappingEntry takes a:b for a key")
	}
	if !PlainLine("a:b c#d") || PlainLine("a: b") || PlainLine("a #b") || !PlainLine([]byte("x")) {
		t.Error("PlainLine")
	}
	if LineCommentAt("a: b # c") != 4 || LineCommentAt("a: b#c") != -1 || LastLineComment([]byte("a # b # c")) != 5 {
		t.Error("comment positions")
	}
	if !DashLine([]byte("  - a: 1"), 5) || DashLine([]byte("  - a: 1"), 3) || DashLine([]byte("a: 1"), 1) {
		t.Error("DashLine")
	}
	if IndentOf("   a") != 3 || IndentOf([]byte("\ta")) != 0 || IndentOf("") != 0 {
		t.Error("IndentOf")
	}
	if !CommentAt([]byte("  # c"), 2) || CommentAt([]byte("    # c"), 2) || CommentAt([]byte("  a"), 2) {
		t.Error("CommentAt")
	}
	for _, c := range "?:,[]{}#&*!|>'\"%@` " {
		if !Indicator(byte(c)) {
			t.Errorf("Indicator(%q) = false", c)
		}
	}
	if Indicator('a') || Indicator('-') {
		t.Error("Indicator takes a plain scalar's first byte")
	}
	for v, want := range map[string]bool{"a": true, "-1": true, "-": false, "- a": false, "---x": false, "...": false, "..x": true, ".5": true, "": false, "*a": false, " a": false} {
		if PlainStart(v) != want {
			t.Errorf("PlainStart(%q) = %v", v, !want)
		}
	}
	for h, want := range map[string][2]bool{"|": {false, true}, "|-": {true, true}, "|-  ": {true, true}, "| ": {false, true}, "|+": {false, false}, "|2": {false, false}, "|-x": {false, false}, "|--": {false, false}} {
		if strip, ok := ClipOrStrip(h); strip != want[0] || ok != want[1] {
			t.Errorf("ClipOrStrip(%q) = %v, %v", h, strip, ok)
		}
	}
	if end, indent := HeaderIndicators([]byte("|2-x"), 1); end != 3 || string(indent) != "2" {
		t.Errorf("HeaderIndicators: %d %q", end, indent)
	}
	if !StartsDocument("--- a") || !EndsDocumentMarker([]byte("...")) || StartsDocument("--") || !StartsDash([]byte("-x")) {
		t.Error("markers")
	}
	if !HoldsComment([]byte("a\n# c")) || HoldsDocumentStart([]byte("a\n")) || !HoldsDocumentStart([]byte("---\n")) {
		t.Error("separator contents")
	}
}
