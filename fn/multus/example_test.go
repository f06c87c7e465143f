package multus_test

import (
	"fmt"

	"github.com/kubevirt-networks/kubevirt-networks/fn/multus"
)

// The k8s.v1.cni.cncf.io/networks annotation in both of Multus' forms: a comma
// list of [namespace/]name[@interface], or JSON network selection elements.
func ExampleParse() {
	for _, value := range []string{"vms/lan@eth1,storage", `[{"name":"lan","namespace":"vms","mac":"02:00:00:00:00:01"}]`} {
		elems, err := multus.Parse(value)
		if err != nil {
			fmt.Println(err)
			continue
		}
		for _, e := range elems {
			fmt.Printf("%s mac=%q extra=%v\n", e.Ref(), e.MAC, e.Extra)
		}
	}
	// Output:
	// vms/lan mac="" extra=[interface]
	// storage mac="" extra=[]
	// vms/lan mac="02:00:00:00:00:01" extra=[]
}
