package kbuild

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
)

const (
	previousNamesAnnotation = api.PreviousNamesAnnotation
	originAnnotation        = "config.kubernetes.io/origin"
	// The stand-ins' marks, which tidy takes off again.
	markLocal    = "kubevirt-networks.io/build-local-config"
	markPrevious = "kubevirt-networks.io/build-previous-names"
)

// InputKinds are the kinds the function reads besides VMs (fn.InputKinds): the
// local-config objects of these kinds are kept for it, and their previous names.
var InputKinds []string

// root holds the root kustomization's build metadata: what the user asked
// kustomize to record on the output, and what the build records for itself.
type root struct {
	buildMetadata []string
}

func readRoot(abs string) (root, error) {
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		b, err := os.ReadFile(filepath.Join(abs, name))
		if err != nil {
			continue
		}
		k, err := yaml.Parse(string(b))
		if err != nil {
			return root{}, nil // kustomize says what is wrong with it
		}
		var r root
		if meta := field(k, "buildMetadata"); meta != nil {
			for _, e := range meta.YNode().Content {
				r.buildMetadata = append(r.buildMetadata, e.Value)
			}
		}
		return r, nil
	}
	return root{}, nil
}

func field(k *yaml.RNode, name string) *yaml.RNode {
	if f := k.Field(name); f != nil && !yaml.IsMissingOrNull(f.Value) {
		return f.Value
	}
	return nil
}

// standIns are what the fast build puts in the place of the function's config
// number at: builtin patches that do nothing the output keeps, at exactly the
// point where the function would run. kustomize records them there
// (transformerAnnotations), which says where the function sits; the first
// copies each object's previous names (kustomize's record of the names a
// prefix or a patch replaced, which it drops at the end of a build) where the
// build's end keeps them; the second keeps the local-config objects the
// function reads, which kustomize would drop. A JSON patch records an object's
// name as a previous name before it applies, so the copy ends with the name
// the object has then; tidy takes that one off.
func standIns(at int) []*yaml.RNode {
	kinds := "^$"
	if len(InputKinds) > 0 {
		kinds = strings.Join(InputKinds, "|")
	}
	patch := func(what, selector, ops string) *yaml.RNode {
		return yaml.MustParse(fmt.Sprintf("apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: %s%d-%s\ntarget:\n  kind: %q\n  annotationSelector: %q\npatch: %q\n",
			standInPrefix, at, what, kinds, selector, ops))
	}
	return []*yaml.RNode{
		patch("previous-names", previousNamesAnnotation,
			fmt.Sprintf("- op: copy\n  from: %s\n  path: %s\n", pointer(previousNamesAnnotation), pointer(markPrevious))),
		patch("local-config", api.LocalConfigAnnotation+"=true",
			fmt.Sprintf("- op: replace\n  path: %s\n  value: \"false\"\n- op: add\n  path: %s\n  value: \"true\"\n", pointer(api.LocalConfigAnnotation), pointer(markLocal))),
	}
}

// standInPrefix names the stand-ins.
const standInPrefix = "kubevirt-networks-function-"

func pointer(annotation string) string {
	return "/metadata/annotations/" + strings.ReplaceAll(strings.ReplaceAll(annotation, "~", "~0"), "/", "~1")
}

// recordTransformers is the root kustomization as the fast build reads it:
// the user's, with kustomize asked to record each object's transformers.
func recordTransformers(b []byte) []byte {
	k, err := yaml.Parse(string(b))
	if err != nil || k.YNode().Kind != yaml.MappingNode {
		return b
	}
	meta := field(k, "buildMetadata")
	if meta == nil {
		if err := k.PipeE(yaml.SetField("buildMetadata", yaml.NewListRNode(types.TransformerAnnotations))); err != nil {
			return b
		}
	} else {
		for _, e := range meta.YNode().Content {
			if e.Value == types.TransformerAnnotations {
				return b
			}
		}
		meta.YNode().Content = append(meta.YNode().Content, yaml.NewStringRNode(types.TransformerAnnotations).YNode())
	}
	s, err := k.String()
	if err != nil {
		return b
	}
	return []byte(s)
}

// tidy takes the stand-ins' marks off the objects: the local-config objects
// the function reads get their annotation back (the function leaves them out
// of its output, as kustomize would), their previous names are what the
// function would have seen, and kustomize's transformation record stays only
// where the root asked for it, without the stand-ins.
func tidy(m resmap.ResMap, r root, ours []Function) error {
	function := len(ours) == 1
	var local []*resource.Resource
	for _, res := range m.Resources() {
		a := res.GetAnnotations()
		if a[markLocal] == "true" {
			a[api.LocalConfigAnnotation] = "true"
			local = append(local, res)
		}
		if prev, ok := a[markPrevious]; ok && function {
			if names := strings.Split(prev, ","); len(names) > 1 {
				a[previousNamesAnnotation] = strings.Join(names[:len(names)-1], ",")
			}
		}
		delete(a, markLocal)
		delete(a, markPrevious)
		if err := keepRecords(a, r, ours); err != nil {
			return err
		}
		if err := res.SetAnnotations(a); err != nil {
			return err
		}
	}
	if slices.Contains(r.buildMetadata, types.ManagedByLabelOption) {
		if err := stampManaged(m); err != nil {
			return err
		}
	}
	if !function {
		for _, res := range local {
			if err := m.Remove(res.CurId()); err != nil {
				return err
			}
		}
	}
	return nil
}

// keepRecords keeps kustomize's transformation record where the root asked for
// it, as the root would have it: the function where its stand-ins ran.
func keepRecords(a map[string]string, r root, ours []Function) error {
	v, ok := a[transformationsAnnotation]
	if !ok {
		return nil
	}
	if !slices.Contains(r.buildMetadata, types.TransformerAnnotations) {
		delete(a, transformationsAnnotation)
		return nil
	}
	ts, err := parseTransformations(v)
	if err != nil {
		return err
	}
	kept := ts[:0]
	last := -1
	for _, t := range ts {
		at, ok := standInOf(t)
		switch {
		case !ok:
			kept = append(kept, t)
		case at != last && at < len(ours):
			f := ours[at]
			t.ConfiguredBy.APIVersion, t.ConfiguredBy.Kind, t.ConfiguredBy.Name, t.ConfiguredBy.Namespace = f.APIVersion, f.Kind, f.Name, f.Namespace
			kept = append(kept, t)
		}
		if ok {
			last = at
		}
	}
	s, err := kept.String()
	if err != nil {
		return err
	}
	a[transformationsAnnotation] = s
	return nil
}

// KustomizeVersion is the kustomize release whose api module go.mod pins (a
// test holds the two, and the tools module's kustomize, together): the version
// kustomize build names in its managed-by label.
const KustomizeVersion = "v5.8.1"

// managedBy is the label kustomize build gives every object for
// buildMetadata: [api.ManagedByLabel]; linked in, kustomize cannot tell its own
// version, so the build stamps it.
func managedBy() string { return "kustomize-" + KustomizeVersion }

func stampManaged(m resmap.ResMap) error {
	for _, res := range m.Resources() {
		l := res.GetLabels()
		l[api.ManagedByLabel] = managedBy()
		if err := res.SetLabels(l); err != nil {
			return err
		}
	}
	return nil
}

// Stamp is what kustomize gives the objects a function creates inside its
// build, which the fast build's function creates after it.
type Stamp struct {
	// Origin is the origin annotation (buildMetadata: [originAnnotations]).
	Origin string
	// ManagedBy is the managed-by label (buildMetadata: [api.ManagedByLabel]).
	ManagedBy string
}

func stampFor(r root, f Function, abs string) (Stamp, error) {
	var s Stamp
	if slices.Contains(r.buildMetadata, types.OriginAnnotations) {
		in, err := filepath.Rel(abs, f.abs)
		if err != nil {
			return s, err
		}
		o := resource.Origin{ConfiguredIn: in}
		o.ConfiguredBy.APIVersion, o.ConfiguredBy.Kind, o.ConfiguredBy.Name, o.ConfiguredBy.Namespace = f.APIVersion, f.Kind, f.Name, f.Namespace
		if s.Origin, err = o.String(); err != nil {
			return s, err
		}
	}
	if slices.Contains(r.buildMetadata, types.ManagedByLabelOption) {
		s.ManagedBy = managedBy()
	}
	return s, nil
}
