package fn

import (
	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
	"github.com/kubevirt-networks/kubevirt-networks/fn/rewrite"
)

// Rules this package reports.
var (
	RuleVMMalformed = rewrite.RuleMalformed
	RuleItemNoKind  = report.Rule{ID: "item-malformed", Source: report.SourcePolicy}
	RuleAliasShared = report.Rule{ID: "alias-shared", Source: report.SourcePolicy}
	RuleConfigOnly  = report.Rule{ID: "stream-config-only", Source: report.SourcePolicy}
	// RuleListedAsGenerator: kustomize ran the function as a generator, which
	// is handed nothing to change.
	RuleListedAsGenerator = report.Rule{ID: "listed-as-generator", Source: report.SourcePolicy}
	// RuleUnsafeEncoding: an edited object cannot be written without changing
	// values the edit did not touch.
	RuleUnsafeEncoding = report.Rule{ID: "output-unsafe", Source: report.SourcePolicy}
)
