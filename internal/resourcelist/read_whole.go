package resourcelist

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// decodeWhole reads a whole-document ResourceList: JSON as JSON reads it (and
// written back as JSON), anything else as one YAML document.
func decodeWhole(input []byte) (yaml.Node, *jsonDoc, error) {
	if looksJSON(input) {
		d, jd, err := parseJSON(input)
		if err != nil {
			return yaml.Node{}, nil, fmt.Errorf("the input is not JSON: %v; expected a ResourceList on stdin", err)
		}
		return *d, jd, nil
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(input))
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return doc, nil, fmt.Errorf("the input is empty; expected a ResourceList (kind: ResourceList, apiVersion: config.kubernetes.io/v1) on stdin")
		}
		return doc, nil, fmt.Errorf("the input is not YAML: %v; expected a ResourceList on stdin", err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		return doc, nil, fmt.Errorf("the input holds more than one YAML document after the ResourceList; a ResourceList is one document")
	}
	return doc, nil, nil
}

// parseWhole is the whole-document reader: a ResourceList in any layout but
// kpt's (JSON, flow style, indented items, anchors across items, comments
// between items), parsed as one document.
func parseWhole(input []byte) (*ResourceList, error) {
	doc, asJSON, err := decodeWhole(input)
	if err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 || !ynode.IsMap(doc.Content[0]) {
		return nil, fmt.Errorf("the input is not a ResourceList: expected a mapping with kind: ResourceList")
	}
	root := ynode.Resolve(doc.Content[0])
	kind := ynode.Str(root, "kind")
	av := ynode.Str(root, "apiVersion")
	if kind != "ResourceList" {
		return nil, fmt.Errorf("the input has kind %q; expected kind: ResourceList (a bare manifest must be wrapped, e.g. by kpt fn eval or kustomize)", kind)
	}
	if !slices.Contains(apiVersions, av) {
		return nil, fmt.Errorf("the ResourceList has apiVersion %q; expected %s", av, strings.Join(apiVersions, " or "))
	}
	rl := &ResourceList{APIVersion: av, doc: &doc, source: input, json: asJSON}
	rl.Aliases = ynode.IndexAliases(&doc)
	if items := ynode.Get(root, "items"); !ynode.IsNull(items) {
		if !ynode.IsSeq(items) {
			return nil, fmt.Errorf("the ResourceList's items must be a list of objects")
		}
		for i, it := range items.Content {
			if it.Kind == yaml.AliasNode {
				// The same object listed twice: each entry is its own object to the
				// function, so the repeat gets its own copy.
				c, err := rl.Aliases.Expand(it)
				if err != nil {
					return nil, fmt.Errorf("the ResourceList's items[%d] is an alias (*%s) that cannot be expanded: %v", i, it.Value, err)
				}
				items.Content[i], it = c, c
			}
			if !ynode.IsMap(it) {
				return nil, fmt.Errorf("the ResourceList's items[%d] is not an object (a mapping with apiVersion, kind and metadata)", i)
			}
			rl.Items = append(rl.Items, &Item{Index: i, node: it})
		}
	}
	if fc := ynode.Get(root, "functionConfig"); !ynode.IsNull(fc) {
		if !ynode.IsMap(fc) {
			return nil, fmt.Errorf("the ResourceList's functionConfig must be an object")
		}
		rl.FunctionConfig = fc
	}
	return rl, nil
}
