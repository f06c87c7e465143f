package bind_test

import (
	"fmt"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/bind"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
)

// A reference resolves as KubeVirt resolves it (a bare name in the VM's namespace),
// then binds to a declared network by its NAD or logical name, or to a NAD in the
// input, whose CNI type then decides the binding.
func ExampleIndex_Resolve() {
	external := &network.Network{Logical: "external", NADName: "ext-nad", Valid: true, Spec: api.NetworkSpec{Type: api.TypeBridge}}
	ix := &bind.Index{
		Networks: []*network.Network{external},
		NADs:     []*nad.Item{{Name: "fast", Namespace: "vms", CNIType: "sriov"}},
	}
	for _, ref := range []string{"ext-nad", "vms/ext-nad", "external", "fast", "other/fast", "missing"} {
		m := ix.Resolve(ref, "vms")
		switch {
		case m.Network != nil:
			fmt.Printf("%-12s network %s\n", ref, m.Network.Logical)
		case m.NAD != nil:
			fmt.Printf("%-12s NAD %s (%s)\n", ref, m.NAD.Ref(), m.NAD.CNIType)
		default:
			fmt.Printf("%-12s nothing\n", ref)
		}
	}
	// Output:
	// ext-nad      network external
	// vms/ext-nad  network external
	// external     network external
	// fast         NAD vms/fast (sriov)
	// other/fast   nothing
	// missing      nothing
}
