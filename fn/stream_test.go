package fn_test

import (
	"bytes"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn"
	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// helmStream is what `helm template` hands a post-renderer: documents after `---`
// lines, each headed by a `# Source:` comment, the chart's VMNetwork templates
// among them.
const helmStream = `---
# Source: demo/templates/networks.yaml
apiVersion: kubevirt-networks.io/v1alpha1
kind: VMNetwork
metadata:
  name: lan
spec:
  type: bridge
  bridge: br-lan
  nadName: lan-nad
---
# Source: demo/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: demo-settings   # the chart's own settings
data:
  greeting: "hello,   world"
---
# Source: demo/templates/vm.yaml
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: demo
  namespace: apps
spec:
  runStrategy: Always
  template:
    metadata:
      annotations:
        k8s.v1.cni.cncf.io/networks: lan-nad
    spec:
      domain:
        devices:
          interfaces:
          - name: default
            masquerade: {}
          - name: lan-nad # the office LAN
            bridge: {}
      networks:
      - name: default
        pod: {}
      - name: lan-nad
        multus:
          networkName: lan-nad
`

func runStream(t testing.TB, opts fn.Options, input string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = fn.RunWith(opts, strings.NewReader(input), &out, &errOut)
	return out.String(), errOut.String(), code
}

// docsOf parses a stream into its objects.
func docsOf(t testing.TB, s string) []*yaml.Node {
	t.Helper()
	docs, ok := documents([]byte(s))
	if !ok {
		t.Fatalf("not a YAML stream:\n%s", s)
	}
	return contentsOf(docs)
}

// A Helm-rendered stream comes out a stream: the VMNetwork left out, the other
// documents in their order with their separators and comments, the ConfigMap
// byte for byte, the VM fixed, the NAD appended; exit 0.
func TestStreamFromHelm(t *testing.T) {
	out, stderr, code := runStream(t, fn.Options{}, helmStream)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	configMap := helmStream[strings.Index(helmStream, "---\n# Source: demo/templates/configmap.yaml"):strings.Index(helmStream, "---\n# Source: demo/templates/vm.yaml")]
	if !strings.HasPrefix(out, configMap) {
		t.Errorf("the ConfigMap is not the stream's first document, unchanged:\n%s", out)
	}
	if strings.Contains(out, "kind: VMNetwork") {
		t.Errorf("the VMNetwork leaked into the output:\n%s", out)
	}
	for _, want := range []string{"# Source: demo/templates/vm.yaml\n", "# the office LAN", "\n---\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	docs := docsOf(t, out)
	if len(docs) != 3 {
		t.Fatalf("%d documents out, want the ConfigMap, the VM and the NAD:\n%s", len(docs), out)
	}
	vmSpec := docs[1]
	if got := nodeText(t, lookup(vmSpec, "spec", "template", "spec", "networks")); got != "- name: default\n  pod: {}\n- name: lan\n  multus:\n    networkName: lan-nad\n" {
		t.Errorf("VM networks:\n%s", got)
	}
	if lookup(vmSpec, "spec", "template", "metadata", "annotations") != nil {
		t.Errorf("the Multus annotation stays:\n%s", out)
	}
	nad := docs[2]
	if _, kind, ns, name := head(nad); kind != "NetworkAttachmentDefinition" || name != "lan-nad" || ns != "apps" {
		t.Errorf("appended %s %s/%s, want the NAD apps/lan-nad", kind, ns, name)
	}
	if anns := lookup(nad, "metadata", "annotations"); anns != nil && strings.Contains(nodeText(t, anns), "config.kubernetes.io/path") {
		t.Errorf("a NAD for a cluster got a file path:\n%s", nodeText(t, anns))
	}
	if strings.Contains(stderr, "error: ") {
		t.Errorf("stderr has an error:\n%s", stderr)
	}
	checkProperties(t, []byte(helmStream))
}

// The network config may come from a --config file instead of the stream: the
// same output. A VMNetworks document in the stream is the config too, and is
// left out; two configs are an error.
func TestStreamConfig(t *testing.T) {
	want, _, _ := runStream(t, fn.Options{}, helmStream)
	vmOnly := helmStream[strings.Index(helmStream, "---\n# Source: demo/templates/configmap.yaml"):]
	config := `apiVersion: kubevirt-networks.io/v1alpha1
kind: VMNetworks
metadata:
  name: networks
spec:
  networks:
  - name: lan
    type: bridge
    bridge: br-lan
    nadName: lan-nad
`
	got, stderr, code := runStream(t, fn.Options{Config: []byte(config)}, vmOnly)
	if code != 0 || got != want {
		t.Errorf("--config: exit %d, output differs from the VMNetwork in the stream:\n%s\n%s", code, got, stderr)
	}
	inStream := "---\n" + config + vmOnly
	got, stderr, code = runStream(t, fn.Options{}, inStream)
	if code != 0 || got != want {
		t.Errorf("VMNetworks in the stream: exit %d, output differs:\n%s\n%s", code, got, stderr)
	}
	for name, tc := range map[string]struct {
		opts  fn.Options
		input string
		want  string
	}{
		"--config and one in the stream": {fn.Options{Config: []byte(config)}, inStream, "--config gives another; keep one"},
		"two in the stream":              {fn.Options{}, "---\n" + config + inStream, "more than one VMNetworks function config"},
		"--config not an object":         {fn.Options{Config: []byte("- a\n")}, vmOnly, "error: --config: is not an object"},
		"--config of a ResourceList too": {fn.Options{Config: []byte(config)}, "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n" + indentLines(config), "--config gives a function config, and so does the ResourceList"},
	} {
		out, stderr, code := runStream(t, tc.opts, tc.input)
		if code != 1 || out != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1, nothing out, %q", name, code, out, stderr, tc.want)
		}
	}
}

func lookup(n *yaml.Node, path ...string) *yaml.Node { return ynode.Path(n, path...) }

func nodeText(t testing.TB, n *yaml.Node) string {
	t.Helper()
	if n == nil {
		return ""
	}
	b, err := yaml.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func indentLines(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n  ") + "\n"
}

// An error result stops the stream: exit 1 and nothing on stdout, so that Helm
// fails instead of installing half-fixed manifests; the error is on stderr.
func TestStreamErrorWritesNothing(t *testing.T) {
	for name, input := range map[string]string{
		"a VMNetwork it refuses": strings.Replace(helmStream, "type: bridge", "type: teleport", 1),
		"a VM KubeVirt rejects":  strings.Replace(helmStream, "      - name: default\n        pod: {}\n", "", 1),
		"a document not YAML":    helmStream + "---\nkind: [\n",
	} {
		out, stderr, code := runStream(t, fn.Options{}, input)
		if code != 1 || out != "" || !strings.Contains(stderr, "error: ") {
			t.Errorf("%s: exit %d, stdout %d bytes, stderr %q; want exit 1, nothing out, an error", name, code, len(out), stderr)
		}
	}
}

// The stream reader and the ResourceList reader apply the same rules: the same
// objects come out of the same objects, whichever form carries them.
func TestStreamMatchesResourceList(t *testing.T) {
	docs := docsOf(t, helmStream)
	var rl strings.Builder
	rl.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n")
	for _, d := range docs {
		rl.WriteString("- " + strings.ReplaceAll(strings.TrimSuffix(nodeText(t, d), "\n"), "\n", "\n  ") + "\n")
	}
	rlOut, _, rlCode := run(t, []byte(rl.String()))
	streamOut, _, streamCode := runStream(t, fn.Options{}, helmStream)
	if rlCode != streamCode {
		t.Fatalf("exit %d as a ResourceList, %d as a stream", rlCode, streamCode)
	}
	var fromRL []string
	for _, it := range items(t, []byte(rlOut)) {
		if _, kind, _, _ := head(it); kind == "VMNetwork" {
			continue // a ResourceList keeps it for kustomize to drop
		}
		fromRL = append(fromRL, withoutAnnotations(t, it))
	}
	var fromStream []string
	for _, d := range docsOf(t, streamOut) {
		fromStream = append(fromStream, withoutAnnotations(t, d))
	}
	if strings.Join(fromRL, "---\n") != strings.Join(fromStream, "---\n") {
		t.Errorf("the forms disagree:\n--- ResourceList\n%s\n--- stream\n%s", strings.Join(fromRL, "---\n"), strings.Join(fromStream, "---\n"))
	}
}

// withoutAnnotations is an object's text without the annotations a ResourceList
// adds for kpt (index, path) and without comments.
func withoutAnnotations(t testing.TB, n *yaml.Node) string {
	t.Helper()
	var v any
	if err := n.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if m, ok := v.(map[string]any)["metadata"].(map[string]any); ok {
		if a, ok := m["annotations"].(map[string]any); ok {
			for k := range a {
				if strings.Contains(k, "config.kubernetes.io/") {
					delete(a, k)
				}
			}
			if len(a) == 0 {
				delete(m, "annotations")
			}
		}
	}
	b, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Streams in unusual shapes: read as YAML reads them, written back whole.
func TestStreamShapes(t *testing.T) {
	cases := map[string]struct {
		form  resourcelist.Form
		input string
		want  string // a line the output has
		code  int
	}{
		"no leading marker":          {resourcelist.Detect, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n", "metadata: {name: b}", 0},
		"document end markers":       {resourcelist.Detect, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n...\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n...\n", "name: b", 0},
		"a tag on the marker":        {resourcelist.Detect, "--- !!map\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "name: a", 0},
		"empty documents":            {resourcelist.Detect, "---\n---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n", "# only a comment", 0},
		"empty, forced":              {resourcelist.StreamForm, "", "", 0},
		"a ResourceList, forced":     {resourcelist.StreamForm, "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n", "kind: ResourceList", 0},
		"a stream as ResourceList":   {resourcelist.ResourceListForm, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "", 1},
		"JSON objects":               {resourcelist.Detect, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}`, `"name":"a"`, 0},
		"a scalar document":          {resourcelist.Detect, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\njust text\n", "", 1},
		"Windows line endings":       {resourcelist.Detect, "---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: a} # c\r\n", "metadata: {name: a} # c", 0},
		"a comment after the marker": {resourcelist.Detect, "--- # first\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "--- # first", 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, stderr, code := runStream(t, fn.Options{Form: tc.form}, tc.input)
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Fatalf("exit %d (want %d), output lacks %q:\n%s\n%s", code, tc.code, tc.want, out, stderr)
			}
			if code == 0 {
				again, _, _ := runStream(t, fn.Options{Form: tc.form}, out)
				if again != out {
					t.Errorf("a second run changes the stream:\n%s\n---\n%s", out, again)
				}
			}
		})
	}
}

// releaseStream is what helm template hands a post-renderer for a chart that
// writes no namespace (cozystack's vm-instance): the VM references its NAD
// through the release namespace.
const releaseStream = `---
# Source: vm/templates/network.yaml
apiVersion: kubevirt-networks.io/v1alpha1
kind: VMNetwork
metadata:
  name: storage
spec:
  type: bridge
  bridge: br-storage
---
# Source: vm/templates/vm.yaml
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: vm
spec:
  template:
    spec:
      domain:
        devices:
          interfaces:
          - name: default
            masquerade: {}
          - name: storage
            bridge: {}
      networks:
      - name: default
        pod: {}
      - name: storage
        multus:
          networkName: storage
`

// The namespace objects land in: --namespace wins over Helm's HELM_NAMESPACE,
// which a stream reads (never a ResourceList); either way the VM and the NAD it
// alone needs stay without a namespace, and the NAD's netAttachDefName-free
// bridge config is the same. Without either, the NAD is still derived.
func TestStreamNamespace(t *testing.T) {
	for name, opts := range map[string]fn.Options{
		"--namespace":                     {Namespace: "tenant-a"},
		"HELM_NAMESPACE":                  {HelmNamespace: "tenant-a"},
		"--namespace over HELM_NAMESPACE": {Namespace: "tenant-a", HelmNamespace: "elsewhere"},
		"neither":                         {},
	} {
		out, stderr, code := runStream(t, opts, releaseStream)
		if code != 0 {
			t.Errorf("%s: exit %d\n%s", name, code, stderr)
			continue
		}
		docs := docsOf(t, out)
		if len(docs) != 2 {
			t.Errorf("%s: %d documents, want the VM and its NAD:\n%s", name, len(docs), out)
			continue
		}
		if _, kind, ns, _ := head(docs[1]); kind != "NetworkAttachmentDefinition" || ns != "" {
			t.Errorf("%s: appended %s in namespace %q, want a NAD without a namespace, as the VM is", name, kind, ns)
		}
		if !strings.HasSuffix(stderr, "kubevirt-networks: 0 VMs changed; NADs: 1 derived, 0 updated, 0 pruned; 0 warnings, 0 errors\n") {
			t.Errorf("%s: stderr does not end with the summary line:\n%s", name, stderr)
		}
	}
	// A ResourceList (kustomize, kpt) never reads HELM_NAMESPACE: a Helm variable
	// left in a shell must not move a kustomize render.
	var rl bytes.Buffer
	rl.WriteString("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n")
	for _, d := range docsOf(t, releaseStream) {
		for i, line := range strings.Split(strings.TrimSuffix(nodeText(t, d), "\n"), "\n") {
			if i == 0 {
				rl.WriteString("- " + line + "\n")
			} else {
				rl.WriteString("  " + line + "\n")
			}
		}
	}
	out, stderr, code := runStream(t, fn.Options{HelmNamespace: "tenant-a"}, rl.String())
	if code != 0 || strings.Contains(out, "tenant-a") {
		t.Errorf("a ResourceList read HELM_NAMESPACE: exit %d\n%s\n%s", code, out, stderr)
	}
}

// What a stream user sees: warnings and errors on stderr, ending with one summary
// line; --report also lists every change.
func TestSummaryAndReport(t *testing.T) {
	var report bytes.Buffer
	_, stderr, code := runStream(t, fn.Options{Report: &report}, helmStream)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	const summary = "kubevirt-networks: 1 VM changed; NADs: 1 derived, 0 updated, 0 pruned; 0 warnings, 0 errors\n"
	if !strings.HasSuffix(stderr, summary) {
		t.Errorf("stderr does not end with %q:\n%s", summary, stderr)
	}
	if strings.Contains(stderr, "info: ") {
		t.Errorf("stderr has info lines:\n%s", stderr)
	}
	for _, want := range []string{"info: VirtualMachine apps/demo spec.template.spec.networks[1].name: renamed network", "info: NetworkAttachmentDefinition apps/lan-nad: created", summary} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, report.String())
		}
	}
}

// Smaller stream cases: invalid YAML is named as such, in its document; a stream
// of nothing but network config says why the output is empty.
func TestStreamSmallerCases(t *testing.T) {
	_, stderr, code := runStream(t, fn.Options{}, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  b: [\n")
	if code != 1 || !strings.Contains(stderr, "document 1 of the input is not valid YAML") || strings.Contains(stderr, "ResourceList") {
		t.Errorf("invalid YAML: exit %d\n%s", code, stderr)
	}
	out, stderr, code := runStream(t, fn.Options{}, "apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetwork\nmetadata:\n  name: a\nspec:\n  type: bridge\n  bridge: br0\n")
	if code != 0 || strings.TrimSpace(out) != "" || !strings.Contains(stderr, "warning: the stream holds only network config") {
		t.Errorf("config only: exit %d, out %q\n%s", code, out, stderr)
	}
}
