package resourcelist

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/ynode"
)

// ResourceList is the function's input.
type ResourceList struct {
	APIVersion     string
	Items          []*Item
	FunctionConfig *yaml.Node // nil when absent
	// Size is the input's length in bytes.
	Size int64

	// Split input: the document's head comments and its top-level sections, for
	// writing the output around the items as the input had them.
	head     []byte
	sections []*section
	// Whole-document input: the document, and what shares nodes through aliases.
	doc     *yaml.Node
	Aliases *ynode.Aliases
}

// Split reports whether the input was read item by item (kpt's layout).
func (rl *ResourceList) Split() bool { return rl.doc == nil }

var apiVersions = []string{"config.kubernetes.io/v1", "config.kubernetes.io/v1beta1"}

// Read reads a ResourceList. Errors say what is wrong and what is expected.
func Read(r io.Reader) (*ResourceList, error) {
	s := &splitter{in: newBufio(r), rl: &ResourceList{}, seen: map[string]bool{}}
	if s.split() {
		s.rl.Size = s.size
		return s.rl, nil
	}
	// Not kpt's layout: parse the whole document, from what was read and the rest.
	var whole bytes.Buffer
	for _, p := range s.pieces {
		whole.Write(*p)
	}
	if _, err := whole.ReadFrom(s.in); err != nil {
		return nil, fmt.Errorf("cannot read the input: %v", err)
	}
	rl, err := parseWhole(bytes.ReplaceAll(whole.Bytes(), []byte("\r\n"), []byte("\n")))
	if rl != nil {
		rl.Size = int64(whole.Len())
	}
	return rl, err
}

// parseWhole reads any other layout by parsing the document.
func parseWhole(input []byte) (*ResourceList, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(input))
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, fmt.Errorf("the input is empty; expected a ResourceList (kind: ResourceList, apiVersion: config.kubernetes.io/v1) on stdin")
		}
		return nil, fmt.Errorf("the input is not YAML: %v; expected a ResourceList on stdin", err)
	}
	if len(doc.Content) == 0 || !ynode.IsMap(doc.Content[0]) {
		return nil, fmt.Errorf("the input is not a ResourceList: expected a mapping with kind: ResourceList")
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		return nil, fmt.Errorf("the input holds more than one YAML document after the ResourceList; a ResourceList is one document")
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
	rl := &ResourceList{APIVersion: av, doc: &doc}
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

type bufioReader = bufio.Reader

func newBufio(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, 64<<10) }
