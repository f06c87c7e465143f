package network

import (
	"encoding/json"
	"strings"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
)

// Method is a KubeVirt interface binding: one of the core binding fields, or a binding plugin.
type Method string

// The bindings the function writes. Deprecated core fields (slirp, macvtap, passt) are
// only ever read, never written.
const (
	MethodNone         Method = ""
	MethodBridge       Method = "bridge"
	MethodSRIOV        Method = "sriov"
	MethodMasquerade   Method = "masquerade"
	MethodPasstBinding Method = "passtBinding"
	MethodPlugin       Method = "binding"
)

// Binding is what an interface must carry: a core method, or a plugin by name.
type Binding struct {
	Method Method
	Plugin string // for MethodPlugin
}

// String prints the binding as it appears in a VM: `bridge`, `binding {name: macvtap}`.
func (b Binding) String() string {
	if b.Method == MethodPlugin {
		return "binding {name: " + b.Plugin + "}"
	}
	return string(b.Method)
}

// Origin is what declared a network.
type Origin int

// The declarations the function reads.
const (
	FromVMNetwork    Origin = iota // a VMNetwork item
	FromInline                     // VMNetworks.spec.networks
	FromSriovNetwork               // sriov-network-operator renders the NAD
	FromUDN                        // OVN-Kubernetes renders the NAD in the UDN's namespace
	FromCUDN                       // OVN-Kubernetes renders the NAD in each selected namespace
)

// Network is one logical network with its defaults applied.
type Network struct {
	Spec   api.NetworkSpec
	Origin Origin

	Logical   string // VM network and interface name
	NADName   string
	Namespace string // "" = one NAD per namespace of the VMs that use it
	// Selects says which namespaces a ClusterUserDefinedNetwork's NAD is rendered
	// in (nil: the network serves every namespace).
	Selects func(namespace string) bool
	// Primary: an OVN-Kubernetes primary Layer2 network, which replaces the pod
	// network of the namespaces it serves rather than adding a NAD.
	Primary  bool
	Generate bool
	// Rename is this network's own rename policy; "" defers to the function config's.
	Rename api.RenamePolicy

	// Valid is false when the declaration failed its own checks: VMs that use it
	// are then left alone and told why.
	Valid bool

	Declared *report.Object // the declaring item, or the function config for inline networks
	Field    string         // "spec" or "spec.networks[2]"
	Dir      string         // folder of the declaring file, for new NAD files

	// PreviousNames are names kustomize gave the declaring item before a namePrefix.
	PreviousNames []string
}

// Binding is the interface binding KubeVirt needs for this network's CNI.
func (n *Network) Binding() Binding {
	if d := TypeOf(n.Spec.Type); d != nil {
		return d.Bind(&n.Spec)
	}
	return Binding{}
}

// BindingNamed reads a custom network's `binding`: bridge, sriov, or a plugin name.
func BindingNamed(name string) Binding {
	switch name {
	case "":
		return Binding{}
	case string(MethodBridge):
		return Binding{Method: MethodBridge}
	case string(MethodSRIOV):
		return Binding{Method: MethodSRIOV}
	}
	return Binding{Method: MethodPlugin, Plugin: name}
}

// CNIType is the `type` the NAD's CNI config has.
func (n *Network) CNIType() string {
	switch {
	case n.Spec.Type == api.TypeBridge && n.Spec.CNIType != "":
		return n.Spec.CNIType
	case n.Spec.Type == api.TypeCustom:
		t, _ := CNITypeOf(string(n.Spec.CNIConfig))
		return t
	}
	if d := TypeOf(n.Spec.Type); d != nil {
		return d.CNIType
	}
	return string(n.Spec.Type)
}

// CNITypeOf reads the CNI `type` of a config, or its first plugin's for a conflist.
func CNITypeOf(config string) (string, error) {
	var c struct {
		Type    string `json:"type"`
		Plugins []struct {
			Type string `json:"type"`
		} `json:"plugins"`
	}
	if err := json.Unmarshal([]byte(config), &c); err != nil {
		return "", err
	}
	if c.Type == "" && len(c.Plugins) > 0 {
		return c.Plugins[0].Type, nil
	}
	return c.Type, nil
}

// Serves reports whether a VM in vmNamespace can use the network's NAD.
func (n *Network) Serves(vmNamespace string) bool {
	if n.Namespace != "" && n.Selects == nil {
		return true // pinned: referenced across namespaces (with a warning)
	}
	return n.Selects == nil || n.Selects(vmNamespace)
}

// NADNamespace is where this network's NAD lives for a VM in vmNamespace.
func (n *Network) NADNamespace(vmNamespace string) string {
	if n.Namespace != "" {
		return n.Namespace
	}
	return vmNamespace
}

// Source names the declaration in messages: `VMNetwork "external"` or `spec.networks[2] of the function config`.
func (n *Network) Source() string {
	if n.Origin == FromInline || n.Declared == nil {
		return n.Field + " of the function config"
	}
	return n.Declared.Kind + ` "` + n.Declared.Name + `"`
}

// NameField is the field a declaration's logical name comes from, for results.
func (n *Network) NameField() string {
	if n.Origin == FromVMNetwork || n.Origin == FromInline {
		return n.Field + ".name"
	}
	return "metadata.name"
}

// NADField is the field a declaration's NAD name comes from, for results.
func (n *Network) NADField() string {
	if n.Origin == FromVMNetwork || n.Origin == FromInline {
		return n.Field + ".nadName"
	}
	return "metadata.name"
}

// RenameWith is the rename policy for this network when the function config says global.
func (n *Network) RenameWith(global api.RenamePolicy) api.RenamePolicy {
	if n.Rename != "" {
		return n.Rename
	}
	return global
}

// OVNCNIType is OVN-Kubernetes' secondary network CNI.
const OVNCNIType = "ovn-k8s-cni-overlay"

// CNIFamily is what a NAD's CNI type means for a VM interface.
type CNIFamily int

// The CNI families.
const (
	FamilyUnknown CNIFamily = iota // no opinion: the VM's binding stays if valid on Multus
	FamilyBridge                   // bridge, cnv-bridge, ovs, OVN, kube-ovn: `bridge: {}`
	FamilySRIOV                    // `sriov: {}`
	FamilyMacvtap                  // the macvtap binding plugin
	FamilyRefused                  // macvlan, ipvlan: no KubeVirt binding works
)

// FamilyOf classifies a CNI `type` as KubeVirt sees it.
func FamilyOf(cniType string) CNIFamily {
	t := strings.TrimSpace(cniType)
	if t == "" {
		return FamilyUnknown
	}
	for _, d := range Types {
		if d.CNIType == t {
			return d.Family
		}
	}
	return otherCNIs[t]
}

// otherCNIs are the CNI types no network type derives whose NADs the function
// still binds (a NAD written by hand or by another operator).
var otherCNIs = map[string]CNIFamily{"cnv-bridge": FamilyBridge, "kube-ovn": FamilyBridge}

// Family is this network's CNI family, as far as the binding goes: the type's,
// or for a custom network its binding's.
func (n *Network) Family() CNIFamily {
	d := TypeOf(n.Spec.Type)
	switch {
	case d == nil:
		return FamilyOf(n.CNIType())
	case n.Spec.Type == api.TypeCustom:
		switch n.Binding().Method {
		case MethodBridge:
			return FamilyBridge
		case MethodSRIOV:
			return FamilySRIOV
		}
		return FamilyUnknown
	}
	return d.Family
}

// BindingForFamily is the binding a NAD of this family needs.
func BindingForFamily(f CNIFamily) Binding {
	switch f {
	case FamilyBridge:
		return Binding{Method: MethodBridge}
	case FamilySRIOV:
		return Binding{Method: MethodSRIOV}
	case FamilyMacvtap:
		return Binding{Method: MethodPlugin, Plugin: api.DefaultMacvtapPluginName}
	}
	return Binding{}
}

// RuleRefused is the rule of every macvlan or ipvlan network or NAD, wherever it is found.
var RuleRefused = report.Rule{ID: "cni-macvlan-ipvlan", Source: report.SourcePolicy}

// RefusedAlternatives is the fix offered wherever a macvlan or ipvlan network appears.
const RefusedAlternatives = "no KubeVirt binding carries traffic on macvlan or ipvlan (the bridge binding moves the pod interface's MAC to the guest, " +
	"these CNIs need the original MAC, and masquerade and passtBinding work only on the pod network); " +
	"use type bridge (a Linux bridge on the host NIC), macvtap, sriov or ovn-localnet instead"
