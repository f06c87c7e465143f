package config_test

import (
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/config"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
)

// A VMNetwork item becomes a network with its defaults applied: the NAD name is
// the item's name, and without spec.namespace each VM namespace gets its own NAD.
func ExampleLoad() {
	var doc yaml.Node
	_ = yaml.Unmarshal([]byte("apiVersion: kubevirt-networks.io/v1alpha1\nkind: VMNetwork\nmetadata:\n  name: lab\nspec:\n  type: bridge\n  bridge: br-lab\n  vlan: 10\n"), &doc)
	item := config.Item{Node: doc.Content[0], Obj: &report.Object{Kind: "VMNetwork", Name: "lab"}}
	cfg := config.Load(nil, []config.Item{item}, nil)
	n := cfg.Networks[0]
	fmt.Println(cfg.Usable, n.Logical, n.NADName, n.Namespace == "", n.CNIType(), n.Binding())
	// Output:
	// true lab lab true bridge bridge
}
