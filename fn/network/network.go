// Package network is the model of logical networks: one declared VMNetwork
// with its defaults applied, where its NAD lives and which interface binding
// KubeVirt needs for its CNI.
package network

import (
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

// Network is one logical network with its defaults applied.
type Network struct {
	Spec api.NetworkSpec

	Logical   string // VM network and interface name
	NADName   string
	Namespace string // "" = one NAD per namespace of the VMs that use it
	Generate  bool

	// Valid is false when the declaration failed its own checks: VMs that use it
	// are then left alone and told why.
	Valid bool

	Declared *report.Object // the VMNetwork item, or the function config for inline networks
	Field    string         // "spec" or "spec.networks[2]"
	Dir      string         // folder of the declaring file, for new NAD files

	// PreviousNames are names kustomize gave the VMNetwork item before a namePrefix.
	PreviousNames []string
}

// Binding is the interface binding KubeVirt needs for this network's CNI.
func (n *Network) Binding() Binding {
	switch n.Spec.Type {
	case api.TypeSRIOV:
		return Binding{Method: MethodSRIOV}
	case api.TypeMacvtap:
		plugin := n.Spec.BindingPlugin
		if plugin == "" {
			plugin = api.DefaultMacvtapPluginName
		}
		return Binding{Method: MethodPlugin, Plugin: plugin}
	case api.TypeBridge, api.TypeOVNLocalnet, api.TypeOVNLayer2:
		return Binding{Method: MethodBridge}
	}
	return Binding{}
}

// CNIType is the `type` written into the NAD's CNI config.
func (n *Network) CNIType() string {
	switch n.Spec.Type {
	case api.TypeBridge:
		if n.Spec.CNIType != "" {
			return n.Spec.CNIType
		}
		return "bridge"
	case api.TypeOVNLocalnet, api.TypeOVNLayer2:
		return OVNCNIType
	}
	return string(n.Spec.Type)
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
	if n.Declared != nil && n.Declared.Kind == api.KindVMNetwork {
		return `VMNetwork "` + n.Declared.Name + `"`
	}
	return n.Field + " of the function config"
}

// OVNCNIType is OVN-Kubernetes' secondary network CNI.
const OVNCNIType = "ovn-k8s-cni-overlay"

// CNIFamily is what a NAD's CNI type means for a VM interface.
type CNIFamily int

// The CNI families.
const (
	FamilyUnknown CNIFamily = iota // no opinion: the VM's binding stays if valid on Multus
	FamilyBridge                   // bridge, cnv-bridge, ovs, OVN: `bridge: {}`
	FamilySRIOV                    // `sriov: {}`
	FamilyMacvtap                  // the macvtap binding plugin
	FamilyRefused                  // macvlan, ipvlan: no KubeVirt binding works
)

// FamilyOf classifies a CNI `type` as KubeVirt sees it.
func FamilyOf(cniType string) CNIFamily {
	switch strings.TrimSpace(cniType) {
	case "bridge", "cnv-bridge", "ovs", OVNCNIType:
		return FamilyBridge
	case "sriov":
		return FamilySRIOV
	case "macvtap":
		return FamilyMacvtap
	case "macvlan", "ipvlan":
		return FamilyRefused
	}
	return FamilyUnknown
}

// Family is this network's CNI family.
func (n *Network) Family() CNIFamily {
	if n.Spec.Type.Refused() {
		return FamilyRefused
	}
	return FamilyOf(n.CNIType())
}

// BindingForFamily is the binding a user-written NAD of this family needs.
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

// RefusedAlternatives is the fix offered wherever a macvlan or ipvlan network appears.
const RefusedAlternatives = "no KubeVirt binding carries traffic on macvlan or ipvlan (the bridge binding moves the pod interface's MAC to the guest, " +
	"these CNIs need the original MAC, and masquerade and passtBinding work only on the pod network); " +
	"use type bridge (a Linux bridge on the host NIC), macvtap, sriov or ovn-localnet instead"
