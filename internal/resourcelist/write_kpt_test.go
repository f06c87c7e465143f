package resourcelist

import (
	"strings"
	"testing"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const kptHead = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n"

// The kpt-layout writer: the document around the items as it came, each item
// its own bytes or its splice, new entries after the last item, the earlier
// results before this run's.
func TestKptWriter(t *testing.T) {
	cm := func(name, rest string) string {
		return "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: " + name + "}" + rest + "\n  data:\n    k: old\n"
	}
	cases := []writeCase{{
		name: "kept items are their own bytes, spacing and comments included",
		in:   "# head\n" + kptHead + "items:\n" + cm("a", "   # spaced") + "- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n",
		want: "# head\n" + kptHead + "items:\n" + cm("a", "   # spaced") + "- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n",
	}, {
		name: "an edit changes its line only",
		in:   kptHead + "items:\n" + cm("a", " # c") + cm("b", ""),
		edit: map[int]func(n *yaml.Node){1: setData("new")},
		want: kptHead + "items:\n" + cm("a", " # c") + "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n  data:\n    k: new\n",
	}, {
		name: "a dropped item leaves, an omitted one too whatever is written for it",
		in:   kptHead + "items:\n" + cm("a", "") + cm("b", "") + cm("c", ""),
		drop: []int{0},
		omit: []int{2},
		want: kptHead + "items:\n" + cm("b", ""),
	}, {
		name:  "added objects follow the last item, before the sections after items",
		in:    kptHead + "items:\n" + cm("a", "") + "functionConfig:\n  kind: ConfigMap # fc\n",
		added: []string{addedSecret},
		want:  kptHead + "items:\n" + cm("a", "") + "- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: added\nfunctionConfig:\n  kind: ConfigMap # fc\n",
	}, {
		name:    "an earlier function's results stay, before this run's",
		in:      kptHead + "items:\n" + cm("a", "") + "results:\n- message: earlier   # kept as written\n",
		results: []*krm.Result{{Message: "now", Severity: krm.Warning}},
		want:    kptHead + "items:\n" + cm("a", "") + "results:\n- message: earlier   # kept as written\n- message: now\n  severity: warning\n",
	}, {
		name: "an edit its text cannot take (a flow item) is encoded whole, in its style",
		in:   kptHead + "items:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {k: old}}\n",
		edit: map[int]func(n *yaml.Node){0: setData("new")},
		want: kptHead + "items:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {k: new}}\n",
	}, {
		name: "no items and nothing added: an empty list",
		in:   kptHead + "items: []\n",
		want: kptHead + "items: []\n",
	}, {
		name: "sections before items stay before them",
		in:   "apiVersion: config.kubernetes.io/v1\nfunctionConfig:\n  kind: ConfigMap\nkind: ResourceList\nitems:\n" + cm("a", ""),
		edit: map[int]func(n *yaml.Node){0: setData("new")},
		want: "apiVersion: config.kubernetes.io/v1\nfunctionConfig:\n  kind: ConfigMap\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  data:\n    k: new\n",
	}, {
		name: "the last line without a break gets one, a block scalar's value kept by strip chomping",
		in:   kptHead + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  data:\n    k: |\n      text",
		want: kptHead + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  data:\n    k: |-\n      text\n",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rl, err := Read(strings.NewReader(c.in), ResourceListForm)
			if err != nil {
				t.Fatal(err)
			}
			if !rl.Split() {
				t.Fatal("not read in kpt's layout: the case tests another writer")
			}
			c.run(t, ResourceListForm)
		})
	}
}
