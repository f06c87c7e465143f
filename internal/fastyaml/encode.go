package fastyaml

import (
	"bytes"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Encode writes a mapping as its own document, byte for byte as go-yaml's encoder
// does with an indent of 2 and compact sequences (the layout kpt and kustomize
// write), or declines (false) when the tree holds anything it leaves to go-yaml:
// comments, anchors, explicit tags, folded or multi-line plain scalars, scalars go-
// yaml would quote or escape by rules this writer does not follow. Its output is
// held to go-yaml's by a differential fuzz test (FuzzSameText).
func Encode(n *yaml.Node) ([]byte, bool) {
	if n == nil || n.Kind != yaml.MappingNode || n.Style&yaml.FlowStyle != 0 || len(n.Content) == 0 {
		return nil, false
	}
	e := &encoder{ok: true}
	e.b.Grow(4096)
	e.mapping(n, 0, false)
	if !e.ok {
		return nil, false
	}
	return e.b.Bytes(), true
}

type encoder struct {
	b  bytes.Buffer
	ok bool
}

func (e *encoder) fail() { e.ok = false }

func (e *encoder) spaces(n int) {
	for ; n > 0; n-- {
		e.b.WriteByte(' ')
	}
}

// plainNode: what every node must be for this writer (no comments, anchors or tags
// written out).
func plainNode(n *yaml.Node) bool {
	return n != nil && n.Anchor == "" && n.Alias == nil && n.HeadComment == "" && n.LineComment == "" &&
		n.FootComment == "" && n.Style&yaml.TaggedStyle == 0
}

// mapping writes a non-empty block mapping whose keys are at column ind; inEntry:
// the first key goes on the current line, after a sequence entry's "- ".
func (e *encoder) mapping(n *yaml.Node, ind int, inEntry bool) {
	if !plainNode(n) || (n.Tag != "" && n.Tag != "!!map") || len(n.Content)%2 != 0 {
		e.fail()
		return
	}
	for i := 0; i+1 < len(n.Content) && e.ok; i += 2 {
		if i > 0 || !inEntry {
			e.spaces(ind)
		}
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || !e.scalar(k, true) {
			e.fail()
			return
		}
		e.b.WriteByte(':')
		e.value(v, ind)
	}
}

// value writes what follows a key's ':' (for a mapping whose keys are at column ind).
func (e *encoder) value(v *yaml.Node, ind int) {
	switch {
	case v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0:
		e.b.WriteByte('\n')
		e.mapping(v, ind+2, false)
	case v.Kind == yaml.SequenceNode && v.Style&yaml.FlowStyle == 0 && len(v.Content) > 0:
		e.b.WriteByte('\n')
		e.sequence(v, ind)
	case v.Kind == yaml.ScalarNode && (v.Style&yaml.LiteralStyle != 0):
		e.b.WriteByte(' ')
		e.literal(v, ind+2)
	default:
		e.b.WriteByte(' ')
		e.inline(v)
		e.b.WriteByte('\n')
	}
}

// sequence writes a non-empty block sequence whose entries' "- " are at column ind.
func (e *encoder) sequence(n *yaml.Node, ind int) {
	if !plainNode(n) || (n.Tag != "" && n.Tag != "!!seq") {
		e.fail()
		return
	}
	for _, item := range n.Content {
		if !e.ok {
			return
		}
		e.spaces(ind)
		e.b.WriteString("- ")
		switch {
		case item.Kind == yaml.MappingNode && item.Style&yaml.FlowStyle == 0 && len(item.Content) > 0:
			e.mapping(item, ind+2, true)
		case item.Kind == yaml.SequenceNode && item.Style&yaml.FlowStyle == 0 && len(item.Content) > 0,
			item.Kind == yaml.ScalarNode && item.Style&yaml.LiteralStyle != 0:
			e.fail() // "- - a" and "- |": left to go-yaml
		default:
			e.inline(item)
			e.b.WriteByte('\n')
		}
	}
}

// inline writes a node that fits on the current line: a scalar, or a flow (or empty)
// collection of scalars.
func (e *encoder) inline(n *yaml.Node) {
	switch n.Kind {
	case yaml.ScalarNode:
		if !e.scalar(n, false) {
			e.fail()
		}
	case yaml.MappingNode, yaml.SequenceNode:
		if !plainNode(n) {
			e.fail()
			return
		}
		open, closer, tag := byte('{'), byte('}'), "!!map"
		if n.Kind == yaml.SequenceNode {
			open, closer, tag = '[', ']', "!!seq"
		}
		if n.Tag != "" && n.Tag != tag {
			e.fail()
			return
		}
		e.b.WriteByte(open)
		step := 1
		if n.Kind == yaml.MappingNode {
			step = 2
			if len(n.Content)%2 != 0 {
				e.fail()
				return
			}
		}
		for i := 0; i < len(n.Content); i += step {
			if i > 0 {
				e.b.WriteString(", ")
			}
			if !e.flowScalar(n.Content[i]) {
				e.fail()
				return
			}
			if step == 2 {
				e.b.WriteString(": ")
				if !e.flowScalar(n.Content[i+1]) {
					e.fail()
					return
				}
			}
		}
		e.b.WriteByte(closer)
	default:
		e.fail()
	}
}

// flowScalar writes a scalar inside a flow collection: plain words and quoted text.
func (e *encoder) flowScalar(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || !plainNode(n) {
		return false
	}
	if n.Style == 0 {
		for i := 0; i < len(n.Value); i++ {
			if !flowWordByte(n.Value[i]) {
				return false
			}
		}
	}
	return e.scalar(n, false)
}

// scalar writes a one-line scalar in the style go-yaml would choose; false when
// that choice follows rules this writer leaves to go-yaml.
func (e *encoder) scalar(n *yaml.Node, key bool) bool {
	if !plainNode(n) {
		return false
	}
	v := n.Value
	if !printableLine(v) || (key && len(v) > 100) {
		return false
	}
	quotedTag := n.Tag == "" || n.Tag == "!!str" || resolveTag(v) == n.Tag // else go-yaml writes the tag
	switch {
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && !quotedTag:
		return false
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return e.doubleQuoted(v)
	case n.Style&yaml.SingleQuotedStyle != 0:
		if strings.ContainsRune(v, '\'') && key {
			return false
		}
		e.b.WriteByte('\'')
		e.b.WriteString(strings.ReplaceAll(v, "'", "''"))
		e.b.WriteByte('\'')
		return true
	case n.Style != 0:
		return false
	}
	// Plain, unless the text would read back as another type: go-yaml then quotes
	// a string, and writes the tag of anything else (left to go-yaml).
	if n.Tag != "" && resolveTag(v) != n.Tag {
		if n.Tag == "!!str" {
			return e.doubleQuoted(v)
		}
		return false
	}
	if !emitsPlain(v) {
		return false // go-yaml would quote it: its rules, its job
	}
	e.b.WriteString(v)
	return true
}

func (e *encoder) doubleQuoted(v string) bool {
	if strings.ContainsAny(v, "\"\\") {
		return false // escapes: go-yaml's
	}
	e.b.WriteByte('"')
	e.b.WriteString(v)
	e.b.WriteByte('"')
	return true
}

// literal writes a `|` or `|-` block scalar whose lines go at column ind.
func (e *encoder) literal(n *yaml.Node, ind int) {
	v := n.Value
	if !plainNode(n) || (n.Tag != "" && n.Tag != "!!str") || v == "" || v[0] == ' ' || v[0] == '\n' ||
		strings.HasSuffix(v, "\n\n") || strings.Contains(v, " \n") || strings.HasSuffix(v, " ") {
		e.fail() // indentation and keep indicators, trailing spaces: go-yaml's
		return
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < 0x20 && c != '\n') || c >= 0x7f {
			e.fail()
			return
		}
	}
	body, clip := strings.CutSuffix(v, "\n")
	if clip {
		e.b.WriteString("|\n")
	} else {
		e.b.WriteString("|-\n")
	}
	for _, l := range strings.Split(body, "\n") {
		if l != "" {
			e.spaces(ind)
			e.b.WriteString(l)
		}
		e.b.WriteByte('\n')
	}
}

// printableLine: one line of printable ASCII.
func printableLine(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// emitsPlain reports whether go-yaml writes v unquoted in block context: it does
// not start with an indicator or a space, holds no ": " or " #", and does not end
// with a space or a ':'.
func emitsPlain(v string) bool {
	if v == "" || v[len(v)-1] == ' ' || v[len(v)-1] == ':' {
		return false
	}
	return plainOK(v)
}
