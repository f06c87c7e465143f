package fn_test

import (
	"bytes"
	"encoding/json"
	"github.com/kubevirt-networks/kubevirt-networks/fn"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

const header = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n"

func nested(depth int) string {
	return header + "items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: deep}\n  data: " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n"
}

// A billion laughs: nine levels of ten aliases, inside a VM and inside an ipam object.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("    a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("    a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	laughs := b.String()
	return header + `items:
- apiVersion: kubevirt.io/v1
  kind: VirtualMachine
  metadata: {name: laughs, namespace: vms}
  spec:
    laughs:
` + strings.ReplaceAll(laughs, "    a", "      a") + `    template:
      spec:
        domain: {devices: {interfaces: [{name: default, masquerade: {}}]}}
        networks: [{name: default, pod: {}}]
- apiVersion: kubevirt-networks.io/v1alpha1
  kind: VMNetwork
  metadata: {name: lan}
  spec:
    type: bridge
    bridge: br0
    ipam:
` + strings.ReplaceAll(laughs, "    a", "      a")
}

// Hostile and unusual input: each ends with a clear message on stderr (naming what
// is wrong), the right exit code, and no panic or hang.
func TestHostileInput(t *testing.T) {
	t.Parallel() // no package state: the function runs on what it is given
	cases := []struct {
		name, input string
		code        int
		stderr      string
	}{
		{"empty: an empty stream (a Helm chart that renders nothing)", "", 0, ""},
		{"not YAML", "{{{: :\n\t- ]", 1, "error: document 1 of the input is not valid YAML"},
		{"binary", "\x00\x01\x02\xff\xfe", 1, "error: document 1 of the input is not valid YAML"},
		{"a ResourceList not YAML", header + "items: [\n", 1, "error: the input is not YAML"},
		{"a manifest: a stream of one object", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n", 0, ""},
		{"a list, not an object", "- a\n- b\n", 1, "error: document 1 of the input is not an object"},
		{"wrong ResourceList version", "apiVersion: config.kubernetes.io/v9\nkind: ResourceList\nitems: []\n", 1, `apiVersion "config.kubernetes.io/v9"`},
		{"items not a list", header + "items: {a: b}\n", 1, "error: the ResourceList's items must be a list of objects"},
		{"items a scalar", header + "items: nope\n", 1, "error: the ResourceList's items must be a list of objects"},
		{"an item that is a scalar", header + "items:\n- just text\n", 1, "items[0] is not an object"},
		{"an item without kind", header + "items:\n- metadata: {name: orphan}\n", 1, `items[0] (name "orphan") has no apiVersion or kind`},
		{"duplicate keys in a VM", header + "items:\n- apiVersion: kubevirt.io/v1\n  kind: VirtualMachineInstance\n  metadata: {name: v}\n  spec:\n    domain: {devices: {interfaces: [{name: default, masquerade: {}, masquerade: {}}]}}\n    networks: [{name: default, pod: {}}]\n", 1, `VirtualMachineInstance v spec.domain.devices.interfaces[0].masquerade: key "masquerade" is written twice`},
		{"VM with spec null", header + "items:\n- apiVersion: kubevirt.io/v1\n  kind: VirtualMachine\n  metadata: {name: v}\n  spec: null\n", 1, "VirtualMachine v spec.template.spec: VirtualMachine has no spec.template.spec mapping"},
		{"VM networks as a map", header + "items:\n- apiVersion: kubevirt.io/v1\n  kind: VirtualMachineInstance\n  metadata: {name: v}\n  spec:\n    networks: {default: {pod: {}}}\n", 1, "spec.networks must be a list of networks"},
		{"VM interfaces as scalars and nulls", header + "items:\n- apiVersion: kubevirt.io/v1\n  kind: VirtualMachineInstance\n  metadata: {name: v}\n  spec:\n    domain: {devices: {interfaces: [eth0, null]}}\n    networks: [{name: eth0, pod: {}}]\n", 1, "spec.domain.devices.interfaces[0] must be a mapping with a name and a binding"},
		{"VM interfaces a string", header + "items:\n- apiVersion: kubevirt.io/v1\n  kind: VirtualMachineInstance\n  metadata: {name: v}\n  spec:\n    domain: {devices: {interfaces: eth0}}\n", 1, "spec.domain.devices.interfaces must be a list of interfaces"},
		{"Multus annotation that does not parse", header + "items:\n- apiVersion: kubevirt.io/v1\n  kind: VirtualMachineInstance\n  metadata:\n    name: v\n    annotations: {k8s.v1.cni.cncf.io/networks: '[{\"name\": '}\n  spec:\n    domain: {devices: {interfaces: [{name: default, masquerade: {}}]}}\n    networks: [{name: default, pod: {}}]\n", 1, "the annotation cannot be parsed"},
		{"VMNetwork spec a list", header + "items:\n- apiVersion: kubevirt-networks.io/v1alpha1\n  kind: VMNetwork\n  metadata: {name: n}\n  spec: [type, bridge]\n", 1, "VMNetwork n spec: spec must be a mapping, not a list"},
		{"function config of an unknown kind", header + "items: []\nfunctionConfig:\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: d}\n", 1, `function config of apiVersion "apps/v1" and kind "Deployment" is not understood`},
		{"deeply nested", nested(20000), 1, "error: items[0] is not valid YAML: yaml: line 4: exceeded max depth of 10000"},
		{"VMNetwork metadata a list", header + "items:\n- apiVersion: kubevirt-networks.io/v1alpha1\n  kind: VMNetwork\n  metadata:\n  - x\n  spec: {type: bridge, bridge: br0}\n", 1, "VMNetwork  metadata: metadata must be a mapping, not a list"},
		{"VM domain a string", header + "items:\n- apiVersion: kubevirt.io/v1\n  kind: VirtualMachineInstance\n  metadata:\n    name: v\n    annotations: {k8s.v1.cni.cncf.io/networks: lan}\n  spec:\n    domain: none\n", 1, "spec.domain must be a mapping"},
		{"kind continued on the next line", header + "items:\n- apiVersion: kubevirt.io/v1\n  kind: VirtualMachine\n    Extra\n  metadata: {name: v}\n", 0, ""},
		{"alias bomb", aliasBomb(), 1, "VMNetwork lan spec.ipam: spec.ipam cannot be written as JSON: more than 100000 values"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runWithin(t, fn.Options{}, []byte(tc.input), 20*time.Second)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr)
			}
			if strings.Contains(stderr, "internal error") || strings.Contains(stderr, "goroutine ") {
				t.Errorf("a crash:\n%s", stderr)
			}
			if stdout != "" {
				checkProperties(t, []byte(tc.input))
			}
		})
	}
}

// CRLF line endings give the output of LF ones, with CRLF line endings: the
// same objects, results and exit code, and no line break changed (finding 6 of
// issue 25).
func TestCRLFInput(t *testing.T) {
	for _, g := range goldenInputs(t) {
		input := g.input
		lf, lfErr, lfCode := run(t, input)
		crlf, crlfErr, crlfCode := run(t, bytes.ReplaceAll(input, []byte("\n"), []byte("\r\n")))
		if want := strings.ReplaceAll(lf, "\n", "\r\n"); crlf != want || lfErr != crlfErr || lfCode != crlfCode {
			t.Errorf("%s: CRLF changes the output:\n%s", g.name, lineDiff(want, crlf))
		}
	}
}

// JSON instead of YAML (kpt accepts both): the same objects, results and exit code.
// (Not for inputs with anchors: JSON writes a shared node out in each place, which
// is another input, one the function may edit where it refused to reach through
// an alias.)
func TestJSONInput(t *testing.T) {
	for _, g := range goldenInputs(t) {
		input, path := g.input, g.name
		var doc yaml.Node
		if err := yaml.Unmarshal(input, &doc); err != nil {
			t.Fatal(err)
		}
		var value any
		if ynode.IndexAliases(&doc) != nil || yaml.Unmarshal(input, &value) != nil {
			// JSON writes a shared node out twice, and holds no key twice: another input.
			continue
		}
		js, err := ynode.ToJSON(&doc) // keeps key order, as a JSON writer would
		if err != nil {
			t.Fatal(err)
		}
		fromYAML, _, yamlCode := run(t, input)
		fromJSON, stderr, jsonCode := run(t, js)
		if yamlCode != jsonCode {
			t.Errorf("%s: exit %d from YAML, %d from JSON:\n%s", path, yamlCode, jsonCode, stderr)
		}
		var a, b any
		if err := yaml.Unmarshal([]byte(fromYAML), &a); err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal([]byte(fromJSON), &b); err != nil {
			t.Fatalf("%s: the output for JSON input is not YAML: %v", path, err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("%s: JSON input gives other objects or results:\n%s\n%s", path, ja, jb)
		}
	}
}

// A 30 MB input (52,000 small VMs) completes, every VM
// comes out, and a second run changes nothing.
func TestLargeInput(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("large input in -short mode")
	}
	input := fleet(52000)
	if len(input) < 30_000_000 {
		t.Fatalf("the fleet is only %d bytes", len(input))
	}
	stdout, _, code := runWithin(t, fn.Options{}, input, 120*time.Second)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if got := strings.Count(stdout, "\n  kind: VirtualMachine\n"); got != 52000 {
		t.Errorf("%d VMs out of 52000", got)
	}
	again, _, _ := runWithin(t, fn.Options{}, []byte(stdout), 120*time.Second)
	if itemsOf(stdout) != itemsOf(again) {
		t.Errorf("the second run changed the items")
	}
}

func itemsOf(out string) string {
	if i := strings.Index(out, "\nresults:\n"); i >= 0 {
		return out[:i+1]
	}
	return out
}
