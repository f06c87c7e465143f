package check

// The checks of interfaces, their pairing with networks, names, states, fields, ports and DHCP options: KubeVirt's pkg/network/admitter/netiface.go, binding.go, passt.go and macvtap.go (v1.9.0).

import (
	"fmt"
	"net"
	"slices"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/names"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

func (c *checker) pairing() {
	s := c.in.Spec
	ifaces := map[string]bool{}
	for _, iface := range s.Interfaces {
		ifaces[iface.Name] = true
	}
	for i, n := range s.Networks {
		if !ifaces[n.Name] && !c.param(n.Name) {
			f := c.netField(i, ".name")
			c.add(RulePairing, f, fmt.Sprintf(msgNotFound, f, n.Name), "every network needs an interface of the same name")
		}
	}
	seen := map[string]bool{}
	for _, iface := range s.Interfaces {
		f := c.ifaceField(iface.Index, ".name")
		if seen[iface.Name] {
			c.add(RuleInterfaceUnique, f, msgDuplicateInterface, "interface names must be unique")
		}
		seen[iface.Name] = true
		if c.netByName[iface.Name] == nil && !c.param(iface.Name) {
			c.add(RulePairing, f, fmt.Sprintf(msgNotFound, f, iface.Name), "every interface needs a network of the same name")
		}
	}
}

func (c *checker) iface(iface *vm.Interface) {
	idx := iface.Index
	rel := c.in.Cluster.Release()
	nameField := c.ifaceField(idx, ".name")
	net := c.netByName[iface.Name]
	// KubeVirt asks "has a pod source", which a network with two sources also has.
	onPod := net != nil && !ynode.IsNull(ynode.Get(net.Node, "pod"))
	onDefault := onPod || (net != nil && net.Default)

	if !interfaceName.MatchString(iface.Name) && !c.param(iface.Name) {
		c.add(RuleInterfaceName, nameField, msgInterfaceNameFormat, "rename the interface and its network")
	}
	count := 0
	for _, b := range iface.Bindings {
		if slices.Contains(coreBindings, b) {
			count++
		}
	}
	preferenceFills := count == 0 && onPod && c.in.PreferenceMayFill
	if count != 1 && !preferenceFills {
		c.bindingCount(iface, count)
	}
	has := iface.HasBinding
	if has("masquerade") && !onPod {
		c.add(RuleMasquerade, nameField, msgMasqueradeNotPod, "use bridge: {} (or the binding the NAD's CNI needs) on a Multus network")
	}
	switch {
	case !has("masquerade") || iface.MAC == "":
	case iface.MAC == reservedMAC:
		c.add(RuleMasquerade, c.ifaceField(idx, ".macAddress"), msgReservedMAC, "choose another MAC, e.g. 02:00:00:00:00:01")
	case sameMAC(iface.MAC, reservedMAC):
		// KubeVirt compares the text, so it admits this spelling; the in-pod bridge
		// still uses the address.
		c.findings = append(c.findings, report.Finding{Rule: RuleReservedMACSpelling, Field: c.ifaceField(idx, ".macAddress"), Severity: krm.Warning,
			Message: fmt.Sprintf("macAddress %s is %s, which KubeVirt reserves for the in-pod bridge of masquerade; KubeVirt admits this spelling, but the guest and the bridge would share the address: choose another MAC", iface.MAC, reservedMAC)})
	}
	if has("bridge") && onPod && !c.in.Cluster.PermitBridgeInterfaceOnPodNetwork {
		c.add(RuleBridgeOnPod, nameField, msgBridgeOnPod, "use masquerade on the pod network")
	}
	// Before v1.8 passtBinding is an unknown field, which the schema check reports.
	if has("passtBinding") && rel.HasPasstBindingField() {
		if !c.in.Cluster.PasstBindingFeatureGate {
			c.add(RulePasstBinding, nameField, msgPasstGate, "enable the PasstBinding feature gate or use masquerade")
		}
		if !onPod {
			c.add(RulePasstBinding, nameField, msgPasstNotPod, "use bridge: {} on a Multus network")
		}
	}
	c.discontinued(iface)
	if has("binding") && rel.BindingPluginsNeedGate() {
		c.pluginGate(iface)
	}
	c.state(iface, onDefault)
	c.fields(iface, onPod)
}

func (c *checker) state(iface *vm.Interface, onDefault bool) {
	f := c.ifaceField(iface.Index, ".state")
	switch {
	case c.param(iface.State):
		return
	}
	switch iface.State {
	case "":
	case "up", "down":
		if rel := c.in.Cluster.Release(); !rel.LinkStateUpDown() {
			c.add(RuleInterfaceState, f, fmt.Sprintf(msgStateUnsupported, iface.Name, iface.State), fmt.Sprintf("link state up and down exist from KubeVirt v1.5; KubeVirt %s knows only absent: remove state", rel))
			return
		}
		if iface.HasBinding("sriov") {
			c.add(RuleInterfaceState, f, fmt.Sprintf(msgStateSRIOV, iface.Name, iface.State), "remove state from the SR-IOV interface")
		}
	case "absent":
		if !iface.HasBinding("bridge") {
			c.add(RuleInterfaceState, f, fmt.Sprintf(msgAbsentNeedsBridge, iface.Name, iface.State), "only bridge interfaces can be hot-unplugged; remove the interface and its network instead (the VM needs a restart)")
		}
		if onDefault {
			c.add(RuleInterfaceState, f, fmt.Sprintf(msgAbsentOnDefault, iface.Name, iface.State), "the primary interface cannot be unplugged")
		}
	default:
		c.add(RuleInterfaceState, f, fmt.Sprintf(msgStateUnsupported, iface.Name, iface.State), "use up, down or absent")
	}
}

func (c *checker) fields(iface *vm.Interface, onPod bool) {
	idx := iface.Index
	node := iface.Node
	nameField := c.ifaceField(idx, ".name")
	if model := ynode.Str(node, "model"); model != "" && !models[model] && !c.param(model) {
		c.add(RuleModel, c.ifaceField(idx, ".model"), fmt.Sprintf(msgModel, nameField, model), "use virtio, e1000, e1000e, igb, ne2k_pci, pcnet or rtl8139")
	}
	if mac := iface.MAC; mac != "" && !c.param(mac) {
		hw, err := net.ParseMAC(mac)
		switch {
		case err != nil:
			c.add(RuleMAC, c.ifaceField(idx, ".macAddress"), fmt.Sprintf(msgMalformedMAC, nameField, mac), "write it as 02:00:00:00:00:01")
		case len(hw) > 6:
			c.add(RuleMAC, c.ifaceField(idx, ".macAddress"), fmt.Sprintf(msgLongMAC, nameField, mac), "an Ethernet MAC has 6 bytes")
		}
	}
	if pci := ynode.Str(node, "pciAddress"); pci != "" && !pciAddress.MatchString(pci) && !c.param(pci) {
		c.add(RulePCI, c.ifaceField(idx, ".pciAddress"), fmt.Sprintf(msgMalformedPCI, nameField, pci), "write it as DDDD:BB:SS.F with a function 0-7, e.g. 0000:81:00.1")
	}
	ports := ynode.Get(node, "ports")
	ranges := ynode.Get(node, "portRanges")
	if !c.in.Cluster.Release().HasPortRanges() {
		ranges = nil // an unknown field before v1.9: the schema check reports it
	}
	if ynode.IsSeq(ranges) && len(ranges.Content) > 0 && !c.in.Cluster.PortRangesSpecFeatureGate {
		c.add(RulePortRanges, nameField, msgPortRangesGate, "enable the PortRangesSpec feature gate or use ports")
	}
	if onPod {
		if ports != nil && ranges != nil && !ynode.IsNull(ports) && !ynode.IsNull(ranges) {
			c.add(RulePortRanges, nameField, fmt.Sprintf(msgPortsAndRanges, nameField), "keep ports or portRanges")
		}
		c.ports(idx, ports)
		if ynode.IsSeq(ranges) && len(ranges.Content) > 0 {
			if !iface.HasBinding("masquerade") {
				c.add(RulePortRanges, nameField, fmt.Sprintf(msgPortRangesMasquerade, nameField), "use masquerade or drop portRanges")
			}
			c.portRanges(idx, ranges)
		}
	}
	c.dhcp(idx, ynode.Get(node, "dhcpOptions"))
}

func (c *checker) ports(idx int, ports *yaml.Node) {
	if !ynode.IsSeq(ports) {
		return
	}
	portNames := map[string]bool{}
	for p, port := range ports.Content {
		f := c.ifaceField(idx, fmt.Sprintf(".ports[%d]", p))
		if name := ynode.Str(port, "name"); name != "" {
			if portNames[name] {
				c.add(RulePorts, f+".name", fmt.Sprintf(msgPortDuplicateName, name), "port names must be unique")
			}
			if !names.ValidPortName(name) {
				c.add(RulePorts, f+".name", fmt.Sprintf(msgPortInvalidName, name), "use at most 15 lowercase letters, digits and dashes, with a letter")
			}
			portNames[name] = true
		}
		if c.param(ynode.Str(port, "port")) {
			continue
		}
		n, _ := intValue(ynode.Get(port, "port"))
		if n == 0 {
			c.add(RulePorts, f, msgPortMandatory, "set port")
		}
		// KubeVirt's bound is > 65536, not >= (sic): 65536 itself passes admission.
		if n < 0 || n > 65536 {
			c.add(RulePorts, f, msgPortRange, "use 1 to 65535")
		}
		if proto := ynode.Str(port, "protocol"); proto != "" && proto != "TCP" && proto != "UDP" {
			c.add(RulePorts, f+".protocol", msgPortProtocol, "use TCP or UDP")
		}
	}
}

func (c *checker) portRanges(idx int, ranges *yaml.Node) {
	if len(ranges.Content) > 10 {
		c.add(RulePortRanges, c.ifaceField(idx, ".portRanges"), msgPortRangesTooMany, "merge ranges")
	}
	type interval struct{ start, end int64 }
	byProto := map[string][]interval{}
	var protos []string
	for r, pr := range ranges.Content {
		f := c.ifaceField(idx, fmt.Sprintf(".portRanges[%d]", r))
		proto := ynode.Str(pr, "protocol")
		switch proto {
		case "TCP", "UDP":
		case "":
			proto = "TCP"
		default:
			c.add(RulePortRanges, f+".protocol", msgPortProtocol, "use TCP or UDP")
		}
		start, _ := intValue(ynode.Get(pr, "start"))
		end, _ := intValue(ynode.Get(pr, "end"))
		if start <= 0 || start >= 65536 {
			c.add(RulePortRanges, f+".start", msgPortRangeStart, "")
		}
		if end <= 0 || end >= 65536 {
			c.add(RulePortRanges, f+".end", msgPortRangeEnd, "")
		}
		if start > end {
			c.add(RulePortRanges, f+".start", msgPortRangeOrder, "")
		}
		if _, seen := byProto[proto]; !seen {
			protos = append(protos, proto)
		}
		byProto[proto] = append(byProto[proto], interval{start, end})
	}
	for _, proto := range protos {
		list := byProto[proto]
		for i := range list {
			for j := i + 1; j < len(list); j++ {
				a, b := list[i], list[j]
				if a.start <= b.end && b.start <= a.end {
					c.add(RulePortRanges, c.ifaceField(idx, ".portRanges"), fmt.Sprintf(msgPortRangeOverlap, proto, a.start, a.end, b.start, b.end), "make the ranges disjoint")
				}
			}
		}
	}
}

func (c *checker) dhcp(idx int, dhcp *yaml.Node) {
	if !ynode.IsMap(dhcp) {
		return
	}
	f := c.ifaceField(idx, ".dhcpOptions")
	if opts := ynode.Get(dhcp, "privateOptions"); ynode.IsSeq(opts) {
		seen := map[int64]bool{}
		dup := false
		for o, opt := range opts.Content {
			n, _ := intValue(ynode.Get(opt, "option"))
			if seen[n] {
				dup = true
			}
			seen[n] = true
			if n < 224 || n > 254 {
				c.add(RuleDHCP, fmt.Sprintf("%s.privateOptions[%d]", f, o), msgDHCPRange, "private options are 224 to 254")
			}
		}
		if dup {
			c.add(RuleDHCP, f, msgDHCPDuplicate, "list each private option once")
		}
	}
	if ntp := ynode.Get(dhcp, "ntpServers"); ynode.IsSeq(ntp) {
		for i, s := range ntp.Content {
			if ip := net.ParseIP(s.Value); ip == nil || ip.To4() == nil {
				c.add(RuleDHCP, fmt.Sprintf("%s.ntpServers[%d]", f, i), msgDHCPNTP, "use IPv4 addresses")
			}
		}
	}
}

// bindingCount judges an interface without exactly one binding as the target
// release does: v1.9 refuses it; before, KubeVirt refuses only a plugin beside a
// method, and an interface without a binding is admitted but never set up.
func (c *checker) bindingCount(iface *vm.Interface, count int) {
	rel := c.in.Cluster.Release()
	passt := ""
	if rel.HasPasstBindingField() {
		passt = ", passtBinding: {}"
	}
	fix := "give it one of bridge: {}, masquerade: {}, sriov: {}" + passt + " or binding: {name: <plugin>}"
	if count > 1 {
		fix = "keep only the binding its network needs"
	}
	field := c.ifaceField(iface.Index, "")
	switch {
	case rel.ExactlyOneBinding():
		c.add(RuleBindingCount, field, fmt.Sprintf(msgExactlyOneBinding, iface.Name), fix)
	case count == 0 && slices.ContainsFunc(vm.DiscontinuedBindings, iface.HasBinding):
		// Before v1.9 a discontinued field counts as a binding; its own error says the rest.
	case count == 0:
		c.add(RuleBindingCount, field, fmt.Sprintf("interface %s has no binding: KubeVirt %s admits it, but virt-handler cannot set it up (\"undefined binding method\") and the VM never starts with this network", iface.Name, rel), fix)
	case iface.HasBinding("binding"):
		c.add(RuleBindingCount, c.ifaceField(iface.Index, ".binding"), fmt.Sprintf(msgPluginAndMethod, iface.Name), fix)
	default:
		c.findings = append(c.findings, report.Finding{Rule: RuleBindingCount, Field: field, Severity: krm.Warning,
			Message: fmt.Sprintf("interface %s has %d binding methods: KubeVirt %s admits it but can set up only one, and v1.9 refuses it. Fix: %s.", iface.Name, count, rel, fix)})
	}
}

// discontinued refuses the core slirp, passt and macvtap fields as the target
// release does: through their discontinued gates up to v1.7, by name from v1.8.
func (c *checker) discontinued(iface *vm.Interface) {
	rel := c.in.Cluster.Release()
	passtFix := "use passtBinding: {}"
	if !rel.HasPasstBindingField() {
		passtFix = fmt.Sprintf("KubeVirt %s has no passtBinding field: use the passt binding plugin, binding: {name: passt}", rel)
	}
	for _, d := range []struct{ key, msg, gateMsg, fix string }{
		{"slirp", msgSlirpDiscontinued, "", "use masquerade, or the slirp binding plugin: binding: {name: slirp}"},
		{"passt", msgPasstDiscontinued, msgPasstGateOld, passtFix},
		{"macvtap", msgMacvtapDiscontinued, msgMacvtapGateOld, "use the macvtap binding plugin: binding: {name: macvtap}"},
	} {
		if !iface.HasBinding(d.key) {
			continue
		}
		if d.gateMsg != "" && rel.DiscontinuedByGate() {
			// Refused through the gate, at the interface's name.
			c.add(RuleDiscontinued, c.ifaceField(iface.Index, ".name"), d.gateMsg, d.fix)
			continue
		}
		c.add(RuleDiscontinued, c.ifaceField(iface.Index, "."+d.key), d.msg, d.fix)
	}
}

// pluginGate: KubeVirt v1.4 admits a binding plugin only with the Beta gate
// NetworkBindingPlugins, which a KubeVirt CR in the input may state.
func (c *checker) pluginGate(iface *vm.Interface) {
	field := c.ifaceField(iface.Index, ".binding")
	if c.in.Cluster.Gates != nil { // a KubeVirt CR in the input lists the gates
		if !c.in.Cluster.Gates[gateBindingPlugins] {
			c.add(RuleBindingPluginGate, field, msgPluginGate, "enable the NetworkBindingPlugins feature gate in the KubeVirt CR's developerConfiguration.featureGates (Beta in v1.4, GA from v1.5)")
		}
		return
	}
	c.findings = append(c.findings, report.Finding{Rule: RuleBindingPluginGate, Field: field, Severity: krm.Warning,
		Message: fmt.Sprintf("interface %s uses binding plugin %q: KubeVirt v1.4 admits binding plugins only with the NetworkBindingPlugins feature gate (Beta), which the input does not show; make sure the KubeVirt CR lists it in developerConfiguration.featureGates", iface.Name, iface.Plugin)})
}

const gateBindingPlugins = "NetworkBindingPlugins"
