package resourcelist

import (
	"bytes"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
)

// kptWriter writes a ResourceList read in kpt's layout (split into item texts):
// the document's head and the sections before items as the input had them, each
// item as its own text or its splice, new entries after the last, then the
// sections after items and the results.
type kptWriter struct {
	rl      *ResourceList
	out     *sink
	started bool
}

func (k *kptWriter) kept(it *Item) ([]byte, bool, error) { return keptText(it) }

// whole encodes an edited item as a list entry; the comments YAML would attach
// to the list around it (outer) follow it, at its indentation.
func (k *kptWriter) whole(it *Item, _, node *yaml.Node) ([]byte, error) {
	b, err := EncodeEntry(node, k.rl.goYAMLOnly)
	if err != nil {
		return nil, err
	}
	for _, c := range strings.Split(it.outer, "\n") {
		if c != "" {
			b = append(b, "  "+c+"\n"...)
		}
	}
	return b, nil
}

func (k *kptWriter) put(_ int, entry []byte, _ itemState) {
	if entry != nil {
		k.start(false)
		k.out.write(entry)
	}
}

// start writes the document up to the first item: its head comments, the sections
// before items as written, and the items key.
func (k *kptWriter) start(empty bool) {
	if k.started {
		return
	}
	k.started = true
	k.out.write(k.rl.head)
	for _, s := range k.rl.sections {
		if s.key == "items" {
			break
		}
		k.section(s)
	}
	if empty {
		k.out.write([]byte("items: []\n"))
	} else {
		k.out.write([]byte("items:\n"))
	}
}

func (k *kptWriter) section(s *section) {
	switch s.key {
	case "items", "results":
	default:
		k.out.write(*s.text)
		if s.body != nil {
			k.out.write(*s.body)
		}
	}
}

func (k *kptWriter) finish(added []*yaml.Node, results []*krm.Result, _ bool) error {
	entries, err := EncodeEntries(added)
	if err != nil {
		return err
	}
	k.start(len(k.rl.Items) == 0 && len(added) == 0)
	for _, e := range entries {
		k.out.write(e)
	}
	after := false
	for _, s := range k.rl.sections {
		if after {
			k.section(s)
		}
		after = after || s.key == "items"
	}
	// An earlier function's results stay, before this run's (as kpt's SDK and
	// kyaml's framework keep them).
	earlier := earlierResults(k.rl.sections)
	if len(results) > 0 || len(earlier) > 0 {
		k.out.write([]byte("results:\n"))
		k.out.write(earlier)
		entries, err := EncodeEntries(resultNodes(results))
		if err != nil {
			return err
		}
		for _, b := range entries {
			k.out.write(b)
		}
	}
	return k.out.flush()
}

// earlierResults is the entries of the input's results section, as they came.
func earlierResults(sections []*section) []byte {
	var out []byte
	for _, s := range sections {
		if s.key != "results" {
			continue
		}
		header, rest, _ := bytes.Cut(*s.text, []byte("\n"))
		if v := bytes.TrimSpace(bytes.TrimPrefix(header, []byte("results:"))); len(v) > 0 && !yamllex.Comment(v) {
			continue // results: [] (a flow list other than [] is not split)
		}
		out = append(out, rest...)
	}
	return out
}
