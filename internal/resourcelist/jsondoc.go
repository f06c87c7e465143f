package resourcelist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// A stream document written in JSON (`kubectl get vm -o json`, `jq`, Python's
// json.dumps) is read as JSON and an edited one is written as JSON again, in the
// input's layout: its indentation (or none) and separators, every value the edit
// did not touch as its own token (escapes such as \u003c or a surrogate pair
// stay as written), new values as kubectl's encoder writes them.

// jsonDoc is what a JSON document's writer needs from its reading.
type jsonDoc struct {
	indent   string // one level of indentation; "" for one line
	colon    string // ": " or ":"
	comma    string // ", " or "," (one-line documents)
	trailing []byte // what follows the value (its final line break)
	// tokens are the scalars' tokens as written, with the value each stood for.
	tokens map[*yaml.Node]jsonToken
	// flat are the collections of an indented document written on one line, with
	// their separators: they stay on one line, and so does what is new in them.
	flat map[*yaml.Node]jsonFlat
}

// jsonFlat is how a one-line collection separates its members.
type jsonFlat struct{ colon, comma string }

type jsonToken struct {
	text, value, tag string
}

// looksJSON reports a document whose first character is a JSON object's.
func looksJSON(text []byte) bool {
	t := bytes.TrimLeft(text, " \t\r\n")
	// encoding/json takes invalid UTF-8 in a string for U+FFFD; YAML, and so
	// kubectl reading the output, refuses it.
	return len(t) > 0 && t[0] == '{' && utf8.Valid(t) && json.Valid(t)
}

// parseJSON reads a JSON document into a YAML tree (mapping order kept, strings,
// numbers, booleans and null tagged as YAML would tag them).
func parseJSON(text []byte) (*yaml.Node, *jsonDoc, error) {
	start := len(text) - len(bytes.TrimLeft(text, " \t\r\n"))
	body := bytes.TrimRight(text, " \t\r\n")
	jd := &jsonDoc{tokens: map[*yaml.Node]jsonToken{}, flat: map[*yaml.Node]jsonFlat{}, trailing: text[len(body):]}
	p := &jsonParser{text: body, dec: json.NewDecoder(bytes.NewReader(body[start:])), base: start, doc: jd, indented: bytes.IndexByte(body, '\n') >= 0, inline: separators(body)}
	p.dec.UseNumber()
	root, err := p.value(0)
	if err != nil {
		return nil, nil, err
	}
	jd.layout(body[start:])
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}, Line: 1, Column: 1}, jd, nil
}

// layout reads the document's indentation and separators from its text: an
// indented document separates members by line breaks, a one-line one as it
// writes them.
func (jd *jsonDoc) layout(text []byte) {
	sep := separators(text)
	jd.colon, jd.comma = sep.colon, sep.comma
	if nl := bytes.IndexByte(text, '\n'); nl >= 0 {
		rest := text[nl+1:]
		jd.indent = string(rest[:len(rest)-len(bytes.TrimLeft(rest, " \t"))])
		jd.comma = ","
	}
}

// separators are how a JSON text writes a key's colon and a member's comma:
// with a space after them or without.
func separators(text []byte) jsonFlat { return separatorsOr(text, jsonFlat{colon: ":", comma: ","}) }

// separatorsOr is separators where the text shows them, def where it holds
// none (an array of scalars shows no colon); a one-member object shows no comma,
// and is taken to space it as it spaces its colon.
func separatorsOr(text []byte, def jsonFlat) jsonFlat {
	f := def
	colon := bytes.Contains(text, []byte("\":"))
	if colon {
		f.colon = ":"
		if bytes.Contains(text, []byte("\": ")) {
			f.colon = ": "
		}
	}
	switch {
	case bytes.IndexByte(text, ',') >= 0:
		f.comma = ","
		if bytes.Contains(text, []byte(", ")) {
			f.comma = ", "
		}
	case colon:
		f.comma = strings.Replace(f.colon, ":", ",", 1)
	}
	return f
}

type jsonParser struct {
	text []byte
	dec  *json.Decoder
	base int // where the decoder's input starts in text
	last int // the decoder's offset after the previous token
	doc  *jsonDoc
	// indented: the document spans lines, so a one-line collection in it is
	// one of its own; inline is how the document writes separators on a line.
	indented bool
	inline   jsonFlat
}

// token returns the next token, the text it was written as, and its line.
func (p *jsonParser) token() (json.Token, string, int, error) {
	tok, err := p.dec.Token()
	if err != nil {
		return nil, "", 0, err
	}
	end := int(p.dec.InputOffset())
	raw := strings.TrimLeft(string(p.text[p.base+p.last:p.base+end]), " \t\r\n,:")
	line := 1 + bytes.Count(p.text[:p.base+end-len(raw)], []byte{'\n'})
	p.last = end
	return tok, raw, line, nil
}

func (p *jsonParser) value(depth int) (*yaml.Node, error) {
	if depth > 200 {
		return nil, fmt.Errorf("nested too deeply")
	}
	tok, raw, line, err := p.token()
	if err != nil {
		return nil, err
	}
	return p.node(tok, raw, line, depth)
}

func (p *jsonParser) node(tok json.Token, raw string, line, depth int) (*yaml.Node, error) {
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return p.object(line, depth)
		}
		if t == '[' {
			return p.array(line, depth)
		}
		return nil, fmt.Errorf("unexpected %q", t)
	case string:
		return p.scalar(t, "!!str", yaml.DoubleQuotedStyle, raw, line), nil
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(string(t), ".eE") {
			tag = "!!float"
		}
		return p.scalar(string(t), tag, 0, raw, line), nil
	case bool:
		return p.scalar(fmt.Sprint(t), "!!bool", 0, raw, line), nil
	case nil:
		return p.scalar("null", "!!null", 0, raw, line), nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

func (p *jsonParser) scalar(value, tag string, style yaml.Style, raw string, line int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: value, Tag: tag, Style: style, Line: line}
	p.doc.tokens[n] = jsonToken{text: raw, value: value, tag: tag}
	return n
}

func (p *jsonParser) object(line, depth int) (*yaml.Node, error) {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line}
	defer p.flatness(m, p.last)()
	for p.dec.More() {
		tok, raw, kline, err := p.token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("line %d: a key must be a string", kline)
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		m.Content = append(m.Content, p.scalar(key, "!!str", yaml.DoubleQuotedStyle, raw, kline), v)
	}
	_, _, _, err := p.token() // }
	return m, err
}

func (p *jsonParser) array(line, depth int) (*yaml.Node, error) {
	s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line}
	defer p.flatness(s, p.last)()
	for p.dec.More() {
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		s.Content = append(s.Content, v)
	}
	_, _, _, err := p.token() // ]
	return s, err
}

// flatness returns what records, once the collection n opened at from is read,
// whether it was written on one line in a document that is not.
func (p *jsonParser) flatness(n *yaml.Node, from int) func() {
	return func() {
		text := p.text[p.base+from : p.base+p.last]
		if !p.indented || len(text) < 2 || bytes.IndexByte(text, '\n') >= 0 {
			return
		}
		p.doc.flat[n] = separatorsOr(text, p.inline)
	}
}

// encode writes a tree as JSON in the document's layout.
func (jd *jsonDoc) encode(n *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	if err := jd.write(&b, ynode.Resolve(n), 0, nil); err != nil {
		return nil, err
	}
	b.Write(jd.trailing)
	return b.Bytes(), nil
}

func (jd *jsonDoc) newline(b *bytes.Buffer, depth int, flat *jsonFlat) {
	if jd.indent == "" || flat != nil {
		return
	}
	b.WriteByte('\n')
	b.WriteString(strings.Repeat(jd.indent, depth))
}

// write writes n at depth; flat: inside a one-line collection.
func (jd *jsonDoc) write(b *bytes.Buffer, n *yaml.Node, depth int, flat *jsonFlat) error {
	if n == nil {
		b.WriteString("null")
		return nil
	}
	if depth > 200 {
		return fmt.Errorf("nested too deeply")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			b.WriteString("null")
			return nil
		}
		return jd.write(b, ynode.Resolve(n.Content[0]), depth, flat)
	case yaml.MappingNode, yaml.SequenceNode:
		if f, ok := jd.flat[n]; ok {
			flat = &f // its own separators, inside a one-line collection too
		}
		return jd.collection(b, n, depth, flat)
	case yaml.ScalarNode:
		if t, ok := jd.tokens[n]; ok && t.value == n.Value && t.tag == n.ShortTag() {
			b.WriteString(t.text)
			return nil
		}
		out, err := ynode.ToJSON(n)
		if err != nil {
			return err
		}
		b.Write(out)
		return nil
	}
	return fmt.Errorf("an alias or other node JSON cannot hold")
}

func (jd *jsonDoc) collection(b *bytes.Buffer, n *yaml.Node, depth int, flat *jsonFlat) error {
	open, end, step := byte('['), byte(']'), 1
	comma, colon := jd.comma, jd.colon
	if flat != nil {
		comma, colon = flat.comma, flat.colon
	}
	if n.Kind == yaml.MappingNode {
		open, end, step = '{', '}', 2
	}
	b.WriteByte(open)
	if len(n.Content) == 0 {
		b.WriteByte(end)
		return nil
	}
	for i := 0; i+step-1 < len(n.Content); i += step {
		if i > 0 {
			b.WriteString(comma)
		}
		jd.newline(b, depth+1, flat)
		if step == 2 {
			if err := jd.write(b, n.Content[i], depth+1, flat); err != nil {
				return err
			}
			b.WriteString(colon)
		}
		if err := jd.write(b, ynode.Resolve(n.Content[i+step-1]), depth+1, flat); err != nil {
			return err
		}
	}
	jd.newline(b, depth, flat)
	b.WriteByte(end)
	return nil
}
