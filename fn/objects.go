package fn

import (
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// objectOf identifies an item for results, with its file when the orchestrator said.
func objectOf(node *yaml.Node) *report.Object {
	meta := ynode.Get(node, "metadata")
	annotations := ynode.StringMap(ynode.Get(meta, "annotations"))
	path, ok := annotations[api.PathAnnotation]
	if !ok {
		path = annotations[api.LegacyPathAnnotation]
	}
	idx, ok := annotations[api.IndexAnnotation]
	if !ok {
		idx = annotations[api.LegacyIndexAnnotation]
	}
	index, _ := strconv.Atoi(idx)
	// Copies: a tree's strings may be slices of its whole item's text (fastyaml),
	// and an object outlives the tree in the results.
	return &report.Object{
		APIVersion: strings.Clone(ynode.Str(node, "apiVersion")),
		Kind:       strings.Clone(ynode.Str(node, "kind")),
		Name:       strings.Clone(ynode.Str(meta, "name")),
		Namespace:  strings.Clone(ynode.Str(meta, "namespace")),
		Path:       strings.Clone(path),
		Index:      index,
	}
}

// within is an object inside a List or Template: its own identity, its
// container's file.
func within(node *yaml.Node, container *report.Object) *report.Object {
	o := objectOf(node)
	if o.Path == "" {
		o.Path, o.Index = container.Path, container.Index
	}
	return o
}

// isLocalConfig reports whether an item carries config.kubernetes.io/local-config: "true".
func isLocalConfig(node *yaml.Node) bool {
	v, _ := ynode.String(ynode.Path(node, "metadata", "annotations"), api.LocalConfigAnnotation)
	return v == "true"
}

// localConfigWritable reports whether metadata.annotations can take the annotation:
// absent, or mappings.
func localConfigWritable(node *yaml.Node) bool {
	meta := ynode.Get(node, "metadata")
	if ynode.IsNull(meta) {
		return true
	}
	ann := ynode.Get(meta, "annotations")
	return ynode.IsMap(meta) && (ynode.IsNull(ann) || ynode.IsMap(ann))
}

// markLocalConfig sets config.kubernetes.io/local-config: "true" so kustomize drops
// the item. A new metadata goes after kind, where Kubernetes objects keep it.
func markLocalConfig(node *yaml.Node) {
	if ynode.IsNull(ynode.Get(node, "metadata")) && !ynode.Has(node, "metadata") {
		ynode.InsertAt(node, ynode.KeyIndex(node, "kind")/2+1, "metadata", ynode.NewMap())
	}
	annotations := ynode.Ensure(ynode.Ensure(node, "metadata"), "annotations")
	v := ynode.NewString("true")
	v.Style = yaml.DoubleQuotedStyle
	ynode.Set(annotations, api.LocalConfigAnnotation, v)
}
