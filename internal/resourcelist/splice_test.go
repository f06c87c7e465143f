package resourcelist

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// spliceCase is an object's text, an edit of its tree, and the text the splice
// must write: the edited entries anew, every other byte as it came.
type spliceCase struct {
	name string
	in   string
	edit func(root *yaml.Node)
	want string // "" with ok false: the splice must decline
}

func (c spliceCase) run(t *testing.T) {
	t.Helper()
	orig, err := parseObject([]byte(c.in), false, true)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	edited := ynode.Copy(orig)
	c.edit(edited)
	out, ok := spliceText([]byte(c.in), orig, edited, false, true)
	switch {
	case c.want == "" && ok:
		t.Errorf("%s: spliced where it must decline:\n%s", c.name, out)
	case c.want != "" && !ok:
		t.Errorf("%s: declined", c.name)
	case string(out) != c.want:
		t.Errorf("%s:\n%s\nwant:\n%s", c.name, out, c.want)
	}
}

// at walks keys and list indexes ("0") from the root.
func at(root *yaml.Node, path ...string) *yaml.Node {
	n := root
	for _, p := range path {
		if n.Kind == yaml.SequenceNode {
			i := int(p[0] - '0')
			n = n.Content[i]
			continue
		}
		n = ynode.Get(n, p)
	}
	return n
}

// A hand-written VM's list: four-space indentation, comments with two spaces,
// blank lines between entries, a folded scalar, a tab and text beyond ASCII.
const handWritten = `spec:
    note: >-
        folded
        text
    interfaces:
        # the pod network
        - name: default   # masquerade by default
          masquerade: {}

        - name: lan  # the office LAN
          bridge: {}
          tag: "a\tb"
          label: café 🚀
    # after the list
    other: 1
`

func TestSplice(t *testing.T) {
	for _, c := range []spliceCase{{
		name: "a changed scalar: its line only",
		in:   "a: 1   # spaced\nb:\n  c: old # c\n  d: [x, y]\n",
		edit: func(r *yaml.Node) { ynode.SetString(at(r, "b"), "c", "new") },
		want: "a: 1   # spaced\nb:\n  c: new # c\n  d: [x, y]\n",
	}, {
		name: "a changed list entry: that entry alone, the others as written",
		in:   handWritten,
		edit: func(r *yaml.Node) {
			e := at(r, "spec", "interfaces", "0")
			ynode.Delete(e, "masquerade")
			ynode.Set(e, "bridge", ynode.NewMap())
		},
		want: strings.Replace(handWritten, "          masquerade: {}\n", "          bridge: {}\n", 1),
	}, {
		name: "an entry added at the end of a list: after the last, at its indentation",
		in:   handWritten,
		edit: func(r *yaml.Node) {
			l := at(r, "spec", "interfaces")
			n := ynode.NewMap()
			ynode.SetString(n, "name", "new")
			l.Content = append(l.Content, n)
		},
		want: strings.Replace(handWritten, "          label: café 🚀\n", "          label: café 🚀\n        - name: new\n", 1),
	}, {
		name: "an entry removed: its neighbours keep their bytes",
		in:   "l:\n- name: a # first\n- name: b\n  x: 1\n- name: c  # third\n",
		edit: func(r *yaml.Node) { l := at(r, "l"); l.Content = append(l.Content[:1], l.Content[2:]...) },
		want: "l:\n- name: a # first\n- name: c  # third\n",
	}, {
		name: "an entry inserted between two: there, the others as written",
		in:   "l:\n  - name: a   # first\n\n  # about c\n  - name: c\n",
		edit: func(r *yaml.Node) {
			l := at(r, "l")
			n := ynode.NewMap()
			ynode.SetString(n, "name", "b")
			l.Content = append(l.Content[:1], append([]*yaml.Node{n}, l.Content[1:]...)...)
		},
		want: "l:\n  - name: a   # first\n  - name: b\n\n  # about c\n  - name: c\n",
	}, {
		name: "an entry removed and another changed: matched by name, each at its place",
		in:   "l:\n- name: a\n  x: 1  # keep\n- name: b # gone\n- name: c\n  y: 2\n",
		edit: func(r *yaml.Node) {
			l := at(r, "l")
			l.Content = append(l.Content[:1], l.Content[2])
			ynode.SetString(l.Content[1], "y", "3")
		},
		want: "l:\n- name: a\n  x: 1  # keep\n- name: c\n  y: \"3\"\n",
	}, {
		name: "a key removed: its comments stay above what follows",
		in:   "a: 1\n# about b\nb: 2 # b\nc: 3\n",
		edit: func(r *yaml.Node) { ynode.Delete(r, "b") },
		want: "a: 1\n# about b\n# b\nc: 3\n",
	}, {
		name: "a key added: after the last key",
		in:   "a: 1\nb:\n  c: 2\n",
		edit: func(r *yaml.Node) { ynode.SetString(r, "d", "new") },
		want: "a: 1\nb:\n  c: 2\nd: new\n",
	}, {
		name: "a re-encoded entry keeps its line comment's spacing",
		in:   "m:\n  k: {a: 1}    # four spaces\n",
		edit: func(r *yaml.Node) { ynode.SetString(at(r, "m", "k"), "a", "2") },
		want: "m:\n  k: {a: \"2\"}    # four spaces\n",
	}, {
		name: "a list of the edit with merge keys: the merged keys written out, the anchor kept",
		in:   "base: &b {bridge: {}}\nl:\n- <<: *b\n  name: a\n- name: c\n",
		edit: func(r *yaml.Node) {
			ynode.FlattenMerges(at(r, "l", "0"))
			ynode.SetString(at(r, "l", "1"), "name", "d")
		},
		want: "base: &b {bridge: {}}\nl:\n- bridge: {}\n  name: a\n- name: d\n",
	}, {
		name: "nothing changed: the text as it came",
		in:   handWritten,
		edit: func(*yaml.Node) {},
		want: handWritten,
	}} {
		c.run(t)
	}
}
