package check

// The checks of what KubeVirt's VMI admitter checks of the networks beside the network admitter: boot order and probes, pkg/virt-api/webhooks/validating-webhook/admitters/vmi-create-admitter.go (v1.9.0).

import (
	"fmt"

	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// bootOrder checks interface boot orders against each other and the disks'.
func (c *checker) bootOrder() {
	used := map[int64]bool{}
	devices := ynode.Path(c.in.Spec.Node, "domain", "devices")
	if disks := ynode.Get(devices, "disks"); ynode.IsSeq(disks) {
		for _, d := range disks.Content {
			if n, ok := intValue(ynode.Get(d, "bootOrder")); ok && n >= 1 {
				used[n] = true
			}
		}
	}
	for _, iface := range c.in.Spec.Interfaces {
		n, ok := intValue(ynode.Get(iface.Node, "bootOrder"))
		if !ok {
			continue
		}
		if n < 1 {
			// KubeVirt's message names "<prefix>[i]" (sic, without domain.devices.interfaces).
			c.add(RuleBootOrder, c.ifaceField(iface.Index, ".bootOrder"), fmt.Sprintf(msgBootOrderPositive, fmt.Sprintf("%s[%d]", c.in.Prefix, iface.Index)), "boot orders start at 1")
			continue
		}
		if used[n] {
			f := c.ifaceField(iface.Index, ".bootOrder")
			c.add(RuleBootOrder, f, fmt.Sprintf(msgBootOrderDuplicate, f), "give every disk and interface its own boot order")
		}
		used[n] = true
	}
}

// probes: HTTP and TCP probes reach the guest through the pod network.
func (c *checker) probes() {
	s := c.in.Spec
	pod := len(s.Networks) == 0 && len(s.Interfaces) == 0 && (s.AutoattachPod == nil || *s.AutoattachPod)
	for _, n := range s.Networks {
		if n.Source == vm.SourcePod {
			pod = true
		}
	}
	if pod {
		return
	}
	for _, probe := range []string{"readinessProbe", "livenessProbe"} {
		for _, kind := range []string{"httpGet", "tcpSocket"} {
			if ynode.IsMap(ynode.Path(s.Node, probe, kind)) {
				f := c.in.Prefix + "." + probe + "." + kind
				c.add(RuleProbe, f, fmt.Sprintf(msgProbeNeedsPod, f), "attach the pod network or use an exec/guest-agent probe")
			}
		}
	}
}
