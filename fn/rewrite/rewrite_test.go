package rewrite_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/bind"
	"github.com/kubevirt-networks/kubevirt-networks/fn/config"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/rewrite"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
)

// networks declares the logical networks the cases bind to.
const networks = `
- {metadata: {name: external}, spec: {type: bridge, bridge: br-ext, nadName: ext-nad}}
- {metadata: {name: storage}, spec: {type: sriov, resourceName: intel.com/sriov, namespace: infra}}
- {metadata: {name: tap}, spec: {type: macvtap, lowerDevice: eth1}}
- {metadata: {name: always}, spec: {type: bridge, bridge: br-a, rename: always}}
`

// planFor plans the rewrite of a VirtualMachine in namespace vms whose template
// spec is spec (YAML) and whose template annotations are annotations.
func planFor(t *testing.T, spec, annotations string) (*rewrite.Plan, *yaml.Node, *vm.Kind) {
	t.Helper()
	var decls []config.Item
	var list []map[string]any
	if err := yaml.Unmarshal([]byte(networks), &list); err != nil {
		t.Fatal(err)
	}
	for i := range list {
		var n yaml.Node
		b, _ := yaml.Marshal(list[i])
		if err := yaml.Unmarshal(append([]byte("apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetwork\n"), b...), &n); err != nil {
			t.Fatal(err)
		}
		meta := list[i]["metadata"].(map[string]any)
		decls = append(decls, config.Item{Node: n.Content[0], Obj: &report.Object{Kind: api.KindVMNetwork, Name: meta["name"].(string)}})
	}
	cfg := config.Load(nil, decls, nil)
	if cfg.Findings.HasErrors() {
		t.Fatalf("the cases' networks have errors: %v", cfg.Findings)
	}
	template := "spec:\n" + indent(spec, "    ")
	if annotations != "" {
		template = "metadata:\n  annotations:\n" + indent(annotations, "    ") + template
	}
	src := "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: v, namespace: vms}\nspec:\n  template:\n" + indent(template, "    ")
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	node := doc.Content[0]
	kind := vm.Lookup("kubevirt.io/v1", "VirtualMachine")
	s, problems := vm.ReadSpec(kind.Spec(node), kind.SpecField())
	if len(problems) > 0 {
		t.Fatalf("the case's VM cannot be read: %v", problems)
	}
	plan := rewrite.Make(rewrite.Input{
		Kind: kind, Node: node, Namespace: "vms", Spec: s, Settings: api.DefaultSettings(),
		Index: &bind.Index{Networks: cfg.Networks}, MacvtapPlugins: map[string]bool{"macvtap": true},
	})
	return plan, node, kind
}

func indent(s, prefix string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimPrefix(s, "\n"), "\n") {
		if l != "" {
			b.WriteString(prefix + l)
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// rules lists the rule ids of a plan's changes (made only if it did not fail) and
// findings, in order.
func rules(p *rewrite.Plan) []string {
	var out []string
	for _, c := range p.Changes {
		if !p.Failed() {
			out = append(out, c.Rule.ID)
		}
	}
	for _, f := range p.Findings {
		out = append(out, f.Rule.ID)
	}
	return out
}

// One change each, written as the VM's template spec in and out, with the results
// it reports. A one-line binding change is a few lines here.
func TestPlan(t *testing.T) {
	cases := []struct {
		name, spec, annotations string
		want                    string // the template spec after the edits ("" : unchanged)
		rules                   []string
	}{{
		name: "a NAD-named network takes the logical name and its binding",
		spec: `
domain: {devices: {interfaces: [{name: ext-nad, masquerade: {}, model: virtio}]}}
networks: [{name: ext-nad, multus: {networkName: ext-nad}}]`,
		want: `
domain: {devices: {interfaces: [{name: external, bridge: {}, model: virtio}]}}
networks: [{name: external, multus: {networkName: ext-nad}}]`,
		rules: []string{"network-renamed", "binding-set"},
	}, {
		name: "a network with a name of its own keeps it",
		spec: `
domain: {devices: {interfaces: [{name: lan, bridge: {}}]}}
networks: [{name: lan, multus: {networkName: ext-nad}}]`,
	}, {
		name: "rename: always renames it anyway",
		spec: `
domain: {devices: {interfaces: [{name: lan, bridge: {}}]}}
networks: [{name: lan, multus: {networkName: always}}]`,
		want: `
domain: {devices: {interfaces: [{name: always, bridge: {}}]}}
networks: [{name: always, multus: {networkName: always}}]`,
		rules: []string{"network-renamed"},
	}, {
		name: "a network pinned to a namespace is referenced there",
		spec: `
domain: {devices: {interfaces: [{name: fast, sriov: {}}]}}
networks: [{name: fast, multus: {networkName: storage}}]`,
		want: `
domain: {devices: {interfaces: [{name: fast, sriov: {}}]}}
networks: [{name: fast, multus: {networkName: infra/storage}}]`,
		rules: []string{"network-name-set", "cross-namespace-nad"},
	}, {
		name: "macvtap gets its binding plugin, never the core binding",
		spec: `
domain: {devices: {interfaces: [{name: t, macvtap: {}}]}}
networks: [{name: t, multus: {networkName: tap}}]`,
		want: `
domain: {devices: {interfaces: [{name: t, binding: {name: macvtap}}]}}
networks: [{name: t, multus: {networkName: tap}}]`,
		rules: []string{"discontinued-binding"},
	}, {
		name: "a pod interface without a binding gets podNetwork.binding",
		spec: `
domain: {devices: {interfaces: [{name: default}]}}
networks: [{name: default, pod: {}}]`,
		want: `
domain: {devices: {interfaces: [{name: default, masquerade: {}}]}}
networks: [{name: default, pod: {}}]`,
		rules: []string{"binding-set"},
	}, {
		name:        "the Multus annotation becomes a network and is removed",
		annotations: `k8s.v1.cni.cncf.io/networks: ext-nad`,
		spec: `
domain: {devices: {interfaces: [{name: default, masquerade: {}}]}}
networks: [{name: default, pod: {}}]`,
		want: `
domain:
  devices:
    interfaces:
    - {name: default, masquerade: {}}
    - name: external
      bridge: {}
networks:
- {name: default, pod: {}}
- name: external
  multus:
    networkName: ext-nad`,
		rules: []string{"network-added", "multus-annotation-removed"},
	}, {
		name: "a collision leaves the VM as it is",
		spec: `
domain: {devices: {interfaces: [{name: external, bridge: {}}, {name: ext-nad, bridge: {}}]}}
networks: [{name: external, multus: {networkName: other}}, {name: ext-nad, multus: {networkName: ext-nad}}]`,
		rules: []string{"name-collision", "nad-not-in-input"},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan, node, kind := planFor(t, tc.spec, tc.annotations)
			before := specText(t, node, kind)
			if !plan.Failed() {
				plan.Apply()
			}
			got := specText(t, node, kind)
			want := before
			if tc.want != "" {
				want = normal(t, tc.want)
			}
			if got != want {
				t.Errorf("spec after the edits:\n%s\nwant:\n%s", got, want)
			}
			if r := rules(plan); !slices.Equal(r, tc.rules) && !(len(r) == 0 && len(tc.rules) == 0) {
				t.Errorf("rules %v, want %v", r, tc.rules)
			}
		})
	}
}

func specText(t *testing.T, node *yaml.Node, kind *vm.Kind) string {
	t.Helper()
	b, err := yaml.Marshal(kind.Spec(node))
	if err != nil {
		t.Fatal(err)
	}
	return normal(t, string(b))
}

// normal is YAML as go-yaml writes it, so that cases can be written compactly.
func normal(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	b, err := yaml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The rewrite plans before it edits: a plan that failed has edits nobody runs.
func ExampleMake() {
	var doc yaml.Node
	_ = yaml.Unmarshal([]byte(`apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: db, namespace: vms}
spec:
  domain: {devices: {interfaces: [{name: ext-nad, masquerade: {}}]}}
  networks: [{name: ext-nad, multus: {networkName: ext-nad}}]
`), &doc)
	node := doc.Content[0]
	var decl yaml.Node
	_ = yaml.Unmarshal([]byte("apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetwork\nmetadata: {name: external}\nspec: {type: bridge, bridge: br-ext, nadName: ext-nad}\n"), &decl)
	cfg := config.Load(nil, []config.Item{{Node: decl.Content[0], Obj: &report.Object{Kind: "VMNetwork", Name: "external"}}}, nil)

	kind := vm.Lookup("kubevirt.io/v1", "VirtualMachineInstance")
	spec, _ := vm.ReadSpec(kind.Spec(node), kind.SpecField())
	plan := rewrite.Make(rewrite.Input{Kind: kind, Node: node, Namespace: "vms", Spec: spec,
		Settings: api.DefaultSettings(), Index: &bind.Index{Networks: cfg.Networks}})
	for _, c := range plan.Changes {
		fmt.Println(c.Finding(report.Fix).Message)
	}
	if !plan.Failed() {
		plan.Apply()
	}
	out, _ := yaml.Marshal(kind.Spec(node))
	fmt.Print(string(out))
	// Output:
	// renamed network "ext-nad" to "external"
	// set binding of interface "ext-nad" to bridge (was masquerade) for the bridge network "external"
	// domain: {devices: {interfaces: [{name: external, bridge: {}}]}}
	// networks: [{name: external, multus: {networkName: ext-nad}}]
}
