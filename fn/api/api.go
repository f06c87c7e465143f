package api

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// The config API group, its version and kinds.
const (
	Group          = "kubevirt-networks.io"
	Version        = "v1alpha1"
	APIVersion     = Group + "/" + Version
	KindVMNetwork  = "VMNetwork"
	KindVMNetworks = "VMNetworks"
)

// VMNetwork declares one logical network (a local-config item).
type VMNetwork struct {
	APIVersion string          `json:"apiVersion"`
	Kind       string          `json:"kind"`
	Metadata   json.RawMessage `json:"metadata,omitempty"`
	Spec       NetworkSpec     `json:"spec"`
}

// VMNetworks is the function config.
type VMNetworks struct {
	APIVersion string          `json:"apiVersion"`
	Kind       string          `json:"kind"`
	Metadata   json.RawMessage `json:"metadata,omitempty"`
	Spec       FunctionSpec    `json:"spec"`
}

// NetworkSpec is VMNetwork.spec (and one entry of VMNetworks.spec.networks).
// Pointers tell "unset" from a zero value, since defaults depend on it. The field
// order is the order of the CNI keys in a derived NAD.
type NetworkSpec struct {
	Name       string       `json:"name,omitempty"`
	NADName    string       `json:"nadName,omitempty"`
	Namespace  string       `json:"namespace,omitempty"`
	Type       NetworkType  `json:"type,omitempty"`
	Generate   *bool        `json:"generate,omitempty"`
	Rename     RenamePolicy `json:"rename,omitempty"`
	CNIVersion string       `json:"cniVersion,omitempty"`

	Bridge                    string          `json:"bridge,omitempty"`
	VLAN                      *int64          `json:"vlan,omitempty"`
	MTU                       *int64          `json:"mtu,omitempty"`
	MACSpoofCheck             *bool           `json:"macSpoofCheck,omitempty"`
	PreserveDefaultVLAN       *bool           `json:"preserveDefaultVlan,omitempty"`
	DisableContainerInterface *bool           `json:"disableContainerInterface,omitempty"`
	IPAM                      json.RawMessage `json:"ipam,omitempty"`
	CNIType                   string          `json:"cniType,omitempty"`
	BridgeMarker              *bool           `json:"bridgeMarker,omitempty"`
	ResourceName              string          `json:"resourceName,omitempty"`
	VLANQoS                   *int64          `json:"vlanQoS,omitempty"`
	SpoofChk                  string          `json:"spoofChk,omitempty"`
	Trust                     string          `json:"trust,omitempty"`
	LinkState                 string          `json:"linkState,omitempty"`
	MinTxRate                 *int64          `json:"minTxRate,omitempty"`
	MaxTxRate                 *int64          `json:"maxTxRate,omitempty"`
	LowerDevice               string          `json:"lowerDevice,omitempty"`
	BindingPlugin             string          `json:"bindingPlugin,omitempty"`
	OVNNetworkName            string          `json:"ovnNetworkName,omitempty"`
	PhysicalNetworkName       string          `json:"physicalNetworkName,omitempty"`
	Subnets                   []string        `json:"subnets,omitempty"`
	ExcludeSubnets            []string        `json:"excludeSubnets,omitempty"`
	AllowPersistentIPs        *bool           `json:"allowPersistentIPs,omitempty"`
	Trunk                     []TrunkRange    `json:"trunk,omitempty"`
	CNIConfig                 json.RawMessage `json:"cniConfig,omitempty"`
	Binding                   string          `json:"binding,omitempty"`
	ExtraConfig               json.RawMessage `json:"extraConfig,omitempty"`
}

// TrunkRange is one entry of ovs-cni's trunk: a VLAN id, or a range of them.
type TrunkRange struct {
	ID    *int64 `json:"id,omitempty"`
	MinID *int64 `json:"minID,omitempty"`
	MaxID *int64 `json:"maxID,omitempty"`
}

// FunctionSpec is VMNetworks.spec.
type FunctionSpec struct {
	Mode       Mode          `json:"mode,omitempty"`
	PodNetwork PodNetwork    `json:"podNetwork,omitempty"`
	Networks   []NetworkSpec `json:"networks,omitempty"`
	NADPath    string        `json:"nadPath,omitempty"`
	Rename     RenamePolicy  `json:"rename,omitempty"`
	Cluster    ClusterSpec   `json:"cluster,omitempty"`
	// DefaultNamespace is where objects without metadata.namespace land (Helm's
	// release namespace, kubectl -n): they are there for every rule, and stay
	// without a namespace in the output.
	DefaultNamespace string `json:"defaultNamespace,omitempty"`
}

// PodNetwork is VMNetworks.spec.podNetwork.
type PodNetwork struct {
	Binding PodBinding `json:"binding,omitempty"`
	Enforce *bool      `json:"enforce,omitempty"`
}

// ClusterSpec is VMNetworks.spec.cluster: the target cluster's KubeVirt settings
// that change what KubeVirt admits, as written (unset: KubeVirt v1.9's default).
type ClusterSpec struct {
	// KubeVirtVersion is the KubeVirt release the output is for (v1.4 to v1.9;
	// "v1.5", "1.5" and "v1.5.3" all mean v1.5). Unset: v1.9, with a warning on
	// every change whose validity depends on the release.
	KubeVirtVersion                   string          `json:"kubevirtVersion,omitempty"`
	PermitBridgeInterfaceOnPodNetwork *bool           `json:"permitBridgeInterfaceOnPodNetwork,omitempty"`
	PasstBindingFeatureGate           *bool           `json:"passtBindingFeatureGate,omitempty"`
	PortRangesSpecFeatureGate         *bool           `json:"portRangesSpecFeatureGate,omitempty"`
	NetworkDevicesWithDRAFeatureGate  *bool           `json:"networkDevicesWithDRAFeatureGate,omitempty"`
	DefaultNetworkInterface           PodBinding      `json:"defaultNetworkInterface,omitempty"`
	FieldValidation                   FieldValidation `json:"fieldValidation,omitempty"`
	PrimaryUDNBinding                 UDNBinding      `json:"primaryUDNBinding,omitempty"`
	// BindingPlugins are the network binding plugins the KubeVirt CR registers.
	BindingPlugins []string `json:"bindingPlugins,omitempty"`
	// MigrationNetwork is the NAD KubeVirt's dedicated migration network uses
	// (KubeVirt CR migrations.network), which needs its IPAM.
	MigrationNetwork string `json:"migrationNetwork,omitempty"`
}

// ConfigMapKeys are the data keys of a ConfigMap function config (kpt's `-- k=v`).
var ConfigMapKeys = []string{"mode", "podBinding", "enforce", "kubevirtVersion"}

// FieldNames lists the json names of every field of the config API (VMNetwork and
// VMNetworks, and the structs inside them): what --help and the README must name.
func FieldNames() []string {
	seen := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if name != "" && name != "-" {
				seen[name] = true
				walk(t.Field(i).Type)
			}
		}
	}
	walk(reflect.TypeOf(VMNetwork{}))
	walk(reflect.TypeOf(VMNetworks{}))
	return slices.Sorted(maps.Keys(seen))
}
