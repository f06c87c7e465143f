package check

import (
	"fmt"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/ynode"
)

// shapeKind is what a value must be.
type shapeKind uint8

const (
	kindAny shapeKind = iota
	kindObject
	kindMap
	kindList
	kindString
	kindBool
	kindInt
	kindNumber
)

// shape is one type of kubevirt.io/api, as schema_gen.go lists them.
type shape struct {
	kind shapeKind
	// preserve: x-kubernetes-preserve-unknown-fields in KubeVirt's CRDs (template
	// metadata, clock): unknown fields are kept there, so they are no finding.
	preserve bool
	fields   map[string]int // for objects: JSON name -> shape index
	elem     int            // for maps and lists
}

// maxStrictFindings bounds what one object can produce (a pasted-in wrong document
// would otherwise list every field).
const maxStrictFindings = 50

// Strict decodes obj against kubevirt.io/api v1.9.0 as the API server would: an
// unknown field is a warning (the server drops or refuses it), a value of the
// wrong type an error (the server refuses the object).
func Strict(obj *yaml.Node, group, version, kind string) []report.Finding {
	root, ok := schemaRoots[group+"/"+kind]
	if !ok {
		root, ok = schemaRoots[group+"/"+version+"/"+kind]
	}
	if !ok {
		return nil
	}
	w := &walker{}
	w.walk(obj, root, "", 0)
	return w.findings
}

type walker struct {
	findings []report.Finding
}

func (w *walker) add(f report.Finding) {
	if len(w.findings) < maxStrictFindings {
		w.findings = append(w.findings, f)
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (w *walker) walk(n *yaml.Node, at int, path string, depth int) {
	// An alias is checked where its anchor is: following aliases would let a small
	// document (a "billion laughs") make the walk exponential.
	if n == nil || n.Kind == yaml.AliasNode || depth > 64 || ynode.IsNull(n) {
		return
	}
	s := &shapes[at]
	switch s.kind {
	case kindObject, kindMap:
		if n.Kind != yaml.MappingNode {
			w.wrongType(path, n, "an object")
			return
		}
		w.duplicates(n, path)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			child := s.elem
			if s.kind == kindObject {
				f, ok := s.fields[key]
				if !ok {
					if !s.preserve {
						w.add(report.Finding{Rule: RuleUnknownField, Field: join(path, key), Severity: krm.Warning,
							Message: fmt.Sprintf("unknown field %q: kubevirt.io/api v1.9 has no such field here, so the API server drops it (or kubectl --validate=strict refuses it); check its spelling and place", key)})
					}
					continue
				}
				child = f
			}
			w.walk(n.Content[i+1], child, join(path, key), depth+1)
		}
	case kindList:
		if n.Kind != yaml.SequenceNode {
			w.wrongType(path, n, "a list")
			return
		}
		for i, e := range n.Content {
			w.walk(e, s.elem, fmt.Sprintf("%s[%d]", path, i), depth+1)
		}
	case kindString:
		w.scalar(n, path, "!!str", "a string")
	case kindBool:
		w.scalar(n, path, "!!bool", "true or false")
	case kindInt:
		w.scalar(n, path, "!!int", "an integer")
	case kindNumber:
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") {
			w.wrongType(path, n, "a number")
		}
	}
}

// duplicates reports keys written twice: go-yaml keeps both in the tree, the
// function reads the first, and kubectl refuses the object.
func (w *walker) duplicates(n *yaml.Node, path string) {
	if len(n.Content) < 4 {
		return
	}
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i].Value
		if seen[key] {
			w.add(report.Finding{Rule: RuleSchemaType, Field: join(path, key), Severity: krm.Error,
				Message: fmt.Sprintf("key %q is written twice: kubectl refuses the object (\"mapping key %q already defined\"); keep one", key, key)})
		}
		seen[key] = true
	}
}

func (w *walker) scalar(n *yaml.Node, path, tag, want string) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != tag {
		w.wrongType(path, n, want)
	}
}

func (w *walker) wrongType(path string, n *yaml.Node, want string) {
	got := "a scalar"
	switch {
	case n.Kind == yaml.MappingNode:
		got = "an object"
	case n.Kind == yaml.SequenceNode:
		got = "a list"
	case n.ShortTag() == "!!str":
		got = fmt.Sprintf("the string %q", n.Value)
	case n.ShortTag() == "!!int" || n.ShortTag() == "!!float":
		got = "the number " + n.Value
	case n.ShortTag() == "!!bool":
		got = "the boolean " + n.Value
	}
	w.add(report.Finding{Rule: RuleSchemaType, Field: path, Severity: krm.Error,
		Message: fmt.Sprintf("%s must be %s, not %s: the API server refuses the object; write it as %s", path, want, got, want)})
}
