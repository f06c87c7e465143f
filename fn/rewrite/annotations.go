package rewrite

import (
	"fmt"
	"net"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/bind"
	"github.com/kubevirt-networks/kubevirt-networks/fn/multus"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// newPair is a network + interface made from one annotation element.
type newPair struct {
	name    string
	ref     string
	binding network.Binding
	mac     string
	nad     string // for messages
	// unjudged: an element of a NAD not in the input that spec.networks already
	// attaches; KubeVirt regenerates it, and it says nothing the function could
	// judge.
	unjudged bool
}

// annotations turns a manual k8s.v1.cni.cncf.io/networks annotation into
// spec.networks, all or nothing.
func (p *planner) annotations() {
	meta := p.in.Kind.TemplateMeta(p.in.Node)
	annotations := ynode.Get(meta, "annotations")
	mapField := p.in.Kind.TemplateAnnotationsField()
	if _, ok := ynode.String(annotations, api.MultusDefaultNetworkAnnotation); ok {
		p.warnf(RuleDefaultNetwork, vm.AnnotationField(mapField, api.MultusDefaultNetworkAnnotation),
			"KubeVirt does not manage the %s annotation: it overwrites it when the VM has a Multus default network and otherwise passes it to the pod behind its own pod-network setup; write it as a network with multus: {networkName: <namespace>/<name>, default: true} in place of the pod network", api.MultusDefaultNetworkAnnotation)
	}
	value, ok := ynode.String(annotations, api.MultusNetworksAnnotation)
	if !ok {
		return
	}
	field := vm.AnnotationField(mapField, api.MultusNetworksAnnotation)
	if p.param(value) {
		p.templatedAnnotation(value, field)
		return
	}
	elems, err := multus.Parse(value)
	if err != nil {
		p.errorf(RuleAnnotation, field, "the annotation cannot be parsed (%v), so it is left as it is; write it as a JSON list of network selection elements or as ns/name,name", err)
		return
	}
	for _, e := range elems {
		ns, name, _ := bind.Split(e.Ref(), p.in.Namespace)
		p.plan.RefsBefore = append(p.plan.RefsBefore, NADRef{Namespace: ns, Name: name})
	}
	for _, n := range p.in.Spec.Networks {
		if n.Source == vm.SourceResourceClaim && len(elems) > 0 {
			p.errorf(RuleAnnotation, field, "the VM has DRA (resourceClaim) networks, which KubeVirt cannot mix with Multus networks, so the annotation cannot be carried into spec.networks; remove it by hand")
			return
		}
	}

	taken := map[string]bool{}
	for _, name := range p.final {
		taken[name] = true
	}
	var added []newPair
	var extras []string
	failed := false
	for k, e := range elems {
		pair, carried, ok := p.element(k, e, field)
		if !ok {
			failed = true
			continue
		}
		if pair.unjudged {
			continue
		}
		extras = appendNew(extras, e.Extra...)
		if carried {
			continue
		}
		if taken[pair.name] {
			p.errorf(RuleAnnotation, field, "element %d (%s) would become network %q, but the VM already has a network of that name (or the annotation names that NAD twice); add it to spec.networks by hand", k, e.Ref(), pair.name)
			failed = true
			continue
		}
		taken[pair.name] = true
		added = append(added, pair)
	}
	if len(extras) > 0 {
		p.warnf(RuleAnnotationKeys, field, "the annotation's %s dropped with it (KubeVirt would overwrite the pod's annotation anyway); configure that in the guest (cloud-init) or in the NAD instead", keyList(extras))
	}
	if s := p.in.Spec; len(added) > 0 && implicitPod(s) && p.in.Index.Primary(p.in.Namespace) == nil &&
		p.in.Settings.Cluster.DefaultNetworkInterface == api.PodBridge && !p.in.Settings.Cluster.PermitBridgeInterfaceOnPodNetwork {
		p.errorf(RuleDefaultInterface, field, "the VM has no networks, so KubeVirt attaches the pod network with the cluster's defaultNetworkInterface, bridge, which this cluster does not permit on the pod network: KubeVirt refuses the VM (\"bridge interface is not enabled in kubevirt-config\"), and the annotation cannot be carried; add the pod network with masquerade: {} to the VM, or set spec.cluster.defaultNetworkInterface to the cluster's value")
		failed = true
	}
	if failed {
		return
	}
	p.addPairs(added)
	for _, a := range added {
		p.addedRefs = append(p.addedRefs, a.ref)
	}
	p.change(vm.AreaTemplateAnnotations, report.Change{Rule: RuleAnnotationRemoved, Field: field, Verb: report.Remove,
		What: "the " + api.MultusNetworksAnnotation + " annotation",
		Why:  " (KubeVirt overwrites it, or it adds pod NICs the guest never sees); spec.networks attaches " + countNetworks(len(elems)),
	}, func() {
		ynode.Delete(annotations, api.MultusNetworksAnnotation)
		if len(annotations.Content) == 0 {
			ynode.Delete(meta, "annotations")
			if len(meta.Content) == 0 && len(p.in.Kind.TemplateMetaPath) > 1 {
				ynode.Delete(ynode.Path(p.in.Node, p.in.Kind.TemplateMetaPath[:len(p.in.Kind.TemplateMetaPath)-1]...), "metadata")
			}
		}
	})
}

// templatedAnnotation reads an annotation that holds a template parameter: it is
// left in place (what it attaches is known only once the template is processed),
// and says so where a stream user reads it; the networks its other elements name
// are in use.
func (p *planner) templatedAnnotation(value, field string) {
	for _, item := range strings.Split(value, ",") {
		if strings.Contains(item, "${") {
			continue
		}
		elems, err := multus.Parse(strings.TrimSpace(item))
		if err != nil || len(elems) != 1 {
			continue
		}
		if c := p.in.Index.Resolve(elems[0].Ref(), p.in.Namespace).Network; c != nil {
			p.plan.Uses = append(p.plan.Uses, Use{Network: c, NoNAD: true})
		}
	}
	p.warnf(RuleAnnotation, field, "the annotation holds a template parameter, so what it attaches is known only once the template is processed; it is left in place: fill in the parameters (oc process, clusterctl generate cluster) and run the function on the result, or write its networks in spec.networks")
}

// finalRef is the reference network i ends with.
func (p *planner) finalRef(i int) string {
	if c := p.declared(i); c != nil {
		return p.targetRef(i, c)
	}
	return p.in.Spec.Networks[i].NetworkName
}

// element binds one annotation element: to an existing network (carried), or to a new pair.
func (p *planner) element(k int, e multus.Element, field string) (newPair, bool, bool) {
	m := p.in.Index.Resolve(e.Ref(), p.in.Namespace)
	switch {
	case m.Conflict != "":
		p.errorf(RuleAnnotation, field, "element %d: %s", k, m.Conflict)
		return newPair{}, false, false
	case !m.Found() && p.namedInNetworks(e.Ref()):
		// KubeVirt builds the pod's annotation from spec.networks, which already
		// attaches this NAD: the element is redundant whatever the NAD is.
		return newPair{unjudged: true}, true, true
	case !m.Found():
		// The annotation works as it is (it attaches a pod NIC, or KubeVirt drops
		// it): leaving it is a correct output, so this is no error.
		p.warnf(RuleAnnotation, field, "element %d names NAD %q, which is not in the input, so the function cannot tell its binding and leaves the annotation in place; declare the NAD as a VMNetwork (generate: false for a NAD managed elsewhere) to have it carried into spec.networks", k, e.Ref())
		return newPair{}, false, false
	}
	for i := range p.in.Spec.Networks {
		if p.matches[i].Same(m) {
			p.carryMAC(i, e, field)
			return newPair{}, true, true
		}
	}
	refused := (m.Network != nil && !m.Network.Valid && network.Refused(m.Network.Spec.Type)) || (m.NAD != nil && m.NAD.Family() == network.FamilyRefused)
	if refused && p.podNATOnly() {
		// No VM interface binds to the NAD: the launcher pod gets the NIC, and
		// the guest reaches that network through the pod's NAT. It works.
		p.warnf(RuleAnnotation, field, "element %d (%s) adds a NIC of a CNI no KubeVirt binding carries traffic on to the VM's launcher pod; the VM has only the pod network with masquerade, so the guest reaches that network through the pod's NAT, not as an interface of its own: the annotation is kept as it works; for an interface of its own, declare a bridge, macvtap or SR-IOV network", k, e.Ref())
		return newPair{}, false, false
	}
	switch {
	case m.Network != nil && !m.Network.Valid:
		if network.Refused(m.Network.Spec.Type) {
			p.errorf(RuleRefusedCNI, field, "element %d uses %s of type %s: %s", k, m.Network.Source(), m.Network.Spec.Type, network.RefusedAlternatives)
		} else {
			p.errorf(RuleInvalidNetwork, field, "element %d uses %s, which has errors (see its results)", k, m.Network.Source())
		}
		return newPair{}, false, false
	case m.NAD != nil && m.NAD.Family() == network.FamilyRefused:
		p.errorf(RuleRefusedCNI, field, "element %d uses NAD %s of CNI type %s: %s", k, m.NAD.Ref(), m.NAD.CNIType, network.RefusedAlternatives)
		return newPair{}, false, false
	case m.NAD != nil && m.NAD.Family() == network.FamilyUnknown:
		p.warnf(RuleAnnotation, field, "element %d uses NAD %s of CNI type %q, for which the function knows no binding, so the annotation is left in place; declare it as a VMNetwork with generate: false and the right type to have it carried into spec.networks", k, m.NAD.Ref(), m.NAD.CNIType)
		return newPair{}, false, false
	}
	if c := m.Network; c != nil {
		nadNS := p.nadNamespace(e.Ref(), m, c)
		if nadNS == "" && network.IsOVN(c.Spec.Type) && m.Via == nil {
			p.errorf(RuleNamespaceUnknown, field, "element %d uses OVN network %q, whose NAD needs a namespace in netAttachDefName, but neither the VM nor %s names one; set spec.namespace on the network, or give the namespace the VMs land in (spec.defaultNamespace, --namespace)", k, c.Logical, c.Source())
			return newPair{}, false, false
		}
		p.plan.Uses = append(p.plan.Uses, Use{Network: c, Namespace: nadNS, Unstated: p.unstated(e.Ref(), c)})
		ref := c.NADName
		if _, _, bare := bind.Split(e.Ref(), ""); !bare && c.Namespace == "" && p.in.NamespaceUnstated {
			// The annotation named the namespace the VM lands in: keep it named.
			ref = e.Ref()
		}
		if c.Namespace != "" && c.Namespace != p.in.Namespace {
			ref = c.Namespace + "/" + c.NADName
			p.crossNamespace(field, c.Logical, c)
		}
		return newPair{name: c.Logical, ref: ref, binding: c.Binding(), mac: e.MAC, nad: e.Ref()}, false, true
	}
	name := strings.ReplaceAll(m.NAD.Name, ".", "-")
	return newPair{name: name, ref: e.Ref(), binding: network.BindingForFamily(m.NAD.Family()), mac: e.MAC, nad: e.Ref()}, false, true
}

// namedInNetworks reports whether a Multus network of the VM already names the
// NAD ref does (in the VM's namespace where either is bare).
func (p *planner) namedInNetworks(ref string) bool {
	ns, name, _ := bind.Split(ref, p.in.Namespace)
	for _, n := range p.in.Spec.Networks {
		if n.Source != vm.SourceMultus {
			continue
		}
		if nns, nname, _ := bind.Split(n.NetworkName, p.in.Namespace); nns == ns && nname == name {
			return true
		}
	}
	return false
}

// podNATOnly reports whether the VM's one network is the pod network with
// masquerade (written, or the binding the function gives it).
func (p *planner) podNATOnly() bool {
	s := p.in.Spec
	if len(s.Networks) != 1 || s.Networks[0].Source != vm.SourcePod {
		return false
	}
	for _, i := range s.Interfaces {
		if i.Name == s.Networks[0].Name {
			return i.HasBinding("masquerade") || (len(i.Bindings) == 0 && i.Plugin == "" && p.in.Settings.PodBinding == api.PodMasquerade)
		}
	}
	return false
}

// carryMAC copies an element's MAC to the interface that already attaches its network.
func (p *planner) carryMAC(i int, e multus.Element, field string) {
	if e.MAC == "" || p.netIface[i] < 0 {
		return
	}
	iface := &p.in.Spec.Interfaces[p.netIface[i]]
	if iface.MAC != "" {
		if !sameMAC(iface.MAC, e.MAC) {
			p.warnf(RuleMACConflict, p.ifaceField(iface, ".macAddress"), "the annotation asks MAC %s for NAD %s, but interface %q has macAddress %s, which KubeVirt uses; the annotation's MAC is dropped", e.MAC, e.Ref(), iface.Name, iface.MAC)
		}
		return
	}
	node, mac := iface.Node, e.MAC
	p.change(vm.AreaNetworks, report.Change{Rule: RuleMACCopied, Field: p.ifaceField(iface, ".macAddress"), Verb: report.Set,
		What: "macAddress of interface " + quote(iface.Name), To: mac, Why: " from the annotation",
	}, func() { ynode.Set(node, "macAddress", quoted(mac)) })
}

func sameMAC(a, b string) bool {
	x, errA := net.ParseMAC(a)
	y, errB := net.ParseMAC(b)
	if errA != nil || errB != nil {
		return strings.EqualFold(a, b)
	}
	return x.String() == y.String()
}

// addPairs appends the new networks and interfaces, after an explicit pod network
// when the VM relied on KubeVirt's implicit one.
func (p *planner) addPairs(added []newPair) {
	if len(added) == 0 {
		return
	}
	s := p.in.Spec
	spec := s.Node
	if implicitPod(s) {
		// The pod network KubeVirt attached, with the binding it gave it: the
		// cluster's defaultNetworkInterface, not the function's choice for new ones.
		b := podBinding(p.in.Settings.Cluster.DefaultNetworkInterface)
		if p.in.Index.Primary(p.in.Namespace) != nil {
			b = udnBinding(p.in.Settings.Cluster)
		}
		p.change(vm.AreaNetworks, report.Change{Rule: RuleNetworkAdded, Field: p.prefix + ".networks", Verb: report.Add,
			What: `the pod network "default" with ` + b.String(),
			Why:  ", which KubeVirt attaches implicitly to a VM without networks, so the VM keeps its primary NIC",
		}, func() {
			net := ynode.NewMap()
			ynode.Set(net, "name", ynode.NewString("default"))
			ynode.Set(net, "pod", ynode.NewMap())
			seqPrepend(ynode.EnsureSeq(spec, "networks"), net)
			seqPrepend(interfacesSeq(spec), interfaceNode("default", b, ""))
		})
	}
	for _, a := range added {
		a := a
		p.change(vm.AreaNetworks, report.Change{Rule: RuleNetworkAdded, Field: p.prefix + ".networks", Verb: report.Add,
			What: "network and interface " + quote(a.name) + " (" + a.binding.String() + ")",
			Why:  " for NAD " + quote(a.ref) + " from the " + api.MultusNetworksAnnotation + " annotation",
		}, func() {
			net := ynode.NewMap()
			ynode.Set(net, "name", ynode.NewString(a.name))
			m := ynode.NewMap()
			ynode.Set(m, "networkName", ynode.NewString(a.ref))
			ynode.Set(net, "multus", m)
			seq := ynode.EnsureSeq(spec, "networks")
			seq.Content = append(seq.Content, net)
			ifs := interfacesSeq(spec)
			ifs.Content = append(ifs.Content, interfaceNode(a.name, a.binding, a.mac))
		})
	}
}

// implicitPod reports whether KubeVirt attaches a pod network itself: a VM without
// networks and interfaces, unless autoattachPodInterface is false.
func implicitPod(s *vm.Spec) bool {
	return len(s.Networks) == 0 && len(s.Interfaces) == 0 && (s.AutoattachPod == nil || *s.AutoattachPod)
}

func interfacesSeq(spec *yaml.Node) *yaml.Node {
	return ynode.EnsureSeq(ynode.Ensure(ynode.Ensure(spec, "domain"), "devices"), "interfaces")
}

func interfaceNode(name string, b network.Binding, mac string) *yaml.Node {
	iface := ynode.NewMap()
	ynode.Set(iface, "name", ynode.NewString(name))
	writeBinding(iface, b)
	if mac != "" {
		ynode.Set(iface, "macAddress", quoted(mac))
	}
	return iface
}

func seqPrepend(seq, n *yaml.Node) {
	seq.Content = append([]*yaml.Node{n}, seq.Content...)
}

// inertAnnotations warns about Multus annotations where they never reach the pod.
func (p *planner) inertAnnotations() {
	for _, path := range p.in.Kind.InertMetaPaths {
		meta := ynode.Path(p.in.Node, path...)
		annotations := ynode.Get(meta, "annotations")
		mapField := strings.Join(append(append([]string{}, path...), "annotations"), ".")
		for _, key := range []string{api.MultusNetworksAnnotation, api.MultusDefaultNetworkAnnotation} {
			if _, ok := ynode.String(annotations, key); ok {
				p.warnf(RuleInertAnnotation, vm.AnnotationField(mapField, key), "the %s annotation here has no effect on the launcher pod (KubeVirt builds the pod from %s); it is left in place: remove it and declare the networks in spec.networks", key, p.in.Kind.TemplateAnnotationsField())
			}
		}
	}
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}

func keyList(keys []string) string {
	if len(keys) == 1 {
		return "key " + quote(keys[0]) + " has no place in KubeVirt's spec.networks and is"
	}
	return "keys " + quoteList(keys) + " have no place in KubeVirt's spec.networks and are"
}

func countNetworks(n int) string {
	switch n {
	case 0:
		return "everything it asked for (it named no network)"
	case 1:
		return "its network"
	}
	return fmt.Sprintf("all %d of its networks", n)
}

// quoted writes a MAC address quoted: YAML 1.1 readers take some unquoted MACs for base-60 numbers.
func quoted(s string) *yaml.Node {
	n := ynode.NewString(s)
	n.Style = yaml.DoubleQuotedStyle
	return n
}
