package rewrite

import (
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
)

// Rules this package reports.
var (
	RuleRenamed            = report.Rule{ID: "network-renamed", Source: report.SourceChange}
	RuleBindingSet         = report.Rule{ID: "binding-set", Source: report.SourceChange}
	RuleNetworkNameSet     = report.Rule{ID: "network-name-set", Source: report.SourceChange}
	RuleNetworkAdded       = report.Rule{ID: "network-added", Source: report.SourceChange}
	RuleMACCopied          = report.Rule{ID: "mac-copied", Source: report.SourceChange}
	RuleAnnotationRemoved  = report.Rule{ID: "multus-annotation-removed", Source: report.SourceChange}
	RulePodBindingReplaced = report.Rule{ID: "pod-binding-replaced", Source: report.SourceChange}
	RuleDiscontinued       = report.Rule{ID: "discontinued-binding", Source: report.SourceChange}

	RulePodBridge        = report.Rule{ID: "pod-bridge-migration", Source: report.SourcePolicy}
	RulePreference       = report.Rule{ID: "pod-binding-from-preference", Source: report.SourcePolicy}
	RuleCrossNamespace   = report.Rule{ID: "cross-namespace-nad", Source: report.SourcePolicy}
	RuleBoundTwice       = report.Rule{ID: "network-bound-twice", Source: report.SourcePolicy}
	RuleNameCollision    = report.Rule{ID: "name-collision", Source: report.SourcePolicy}
	RuleAmbiguous        = report.Rule{ID: "reference-ambiguous", Source: report.SourcePolicy}
	RuleNADNotInInput    = report.Rule{ID: "nad-not-in-input", Source: report.SourcePolicy}
	RuleUnknownCNI       = report.Rule{ID: "nad-cni-unknown", Source: report.SourcePolicy}
	RuleNamespaceUnknown = report.Rule{ID: "namespace-unknown", Source: report.SourcePolicy}
	RuleInvalidNetwork   = report.Rule{ID: "network-config-invalid", Source: report.SourceConfig}
	RuleRefusedCNI       = network.RuleRefused
	RuleAnnotation       = report.Rule{ID: "multus-annotation", Source: report.SourcePolicy}
	RuleAnnotationKeys   = report.Rule{ID: "multus-annotation-keys", Source: report.SourcePolicy}
	RuleMACConflict      = report.Rule{ID: "multus-annotation-mac", Source: report.SourcePolicy}
	RuleDefaultNetwork   = report.Rule{ID: "multus-default-network-annotation", Source: report.SourcePolicy}
	RuleInertAnnotation  = report.Rule{ID: "multus-annotation-inert", Source: report.SourcePolicy}
	RuleMACAnnotation    = report.Rule{ID: "harvester-mac-annotation", Source: report.SourceChange}
	RuleRenameLosesIP    = report.Rule{ID: "rename-persistent-ip", Source: report.SourcePolicy}
	RuleRenameVMI        = report.Rule{ID: "rename-vmi", Source: report.SourcePolicy}
	RulePasstPlugin      = report.Rule{ID: "passt-binding-plugin", Source: report.SourcePolicy}
	RuleDefaultInterface = report.Rule{ID: "kubevirt-default-interface", Source: report.SourceKubeVirt}
	RulePluginKept       = report.Rule{ID: "binding-plugin-kept", Source: report.SourcePolicy}

	RuleUnpaired  = report.Rule{ID: "network-interface-pairing", Source: report.SourceKubeVirt}
	RuleMalformed = report.Rule{ID: "vm-malformed", Source: report.SourceKubeVirt}
)
