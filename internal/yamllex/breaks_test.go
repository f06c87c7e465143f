package yamllex

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// The line breaks of the input come back on the output's lines: the same line
// text gets the breaks of its occurrences in order, a new line the break of the
// line before it, and a CR split from its LF by a read is still one CRLF.
func TestBreaks(t *testing.T) {
	in := "a: 1\r\nb: 2\nc: 3\rd: 4\r\n"
	for name, r := range map[string]io.Reader{
		"whole":          strings.NewReader(in),
		"byte by byte":   iotest.OneByteReader(strings.NewReader(in)),
		"CR at a border": io.MultiReader(strings.NewReader("a: 1\r"), strings.NewReader("\nb: 2\nc: 3\r"), strings.NewReader("d: 4\r\n")),
	} {
		tee, breaks := TeeBreaks(r)
		if _, err := io.ReadAll(tee); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		w := breaks.Writer(&out)
		for _, chunk := range []string{"a: 1\nb: ", "2\nnew: 0\nc: 3\nd: 4\n"} {
			if _, err := w.Write([]byte(chunk)); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if want := "a: 1\r\nb: 2\nnew: 0\nc: 3\rd: 4\r\n"; out.String() != want {
			t.Errorf("%s: %q, want %q", name, out.String(), want)
		}
	}
	// Only line feeds: nothing is remembered and the output is left alone.
	tee, breaks := TeeBreaks(strings.NewReader("a: 1\nb: 2\n"))
	_, _ = io.ReadAll(tee)
	var out bytes.Buffer
	if w := breaks.Writer(&out); w.(nopCloser).Writer != io.Writer(&out) || breaks.lines != nil {
		t.Error("an LF-only input is tracked")
	}
}
