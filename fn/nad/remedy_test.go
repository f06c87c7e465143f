package nad

import (
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
)

// Every remedy for a NAD's resourceName request names a field the network's
// type takes (never extraConfig, which holds CNI keys), or says the NAD must be
// kept as it is.
func TestResourceNameFix(t *testing.T) {
	yes := true
	for _, tc := range []struct {
		name string
		spec api.NetworkSpec
		have string
		want string
	}{
		{"sriov, another device", api.NetworkSpec{Type: api.TypeSRIOV, ResourceName: "intel.com/a"}, "intel.com/b", "write resourceName: intel.com/b"},
		{"sriov, none", api.NetworkSpec{Type: api.TypeSRIOV, ResourceName: "intel.com/a"}, "", "set generate: false to keep the NAD as it is (no sriov network derives that resource request)"},
		{"bridge, no marker in the NAD", api.NetworkSpec{Type: api.TypeBridge, Bridge: "br1", BridgeMarker: &yes}, "", "write bridgeMarker: false"},
		{"bridge, its own marker", api.NetworkSpec{Type: api.TypeBridge, Bridge: "br1"}, "bridge.network.kubevirt.io/br1", "write bridgeMarker: true"},
		{"bridge, another bridge's marker", api.NetworkSpec{Type: api.TypeBridge, Bridge: "br1"}, "bridge.network.kubevirt.io/br2", "set generate: false to keep the NAD as it is (no bridge network derives that resource request)"},
		{"macvtap, a lower device", api.NetworkSpec{Type: api.TypeMacvtap, ResourceName: "x.io/y"}, "macvtap.network.kubevirt.io/eth1", "write lowerDevice: eth1 and remove resourceName"},
		{"macvtap, a resource", api.NetworkSpec{Type: api.TypeMacvtap, LowerDevice: "eth1"}, "x.io/y", "write resourceName: x.io/y and remove lowerDevice"},
		{"custom, none", api.NetworkSpec{Type: api.TypeCustom, ResourceName: "x.io/y"}, "", "remove resourceName"},
		{"ovs", api.NetworkSpec{Type: api.TypeOVS, Bridge: "br1"}, "ovs-cni.network.kubevirt.io/br1", "set generate: false to keep the NAD as it is (no ovs network derives that resource request)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := &network.Network{Logical: "net", Spec: tc.spec}
			if got := ResourceNameFix(n, tc.have); got != tc.want {
				t.Errorf("ResourceNameFix = %q, want %q", got, tc.want)
			}
		})
	}
}
