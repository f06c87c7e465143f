package rewrite

import (
	krm "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// udnBinding is how KubeVirt attaches a VM to a primary Layer2 user-defined
// network: the l2bridge binding plugin, or passtBinding.
func udnBinding(c api.Cluster) network.Binding {
	if c.PrimaryUDNBinding == api.UDNPasst {
		return network.Binding{Method: network.MethodPasstBinding}
	}
	return network.Binding{Method: network.MethodPlugin, Plugin: api.L2BridgePlugin}
}

// primaryUDN gives the pod interface of a VM in a namespace whose primary network
// is an OVN-Kubernetes Layer2 UDN the binding KubeVirt attaches it with: masquerade
// or bridge there would not reach the UDN.
func (p *planner) primaryUDN(iface *vm.Interface, udn *network.Network) {
	want := udnBinding(p.in.Settings.Cluster)
	why := "on the pod network of a namespace whose primary network is " + udn.Source() + ", which KubeVirt attaches with " + want.String() + " (spec.cluster.primaryUDNBinding)"
	switch {
	case len(iface.Bindings) == 0:
		p.bindTo(iface, want, RuleBindingSet, krm.Info, why)
	case len(iface.Bindings) > 1, iface.HasBinding("masquerade"), iface.HasBinding("bridge"), iface.HasBinding("sriov"),
		iface.HasBinding("slirp"), iface.HasBinding("macvtap"), iface.HasBinding("passt"):
		p.bindTo(iface, want, RulePodBindingReplaced, krm.Warning, why+"; the binding it had does not reach the user-defined network")
	}
	// The l2bridge plugin and passtBinding both work there; other plugins are the user's.
}

// bindless gives a pod interface without a binding the one KubeVirt would give it,
// or leaves it to the VM's preference where that is known to fill masquerade.
func (p *planner) bindless(iface *vm.Interface, want network.Binding) {
	ref, has := p.in.Kind.Preference(p.in.Node)
	if !has {
		p.bindTo(iface, want, RuleBindingSet, krm.Info, "on the pod network (spec.podNetwork.binding)")
		return
	}
	inInput, masquerade := false, false
	if p.in.Preferences != nil && !ref.Inferred {
		inInput, masquerade = p.in.Preferences(ref, p.in.Namespace)
	}
	what := preferenceName(ref)
	switch {
	case inInput && masquerade:
		p.infof(RulePreference, p.ifaceField(iface, ""), "pod interface %q has no binding; the VM's preference %s sets devices.preferredInterfaceMasquerade, so KubeVirt gives it masquerade", iface.Name, what)
	case inInput:
		p.bindTo(iface, want, RuleBindingSet, krm.Info, "on the pod network (spec.podNetwork.binding): the VM's preference "+what+" does not set devices.preferredInterfaceMasquerade, and KubeVirt v1.9 refuses an interface without a binding")
	default:
		// The preference may set the field, or not: writing the binding is the one
		// outcome KubeVirt admits either way (the same result when it is masquerade).
		node := iface.Node
		p.change(vm.AreaNetworks, report.Change{Rule: RuleBindingSet, Field: p.ifaceField(iface, ""), Verb: report.Set, Advisory: true,
			What: "binding of interface " + quote(iface.Name), To: want.String(), From: describeBindings(iface),
			Why: " on the pod network (spec.podNetwork.binding): the VM's preference " + what + " is not in the input, and KubeVirt v1.9 admits an interface without a binding only if that preference sets devices.preferredInterfaceMasquerade",
		}, func() { writeBinding(node, want) })
	}
}

func preferenceName(ref vm.PreferenceRef) string {
	kind := "VirtualMachinePreference"
	if ref.Cluster {
		kind = "VirtualMachineClusterPreference"
	}
	if ref.Inferred {
		return "(inferred from a volume)"
	}
	return kind + " " + quote(ref.Name)
}

func podBinding(b api.PodBinding) network.Binding {
	return network.Binding{Method: network.Method(b)}
}

// podInterfaces gives the pod network's interface a binding KubeVirt accepts there.
func (p *planner) podInterfaces() {
	s := p.in.Spec
	for i := range s.Networks {
		if s.Networks[i].Source != vm.SourcePod || p.netIface[i] < 0 {
			continue
		}
		p.podInterface(&s.Interfaces[p.netIface[i]])
	}
}

func (p *planner) podInterface(iface *vm.Interface) {
	set := p.in.Settings
	want := podBinding(set.PodBinding)
	if len(iface.Bindings) == 1 && iface.Bindings[0] == "binding" && iface.Plugin == api.PasstPlugin {
		// Said in every namespace: a primary user-defined network keeps the plugin too.
		p.warnf(RulePasstPlugin, p.ifaceField(iface, ".binding"), "pod interface %q uses the passt binding plugin, which KubeVirt v1.8 replaced by the core binding passtBinding: {} (PasstBinding feature gate, Beta, on by default upstream in v1.9); it is kept: move to passtBinding when convenient, as the plugin's sidecar is no longer released", iface.Name)
	}
	if udn := p.in.Index.Primary(p.in.Namespace); udn != nil {
		p.primaryUDN(iface, udn)
		return
	}
	replace := func(why string) { p.bindTo(iface, want, RulePodBindingReplaced, krm.Warning, why) }
	enforce := func() {
		if set.Enforce && iface.Bindings[0] != string(want.Method) {
			p.bindTo(iface, want, RuleBindingSet, krm.Info, "as spec.podNetwork.enforce asks")
		}
	}
	if len(iface.Bindings) == 0 {
		p.bindless(iface, want)
		return
	}
	if len(iface.Bindings) > 1 {
		replace("on the pod network: KubeVirt v1.9 accepts exactly one binding per interface")
		return
	}
	switch iface.Bindings[0] {
	case "sriov":
		replace("on the pod network: SR-IOV works only on a Multus network backed by a VF")
	case "binding":
		switch {
		case p.in.MacvtapPlugins[iface.Plugin]:
			replace("on the pod network: the macvtap binding plugin works only on Multus networks")
		}
	case "slirp":
		p.bindTo(iface, network.Binding{Method: network.MethodMasquerade}, RuleDiscontinued, krm.Warning,
			"on the pod network: core slirp was discontinued in KubeVirt v1.3; to keep user-mode networking register the slirp network binding plugin and use binding: {name: slirp} instead")
	case "passt":
		if set.Cluster.PasstBindingFeatureGate {
			p.bindTo(iface, network.Binding{Method: network.MethodPasstBinding}, RuleDiscontinued, krm.Warning,
				"on the pod network: core passt was discontinued in KubeVirt v1.3 and passtBinding replaces it since v1.8; it needs the PasstBinding feature gate (Beta, on by default upstream in v1.9, off under HCO) and adds 250Mi of memory overhead")
		} else {
			p.bindTo(iface, want, RuleDiscontinued, krm.Warning, "on the pod network: core passt was discontinued in KubeVirt v1.3 and the cluster has no PasstBinding feature gate")
		}
	case "macvtap":
		p.bindTo(iface, want, RuleDiscontinued, krm.Warning, "on the pod network: core macvtap was discontinued in KubeVirt v1.3 and macvtap never works on the pod network")
	case "bridge":
		if !set.Cluster.PermitBridgeInterfaceOnPodNetwork {
			replace("on the pod network: the cluster does not permit bridge on the pod network (\"Bridge on pod network configuration is not enabled under kubevirt-config\")")
			return
		}
		if set.Enforce && set.PodBinding != api.PodBridge {
			enforce()
			return
		}
		annotations := ynode.StringMap(ynode.Get(p.in.Kind.TemplateMeta(p.in.Node), "annotations"))
		if _, ok := annotations[api.AllowPodBridgeMigrationAnnotation]; !ok {
			p.warnf(RulePodBridge, p.ifaceField(iface, ".bridge"), "pod interface %q uses bridge binding, which blocks live migration unless the template carries the %s annotation; prefer masquerade (or set spec.podNetwork.enforce to rewrite it)", iface.Name, api.AllowPodBridgeMigrationAnnotation)
		}
	case "passtBinding":
		if !set.Cluster.PasstBindingFeatureGate {
			replace("on the pod network: the cluster has no PasstBinding feature gate (\"PasstBinding feature gate is not enabled\")")
			return
		}
		enforce()
	case "masquerade":
		enforce()
	}
}
