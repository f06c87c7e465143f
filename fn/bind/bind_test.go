package bind

import (
	"strings"
	"testing"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
)

func net(logical, nadName, ns string, t api.NetworkType) *network.Network {
	return &network.Network{Logical: logical, NADName: nadName, Namespace: ns, Valid: true, Spec: api.NetworkSpec{Type: t},
		Declared: &report.Object{Kind: api.KindVMNetwork, Name: logical}}
}

func userNAD(ns, name, cni string) *nad.Item {
	return &nad.Item{Name: name, Namespace: ns, CNIType: cni}
}

// Resolution in its order: NAD name in the NAD's namespace for this VM,
// then the logical name (bare references only), then a user NAD.
func TestResolve(t *testing.T) {
	ext := net("external", "ext-nad", "", api.TypeBridge)
	pinned := net("provider", "prov-nad", "infra", api.TypeBridge)
	ix := &Index{Networks: []*network.Network{ext, pinned}, NADs: []*nad.Item{
		userNAD("vms", "sriov-net", "sriov"), userNAD("vms", "external", "bridge"), userNAD("vms", "ext-nad", "sriov"),
	}}
	cases := []struct {
		ref, vmNS string
		network   *network.Network
		nad       string
		conflict  string
	}{
		{ref: "ext-nad", vmNS: "apps", network: ext},
		{ref: "apps/ext-nad", vmNS: "apps", network: ext},
		{ref: "other/ext-nad", vmNS: "apps"},
		{ref: "provider", vmNS: "apps", network: pinned},
		{ref: "infra/prov-nad", vmNS: "apps", network: pinned},
		{ref: "prov-nad", vmNS: "apps"}, // bare: resolves to apps/prov-nad, which is not the pinned NAD
		{ref: "sriov-net", vmNS: "vms", nad: "vms/sriov-net"},
		{ref: "external", vmNS: "vms", conflict: "names both the logical network"},
		{ref: "ext-nad", vmNS: "vms", conflict: "has CNI type \"sriov\""},
		{ref: "nothing", vmNS: "vms"},
	}
	for _, tc := range cases {
		m := ix.Resolve(tc.ref, tc.vmNS)
		switch {
		case tc.conflict != "":
			if !strings.Contains(m.Conflict, tc.conflict) {
				t.Errorf("%s from %s: conflict %q, want one containing %q", tc.ref, tc.vmNS, m.Conflict, tc.conflict)
			}
		case m.Conflict != "":
			t.Errorf("%s from %s: unexpected conflict %q", tc.ref, tc.vmNS, m.Conflict)
		case m.Network != tc.network:
			t.Errorf("%s from %s: network %v, want %v", tc.ref, tc.vmNS, m.Network, tc.network)
		case tc.nad != "" && (m.NAD == nil || m.NAD.Ref() != tc.nad):
			t.Errorf("%s from %s: NAD %v, want %s", tc.ref, tc.vmNS, m.NAD, tc.nad)
		case tc.nad == "" && m.NAD != nil:
			t.Errorf("%s from %s: unexpected NAD %s", tc.ref, tc.vmNS, m.NAD.Ref())
		}
	}
}

// One NAD reached by two routes is one reference: a namespace-less VM's bare
// reference names a declared network by its logical name and the user NAD that
// network puts in default by its own name (the 2023 OVN layer2 blog post). A CNI
// type the function does not know is never a mismatch with itself.
func TestResolveOneNADTwoRoutes(t *testing.T) {
	l2 := net("l2-network", "l2-network", "default", api.TypeOVNLayer2)
	other := net("l2-other", "l2-other", "other", api.TypeOVNLayer2)
	ptp := net("ptp-net", "ptp-net", "vms", api.TypeCustom)
	ptp.Spec.CNIConfig = []byte(`{"type":"ptp"}`)
	ptp.Spec.Binding = "bridge"
	ix := &Index{Networks: []*network.Network{l2, other, ptp}, NADs: []*nad.Item{
		userNAD("default", "l2-network", network.OVNCNIType), userNAD("default", "l2-other", network.OVNCNIType), userNAD("vms", "ptp-net", "ptp"),
	}}
	if m := ix.Resolve("l2-network", ""); m.Conflict != "" || m.Network != l2 || m.Via == nil || m.Via.Namespace != "default" {
		t.Errorf("l2-network from an unknown namespace: %+v, want the network, via default/l2-network", m)
	}
	// The NAD in default is not the one l2-other puts in other: two NADs, ambiguous.
	if m := ix.Resolve("l2-other", ""); !strings.Contains(m.Conflict, "names both") {
		t.Errorf("l2-other from an unknown namespace: %+v, want an ambiguity", m)
	}
	if m := ix.Resolve("ptp-net", "vms"); m.Conflict != "" || m.Network != ptp {
		t.Errorf("ptp-net: %+v, want the custom network", m)
	}
	// A namespace-less VM's <ns>/<nad> reference may be its own namespace's.
	unpinned := net("vlan100", "vlan100", "", api.TypeBridge)
	ix = &Index{Networks: []*network.Network{unpinned}}
	if m := ix.Resolve("tenant-a/vlan100", ""); m.Network != unpinned {
		t.Errorf("tenant-a/vlan100 from an unknown namespace: %+v, want the unpinned network", m)
	}
	if m := ix.Resolve("tenant-a/vlan100", "tenant-b"); m.Network != nil {
		t.Errorf("tenant-a/vlan100 from tenant-b: %+v, want no match (its NAD is in tenant-b)", m)
	}
}
