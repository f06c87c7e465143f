package api

import "github.com/kubevirt-networks/kubevirt-networks/fn/release"

// NetworkType is a VMNetwork's `type`.
type NetworkType string

// The network types the API knows. macvlan and ipvlan are known so they can be refused by name.
const (
	TypeBridge      NetworkType = "bridge"
	TypeSRIOV       NetworkType = "sriov"
	TypeMacvtap     NetworkType = "macvtap"
	TypeOVNLocalnet NetworkType = "ovn-localnet"
	TypeOVNLayer2   NetworkType = "ovn-layer2"
	TypeOVS         NetworkType = "ovs"
	TypeCustom      NetworkType = "custom"
	TypeMacvlan     NetworkType = "macvlan"
	TypeIPvlan      NetworkType = "ipvlan"
)

// NetworkTypes lists every accepted `type` value, in documentation order.
var NetworkTypes = []NetworkType{TypeBridge, TypeSRIOV, TypeMacvtap, TypeOVNLocalnet, TypeOVNLayer2, TypeOVS, TypeCustom, TypeMacvlan, TypeIPvlan}

// RenamePolicy says when a VM network and its interface take the logical name.
type RenamePolicy string

// The rename policies.
const (
	// RenameNADNames renames only a network named after the NAD it references (or one
	// the function added): the defect the function exists for. Every other name is
	// the user's choice, and other controllers may key on it.
	RenameNADNames RenamePolicy = "nadNames"
	RenameAlways   RenamePolicy = "always"
	RenameNever    RenamePolicy = "never"
)

// Mode is VMNetworks.spec.mode.
type Mode string

// The two modes.
const (
	ModeFix      Mode = "fix"
	ModeValidate Mode = "validate"
)

// PodBinding is a binding KubeVirt offers on the pod network in core.
type PodBinding string

// The pod bindings.
const (
	PodMasquerade   PodBinding = "masquerade"
	PodBridge       PodBinding = "bridge"
	PodPasstBinding PodBinding = "passtBinding"
)

// FieldValidation is how unknown fields in VM kinds are reported.
type FieldValidation string

// The field validation levels, as kubectl names them.
const (
	// FieldStrict is kubectl's default (--validate=strict): the object is refused.
	FieldStrict FieldValidation = "Strict"
	// FieldWarn is for pipelines that apply with a client that lets the API server
	// prune unknown fields.
	FieldWarn FieldValidation = "Warn"
)

// UDNBinding is how VMs attach to a primary Layer2 user-defined network.
type UDNBinding string

// The primary UDN bindings KubeVirt offers.
const (
	UDNL2Bridge UDNBinding = "l2bridge"
	UDNPasst    UDNBinding = "passt"
)

// Cluster holds the target cluster's KubeVirt settings, defaults applied.
type Cluster struct {
	// KubeVirt is the release the output is for; 0 until configure settles it.
	// From["kubevirtVersion"] says who stated it ("": nobody, so release.Newest).
	KubeVirt                          release.Minor
	PermitBridgeInterfaceOnPodNetwork bool
	PasstBindingFeatureGate           bool
	// Alpha gates, off unless the cluster enables them.
	PortRangesSpecFeatureGate        bool
	NetworkDevicesWithDRAFeatureGate bool
	// DefaultNetworkInterface is the binding KubeVirt gives the pod network it
	// attaches to a VM without networks (KubeVirt CR network.defaultNetworkInterface).
	DefaultNetworkInterface PodBinding
	FieldValidation         FieldValidation
	PrimaryUDNBinding       UDNBinding
	// BindingPlugins are the registered binding plugins; nil: not known.
	BindingPlugins []string
	// MigrationNetwork is the NAD name of the dedicated migration network ("": none).
	MigrationNetwork string
	// Gates are the feature gates a KubeVirt CR in the input enables (true) or
	// disables (false); nil: no KubeVirt CR, so gates not named here are not known.
	Gates map[string]bool
	// From says, per spec.cluster field, what set it: "spec.cluster" when the
	// function config did, or the cluster CR that did; unset: the default.
	From map[string]string
}

// Release is the KubeVirt release the output is for: the stated one, or the newest.
func (c Cluster) Release() release.Minor {
	if c.KubeVirt == 0 {
		return release.Newest
	}
	return c.KubeVirt
}

// ReleaseStated reports whether someone said which release the cluster runs.
func (c Cluster) ReleaseStated() bool { return c.From["kubevirtVersion"] != "" }

// Settings is the decoded function config, defaults applied.
type Settings struct {
	Mode       Mode
	PodBinding PodBinding
	Enforce    bool
	NADPath    string
	Rename     RenamePolicy
	Cluster    Cluster
	// DefaultNamespace is where namespace-less objects land ("": not known).
	DefaultNamespace string
	// DefaultNamespaceFrom says where DefaultNamespace came from, for messages.
	DefaultNamespaceFrom string
}

// DefaultSettings are KubeVirt v1.9's upstream defaults: bridge on the pod network is
// permitted and the default network interface; Beta gates being on by default since
// v1.9, so is PasstBinding; kubectl validates fields strictly.
func DefaultSettings() Settings {
	return Settings{
		Mode:       ModeFix,
		PodBinding: PodMasquerade,
		Rename:     RenameNADNames,
		Cluster: Cluster{
			PermitBridgeInterfaceOnPodNetwork: true,
			PasstBindingFeatureGate:           true,
			DefaultNetworkInterface:           PodBridge,
			FieldValidation:                   FieldStrict,
			PrimaryUDNBinding:                 UDNL2Bridge,
		},
	}
}
