package resourcelist

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
)

// FuzzTextForms holds the JSON and line-break layers to the two properties the
// output relies on, for any input:
//
//   - valid JSON (one object) reads as encoding/json reads it, value for value,
//     and written back it holds the same values in a layout that writes back as
//     itself (the layouts people write, kubectl's, jq's and json.dumps', come
//     back byte for byte: TestJSONRoundTrip);
//
//   - any text read through TeeBreaks and written back line for line through its
//     Writer (as an unchanged run does, breaks made line feeds) is the input again.
//
//     go test ./internal/resourcelist -run '^$' -fuzz '^FuzzTextForms$' -fuzztime 60s
func FuzzTextForms(f *testing.F) {
	for _, s := range []string{
		"{\"a\": \"\\ud83d\\ude80\", \"b\": [1, 2.5e3, true, null], \"c\": {}}\n",
		"{\n    \"a\": \"x\\u003c\",\n    \"l\": [\n        {}\n    ]\n}\n",
		"a: 1\r\nb: 2\nc: 3\r\r\nd\r",
	} {
		f.Add([]byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, in []byte, chunk uint8) {
		if j := bytes.TrimLeft(in, " \t\r\n"); len(j) > 0 && j[0] == '{' && json.Valid(j) {
			checkJSON(t, in)
		}
		checkBreaks(t, in, int(chunk)%7+1)
	})
}

func checkJSON(t *testing.T, in []byte) {
	doc, jd, err := parseJSON(in)
	if err != nil {
		t.Fatalf("valid JSON refused: %v", err)
	}
	var want any
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	if got := plain(doc.Content[0]); !reflect.DeepEqual(got, want) {
		t.Fatalf("read as %#v, encoding/json reads %#v", got, want)
	}
	// Written back (as an edited document is), it holds the same values, and in a
	// layout that writes back as itself.
	out, err := jd.encode(doc)
	if err != nil {
		t.Fatal(err)
	}
	var back any
	dec = json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&back); err != nil || !reflect.DeepEqual(back, want) {
		t.Fatalf("written back as %q (%v): other values", out, err)
	}
	doc2, jd2, err := parseJSON(out)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := jd2.encode(doc2); err != nil || !bytes.Equal(again, out) {
		t.Fatalf("%q writes back as %q", out, again)
	}
}

// plain converts a tree read from JSON into what encoding/json decodes (the
// last of keys written twice, as encoding/json keeps it).
func plain(n *yaml.Node) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = plain(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			l = append(l, plain(c))
		}
		return l
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		return n.Value == "true"
	case "!!int", "!!float":
		return json.Number(n.Value)
	}
	return n.Value
}

func checkBreaks(t *testing.T, in []byte, chunk int) {
	tee, breaks := yamllex.TeeBreaks(&chunked{data: in, n: chunk})
	read, err := io.ReadAll(tee)
	if err != nil || !bytes.Equal(read, in) {
		t.Fatalf("the tee changed the input: %q", read)
	}
	// What the readers see: every CRLF and lone CR a line feed.
	lf := strings.ReplaceAll(strings.ReplaceAll(string(in), "\r\n", "\n"), "\r", "\n")
	var out bytes.Buffer
	w := breaks.Writer(&out)
	for s := lf; len(s) > 0; {
		n := min(chunk, len(s))
		if _, err := w.Write([]byte(s[:n])); err != nil {
			t.Fatal(err)
		}
		s = s[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), in) {
		t.Fatalf("line breaks not restored: %q, want %q", out.Bytes(), in)
	}
}

// chunked reads its data n bytes at a time.
type chunked struct {
	data []byte
	n    int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), c.n)], c.data)
	c.data = c.data[k:]
	return k, nil
}
