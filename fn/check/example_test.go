package check_test

import (
	"fmt"

	"github.com/kubevirt-networks/kubevirt-networks/fn/check"
)

// A NAD the user wrote is linted for what its CNI plugin refuses only when a pod
// starts: here OVN-Kubernetes' netAttachDefName, which must be the NAD's own.
func ExampleNAD() {
	for _, f := range check.NAD("l2", "vms", `{"cniVersion":"0.3.1","name":"l2","type":"ovn-k8s-cni-overlay","topology":"layer2","netAttachDefName":"default/l2"}`, "") {
		fmt.Println(f.Severity, f.Rule.ID)
	}
	// Output:
	// error nad-ovn-net-attach-def-name
}
