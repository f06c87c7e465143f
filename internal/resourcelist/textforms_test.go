package resourcelist

import (
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/internal/yamllex"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// A JSON document reads as JSON reads it and writes back byte for byte when
// nothing changed, in every layout people write JSON in.
func TestJSONRoundTrip(t *testing.T) {
	for name, text := range map[string]string{
		"kubectl":     "{\n    \"a\": \"caf\\u00e9 \\ud83d\\ude80 \\u003cb\\u003e\",\n    \"n\": 1.50,\n    \"l\": [\n        true,\n        null,\n        {}\n    ],\n    \"e\": []\n}\n",
		"jq":          "{\n  \"a\": \"x\",\n  \"b\": {\n    \"c\": [\n      1,\n      2\n    ]\n  }\n}\n",
		"json.dumps":  "{\"a\": \"x\", \"b\": [1, 2], \"c\": {}}\n",
		"Go, compact": "{\"a\":\"x\",\"b\":[1,2],\"c\":{\"d\":null}}",
	} {
		doc, jd, err := parseJSON([]byte(text))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, err := jd.encode(doc)
		if err != nil || string(out) != text {
			t.Errorf("%s: written back as\n%s\nwant\n%s (%v)", name, out, text, err)
		}
	}
	doc, _, _ := parseJSON([]byte(`{"a": "\ud83d\ude80", "n": 10, "f": 1e3, "b": false, "z": null}`))
	root := doc.Content[0]
	for key, want := range map[string]string{"a": "!!str 🚀", "n": "!!int 10", "f": "!!float 1e3", "b": "!!bool false", "z": "!!null null"} {
		if v := ynode.Get(root, key); v.ShortTag()+" "+v.Value != want {
			t.Errorf("%s reads as %s %s, want %s", key, v.ShortTag(), v.Value, want)
		}
	}
}

// An edit changes only the members it touches; new values are written as
// kubectl's encoder writes them, changed ones too, untouched ones as written.
func TestJSONEdit(t *testing.T) {
	text := "{\n  \"name\": \"\\u0061\",\n  \"list\": [\n    {\n      \"k\": \"v\"\n    }\n  ]\n}\n"
	doc, jd, err := parseJSON([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	root := doc.Content[0]
	entry := ynode.Get(root, "list").Content[0]
	ynode.Set(entry, "masquerade", ynode.NewMap())
	ynode.SetString(entry, "k", "<w>")
	out, err := jd.encode(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"name\": \"\\u0061\",\n  \"list\": [\n    {\n      \"k\": \"\\u003cw\\u003e\",\n      \"masquerade\": {}\n    }\n  ]\n}\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// One-line objects and arrays inside an indented document stay on one line with
// their own separators, and so does what an edit adds inside them; a new object
// beside them is indented as the document is.
func TestJSONFlatMembers(t *testing.T) {
	text := "{\n  \"items\": [\n    {\"name\": \"a\", \"ports\": [1,2]},\n    {\"name\":\"b\"}\n  ]\n}\n"
	doc, jd, err := parseJSON([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	items := ynode.Get(doc.Content[0], "items")
	ynode.Set(items.Content[0], "bridge", ynode.NewMap())
	ynode.SetString(items.Content[1], "model", "virtio")
	added := ynode.NewMap()
	ynode.SetString(added, "name", "c")
	items.Content = append(items.Content, added)
	out, err := jd.encode(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"items\": [\n    {\"name\": \"a\", \"ports\": [1,2], \"bridge\": {}},\n    {\"name\":\"b\",\"model\":\"virtio\"},\n    {\n      \"name\": \"c\"\n    }\n  ]\n}\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// A one-member object shows no comma: what is added to it is separated as the
// document separates members on a line.
func TestJSONOneMemberObject(t *testing.T) {
	text := "{\n  \"spec\": {\"interfaces\": [{\"name\": \"default\"}], \"networks\": []}\n}\n"
	doc, jd, err := parseJSON([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	ynode.Set(ynode.Get(doc.Content[0], "spec").Content[1].Content[0], "masquerade", ynode.NewMap())
	out, err := jd.encode(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"spec\": {\"interfaces\": [{\"name\": \"default\", \"masquerade\": {}}], \"networks\": []}\n}\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// JSON objects one after the other are cut into their texts, each with the
// white space after it; one object is not cut; anything else (invalid UTF-8
// included) is no JSON.
func TestJSONValues(t *testing.T) {
	got := jsonValues([]byte("{\"a\": 1}\n{\"b\": [2]}  \n\n{}"))
	want := []string{"{\"a\": 1}\n", "{\"b\": [2]}  \n\n", "{}"}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("value %d is %q, want %q", i, got[i], want[i])
		}
	}
	// One object is not cut: it is the document as it is.
	if v := jsonValues([]byte("{\"a\": 1}\n")); len(v) != 1 || string(v[0]) != "{\"a\": 1}\n" {
		t.Errorf("one object was cut into %q", v)
	}
	for _, in := range []string{"{\"a\": 1} 2\n", "a: 1\n", "[1]\n[2]\n", "{\"a\": 1}\n---\n{\"b\": 2}\n", "{\"a\": \"\xeb\"}\n"} {
		if v := jsonValues([]byte(in)); v != nil {
			t.Errorf("%q was cut into %q", in, v)
		}
	}
}

// A changed block list is written entry by entry: untouched entries keep
// their bytes, a changed mapping entry its untouched keys, new entries follow.
func TestSpliceListEntries(t *testing.T) {
	text := []byte(`interfaces:
    # first
    - name: a   # two spaces

    - name: b
      bridge: {}
      model: "virtio"
    - name: c
      masquerade: {}
`)
	orig, err := parseObject(text, false, false)
	if err != nil {
		t.Fatal(err)
	}
	edited := ynode.Copy(orig)
	list := ynode.Get(edited, "interfaces")
	ynode.SetString(list.Content[1], "name", "bb")
	c := list.Content[2]
	ynode.Delete(c, "masquerade")
	ynode.Set(c, "sriov", ynode.NewMap())
	extra := ynode.NewMap()
	ynode.SetString(extra, "name", "d")
	list.Content = append(list.Content, extra)
	out, ok := spliceText(text, orig, edited, false, false)
	want := `interfaces:
    # first
    - name: a   # two spaces

    - name: bb
      bridge: {}
      model: "virtio"
    - name: c
      sriov: {}
    - name: d
`
	if !ok || string(out) != want {
		t.Errorf("got (%v)\n%s\nwant\n%s", ok, out, want)
	}
}

// Stream edges: the directives of an empty document, the comment-only
// documents before a dropped one, a break hiding a marker.
func TestStreamEdges(t *testing.T) {
	if !yamllex.EmptyWithDirectives([]byte("%YAML 1.1\n---\n# c\n")) || yamllex.EmptyWithDirectives([]byte("%YAML 1.1\n---\na: 1\n")) {
		t.Error("emptyWithDirectives")
	}
	if got := string(leadingDocuments([]byte("---\n# notes\n---\n"))); got != "---\n# notes\n" {
		t.Errorf("leadingDocuments: %q", got)
	}
	if leadingDocuments([]byte("---\n")) != nil {
		t.Error("a bare marker has leading documents")
	}
	if !yamllex.HiddenMarker([]byte("a: 1\u2028---\nb: 2\n")) || yamllex.HiddenMarker([]byte("a: \"x\u0085y\"\n---\nb: 2\n")) {
		t.Error("hiddenMarker")
	}
	if got := string(earlierResults([]*section{{key: "results", text: ptr([]byte("results:\n- message: m\n"))}, {key: "results", text: ptr([]byte("results: []\n"))}})); got != "- message: m\n" {
		t.Errorf("earlierResults: %q", got)
	}
}

func ptr(b []byte) *[]byte { return &b }
