package resourcelist

import (
	"bytes"
	"sort"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/fastyaml"
	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// The read-back proof of a splice, done where the edits are. A splice changes
// a few entries of an object (a VM's interfaces, networks and template
// annotations) and leaves the rest of its text as it came; parsing the whole
// object again to prove the splice was 15 % of a fleet's first render. Instead,
// each edit's window, the deepest mapping entry around it whose key line the
// splice leaves alone, is read on its own and must read as the edited tree's
// entry, value for value and comment for comment, and its lines as they came,
// read alone, as the entry in the tree read from the whole text (so the entry
// holds no comment from outside its lines); everything outside the windows must
// be the same in the edited tree as in the tree read from the text.
//
// What lets a window be read alone: its key line and the lines around it are the
// input's, so what comes before ends where it ended and the window starts a key
// of the same mapping; the window ends at its last line indented deeper than
// its key, and the next line that is not blank or a comment is indented no
// deeper than the key, so nothing in it continues the window. Only a block
// scalar could take the blank or comment lines after the window into its value,
// and the splice's new text must hold none (the unchanged text's block scalars
// read as they did). Anything else, or a window that does not read as the edit
// (comments YAML attaches across its borders, aliases to anchors outside it),
// falls back to reading the whole object.

// window is the lines [from, to) of one mapping entry, reached from the object
// by keys, indented by indent.
type window struct {
	keys       []string
	from, to   int
	indent     int
	key, value *yaml.Node
}

// provenLocally reports whether the text spliced by edits reads as edited,
// judged window by window; false: not proven (read the whole text).
func provenLocally(li *yamllex.LineIndex, orig, edited *yaml.Node, edits []edit, goYAMLOnly bool) bool {
	if len(edits) == 0 {
		return false
	}
	var wins []window
	for _, e := range edits {
		if newBlockScalar(e.text) {
			return false
		}
		w, ok := windowOf(li, orig, e)
		if !ok {
			return false
		}
		wins = append(wins, w)
	}
	wins = outermost(wins)
	if !sameOutside(orig, edited, wins, 0) {
		return false
	}
	for _, w := range wins {
		if !windowReadsAs(li, w, edits, edited, goYAMLOnly) {
			return false
		}
	}
	return true
}

// newBlockScalar reports a block scalar's header among an edit's new lines.
func newBlockScalar(text []byte) bool {
	for rest := text; len(rest) > 0; {
		var line []byte
		if line, rest = yamllex.NextLine(rest); yamllex.BlockHeaderLine(line) {
			return true
		}
	}
	return false
}

// windowOf finds the deepest block-mapping entry of orig whose lines hold the
// edit and whose key line the edit leaves alone. A block mapping's entries follow
// each other by lines, so at each depth only the last entry whose key line is
// above the edit can hold it; an entry's lines lie within its parent's, so the
// candidates are tried from the deepest up, each line counted once.
func windowOf(li *yamllex.LineIndex, orig *yaml.Node, e edit) (window, bool) {
	var path []*yaml.Node // key, value, key, value, ...
	for m := orig; blockMapping(m); m = path[len(path)-1] {
		i := -1
		for j := 0; j+1 < len(m.Content) && m.Content[j].Line < e.from; j += 2 {
			i = j
		}
		if i < 0 {
			break
		}
		path = append(path, m.Content[i], m.Content[i+1])
	}
	for n := len(path); n > 0; n -= 2 {
		k, v := path[n-2], path[n-1]
		from, to, ok := extent(li, k, v)
		if !ok {
			return window{}, false
		}
		if inside(e, to, k, v) {
			keys := make([]string, 0, n/2)
			for j := 0; j < n; j += 2 {
				keys = append(keys, path[j].Value)
			}
			return window{keys: keys, from: from, to: to, indent: k.Column - 1, key: k, value: v}, true
		}
	}
	return window{}, false
}

// inside reports whether edit e, after the key line of entry k: v, is within
// the entry's lines, which end before to. An insertion right at the end is the
// entry's when it is indented deeper than the key or is a dash of the entry's
// list; at the key's indentation it is a sibling's.
func inside(e edit, to int, k, v *yaml.Node) bool {
	switch {
	case e.from < e.to:
		return e.to <= to
	case e.from < to:
		return true
	case e.from > to:
		return false
	}
	first, _ := yamllex.NextLine(e.text)
	in, t := yamllex.IndentOf(first), bytes.TrimLeft(first, " ")
	return in > k.Column-1 || in == k.Column-1 && v.Kind == yaml.SequenceNode && yamllex.Dash(t)
}

// outermost drops the windows inside another one, and repeats.
func outermost(wins []window) []window {
	sort.SliceStable(wins, func(i, j int) bool {
		return wins[i].from < wins[j].from || wins[i].from == wins[j].from && wins[i].to > wins[j].to
	})
	out := wins[:0]
	for _, w := range wins {
		if n := len(out); n > 0 && w.from >= out[n-1].from && w.to <= out[n-1].to {
			continue
		}
		out = append(out, w)
	}
	return out
}

// sameOutside reports whether orig and edited are the same but for the
// windows' values: the same keys in the same order with the same comments,
// the same values elsewhere.
func sameOutside(orig, edited *yaml.Node, wins []window, depth int) bool {
	if orig == edited {
		return true
	}
	if !blockMapping(orig) || edited.Kind != yaml.MappingNode || len(orig.Content) != len(edited.Content) ||
		orig.HeadComment != edited.HeadComment || orig.LineComment != edited.LineComment || orig.FootComment != edited.FootComment {
		return false
	}
	for i := 0; i+1 < len(orig.Content); i += 2 {
		ok, ek := orig.Content[i], edited.Content[i]
		if ok.Value != ek.Value || ok.HeadComment != ek.HeadComment || ok.LineComment != ek.LineComment || ok.FootComment != ek.FootComment {
			return false
		}
		inner, at := windowsUnder(wins, depth, ok.Value)
		switch {
		case at:
			// The window's own value is proven by reading it.
		case len(inner) > 0:
			if !sameOutside(orig.Content[i+1], edited.Content[i+1], inner, depth+1) {
				return false
			}
		case !sameNode(orig.Content[i+1], edited.Content[i+1]):
			return false
		}
	}
	return true
}

// windowsUnder are the windows whose key at depth is key; at: one of them is
// that entry itself.
func windowsUnder(wins []window, depth int, key string) (inner []window, at bool) {
	for _, w := range wins {
		if len(w.keys) > depth && w.keys[depth] == key {
			if len(w.keys) == depth+1 {
				return nil, true
			}
			inner = append(inner, w)
		}
	}
	return inner, false
}

// windowReadsAs holds the window to both trees: its lines as the input had
// them, read alone, must read as the entry in the tree read from the whole text
// (so no comment or value of the entry lies outside its lines, nor one of its
// lines' inside another entry), and its spliced lines, read alone, as the entry
// in the edited tree.
func windowReadsAs(li *yamllex.LineIndex, w window, edits []edit, edited *yaml.Node, goYAMLOnly bool) bool {
	var mine []edit
	for _, e := range edits {
		if e.from > w.from && inside(e, w.to, w.key, w.value) {
			mine = append(mine, e)
		}
	}
	ek, ev := entryAt(edited, w.keys)
	if ek == nil {
		return false
	}
	for _, side := range []struct {
		edits []edit
		k, v  *yaml.Node
	}{{nil, w.key, w.value}, {mine, ek, ev}} {
		text, ok := applyEdits(li, w.from, w.to, side.edits)
		if !ok || !readsAloneAs(text, w.indent, side.k, side.v, goYAMLOnly) {
			return false
		}
	}
	return true
}

// readsAloneAs reads an entry's lines, indented by indent, on their own and
// holds them to k: v (but for k's head comment, which is above the lines).
func readsAloneAs(text []byte, indent int, k, v *yaml.Node, goYAMLOnly bool) bool {
	text, ok := dedent(text, indent)
	if !ok {
		return false
	}
	buf := readBackBuffers.Get().(*fastyaml.Buffers)
	defer readBackBuffers.Put(buf)
	doc, err := parseDocument(text, goYAMLOnly, buf)
	if err != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode || len(doc.Content[0].Content) != 2 {
		return false
	}
	key := *k
	key.HeadComment = ""
	want := ynode.NewMap()
	want.Content = []*yaml.Node{&key, v}
	return readsAs(doc.Content[0], want) == ""
}

// entryAt finds the entry at keys in a tree of mappings.
func entryAt(m *yaml.Node, keys []string) (k, v *yaml.Node) {
	for _, key := range keys {
		if m == nil || m.Kind != yaml.MappingNode {
			return nil, nil
		}
		i := ynode.KeyIndex(m, key)
		if i < 0 {
			return nil, nil
		}
		k, v = m.Content[i], m.Content[i+1]
		m = v
	}
	return k, v
}

// dedent takes n spaces off every line (a line of spaces only keeps what is
// past them); false where a line has text less indented.
func dedent(text []byte, n int) ([]byte, bool) {
	out := make([]byte, 0, len(text)+1)
	for rest := text; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i+1], rest[i+1:]
		} else {
			rest = nil
		}
		body := bytes.TrimRight(line, "\n")
		switch {
		case yamllex.IndentOf(body) >= n:
			out = append(out, line[n:]...)
		case len(bytes.TrimLeft(body, " ")) == 0:
			out = append(out, '\n')
		default:
			return nil, false
		}
	}
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return out, true
}
