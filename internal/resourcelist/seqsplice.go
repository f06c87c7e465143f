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
// entry is encoded at its dash, a removed entry leaves with its lines (the tree
// the edit left has its comments no more), and added entries go where they are in
// the edited list. Entries are matched as kubectl merges KubeVirt's lists: by
// name where both are mappings with one, else by what they hold; an entry
// matched ahead or behind marks the ones between as removed or added; anything
// else is changed in place. The caller's
// read-back check holds the result to the edited tree; false sends the caller
// back to encoding the whole list.

// diffSequence adds the edits that turn block sequence orig into edited; end is
// the line after the sequence's entry (the extent of its key).
func diffSequence(li *yamllex.LineIndex, orig, edited *yaml.Node, end int, edits *[]edit, mode spliceMode) bool {
	if !blockSeq(orig) || !blockSeq(edited) {
		return false
	}
	starts, dash, ok := entryLines(li, orig, end)
	if !ok {
		return false
	}
	sd := seqDiff{li: li, starts: starts, dash: dash, mode: mode}
	i, j := 0, 0
	for i < len(orig.Content) && j < len(edited.Content) {
		ov, ev := orig.Content[i], edited.Content[j]
		switch {
		case sameNode(ov, ev):
			i, j = i+1, j+1
		case !sameEntry(ov, ev) && indexEntry(orig.Content[i+1:], ev) >= 0:
			// Entries i up to ev's match were removed.
			k := i + 1 + indexEntry(orig.Content[i+1:], ev)
			for ; i < k; i++ {
				sd.remove(i)
			}
		case !sameEntry(ov, ev) && indexEntry(edited.Content[j+1:], ov) >= 0:
			// Entries j up to ov's match were added before ov.
			k := j + 1 + indexEntry(edited.Content[j+1:], ov)
			if i == 0 || !sd.insert(i, edited.Content[j:k]) {
				return false // before the first entry: its head comments would go astray
			}
			j = k
		default:
			if !sd.change(i, ov, ev) {
				return false
			}
			i, j = i+1, j+1
		}
	}
	for ; i < len(orig.Content); i++ {
		sd.remove(i)
	}
	if j < len(edited.Content) && !sd.insert(len(orig.Content), edited.Content[j:]) {
		return false
	}
	*edits = append(*edits, sd.edits...)
	return true
}

// seqDiff collects the edits of one block sequence: starts are its entries'
// dash lines (and the line after the sequence), dash their indentation.
type seqDiff struct {
	li     *yamllex.LineIndex
	starts []int
	dash   int
	mode   spliceMode
	edits  []edit
}

// end is the line after entry i's own lines (comments and blank lines after
// them stay with what follows).
func (sd *seqDiff) end(i int) int {
	return lastContent(sd.li, sd.starts[i], sd.starts[i+1], sd.dash) + 1
}

// change writes entry i anew: spliced where it is a block mapping, encoded at
// its dash otherwise.
func (sd *seqDiff) change(i int, ov, ev *yaml.Node) bool {
	to := sd.end(i)
	if e, ok := diffEntry(sd.li, ov, ev, sd.starts[i], to, sd.dash, sd.mode); ok {
		sd.edits = append(sd.edits, e...)
		return true
	}
	b, ok := encodeSeqEntry(ev, sd.dash, sd.mode.goYAMLOnly)
	if ok {
		sd.edits = append(sd.edits, edit{from: sd.starts[i], to: to, text: b})
	}
	return ok
}

// remove takes entry i's lines out; the comments above its dash and after its
// last line stay with what follows.
func (sd *seqDiff) remove(i int) {
	sd.edits = append(sd.edits, edit{from: sd.starts[i], to: sd.end(i)})
}

// insert writes new entries after the lines of entry i-1 (before entry i's
// comments, which stay with it).
func (sd *seqDiff) insert(i int, added []*yaml.Node) bool {
	at := sd.end(i - 1)
	var b []byte
	for _, ev := range added {
		t, ok := encodeSeqEntry(ev, sd.dash, sd.mode.goYAMLOnly)
		if !ok {
			return false
		}
		b = append(b, t...)
	}
	sd.edits = append(sd.edits, edit{from: at, to: at, text: b})
	return true
}

// sameEntry reports two list entries that are one entry of the list, changed or
// not: mappings with the same name, or entries that hold the same.
func sameEntry(a, b *yaml.Node) bool {
	if a.Kind == yaml.MappingNode && b.Kind == yaml.MappingNode {
		if na, nb := ynode.Get(a, "name"), ynode.Get(b, "name"); na != nil && nb != nil && na.Kind == yaml.ScalarNode && nb.Kind == yaml.ScalarNode {
			return na.Value == nb.Value
		}
	}
	return sameNode(a, b)
}

// indexEntry is the index of the first entry of list that is n's, or -1.
func indexEntry(list []*yaml.Node, n *yaml.Node) int {
	for k, o := range list {
		if sameEntry(o, n) {
			return k
		}
	}
	return -1
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
