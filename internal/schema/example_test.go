package schema_test

import (
	"fmt"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/internal/schema"
)

// A VM is held to kubevirt.io/api's shapes: a misspelt field is found with a
// did-you-mean, a value of the wrong type with what it must be.
func ExampleRoot_Check() {
	var doc yaml.Node
	_ = yaml.Unmarshal([]byte("spec:\n  domain:\n    devices:\n      interfaces:\n      - name: default\n        masqurade: {}\n  networks:\n  - name: default\n    pod: {}\n"), &doc)
	for _, p := range schema.KubeVirt(9, "kubevirt.io", "v1", "VirtualMachineInstance").Check(doc.Content[0], schema.Options{}) {
		fmt.Println(p.Path, p.Suggestion)
	}
	// Output:
	// spec.domain.devices.interfaces[0].masqurade masquerade
}
