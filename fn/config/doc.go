// Package config reads the function's configuration: VMNetwork items, the
// VMNetworks (or ConfigMap) function config with its inline networks, and the
// networks operators declare (SriovNetwork, OVN-Kubernetes UserDefinedNetwork and
// ClusterUserDefinedNetwork). Shape problems (unknown fields, wrong types) come
// from the strict decoder in internal/schema; this package adds the checks that need
// meaning (ranges, fields per network type, defaults, uniqueness). Every problem
// is an error result at the field's path on the config object.
package config

import (
	"github.com/kubevirt-networks/kubevirt-networks/fn/network"
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
)

// Rules this package reports.
var (
	RuleUnknownField     = report.Rule{ID: "config-unknown-field", Source: report.SourceConfig}
	RuleWrongType        = report.Rule{ID: "config-wrong-type", Source: report.SourceConfig}
	RuleFieldNotForType  = report.Rule{ID: "config-field-not-for-type", Source: report.SourceConfig}
	RuleMissingField     = report.Rule{ID: "config-missing-field", Source: report.SourceConfig}
	RuleInvalidValue     = report.Rule{ID: "config-invalid-value", Source: report.SourceConfig}
	RuleDuplicateName    = report.Rule{ID: "config-duplicate-network-name", Source: report.SourceConfig}
	RuleDuplicateNAD     = report.Rule{ID: "config-duplicate-nad", Source: report.SourceConfig}
	RuleFunctionConfig   = report.Rule{ID: "config-function-config", Source: report.SourceConfig}
	RuleRefusedType      = network.RuleRefused
	RuleMacvtapPlugin    = report.Rule{ID: "macvtap-binding-plugin", Source: report.SourcePolicy}
	RuleSRIOVResource    = report.Rule{ID: "sriov-resource-injection", Source: report.SourcePolicy}
	RuleLocalConfigAdded = report.Rule{ID: "local-config-added", Source: report.SourceChange}
	RuleSettingsConflict = report.Rule{ID: "config-cluster-settings", Source: report.SourceConfig}
)
