package config

import (
	"fmt"
	"strings"
	"testing"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
)

// load reads one VMNetwork written as YAML (metadata and spec), with kustomize's
// previous names when given.
func load(t *testing.T, doc string) Config {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetwork\n"+doc), &n); err != nil {
		t.Fatal(err)
	}
	return Load(nil, []Item{{Node: n.Content[0], Obj: &report.Object{Kind: "VMNetwork", Name: "x"}}}, nil)
}

// A VMNetwork in, its effective names or its errors out (rule and field).
func TestLoadNetwork(t *testing.T) {
	cases := []struct {
		name, doc string
		want      string // "logical/nad" of the network, or "rule field" of each error
	}{
		{"defaults", "metadata: {name: lan}\nspec: {type: bridge, bridge: br0}", "lan/lan"},
		{"nadName", "metadata: {name: lan}\nspec: {type: bridge, bridge: br0, nadName: lan-nad}", "lan/lan-nad"},
		{"a kustomize prefix names the NAD, not the network", "metadata:\n  name: prod-lan\n  annotations: {internal.config.kubernetes.io/previousNames: 'lan,lan'}\nspec: {type: bridge, bridge: br0}", "lan/prod-lan"},
		{"a field of another type", "metadata: {name: lan}\nspec: {type: bridge, bridge: br0, resourceName: a/b}", "config-field-not-for-type spec.resourceName"},
		{"an unknown field", "metadata: {name: lan}\nspec: {type: bridge, bridge: br0, vlanId: 3}", "config-unknown-field spec.vlanId"},
		{"a missing field", "metadata: {name: lan}\nspec: {type: sriov}", "config-missing-field spec.resourceName"},
		{"no spec", "metadata: {name: lan}", "config-missing-field spec"},
		{"a spec with nothing under it, as a template renders it", "metadata: {name: lan}\nspec:", "config-missing-field spec"},
		{"out of range", "metadata: {name: lan}\nspec: {type: bridge, bridge: br0, vlan: 5000}", "config-invalid-value spec.vlan"},
		{"a wrong type", "metadata: {name: lan}\nspec: {type: bridge, bridge: br0, vlan: ten}", "config-wrong-type spec.vlan"},
		{"the pod network's name", "metadata: {name: default}\nspec: {type: bridge, bridge: br0}", "config-invalid-value metadata.name"},
		{"macvlan is refused", "metadata: {name: lan}\nspec: {type: macvlan}", "cni-macvlan-ipvlan spec.type"},
		{"extraConfig may not set a derived key", "metadata: {name: lan}\nspec: {type: bridge, bridge: br0, extraConfig: {vlan: 3}}", "config-invalid-value spec.extraConfig.vlan"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := load(t, tc.doc)
			var got []string
			for _, e := range cfg.Findings {
				if e.Severity == krm.Error {
					got = append(got, e.Rule.ID+" "+e.Field)
				}
			}
			if len(got) == 0 && len(cfg.Networks) == 1 {
				got = []string{fmt.Sprintf("%s/%s", cfg.Networks[0].Logical, cfg.Networks[0].NADName)}
			}
			if strings.Join(got, "; ") != tc.want {
				t.Errorf("got %q, want %q", strings.Join(got, "; "), tc.want)
			}
		})
	}
}

// An inline network entry with nothing in it (a template whose values were not
// set) is an error at its index, like an entry of `{}`: never silently skipped.
func TestLoadEmptyInlineNetwork(t *testing.T) {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetworks\nspec:\n  networks:\n  -\n  - {name: lan, type: bridge, bridge: br0}\n"), &n); err != nil {
		t.Fatal(err)
	}
	cfg := Load(&Item{Node: n.Content[0], Obj: &report.Object{Kind: "VMNetworks"}}, nil, nil)
	var got []string
	for _, e := range cfg.Findings {
		got = append(got, fmt.Sprintf("%s %s %s", e.Severity, e.Rule.ID, e.Field))
	}
	if want := "error config-missing-field spec.networks[0]"; strings.Join(got, "; ") != want || cfg.Usable {
		t.Errorf("got %q (usable %v), want %q and not usable", got, cfg.Usable, want)
	}
}
