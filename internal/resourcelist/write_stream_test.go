package resourcelist

import (
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The stream writer: each document after its own separator, the comment-only
// documents before a dropped one carried to the next, JSON documents as JSON,
// nothing at all when the run fails.
func TestStreamWriter(t *testing.T) {
	const a = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: old\n"
	const b = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
	const ja = `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "old"}}` + "\n"
	const jb = `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}` + "\n"
	cases := []writeCase{{
		name: "separators and the text after the last document as they came",
		in:   "# first\n" + a + "--- # second\n" + b + "---\n# the end\n",
		want: "# first\n" + a + "--- # second\n" + b + "---\n# the end\n",
	}, {
		name: "an edit changes its line only",
		in:   a + "---\n" + b,
		edit: map[int]func(n *yaml.Node){0: setData("new")},
		want: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: new\n---\n" + b,
	}, {
		name: "a dropped first document: the next one needs no separator",
		in:   a + "---\n" + b,
		drop: []int{0},
		want: "---\n" + b,
	}, {
		name: "the comment-only documents before a dropped one stay, before the next",
		in:   a + "---\n# Source: chart/templates/notes.yaml\n---\n" + b + "---\n" + a,
		drop: []int{1},
		want: a + "---\n# Source: chart/templates/notes.yaml\n---\n" + a,
	}, {
		name:  "added objects are documents at the end",
		in:    a,
		added: []string{addedSecret},
		want:  a + "---\n" + addedSecret,
	}, {
		name: "a JSON document is edited as JSON",
		in:   ja + "---\n" + b,
		edit: map[int]func(n *yaml.Node){0: setData("new")},
		want: `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "new"}}` + "\n---\n" + b,
	}, {
		name:  "a stream of JSON objects gets its new objects as JSON, one after the other",
		in:    ja + jb,
		edit:  map[int]func(n *yaml.Node){0: setData("new")},
		added: []string{addedSecret},
		want:  `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "new"}}` + "\n" + jb + `{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "added"}}` + "\n",
	}, {
		name:   "a failed run writes nothing: a post-renderer installs nothing",
		in:     a + "---\n" + b,
		edit:   map[int]func(n *yaml.Node){0: setData("new")},
		failed: true,
		want:   "",
	}, {
		name: "a document with directives keeps the end marker before them",
		in:   a + "...\n%YAML 1.1\n---\n" + b,
		edit: map[int]func(n *yaml.Node){0: setData("new")},
		want: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: new\n...\n%YAML 1.1\n---\n" + b,
	}, {
		name: "a document after a dropped one with directives",
		in:   a + "...\n%YAML 1.1\n---\n" + b + "---\n" + a,
		drop: []int{1},
		want: a + "...\n---\n" + a,
	}, {
		name: "a stream read whole (a NEL in it) is written document by document, encoded",
		in:   "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\u2028---\n" + b,
		want: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n" + b,
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, StreamForm) })
	}
}
