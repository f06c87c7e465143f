package names_test

import (
	"fmt"

	"github.com/kubevirt-networks/kubevirt-networks/fn/names"
)

// Kubernetes' name rules, with apimachinery's messages.
func ExampleDNS1123Label() {
	fmt.Println(names.DNS1123Label("tenant-a"), names.DNS1123Label("Tenant_A"))
	// Output:
	// [] [a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')]
}
