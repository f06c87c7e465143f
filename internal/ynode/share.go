package ynode

import (
	"fmt"
	"sync"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Aliases knows which nodes of a document are shared through anchors and aliases,
// so that an edit never reaches through an alias into another place: the edited
// part is expanded into its own copy first, or the edit is refused.
type Aliases struct {
	mu sync.Mutex
	// refs maps an anchored node to the alias nodes that stand for it.
	refs map[*yaml.Node][]*yaml.Node
}

// IndexAliases finds every alias of a document. It returns nil when there are none.
func IndexAliases(doc *yaml.Node) *Aliases {
	a := &Aliases{refs: map[*yaml.Node][]*yaml.Node{}}
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 10000 {
			return
		}
		if n.Kind == yaml.AliasNode {
			a.refs[n.Alias] = append(a.refs[n.Alias], n)
			return
		}
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	walk(doc, 0)
	if len(a.refs) == 0 {
		return nil
	}
	return a
}

// maxCopy bounds the nodes one expansion copies: aliases make a few lines of YAML
// stand for billions of nodes.
const maxCopy = 10000

// Expand returns a copy of what alias stands for, with its anchors dropped (the
// originals still define them) and its own aliases kept as aliases.
func (a *Aliases) Expand(alias *yaml.Node) (*yaml.Node, error) {
	if a == nil || alias.Kind != yaml.AliasNode {
		return alias, nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	budget := maxCopy
	c, err := a.copyOf(alias.Alias, &budget)
	if err != nil {
		return nil, err
	}
	a.drop(alias)
	return c, nil
}

func (a *Aliases) copyOf(n *yaml.Node, budget *int) (*yaml.Node, error) {
	if *budget--; *budget < 0 {
		return nil, fmt.Errorf("it stands for more than %d nodes", maxCopy)
	}
	c := *n
	c.Anchor = ""
	if n.Kind == yaml.AliasNode {
		a.refs[n.Alias] = append(a.refs[n.Alias], &c)
		return &c, nil
	}
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, ch := range n.Content {
			cc, err := a.copyOf(ch, budget)
			if err != nil {
				return nil, err
			}
			c.Content[i] = cc
		}
	}
	return &c, nil
}

// drop forgets an alias that was replaced by a copy.
func (a *Aliases) drop(alias *yaml.Node) {
	list := a.refs[alias.Alias]
	for i, l := range list {
		if l == alias {
			a.refs[alias.Alias] = append(list[:i:i], list[i+1:]...)
			return
		}
	}
}

// Shared is an error about a node an edit would reach through an alias.
type Shared struct {
	Field  string // where the edit is
	Anchor string
}

func (e *Shared) Error() string {
	return fmt.Sprintf("%s holds the anchor &%s, which an alias (*%s) elsewhere in the input stands for, so editing it would change that place too; write that place out in full, or remove the anchor", e.Field, e.Anchor, e.Anchor)
}

// Unshare makes the subtrees of root at each path (and the mappings leading to
// them) root's own: every alias on the way or inside is replaced by a copy of what
// it stands for. It then refuses, when a node there holds an anchor that an alias
// elsewhere still stands for (editing it would change that place too). field
// names root's paths in errors.
func (a *Aliases) Unshare(root *yaml.Node, field func(path []string) string, paths ...[]string) error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	subtrees, err := a.expand(root, field, paths)
	if err != nil {
		return err
	}
	// Only once every alias of the edited parts is expanded: an anchor whose aliases
	// all were in those parts is no longer shared.
	for k, path := range paths {
		n := root
		for i := 0; i <= len(path) && n != nil; i++ {
			if err := a.checkAnchor(n, field(path[:i])); err != nil {
				return err
			}
			if i < len(path) {
				n = Get(n, path[i])
			}
		}
		if err := a.checkTree(subtrees[k], field(path)); err != nil {
			return err
		}
	}
	return nil
}

// ExpandWithin replaces every alias on the way to and inside root's subtrees at
// each path by a copy, refusing nothing: done for every object about to change
// before any is edited, it frees the anchors only such objects' aliases stood
// for, so that which object comes first does not decide what can be edited.
func (a *Aliases) ExpandWithin(root *yaml.Node, field func(path []string) string, paths ...[]string) error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	_, err := a.expand(root, field, paths)
	return err
}

func (a *Aliases) expand(root *yaml.Node, field func(path []string) string, paths [][]string) ([]*yaml.Node, error) {
	budget := maxCopy
	var subtrees []*yaml.Node
	for _, path := range paths {
		n := root
		for i := 0; i < len(path) && n != nil; i++ {
			slot := valueSlot(n, path[i])
			if slot == nil {
				n = nil
				break
			}
			if (*slot).Kind == yaml.AliasNode {
				c, err := a.copyOf((*slot).Alias, &budget)
				if err != nil {
					return nil, fmt.Errorf("%s is an alias (*%s) the function cannot expand: %v", field(path[:i+1]), (*slot).Value, err)
				}
				a.drop(*slot)
				*slot = c
			}
			n = *slot
		}
		if err := a.expandTree(n, field(path), &budget); err != nil {
			return nil, err
		}
		subtrees = append(subtrees, n)
	}
	return subtrees, nil
}

// expandTree replaces every alias under n by a copy.
func (a *Aliases) expandTree(n *yaml.Node, field string, budget *int) error {
	if n == nil {
		return nil
	}
	for i, c := range n.Content {
		if c.Kind == yaml.AliasNode {
			cc, err := a.copyOf(c.Alias, budget)
			if err != nil {
				return fmt.Errorf("%s holds an alias (*%s) the function cannot expand: %v", field, c.Value, err)
			}
			a.drop(c)
			n.Content[i] = cc
			c = cc
		}
		if err := a.expandTree(c, field, budget); err != nil {
			return err
		}
	}
	return nil
}

// checkTree refuses a shared anchor under n.
func (a *Aliases) checkTree(n *yaml.Node, field string) error {
	if n == nil {
		return nil
	}
	for _, c := range n.Content {
		if err := a.checkAnchor(c, field); err != nil {
			return err
		}
		if err := a.checkTree(c, field); err != nil {
			return err
		}
	}
	return nil
}

func (a *Aliases) checkAnchor(n *yaml.Node, field string) error {
	if n != nil && n.Anchor != "" && len(a.refs[n]) > 0 {
		return &Shared{Field: field, Anchor: n.Anchor}
	}
	return nil
}

// valueSlot is where mapping m keeps key's value, or nil.
func valueSlot(m *yaml.Node, key string) **yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return &m.Content[i+1]
		}
	}
	return nil
}
