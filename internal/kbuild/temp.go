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
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
)

// konfigName is the temporary kustomization's file name, the configuredIn of its
// own transformers (kustomize writes it relative to the build's root).
const konfigName = "kustomization.yaml"

const (
	previousNamesAnnotation = api.PreviousNamesAnnotation
	originAnnotation        = "config.kubernetes.io/origin"
	// The temporary kustomization's marks, which Build and Finish take off again.
	markLocal    = "kubevirt-networks.io/build-local-config"
	markPrevious = "kubevirt-networks.io/build-previous-names"
)

// InputKinds are the kinds the function reads besides VMs (fn.InputKinds): the
// local-config objects of these kinds are kept for it, and their previous names.
var InputKinds []string

// root holds what kustomize reads only from the kustomization it builds: the
// temporary one must carry it, as the tree's root no longer is the build's.
type root struct {
	sortOptions   *yaml.RNode
	buildMetadata []string
	openAPI       *yaml.RNode
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
		r := root{sortOptions: field(k, "sortOptions"), openAPI: field(k, "openapi")}
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

// writeTemp writes the temporary kustomization: the tree as its one resource;
// kustomize's record of each object's transformers; the previous names of the
// objects the function reads copied where the build's end keeps them; the
// local-config objects the function reads kept; and the root's own settings.
func writeTemp(tmp, abs string, r root, lr types.LoadRestrictions) error {
	rel, err := filepath.Rel(tmp, abs)
	if err != nil {
		return err
	}
	kinds := "^$"
	if len(InputKinds) > 0 {
		kinds = strings.Join(InputKinds, "|")
	}
	meta := []string{types.TransformerAnnotations}
	for _, m := range r.buildMetadata {
		// The managed-by label is stamped after the build (stampManaged).
		if !slices.Contains(meta, m) && m != types.ManagedByLabelOption {
			meta = append(meta, m)
		}
	}
	k := map[string]any{
		"apiVersion":    "kustomize.config.k8s.io/v1beta1",
		"kind":          "Kustomization",
		"resources":     []string{rel},
		"buildMetadata": meta,
		// The copy comes first: a JSON patch records each object's name as a
		// previous name before it applies, which the copy's own entry shows and
		// tidy takes off again.
		"patches": []map[string]any{
			{"target": map[string]any{"kind": kinds, "annotationSelector": previousNamesAnnotation}, "patch": jsonPatch("copy", previousNamesAnnotation, markPrevious)},
			{"target": map[string]any{"kind": kinds, "annotationSelector": api.LocalConfigAnnotation + "=true"}, "patch": jsonPatch("local", api.LocalConfigAnnotation, markLocal)},
		},
	}
	if r.sortOptions != nil {
		k["sortOptions"] = r.sortOptions.YNode()
	}
	if r.openAPI != nil {
		o, err := openAPI(tmp, abs, r.openAPI, lr)
		if err != nil {
			return err
		}
		k["openapi"] = o
	}
	b, err := yaml.Marshal(k)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(tmp, konfigName), b, 0o600)
}

func pointer(annotation string) string {
	return "/metadata/annotations/" + strings.ReplaceAll(strings.ReplaceAll(annotation, "~", "~0"), "/", "~1")
}

func jsonPatch(op, from, to string) string {
	if op == "copy" {
		return fmt.Sprintf("- op: copy\n  from: %s\n  path: %s\n", pointer(from), pointer(to))
	}
	return fmt.Sprintf("- op: replace\n  path: %s\n  value: \"false\"\n- op: add\n  path: %s\n  value: \"true\"\n", pointer(from), pointer(to))
}

// openAPI carries the root's openapi setting; a schema file is copied into the
// temporary folder, read as kustomize would read it from the root (its load
// restrictor applied).
func openAPI(tmp, abs string, o *yaml.RNode, lr types.LoadRestrictions) (map[string]any, error) {
	var m map[string]any
	if err := o.YNode().Decode(&m); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	p, ok := m["path"].(string)
	if !ok {
		return m, nil
	}
	file := p
	if !filepath.IsAbs(file) {
		file = filepath.Join(abs, p)
	}
	if lr == types.LoadRestrictionsRootOnly {
		fs := filesys.MakeFsOnDisk()
		d, f, err := fs.CleanedAbs(file)
		if err != nil {
			return nil, err
		}
		rootDir, err := confirmed(abs)
		if err != nil {
			return nil, err
		}
		if f == "" || !d.HasPrefix(rootDir) {
			return nil, fmt.Errorf("kustomize: security; file '%s' is not in or below '%s'", p, rootDir)
		}
		file = d.Join(f)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	copied := "openapi" + filepath.Ext(file)
	if err := os.WriteFile(filepath.Join(tmp, copied), b, 0o600); err != nil {
		return nil, err
	}
	m["path"] = copied
	return m, nil
}

// tidy takes the temporary kustomization's marks off the objects: the
// local-config objects the function reads get their annotation back (the
// function leaves them out of its output, as kustomize would), their previous
// names are what the function would have seen inside the tree, and the
// transformations and origins the root asked for name the root's paths.
func tidy(m resmap.ResMap, r root, tmp, abs string, function bool) error {
	var local []*resource.Resource
	for _, res := range m.Resources() {
		a := res.GetAnnotations()
		if a[markLocal] == "true" {
			a[api.LocalConfigAnnotation] = "true"
			local = append(local, res)
		}
		if prev, ok := a[markPrevious]; ok && function {
			names := strings.Split(prev, ",")
			if len(names) > 1 {
				a[previousNamesAnnotation] = strings.Join(names[:len(names)-1], ",")
			}
		}
		delete(a, markLocal)
		delete(a, markPrevious)
		if err := rebaseRecords(a, r, tmp, abs); err != nil {
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

// rebaseRecords keeps kustomize's records where the root asked for them, as
// the root would have written them (paths from the root, without the
// temporary kustomization's own transformers), and drops them elsewhere.
func rebaseRecords(a map[string]string, r root, tmp, abs string) error {
	rebase := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		if rel, err := filepath.Rel(abs, filepath.Join(tmp, p)); err == nil {
			return rel
		}
		return p
	}
	if v, ok := a[transformationsAnnotation]; ok {
		if !slices.Contains(r.buildMetadata, types.TransformerAnnotations) {
			delete(a, transformationsAnnotation)
		} else {
			var ts resource.Transformations
			if err := yaml.Unmarshal([]byte(v), &ts); err != nil {
				return err
			}
			kept := ts[:0]
			for _, t := range ts {
				if t.ConfiguredIn == konfigName {
					continue
				}
				if t.Repo == "" {
					t.ConfiguredIn = rebase(t.ConfiguredIn)
				}
				kept = append(kept, t)
			}
			s, err := kept.String()
			if err != nil {
				return err
			}
			a[transformationsAnnotation] = s
		}
	}
	if v, ok := a[originAnnotation]; ok {
		var o resource.Origin
		if err := yaml.Unmarshal([]byte(v), &o); err != nil {
			return err
		}
		if o.Repo == "" {
			o.Path, o.ConfiguredIn = rebase(o.Path), rebase(o.ConfiguredIn)
		}
		s, err := o.String()
		if err != nil {
			return err
		}
		a[originAnnotation] = s
	}
	return nil
}

// KustomizeVersion is the kustomize release whose api module go.mod pins (a
// test holds the two, and the tools module's kustomize, together): the version
// kustomize build names in its managed-by label.
const KustomizeVersion = "v5.8.1"

const managedByLabel = "app.kubernetes.io/managed-by"

// managedBy is the label kustomize build gives every object for
// buildMetadata: [managedByLabel]; linked in, kustomize cannot tell its own
// version, so the build stamps it.
func managedBy() string { return "kustomize-" + KustomizeVersion }

func stampManaged(m resmap.ResMap) error {
	for _, res := range m.Resources() {
		l := res.GetLabels()
		l[managedByLabel] = managedBy()
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
	// ManagedBy is the managed-by label (buildMetadata: [managedByLabel]).
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
