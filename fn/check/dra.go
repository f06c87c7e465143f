package check

// The checks of DRA (resourceClaim) networks: KubeVirt's pkg/network/admitter/dra.go (v1.9.0).

import (
	"fmt"

	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

func (c *checker) dra() {
	s := c.in.Spec
	var dra []int
	multus := false
	for i, n := range s.Networks {
		switch n.Source {
		case vm.SourceResourceClaim:
			dra = append(dra, i)
		case vm.SourceMultus:
			multus = true
		}
	}
	// Before v1.9 resourceClaim is an unknown field, which the schema check reports.
	if len(dra) == 0 || !c.in.Cluster.Release().HasDRANetworks() {
		return
	}
	if !c.in.Cluster.NetworkDevicesWithDRAFeatureGate {
		c.add(RuleDRA, c.in.Prefix+".networks", msgDRAGate, "enable the NetworkDevicesWithDRA feature gate (Alpha) or use Multus")
		return
	}
	if multus {
		c.add(RuleDRA, c.in.Prefix+".networks", msgDRAMixed, "use either Multus or DRA networks")
	}
	claims := map[string]bool{}
	if rc := ynode.Get(s.Node, "resourceClaims"); ynode.IsSeq(rc) {
		for _, cl := range rc.Content {
			claims[ynode.Str(cl, "name")] = true
		}
	}
	seen := map[string]bool{}
	for _, i := range dra {
		n := s.Networks[i]
		rc := ynode.Get(n.Node, "resourceClaim")
		claim, req := ynode.Str(rc, "claimName"), ynode.Str(rc, "requestName")
		f := c.netField(i, ".resourceClaim")
		if claim == "" {
			c.add(RuleDRA, f+".claimName", msgDRAClaimName, "")
		} else if !claims[claim] {
			c.add(RuleDRA, f+".claimName", fmt.Sprintf(msgDRAUndefinedClaim, claim), "declare it in spec.resourceClaims")
		}
		if req == "" {
			c.add(RuleDRA, f+".requestName", msgDRARequestName, "")
		}
		if key := claim + "/" + req; claim != "" && req != "" {
			if seen[key] {
				c.add(RuleDRA, f, fmt.Sprintf(msgDRADuplicate, claim, req), "each DRA network needs its own request")
			}
			seen[key] = true
		}
		for _, iface := range s.Interfaces {
			if iface.Name == n.Name && !iface.HasBinding("sriov") && !iface.HasBinding("binding") {
				c.add(RuleDRA, c.ifaceField(iface.Index, ""), fmt.Sprintf(msgDRABinding, n.Name), "use sriov: {} or a binding plugin")
			}
		}
	}
}
