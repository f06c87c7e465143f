package check

import "github.com/kubevirt-networks/kubevirt-networks/fn/report"

func kubevirt(id string) report.Rule { return report.Rule{ID: id, Source: report.SourceKubeVirt} }

// Rules this package reports.
var (
	RulePodNetworkCount     = kubevirt("kubevirt-pod-network-count")
	RuleMultusDefault       = kubevirt("kubevirt-multus-default")
	RuleNetworkSource       = kubevirt("kubevirt-network-source")
	RuleMultusNetworkName   = kubevirt("kubevirt-multus-network-name")
	RuleNetworkNameUnique   = kubevirt("kubevirt-network-name-unique")
	RulePairing             = kubevirt("network-interface-pairing")
	RuleInterfaceUnique     = kubevirt("kubevirt-interface-name-unique")
	RuleInterfaceName       = kubevirt("kubevirt-interface-name-format")
	RuleBindingCount        = kubevirt("kubevirt-binding-count")
	RuleMasquerade          = kubevirt("kubevirt-masquerade")
	RuleBridgeOnPod         = kubevirt("kubevirt-bridge-on-pod")
	RuleDefaultInterface    = kubevirt("kubevirt-default-interface")
	RulePasstBinding        = kubevirt("kubevirt-passt-binding")
	RuleDiscontinued        = kubevirt("kubevirt-discontinued-binding")
	RuleBindingPluginGate   = kubevirt("kubevirt-binding-plugin-gate")
	RuleInterfaceState      = kubevirt("kubevirt-interface-state")
	RuleModel               = kubevirt("kubevirt-interface-model")
	RuleMAC                 = kubevirt("kubevirt-mac-address")
	RulePCI                 = kubevirt("kubevirt-pci-address")
	RulePorts               = kubevirt("kubevirt-ports")
	RulePortRanges          = kubevirt("kubevirt-port-ranges")
	RuleDHCP                = kubevirt("kubevirt-dhcp-options")
	RuleBootOrder           = kubevirt("kubevirt-boot-order")
	RuleProbe               = kubevirt("kubevirt-probe-pod-network")
	RuleDRA                 = kubevirt("kubevirt-dra-network")
	RuleTooMany             = kubevirt("kubevirt-too-many")
	RuleSchemaType          = kubevirt("kubevirt-schema-type")
	RuleUnknownField        = report.Rule{ID: "kubevirt-unknown-field", Source: report.SourceKubeVirt}
	RuleDuplicateMAC        = report.Rule{ID: "duplicate-mac", Source: report.SourcePolicy}
	RuleDuplicateKey        = report.Rule{ID: "duplicate-key", Source: report.SourcePolicy}
	RuleReservedMACSpelling = report.Rule{ID: "masquerade-reserved-mac-spelling", Source: report.SourcePolicy}
	RuleReplicatedMAC       = report.Rule{ID: "replicated-fixed-mac", Source: report.SourcePolicy}
	RuleNADInvalidJSON      = report.Rule{ID: "nad-invalid-json", Source: report.SourcePolicy}
	RuleNADIPAMNoInterface  = report.Rule{ID: "nad-ipam-disable-container-interface", Source: report.SourcePolicy}
	RuleNADSRIOVFlags       = report.Rule{ID: "nad-sriov-spoofchk-trust", Source: report.SourcePolicy}
	RuleNADOVNName          = report.Rule{ID: "nad-ovn-net-attach-def-name", Source: report.SourcePolicy}
	// RuleNADBridgeMarker: a bridge NAD requests bridge-marker's resource of
	// another bridge than it attaches.
	RuleNADBridgeMarker = report.Rule{ID: "nad-bridge-marker-mismatch", Source: report.SourcePolicy}
)
