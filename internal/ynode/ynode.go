package ynode

import (
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Resolve follows aliases so that readers see the value an anchor stands for.
func Resolve(n *yaml.Node) *yaml.Node {
	for depth := 0; n != nil && n.Kind == yaml.AliasNode && depth < 64; depth++ {
		n = n.Alias
	}
	return n
}

// IsMap reports whether n is a mapping node.
func IsMap(n *yaml.Node) bool { n = Resolve(n); return n != nil && n.Kind == yaml.MappingNode }

// IsSeq reports whether n is a sequence node.
func IsSeq(n *yaml.Node) bool { n = Resolve(n); return n != nil && n.Kind == yaml.SequenceNode }

// IsNull reports whether n is missing or an explicit null.
func IsNull(n *yaml.Node) bool {
	n = Resolve(n)
	return n == nil || (n.Kind == yaml.ScalarNode && (n.Tag == "!!null" || (n.Tag == "" && (n.Value == "null" || n.Value == "~" || n.Value == ""))) && n.Style == 0)
}

// Get returns the value under key in mapping m, or nil.
func Get(m *yaml.Node, key string) *yaml.Node {
	m = Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	// A key written twice: kubectl (sigs.k8s.io/yaml) applies the last one.
	for i := len(m.Content)/2*2 - 2; i >= 0; i -= 2 {
		if m.Content[i].Value == key {
			return Resolve(m.Content[i+1])
		}
	}
	return nil
}

// Has reports whether mapping m has key, whatever its value.
func Has(m *yaml.Node, key string) bool {
	return KeyIndex(m, key) >= 0
}

// KeyIndex is the index in m.Content of key's key node (its last one, which
// kubectl applies, when it is written twice), or -1.
func KeyIndex(m *yaml.Node, key string) int {
	m = Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return -1
	}
	for i := len(m.Content)/2*2 - 2; i >= 0; i -= 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// Keys lists the keys of mapping m in order.
func Keys(m *yaml.Node) []string {
	m = Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	keys := make([]string, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		keys = append(keys, m.Content[i].Value)
	}
	return keys
}

// Path walks nested mappings; nil when any step is missing or not a mapping.
func Path(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		n = Get(n, k)
		if n == nil {
			return nil
		}
	}
	return n
}

// String returns the scalar value under key ("" for a null) and whether it is a
// scalar.
func String(m *yaml.Node, key string) (string, bool) {
	v := Get(m, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return "", false
	}
	if len(v.Value) <= 4 && v.ShortTag() == "!!null" { // "", ~, null, Null, NULL
		// `~` and `null` are no value, as the API server reads them.
		return "", true
	}
	return v.Value, true
}

// Str is String without the flag, for optional fields.
func Str(m *yaml.Node, key string) string {
	s, _ := String(m, key)
	return s
}

// Bool returns a boolean scalar under key; ok is false when absent or not a boolean.
func Bool(m *yaml.Node, key string) (value, ok bool) {
	v := Get(m, key)
	if v == nil || v.Kind != yaml.ScalarNode || (v.Tag != "!!bool" && v.ShortTag() != "!!bool") {
		return false, false
	}
	b, err := strconv.ParseBool(v.Value)
	return b, err == nil
}

// StringMap reads a mapping of scalars (labels, annotations). Non-scalar values are skipped.
func StringMap(m *yaml.Node) map[string]string {
	m = Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	out := make(map[string]string, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		if v := Resolve(m.Content[i+1]); v != nil && v.Kind == yaml.ScalarNode {
			out[m.Content[i].Value] = v.Value
		}
	}
	return out
}

// NewString makes a plain string scalar, quoted where YAML would read it as another type.
func NewString(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	return n
}

// NewInt makes an integer scalar.
func NewInt(i int64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(i, 10)}
}

// NewMap makes an empty block mapping (printed `{}` while empty).
func NewMap() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"} }

// NewSeq makes an empty block sequence.
func NewSeq() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"} }

// Set puts value under key: in place when the key exists (its key node and
// comments stay), appended otherwise.
func Set(m *yaml.Node, key string, value *yaml.Node) {
	m = Resolve(m)
	if i := KeyIndex(m, key); i >= 0 {
		old := m.Content[i+1]
		value.LineComment = old.LineComment
		if value.HeadComment == "" {
			value.HeadComment = old.HeadComment
		}
		if value.FootComment == "" {
			value.FootComment = old.FootComment
		}
		m.Content[i+1] = value
		return
	}
	if len(m.Content) == 0 {
		// An empty `{}` that gains content is printed as a block from now on.
		m.Style &^= yaml.FlowStyle
	}
	m.Content = append(m.Content, NewString(key), value)
}

// SetString sets a string scalar in place, keeping the old node's style when it was a string.
func SetString(m *yaml.Node, key, value string) {
	if old := Get(m, key); old != nil && old.Kind == yaml.ScalarNode {
		old.Value = value
		old.Tag = "!!str"
		return
	}
	Set(m, key, NewString(value))
}

// InsertAt puts key: value at key-pair position pos (0-based), shifting the rest.
func InsertAt(m *yaml.Node, pos int, key string, value *yaml.Node) {
	m = Resolve(m)
	if len(m.Content) == 0 {
		m.Style &^= yaml.FlowStyle
	}
	i := pos * 2
	if i < 0 || i > len(m.Content) {
		i = len(m.Content)
	}
	m.Content = append(m.Content, nil, nil)
	copy(m.Content[i+2:], m.Content[i:])
	m.Content[i] = NewString(key)
	m.Content[i+1] = value
}

// Delete removes key from mapping m (every time it is written, so that no
// earlier one comes to light); it reports whether the key was there. The key's
// comments are not lost: the next key takes them, or else the previous one; in
// an emptied mapping the mapping itself keeps them (its caller may pass them on).
func Delete(m *yaml.Node, key string) bool {
	if !deleteOne(m, key) {
		return false
	}
	for deleteOne(m, key) {
	}
	return true
}

func deleteOne(m *yaml.Node, key string) bool {
	m = Resolve(m)
	i := KeyIndex(m, key)
	if i < 0 {
		return false
	}
	k, v := m.Content[i], m.Content[i+1]
	comments := Comments(k, v)
	m.Content = append(m.Content[:i], m.Content[i+2:]...)
	switch {
	case comments == "":
	case i < len(m.Content):
		m.Content[i].HeadComment = JoinComments(comments, m.Content[i].HeadComment)
	case i >= 2:
		m.Content[i-1].FootComment = JoinComments(m.Content[i-1].FootComment, comments)
	default:
		m.FootComment = JoinComments(m.FootComment, comments)
	}
	return true
}

// Comments gathers every comment on nodes and under them, in order, one per line,
// each written as a comment.
func Comments(nodes ...*yaml.Node) string {
	var out string
	for _, n := range nodes {
		EachComment(n, func(c string) { out = JoinComments(out, c) })
	}
	return out
}

// EachComment calls f with each comment of n's subtree, in document order (a
// node's head and line comments, its children's, then its foot comment), each
// with its '#' (a comment go-yaml holds without one gets "# ").
func EachComment(n *yaml.Node, f func(string)) {
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 100 || n.Kind == yaml.AliasNode {
			return
		}
		for _, c := range []string{n.HeadComment, n.LineComment} {
			if c != "" {
				f(asComment(c))
			}
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
		if n.FootComment != "" {
			f(asComment(n.FootComment))
		}
	}
	walk(n, 0)
}

func asComment(c string) string {
	if c == "" || strings.HasPrefix(strings.TrimSpace(c), "#") {
		return c
	}
	return "# " + c
}

// JoinComments joins comment texts with line breaks, skipping empty ones.
func JoinComments(parts ...string) string {
	out := ""
	for _, p := range parts {
		switch {
		case p == "":
		case out == "":
			out = p
		default:
			out += "\n" + p
		}
	}
	return out
}

// Ensure returns the mapping under key, creating it (and replacing a null) when needed.
func Ensure(m *yaml.Node, key string) *yaml.Node {
	v := Get(m, key)
	if v != nil && v.Kind == yaml.MappingNode {
		return v
	}
	nm := NewMap()
	Set(m, key, nm)
	return nm
}

// EnsureSeq returns the sequence under key, creating it (and replacing a null) when needed.
func EnsureSeq(m *yaml.Node, key string) *yaml.Node {
	v := Get(m, key)
	if v != nil && v.Kind == yaml.SequenceNode {
		if len(v.Content) == 0 {
			v.Style &^= yaml.FlowStyle
		}
		return v
	}
	ns := NewSeq()
	Set(m, key, ns)
	return ns
}

// Copy deep-copies a node tree (aliases are copied as aliases).
func Copy(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	// One allocation for the nodes and one for their Content lists: a VM's tree
	// is thousands of small nodes.
	nodes, refs := count(n)
	c := copier{nodes: make([]yaml.Node, 0, nodes), refs: make([]*yaml.Node, 0, refs)}
	return c.copy(n)
}

func count(n *yaml.Node) (nodes, refs int) {
	nodes, refs = 1, len(n.Content)
	for _, ch := range n.Content {
		a, b := count(ch)
		nodes, refs = nodes+a, refs+b
	}
	return nodes, refs
}

type copier struct {
	nodes []yaml.Node
	refs  []*yaml.Node
}

func (c *copier) copy(n *yaml.Node) *yaml.Node {
	c.nodes = append(c.nodes, *n)
	out := &c.nodes[len(c.nodes)-1]
	if len(n.Content) > 0 {
		start := len(c.refs)
		c.refs = append(c.refs, n.Content...)
		// Full slice expression: an append to the copy's Content must not write
		// into the next node's share of the slab.
		out.Content = c.refs[start:len(c.refs):len(c.refs)]
		for i, ch := range n.Content {
			out.Content[i] = c.copy(ch)
		}
	}
	return out
}

// Int returns an integer scalar under key.
func Int(m *yaml.Node, key string) (int64, bool) {
	v := Get(m, key)
	if v == nil || v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
		return 0, false
	}
	i, err := strconv.ParseInt(v.Value, 0, 64)
	return i, err == nil
}

// KeepLineComments moves comments go-yaml's parser leaves where its writer would
// drop them. The parser puts some comments (the one after an empty tagged value,
// `key: ! # note`) on the mapping around them, or on the next key when that key's
// value has a line comment of its own; the writer never writes a block
// collection's line comment, and writes one line comment per line. Moved (below
// the collection, above the key), each comment survives near where it was.
func KeepLineComments(n *yaml.Node) {
	if n == nil {
		return
	}
	if (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle == 0 &&
		len(n.Content) > 0 && n.LineComment != "" {
		n.FootComment = JoinComments(n.LineComment, n.FootComment)
		n.LineComment = ""
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k, v := n.Content[i], n.Content[i+1]; k.LineComment != "" && v.LineComment != "" {
				k.HeadComment = JoinComments(k.HeadComment, k.LineComment)
				k.LineComment = ""
			}
		}
	}
	for _, c := range n.Content {
		KeepLineComments(c)
	}
}

// WithoutComments is a copy of n with no comments anywhere: what a tree says.
func WithoutComments(n *yaml.Node) *yaml.Node {
	c := Copy(n)
	var strip func(*yaml.Node)
	strip = func(n *yaml.Node) {
		n.HeadComment, n.LineComment, n.FootComment = "", "", ""
		for _, ch := range n.Content {
			strip(ch)
		}
	}
	strip(c)
	return c
}

// CopyAlong copies root as Copy does, but only along paths (keys from root):
// the mappings on the way are copied with their keys, the subtree at each
// path's end is copied whole, and every other subtree is root's own, shared.
// The copy is a faithful snapshot of root as long as edits stay on the paths.
func CopyAlong(root *yaml.Node, paths [][]string) *yaml.Node {
	for _, p := range paths {
		if len(p) == 0 {
			return Copy(root)
		}
	}
	if len(paths) == 0 {
		return Copy(root)
	}
	// A copy replaces its original in its (copied) parent at once, so a node met
	// again on another path is known by being one of the copies made here.
	const shallowCopy, deepCopy = 1, 2
	made := map[*yaml.Node]int{}
	top := shallow(root)
	for _, p := range paths {
		n := top
		for i, key := range p {
			k := KeyIndex(n, key)
			if k < 0 || n.Content[k+1].Kind == yaml.AliasNode {
				break
			}
			child := n.Content[k+1]
			if made[child] == deepCopy {
				break // inside a subtree copied whole
			}
			if i == len(p)-1 {
				n.Content[k+1] = Copy(child)
				made[n.Content[k+1]] = deepCopy
				break
			}
			if made[child] == 0 {
				child = shallow(child)
				n.Content[k+1], made[child] = child, shallowCopy
			}
			n = child
		}
	}
	return top
}

// shallow copies a node and its keys; its values stay shared.
func shallow(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = append([]*yaml.Node(nil), n.Content...)
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(c.Content); i += 2 {
			k := *c.Content[i]
			c.Content[i] = &k
		}
	}
	return &c
}
