package check

// The checks of network sources and their counts: KubeVirt's pkg/network/admitter/netsource.go and validator.go (v1.9.0).

import (
	"fmt"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

func (c *checker) counts() {
	for _, list := range []struct {
		name string
		n    int
	}{{c.in.Prefix + ".networks", len(c.in.Spec.Networks)}, {c.in.Prefix + ".domain.devices.interfaces", len(c.in.Spec.Interfaces)}} {
		if list.n > 256 {
			c.add(RuleTooMany, list.name, fmt.Sprintf(msgTooMany, list.name, list.n), "split the VM or drop unused networks")
		}
	}
}

// defaultInterface: KubeVirt gives a VM without networks a pod network with the
// cluster's defaultNetworkInterface, and refuses the VM when that is bridge on a
// cluster that does not permit bridge on the pod network.
func (c *checker) defaultInterface() {
	s := c.in.Spec
	if len(s.Networks) == 0 && len(s.Interfaces) == 0 && (s.AutoattachPod == nil || *s.AutoattachPod) &&
		c.in.Cluster.DefaultNetworkInterface == api.PodBridge && !c.in.Cluster.PermitBridgeInterfaceOnPodNetwork {
		c.add(RuleDefaultInterface, c.in.Prefix+".networks", msgDefaultBridge, "add the pod network with masquerade (networks: [{name: default, pod: {}}], interfaces: [{name: default, masquerade: {}}]), or set the cluster's defaultNetworkInterface to masquerade")
	}
}

func (c *checker) sources() {
	s := c.in.Spec
	pods, defaults := 0, 0
	for _, n := range s.Networks {
		if !ynode.IsNull(ynode.Get(n.Node, "pod")) {
			pods++
		}
		if n.Default {
			defaults++
		}
	}
	if pods > 1 {
		c.add(RulePodNetworkCount, c.in.Prefix+".interfaces", fmt.Sprintf(msgManyPodNetworks, c.in.Prefix+".interfaces"), "keep one network with pod: {}; attach the others through Multus")
	}
	if defaults > 1 {
		c.add(RuleMultusDefault, c.in.Prefix+".networks", msgManyMultusDefaults, "keep default: true on one network only")
	}
	if pods > 0 && defaults > 0 {
		c.add(RuleMultusDefault, c.in.Prefix+".networks", msgPodAndMultusDefault, "remove the pod network, or default: true from the Multus network")
	}
	seen := map[string]bool{}
	reportedName := false
	for i, n := range s.Networks {
		switch n.Source {
		case vm.SourceNone:
			c.add(RuleNetworkSource, c.netField(i, ""), msgNoNetworkType, "give it pod: {} or multus: {networkName: <nad>}")
		case vm.SourceMany:
			c.add(RuleNetworkSource, c.netField(i, ""), msgManyNetworkTypes, "keep exactly one of pod, multus and resourceClaim")
		case vm.SourceMultus:
			if n.NetworkName == "" && !reportedName {
				// KubeVirt reports only the first such network.
				reportedName = true
				c.add(RuleMultusNetworkName, c.netField(i, ""), msgNoNetworkName, "set multus.networkName to the NAD, <name> or <namespace>/<name>")
			}
		}
		if seen[n.Name] {
			c.add(RuleNetworkNameUnique, c.netField(i, ".name"), fmt.Sprintf(msgDuplicateNetwork, n.Name), "rename one of them and its interface")
		}
		seen[n.Name] = true
	}
}
