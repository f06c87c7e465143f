// Command noop is the performance baseline: a KRM function on the same SDK version
// (krm-functions-sdk/go/fn v1.0.2) that changes nothing. scripts/bench.sh runs it
// alternately with kubevirt-networks on the same input.
package main

import (
	"os"

	krm "github.com/kptdev/krm-functions-sdk/go/fn"
)

func main() {
	if err := krm.AsMain(krm.ResourceListProcessorFunc(func(*krm.ResourceList) (bool, error) { return true, nil })); err != nil {
		os.Exit(1)
	}
}
