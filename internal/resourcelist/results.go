package resourcelist

import (
	"sort"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

func resultNodes(results []*krm.Result) []*yaml.Node {
	nodes := make([]*yaml.Node, len(results))
	for i, r := range results {
		nodes[i] = resultNode(r)
	}
	return nodes
}

// resultNode builds a result's tree by hand, in the field order of the SDK's Result
// yaml tags (omitting empty fields as they do): reflection cost more than the
// emitter for the hundreds of results of a large package.
func resultNode(r *krm.Result) *yaml.Node {
	m := ynode.NewMap()
	put := func(m *yaml.Node, k, v string) {
		if v != "" {
			m.Content = append(m.Content, ynode.NewString(k), ynode.NewString(v))
		}
	}
	sub := func(k string, child *yaml.Node) {
		if len(child.Content) > 0 {
			m.Content = append(m.Content, ynode.NewString(k), child)
		}
	}
	put(m, "message", r.Message)
	put(m, "severity", string(r.Severity))
	if ref := r.ResourceRef; ref != nil {
		c := ynode.NewMap()
		put(c, "apiVersion", ref.APIVersion)
		put(c, "kind", ref.Kind)
		put(c, "name", ref.Name)
		put(c, "namespace", ref.Namespace)
		sub("resourceRef", c)
	}
	if f := r.Field; f != nil {
		c := ynode.NewMap()
		put(c, "path", f.Path)
		sub("field", c)
	}
	if f := r.File; f != nil {
		c := ynode.NewMap()
		put(c, "path", f.Path)
		if f.Index != 0 {
			c.Content = append(c.Content, ynode.NewString("index"), ynode.NewInt(int64(f.Index)))
		}
		sub("file", c)
	}
	if len(r.Tags) > 0 {
		keys := make([]string, 0, len(r.Tags))
		for k := range r.Tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		c := ynode.NewMap()
		for _, k := range keys {
			put(c, k, r.Tags[k])
		}
		sub("tags", c)
	}
	return m
}
