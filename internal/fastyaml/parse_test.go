package fastyaml

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/corpus"
	"github.com/kubevirt-networks/kubevirt-networks/internal/fleet"
)

// sameTree reports the first difference between two trees, "" when they are the
// same in every field go-yaml fills.
func sameTree(a, b *yaml.Node, path string) string {
	switch {
	case a == nil || b == nil:
		if a != b {
			return path + ": one tree has no node"
		}
		return ""
	case a.Kind != b.Kind, a.Style != b.Style, a.Tag != b.Tag, a.Value != b.Value, a.Anchor != b.Anchor,
		a.HeadComment != b.HeadComment, a.LineComment != b.LineComment, a.FootComment != b.FootComment,
		a.Line != b.Line, a.Column != b.Column, len(a.Content) != len(b.Content):
		return fmt.Sprintf("%s:\n  fast   %s\n  go-yaml %s", path, describe(a), describe(b))
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

func describe(n *yaml.Node) string {
	return fmt.Sprintf("kind %d style %d tag %q value %q at %d:%d, %d children, comments %q %q %q",
		n.Kind, n.Style, n.Tag, n.Value, n.Line, n.Column, len(n.Content), n.HeadComment, n.LineComment, n.FootComment)
}

// agree checks one input: where the fast parser reads it, go-yaml reads the same
// tree. It reports whether the fast parser read it.
func agree(t testing.TB, src []byte) bool {
	t.Helper()
	fast, ok := Parse(src)
	if !ok {
		return false
	}
	var slow yaml.Node
	if err := yaml.Unmarshal(src, &slow); err != nil {
		t.Fatalf("go-yaml refuses what the fast parser read: %v\n%s", err, src)
	}
	if d := sameTree(fast, &slow, ""); d != "" {
		t.Fatalf("the trees differ at %s\ninput:\n%s", d, src)
	}
	return true
}

func TestSameTree(t *testing.T) {
	cases := []struct {
		name string
		src  string
		read bool // the fast parser reads it (else it declines)
	}{
		{"kpt entry", "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n    annotations:\n      config.kubernetes.io/index: '0'\n      description: \"a b\"\n  data:\n    n: 1\n    f: 1.5\n    b: true\n    z: null\n    s: 0777\n    d: 2024-01-02\n", true},
		{"stream document", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", true},
		{"compact and indented sequences", "a:\n- x\n- y: 1\n  z: [1, two, 'three']\nb:\n  - c\n  -   d: e\n", true},
		{"literal block scalars", "a: |\n  one\n\n    two\n\n\nb: |-\n  x\nc: 1\n", true},
		{"block headers with blanks after them", "a: |  \n  one\nb: |- \n  x\n", true},
		{"flow collections", "a: {}\nb: []\nc: {bus: virtio, 'q': \"r\"}\nd: [ 1 , 2 ]\n", true},
		{"quotes", "a: 'it''s'\nb: \"x: y # z\"\nc: '''a'''\n", true},
		{"leading blank lines", "\n\n- a: b\n", true},
		{"plain with colons and hashes", "a: http://x:80/#y\nb: a#b\nc: -1\nd: -x\n", true},
		{"a comment", "a: 1 # c\n", false},
		{"a comment line", "# c\na: 1\n", false},
		{"an anchor", "a: &x 1\nb: *x\n", false},
		{"a tag", "a: !!str 1\n", false},
		{"a multi-line plain scalar", "a: one\n  two\n", false},
		{"an empty value", "a:\nb: 1\n", false},
		{"a folded scalar", "a: >\n  x\n", false},
		{"keep chomping", "a: |+\n  x\n\n", false},
		{"an escape", "a: \"\\n\"\n", false},
		{"a tab", "a:\t1\n", false},
		{"non-ASCII", "a: é\n", false},
		{"no final line break", "a: 1", false},
		{"a nested flow", "a: {b: [1]}\n", false},
		{"a merge key", "<<: {a: 1}\n", false},
		{"an empty entry", "- \n- a\n", false},
		{"a document marker", "---\na: 1\n", false},
		{"an indented root", "  a: 1\n", false},
		{"a quoted key", "\"a\": 1\n", false},
		{"invalid: value after a quoted scalar", "a: 'x' y\n", false},
		{"invalid: mapping in a value", "a: b: c\n", false},
		{"invalid: wrong indentation", "a:\n  b: 1\n c: 2\n", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := agree(t, []byte(tc.src)); got != tc.read {
				t.Errorf("read: %v, want %v", got, tc.read)
			}
		})
	}
}

// Every YAML file the repository and KubeVirt's examples hold: read the same, and
// the share the fast parser reads.
func TestSameTreeOnCorpus(t *testing.T) {
	files := corpus.KubeVirtExamples(t)
	for _, root := range []string{"../../testdata", "../../examples"} {
		filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				files = append(files, p)
			}
			return nil
		})
	}
	if len(files) < 50 {
		t.Fatalf("only %d YAML files found", len(files))
	}
	read, docs := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range strings.Split(string(b), "\n---\n") {
			docs++
			if agree(t, []byte(doc)) {
				read++
			}
		}
	}
	t.Logf("%d of %d documents read by the fast parser", read, docs)
	if read == 0 {
		t.Errorf("the fast parser read none of the corpus")
	}
}

// FuzzSameTree: on any input the fast parser reads, go-yaml reads the same tree.
//
//	go test ./internal/fastyaml -run '^$' -fuzz '^FuzzSameTree$' -fuzztime 60s
func FuzzSameTree(f *testing.F) {
	for _, s := range []string{
		"- a: b\n  c:\n  - 1\n  - {d: e}\n",
		"a: |\n  x\n\n  y\nb: 'c''d'\n",
		"a:\n  b: [1, 2.5, true, null, 2024-01-01]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		agree(t, src)
	})
}

// A fleet as kpt writes it (the benchmark's generator): every item read by the fast
// parser, as go-yaml reads it.
func TestSameTreeOnFleet(t *testing.T) {
	var b bytes.Buffer
	if err := fleet.WriteResourceList(&b, fleet.Options{VMs: 300, Seed: 42}); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	items := strings.Split(string(out), "\n- ")
	for i, it := range items[1:] {
		text := "- " + it
		if i == len(items)-2 {
			text = text[:strings.Index(text, "\nfunctionConfig:")+1]
		}
		if !strings.HasSuffix(text, "\n") {
			text += "\n" // the split took the line break
		}
		if !agree(t, []byte(text)) {
			t.Fatalf("items[%d] is declined:\n%s", i, text)
		}
	}
}

// printable's eight-at-a-time test agrees with the byte-by-byte rule for every
// byte at every place of a word and of the tail.
func TestPrintable(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := c >= 0x20 && c < 0x7f
		for at := 0; at < 13; at++ {
			b := []byte("abcdefghijklm")
			b[at] = byte(c)
			if got := printable(string(b)); got != want {
				t.Fatalf("byte %#x at %d: %v, want %v", c, at, got, want)
			}
		}
	}
}
