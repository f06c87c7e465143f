package rewrite

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/bind"
	"github.com/kubevirt-networks/kubevirt-networks/fn/nad"
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/vm"
	"github.com/kubevirt-networks/kubevirt-networks/internal/ynode"
)

// bindNetworks resolves every Multus network and records the NADs it needs.
func (p *planner) bindNetworks() {
	nets := p.in.Spec.Networks
	p.matches = make([]bind.Match, len(nets))
	p.final = make([]string, len(nets))
	for i := range nets {
		n := &nets[i]
		p.final[i] = n.Name
		if n.Source != vm.SourceMultus || n.NetworkName == "" {
			continue
		}
		if p.param(n.NetworkName) || p.param(p.in.Namespace) {
			p.infof(RuleNADNotInInput, p.netField(i, ".multus.networkName"), "network %q uses NAD %q, a template parameter: which NAD it is is known only once the template is processed, so its binding is kept as written; run the function on the processed template to check it", n.Name, n.NetworkName)
			continue
		}
		ns, name, _ := bind.Split(n.NetworkName, p.in.Namespace)
		p.plan.RefsBefore = append(p.plan.RefsBefore, NADRef{Namespace: ns, Name: name})
		m := p.in.Index.Resolve(n.NetworkName, p.in.Namespace)
		p.matches[i] = m
		field := p.netField(i, ".multus.networkName")
		switch {
		case m.Conflict != "":
			p.errorf(RuleAmbiguous, field, "network %q: %s", n.Name, m.Conflict)
		case m.Network != nil:
			p.bindDeclared(i, m.Network)
		case m.NAD != nil:
			switch m.NAD.Family() {
			case network.FamilyRefused:
				p.errorf(RuleRefusedCNI, field, "network %q uses NAD %s of CNI type %s: %s", n.Name, m.NAD.Ref(), m.NAD.CNIType, network.RefusedAlternatives)
			case network.FamilyUnknown:
				p.infof(RuleUnknownCNI, field, "network %q uses NAD %s of CNI type %q, which the function does not know; its binding is kept as written", n.Name, m.NAD.Ref(), m.NAD.CNIType)
			}
		}
	}
}

func (p *planner) bindDeclared(i int, c *network.Network) {
	n := &p.in.Spec.Networks[i]
	if !c.Valid {
		if network.Refused(c.Spec.Type) {
			p.errorf(RuleRefusedCNI, p.netField(i, ""), "network %q uses %s of type %s, which is refused: %s", n.Name, c.Source(), c.Spec.Type, network.RefusedAlternatives)
		} else {
			p.errorf(RuleInvalidNetwork, p.netField(i, ""), "network %q uses %s, which has errors (see its results); fix them, and this VM is rewritten on the next run", n.Name, c.Source())
		}
		return
	}
	nadNS := p.nadNamespace(n.NetworkName, p.matches[i], c)
	// A NAD of the input the reference reached needs no namespace from the
	// function: it exists, and is only compared with the declaration.
	exists := p.matches[i].Via != nil
	if nadNS == "" && !exists && (network.IsOVN(c.Spec.Type) || n.Default) {
		p.plan.Uses = append(p.plan.Uses, Use{Network: c, NoNAD: true, Default: n.Default})
	}
	if nadNS == "" && !exists && network.IsOVN(c.Spec.Type) {
		p.errorf(RuleNamespaceUnknown, p.netField(i, ".multus.networkName"), "network %q uses OVN network %q, whose NAD must carry netAttachDefName <namespace>/<name>, but neither the VM nor %s names a namespace; set spec.namespace on the network, or give the namespace the VMs land in (spec.defaultNamespace, --namespace)", n.Name, c.Logical, c.Source())
		return
	}
	if nadNS == "" && !exists && n.Default {
		p.errorf(RuleNamespaceUnknown, p.netField(i, ".multus.networkName"), "network %q is the Multus default network, which Multus resolves in its own namespace unless written <namespace>/<name>, but neither the VM nor %s names a namespace; set spec.namespace on the network, or give the namespace the VMs land in (spec.defaultNamespace, --namespace)", n.Name, c.Source())
		return
	}
	p.plan.Uses = append(p.plan.Uses, Use{Network: c, Namespace: nadNS, Default: n.Default, Unstated: p.unstated(n.NetworkName, c)})
}

// nadNamespace is where c's NAD lives for this VM's reference ref: the network's
// own namespace, else the VM's; a VM whose namespace is unknown is where its
// reference says, or where the NAD of the input the reference reached is.
func (p *planner) nadNamespace(ref string, m bind.Match, c *network.Network) string {
	if ns := c.NADNamespace(p.in.Namespace); ns != "" {
		return ns
	}
	if ns, _, bare := bind.Split(ref, ""); !bare {
		return ns
	}
	if m.Via != nil {
		return m.Via.Namespace
	}
	return ""
}

// unstated reports whether the NAD that reference ref needs is in a namespace no
// object states: the VM's default one. Such a NAD is derived without a
// namespace, as the VM is written, and lands beside it.
func (p *planner) unstated(ref string, c *network.Network) bool {
	_, _, bare := bind.Split(ref, "")
	return p.in.NamespaceUnstated && c.Namespace == "" && bare
}

// declared returns the valid declared network network i binds to, or nil.
func (p *planner) declared(i int) *network.Network {
	if c := p.matches[i].Network; c != nil && c.Valid {
		return c
	}
	return nil
}

func (p *planner) pairByName() {
	s := p.in.Spec
	p.netIface = make([]int, len(s.Networks))
	p.ifaceNet = make([]int, len(s.Interfaces))
	for j := range p.ifaceNet {
		p.ifaceNet[j] = -1
	}
	for i, n := range s.Networks {
		p.netIface[i] = -1
		for j, iface := range s.Interfaces {
			if iface.Name == n.Name && p.ifaceNet[j] < 0 {
				p.netIface[i], p.ifaceNet[j] = j, i
				break
			}
		}
	}
}

// finalNames renames networks bound to a declared network to its logical name
// where the rename policy says so, and never where that would be wrong.
func (p *planner) finalNames() {
	count := map[*network.Network][]int{}
	for i := range p.in.Spec.Networks {
		if c := p.declared(i); c != nil {
			count[c] = append(count[c], i)
		}
	}
	for i := range p.in.Spec.Networks {
		c := p.declared(i)
		if c == nil {
			continue
		}
		if same := count[c]; len(same) > 1 {
			if same[0] == i {
				names := make([]string, len(same))
				for k, idx := range same {
					names[k] = p.in.Spec.Networks[idx].Name
				}
				p.warnf(RuleBoundTwice, p.netField(i, ".name"), "networks %s all use %s, so their names are kept; their NAD references and bindings are still fixed", quoteList(names), c.Source())
			}
			continue
		}
		if j := p.netIface[i]; j >= 0 && p.in.Spec.Interfaces[j].State == "absent" {
			// Renaming a hot-unplugged interface would cancel the unplug.
			continue
		}
		if p.renames(i, c) {
			p.final[i] = c.Logical
		}
	}
}

// renames reports whether network i takes the logical name of c. By default
// (nadNames) only a network named after the NAD it references is renamed: that is
// the defect. Any other name is the user's choice: a live NAD swap changes only
// networkName (a migration, not a restart), and other controllers key on it.
func (p *planner) renames(i int, c *network.Network) bool {
	n := &p.in.Spec.Networks[i]
	if p.param(n.Name) {
		return false
	}
	switch c.RenameWith(p.in.Settings.Rename) {
	case api.RenameNever:
		return false
	case api.RenameAlways:
		return true
	}
	_, nadName, _ := bind.Split(n.NetworkName, p.in.Namespace)
	return n.Name == n.NetworkName || n.Name == nadName
}

// pairLeftovers pairs a network that no interface shares a name with an interface
// that a rename explains: one already named the logical name or the NAD name.
func (p *planner) pairLeftovers() {
	s := p.in.Spec
	for i, n := range s.Networks {
		if p.netIface[i] >= 0 {
			continue
		}
		candidates := []string{p.final[i]}
		if c := p.declared(i); c != nil {
			candidates = append(candidates, c.Logical, c.NADName)
		}
		for j, iface := range s.Interfaces {
			if p.ifaceNet[j] >= 0 || !slices.Contains(candidates, iface.Name) {
				continue
			}
			p.netIface[i], p.ifaceNet[j] = j, i
			break
		}
		if p.netIface[i] < 0 {
			p.errorf(RuleUnpaired, p.netField(i, ".name"), "%s.name '%s' not found. Every network needs an interface of the same name in domain.devices.interfaces: add one or remove the network", p.netField(i, ""), n.Name)
		}
	}
	for j := range s.Interfaces {
		if p.ifaceNet[j] < 0 {
			iface := &s.Interfaces[j]
			p.errorf(RuleUnpaired, p.ifaceField(iface, ".name"), "%s.name '%s' not found. Every interface needs a network of the same name in spec networks: add one or remove the interface", p.ifaceField(iface, ""), iface.Name)
		}
	}
}

// collisions refuses final names that two networks would share.
func (p *planner) collisions() {
	seen := map[string]int{}
	for i, name := range p.final {
		if k, dup := seen[name]; dup && (name != p.in.Spec.Networks[i].Name || name != p.in.Spec.Networks[k].Name) {
			p.errorf(RuleNameCollision, p.netField(i, ".name"), "renaming would give networks %q and %q the same name %q; rename one of them by hand (or give the network another logical name)", p.in.Spec.Networks[k].Name, p.in.Spec.Networks[i].Name, name)
			continue
		}
		seen[name] = i
	}
}

// multusInterfaces renames, re-references and re-binds every Multus network.
func (p *planner) multusInterfaces() {
	s := p.in.Spec
	for i := range s.Networks {
		n := &s.Networks[i]
		if n.Source != vm.SourceMultus || p.matches[i].Conflict != "" || p.netIface[i] < 0 || p.param(n.NetworkName) {
			continue
		}
		iface := &s.Interfaces[p.netIface[i]]
		m := p.matches[i]
		switch {
		case p.declared(i) != nil:
			c := p.declared(i)
			p.rename(i, iface)
			p.setNetworkName(i, c)
			p.bindMultus(iface, c.Binding(), c.Family(), "the "+string(c.Spec.Type)+" network "+quote(c.Logical))
		case m.Network != nil:
			// invalid declaration: already an error
		case m.NAD != nil && m.NAD.Family() != network.FamilyUnknown && m.NAD.Family() != network.FamilyRefused:
			p.followRename(i, m)
			p.bindMultus(iface, network.BindingForFamily(m.NAD.Family()), m.NAD.Family(), "NAD "+m.NAD.Ref()+" (CNI "+m.NAD.CNIType+")")
		default:
			switch {
			case m.Unserved != nil:
				p.warnf(RuleNADNotInInput, p.netField(i, ".multus.networkName"), "network %q uses NAD %q of %s, which OVN-Kubernetes renders only in the namespaces its namespaceSelector selects, and the input does not show it selecting %q: add the namespace's labels (a Namespace item) or fix the selector", n.Name, n.NetworkName, m.Unserved.Source(), nsOf(n.NetworkName, p.in.Namespace))
			case m.NAD == nil && n.NetworkName != "":
				p.notInInput(i)
			}
			p.keepMultusBinding(iface)
		}
	}
}

func (p *planner) rename(i int, iface *vm.Interface) {
	n := &p.in.Spec.Networks[i]
	final := p.final[i]
	if n.Name == final && iface.Name == final {
		return
	}
	what := "network " + quote(n.Name)
	switch {
	case n.Name == final:
		what = "interface " + quote(iface.Name)
	case iface.Name != n.Name && iface.Name != final:
		what = "network " + quote(n.Name) + " and interface " + quote(iface.Name)
	}
	netNode, ifNode := n.Node, iface.Node
	if iface.Name != final {
		p.renamed = append(p.renamed, [2]string{iface.Name, final})
		if p.plan.Renamed == nil {
			p.plan.Renamed = map[string]string{}
		}
		p.plan.Renamed[final] = iface.Name
	}
	p.renameRisks(i, final)
	p.change(vm.AreaNetworks, report.Change{Rule: RuleRenamed, Field: p.netField(i, ".name"), Verb: report.Rename, What: what, To: quote(final)}, func() {
		ynode.SetString(netNode, "name", final)
		ynode.SetString(ifNode, "name", final)
	})
}

// targetRef is how network i should reference c's NAD: as KubeVirt already
// resolves it if it does, else a bare name in the NAD's namespace, else
// <namespace>/<name> (README: "NAD placement and references").
func (p *planner) targetRef(i int, c *network.Network) string {
	n := &p.in.Spec.Networks[i]
	vmNS := p.in.Namespace
	nadNS := p.nadNamespace(n.NetworkName, p.matches[i], c)
	curNS, curName, bare := bind.Split(n.NetworkName, vmNS)
	if n.Default {
		// Multus resolves a bare default network in its own namespace, not the pod's.
		if !bare && curNS == nadNS && curName == c.NADName {
			return n.NetworkName
		}
		return nadNS + "/" + c.NADName
	}
	if curNS == nadNS && curName == c.NADName {
		return n.NetworkName
	}
	if c.Namespace == "" || c.Namespace == vmNS {
		return c.NADName
	}
	return c.Namespace + "/" + c.NADName
}

func (p *planner) setNetworkName(i int, c *network.Network) {
	n := &p.in.Spec.Networks[i]
	target := p.targetRef(i, c)
	if c.Namespace != "" && p.in.Namespace != "" && c.Namespace != p.in.Namespace && !n.Default {
		p.crossNamespace(p.netField(i, ".multus.networkName"), p.final[i], c)
	}
	if target == n.NetworkName {
		return
	}
	multus := ynode.Get(n.Node, "multus")
	p.change(vm.AreaNetworks, report.Change{Rule: RuleNetworkNameSet, Field: p.netField(i, ".multus.networkName"), Verb: report.Set,
		What: "multus.networkName of network " + quote(p.final[i]), To: quote(target), From: quote(n.NetworkName),
	}, func() { ynode.SetString(multus, "networkName", target) })
}

// crossNamespace warns about a reference to a NAD in another namespace than the
// VM's; a VM whose namespace is unknown may be in that namespace: no warning.
func (p *planner) crossNamespace(field, name string, c *network.Network) {
	if c.Namespace == "default" || p.in.Namespace == "" {
		return
	}
	p.warnf(RuleCrossNamespace, field, "network %q references NAD %s/%s in another namespace than the VM's; Multus namespace isolation (OpenShift's default) refuses that, so prefer a network without spec.namespace, which puts a NAD in each VM namespace", name, c.Namespace, c.NADName)
}

// followRename points a reference at a user NAD's current name when it named the NAD
// by a name kustomize replaced (namePrefix/nameSuffix ran before the function).
func (p *planner) followRename(i int, m bind.Match) {
	n := &p.in.Spec.Networks[i]
	_, name, bare := bind.Split(n.NetworkName, p.in.Namespace)
	if name == m.NAD.Name {
		return
	}
	target := m.NAD.Name
	if !bare || n.Default {
		target = m.NAD.Namespace + "/" + m.NAD.Name
	}
	multus := ynode.Get(n.Node, "multus")
	p.change(vm.AreaNetworks, report.Change{Rule: RuleNetworkNameSet, Field: p.netField(i, ".multus.networkName"), Verb: report.Set,
		What: "multus.networkName of network " + quote(n.Name), To: quote(target), From: quote(n.NetworkName) + ", the NAD's name before kustomize renamed it",
	}, func() { ynode.SetString(multus, "networkName", target) })
	p.userRenames = append(p.userRenames, [2]string{n.NetworkName, target})
}

func nsOf(ref, vmNamespace string) string {
	ns, _, _ := bind.Split(ref, vmNamespace)
	return ns
}

// notInInput says that a network's NAD is not in the input, or, where the input has
// a NAD of that name the reference does not reach, which.
func (p *planner) notInInput(i int) {
	n := &p.in.Spec.Networks[i]
	field := p.netField(i, ".multus.networkName")
	ns, name, _ := bind.Split(n.NetworkName, p.in.Namespace)
	if others := p.in.Index.Elsewhere(name); len(others) > 0 {
		p.warnf(RuleNADNotInInput, field, "network %q uses NAD %s, which is not in the input, though the input has %s of that name; reference that one (<namespace>/<name>), or declare this one as a VMNetwork (generate: false) to get its binding and checks", n.Name, nad.Ref(ns, name), strings.Join(others, ", "))
		return
	}
	p.infof(RuleNADNotInInput, field, "network %q uses NAD %q, which is not in the input, so the function cannot tell which binding its CNI needs; declare it as a VMNetwork (generate: false for a NAD managed elsewhere) to get the binding and the checks", n.Name, n.NetworkName)
}

// keepMultusBinding migrates the discontinued core macvtap binding on a Multus
// network the function has no NAD for; any other binding stays as written, and the
// checks report what KubeVirt would refuse.
func (p *planner) keepMultusBinding(iface *vm.Interface) {
	if len(iface.Bindings) == 1 && iface.Bindings[0] == "macvtap" {
		p.bindTo(iface, network.Binding{Method: network.MethodPlugin, Plugin: api.DefaultMacvtapPluginName}, RuleDiscontinued, krm.Warning,
			"as core macvtap was discontinued in KubeVirt v1.3 and the macvtap binding plugin (registered in the KubeVirt CR) replaces it")
	}
}

// bindMultus gives a Multus interface the binding its NAD's CNI family needs,
// but keeps a binding plugin that works there: managedtap on a bridge, OVS or OVN
// NAD (the guest takes its address from the network's own DHCP), or any plugin
// the cluster registers for such a NAD. A plugin is replaced only where it
// provably cannot work, with a warning saying why.
func (p *planner) bindMultus(iface *vm.Interface, want network.Binding, family network.CNIFamily, why string) {
	plugin := iface.Plugin
	if len(iface.Bindings) != 1 || iface.Bindings[0] != string(network.MethodPlugin) || plugin == "" || want == (network.Binding{Method: network.MethodPlugin, Plugin: plugin}) {
		p.setBinding(iface, want, why)
		return
	}
	reason := p.pluginCannot(plugin, family)
	if reason == "" {
		p.infof(RulePluginKept, p.ifaceField(iface, ".binding"), "interface %q keeps binding plugin %q on %s: a plugin works on that CNI (the function would otherwise write %s)", iface.Name, plugin, why, want)
		return
	}
	p.bindTo(iface, want, RuleBindingSet, krm.Warning, "for "+why+": binding plugin "+quote(plugin)+" cannot work there, as "+reason)
}

// pluginCannot says why binding plugin name cannot carry traffic on a NAD of
// family f, or "" when it can.
func (p *planner) pluginCannot(name string, f network.CNIFamily) string {
	switch {
	case p.in.MacvtapPlugins[name] && f != network.FamilyMacvtap:
		return "it is the macvtap binding plugin, which attaches only a macvtap NAD"
	case name == api.L2BridgePlugin:
		return "l2bridge attaches only a primary user-defined network, on the pod network"
	case f == network.FamilySRIOV:
		return "an SR-IOV VF reaches the guest as a PCI device, which only the sriov binding attaches"
	case f == network.FamilyMacvtap && !p.in.MacvtapPlugins[name]:
		return "a macvtap NAD gives the pod a macvtap device, which only the macvtap binding plugin attaches"
	}
	return ""
}

// setBinding gives the interface exactly binding b, removing every other binding key
// and keeping all other fields. why completes "set binding of interface X to B ...".
func (p *planner) setBinding(iface *vm.Interface, b network.Binding, why string) {
	rule, sev := RuleBindingSet, krm.Info
	for _, old := range iface.Bindings {
		if slices.Contains(vm.DiscontinuedBindings, old) {
			rule, sev = RuleDiscontinued, krm.Warning
		}
	}
	p.bindTo(iface, b, rule, sev, "for "+why)
}

func (p *planner) bindTo(iface *vm.Interface, b network.Binding, rule report.Rule, sev krm.Severity, why string) {
	key := string(b.Method)
	if len(iface.Bindings) == 1 && iface.Bindings[0] == key && (b.Method != network.MethodPlugin || iface.Plugin == b.Plugin) {
		return
	}
	node := iface.Node
	p.change(vm.AreaNetworks, report.Change{Rule: rule, Field: p.ifaceField(iface, ""), Verb: report.Set, Review: sev == krm.Warning,
		What: "binding of interface " + quote(iface.Name), To: b.String(), From: describeBindings(iface), Why: " " + why,
	}, func() { writeBinding(node, b) })
}

// writeBinding replaces the binding keys of an interface node by b, at the place of
// the first one, which hands its comments on to the new one.
func writeBinding(node *yaml.Node, b network.Binding) {
	pos := -1
	keep := false
	var comments string
	for k, key := range ynode.Keys(node) {
		if !slices.Contains(vm.BindingKeys, key) {
			continue
		}
		if pos < 0 {
			pos = k
		}
		if key == string(b.Method) && (b.Method != network.MethodPlugin || ynode.Str(ynode.Get(node, "binding"), "name") == b.Plugin) {
			keep = true
			continue
		}
		i := ynode.KeyIndex(node, key)
		if c := ynode.Comments(node.Content[i], node.Content[i+1]); c != "" {
			comments += c + "\n"
			node.Content[i].HeadComment, node.Content[i].LineComment, node.Content[i].FootComment = "", "", ""
			node.Content[i+1] = ynode.WithoutComments(node.Content[i+1])
		}
	}
	for _, key := range vm.BindingKeys {
		if keep && key == string(b.Method) {
			continue
		}
		ynode.Delete(node, key)
	}
	comments = strings.TrimSuffix(comments, "\n")
	if keep {
		if comments != "" {
			i := ynode.KeyIndex(node, string(b.Method))
			node.Content[i].HeadComment = strings.TrimPrefix(node.Content[i].HeadComment+"\n"+comments, "\n")
		}
		return
	}
	value := ynode.NewMap()
	if b.Method == network.MethodPlugin {
		ynode.Set(value, "name", ynode.NewString(b.Plugin))
	}
	if pos < 0 {
		ynode.Set(node, string(b.Method), value)
	} else {
		ynode.InsertAt(node, min(pos, len(node.Content)/2), string(b.Method), value)
	}
	if comments != "" {
		i := ynode.KeyIndex(node, string(b.Method))
		node.Content[i].HeadComment = comments
	}
}

func describeBindings(iface *vm.Interface) string {
	if len(iface.Bindings) == 0 {
		return "no binding"
	}
	parts := make([]string, len(iface.Bindings))
	for k, b := range iface.Bindings {
		parts[k] = b
		if b == "binding" && iface.Plugin != "" {
			parts[k] = "binding {name: " + iface.Plugin + "}"
		}
	}
	return strings.Join(parts, " + ")
}

func quote(s string) string { return strconv.Quote(s) }

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	sort.Strings(q)
	return strings.Join(q, ", ")
}
