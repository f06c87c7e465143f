package vm_test

import (
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
)

// One registry knows where each kind keeps its VM spec; ReadSpec reads the
// networks and interfaces there, with their bindings.
func ExampleReadSpec() {
	var doc yaml.Node
	_ = yaml.Unmarshal([]byte(`apiVersion: infrastructure.cluster.x-k8s.io/v1alpha1
kind: KubevirtMachine
spec:
  virtualMachineTemplate:
    spec:
      template:
        spec:
          domain:
            devices:
              interfaces:
              - {name: default, masquerade: {}}
              - {name: lan, bridge: {}}
          networks:
          - {name: default, pod: {}}
          - {name: lan, multus: {networkName: vms/lan}}
`), &doc)
	kind := vm.Lookup("infrastructure.cluster.x-k8s.io/v1alpha1", "KubevirtMachine")
	spec, problems := vm.ReadSpec(kind.Spec(doc.Content[0]), kind.SpecField())
	fmt.Println(kind.SpecField(), len(problems))
	for _, n := range spec.Networks {
		fmt.Println(n.Name, n.Source, n.NetworkName, spec.Interfaces[n.Index].Bindings)
	}
	// Output:
	// spec.virtualMachineTemplate.spec.template.spec 0
	// default pod  [masquerade]
	// lan multus vms/lan [bridge]
}
