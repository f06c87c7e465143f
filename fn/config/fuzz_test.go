package config

import (
	"slices"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/names"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
)

// FuzzLoad reads any YAML document both as a VMNetwork item and as the function
// config: never a panic; every problem is an error with a message at a field; a
// network declared valid has a known type and valid names; a broken function
// config is never usable.
//
//	go test ./fn/config -run '^$' -fuzz '^FuzzLoad$' -fuzztime 60s
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetwork\nmetadata: {name: ext}\nspec: {type: bridge, bridge: br0, vlan: 10, ipam: {type: static}}\n",
		"apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetworks\nspec:\n  mode: validate\n  podNetwork: {binding: bridge}\n  networks: [{name: a, type: sriov, resourceName: x/y}]\n  cluster: {permitBridgeInterfaceOnPodNetwork: false}\n",
		"apiVersion: v1\nkind: ConfigMap\ndata: {mode: fix, enforce: \"true\"}\n",
		"apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetwork\nmetadata: {name: c}\nspec: {type: custom, binding: bridge, cniConfig: {type: kube-ovn, server_socket: /run/x}}\n",
		"apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetwork\nmetadata: {name: o}\nspec: {type: ovs, bridge: br1, trunk: [{id: 4}, {minID: 10, maxID: 20}]}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		var doc yaml.Node
		if yaml.Unmarshal(input, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			return
		}
		node := doc.Content[0]
		obj := &report.Object{APIVersion: "x", Kind: "VMNetwork", Name: "x"}
		cfg := Load(&Item{Node: node, Obj: obj}, []Item{{Node: node, Obj: obj}}, nil)
		for _, e := range cfg.Findings {
			if e.Message == "" || e.Rule.ID == "" {
				t.Fatalf("a finding without rule or message: %+v", e)
			}
		}
		if !cfg.Usable && !cfg.Findings.HasErrors() {
			t.Fatalf("the function config is unusable, but no error says why")
		}
		for _, n := range cfg.Networks {
			if !n.Valid {
				continue
			}
			if !slices.Contains(api.NetworkTypes, n.Spec.Type) || network.Refused(n.Spec.Type) {
				t.Fatalf("a valid network of type %q", n.Spec.Type)
			}
			if len(names.DNS1123Label(n.Logical)) > 0 || n.Logical == "default" || len(names.DNS1123Subdomain(n.NADName)) > 0 {
				t.Fatalf("a valid network with names %q, %q", n.Logical, n.NADName)
			}
		}
	})
}
