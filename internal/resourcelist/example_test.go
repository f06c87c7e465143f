package resourcelist_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/kubevirt-networks/kubevirt-networks/internal/resourcelist"
)

// An item the function does not change is written from its own bytes, comments
// and layout and all; the input's form (here a plain stream) is the output's.
func ExampleReadWith() {
	in := "# the chart's settings\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}   # kept\ndata:\n  k:    'v'\n"
	rl, err := resourcelist.ReadWith(strings.NewReader(in), resourcelist.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	w := resourcelist.NewWriter(os.Stdout, rl)
	for i := range rl.Items {
		w.Keep(i)
	}
	if err := w.Finish(nil, nil, false); err != nil {
		fmt.Println(err)
	}
	// Output:
	// # the chart's settings
	// apiVersion: v1
	// kind: ConfigMap
	// metadata: {name: a}   # kept
	// data:
	//   k:    'v'
}
