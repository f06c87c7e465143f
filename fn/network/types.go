package network

import (
	"encoding/json"
	"strings"

	"github.com/kubevirt-networks/kubevirt-networks/fn/api"
)

// Descriptor is what the function knows of one network type. A new CNI type is
// one entry in Types: the fields it takes, the NAD config it derives, the
// binding and family its VMs get, the CNI defaults equivalence applies, and the
// checks that are data (required fields, the VLAN range). The checks that need
// code stay beside the decoder (config), keyed by type.
type Descriptor struct {
	Type api.NetworkType
	// CNIType is the NAD's CNI `type` ("" for custom: its cniConfig's).
	CNIType string
	// Topology is OVN-Kubernetes' topology key ("" for the others).
	Topology string
	// VLANKey is the CNI key vlan is written as ("" when the type takes no vlan),
	// and VLANMin the lowest VLAN id it accepts (the highest is 4094).
	VLANKey string
	VLANMin int64
	// Bind is the binding the VM interface needs on this type's NAD.
	Bind func(s *api.NetworkSpec) Binding
	// Family is how KubeVirt binds to the type's NAD (custom: from its binding).
	Family CNIFamily
	// Fields are the VMNetwork.spec fields only some types take, and this one does;
	// Required are those it cannot do without (when it derives a NAD).
	Fields, Required []string
	// Generated: the NAD is derived from the fields (custom writes its cniConfig,
	// macvlan and ipvlan derive nothing).
	Generated bool
	// Refused: recognised only to be refused.
	Refused bool
	// Defaults are CNI keys that mean the same written or left out, as the CNI
	// plugin reads them (containernetworking/plugins, ovs-cni, sriov-cni).
	Defaults map[string]any
}

// Types are the network types, in documentation order (api.NetworkTypes).
var Types = []*Descriptor{
	{
		Type: api.TypeBridge, CNIType: "bridge", VLANKey: "vlan", Bind: fixed(MethodBridge), Family: FamilyBridge, Generated: true,
		Fields: []string{"cniVersion", "bridge", "vlan", "mtu", "macSpoofCheck", "preserveDefaultVlan", "disableContainerInterface",
			"ipam", "cniType", "bridgeMarker", "extraConfig"},
		Required: []string{"bridge"},
		Defaults: map[string]any{"macspoofchk": false, "isGateway": false, "isDefaultGateway": false, "forceAddress": false, "ipMasq": false,
			"hairpinMode": false, "promiscMode": false, "disableContainerInterface": false, "portIsolation": false, "vlan": float64(0), "enabledad": false},
	},
	{
		Type: api.TypeSRIOV, CNIType: "sriov", VLANKey: "vlan", Bind: fixed(MethodSRIOV), Family: FamilySRIOV, Generated: true,
		Fields:   []string{"cniVersion", "vlan", "resourceName", "vlanQoS", "spoofChk", "trust", "linkState", "minTxRate", "maxTxRate", "extraConfig"},
		Required: []string{"resourceName"},
		Defaults: map[string]any{"vlan": float64(0), "vlanQoS": float64(0)},
	},
	{
		Type: api.TypeMacvtap, CNIType: "macvtap", Family: FamilyMacvtap, Generated: true,
		Bind: func(s *api.NetworkSpec) Binding {
			if s.BindingPlugin != "" {
				return Binding{Method: MethodPlugin, Plugin: s.BindingPlugin}
			}
			return Binding{Method: MethodPlugin, Plugin: api.DefaultMacvtapPluginName}
		},
		Fields: []string{"cniVersion", "mtu", "resourceName", "lowerDevice", "bindingPlugin", "extraConfig"},
	},
	{
		Type: api.TypeOVNLocalnet, CNIType: OVNCNIType, Topology: "localnet", VLANKey: "vlanID", VLANMin: 1, Bind: fixed(MethodBridge), Family: FamilyBridge, Generated: true,
		Fields: []string{"cniVersion", "vlan", "mtu", "ovnNetworkName", "physicalNetworkName", "subnets", "excludeSubnets", "allowPersistentIPs", "extraConfig"},
	},
	{
		Type: api.TypeOVNLayer2, CNIType: OVNCNIType, Topology: "layer2", Bind: fixed(MethodBridge), Family: FamilyBridge, Generated: true,
		Fields: []string{"cniVersion", "mtu", "ovnNetworkName", "subnets", "excludeSubnets", "allowPersistentIPs", "extraConfig"},
	},
	{
		Type: api.TypeOVS, CNIType: "ovs", VLANKey: "vlan", Bind: fixed(MethodBridge), Family: FamilyBridge, Generated: true,
		Fields:   []string{"cniVersion", "bridge", "vlan", "mtu", "trunk", "extraConfig"},
		Required: []string{"bridge"},
		Defaults: map[string]any{"vlan": float64(0)},
	},
	{
		Type: api.TypeCustom, Family: FamilyUnknown,
		Bind:     func(s *api.NetworkSpec) Binding { return BindingNamed(s.Binding) },
		Fields:   []string{"cniVersion", "resourceName", "cniConfig", "binding"},
		Required: []string{"cniConfig"},
	},
	{Type: api.TypeMacvlan, CNIType: "macvlan", Family: FamilyRefused, Refused: true, Bind: fixed(MethodNone)},
	{Type: api.TypeIPvlan, CNIType: "ipvlan", Family: FamilyRefused, Refused: true, Bind: fixed(MethodNone)},
}

func fixed(m Method) func(*api.NetworkSpec) Binding {
	return func(*api.NetworkSpec) Binding { return Binding{Method: m} }
}

// TypeOf is the descriptor of a network type, nil for one the API does not have.
func TypeOf(t api.NetworkType) *Descriptor {
	for _, d := range Types {
		if d.Type == t {
			return d
		}
	}
	return nil
}

// DefaultsOf are the CNI defaults of a CNI type (a NAD's `type`): the ones of the
// network type that writes it.
func DefaultsOf(cniType string) map[string]any {
	for _, d := range Types {
		if d.CNIType == cniType && d.Defaults != nil {
			return d.Defaults
		}
	}
	return nil
}

// FieldKey pairs a CNI key the function derives from one network field with
// that field, and says what the key is for a network.
type FieldKey struct {
	Key, Field string
	// Value is the key's value for network n of descriptor d, and whether n's
	// config has the key at all.
	Value func(n *Network, d *Descriptor) (any, bool)
}

// FieldKeys is the one table of CNI keys and the fields that derive them, in
// the order a derived config writes them: the derivation (nad.Config) writes
// them, its conflicts name the field to write, and an extraConfig key among them
// contradicts the declaration (config).
var FieldKeys = []FieldKey{
	{"bridge", "bridge", str(func(s *api.NetworkSpec) string { return s.Bridge })},
	{"vlan", "vlan", vlanAs("vlan")},
	{"vlanID", "vlan", vlanAs("vlanID")},
	{"mtu", "mtu", integer(func(s *api.NetworkSpec) *int64 { return s.MTU })},
	{"macspoofchk", "macSpoofCheck", boolean(func(s *api.NetworkSpec) *bool { return s.MACSpoofCheck })},
	{"preserveDefaultVlan", "preserveDefaultVlan", func(n *Network, _ *Descriptor) (any, bool) {
		switch s := &n.Spec; {
		case s.PreserveDefaultVLAN != nil:
			return *s.PreserveDefaultVLAN, true
		case s.Type == api.TypeBridge && s.VLAN != nil:
			// The bridge CNI keeps VLAN 1 untagged on the port unless told not to,
			// which leaks the default VLAN into a VM meant to see only its own.
			return false, true
		}
		return nil, false
	}},
	{"disableContainerInterface", "disableContainerInterface", boolean(func(s *api.NetworkSpec) *bool { return s.DisableContainerInterface })},
	{"ipam", "ipam", func(n *Network, _ *Descriptor) (any, bool) {
		return json.RawMessage(n.Spec.IPAM), n.Spec.IPAM != nil
	}},
	{"vlanQoS", "vlanQoS", integer(func(s *api.NetworkSpec) *int64 { return s.VLANQoS })},
	{"spoofchk", "spoofChk", str(func(s *api.NetworkSpec) string { return s.SpoofChk })},
	{"trust", "trust", str(func(s *api.NetworkSpec) string { return s.Trust })},
	{"link_state", "linkState", str(func(s *api.NetworkSpec) string { return s.LinkState })},
	{"min_tx_rate", "minTxRate", integer(func(s *api.NetworkSpec) *int64 { return s.MinTxRate })},
	{"max_tx_rate", "maxTxRate", integer(func(s *api.NetworkSpec) *int64 { return s.MaxTxRate })},
	{"physicalNetworkName", "physicalNetworkName", func(n *Network, _ *Descriptor) (any, bool) {
		if n.Spec.Type != api.TypeOVNLocalnet {
			return nil, false
		}
		if n.Spec.PhysicalNetworkName != "" {
			return n.Spec.PhysicalNetworkName, true
		}
		return n.OVNName(), true
	}},
	{"subnets", "subnets", list(func(s *api.NetworkSpec) []string { return s.Subnets })},
	{"excludeSubnets", "excludeSubnets", list(func(s *api.NetworkSpec) []string { return s.ExcludeSubnets })},
	{"allowPersistentIPs", "allowPersistentIPs", boolean(func(s *api.NetworkSpec) *bool { return s.AllowPersistentIPs })},
	{"trunk", "trunk", func(n *Network, _ *Descriptor) (any, bool) { return n.Spec.Trunk, len(n.Spec.Trunk) > 0 }},
}

func str(get func(*api.NetworkSpec) string) func(*Network, *Descriptor) (any, bool) {
	return func(n *Network, _ *Descriptor) (any, bool) { v := get(&n.Spec); return v, v != "" }
}

func integer(get func(*api.NetworkSpec) *int64) func(*Network, *Descriptor) (any, bool) {
	return func(n *Network, _ *Descriptor) (any, bool) {
		if v := get(&n.Spec); v != nil {
			return *v, true
		}
		return nil, false
	}
}

func boolean(get func(*api.NetworkSpec) *bool) func(*Network, *Descriptor) (any, bool) {
	return func(n *Network, _ *Descriptor) (any, bool) {
		if v := get(&n.Spec); v != nil {
			return *v, true
		}
		return nil, false
	}
}

// list is a list of CIDRs as OVN-Kubernetes reads it: one comma-separated string.
func list(get func(*api.NetworkSpec) []string) func(*Network, *Descriptor) (any, bool) {
	return func(n *Network, _ *Descriptor) (any, bool) {
		v := get(&n.Spec)
		return strings.Join(v, ","), len(v) > 0
	}
}

// vlanAs is the VLAN under the key the type's CNI reads it by.
func vlanAs(key string) func(*Network, *Descriptor) (any, bool) {
	return func(n *Network, d *Descriptor) (any, bool) {
		if n.Spec.VLAN == nil || d == nil || d.VLANKey != key {
			return nil, false
		}
		return *n.Spec.VLAN, true
	}
}

// OVNName is an OVN network's cluster-wide `name`: ovnNetworkName, else the
// logical name (both stay the same under kustomize prefixes).
func (n *Network) OVNName() string {
	if n.Spec.OVNNetworkName != "" {
		return n.Spec.OVNNetworkName
	}
	return n.Logical
}

// DerivedKeys are the CNI keys the function derives from a network's fields: an
// extraConfig key among them would contradict the declaration.
var DerivedKeys = func() []string {
	keys := []string{"cniVersion", "name", "type", "topology", "netAttachDefName"}
	for _, f := range FieldKeys {
		keys = append(keys, f.Key)
	}
	return keys
}()

// Refused reports whether networks of type t are refused: no KubeVirt binding
// carries traffic on them.
func Refused(t api.NetworkType) bool {
	d := TypeOf(t)
	return d != nil && d.Refused
}

// IsOVN reports whether networks of type t are OVN-Kubernetes secondary networks.
func IsOVN(t api.NetworkType) bool {
	d := TypeOf(t)
	return d != nil && d.CNIType == OVNCNIType
}
