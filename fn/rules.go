package fn

import "github.com/kubevirt-networks/kubevirt-networks/fn/report"

// Rules this package reports.
var (
	RuleVMMalformed = report.Rule{ID: "vm-malformed", Source: report.SourceKubeVirt}
	RuleItemNoKind  = report.Rule{ID: "item-malformed", Source: report.SourcePolicy}
	RuleAliasShared = report.Rule{ID: "alias-shared", Source: report.SourcePolicy}
	RuleConfigOnly  = report.Rule{ID: "stream-config-only", Source: report.SourcePolicy}
)
