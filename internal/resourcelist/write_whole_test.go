package resourcelist

import (
	"strings"
	"testing"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The whole-document writer: a ResourceList read as one document (comments
// between items, anchors, indented or flow lists, JSON) comes back as one
// document from its own text, the edited items spliced at their place.
func TestWholeWriter(t *testing.T) {
	const item = "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: %s}\n    data:\n      k: old\n"
	cm := func(name string) string { return strings.Replace(item, "%s", name, 1) }
	cases := []writeCase{{
		name: "comments between items and an indented list stay as written",
		in:   kptHead + "items:\n" + cm("a") + "# between, at column 1\n" + cm("b") + "functionConfig: {kind: ConfigMap}\n",
		edit: map[int]func(n *yaml.Node){1: setData("new")},
		want: kptHead + "items:\n" + cm("a") + "# between, at column 1\n" + strings.Replace(cm("b"), "old", "new", 1) + "functionConfig: {kind: ConfigMap}\n",
	}, {
		name: "anchors and aliases between items stay",
		in:   kptHead + "items:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: &m {name: a}\n    data: {k: old}\n  - apiVersion: v1\n    kind: Secret\n    metadata: *m\n",
		edit: map[int]func(n *yaml.Node){0: setData("new")},
		want: kptHead + "items:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: &m {name: a}\n    data: {k: new}\n  - apiVersion: v1\n    kind: Secret\n    metadata: *m\n",
	}, {
		name:  "a dropped item's lines leave; added objects follow the last item at the list's indentation",
		in:    kptHead + "items:\n" + cm("a") + "# about b\n" + cm("b") + "functionConfig: {kind: ConfigMap}\n",
		drop:  []int{0},
		added: []string{addedSecret},
		want:  kptHead + "items:\n# about b\n" + cm("b") + "  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: added\nfunctionConfig: {kind: ConfigMap}\n",
	}, {
		name:    "the earlier results stay before this run's, at the end",
		in:      kptHead + "items:\n" + cm("a") + "# c\nresults: [{message: earlier}]\nfunctionConfig: {kind: ConfigMap}\n",
		results: []*krm.Result{{Message: "now", Severity: krm.Info}},
		want:    kptHead + "items:\n" + cm("a") + "# c\nfunctionConfig: {kind: ConfigMap}\nresults:\n- {message: earlier}\n- message: now\n  severity: info\n",
	}, {
		name: "a JSON ResourceList is written as JSON, in its layout",
		in:   "{\n  \"apiVersion\": \"config.kubernetes.io/v1\",\n  \"kind\": \"ResourceList\",\n  \"items\": [\n    {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\\u003c\"}, \"data\": {\"k\": \"old\"}}\n  ]\n}\n",
		edit: map[int]func(n *yaml.Node){0: setData("new")},
		want: "{\n  \"apiVersion\": \"config.kubernetes.io/v1\",\n  \"kind\": \"ResourceList\",\n  \"items\": [\n    {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\\u003c\"}, \"data\": {\"k\": \"new\"}}\n  ]\n}\n",
	}, {
		name: "a flow list of items is encoded as a block list of the items in their style",
		in:   kptHead + "items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {k: old}}]\n",
		edit: map[int]func(n *yaml.Node){0: setData("new")},
		want: kptHead + "items:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {k: new}}\n",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rl, err := Read(strings.NewReader(c.in), ResourceListForm)
			if err != nil {
				t.Fatal(err)
			}
			if rl.Split() {
				t.Fatal("read in kpt's layout: the case tests another writer")
			}
			c.run(t, ResourceListForm)
		})
	}
}
