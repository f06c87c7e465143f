package report_test

import (
	"fmt"

	"github.com/kubevirt-networks/kubevirt-networks/fn/report"
)

// A change is worded once: done in fix mode (info), or what would be done in
// validate mode (an error, since validate fails on every needed fix).
func ExampleChange_Finding() {
	c := report.Change{Rule: report.Rule{ID: "binding-set", Source: report.SourceChange}, Field: "spec.template.spec.domain.devices.interfaces[1]",
		Verb: report.Set, What: `binding of interface "lan"`, To: "bridge", From: "masquerade", Why: " for the bridge network \"lan\""}
	for _, m := range []report.Mode{report.Fix, report.Validate} {
		f := c.Finding(m)
		fmt.Println(f.Severity+":", f.Message)
	}
	// Output:
	// info: set binding of interface "lan" to bridge (was masquerade) for the bridge network "lan"
	// error: would set binding of interface "lan" to bridge (is masquerade) for the bridge network "lan"
}
