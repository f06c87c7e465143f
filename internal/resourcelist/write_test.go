package resourcelist

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// The writer, YAML in and YAML out: a kept item comes out as its own bytes, a
// changed one re-encoded with its comments, a dropped one not at all, an added
// one at the end; the rest of the document as it came.
func TestWriter(t *testing.T) {
	const in = `# head
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: kept}   # odd spacing stays
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: changed # a comment
  data:
    k: old
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: dropped}
functionConfig:
  kind: ConfigMap
`
	const want = `# head
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: kept}   # odd spacing stays
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: changed # a comment
  data:
    k: new
- apiVersion: v1
  kind: Secret
  metadata:
    name: added
functionConfig:
  kind: ConfigMap
`
	for _, form := range []Form{ResourceListForm, StreamForm} {
		input, expected := in, want
		if form == StreamForm {
			input = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept}   # odd spacing stays\n---\n# a comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: changed\ndata:\n  k: old\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: dropped}\n"
			expected = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept}   # odd spacing stays\n---\n# a comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: changed\ndata:\n  k: new\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: added\n"
		}
		rl, err := Read(bytes.NewReader([]byte(input)), form)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		w := NewWriter(&out, rl)
		w.Keep(0)
		n, err := rl.Items[1].Hold()
		if err != nil {
			t.Fatal(err)
		}
		ynode.SetString(ynode.Get(n, "data"), "k", "new")
		if err := w.Changed(1, n); err != nil {
			t.Fatal(err)
		}
		w.Drop(2)
		added := &yaml.Node{}
		if err := yaml.Unmarshal([]byte("apiVersion: v1\nkind: Secret\nmetadata:\n  name: added\n"), added); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish([]*yaml.Node{added.Content[0]}, nil, false); err != nil {
			t.Fatal(err)
		}
		if out.String() != expected {
			t.Errorf("form %d:\n%s\nwant:\n%s", form, out.String(), expected)
		}
	}
}

// The writer's lines are go-yaml's lines: its node line numbers index them, in
// texts with LF only (the fast path) and with every other break go-yaml counts.
func TestLineIndexCountsAsGoYAML(t *testing.T) {
	for _, text := range []string{"a: 1\nb: 2\nc: 3\n", "a: 1\r\nb: 2\rc: 3\u0085d: 4\u2028e: 5\u2029f: 6\n", "a: 1\nb: |\n  x\u0085  y\nc: 3"} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
			t.Fatal(err)
		}
		li := yamllex.NewLineIndex([]byte(text))
		m := doc.Content[0]
		for i := 0; i < len(m.Content); i += 2 {
			k := m.Content[i]
			if l := string(li.Line(k.Line)); !strings.HasPrefix(l, k.Value+":") {
				t.Errorf("%q: key %s is on line %d, which is %q", text, k.Value, k.Line, l)
			}
		}
	}
}

// writeCase is one run of the writer: every item is kept but those edited
// (their tree changed by the func) or dropped; added objects follow.
type writeCase struct {
	name    string
	in      string
	edit    map[int]func(n *yaml.Node)
	drop    []int
	omit    []int
	added   []string
	results []*krm.Result
	failed  bool
	want    string
}

func (c writeCase) run(t *testing.T, form Form) {
	t.Helper()
	rl, err := Read(strings.NewReader(c.in), form)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	var out bytes.Buffer
	w := NewWriter(&out, rl)
	for _, i := range c.omit {
		w.Omit(i)
	}
	for i := range rl.Items {
		switch edit := c.edit[i]; {
		case slices.Contains(c.drop, i):
			w.Drop(i)
		case edit != nil:
			n, err := rl.Items[i].Hold()
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			edit(n)
			if err := w.Changed(i, n); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		default:
			w.Keep(i)
		}
	}
	var added []*yaml.Node
	for _, a := range c.added {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(a), &doc); err != nil {
			t.Fatal(err)
		}
		added = append(added, doc.Content[0])
	}
	if err := w.Finish(added, c.results, c.failed); err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	if out.String() != c.want {
		t.Errorf("%s:\n%s\nwant:\n%s", c.name, out.String(), c.want)
	}
}

// setData sets data.k of a ConfigMap.
func setData(v string) func(*yaml.Node) {
	return func(n *yaml.Node) { ynode.SetString(ynode.Get(n, "data"), "k", v) }
}

const addedSecret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: added\n"
