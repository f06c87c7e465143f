package resourcelist

import (
	"strings"
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// readCase is an input and what a reader must make of it: the items' kinds
// and names in order, each item's own text where the reader keeps one, and the
// form it was read in.
type readCase struct {
	name  string
	in    string
	form  Form
	items []string // "Kind/name"
	texts []string // each item's own text ("" where the reader keeps none)
	split bool     // read item by item (kpt's layout or a split stream)
	json  int      // items read as JSON
	err   string   // a part of the error, for input the reader refuses
}

func (c readCase) run(t *testing.T) {
	t.Helper()
	rl, err := Read(strings.NewReader(c.in), c.form)
	if err == nil {
		// The split readers parse an item when it is needed: its error comes then.
		for _, it := range rl.Items {
			if _, err = it.Parse(); err != nil {
				break
			}
		}
	}
	if c.err != "" || err != nil {
		if c.err == "" || err == nil || !strings.Contains(err.Error(), c.err) {
			t.Fatalf("%s: error %v, want one saying %q", c.name, err, c.err)
		}
		return
	}
	if got := rl.Split(); got != c.split {
		t.Errorf("%s: read item by item %v, want %v", c.name, got, c.split)
	}
	if len(rl.Items) != len(c.items) {
		t.Fatalf("%s: %d items, want %d", c.name, len(rl.Items), len(c.items))
	}
	json := 0
	for i, it := range rl.Items {
		n, _ := it.Parse()
		got := ynode.Str(n, "kind") + "/" + ynode.Str(ynode.Get(n, "metadata"), "name")
		if got != c.items[i] {
			t.Errorf("%s: %s is %s, want %s", c.name, it.Label(), got, c.items[i])
		}
		if it.json != nil {
			json++
		}
		if c.texts != nil {
			text, _ := it.text()
			if string(text) != c.texts[i] {
				t.Errorf("%s: %s's text is %q, want %q", c.name, it.Label(), text, c.texts[i])
			}
		}
	}
	if json != c.json {
		t.Errorf("%s: %d items read as JSON, want %d", c.name, json, c.json)
	}
}

const (
	cmA = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
	cmB = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
)

// The kpt-layout reader: each `- ` entry's own text, comments in it included;
// whatever it cannot split is read whole, with the same items.
func TestKptReader(t *testing.T) {
	for _, c := range []readCase{{
		name:  "entries are their own texts, a comment inside one included",
		in:    header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  # inside a\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\nfunctionConfig:\n  kind: ConfigMap\n",
		items: []string{"ConfigMap/a", "ConfigMap/b"},
		texts: []string{"- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  # inside a\n", "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n"},
		split: true,
	}, {
		name:  "a comment at column 1 between items: read whole",
		in:    header + "items:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n# between\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n",
		items: []string{"ConfigMap/a", "ConfigMap/b"},
	}, {
		name:  "an anchor shared by two items: read whole",
		in:    header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: &m {name: a}\n- apiVersion: v1\n  kind: Secret\n  metadata: *m\n",
		items: []string{"ConfigMap/a", "Secret/a"},
	}, {
		name:  "indented items: read whole",
		in:    header + "items:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n",
		items: []string{"ConfigMap/a"},
	}, {
		name:  "a JSON ResourceList",
		in:    `{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList", "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}]}`,
		items: []string{"ConfigMap/a"},
	}, {
		name:  "no items",
		in:    header + "items: []\n",
		split: true,
	}, {
		name: "another kind",
		in:   "apiVersion: v1\nkind: List\nitems: []\n",
		form: ResourceListForm,
		err:  "expected kind: ResourceList",
	}, {
		name: "items that are not a list",
		in:   header + "items: {a: 1}\n",
		err:  "items must be a list",
	}, {
		name: "two documents",
		in:   header + "items: []\n---\n" + cmA,
		form: ResourceListForm,
		err:  "more than one YAML document",
	}} {
		if c.form == Detect && c.err == "" {
			c.form = ResourceListForm
		}
		c.run(t)
	}
}

// The stream reader: documents cut at their markers, each with its own text;
// JSON objects one after another; a break a line reader cannot see makes the
// stream read whole.
func TestStreamReader(t *testing.T) {
	for _, c := range []readCase{{
		name:  "documents and their separators",
		in:    cmA + "--- # b\n" + cmB + "---\n# trailing\n",
		items: []string{"ConfigMap/a", "ConfigMap/b"},
		texts: []string{cmA, cmB},
		split: true,
	}, {
		name:  "empty and comment-only documents are no objects",
		in:    "---\n---\n# only a comment\n---\n" + cmA + "...\n",
		items: []string{"ConfigMap/a"},
		split: true,
	}, {
		name:  "JSON objects one after another, as jq -c writes them",
		in:    `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}` + "\n" + `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}}` + "\n",
		items: []string{"ConfigMap/a", "ConfigMap/b"},
		split: true,
		json:  2,
	}, {
		name:  "a JSON document beside YAML ones",
		in:    `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}` + "\n---\n" + cmB,
		items: []string{"ConfigMap/a", "ConfigMap/b"},
		split: true,
		json:  1,
	}, {
		name:  "a marker after a line separator: the stream read whole",
		in:    strings.TrimSuffix(cmA, "\n") + "\u2028---\n" + cmB,
		items: []string{"ConfigMap/a", "ConfigMap/b"},
	}, {
		name:  "a NEL inside a quoted value stays in its document",
		in:    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: \"x\u0085y\"}\n---\n" + cmB,
		items: []string{"ConfigMap/a", "ConfigMap/b"},
		split: true,
	}, {
		name: "a document that is no object",
		in:   cmA + "---\n- a\n",
		err:  "document 2",
	}} {
		c.form = StreamForm
		c.run(t)
	}
}

// An item's kind is read from its text without parsing it; an item that may
// hold an alias says so; labels name items as messages do.
func TestItemHead(t *testing.T) {
	rl, err := Read(strings.NewReader(header+"items:\n- apiVersion: kubevirt.io/v1\n  kind: VirtualMachine\n  metadata: {name: vm}\n  spec: {a: 1}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data: {k: v, l: \"*not an alias*\"}\n"), ResourceListForm)
	if err != nil {
		t.Fatal(err)
	}
	if av, k := rl.Items[0].Head(); av != "kubevirt.io/v1" || k != "VirtualMachine" {
		t.Errorf("Head() = %s %s", av, k)
	}
	if rl.Items[0].MayAlias() || !rl.Items[1].MayAlias() {
		t.Error("MayAlias: a text with '*' may hold an alias, one without cannot")
	}
	if rl.Items[1].Label() != "items[1]" || rl.Stream() {
		t.Errorf("label %q, stream %v", rl.Items[1].Label(), rl.Stream())
	}
	s, err := Read(strings.NewReader(cmA+"---\n"+cmB), StreamForm)
	if err != nil || s.Items[1].Label() != "document 2 of the input" || !s.Stream() {
		t.Errorf("stream: %v %v", err, s)
	}
}

// A stream of comments only holds no object, and is written back as it came:
// split, byte for byte; read whole (a line separator before a marker), every
// break a line feed.
func TestOnlyComments(t *testing.T) {
	rl, err := Read(strings.NewReader("# a\r\n# b\u2028# c\n"), StreamForm)
	if err != nil || len(rl.Items) != 0 || string(rl.tail) != "# a\n# b\u2028# c\n" {
		t.Errorf("split: %v, tail %q", err, rl.tail)
	}
	rl, err = Read(strings.NewReader("# a\u2028---\n# b\n"), StreamForm)
	if err != nil {
		t.Fatal(err)
	}
	if len(rl.Items) != 0 || string(rl.tail) != "# a\n---\n# b\n" {
		t.Errorf("%d items, tail %q", len(rl.Items), rl.tail)
	}
}
