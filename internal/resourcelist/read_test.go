package resourcelist

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const header = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n"

// readers runs both readers on input: the split (nil when it gives up) and the
// whole-document parse.
func readers(input []byte) (split *ResourceList, whole *ResourceList, wholeErr error) {
	s := &splitter{in: newReader(input), rl: &ResourceList{}, seen: map[string]bool{}, threshold: packThreshold}
	s.packer.blockSize = blockSize
	if s.split() {
		split = s.rl
	}
	whole, wholeErr = parseWhole(bytes.ReplaceAll(input, []byte("\r\n"), []byte("\n")))
	return split, whole, wholeErr
}

// text is a tree as YAML, comments included: what both readers must agree on.
func text(t testing.TB, n *yaml.Node) string {
	t.Helper()
	b, err := encode(n, false)
	if err != nil {
		t.Fatalf("encoding: %v", err)
	}
	return string(b)
}

// sameRead checks that the split read input as the whole-document parse does: the
// same items, comments included, the same function config; or, where the whole
// parse refuses the input, that the split leaves an item it cannot parse.
func sameRead(t testing.TB, input []byte) (split bool) {
	t.Helper()
	s, w, err := readers(input)
	if s == nil {
		return false
	}
	var parsed []*yaml.Node
	var parseErr error
	for _, it := range s.Items {
		n, perr := it.Parse()
		if perr != nil {
			parseErr = perr
			break
		}
		parsed = append(parsed, n)
	}
	switch {
	case err != nil && parseErr == nil:
		t.Fatalf("the whole parse refuses the input (%v), the split reads every item", err)
	case err != nil:
		return true
	case parseErr != nil:
		t.Fatalf("the whole parse reads the input, the split cannot: %v", parseErr)
	}
	if s.APIVersion != w.APIVersion {
		t.Fatalf("apiVersion %q split, %q whole", s.APIVersion, w.APIVersion)
	}
	if len(parsed) != len(w.Items) {
		t.Fatalf("%d items split, %d whole", len(parsed), len(w.Items))
	}
	for i, n := range parsed {
		if a, b := text(t, n), text(t, w.Items[i].node); a != b {
			t.Fatalf("items[%d] differs:\n--- split\n%s--- whole\n%s", i, a, b)
		}
	}
	switch {
	case (s.FunctionConfig == nil) != (w.FunctionConfig == nil):
		t.Fatalf("functionConfig read by one reader only")
	case s.FunctionConfig != nil && text(t, s.FunctionConfig) != text(t, w.FunctionConfig):
		t.Fatalf("functionConfig differs:\n--- split\n%s--- whole\n%s", text(t, s.FunctionConfig), text(t, w.FunctionConfig))
	}
	return true
}

func newReader(b []byte) *bufioReader { return newBufio(bytes.NewReader(b)) }

// Valid inputs in kpt's layout are split; anything whose meaning depends on more
// than one item is left to the whole parse. Both read the same where both read.
func TestReadersAgree(t *testing.T) {
	cases := []struct {
		name  string
		input string
		split bool
	}{
		{"kpt layout", header + "items:\n- apiVersion: v1\n  kind: ConfigMap # a comment\n  metadata:\n    name: a\n  # a comment inside\n  data:\n    k: |\n      text\n\n      # not a comment\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n", true},
		{"head comment", "# about this list\n\n" + header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n", true},
		{"comment before the first item", header + "items:\n# first\n- apiVersion: v1\n  kind: ConfigMap\n", false},
		{"comment between items", header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n# between\n- apiVersion: v1\n  kind: Secret\n", false},
		{"comment after the last item", header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n# after\nfunctionConfig:\n  kind: ConfigMap\n", false},
		{"anchor and alias across items", header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  data: &d {k: v}\n- apiVersion: v1\n  kind: ConfigMap\n  data: *d\n", false},
		{"alias of a whole item", header + "items:\n- &one\n  apiVersion: v1\n  kind: ConfigMap\n- *one\n", false},
		{"merge key", header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  data:\n    <<: {k: v}\n", true},
		{"ampersand in text", header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  data:\n    a: 'x & *y'\n    b: \"&z\"\n    c: |\n      echo a && b\n      * bullet\n", true},
		{"document marker", "---\n" + header + "items: []\n", false},
		{"document end", header + "items: []\n...\n", false},
		{"flow items", header + "items: [{apiVersion: v1, kind: ConfigMap}]\n", false},
		{"indented items", header + "items:\n  - apiVersion: v1\n    kind: ConfigMap\n", false},
		{"JSON", `{"apiVersion":"config.kubernetes.io/v1","kind":"ResourceList","items":[{"apiVersion":"v1","kind":"ConfigMap"}]}`, false},
		{"CRLF", strings.ReplaceAll(header+"items:\n- apiVersion: v1\n  kind: ConfigMap\n", "\n", "\r\n"), true},
		{"no final line break", header + "items:\n- apiVersion: v1\n  kind: ConfigMap", true},
		{"quoted on one line", header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  data: {a: '[{\"x\": 1}]', b: \"it's\"}\n", true},
		{"quoted over lines", header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  data:\n    a: \"one\n- two\"\n", false},
		{"flow over lines", header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  data: {a: 1,\n    b: 2}\n", false},
		{"previous results", header + "items: []\nresults:\n- message: hi\n  severity: info\n", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := sameRead(t, []byte(tc.input)); got != tc.split {
				t.Errorf("split: %v, want %v", got, tc.split)
			}
			rl, err := Read(bytes.NewReader([]byte(tc.input)), ResourceListForm)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			var out bytes.Buffer
			w := NewWriter(&out, rl)
			for i := range rl.Items {
				w.Keep(i)
			}
			if err := w.Finish(nil, nil, false); err != nil {
				t.Fatal(err)
			}
			again, err := Read(bytes.NewReader(out.Bytes()), ResourceListForm)
			if err != nil {
				t.Fatalf("the output does not read back: %v\n%s", err, out.String())
			}
			if len(again.Items) != len(rl.Items) {
				t.Fatalf("%d items written, %d read back:\n%s", len(rl.Items), len(again.Items), out.String())
			}
			for _, c := range comments(tc.input) {
				if !strings.Contains(out.String(), c) {
					t.Errorf("comment %q lost:\n%s", c, out.String())
				}
			}
		})
	}
}

// comments lists the comment lines of a YAML text (outside block scalars: the
// cases mark those with "not a comment").
func comments(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") && !strings.Contains(t, "not a comment") {
			out = append(out, t)
		}
		if i := strings.Index(l, " # "); i >= 0 && !strings.Contains(l, "'") {
			out = append(out, strings.TrimSpace(l[i:]))
		}
	}
	return out
}

// FuzzReaders runs every input through both readers and requires the same items,
// comments included (see sameRead).
//
//	go test ./internal/resourcelist -run '^$' -fuzz '^FuzzReaders$' -fuzztime 60s
func FuzzReaders(f *testing.F) {
	for _, s := range []string{
		header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  data: {k: v} # c\n",
		"# h\n" + header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  data:\n    k: |\n      x\n# c\n",
		header + "items:\n- apiVersion: v1\n  kind: A\n  x: &a 1\n- apiVersion: v1\n  kind: B\n  y: *a\n",
		header + "items: []\nfunctionConfig:\n  kind: ConfigMap\n  data: {mode: fix}\nresults:\n- message: m\n",
		header + "items:\n-\n  apiVersion: v1\n  kind: C\n  s: \"a\n    b\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		sameRead(t, input)
	})
}

func TestLineBreaksInsideLines(t *testing.T) {
	for _, br := range []string{"\r", "\u0085", "\u2028", "\u2029"} {
		input := header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  data: {a: 1}" + br + "- b: 2\n"
		if sameRead(t, []byte(input)) {
			t.Errorf("%q inside a line: split", br)
		}
	}
}

// Packed items (a large input's) read and write back exactly as plain ones.
func TestPackedItems(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(header + "items:\n")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c%d # a comment\n  data:\n    k: |\n      line %d\n", i, i)
	}
	b.WriteString("functionConfig:\n  kind: ConfigMap\n")
	input := b.Bytes()
	write := func(o Options) string {
		rl, err := ReadWith(bytes.NewReader(input), o)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		w := NewWriter(&out, rl)
		for i, it := range rl.Items {
			if i%2 == 0 {
				if _, err := it.Parse(); err != nil {
					t.Fatal(err)
				}
			}
			w.Keep(i)
		}
		if err := w.Finish(nil, nil, false); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	plain := write(Options{Form: ResourceListForm})
	// Blocks of a few items.
	if packed := write(Options{Form: ResourceListForm, PackThreshold: 200, BlockSize: 500}); packed != plain {
		t.Errorf("packed items write back differently:\n%s", packed)
	}
	if plain != string(input) {
		t.Errorf("the input is not written back as it came")
	}
	// A split that gives up after packing items parses the whole input, unpacked.
	rl, err := ReadWith(bytes.NewReader(append(bytes.Clone(input), "# a comment YAML attaches elsewhere\n"...)), Options{Form: ResourceListForm, PackThreshold: 200, BlockSize: 500})
	if err != nil || rl.Split() || len(rl.Items) != 50 {
		t.Errorf("the whole-document parse after packing: %v, %d items", err, len(rl.Items))
	}
}
