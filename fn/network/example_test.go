package network_test

import (
	"fmt"

	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
)

// A NAD's CNI type decides the binding KubeVirt needs on it; macvlan and ipvlan
// get none (no KubeVirt binding carries traffic there).
func ExampleFamilyOf() {
	for _, t := range []string{"bridge", "cnv-bridge", "ovn-k8s-cni-overlay", "sriov", "macvtap", "macvlan", "ptp"} {
		fmt.Printf("%-20s %q\n", t, network.BindingForFamily(network.FamilyOf(t)).String())
	}
	// Output:
	// bridge               "bridge"
	// cnv-bridge           "bridge"
	// ovn-k8s-cni-overlay  "bridge"
	// sriov                "sriov"
	// macvtap              "binding {name: macvtap}"
	// macvlan              ""
	// ptp                  ""
}
