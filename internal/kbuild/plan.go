package kbuild

import (
	"fmt"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// transformationsAnnotation is where kustomize records, on every object, each
// transformer that ran over it, in order, with the file that configured it
// (buildMetadata: [transformerAnnotations]). It records functions that did not
// run (exec off) as well: the build's own account of where the function sits.
const transformationsAnnotation = "alpha.config.kubernetes.io/transformations"

// Transformation is one entry of that annotation, as kustomize writes it.
type Transformation = resource.Origin

// standInOf says which config of the function a stand-in stands for.
func standInOf(t *Transformation) (int, bool) {
	rest, ok := strings.CutPrefix(t.ConfiguredBy.Name, standInPrefix)
	if t.ConfiguredBy.APIVersion != "builtin" || !ok {
		return 0, false
	}
	n, _, _ := strings.Cut(rest, "-")
	at, err := strconv.Atoi(n)
	return at, err == nil
}

// Object is what the decision needs of one object of the build.
type Object struct {
	// Label names it in a reason ("ConfigMap c").
	Label string
	// Transformations are the entries kustomize recorded on it.
	Transformations resource.Transformations
}

// Decision is how a tree is built.
type Decision struct {
	// Fast: the build without the function, then the function over its output,
	// gives the objects the transformer path gives. Else Why says what differs.
	Fast bool
	Why  string
}

// Decide says whether the function can run after the build instead of inside
// it. ours are the configs of the function the build read, each replaced by
// stand-ins that kustomize records where the function would have run. It is
// fast exactly where the function is configured once, every object went
// through it, and nothing ran after it on any object: then the function saw,
// in the tree, what it sees after the build.
func Decide(ours []Function, objects []Object) Decision {
	switch {
	case len(ours) == 0:
		return Decision{Fast: true}
	case len(ours) > 1:
		var where []string
		for _, f := range ours {
			where = append(where, f.File)
		}
		return Decision{Why: fmt.Sprintf("the tree configures the function %d times (%s)", len(ours), strings.Join(where, ", "))}
	}
	for _, o := range objects {
		at := -1
		for i, t := range o.Transformations {
			if _, ok := standInOf(t); ok {
				at = i
				break
			}
		}
		if at < 0 {
			return Decision{Why: fmt.Sprintf("%s does not go through the function (it runs below the root, or as a generator or validator, configured in %s)", o.Label, ours[0].File)}
		}
		for _, t := range o.Transformations[at:] {
			if _, ok := standInOf(t); !ok {
				return Decision{Why: fmt.Sprintf("%s (configured in %s) runs after the function", strings.TrimSpace(t.ConfiguredBy.Kind+" "+t.ConfiguredBy.Name), t.ConfiguredIn)}
			}
		}
	}
	return Decision{Fast: true}
}

// parseTransformations reads the annotation's value.
func parseTransformations(s string) (resource.Transformations, error) {
	var ts resource.Transformations
	if s == "" {
		return nil, nil
	}
	if err := yaml.Unmarshal([]byte(s), &ts); err != nil {
		return nil, fmt.Errorf("kustomize's %s annotation: %w", transformationsAnnotation, err)
	}
	return ts, nil
}
