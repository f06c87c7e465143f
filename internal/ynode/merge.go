package ynode

import "sigs.k8s.io/kustomize/kyaml/yaml"

// IsMergeKey reports the YAML merge key `<<` (plain; a quoted "<<" is a string).
func IsMergeKey(k *yaml.Node) bool {
	return k != nil && k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0
}

// MergesInto reports whether mapping m holds a merge key itself.
func MergesInto(m *yaml.Node) bool {
	if m == nil || m.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if IsMergeKey(m.Content[i]) {
			return true
		}
	}
	return false
}

// HasMerge reports whether a mapping of n's subtree holds a merge key.
func HasMerge(n *yaml.Node) bool {
	return hasMerge(n, 0)
}

func hasMerge(n *yaml.Node, depth int) bool {
	if n == nil || depth > 64 {
		return false
	}
	if MergesInto(n) {
		return true
	}
	for _, c := range n.Content {
		if hasMerge(c, depth+1) {
			return true
		}
	}
	return false
}

// Pairs returns a mapping's key/value pairs as kubectl reads them: a merge key
// (`<<: *base`, `<<: {…}` or `<<: [*a, *b]`) stands for the keys of the mappings
// it names that the mapping does not set itself, the first mapping of a list
// winning over later ones, at the merge key's place. Without a merge key it is
// the mapping's own pairs.
func Pairs(m *yaml.Node) [][2]*yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	out := make([][2]*yaml.Node, 0, len(m.Content)/2)
	own := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !IsMergeKey(m.Content[i]) {
			own[m.Content[i].Value] = true
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if !IsMergeKey(k) {
			out = append(out, [2]*yaml.Node{k, v})
			continue
		}
		for _, p := range mergedPairs(v, 0) {
			if !own[p[0].Value] {
				own[p[0].Value] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// mergedPairs are the pairs a merge key's value stands for, first source first.
func mergedPairs(v *yaml.Node, depth int) [][2]*yaml.Node {
	v = Resolve(v)
	if v == nil || depth > 16 {
		return nil
	}
	switch v.Kind {
	case yaml.MappingNode:
		return Pairs(v)
	case yaml.SequenceNode:
		var out [][2]*yaml.Node
		for _, s := range v.Content {
			if s = Resolve(s); s != nil && s.Kind == yaml.MappingNode {
				out = append(out, Pairs(s)...)
			}
		}
		return out
	}
	return nil
}

// FlattenMerges writes every merge key of n's subtree out as the keys it stands
// for (copies, so no edit reaches the mapping they came from), and reports
// whether there was one.
func FlattenMerges(n *yaml.Node) bool {
	return flatten(n, 0)
}

func flatten(n *yaml.Node, depth int) bool {
	if n == nil || depth > 64 || n.Kind == yaml.AliasNode {
		return false
	}
	changed := false
	if MergesInto(n) {
		pairs := Pairs(n)
		content := make([]*yaml.Node, 0, 2*len(pairs))
		for _, p := range pairs {
			content = append(content, p[0], p[1])
		}
		for j := range content {
			if !containsNode(n.Content, content[j]) {
				c := Copy(Resolve(content[j]))
				c.Anchor = "" // the anchor stays where it was written
				content[j] = c
			}
		}
		n.Content, changed = content, true
	}
	for _, c := range n.Content {
		changed = flatten(c, depth+1) || changed
	}
	return changed
}

func containsNode(list []*yaml.Node, n *yaml.Node) bool {
	for _, c := range list {
		if c == n {
			return true
		}
	}
	return false
}
