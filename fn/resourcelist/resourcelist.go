// Package resourcelist reads and writes the KRM ResourceList. It writes items
// in input order (the SDK's ToYAML sorts them) and encodes each item on its own:
// go-yaml's emitter keeps every event of a document until it ends, so one
// encoder per item keeps memory flat on large packages.
package resourcelist

import (
	"bytes"
	"fmt"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/ynode"
)

// ResourceList is the function's input and output.
type ResourceList struct {
	APIVersion     string
	Items          []*yaml.Node
	FunctionConfig *yaml.Node // nil when absent
	Results        krm.Results
}

var apiVersions = []string{"config.kubernetes.io/v1", "config.kubernetes.io/v1beta1"}

// Read parses a ResourceList. Errors name what is wrong and what is expected.
func Read(input []byte) (*ResourceList, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(input))
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			return nil, fmt.Errorf("the input is empty; expected a ResourceList (kind: ResourceList, apiVersion: config.kubernetes.io/v1) on stdin")
		}
		return nil, fmt.Errorf("the input is not YAML: %v; expected a ResourceList on stdin", err)
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
	if !contains(apiVersions, av) {
		return nil, fmt.Errorf("the ResourceList has apiVersion %q; expected %s", av, strings.Join(apiVersions, " or "))
	}
	rl := &ResourceList{APIVersion: av}
	if items := ynode.Get(root, "items"); !ynode.IsNull(items) {
		if !ynode.IsSeq(items) {
			return nil, fmt.Errorf("the ResourceList's items must be a list of objects")
		}
		for i, it := range items.Content {
			if !ynode.IsMap(it) {
				return nil, fmt.Errorf("the ResourceList's items[%d] is not an object (a mapping with apiVersion, kind and metadata)", i)
			}
			rl.Items = append(rl.Items, ynode.Resolve(it))
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Write encodes the ResourceList: items in order, then the function config, then results.
func Write(rl *ResourceList) ([]byte, error) {
	var out bytes.Buffer
	av := rl.APIVersion
	if av == "" {
		av = apiVersions[0]
	}
	out.WriteString("apiVersion: " + av + "\nkind: ResourceList\n")
	if len(rl.Items) == 0 {
		out.WriteString("items: []\n")
	} else {
		out.WriteString("items:\n")
		for _, it := range rl.Items {
			if err := writeListEntry(&out, it); err != nil {
				return nil, err
			}
		}
	}
	if rl.FunctionConfig != nil {
		out.WriteString("functionConfig:\n")
		b, err := encode(rl.FunctionConfig)
		if err != nil {
			return nil, err
		}
		indent(&out, b, "  ", "  ")
	}
	if len(rl.Results) > 0 {
		out.WriteString("results:\n")
		for _, r := range rl.Results {
			var n yaml.Node
			if err := n.Encode(r); err != nil {
				return nil, err
			}
			if err := writeListEntry(&out, &n); err != nil {
				return nil, err
			}
		}
	}
	return out.Bytes(), nil
}

func writeListEntry(out *bytes.Buffer, n *yaml.Node) error {
	b, err := encode(n)
	if err != nil {
		return err
	}
	indent(out, b, "- ", "  ")
	return nil
}

// encode writes one node as its own document.
func encode(n *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	enc.CompactSeqIndent()
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// indent prefixes the first line with first and every further non-empty line with rest.
// Empty lines stay empty so block scalars keep their exact content.
func indent(out *bytes.Buffer, b []byte, first, rest string) {
	prefix := first
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i+1], b[i+1:]
		} else {
			b = nil
		}
		if len(line) > 1 || (len(line) == 1 && line[0] != '\n') {
			out.WriteString(prefix)
		}
		out.Write(line)
		if line[len(line)-1] != '\n' {
			out.WriteByte('\n')
		}
		prefix = rest
	}
}
