// Package api holds the function's configuration API (kubevirt-networks.io/v1alpha1)
// and the names it shares with KubeVirt, Multus and the KRM orchestrators.
package api

// The config API group, its version and kinds.
const (
	Group          = "kubevirt-networks.io"
	Version        = "v1alpha1"
	APIVersion     = Group + "/" + Version
	KindVMNetwork  = "VMNetwork"
	KindVMNetworks = "VMNetworks"
)

// Labels and annotations the function writes or reads.
const (
	// A NAD is managed (updated in place, pruned) only when it carries both of these.
	ManagedByLabel    = "app.kubernetes.io/managed-by"
	ManagedByValue    = "kubevirt-networks"
	NetworkAnnotation = Group + "/network"

	LocalConfigAnnotation = "config.kubernetes.io/local-config"

	// Multus reads these from the launcher pod; KubeVirt generates the first itself.
	MultusNetworksAnnotation       = "k8s.v1.cni.cncf.io/networks"
	MultusDefaultNetworkAnnotation = "v1.multus-cni.io/default-network"
	ResourceNameAnnotation         = "k8s.v1.cni.cncf.io/resourceName"

	// KubeVirt lets a VM with bridge binding on the pod network migrate only with this.
	AllowPodBridgeMigrationAnnotation = "kubevirt.io/allow-pod-bridge-network-live-migration"

	PathAnnotation           = "internal.config.kubernetes.io/path"
	IndexAnnotation          = "internal.config.kubernetes.io/index"
	LegacyPathAnnotation     = "config.kubernetes.io/path"
	LegacyIndexAnnotation    = "config.kubernetes.io/index"
	PreviousNamesAnnotation  = "internal.config.kubernetes.io/previousNames"
	BridgeMarkerResourcePfx  = "bridge.network.kubevirt.io/"
	MacvtapResourcePrefix    = "macvtap.network.kubevirt.io/"
	DefaultMacvtapPluginName = "macvtap"
)

// NAD identity.
const (
	NADGroup      = "k8s.cni.cncf.io"
	NADAPIVersion = NADGroup + "/v1"
	NADKind       = "NetworkAttachmentDefinition"
	CNIVersion    = "0.3.1"
)

// NetworkType is a VMNetwork's `type`.
type NetworkType string

// The network types the API knows. macvlan and ipvlan are known so they can be refused by name.
const (
	TypeBridge      NetworkType = "bridge"
	TypeSRIOV       NetworkType = "sriov"
	TypeMacvtap     NetworkType = "macvtap"
	TypeOVNLocalnet NetworkType = "ovn-localnet"
	TypeOVNLayer2   NetworkType = "ovn-layer2"
	TypeMacvlan     NetworkType = "macvlan"
	TypeIPvlan      NetworkType = "ipvlan"
)

// NetworkTypes lists every accepted `type` value, in documentation order.
var NetworkTypes = []NetworkType{TypeBridge, TypeSRIOV, TypeMacvtap, TypeOVNLocalnet, TypeOVNLayer2, TypeMacvlan, TypeIPvlan}

// Refused reports whether a type is recognised only to be refused.
func (t NetworkType) Refused() bool { return t == TypeMacvlan || t == TypeIPvlan }

// IsOVN reports whether the NAD is an OVN-Kubernetes secondary network.
func (t NetworkType) IsOVN() bool { return t == TypeOVNLocalnet || t == TypeOVNLayer2 }

// NetworkSpec is VMNetwork.spec (and one entry of VMNetworks.spec.networks).
// Pointers tell "unset" from a zero value, since defaults depend on it.
type NetworkSpec struct {
	Name      string
	NADName   string
	Namespace string
	Type      NetworkType
	Generate  *bool

	Bridge                    string
	VLAN                      *int64
	MTU                       *int64
	MACSpoofCheck             *bool
	PreserveDefaultVLAN       *bool
	DisableContainerInterface *bool
	IPAM                      []byte // JSON, key order as written
	CNIType                   string
	BridgeMarker              *bool
	ResourceName              string
	VLANQoS                   *int64
	SpoofChk                  string
	Trust                     string
	LinkState                 string
	MinTxRate                 *int64
	MaxTxRate                 *int64
	LowerDevice               string
	BindingPlugin             string
	PhysicalNetworkName       string
	Subnets                   []string
	ExcludeSubnets            []string
	AllowPersistentIPs        *bool
}

// Mode is VMNetworks.spec.mode.
type Mode string

// The two modes.
const (
	ModeFix      Mode = "fix"
	ModeValidate Mode = "validate"
)

// PodBinding is the binding the function gives pod-network interfaces.
type PodBinding string

// The pod bindings KubeVirt offers in core.
const (
	PodMasquerade   PodBinding = "masquerade"
	PodBridge       PodBinding = "bridge"
	PodPasstBinding PodBinding = "passtBinding"
)

// Cluster holds the target cluster's KubeVirt settings that change admission.
type Cluster struct {
	PermitBridgeInterfaceOnPodNetwork bool
	PasstBindingFeatureGate           bool
	// Alpha gates, off unless the cluster enables them.
	PortRangesSpecFeatureGate        bool
	NetworkDevicesWithDRAFeatureGate bool
}

// Settings is the decoded function config, defaults applied.
type Settings struct {
	Mode       Mode
	PodBinding PodBinding
	Enforce    bool
	NADPath    string
	Cluster    Cluster
}

// DefaultSettings are KubeVirt v1.9's upstream defaults: bridge on the pod network is
// permitted and, Beta gates being on by default since v1.9, so is PasstBinding.
func DefaultSettings() Settings {
	return Settings{
		Mode:       ModeFix,
		PodBinding: PodMasquerade,
		Cluster:    Cluster{PermitBridgeInterfaceOnPodNetwork: true, PasstBindingFeatureGate: true},
	}
}
