package ynode

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func parse(t *testing.T, s string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

func text(t *testing.T, doc *yaml.Node) string {
	t.Helper()
	b, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Each edit, YAML in and YAML out: what it touches changes, everything else
// (comments, order, styles) stays.
func TestEdits(t *testing.T) {
	cases := []struct {
		name, in, want string
		edit           func(m *yaml.Node)
	}{{
		name: "Delete hands a deleted key's comments to the next key",
		in:   "a: 1\n# about b\nb: 2 # b's\nc: 3\n",
		want: "a: 1\n# about b\n# b's\nc: 3\n",
		edit: func(m *yaml.Node) { Delete(m, "b") },
	}, {
		name: "Delete of the last key hands them to the one before",
		in:   "a: 1\n# about b\nb: 2\n",
		want: "a: 1\n# about b\n",
		edit: func(m *yaml.Node) { Delete(m, "b") },
	}, {
		name: "Set replaces a value in place, keeping the key's comments and the order",
		in:   "a: 1\nb: old # note\nc: 3\n",
		want: "a: 1\nb: new # note\nc: 3\n",
		edit: func(m *yaml.Node) { SetString(m, "b", "new") },
	}, {
		name: "Set appends a missing key",
		in:   "a: 1\n",
		want: "a: 1\nb: x\n",
		edit: func(m *yaml.Node) { Set(m, "b", NewString("x")) },
	}, {
		name: "Ensure replaces a null with a mapping and keeps an existing one",
		in:   "a: null\nb: {c: 1}\n",
		want: "a:\n  x: y\nb: {c: 1, d: e}\n",
		edit: func(m *yaml.Node) {
			SetString(Ensure(m, "a"), "x", "y")
			SetString(Ensure(m, "b"), "d", "e")
		},
	}, {
		name: "InsertAt puts a key at a position",
		in:   "a: 1\nc: 3\n",
		want: "a: 1\nb: 2\nc: 3\n",
		edit: func(m *yaml.Node) { InsertAt(m, 1, "b", NewInt(2)) },
	}, {
		name: "KeepLineComments keeps a block mapping's line comment (go-yaml's writer drops it), below",
		in:   "x:\n  a: 1\ny: 2\n",
		want: "x:\n  a: 1\ny: 2\n# kept\n",
		edit: func(m *yaml.Node) { Get(m, "x").LineComment = "# kept"; KeepLineComments(m) },
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := parse(t, tc.in)
			tc.edit(doc.Content[0])
			if got := text(t, doc); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// An edit through an alias would change the anchor's other places: Unshare copies
// what the edited part aliases, and refuses an anchor an alias elsewhere stands for.
func TestUnshare(t *testing.T) {
	doc := parse(t, "a: &x {k: v}\nb: *x\nc: &y {k: w}\nd: *y\n")
	root := doc.Content[0]
	aliases := IndexAliases(doc)
	dotted := func(p []string) string { return strings.Join(p, ".") }
	if err := aliases.Unshare(root, dotted, []string{"b"}); err != nil {
		t.Fatalf("b aliases a: it gets its own copy, no error: %v", err)
	}
	SetString(Get(root, "b"), "k", "changed")
	if got := Str(Get(root, "a"), "k"); got != "v" {
		t.Errorf("editing b's copy changed a: %q", got)
	}
	err := aliases.Unshare(root, dotted, []string{"c"})
	if _, ok := err.(*Shared); !ok {
		t.Errorf("c's anchor is what d stands for: want a *Shared error, got %v", err)
	}
	if err := aliases.Unshare(root, dotted, []string{"a"}); err != nil {
		t.Errorf("a's anchor is no longer aliased (b has its copy): %v", err)
	}
}

// A null name or namespace is no name, as the API server reads it: `~` must not
// become an object called "~". A quoted "null" is a string.
func TestStringReadsNullAsEmpty(t *testing.T) {
	m := parse(t, "a: ~\nb: null\nc:\nd: 'null'\ne: x\nf: {k: v}\n").Content[0]
	for key, want := range map[string]struct {
		v  string
		ok bool
	}{"a": {"", true}, "b": {"", true}, "c": {"", true}, "d": {"null", true}, "e": {"x", true}, "f": {"", false}, "g": {"", false}} {
		if v, ok := String(m, key); v != want.v || ok != want.ok {
			t.Errorf("%s: got %q %v, want %q %v", key, v, ok, want.v, want.ok)
		}
	}
}

// CopyAlong is a snapshot as long as edits stay on its paths: editing the
// original there leaves the copy as the original was, and the rest is shared.
func TestCopyAlong(t *testing.T) {
	src := `spec:
  template:
    metadata: {annotations: {a: b}}
    spec:
      networks: [{name: x}]
      domain: {devices: {interfaces: [{name: x, bridge: {}}]}}
      volumes: [{name: v}]
`
	paths := [][]string{{"spec", "template", "spec", "networks"}, {"spec", "template", "spec", "domain", "devices", "interfaces"}, {"spec", "template", "metadata", "annotations"}, {"spec", "template", "spec"}}
	for n := 1; n <= len(paths); n++ {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatal(err)
		}
		root := doc.Content[0]
		want, _ := yaml.String(root)
		c := CopyAlong(root, paths[:n])
		if Path(c, "spec", "template", "spec", "volumes") != Path(root, "spec", "template", "spec", "volumes") && n < len(paths) {
			t.Errorf("%d paths: a part off the paths was copied", n)
		}
		// The edits a plan makes, on the paths given so far.
		SetString(Path(root, "spec", "template", "spec", "networks").Content[0], "name", "y")
		if n >= 2 {
			Set(Path(root, "spec", "template", "spec", "domain", "devices", "interfaces").Content[0], "masquerade", NewMap())
		}
		if n >= 3 {
			Delete(Path(root, "spec", "template", "metadata", "annotations"), "a")
		}
		if n >= 4 {
			Delete(Path(root, "spec", "template", "spec"), "volumes")
		}
		if got, _ := yaml.String(c); got != want {
			t.Errorf("%d paths: the copy is\n%s\nwant\n%s", n, got, want)
		}
	}
}
