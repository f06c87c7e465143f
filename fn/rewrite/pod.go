package rewrite

import (
	"fmt"
	"slices"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/release"
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
		p.bindTo(iface, want, RuleBindingSet, krm.Info, "on the pod network (spec.podNetwork.binding): the VM's preference "+what+" does not set devices.preferredInterfaceMasquerade, and "+noBinding(p.in.Settings.Cluster.Release()))
	default:
		// The preference may set the field, or not: writing the binding is the one
		// outcome KubeVirt admits either way (the same result when it is masquerade).
		node := iface.Node
		p.change(vm.AreaNetworks, report.Change{Rule: RuleBindingSet, Field: p.ifaceField(iface, ""), Verb: report.Set, Advisory: true,
			What: "binding of interface " + quote(iface.Name), To: want.String(), From: describeBindings(iface),
			Why: " on the pod network (spec.podNetwork.binding): the VM's preference " + what + " is not in the input, and without a binding the interface works only if that preference sets devices.preferredInterfaceMasquerade",
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
	if len(iface.Bindings) == 1 && iface.Bindings[0] == "binding" && iface.Plugin == api.PasstPlugin && set.Cluster.Release().HasPasstBindingField() {
		// Said in every namespace: a primary user-defined network keeps the plugin too.
		p.warnf(RulePasstPlugin, p.ifaceField(iface, ".binding"), "pod interface %q uses the passt binding plugin, which KubeVirt v1.8 replaced by the core binding passtBinding: {} (PasstBinding feature gate, Beta, on by default from v1.9); it is kept: move to passtBinding when convenient%s", iface.Name, unstated(set.Cluster, "on v1.4 to v1.7 the plugin is the only passt"))
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
		replace("on the pod network: " + oneBinding(set.Cluster.Release()))
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
		p.passt(iface, want)
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
		if rel := set.Cluster.Release(); !rel.HasPasstBindingField() {
			p.passt(iface, want)
			return
		}
		if !set.Cluster.PasstBindingFeatureGate {
			replace("on the pod network: the cluster has no PasstBinding feature gate (\"PasstBinding feature gate is not enabled\")")
			return
		}
		enforce()
	case "masquerade":
		enforce()
	}
}

// passt gives a pod interface that asks for passt (the discontinued core field,
// or passtBinding where the release has no such field) the passt the target
// release offers: passtBinding from v1.8 where its gate is on, the passt binding
// plugin before v1.8 unless the cluster's registered plugins leave it out, and
// the pod binding otherwise.
func (p *planner) passt(iface *vm.Interface, want network.Binding) {
	c := p.in.Settings.Cluster
	rel := c.Release()
	what := "core passt was discontinued in KubeVirt v1.3"
	if iface.HasBinding("passtBinding") {
		what = fmt.Sprintf("KubeVirt %s has no passtBinding field (it exists from v1.8)", rel)
	}
	switch {
	case rel.HasPasstBindingField() && c.PasstBindingFeatureGate:
		p.bindTo(iface, network.Binding{Method: network.MethodPasstBinding}, RuleDiscontinued, krm.Warning,
			"on the pod network: "+what+" and passtBinding replaces it from v1.8; it needs the PasstBinding feature gate (Beta, on by default from v1.9, off under HCO) and adds 250Mi of memory overhead"+
				unstated(c, "KubeVirt v1.4 to v1.7 have no passtBinding field, and there the passt binding plugin is written instead"))
	case rel.HasPasstBindingField():
		p.bindTo(iface, want, RuleDiscontinued, krm.Warning, fmt.Sprintf("on the pod network: %s and the cluster has no PasstBinding feature gate (Beta in KubeVirt %s, on only where the KubeVirt CR lists it)", what, rel))
	case c.BindingPlugins != nil && !slices.Contains(c.BindingPlugins, api.PasstPlugin):
		p.bindTo(iface, want, RuleDiscontinued, krm.Warning, fmt.Sprintf("on the pod network: %s, KubeVirt %s has no passtBinding field, and the cluster registers no passt binding plugin (registered: %s)", what, rel, strings.Join(c.BindingPlugins, ", ")))
	default:
		gate := ""
		if rel.BindingPluginsNeedGate() {
			gate = ", with the NetworkBindingPlugins feature gate enabled (Beta in v1.4)"
		}
		p.bindTo(iface, network.Binding{Method: network.MethodPlugin, Plugin: api.PasstPlugin}, RuleDiscontinued, krm.Warning,
			fmt.Sprintf("on the pod network: %s, and KubeVirt %s has no passtBinding field, so the passt binding plugin is used instead; it must be registered in the KubeVirt CR (network.binding.passt, with KubeVirt's network-passt-binding sidecar image of the same release)%s", what, rel, gate))
	}
}

// unstated adds, where no one said which KubeVirt release the cluster runs, that
// the change assumed v1.9 and names the setting that decides it.
func unstated(c api.Cluster, otherwise string) string {
	if c.ReleaseStated() {
		return ""
	}
	return "; this assumes KubeVirt v1.9 because spec.cluster.kubevirtVersion is not set (" + otherwise + "): set it to the release the cluster runs"
}

// oneBinding says what the target release does with an interface of several bindings.
func oneBinding(rel release.Minor) string {
	if rel.ExactlyOneBinding() {
		return fmt.Sprintf("KubeVirt %s accepts exactly one binding per interface", rel)
	}
	return fmt.Sprintf("KubeVirt %s does not refuse several bindings on one interface, but only one can be set up, and v1.9 refuses it", rel)
}

// noBinding says what the target release does with an interface without a binding.
func noBinding(rel release.Minor) string {
	if rel.ExactlyOneBinding() {
		return fmt.Sprintf("KubeVirt %s refuses an interface without a binding", rel)
	}
	return fmt.Sprintf("KubeVirt %s admits an interface without a binding, but its pod never gets the network (\"undefined binding method\")", rel)
}
