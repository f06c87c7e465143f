package fastyaml

import (
	"bytes"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// goEncode is go-yaml's encoder as the function uses it.
func goEncode(t testing.TB, n *yaml.Node) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	enc.CompactSeqIndent()
	if err := enc.Encode(n); err != nil {
		t.Fatalf("go-yaml cannot encode the tree: %v", err)
	}
	enc.Close()
	return b.Bytes()
}

// sameText checks one tree: where the fast writer writes it, go-yaml writes the
// same bytes. It reports whether the fast writer wrote it.
func sameText(t testing.TB, n *yaml.Node) bool {
	t.Helper()
	fast, ok := Encode(n)
	if !ok {
		return false
	}
	if slow := goEncode(t, n); !bytes.Equal(fast, slow) {
		t.Fatalf("the texts differ:\n--- fast\n%s--- go-yaml\n%s", fast, slow)
	}
	return true
}

// restyle changes the styles and tags of a tree's scalars as edits do (new nodes
// carry no tag; a rewrite may quote or unquote): bits picks the change per scalar.
func restyle(n *yaml.Node, bits *uint64) {
	if n.Kind == yaml.ScalarNode {
		switch *bits & 7 {
		case 1:
			n.Tag = ""
		case 2:
			n.Style = 0
		case 3:
			n.Style = yaml.DoubleQuotedStyle
		case 4:
			n.Style = yaml.SingleQuotedStyle
		case 5:
			n.Tag = "!!str"
		}
		*bits = *bits>>3 | *bits<<61
	}
	for _, c := range n.Content {
		restyle(c, bits)
	}
}

func TestSameText(t *testing.T) {
	for _, src := range []string{
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    config.kubernetes.io/index: '0'\n    description: \"a b\"\ndata:\n  n: 1\n  b: true\n  l:\n  - x\n  - y: 1\n    z: [1, two]\n  e: {}\n  f: []\n  g: {a: b}\n  s: |\n    one\n\n    two\n  t: |-\n    x\n",
		"a:\n- b: c\n  d:\n    e: f\n- g\n",
	} {
		n, ok := Parse([]byte(src))
		if !ok {
			t.Fatalf("not read:\n%s", src)
		}
		if !sameText(t, n.Content[0]) {
			t.Errorf("declined:\n%s", src)
		}
		if got, _ := Encode(n.Content[0]); string(got) != src {
			t.Errorf("not written back as it came:\n%s", got)
		}
	}
	for name, n := range map[string]*yaml.Node{
		"a string that reads as a number": {Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "a", Tag: "!!str"}, {Kind: yaml.ScalarNode, Value: "1", Tag: "!!str"}}},
		"untagged new nodes":              {Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "a"}, {Kind: yaml.MappingNode}}},
	} {
		if !sameText(t, n) {
			t.Errorf("%s: declined", name)
		}
	}
	for name, n := range map[string]*yaml.Node{
		"a comment":       {Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "a", HeadComment: "# c"}, {Kind: yaml.ScalarNode, Value: "b"}}},
		"a text to quote": {Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "a"}, {Kind: yaml.ScalarNode, Value: "b: c"}}},
		"an explicit tag": {Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "a"}, {Kind: yaml.ScalarNode, Value: "x", Tag: "!!int"}}},
	} {
		if _, ok := Encode(n); ok {
			t.Errorf("%s: written, though left to go-yaml", name)
		}
	}
}

// FuzzSameText: for any tree the fast parser reads, restyled as edits do, the fast
// writer writes what go-yaml writes, or declines.
//
//	go test ./internal/fastyaml -run '^$' -fuzz '^FuzzSameText$' -fuzztime 60s
func FuzzSameText(f *testing.F) {
	f.Add([]byte("a: b\nc:\n- d: 1\n  e: [x, 'y']\nf: |\n  g\n"), uint64(0))
	f.Add([]byte("a: '1'\nb: \"true\"\nc: {d: e}\n"), uint64(0x123456789))
	f.Fuzz(func(t *testing.T, src []byte, bits uint64) {
		doc, ok := Parse(src)
		if !ok || doc.Content[0].Kind != yaml.MappingNode {
			return
		}
		restyle(doc.Content[0], &bits)
		sameText(t, doc.Content[0])
	})
}
