package fn_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/corpus"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// The guarantees a mutator in every pipeline owes its users, checked on one input:
// no crash or hang; every object it does not own comes out identical (fields,
// values, comments, order); of a VM only the networks, the interfaces and the two
// Multus template annotations change; objects out = objects in + derived NADs -
// pruned managed NADs; a second run changes nothing.
func checkProperties(t testing.TB, input []byte) {
	t.Helper()
	checkPropertiesWith(t, fn.Options{}, input)
}

// checkPropertiesWith checks the properties of runs with opts (a KubeVirt release).
func checkPropertiesWith(t testing.TB, opts fn.Options, input []byte) {
	t.Helper()
	stdout, stderr, code := runWithin(t, opts, input, 60*time.Second)
	if strings.Contains(stderr, "internal error") {
		t.Fatalf("internal error:\n%s", stderr)
	}
	if stdout == "" && code == 0 && len(bytes.TrimSpace(input)) == 0 {
		return // an empty stream
	}
	if stdout == "" && code == 0 && strings.Contains(stderr, "warning: the stream holds only network config") {
		return // config alone, left out of the output, as the warning says
	}
	if stdout == "" {
		if code != 1 || !strings.Contains(stderr, "error: ") {
			t.Fatalf("no output, but exit %d and stderr %q: refused input needs exit 1 and a clear error", code, stderr)
		}
		return // refused input, or a stream with errors: nothing else to check
	}
	if isStream(stdout) {
		checkStream(t, opts, input, stdout)
		return
	}
	out := items(t, []byte(stdout))
	in, ok := tryItems(input)
	if !ok {
		// Accepted, yet not one YAML document: the function reads items one by one
		// and skips a previous run's results section. The output must still be sound.
		in = out
	}
	if doc, ok := tryDoc(input); ok {
		keepsComments(t, doc, outDoc(t, stdout))
	}
	matchObjects(t, in, out, false)
	again, stderr2, _ := runWithin(t, opts, []byte(stdout), 60*time.Second)
	if strings.Contains(stderr2, "internal error") {
		t.Fatalf("internal error on the second run:\n%s", stderr2)
	}
	if a, b := itemsText(t, []byte(stdout)), itemsText(t, []byte(again)); a != b {
		t.Errorf("the second run changed the items")
	}
}

// matchObjects pairs the objects in and out: each kept one keeps the guarantees;
// only managed NADs (and in a stream the function's config) may leave, only
// derived NADs appear.
func matchObjects(t testing.TB, in, out []*yaml.Node, stream bool) {
	t.Helper()
	j := 0
	for _, it := range in {
		if j < len(out) && sameObject(it, out[j]) {
			checkSame(t, it, out[j])
			j++
			continue
		}
		if !isManagedNAD(it) && !(stream && isConfig(it)) {
			t.Errorf("%s left the output, and only managed NADs may be pruned", describe(it))
		}
	}
	for ; j < len(out); j++ {
		if !isManagedNAD(out[j]) {
			t.Errorf("%s appeared in the output, and only derived NADs may be added", describe(out[j]))
		}
	}
}

// isStream: the output is a plain YAML stream, not a ResourceList.
func isStream(out string) bool {
	var doc yaml.Node
	if err := yaml.NewDecoder(strings.NewReader(out)).Decode(&doc); err != nil || len(doc.Content) == 0 {
		return true
	}
	return ynode.Str(doc.Content[0], "kind") != "ResourceList"
}

// documents are a stream's objects; ok is false when it is not YAML.
func documents(b []byte) (docs []*yaml.Node, ok bool) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if err.Error() != "EOF" {
				return jsonDocuments(b)
			}
			return docs, true
		}
		// An empty document (nothing, or only comments) is read as a null: no object.
		if len(doc.Content) > 0 && !(doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].Tag == "!!null" && doc.Content[0].Value == "") {
			docs = append(docs, &doc)
		}
	}
}

// jsonDocuments reads JSON objects one after the other (a stream kubectl and jq
// read), each as a document. They are read as encoding/json reads them, not as
// YAML: JSON takes what YAML refuses (a raw DEL or C1 control in a string, a
// surrogate pair escaped), and kubectl reads a JSON stream as JSON.
func jsonDocuments(b []byte) (docs []*yaml.Node, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	for {
		n, err := jsonNode(dec)
		if err == io.EOF {
			return docs, len(docs) > 0
		}
		if err != nil || n.Kind != yaml.MappingNode {
			return nil, false
		}
		docs = append(docs, &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{n}})
	}
}

// jsonNode reads the next JSON value as a node, its keys in their order.
func jsonNode(dec *json.Decoder) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if v == '[' {
			n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		}
		for dec.More() {
			if n.Kind == yaml.MappingNode {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.(string)})
			}
			c, err := jsonNode(dec)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, c)
		}
		_, err := dec.Token() // the closing delimiter
		return n, err
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}, nil
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(v.String(), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v.String()}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(v)}, nil
	default:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
}

func contentsOf(docs []*yaml.Node) []*yaml.Node {
	out := make([]*yaml.Node, len(docs))
	for i, d := range docs {
		out[i] = d.Content[0]
	}
	return out
}

// isConfig: the function's own config, which a stream's output leaves out.
func isConfig(n *yaml.Node) bool {
	a, k, _, _ := head(n)
	return ourGroup(a) && (k == api.KindVMNetwork || k == api.KindVMNetworks)
}

// checkStream: a stream in, a stream out, with the same guarantees, every comment
// of the objects kept, and a second run changing nothing.
func checkStream(t testing.TB, opts fn.Options, input []byte, stdout string) {
	t.Helper()
	outDocs, ok := documents([]byte(stdout))
	if !ok {
		t.Fatalf("the output stream is not YAML:\n%s", stdout)
	}
	if inDocs, ok := documents(input); ok {
		matchObjects(t, contentsOf(inDocs), contentsOf(outDocs), true)
		var kept []*yaml.Node
		for _, d := range inDocs {
			if !isConfig(d.Content[0]) && !isManagedNAD(d.Content[0]) {
				kept = append(kept, d)
			}
		}
		keepsComments(t, &yaml.Node{Kind: yaml.SequenceNode, Content: kept}, &yaml.Node{Kind: yaml.SequenceNode, Content: outDocs})
	}
	again, _, _ := runWithin(t, opts, []byte(stdout), 60*time.Second)
	if again != stdout {
		t.Errorf("the second run changed the stream:\n--- first\n%s\n--- second\n%s", stdout, again)
	}
}

func runWithin(t testing.TB, opts fn.Options, input []byte, limit time.Duration) (string, string, int) {
	t.Helper()
	type result struct {
		out, err string
		code     int
	}
	done := make(chan result, 1)
	go func() {
		var o, e bytes.Buffer
		c := fn.RunWith(opts, bytes.NewReader(input), &o, &e)
		done <- result{o.String(), e.String(), c}
	}()
	select {
	case r := <-done:
		return r.out, r.err, r.code
	case <-time.After(limit):
		t.Fatalf("the function did not finish within %v", limit)
	}
	return "", "", 0
}

func items(t testing.TB, b []byte) []*yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 {
		t.Fatalf("not YAML: %v", err)
	}
	list := ynode.Get(doc.Content[0], "items")
	if list == nil {
		return nil
	}
	return list.Content
}

func tryItems(b []byte) ([]*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 {
		return nil, false
	}
	list := ynode.Get(doc.Content[0], "items")
	if list == nil {
		return nil, true
	}
	return list.Content, true
}

func itemsText(t testing.TB, b []byte) string {
	var s strings.Builder
	for _, it := range items(t, b) {
		s.WriteString(encode(t, it))
	}
	return s.String()
}

func encode(t testing.TB, n *yaml.Node) string {
	t.Helper()
	s, err := yaml.String(n)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func head(n *yaml.Node) (apiVersion, kind, ns, name string) {
	meta := ynode.Get(n, "metadata")
	return ynode.Str(n, "apiVersion"), ynode.Str(n, "kind"), ynode.Str(meta, "namespace"), ynode.Str(meta, "name")
}

func describe(n *yaml.Node) string {
	a, k, ns, name := head(n)
	return fmt.Sprintf("%s %s %s/%s", a, k, ns, name)
}

func sameObject(a, b *yaml.Node) bool {
	a1, k1, ns1, n1 := head(a)
	a2, k2, ns2, n2 := head(b)
	return a1 == a2 && k1 == k2 && ns1 == ns2 && n1 == n2
}

// isContainer: a List (kubectl get -o yaml) or an OpenShift Template.
func isContainer(n *yaml.Node) bool {
	a, k, _, _ := head(n)
	return (strings.HasSuffix(k, "List") && k != "ResourceList") || (k == "Template" && (a == "template.openshift.io/v1" || a == "v1"))
}

func containerContents(n *yaml.Node) []*yaml.Node {
	list := ynode.Get(n, "items")
	if _, k, _, _ := head(n); k == "Template" {
		list = ynode.Get(n, "objects")
	}
	if list == nil {
		return nil
	}
	return list.Content
}

func isManagedNAD(n *yaml.Node) bool {
	_, k, _, _ := head(n)
	labels := ynode.StringMap(ynode.Path(n, "metadata", "labels"))
	return k == api.NADKind && labels[api.ManagedByLabel] == api.ManagedByValue
}

// checkSame: an object the function does not own is identical; a VM differs only
// where the function may edit it; a VMNetwork only by the local-config annotation.
func checkSame(t testing.TB, in, out *yaml.Node) {
	t.Helper()
	a, k, _, _ := head(in)
	switch {
	case vm.Lookup(a, k) != nil:
		kind := vm.Lookup(a, k)
		if x, y := content(t, withoutNetworking(kind, in)), content(t, withoutNetworking(kind, out)); x != y {
			t.Errorf("%s changed outside its networks, interfaces and Multus annotations:\n--- in\n%s\n--- out\n%s", describe(in), x, y)
		}

	case k == api.KindVMNetwork && ourGroup(a):
		x, y := ynode.Copy(in), ynode.Copy(out)
		for _, n := range []*yaml.Node{x, y} {
			meta := ynode.Get(n, "metadata")
			ann := ynode.Get(meta, "annotations")
			ynode.Delete(ann, api.LocalConfigAnnotation)
			if ann != nil && len(ann.Content) == 0 {
				ynode.Delete(meta, "annotations")
			}
			if meta != nil && len(meta.Content) == 0 {
				ynode.Delete(n, "metadata") // made only to hold the annotation
			}
		}
		if content(t, x) != content(t, y) {
			t.Errorf("%s changed beyond its local-config annotation", describe(in))
		}

	case isManagedNAD(in):
		// managed: updated in place by design
	case isContainer(in):
		a, b := containerContents(in), containerContents(out)
		if len(a) != len(b) {
			t.Errorf("%s holds %d objects, then %d", describe(in), len(a), len(b))
			return
		}
		for i := range a {
			checkSame(t, a[i], b[i])
		}
		x, y := ynode.Copy(in), ynode.Copy(out)
		for _, n := range []*yaml.Node{x, y} {
			ynode.Delete(n, "items")
			ynode.Delete(n, "objects")
		}
		if content(t, x) != content(t, y) {
			t.Errorf("%s changed outside the objects it holds", describe(in))
		}
	default:
		if x, y := content(t, in), content(t, out); x != y {
			t.Errorf("%s is not the function's, yet it changed:\n--- in\n%s\n--- out\n%s", describe(in), x, y)
		}
	}
}

// content is what a tree says, without its comments, with every null spelled
// alike, and with every alias written out as what it stands for (an edit may give an aliased place its own copy); an
// alias bomb is written out up to a budget, then left as aliases.
func content(t testing.TB, n *yaml.Node) string {
	t.Helper()
	budget := 200000
	return encode(t, expanded(ynode.WithoutComments(n), &budget))
}

func expanded(n *yaml.Node, budget *int) *yaml.Node {
	if n == nil || *budget <= 0 {
		return n
	}
	*budget--
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return expanded(n.Alias, budget)
	}
	c := *n
	c.Anchor = ""
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		// An empty null, `~` and `null` say the same; the encoder writes an empty
		// one as '' where a plain empty scalar cannot stand.
		c.Value, c.Tag, c.Style = "null", "!!null", 0
	}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, ch := range n.Content {
		c.Content[i] = expanded(ch, budget)
	}
	return &c
}

func tryDoc(b []byte) (*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 {
		return nil, false
	}
	return &doc, true
}

func outDoc(t testing.TB, out string) *yaml.Node {
	doc, ok := tryDoc([]byte(out))
	if !ok {
		t.Fatalf("the output is not YAML")
	}
	// A previous run's results are replaced, comments and all.
	ynode.Delete(doc.Content[0], "results")
	return doc
}

// keepsComments: every comment of the input is in the output. Which node YAML
// attaches a comment to depends on its neighbours (a key the function adds, the
// results that follow the items), so comments are compared over the whole document.
func keepsComments(t testing.TB, in, out *yaml.Node) {
	t.Helper()
	have := map[string]int{}
	var collect func(n *yaml.Node, add int)
	collect = func(n *yaml.Node, add int) {
		for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
			for _, l := range strings.Split(c, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					have[l] += add
				}
			}
		}
		for _, ch := range n.Content {
			collect(ch, add)
		}
	}
	collect(out, 1)
	collect(in, -1)
	if in.Kind != yaml.DocumentNode {
		// a stream's documents: no results section
	} else if r := ynode.Get(in.Content[0], "results"); r != nil {
		collect(r, 1) // a previous run's results are replaced
		collect(in.Content[0].Content[ynode.KeyIndex(in.Content[0], "results")], 1)
	}
	for c, n := range have {
		if n < 0 {
			t.Errorf("the comment %q is lost", c)
		}
	}
}

// withoutNetworking removes what the function may change in a VM, and what those
// removals leave empty.
func withoutNetworking(kind *vm.Kind, n *yaml.Node) *yaml.Node {
	c := ynode.Copy(n)
	if spec := kind.Spec(c); spec != nil {
		ynode.Delete(spec, "networks")
		devices := ynode.Path(spec, "domain", "devices")
		ynode.Delete(devices, "interfaces")
		if devices != nil && len(devices.Content) == 0 {
			ynode.Delete(ynode.Get(spec, "domain"), "devices")
		}
		if d := ynode.Get(spec, "domain"); d != nil && len(d.Content) == 0 {
			ynode.Delete(spec, "domain")
		}
	}
	for _, path := range kind.Paths(vm.AreaOwnAnnotations) {
		// Harvester's MAC annotation is keyed by interface name: renamed with them.
		ynode.Delete(ynode.Path(c, path...), api.HarvesterMACAnnotation)
	}
	if meta := kind.TemplateMeta(c); meta != nil {
		ann := ynode.Get(meta, "annotations")
		ynode.Delete(ann, api.MultusNetworksAnnotation)
		ynode.Delete(ann, api.MultusDefaultNetworkAnnotation)
		ynode.Delete(ann, api.HarvesterMACAnnotation)
		if ann != nil && len(ann.Content) == 0 {
			ynode.Delete(meta, "annotations")
		}
		if len(meta.Content) == 0 && len(kind.TemplateMetaPath) > 1 {
			parent := ynode.Path(c, kind.TemplateMetaPath[:len(kind.TemplateMetaPath)-1]...)
			ynode.Delete(parent, "metadata")
		}
	}
	return c
}

func TestPropertiesOnGoldenCases(t *testing.T) {
	for _, g := range goldenInputs(t) {
		t.Run(g.name, func(t *testing.T) { checkProperties(t, g.input) })
	}
}

// wrap puts the documents of manifest files into a ResourceList, as kpt does.
func wrap(t testing.TB, files ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc yaml.Node
			if err := dec.Decode(&doc); err != nil {
				break
			}
			if len(doc.Content) == 0 || !ynode.IsMap(doc.Content[0]) {
				continue
			}
			s, err := yaml.String(doc.Content[0])
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
				switch {
				case i == 0:
					b.WriteString("- " + line + "\n")
				case line == "":
					b.WriteString("\n")
				default:
					b.WriteString("  " + line + "\n")
				}
			}
		}
	}
	return b.Bytes()
}

func exampleFiles(t testing.TB) []string {
	t.Helper()
	return corpus.KubeVirtExamples(t)
}

// Each of KubeVirt's example files alone, and all of them together, keep the
// guarantees, and the function finds no error in manifests KubeVirt's
// maintainers wrote (a false error counts as much as a miss).
func TestPropertiesOnKubeVirtExamples(t *testing.T) {
	files := exampleFiles(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			input := wrap(t, f)
			checkProperties(t, input)
			_, stderr, code := run(t, input)
			if code != 0 || strings.Contains(stderr, "error:") {
				t.Errorf("errors on a KubeVirt example:\n%s", stderr)
			}
		})
	}
	t.Run("all", func(t *testing.T) { checkProperties(t, wrap(t, files...)) })
}

// ourGroup: the function's config API group, at any version (a wrong version is
// still its config item, reported as such).
func ourGroup(apiVersion string) bool {
	group, _, _ := strings.Cut(apiVersion, "/")
	return group == api.Group
}
