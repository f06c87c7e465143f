package nad_test

import (
	"fmt"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
)

// Derivation is pure: a network and a namespace in, one NAD out, its CNI keys in a
// fixed order (cniVersion, name, type, then the network's fields).
func ExampleDerive() {
	vlan := int64(100)
	n := &network.Network{Logical: "external", NADName: "ext-nad", Valid: true, Generate: true,
		Spec: api.NetworkSpec{Type: api.TypeBridge, Bridge: "br-ext", VLAN: &vlan}}
	d := nad.Derive(n, "vms")
	fmt.Println(d.Namespace + "/" + d.Name)
	fmt.Println(d.Labels["app.kubernetes.io/managed-by"], d.Annotations["kubevirt-networks.io/network"])
	fmt.Print(d.Config)
	// Output:
	// vms/ext-nad
	// kubevirt-networks external
	// {
	//   "cniVersion": "0.3.1",
	//   "name": "ext-nad",
	//   "type": "bridge",
	//   "bridge": "br-ext",
	//   "vlan": 100,
	//   "preserveDefaultVlan": false
	// }
}
