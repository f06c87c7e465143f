package resourcelist

import (
	"bytes"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// An edited block sequence is written entry by entry: an entry the edit did not
// touch keeps its lines (comments, blank lines, indentation, scalar styles), a
// changed block mapping entry is spliced like any mapping, any other changed
// entry is encoded at its dash, and entries the edit added follow the last one.
// The caller's read-back check holds the result to the edited tree; false sends
// the caller back to encoding the whole list.

// diffSequence adds the edits that turn block sequence orig into edited; end is
// the line after the sequence's entry (the extent of its key).
func diffSequence(li *yamllex.LineIndex, orig, edited *yaml.Node, end int, edits *[]edit, mode spliceMode) bool {
	goYAMLOnly := mode.goYAMLOnly
	if !blockSeq(orig) || !blockSeq(edited) || len(edited.Content) < len(orig.Content) {
		return false
	}
	starts, dash, ok := entryLines(li, orig, end)
	if !ok {
		return false
	}
	var mine []edit
	for i, ov := range orig.Content {
		ev := edited.Content[i]
		if sameNode(ov, ev) {
			continue
		}
		to := lastContent(li, starts[i], starts[i+1], dash) + 1
		if e, ok := diffEntry(li, ov, ev, starts[i], to, dash, mode); ok {
			mine = append(mine, e...)
			continue
		}
		b, ok := encodeSeqEntry(ev, dash, goYAMLOnly)
		if !ok {
			return false
		}
		mine = append(mine, edit{from: starts[i], to: to, text: b})
	}
	if extra := edited.Content[len(orig.Content):]; len(extra) > 0 {
		at := lastContent(li, starts[len(orig.Content)-1], starts[len(orig.Content)], dash) + 1
		var b []byte
		for _, ev := range extra {
			t, ok := encodeSeqEntry(ev, dash, goYAMLOnly)
			if !ok {
				return false
			}
			b = append(b, t...)
		}
		mine = append(mine, edit{from: at, to: at, text: b})
	}
	*edits = append(*edits, mine...)
	return true
}

func blockSeq(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.SequenceNode && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0 && n.Anchor == ""
}

// entryLines finds the dash line of each entry of a block sequence (and end
// after the last), and the dashes' indentation, which must be one for all.
func entryLines(li *yamllex.LineIndex, seq *yaml.Node, end int) ([]int, int, bool) {
	starts := make([]int, len(seq.Content)+1)
	dash := -1
	for i, e := range seq.Content {
		if e.Kind == yaml.AliasNode || e.Anchor != "" {
			return nil, 0, false
		}
		line := e.Line
		for line > 0 && line <= li.Lines() && !yamllex.DashLine(li.Line(line), e.Column) {
			line--
		}
		if line < 1 || line > li.Lines() || (i > 0 && line <= starts[i-1]) {
			return nil, 0, false
		}
		l := li.Line(line)
		in := len(l) - len(bytes.TrimLeft(l, " "))
		if dash >= 0 && in != dash {
			return nil, 0, false
		}
		dash, starts[i] = in, line
	}
	if end <= starts[len(seq.Content)-1] {
		return nil, 0, false
	}
	starts[len(seq.Content)] = end
	return starts, dash, true
}

// lastContent is the last line of [from, to) that belongs to the entry starting
// at from: indented deeper than its dash. Comments and blank lines after it stay
// with what follows (go-yaml gives them to the next entry).
func lastContent(li *yamllex.LineIndex, from, to, dash int) int {
	last := from
	for n := from + 1; n < to && n <= li.Lines(); n++ {
		l := li.Line(n)
		t := bytes.TrimLeft(l, " ")
		if yamllex.BlankOrComment(t) {
			continue
		}
		if len(l)-len(t) > dash {
			last = n
		}
	}
	return last
}

// diffEntry splices a changed block mapping entry whose first key sits on its
// dash line (`- name: x`): its own entries by diffMapping; where an edit
// rewrites the dash line, the dash is written back in front of it.
func diffEntry(li *yamllex.LineIndex, ov, ev *yaml.Node, from, to, dash int, mode spliceMode) ([]edit, bool) {
	if !blockMapping(ov) || !blockMapping(ev) || ov.Line != from || ov.Content[0].Column != dash+3 ||
		ov.HeadComment != ev.HeadComment || ov.LineComment != ev.LineComment || ov.FootComment != ev.FootComment {
		return nil, false
	}
	var e []edit
	if !diffMapping(li, ov, ev, &e, mode) {
		return nil, false
	}
	for k := range e {
		if e[k].from > to || e[k].to > to {
			return nil, false
		}
		if e[k].from != from {
			continue
		}
		// The first key's line was rewritten: it starts with the dash again.
		t := e[k].text
		if e[k].to == from || len(t) < dash+2 || string(t[:dash+2]) != spaces(dash+2) {
			return nil, false
		}
		e[k].text = append([]byte(spaces(dash)+"- "), t[dash+2:]...)
	}
	return e, true
}

// encodeSeqEntry writes v as one entry of a block sequence at dash spaces. Head
// comments stay in the text above the dash.
func encodeSeqEntry(v *yaml.Node, dash int, goYAMLOnly bool) ([]byte, bool) {
	c := *v
	c.HeadComment = ""
	if c.Kind == yaml.MappingNode && len(c.Content) > 0 {
		c.Content = append([]*yaml.Node{}, c.Content...)
		k := *c.Content[0]
		k.HeadComment = ""
		c.Content[0] = &k
	}
	s := ynode.NewSeq()
	s.Content = []*yaml.Node{&c}
	b, err := encode(s, goYAMLOnly)
	if err != nil {
		return nil, false
	}
	return indentLines(b, dash), true
}

func spaces(n int) string { return string(bytes.Repeat([]byte{' '}, n)) }
