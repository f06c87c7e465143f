package nad

import "github.com/kubevirt-networks/kubevirt-networks/fn/report"

// Rules this package reports.
var (
	RuleNADCreated    = report.Rule{ID: "nad-created", Source: report.SourceChange}
	RuleNADUpdated    = report.Rule{ID: "nad-updated", Source: report.SourceChange}
	RuleNADPruned     = report.Rule{ID: "nad-pruned", Source: report.SourceChange}
	RuleNADKept       = report.Rule{ID: "nad-user-equivalent", Source: report.SourcePolicy}
	RuleNADConflict   = report.Rule{ID: "nad-user-conflict", Source: report.SourcePolicy}
	RuleNADStillUsed  = report.Rule{ID: "nad-prune-referenced", Source: report.SourcePolicy}
	RuleNetworkUnused = report.Rule{ID: "network-unused", Source: report.SourcePolicy}
	RuleOVNFanOut     = report.Rule{ID: "ovn-layer2-namespaces", Source: report.SourcePolicy}
	RuleIPAM          = report.Rule{ID: "config-ipam", Source: report.SourcePolicy}
	RuleNADExtraKeys  = report.Rule{ID: "nad-managed-extra-keys", Source: report.SourcePolicy}
)
