package check

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/names"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// Input is one VM to check.
type Input struct {
	Prefix  string // the VMI spec's dotted path (spec, spec.template.spec, …)
	Spec    *vm.Spec
	Cluster api.Cluster
	// PreferenceMayFill: KubeVirt fills a masquerade binding from the VM's preference
	// before validating, and the preference does (or, not in the input, may), so a
	// pod interface without binding is not judged here.
	PreferenceMayFill bool
	// Templated: the VM is an object of an OpenShift Template, where a value
	// holding a ${PARAMETER} is known only once the template is processed.
	Templated bool
}

// param reports whether a value is a template parameter, never judged.
func (c *checker) param(v string) bool { return c.in.Templated && strings.Contains(v, "${") }

type checker struct {
	in        Input
	findings  []report.Finding
	netByName map[string]*vm.NetworkEntry
}

func (c *checker) add(rule report.Rule, field, kubevirtMsg, fix string) {
	msg := kubevirtMsg
	if fix != "" {
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
		msg += " Fix: " + fix + "."
	}
	c.findings = append(c.findings, report.Finding{Rule: rule, Field: field, Message: msg, Severity: krm.Error})
}

func (c *checker) ifaceField(i int, rest string) string {
	return vm.InterfaceField(c.in.Prefix, i, rest)
}

func (c *checker) netField(i int, rest string) string { return vm.NetworkField(c.in.Prefix, i, rest) }

// VM runs every network admission rule KubeVirt v1.9 applies on create.
func VM(in Input) []report.Finding {
	c := &checker{in: in, netByName: map[string]*vm.NetworkEntry{}}
	s := in.Spec
	for i := range s.Networks {
		if _, dup := c.netByName[s.Networks[i].Name]; !dup {
			c.netByName[s.Networks[i].Name] = &s.Networks[i]
		}
	}
	c.counts()
	c.defaultInterface()
	c.sources()
	c.pairing()
	for i := range s.Interfaces {
		c.iface(&s.Interfaces[i])
	}
	c.bootOrder()
	c.probes()
	c.dra()
	return c.findings
}

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

var interfaceName = regexp.MustCompile(`^[A-Za-z0-9-_]+$`)

var models = map[string]bool{"e1000": true, "e1000e": true, "igb": true, "ne2k_pci": true, "pcnet": true, "rtl8139": true, "virtio": true}

// coreBindings are the binding methods counted by v1.9's "exactly one binding" rule;
// the discontinued fields do not count.
var coreBindings = []string{"bridge", "masquerade", "sriov", "passtBinding", "binding"}

func (c *checker) iface(iface *vm.Interface) {
	idx := iface.Index
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
		fix := "give it one of bridge: {}, masquerade: {}, sriov: {}, passtBinding: {} or binding: {name: <plugin>}"
		if count > 1 {
			fix = "keep only the binding its network needs"
		}
		c.add(RuleBindingCount, c.ifaceField(idx, ""), fmt.Sprintf(msgExactlyOneBinding, iface.Name), fix)
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
	if has("passtBinding") {
		if !c.in.Cluster.PasstBindingFeatureGate {
			c.add(RulePasstBinding, nameField, msgPasstGate, "enable the PasstBinding feature gate or use masquerade")
		}
		if !onPod {
			c.add(RulePasstBinding, nameField, msgPasstNotPod, "use bridge: {} on a Multus network")
		}
	}
	for _, d := range []struct{ key, msg, fix string }{
		{"slirp", msgSlirpDiscontinued, "use masquerade, or the slirp binding plugin: binding: {name: slirp}"},
		{"passt", msgPasstDiscontinued, "use passtBinding: {}"},
		{"macvtap", msgMacvtapDiscontinued, "use the macvtap binding plugin: binding: {name: macvtap}"},
	} {
		if has(d.key) {
			c.add(RuleDiscontinued, c.ifaceField(idx, "."+d.key), d.msg, d.fix)
		}
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

var pciAddress = regexp.MustCompile(`^([\da-fA-F]{4}):([\da-fA-F]{2}):([\da-fA-F]{2})\.([0-7]{1})$`)

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
	if len(dra) == 0 {
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

func intValue(n *yaml.Node) (int64, bool) {
	n = ynode.Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return 0, false
	}
	v, err := strconv.ParseInt(n.Value, 0, 64)
	return v, err == nil
}

func sameMAC(a, b string) bool {
	x, errA := net.ParseMAC(a)
	y, errB := net.ParseMAC(b)
	return errA == nil && errB == nil && x.String() == y.String()
}
