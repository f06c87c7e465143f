package api

import "strings"

// Labels and annotations the function writes or reads.
const (
	// A NAD is managed (updated in place, pruned) only when it carries both of these.
	ManagedByLabel    = "app.kubernetes.io/managed-by"
	ManagedByValue    = "kubevirt-networks"
	NetworkAnnotation = Group + "/network"

	LocalConfigAnnotation = "config.kubernetes.io/local-config"
	// FunctionAnnotation is how kustomize (and kpt's declarative configs) say
	// which program runs a function config.
	FunctionAnnotation = "config.kubernetes.io/function"

	// Multus reads these from the launcher pod; KubeVirt generates the first itself.
	MultusNetworksAnnotation       = "k8s.v1.cni.cncf.io/networks"
	MultusDefaultNetworkAnnotation = "v1.multus-cni.io/default-network"
	ResourceNameAnnotation         = "k8s.v1.cni.cncf.io/resourceName"

	// KubeVirt lets a VM with bridge binding on the pod network migrate only with this.
	AllowPodBridgeMigrationAnnotation = "kubevirt.io/allow-pod-bridge-network-live-migration"

	// Harvester keeps the MACs it assigned in this annotation: a JSON object keyed
	// by interface name, on the VM's metadata or its template's.
	HarvesterMACAnnotation = "harvesterhci.io/mac-address"

	PathAnnotation          = "internal.config.kubernetes.io/path"
	IndexAnnotation         = "internal.config.kubernetes.io/index"
	LegacyPathAnnotation    = "config.kubernetes.io/path"
	LegacyIndexAnnotation   = "config.kubernetes.io/index"
	PreviousNamesAnnotation = "internal.config.kubernetes.io/previousNames"

	BridgeMarkerResourcePfx  = "bridge.network.kubevirt.io/"
	MacvtapResourcePrefix    = "macvtap.network.kubevirt.io/"
	DefaultMacvtapPluginName = "macvtap"
	// L2BridgePlugin is the binding plugin KubeVirt uses on a primary UDN.
	L2BridgePlugin = "l2bridge"
	// PasstPlugin is the passt binding plugin, which core passtBinding replaced in v1.8.
	PasstPlugin = "passt"
)

// NAD identity.
const (
	NADGroup      = "k8s.cni.cncf.io"
	NADAPIVersion = NADGroup + "/v1"
	NADKind       = "NetworkAttachmentDefinition"
	CNIVersion    = "0.3.1"
)

// Objects the function reads as declarations of networks, or as facts about VMs.
const (
	SriovGroup         = "sriovnetwork.openshift.io"
	KindSriovNetwork   = "SriovNetwork"
	OVNGroup           = "k8s.ovn.org"
	KindUDN            = "UserDefinedNetwork"
	KindCUDN           = "ClusterUserDefinedNetwork"
	InstancetypeGroup  = "instancetype.kubevirt.io"
	KindPreference     = "VirtualMachinePreference"
	KindClusterPref    = "VirtualMachineClusterPreference"
	KindNamespace      = "Namespace"
	NamespaceNameLabel = "kubernetes.io/metadata.name"
	// SriovResourcePrefix is sriov-network-operator's default resource prefix
	// (openshift.io on OpenShift and upstream alike).
	SriovResourcePrefix = "openshift.io/"
)

// IsFunctionConfig reports whether apiVersion/kind name the function's config,
// a VMNetworks of any version of the group.
func IsFunctionConfig(apiVersion, kind string) bool {
	return kind == KindVMNetworks && strings.HasPrefix(apiVersion, Group+"/")
}
