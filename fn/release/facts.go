package release

// What differs between releases. Paths are kubevirt/kubevirt's at the tag named
// (the module kubevirt.io/kubevirt vX.Y.0 and kubevirt.io/api vX.Y.0); diffs of
// pkg/network/admitter, pkg/virt-config and the API types between the v1.4.0 and
// v1.9.0 tags found these and no other network difference.

// HasPasstBindingField: the core passtBinding interface binding exists from v1.8
// (api core/v1/schema.go InterfaceBindingMethod.PasstBinding, new in v1.8.0).
// Before that, passt is the passt network binding plugin (cmd/sidecars/network-passt-binding,
// shipped v1.1 to v1.9), registered in the KubeVirt CR.
func (m Minor) HasPasstBindingField() bool { return m >= 8 }

// BetaGatesOnByDefault: from v1.9 a Beta feature gate is on unless the KubeVirt CR
// disables it (pkg/virt-config/featuregate/feature-gates.go IsEnabled, v1.9.0);
// before, only GA gates and those listed in featureGates are on
// (pkg/virt-config/feature-gates.go isFeatureGateEnabled, v1.8.0).
func (m Minor) BetaGatesOnByDefault() bool { return m >= 9 }

// PasstBindingGateDefault is the PasstBinding gate's state when the KubeVirt CR
// says nothing: Beta since v1.8 (featuregate/active.go), so on by default only from v1.9.
func (m Minor) PasstBindingGateDefault() bool {
	return m.HasPasstBindingField() && m.BetaGatesOnByDefault()
}

// BindingPluginsNeedGate: in v1.4 network binding plugins are behind the Beta gate
// NetworkBindingPlugins ("Binding plugins feature gate is not enabled",
// pkg/network/admitter/binding.go validateBindingPlugin, v1.4.0); GA from v1.5
// (pkg/virt-config/featuregate/inactive.go).
func (m Minor) BindingPluginsNeedGate() bool { return m < 5 }

// LinkStateUpDown: interface state up and down exist from v1.5
// (pkg/network/admitter/admit.go validateInterfaceStateValue); v1.4 knows only absent.
func (m Minor) LinkStateUpDown() bool { return m >= 5 }

// ExactlyOneBinding: from v1.9 admission refuses an interface without exactly one
// binding ("logical X interface must have exactly one binding method or binding
// plugin", pkg/network/admitter/binding.go, kubevirt/kubevirt#18374). Before, it
// refuses only a plugin beside a method ("logical X interface cannot have both
// binding plugin and interface binding method"); an interface without a binding is
// admitted and its pod never gets a network ("undefined binding method",
// pkg/network/setup/netpod/discover.go).
func (m Minor) ExactlyOneBinding() bool { return m >= 9 }

// DiscontinuedByGate: up to v1.7 the core passt and macvtap bindings are refused
// through their discontinued feature gates ("Passt feature gate is not enabled",
// "Macvtap feature gate is not enabled", pkg/network/admitter/passt.go and
// macvtap.go, v1.7.0); from v1.8 by pkg/network/admitter/discontinued.go
// ("... has been discontinued since v1.3"). Slirp is refused on create by the
// same message in every release (slirp.go, then discontinued.go).
func (m Minor) DiscontinuedByGate() bool { return m < 8 }

// HasPortRanges and HasDRANetworks: interface portRanges and resourceClaim
// networks are new (Alpha) in v1.9 (api core/v1/schema.go, pkg/network/admitter/dra.go).
func (m Minor) HasPortRanges() bool  { return m >= 9 }
func (m Minor) HasDRANetworks() bool { return m >= 9 }

// Defaults that are the same in every supported release, held by a test against
// this table: network.defaultNetworkInterface "bridge" and
// network.permitBridgeInterfaceOnPodNetwork true (pkg/virt-config/virt-config.go,
// v1.4.0 and v1.9.0), and managedTap as a binding plugin's domainAttachmentType
// (since v1.4, api core/v1/types.go).
const (
	DefaultNetworkInterface           = "bridge"
	DefaultPermitBridgeInterfaceOnPod = true
)
